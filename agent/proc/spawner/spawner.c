/*
 * taskwarden-spawner: starts processes for the Taskwarden agent.
 *
 * Why a helper: Node (libuv 1.46) starts a child with a plain fork() of the
 * whole agent, then every page the agent writes afterwards takes a
 * copy-on-write fault. Measured here that costs the agent ~4 ms of CPU per
 * child (a bare Node loop runs 157 /bin/true per second, posix_spawn in C 454).
 * This small program starts children with vfork + execve (no page tables to
 * copy), reaps them and reports to the agent over a pipe.
 *
 * Protocol. The agent writes requests to stdin, each a run of NUL-terminated
 * fields:
 *   seq, cwd, stdout file, stderr file, argv0 (empty: argv[0]),
 *   argc, argv[0..argc-1], envc, env[0..envc-1]
 * Requests whose first field is a letter instead of a seq:
 *   L, lock file                 the agent's lock file (.taskwarden/agent.lock)
 *   W, file, max bytes, keep, pid, start time
 *                                rotate this log file if the agent goes away
 *   U, file                      forget that file
 *   C, after seq, <a start request as above>
 *                                a chained start: start it when the process that
 *                                request `after seq` started is reaped (at once if
 *                                that one already ended or never started). On the
 *                                reap the helper starts it first, then reports
 *                                `X` for the one that ended and `S` (or `F`) for
 *                                this one, in one write. A queue hands its next
 *                                item over while the current one runs, so the
 *                                next start waits for no round trip to the agent.
 *   K, seq                       cancel the chained start `seq`: answered by
 *                                `K <seq> 1` (cancelled, it never starts) or
 *                                `K <seq> 0` (not pending: its S or F came first)
 * The helper writes one line per event to stdout:
 *   S <seq> <pid> <start time>   started (start time: field 22 of /proc/<pid>/stat)
 *   F <seq> <errno> <step>       not started (step: open, spawn)
 *   X <pid> <code> <signal>      a child ended and was reaped ("-" where n/a)
 *   K <seq> <1|0>                the answer to a cancel
 * Chained starts still waiting when the agent goes away are dropped, never
 * started: no agent would record them (a new agent finds their items claimed
 * but not started, and queues them again while their predecessor still runs).
 * End of input (the agent closed the pipe or died) ends the helper, unless log
 * files are registered (W): then it lingers, rotating them every second, until
 * another agent holds the workspace's lock (it rotates them from then on) or no
 * registered process is alive. The children run on in their own sessions and a
 * new agent adopts them.
 *
 * A child gets descriptors 0-2 and nothing else: the helper closes whatever it
 * inherited above them at start, and opens everything close-on-exec. The log
 * files are created 0600 under umask 077 (they belong to the agent's private
 * state folder); a child gets back the umask the helper was started with.
 *
 * `taskwarden-spawner rotate FILE MAX_BYTES KEEP [UP_TO]` is the agent's one-shot
 * log rotation (rotate.c; bytes past UP_TO stay for the next one); it prints how
 * many bytes left the front of FILE, or `all` when it was copied and truncated.
 * Exit 0 when done, else the errno and a message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rotate.h"

static char *input;
static size_t input_length, input_capacity;
/* The umask the helper was started with: what its children get. */
static mode_t child_umask;

/* The agent is gone: nobody reads what the helper reports any more. */
static int lingering;

/* What is reported but not written yet: every event of one pass of the main loop goes in one write. */
static char *reports;
static size_t reports_length, reports_capacity;

static void report(const char *format, ...) {
  if (lingering) return;
  char line[256];
  va_list args;
  va_start(args, format);
  int length = vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (length < 0) return;
  if (length >= (int)sizeof line) length = (int)sizeof line - 1;
  if (reports_capacity - reports_length < (size_t)length) {
    size_t capacity = reports_capacity == 0 ? 4096 : reports_capacity * 2;
    while (capacity - reports_length < (size_t)length) capacity *= 2;
    char *grown = realloc(reports, capacity);
    if (grown == NULL) exit(1);
    reports = grown;
    reports_capacity = capacity;
  }
  memcpy(reports + reports_length, line, (size_t)length);
  reports_length += (size_t)length;
}

static void flush_reports(void) {
  for (size_t written = 0; written < reports_length;) {
    ssize_t n = write(STDOUT_FILENO, reports + written, reports_length - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) exit(0); /* the agent is gone */
    written += (size_t)n;
  }
  reports_length = 0;
}

/* The next NUL-terminated field at *position of `text`, or NULL when it ends first. */
static char *field_in(char *text, size_t length, size_t *position) {
  char *start = text + *position;
  char *end = memchr(start, '\0', length - *position);
  if (end == NULL) return NULL;
  *position += (size_t)(end - start) + 1;
  return start;
}

/* The next NUL-terminated field of the input. */
static char *next_field(size_t *position) {
  return field_in(input, input_length, position);
}

/* /proc/<pid>/stat after the command name's ")": " <state> <ppid> ...", in `text`; NULL when unreadable. */
static char *stat_fields(pid_t pid, char *text, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  ssize_t n = read(fd, text, size - 1);
  close(fd);
  if (n <= 0) return NULL;
  text[n] = '\0';
  return strrchr(text, ')');
}

/* The start time of `pid` (field 22 of its stat), 0 when it is gone. */
static unsigned long long start_time_of(pid_t pid) {
  char text[1024];
  char *field = stat_fields(pid, text, sizeof text);
  /* Field 3 (state) follows ") "; the start time is field 22. */
  for (int index = 2; index < 22 && field != NULL; index++) field = strchr(field + 1, ' ');
  return field == NULL ? 0 : strtoull(field + 1, NULL, 10);
}

static const char *environment_value(char **env, const char *name) {
  size_t length = strlen(name);
  for (; *env != NULL; env++)
    if (strncmp(*env, name, length) == 0 && (*env)[length] == '=') return *env + length + 1;
  return NULL;
}

/* Finds the program as execvp would, with the child's PATH; 0 or an errno. */
static int resolve(const char *command, char **env, char *resolved, size_t size) {
  if (strchr(command, '/') != NULL) {
    snprintf(resolved, size, "%s", command);
    return 0;
  }
  const char *search = environment_value(env, "PATH");
  if (search == NULL) search = "/usr/local/bin:/usr/bin:/bin";
  int failure = ENOENT;
  for (const char *dir = search;; dir = strchr(dir, ':') + 1) {
    const char *end = strchr(dir, ':');
    size_t length = end == NULL ? strlen(dir) : (size_t)(end - dir);
    snprintf(resolved, size, "%.*s%s%s", (int)length, dir, length == 0 ? "" : "/", command);
    struct stat info;
    if (stat(resolved, &info) == 0 && S_ISREG(info.st_mode)) {
      if (access(resolved, X_OK) == 0) return 0;
      failure = EACCES;
    }
    if (end == NULL) return failure;
  }
}

static int open_log(const char *path) {
  return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

/*
 * vfork + execve: the child borrows the helper's memory until it execs, so there
 * are no page tables to copy. posix_spawn would do the same, but glibc's leaves
 * its two internal real-time signals blocked in the new program; here the child
 * gets what Node's spawn gives: a session of its own, stdin from /dev/null, no
 * blocked signals and default dispositions. Between vfork and execve the child
 * makes system calls only. Returns the pid, or -1 with *failure set.
 */
static pid_t launch(const char *program, char **argv, char **env, const char *cwd, int out_fd, int err_fd, int *failure) {
  volatile int child_failure = 0;
  pid_t pid = vfork();
  if (pid == 0) {
    static const int ignored_by_helper[] = {SIGINT, SIGQUIT, SIGHUP, SIGPIPE};
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    for (size_t index = 0; index < sizeof ignored_by_helper / sizeof *ignored_by_helper; index++)
      sigaction(ignored_by_helper[index], &default_action, NULL);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (setsid() < 0 || null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
        dup2(err_fd, STDERR_FILENO) < 0 || (cwd[0] != '\0' && chdir(cwd) < 0)) {
      child_failure = errno;
      _exit(127);
    }
    umask(child_umask);
    /* The raw call: glibc's sigprocmask will not unblock its own internal signals. */
    unsigned long no_signals = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &no_signals, NULL, sizeof no_signals);
    execve(program, argv, env);
    child_failure = errno;
    _exit(127);
  }
  if (pid < 0) {
    *failure = errno;
    return -1;
  }
  if (child_failure != 0) {
    /* The child ended before running the program: reap it here, it was never started. */
    waitpid(pid, NULL, 0);
    *failure = child_failure;
    return -1;
  }
  return pid;
}

/* Makes room for one more element at the end of a growing array; 0 when memory ran out. */
static int room_for_one(void **array, size_t *capacity, size_t count, size_t element_size) {
  if (count < *capacity) return 1;
  size_t grown_capacity = *capacity == 0 ? 16 : *capacity * 2;
  void *grown = realloc(*array, grown_capacity * element_size);
  if (grown == NULL) return 0;
  *array = grown;
  *capacity = grown_capacity;
  return 1;
}

/* A start request's fields, pointing into the text it was read from. */
typedef struct {
  char *seq, *cwd, *out, *err, *argv0;
  char **argv, **env;
  long argc;
} StartRequest;

static void free_request(StartRequest *request) {
  free(request->argv);
  free(request->env);
}

/* Reads a start request at *position of `text`; 0 when its fields are not all there yet. */
static int parse_start(char *text, size_t length, size_t *position, StartRequest *request) {
  memset(request, 0, sizeof *request);
  char *count = NULL;
  if ((request->seq = field_in(text, length, position)) == NULL || (request->cwd = field_in(text, length, position)) == NULL ||
      (request->out = field_in(text, length, position)) == NULL || (request->err = field_in(text, length, position)) == NULL ||
      (request->argv0 = field_in(text, length, position)) == NULL || (count = field_in(text, length, position)) == NULL)
    return 0;
  long argc = strtol(count, NULL, 10);
  request->argc = argc < 0 ? 0 : argc;
  request->argv = calloc((size_t)request->argc + 1, sizeof *request->argv);
  long index = 0;
  while (index < request->argc && (request->argv[index] = field_in(text, length, position)) != NULL) index++;
  char *env_count = index == request->argc ? field_in(text, length, position) : NULL;
  if (env_count == NULL) {
    free_request(request);
    return 0;
  }
  long envc = strtol(env_count, NULL, 10);
  if (envc < 0) envc = 0;
  request->env = calloc((size_t)envc + 1, sizeof *request->env);
  index = 0;
  while (index < envc && (request->env[index] = field_in(text, length, position)) != NULL) index++;
  if (index < envc) {
    free_request(request);
    return 0;
  }
  return 1;
}

/* The children started on a request and not reaped yet, by seq: what a chained start waits for. */
typedef struct {
  long seq;
  pid_t pid;
} Started;

static Started *started;
static size_t started_count, started_capacity;

static void remember_started(long seq, pid_t pid) {
  if (!room_for_one((void **)&started, &started_capacity, started_count, sizeof *started)) return;
  started[started_count++] = (Started){seq, pid};
}

/* The seq `pid` was started on (forgotten now), or -1 when it was not started on a request (an orphan). */
static long forget_started(pid_t pid) {
  for (size_t index = 0; index < started_count; index++) {
    if (started[index].pid != pid) continue;
    long seq = started[index].seq;
    started[index] = started[--started_count];
    return seq;
  }
  return -1;
}

static int is_running(long seq) {
  for (size_t index = 0; index < started_count; index++)
    if (started[index].seq == seq) return 1;
  return 0;
}

static void release(long seq);

/* Not started: what was chained to it starts now (it will never run, so its end is now). */
static void not_started(const char *seq, int failure, const char *step) {
  report("F %s %d %s\n", seq, failure, step);
  release(strtol(seq, NULL, 10));
}

static void start(const StartRequest *request) {
  const char *seq = request->seq;
  if (request->argc < 1) {
    not_started(seq, EINVAL, "spawn");
    return;
  }
  char **argv = request->argv;
  char program[4096];
  int failure = resolve(argv[0], request->env, program, sizeof program);
  if (failure != 0) {
    not_started(seq, failure, "spawn");
    return;
  }
  int out_fd = open_log(request->out);
  int err_fd = out_fd < 0 || strcmp(request->out, request->err) == 0 ? out_fd : open_log(request->err);
  if (out_fd < 0 || err_fd < 0) {
    int error = errno;
    if (out_fd >= 0) close(out_fd);
    not_started(seq, error, "open");
    return;
  }
  char *first = argv[0];
  if (request->argv0[0] != '\0') argv[0] = request->argv0;
  pid_t pid = launch(program, argv, request->env, request->cwd, out_fd, err_fd, &failure);
  argv[0] = first;
  close(out_fd);
  if (err_fd != out_fd) close(err_fd);
  if (pid < 0) {
    not_started(seq, failure, "spawn");
    return;
  }
  remember_started(strtol(seq, NULL, 10), pid);
  report("S %s %d %llu\n", seq, (int)pid, start_time_of(pid));
}

/* A start waiting for the end of the process another request started (its own request's bytes, copied). */
typedef struct {
  long seq;
  long after;
  char *text;
  size_t length;
} Chained;

static Chained *chains;
static size_t chain_count, chain_capacity;

/* Starts the chained request at `index`, which leaves the list. */
static void start_chained(size_t index) {
  Chained chained = chains[index];
  chains[index] = chains[--chain_count];
  size_t position = 0;
  StartRequest request;
  if (parse_start(chained.text, chained.length, &position, &request)) {
    start(&request);
    free_request(&request);
  }
  free(chained.text);
}

/* The chained starts waiting for request `seq`'s end start now. */
static void release(long seq) {
  /* From the front each time: a start that fails releases its own followers, which changes the list. */
  for (size_t index = 0; index < chain_count;) {
    if (chains[index].after != seq) {
      index++;
      continue;
    }
    start_chained(index);
    index = 0;
  }
}

static int is_chained(long seq) {
  for (size_t index = 0; index < chain_count; index++)
    if (chains[index].seq == seq) return 1;
  return 0;
}

/*
 * A chained start (its request's bytes in text): kept until the process of request `after`
 * is reaped (or that request, itself chained, ends without a process); started now when that
 * request has no process (ended, failed, or unknown).
 */
static void chain(long after, const char *text, size_t length, const StartRequest *request) {
  if (!is_running(after) && !is_chained(after)) {
    start(request);
    return;
  }
  char *copy = room_for_one((void **)&chains, &chain_capacity, chain_count, sizeof *chains) ? malloc(length) : NULL;
  if (copy == NULL) {
    not_started(request->seq, ENOMEM, "spawn");
    return;
  }
  memcpy(copy, text, length);
  chains[chain_count++] = (Chained){strtol(request->seq, NULL, 10), after, copy, length};
}

static void cancel_chained(const char *seq) {
  long wanted = strtol(seq, NULL, 10);
  for (size_t index = 0; index < chain_count; index++) {
    if (chains[index].seq != wanted) continue;
    free(chains[index].text);
    chains[index] = chains[--chain_count];
    report("K %s 1\n", seq);
    release(wanted);
    return;
  }
  report("K %s 0\n", seq);
}

/* The agent is gone: what was chained is never started (no one would record it). */
static void drop_chains(void) {
  for (size_t index = 0; index < chain_count; index++) free(chains[index].text);
  chain_count = 0;
}

/* A log file to rotate while no agent does, and the process that writes it. */
typedef struct {
  char *file;
  long long max_bytes;
  int keep;
  pid_t pid;
  unsigned long long start_time;
} Watched;

static Watched *watched_files;
static size_t watched_count, watched_capacity;
static char *agent_lock;
static pid_t agent_pid;

static void forget(const char *file) {
  for (size_t index = 0; index < watched_count; index++) {
    if (strcmp(watched_files[index].file, file) != 0) continue;
    free(watched_files[index].file);
    watched_files[index] = watched_files[--watched_count];
    return;
  }
}

static void watch_file(const char *file, const char *max_bytes, const char *keep, const char *pid, const char *start_time) {
  forget(file);
  if (!room_for_one((void **)&watched_files, &watched_capacity, watched_count, sizeof *watched_files)) return;
  char *copy = strdup(file);
  if (copy == NULL) return;
  watched_files[watched_count++] = (Watched){copy, strtoll(max_bytes, NULL, 10), (int)strtol(keep, NULL, 10),
                                            (pid_t)strtol(pid, NULL, 10), strtoull(start_time, NULL, 10)};
}

/* A request that starts with a letter (L, W, U, K); returns 0 when its fields are not all there yet. */
static int handle_control(const char *kind, size_t *position) {
  char *fields[5] = {NULL};
  int wanted = kind[0] == 'W' ? 5 : 1;
  for (int index = 0; index < wanted; index++)
    if ((fields[index] = next_field(position)) == NULL) return 0;
  if (kind[0] == 'L') {
    free(agent_lock);
    agent_lock = strdup(fields[0]);
  } else if (kind[0] == 'W') {
    watch_file(fields[0], fields[1], fields[2], fields[3], fields[4]);
  } else if (kind[0] == 'U') {
    forget(fields[0]);
  } else if (kind[0] == 'K') {
    cancel_chained(fields[0]);
  }
  return 1;
}

/* Handles every complete request at the start of the input; returns the bytes used. */
static size_t handle_requests(void) {
  size_t used = 0;
  for (;;) {
    size_t position = used;
    char *kind = next_field(&position);
    if (kind == NULL) return used;
    char *after = NULL;
    if (kind[0] == 'C') {
      if ((after = next_field(&position)) == NULL) return used;
    } else if (kind[0] >= 'A' && kind[0] <= 'Z') {
      if (!handle_control(kind, &position)) return used;
      used = position;
      continue;
    } else {
      position = used;
    }
    size_t request_start = position;
    StartRequest request;
    if (!parse_start(input, input_length, &position, &request)) return used;
    if (after != NULL)
      chain(strtol(after, NULL, 10), input + request_start, position - request_start, &request);
    else
      start(&request);
    free_request(&request);
    used = position;
  }
}

/* Moves the report written from `line_start` on to `mark` (before the reports written in between). */
static void move_report(size_t mark, size_t line_start) {
  size_t length = reports_length - line_start;
  if (length == 0 || mark == line_start) return;
  char line[256];
  memcpy(line, reports + line_start, length);
  memmove(reports + mark + length, reports + mark, line_start - mark);
  memcpy(reports + mark, line, length);
}

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    long seq = forget_started(pid);
    size_t mark = reports_length;
    /* What waited for this end starts first; its report follows the end's. */
    if (seq >= 0) release(seq);
    size_t line_start = reports_length;
    if (WIFEXITED(status))
      report("X %d %d -\n", (int)pid, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
      report("X %d - %d\n", (int)pid, WTERMSIG(status));
    move_report(mark, line_start);
  }
}

/* True while the process that was started as `pid` at `start_time` has not ended. */
static int process_alive(pid_t pid, unsigned long long start_time) {
  char text[1024];
  char *state = stat_fields(pid, text, sizeof text);
  if (state == NULL || state[1] == '\0' || state[2] == 'Z') return 0;
  return start_time_of(pid) == start_time;
}

/* Another agent holds the workspace's lock (the one that started this helper may still be exiting). */
static int taken_over(void) {
  if (agent_lock == NULL) return 0;
  int fd = open(agent_lock, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  int held = fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK && lock.l_pid != agent_pid;
  close(fd);
  return held;
}

static int no_agent(void) {
  return !taken_over();
}

/*
 * The agent is gone but processes it watched still write: keep their logs within
 * their caps, once a second, until a new agent takes over or they have all ended.
 * Children that end are still reaped here.
 */
static int linger(int children) {
  lingering = 1;
  reports_length = 0;
  drop_chains();
  while (watched_count > 0 && !taken_over()) {
    struct pollfd child_events = {children, POLLIN, 0};
    if (poll(&child_events, 1, 1000) > 0) {
      struct signalfd_siginfo info;
      while (read(children, &info, sizeof info) == sizeof info) {
      }
      reap();
    }
    for (size_t index = 0; index < watched_count;) {
      Watched *entry = &watched_files[index];
      int alive = process_alive(entry->pid, entry->start_time);
      long long removed;
      if (rotate_log(entry->file, entry->max_bytes, entry->keep, -1, &removed, no_agent) < 0)
        fprintf(stderr, "taskwarden-spawner: rotating %s: %s\n", entry->file, strerror(errno));
      /* One last look after its process ended (what it wrote last), then the file is left alone. */
      if (alive)
        index++;
      else
        forget(entry->file);
    }
  }
  return 0;
}

static int rotate_once(const char *file, const char *max_bytes, const char *keep, const char *up_to) {
  char *end_max, *end_keep, *end_limit = "";
  long long max = strtoll(max_bytes, &end_max, 10);
  long keep_count = strtol(keep, &end_keep, 10);
  long long limit = up_to == NULL ? -1 : strtoll(up_to, &end_limit, 10);
  if (*end_max != '\0' || *end_keep != '\0' || *end_limit != '\0' || max <= 0 || keep_count < 0) {
    fprintf(stderr, "taskwarden-spawner: rotate: expected a byte count, a file count and an optional limit, got %s %s %s\n", max_bytes,
            keep, up_to == NULL ? "" : up_to);
    return EINVAL;
  }
  long long removed;
  int result = rotate_log(file, max, (int)keep_count, limit, &removed, NULL);
  if (result < 0) {
    int failure = errno;
    fprintf(stderr, "taskwarden-spawner: rotate %s: %s\n", file, strerror(failure));
    return failure;
  }
  if (result == ROTATED_EMPTIED)
    printf("all\n");
  else
    printf("%lld\n", removed);
  return 0;
}

/* Descriptors above 2 that were not opened close-on-exec came from whoever started us: none reaches a child. */
static void close_inherited(void) {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
#endif
  long last = sysconf(_SC_OPEN_MAX);
  for (long fd = 3; fd < (last > 0 && last < 65536 ? last : 65536); fd++) close((int)fd);
}

int main(int argc, char **argv) {
  if ((argc == 5 || argc == 6) && strcmp(argv[1], "rotate") == 0) return rotate_once(argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL);
  if (argc != 1) {
    fprintf(stderr, "usage: taskwarden-spawner (started by the Taskwarden agent)\n       taskwarden-spawner rotate FILE MAX_BYTES KEEP [UP_TO]\n");
    return EINVAL;
  }
  close_inherited();
  child_umask = umask(077);
  agent_pid = getppid();
  /* The agent decides when children stop; a Ctrl-C meant for it must not end the helper. */
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  /*
   * Orphans of what it started (a shell's child killed with its group) become
   * its children, reaped at once: left to PID 1 they stay zombies until it
   * reaps, which a container's init may do late or never, and a zombie still
   * counts as a member of the group a stop waits on.
   */
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  sigset_t child;
  sigemptyset(&child);
  sigaddset(&child, SIGCHLD);
  sigprocmask(SIG_BLOCK, &child, NULL);
  int children = signalfd(-1, &child, SFD_CLOEXEC | SFD_NONBLOCK);
  if (children < 0) {
    perror("taskwarden-spawner: signalfd");
    return 1;
  }
  input_capacity = 1 << 16;
  input = malloc(input_capacity);
  struct pollfd watched[2] = {{STDIN_FILENO, POLLIN, 0}, {children, POLLIN, 0}};
  for (;;) {
    flush_reports();
    if (poll(watched, 2, -1) < 0) {
      if (errno == EINTR) continue;
      perror("taskwarden-spawner: poll");
      return 1;
    }
    if (watched[1].revents & POLLIN) {
      struct signalfd_siginfo info;
      while (read(children, &info, sizeof info) == sizeof info) {
      }
      reap();
    }
    if (watched[0].revents & (POLLIN | POLLHUP)) {
      if (input_capacity - input_length < 4096) {
        input_capacity *= 2;
        input = realloc(input, input_capacity);
      }
      ssize_t n = read(STDIN_FILENO, input + input_length, input_capacity - input_length);
      if (n == 0) return linger(children);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return linger(children);
      }
      input_length += (size_t)n;
      size_t used = handle_requests();
      memmove(input, input + used, input_length - used);
      input_length -= used;
    }
  }
}
