/*
 * Log rotation by whole lines while a process appends to the file.
 *
 * A supervised process holds an O_APPEND descriptor of its log file, so the file
 * cannot be switched under it: rotation copies whole lines from the front of the
 * file into FILE.1 … FILE.keep and then removes them from the front in place with
 * fallocate(FALLOC_FL_COLLAPSE_RANGE), which the kernel serialises with appends,
 * so what the process writes meanwhile stays in the file and nothing is lost.
 *
 * COLLAPSE_RANGE only removes whole blocks. The cut is chosen at a line end, and
 * the few bytes between the last whole block and that line end (already copied)
 * stay at the head of the file: they are overwritten with one line, the marker
 * "[taskwarden] older lines were rotated out (base N)" padded with spaces, that
 * readers recognise and skip. N is how many bytes have left the front of the file
 * since it was created, so a byte at offset o of the file is byte N + o of
 * everything the process wrote there: a position that survives rotations (a
 * follower that lost its agent resumes from it). The cut is moved to the line end
 * that keeps the marker short (within the last two blocks of the copied lines).
 *
 * The lines over the cap are split into pieces of at most max_bytes (a line
 * longer than that is a piece of its own), so a burst becomes several rotated
 * files, of which the newest `keep` are kept. Only a line longer than max_bytes
 * that has not ended is cut inside (at a block boundary), or the file would grow
 * without bound.
 *
 * Order, for a crash at any point: the rotated files are written under temporary
 * names, then renamed into place, and only then is the front collapsed. A crash in
 * between leaves lines in both places (shown twice), never in neither.
 *
 * Where COLLAPSE_RANGE is not supported (anything but ext4 and xfs: tmpfs,
 * btrfs…) rotation copies every line and truncates the file: a line written in the
 * moment between the last copy and the truncate can be lost, the cut can fall
 * inside a line, and the base starts again at 0.
 *
 * Two rotators of one file (the agent, and a helper that outlived its agent) take
 * turns under the file's flock.
 */
#define _GNU_SOURCE
#include "rotate.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/falloc.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define CHUNK (1 << 20)

typedef struct {
  off_t start, end;
} Piece;

typedef struct {
  Piece *items;
  size_t count, capacity;
} Pieces;

static int push(Pieces *pieces, off_t start, off_t end) {
  if (end <= start) return 0;
  if (pieces->count == pieces->capacity) {
    size_t capacity = pieces->capacity == 0 ? 16 : pieces->capacity * 2;
    Piece *items = realloc(pieces->items, capacity * sizeof *items);
    if (items == NULL) return -1;
    pieces->items = items;
    pieces->capacity = capacity;
  }
  pieces->items[pieces->count++] = (Piece){start, end};
  return 0;
}

static int digits(unsigned long long value) {
  int count = 1;
  while (value >= 10) {
    value /= 10;
    count++;
  }
  return count;
}

/* The length of the marker line that records `base` (its shortest form). */
static off_t marker_length(unsigned long long base) {
  return (off_t)(strlen(ROTATION_MARKER_PREFIX) + (size_t)digits(base) + strlen(ROTATION_MARKER_SUFFIX) + 1);
}

/* Writes the marker for `base`, padded with spaces to `length` bytes, at the start of the file. */
static int write_marker(int fd, unsigned long long base, off_t length) {
  char *line = malloc((size_t)length);
  if (line == NULL) return -1;
  int text = snprintf(line, (size_t)length, "%s%llu%s", ROTATION_MARKER_PREFIX, base, ROTATION_MARKER_SUFFIX);
  memset(line + text, ' ', (size_t)(length - text - 1));
  line[length - 1] = '\n';
  ssize_t written = pwrite(fd, line, (size_t)length, 0);
  free(line);
  return written == length ? 0 : -1;
}

/* The length of the marker line at the start of the file (0: none), and the base it records. */
static off_t marker_at_head(int fd, off_t size, off_t block, unsigned long long *base) {
  *base = 0;
  size_t limit = (size_t)(size < 2 * block + 1 ? size : 2 * block + 1);
  size_t prefix = strlen(ROTATION_MARKER_PREFIX);
  if (limit < prefix) return 0;
  char *head = malloc(limit);
  if (head == NULL) return 0;
  off_t length = 0;
  ssize_t got = pread(fd, head, limit, 0);
  if (got >= (ssize_t)prefix && memcmp(head, ROTATION_MARKER_PREFIX, prefix) == 0) {
    size_t index = prefix;
    unsigned long long value = 0;
    while (index < (size_t)got && head[index] >= '0' && head[index] <= '9') value = value * 10 + (unsigned)(head[index++] - '0');
    if (index < (size_t)got && head[index] == ')') {
      index++;
      while (index < (size_t)got && head[index] == ' ') index++;
      if (index < (size_t)got && head[index] == '\n') {
        length = (off_t)index + 1;
        *base = value;
      }
    }
  }
  free(head);
  return length;
}

/*
 * Splits the whole lines of [from, to) into pieces of at most max_bytes, from the
 * front; a piece is closed when the next line would not fit. The closed pieces go
 * to `pieces`; *open_start is where the last, unclosed piece starts and
 * *last_line_end where the last whole line ends.
 */
static int plan_pieces(int fd, off_t from, off_t to, long long max_bytes, Pieces *pieces, off_t *open_start, off_t *last_line_end) {
  char *buffer = malloc(CHUNK);
  if (buffer == NULL) return -1;
  off_t piece_start = from, last = from, position = from;
  while (position < to) {
    size_t want = (size_t)(to - position < CHUNK ? to - position : CHUNK);
    ssize_t got = pread(fd, buffer, want, position);
    if (got <= 0) break;
    for (char *cursor = buffer; (cursor = memchr(cursor, '\n', (size_t)(buffer + got - cursor))) != NULL; cursor++) {
      off_t end = position + (cursor - buffer) + 1;
      if (end - piece_start > max_bytes && last > piece_start) {
        if (push(pieces, piece_start, last) < 0) goto fail;
        piece_start = last;
      }
      if (end - piece_start > max_bytes) {
        if (push(pieces, piece_start, end) < 0) goto fail;
        piece_start = end;
      }
      last = end;
    }
    position += got;
  }
  free(buffer);
  *open_start = piece_start;
  *last_line_end = last;
  return 0;
fail:
  free(buffer);
  return -1;
}

/* The first line end c (byte c-1 is '\n') with lo <= c <= hi and c > after; -1 if none. */
static off_t first_line_end(int fd, off_t lo, off_t hi, off_t after) {
  if (lo <= after) lo = after + 1;
  if (lo < 1) lo = 1;
  if (lo > hi) return -1;
  size_t length = (size_t)(hi - lo + 1);
  char *bytes = malloc(length);
  if (bytes == NULL) return -1;
  ssize_t got = pread(fd, bytes, length, lo - 1);
  char *newline = got > 0 ? memchr(bytes, '\n', (size_t)got) : NULL;
  off_t found = newline == NULL ? -1 : lo + (newline - bytes);
  free(bytes);
  return found;
}

/* In the block at `block`: a line end exactly there, else the first one that leaves room for the marker; -1 if none. */
static off_t cut_in_block(int fd, off_t block, off_t end, off_t after, off_t room) {
  off_t cut = first_line_end(fd, block, end, after);
  if (cut < 0 || cut == block || cut - block >= room) return cut;
  return first_line_end(fd, block + room, end, after);
}

/* Copies bytes [from, to) of fd to `path` (created with `mode`, or appended to). */
static int copy_out(int fd, off_t from, off_t to, const char *path, int append, mode_t mode) {
  int out = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), mode);
  if (out < 0) return -1;
  char *buffer = malloc(CHUNK);
  int result = buffer == NULL ? -1 : 0;
  for (off_t position = from; result == 0 && position < to;) {
    size_t want = (size_t)(to - position < CHUNK ? to - position : CHUNK);
    ssize_t got = pread(fd, buffer, want, position);
    if (got <= 0) break;
    for (ssize_t done = 0; done < got;) {
      ssize_t written = write(out, buffer + done, (size_t)(got - done));
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) {
        result = -1;
        break;
      }
      done += written;
    }
    position += got;
  }
  free(buffer);
  if (close(out) < 0) result = -1;
  return result;
}

/* Writes the newest `keep` pieces as FILE.1 (newest) …, shifting the older rotated files up and dropping those past keep. */
static int write_rotated(const char *file, int fd, const Pieces *pieces, int keep, mode_t mode) {
  char path[PATH_MAX], target[PATH_MAX];
  size_t kept = pieces->count < (size_t)keep ? pieces->count : (size_t)keep;
  /* Leftovers of an interrupted rotation. */
  for (int index = 1;; index++) {
    snprintf(path, sizeof path, "%s.rotating.%d", file, index);
    if (unlink(path) < 0) break;
  }
  for (size_t index = 0; index < kept; index++) {
    const Piece *piece = &pieces->items[pieces->count - 1 - index];
    snprintf(path, sizeof path, "%s.rotating.%zu", file, index + 1);
    if (copy_out(fd, piece->start, piece->end, path, 0, mode) < 0) return -1;
  }
  /* Rotated files past `keep` (it was lowered) go. */
  for (int index = keep + 1;; index++) {
    snprintf(path, sizeof path, "%s.%d", file, index);
    if (unlink(path) < 0) break;
  }
  for (int index = keep; index >= 1; index--) {
    snprintf(path, sizeof path, "%s.%d", file, index);
    if ((size_t)index + kept > (size_t)keep) {
      unlink(path);
    } else {
      snprintf(target, sizeof target, "%s.%zu", file, (size_t)index + kept);
      if (rename(path, target) < 0 && errno != ENOENT) return -1;
    }
  }
  for (size_t index = 1; index <= kept; index++) {
    snprintf(path, sizeof path, "%s.rotating.%zu", file, index);
    snprintf(target, sizeof target, "%s.%zu", file, index);
    if (rename(path, target) < 0) return -1;
  }
  return 0;
}

/* Without COLLAPSE_RANGE: what arrived since `from` joins the newest rotated file, then the file is emptied. */
static int empty_file(const char *file, int fd, off_t from, int keep, mode_t mode) {
  struct stat now;
  if (fstat(fd, &now) < 0) return -1;
  if (keep > 0 && now.st_size > from) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s.1", file);
    if (copy_out(fd, from, now.st_size, path, 1, mode) < 0) return -1;
  }
  return ftruncate(fd, 0);
}

static int collapse_supported(int fd) {
  struct statfs info;
  if (fstatfs(fd, &info) < 0) return 0;
  return info.f_type == EXT4_SUPER_MAGIC || info.f_type == XFS_SUPER_MAGIC;
}

int rotate_log(const char *file, long long max_bytes, int keep, long long limit, long long *removed, int (*proceed)(void)) {
  *removed = 0;
  int fd = open(file, O_RDWR | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? ROTATED_NOTHING : -1;
  int result = ROTATED_NOTHING;
  Pieces pieces = {NULL, 0, 0};
  struct stat info;
  if (flock(fd, LOCK_EX) < 0 || fstat(fd, &info) < 0) {
    result = -1;
    goto done;
  }
  if (info.st_size <= max_bytes || (proceed != NULL && !proceed())) goto done;
  /* Only what the agent's followers have read may go (limit); what came after waits for the next rotation. */
  off_t size = limit >= 0 && limit < info.st_size ? limit : info.st_size;
  off_t block = info.st_blksize > 0 ? info.st_blksize : 4096;
  mode_t mode = info.st_mode & 0777;
  unsigned long long base;
  off_t head = marker_at_head(fd, size, block, &base);
  if (size - head <= max_bytes) goto done;
  off_t open_start, last_line_end;
  if (plan_pieces(fd, head, size, max_bytes, &pieces, &open_start, &last_line_end) < 0) {
    result = -1;
    goto done;
  }

  if (!collapse_supported(fd)) {
    /* Copy everything, truncate: the unclosed piece goes too, with the line being written (in pieces if longer than the cap). */
    if (size - open_start <= max_bytes) {
      if (push(&pieces, open_start, size) < 0) goto fail;
    } else {
      if (push(&pieces, open_start, last_line_end) < 0) goto fail;
      for (off_t start = last_line_end; start < size; start += max_bytes)
        if (push(&pieces, start, start + max_bytes < size ? start + max_bytes : size) < 0) goto fail;
    }
    if (keep > 0 && write_rotated(file, fd, &pieces, keep, mode) < 0) goto fail;
    if (empty_file(file, fd, size, keep, mode) < 0) goto fail;
    result = ROTATED_EMPTIED;
    goto done;
  }

  off_t cut, collapse, marker = 0;
  off_t forced = (size - 1) / block * block;
  if (size - last_line_end > max_bytes && forced > last_line_end) {
    /* A line longer than the cap has not ended: cut inside it, at a block boundary (no marker). */
    if (push(&pieces, open_start, last_line_end) < 0) goto fail;
    for (off_t start = last_line_end; start < forced; start += max_bytes)
      if (push(&pieces, start, start + max_bytes < forced ? start + max_bytes : forced) < 0) goto fail;
    cut = collapse = forced;
  } else {
    if (pieces.count == 0) goto done;
    Piece *last = &pieces.items[pieces.count - 1];
    off_t room = marker_length(base + (unsigned long long)last->end);
    collapse = last->end / block * block;
    /* COLLAPSE_RANGE must leave at least one byte of the file. */
    if (collapse >= info.st_size) collapse -= block;
    cut = collapse == last->end ? last->end : cut_in_block(fd, collapse, last->end, last->start, room);
    if (cut < 0) {
      collapse -= block;
      cut = collapse > 0 ? cut_in_block(fd, collapse, last->end, last->start, room) : -1;
    }
    /* Less than a block of whole lines to remove (a cap below the block size): wait until there is one. */
    if (collapse <= 0 || cut < 0) goto done;
    last->end = cut;
    marker = cut - collapse;
  }

  if (keep > 0 && write_rotated(file, fd, &pieces, keep, mode) < 0) goto fail;
  if (collapse > 0 && fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, collapse) < 0) {
    if (errno != EOPNOTSUPP && errno != EINVAL) goto fail;
    /* Not on this file after all (ext4 without extents): what was not copied yet joins .1, then truncate. */
    if (empty_file(file, fd, cut, keep, mode) < 0) goto fail;
    result = ROTATED_EMPTIED;
    goto done;
  }
  if (marker > 0 && write_marker(fd, base + (unsigned long long)collapse, marker) < 0) goto fail;
  *removed = collapse;
  result = ROTATED_COLLAPSED;
  goto done;
fail:
  result = -1;
done:;
  int saved = errno;
  free(pieces.items);
  close(fd);
  errno = saved;
  return result;
}
