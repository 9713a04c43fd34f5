"""A process group's runner for Python tasklets (the seed's own language).

`python3 groupRunner.py WORKSPACE GROUP SOCKET PROTOCOL_VERSION`, started by the
agent as a supervised run. It speaks the same protocol as the JavaScript runner
(agent/groups/runner/): JSON-RPC with Content-Length framing over the agent's
socket (hello, loaded, roundStarted, roundsEnded, hung; setup, runRound, report
and params notifications), with the same semantics: every `.py` file of the group
folder with `def main(params, ctx)`, optional `def match(params, ctx)`,
`priority = N` (else a leading `N_` of the file name, else 1; higher first,
ties by file name) and `description`; params shared along the chain and kept
across rounds; `params["break"]` ends a round; a tasklet that raises is
recorded; one that passes its time limit is caught by a watchdog thread, which
reports it and kills the runner (the agent restarts it with the params back).
A round's results are reported packed (agent/protocol/packedRound.ts), the
names and params only when they differ from the previous report's; while the
setup's `holdMs` is not 0, a round without news (roundNews.ts: same outcomes,
no error, same tasklets and params) is held and sent with the next ones, and
sent reports are kept KEEP_SENT seconds for an agent that dies before storing
them (agentLink.ts). Standard library only.
"""
import importlib.util
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import traceback

GRACE = 1.0
RETRY = 0.5
MAX_PENDING = 100
MAX_HELD = 50  # held reports sent as soon as there are this many (rounds faster than the hold)
KEEP_SENT = 10.0
OUTCOMES = ["ok", "error", "timeout", "not-matched", "skipped", "running"]


def pack(results, started):
    """The results as packedRound.ts has them: three cells each (state code, main's start - the round's, duration), errors aside."""
    cells, errors = [], []
    for at, result in enumerate(results):
        matched = result["matched"]
        code = OUTCOMES.index(result["outcome"]) * 3 + (0 if matched is None else 2 if matched else 1)
        cells += [code, None if result["startedAt"] is None else result["startedAt"] - started, result["durationMs"]]
        if result["error"] is not None:
            errors.append(dict(result["error"], at=at))
    return {"cells": cells, "errors": errors}


def is_news(previous, report):
    """Whether a round tells something the one before did not (agent/groups/runner/roundNews.ts)."""
    if previous is None or report["results"]["errors"]:
        return True
    if (report["endedBy"], report["paramsText"], report["names"]) != (previous["endedBy"], previous["paramsText"], previous["names"]):
        return True
    return report["results"]["cells"][0::3] != previous["results"]["cells"][0::3]


def now_ms():
    return int(time.time() * 1000)


class Connection:
    def __init__(self, path, version, client):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buffer = b""
        self.next_id = 1
        self.notifications = []
        self.request("taskwarden/agent/handshake", {"protocolVersion": version, "client": client})

    def send(self, message):
        body = json.dumps(dict(message, jsonrpc="2.0")).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def read(self, timeout=None):
        self.sock.settimeout(timeout)
        while True:
            header_end = self.buffer.find(b"\r\n\r\n")
            if header_end >= 0:
                headers = self.buffer[:header_end].decode()
                length = int(re.search(r"Content-Length: *(\d+)", headers, re.I).group(1))
                start = header_end + 4
                if len(self.buffer) >= start + length:
                    body = self.buffer[start:start + length]
                    self.buffer = self.buffer[start + length:]
                    return json.loads(body)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                raise ConnectionError("the agent closed the connection")
            self.buffer += chunk

    def request(self, method, params):
        ident = self.next_id
        self.next_id += 1
        self.send({"id": ident, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == ident and "method" not in message:
                if "error" in message:
                    raise RuntimeError(message["error"].get("message", "request failed"))
                return message.get("result")
            if "method" in message and "id" not in message:
                self.notifications.append(message)

    def notify(self, method, params):
        """A notification: no id, no answer (the round reports, as the JavaScript runner sends them)."""
        self.send({"method": method, "params": params})


class AgentApi:
    """ctx.agent: daemon status and control over the runner's connection."""

    def __init__(self, runner):
        self.runner = runner

    def request(self, method, params):
        if self.runner.conn is None:
            raise RuntimeError("the agent is not reachable right now (it may be restarting)")
        return self.runner.conn.request(method, params)

    def daemon_status(self, name):
        listing = self.request("taskwarden/daemons/list", {})
        task, _, instance = name.partition(":")
        for daemon in listing["tasks"]:
            if daemon["name"] == task:
                return [i for i in daemon["instances"] if not instance or i["id"] == name]
        return []

    def is_running(self, name):
        return any(i["state"] == "running" for i in self.daemon_status(name))

    def start(self, name):
        return self.request("taskwarden/daemons/start", {"name": name})

    def stop(self, name):
        return self.request("taskwarden/daemons/stop", {"name": name})

    def restart(self, name):
        return self.request("taskwarden/daemons/restart", {"name": name})


class Context:
    def __init__(self, runner, name, round_number):
        self.lastRun = self.last_run = runner.last_runs.get(name, 0)
        self.round = round_number
        self.group = runner.group
        self.agent = runner.agent
        self._name = name

    def log(self, *values):
        sys.stdout.write("[%s] %s\n" % (self._name, " ".join(v if isinstance(v, str) else json.dumps(v) for v in values)))
        sys.stdout.flush()


def problem(file, line, message):
    return {"file": file, "line": line, "column": 1, "endLine": line, "endColumn": 1, "severity": "error", "message": message}


def def_line(source, name):
    for index, line in enumerate(source.split("\n")):
        if re.match(r"\s*(async\s+)?def\s+%s\s*\(" % name, line) or re.match(r"\s*%s\s*=" % name, line):
            return index + 1
    return None


def error_of(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    stack = ['at %s (%s:%d)' % (f.name, f.filename, f.lineno) for f in reversed(frames) if not f.filename.endswith("groupRunner.py")]
    return {"message": "%s: %s" % (type(exc).__name__, exc) if str(exc) else type(exc).__name__, "stack": stack[:4]}


class Runner:
    def __init__(self, workspace, group, socket_path, version):
        self.workspace, self.group, self.socket_path, self.version = workspace, group, socket_path, version
        self.conn = None
        self.setup = None
        self.params = {}
        self.last_runs = {}
        self.tasklets = []
        self.fingerprint = None
        self.ran_rounds = False
        self.last_start = None
        self.last_end = None
        self.run_now = False
        self.unsent = []  # round reports not sent yet: held (holdMs) or waiting for the agent
        self.sent = []  # (time sent, report) of the last KEEP_SENT seconds
        self.hold_since = None
        self.last_report = None
        self.sent_names, self.sent_params = None, None
        self.agent = AgentApi(self)
        self.slot = [None, 0, 0, 0]  # name, started at, round, limit: read by the watchdog thread
        threading.Thread(target=self.watchdog, daemon=True).start()

    def note(self, line):
        sys.stdout.write("[runner] %s\n" % line)
        sys.stdout.flush()

    # ---- the agent ----
    def connect(self):
        try:
            conn = Connection(self.socket_path, self.version, "group-runner-python")
            hello = conn.request("taskwarden/groups/runner/hello", {"group": self.group, "pid": os.getpid(), "reconnect": self.ran_rounds})
        except (OSError, ConnectionError) as exc:
            return False
        except RuntimeError as exc:
            self.note("the agent refused this runner: %s" % exc)
            sys.exit(1)
        self.conn = conn
        self.sent_names, self.sent_params = None, None
        again = [report for _, report in self.sent if report["round"] > hello.get("recordedRound", 0)]
        self.sent = []
        self.unsent = (again + self.unsent)[-MAX_PENDING:]
        if hello.get("params") is not None:
            self.params = hello["params"]
        for name, at in hello["setup"]["lastRuns"].items():
            self.last_runs[name] = max(at, self.last_runs.get(name, 0))
        self.configure(hello["setup"])
        self.load(force=True)
        self.send_unsent()
        return True

    def compact(self, report):
        """A round's end, leaving out the names and params the previous report on this connection carried."""
        ended = dict(report)
        names, params = ended.pop("names"), ended.pop("paramsText")
        if names != self.sent_names:
            ended["names"] = names
        if params != self.sent_params:
            ended["params"] = json.loads(params)
        self.sent_names, self.sent_params = names, params
        return ended

    def send_unsent(self, even_none=False):
        """The unsent round reports in one message (`even_none`: also none, the agent asked)."""
        self.hold_since = None
        if self.conn is None or (not self.unsent and not even_none):
            return
        reports, self.unsent = self.unsent, []
        self.report("taskwarden/groups/runner/roundsEnded", {"group": self.group, "rounds": [self.compact(r) for r in reports]})
        now = time.monotonic()
        self.sent = [(at, r) for at, r in self.sent if now - at < KEEP_SENT] + [(now, r) for r in reports]
        self.sent = self.sent[-MAX_PENDING:]

    def hold_due_in(self):
        """Seconds until the held reports go (None: none held)."""
        if self.hold_since is None:
            return None
        return max(0, self.hold_since + self.setup.get("holdMs", 0) / 1000 - time.monotonic())

    def report(self, method, params, answered=False):
        """Sends a report; `answered` ones (loaded) are requests whose answer is read, the round reports notifications."""
        if self.conn is None:
            return
        try:
            if answered:
                self.conn.request(method, params)
            else:
                self.conn.notify(method, params)
        except (OSError, ConnectionError):
            self.conn = None

    def configure(self, setup):
        previous = self.setup
        if previous is not None:
            setup = dict(setup, nextRound=max(setup["nextRound"], previous["nextRound"]))
            if previous["active"] != setup["active"]:
                self.note("started" if setup["active"] else "stopped: no more rounds until started")
                if setup["active"]:
                    self.run_now = True
        self.setup = setup
        if setup.get("holdMs", 0) == 0:
            self.send_unsent()

    def handle(self, message):
        method, params = message.get("method"), message.get("params") or {}
        if method == "taskwarden/groups/runner/setup":
            self.configure(params)
        elif method == "taskwarden/groups/runner/runRound":
            self.run_now = True
        elif method == "taskwarden/groups/runner/report":
            self.send_unsent(even_none=True)
        elif method == "taskwarden/groups/runner/params":
            self.params = params["params"]
            self.sent_params = None
            self.note("params reloaded from %s" % params["file"])

    # ---- tasklets ----
    def files(self):
        folder = self.setup["folder"]
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(".py") and not n.startswith((".", "_")))
        except OSError:
            return []
        return [(n, os.path.join(folder, n)) for n in names]

    def load(self, force=False):
        marks = []
        for name, file in self.files():
            try:
                st = os.stat(file)
                marks.append("%s:%d:%f" % (name, st.st_size, st.st_mtime))
            except OSError:
                pass
        fingerprint = "|".join(marks)
        if fingerprint == self.fingerprint and not force:
            return
        reload = self.fingerprint is not None
        self.fingerprint = fingerprint
        loaded, problems = [], []
        for name, file in self.files():
            try:
                source = open(file).read()
                spec = importlib.util.spec_from_file_location("tasklet_%s_%d" % (re.sub(r"\W", "_", name[:-3]), now_ms()), file)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            except Exception as exc:  # a tasklet that does not load is reported and skipped
                line = getattr(exc, "lineno", None) or 1
                problems.append(problem(file, line, "%s: %s" % (type(exc).__name__, exc)))
                continue
            main = getattr(module, "main", None)
            if not callable(main):
                problems.append(problem(file, 1, "%s has no main(params, ctx): skipped" % name))
                continue
            prefix = re.match(r"^(\d+)_", name)
            fallback, source_kind = (int(prefix.group(1)), "file name") if prefix else (1, "default")
            priority = getattr(module, "priority", None)
            if priority is None:
                priority = fallback
            elif isinstance(priority, bool) or not isinstance(priority, (int, float)):
                problems.append(problem(file, def_line(source, "priority") or 1, "priority must be a number (found %r); using %d" % (priority, fallback)))
                priority = fallback
            else:
                source_kind = "export"
            match = getattr(module, "match", None)
            description = getattr(module, "description", None)
            loaded.append({
                "info": {"name": name, "file": file, "priority": priority, "prioritySource": source_kind,
                         "description": description if isinstance(description, str) else None,
                         "mainLine": def_line(source, "main"), "hasMatch": callable(match)},
                "main": main, "match": match if callable(match) else None,
            })
        loaded.sort(key=lambda t: (-t["info"]["priority"], t["info"]["name"]))
        self.tasklets = loaded
        if reload:
            self.note("tasklets reloaded: %s" % (", ".join(t["info"]["name"] for t in loaded) or "none"))
        self.report("taskwarden/groups/runner/loaded", {"group": self.group, "tasklets": [t["info"] for t in loaded], "problems": problems}, answered=True)

    # ---- rounds ----
    def run_round(self, asked=False):
        setup = self.setup
        self.load()
        number = setup["nextRound"]
        self.setup = dict(setup, nextRound=number + 1)
        self.ran_rounds = True
        started = now_ms()
        self.last_start, self.last_end = started, None
        self.report("taskwarden/groups/runner/roundStarted", {"group": self.group, "round": number, "startedAt": started})
        self.params.pop("break", None)
        results, broke = [], False
        for tasklet in self.tasklets:
            name = tasklet["info"]["name"]
            if broke:
                results.append({"name": name, "outcome": "skipped", "matched": None, "startedAt": None, "durationMs": 0, "error": None})
                continue
            results.append(self.run_tasklet(tasklet, name, number, setup["timeLimitMs"]))
            if self.params.get("break"):
                broke = True
        ended = now_ms()
        self.last_end = ended
        self.params.pop("break", None)
        report = {"group": self.group, "round": number, "startedAt": started, "endedAt": ended,
                  "endedBy": "break" if broke else "done", "names": [r["name"] for r in results],
                  "results": pack(results, started), "paramsText": json.dumps(self.params)}
        news = asked or is_news(self.last_report, report)
        self.last_report = report
        self.unsent = (self.unsent + [report])[-MAX_PENDING:]
        if news or self.setup.get("holdMs", 0) == 0 or len(self.unsent) >= MAX_HELD:
            self.send_unsent()
        elif self.hold_since is None:
            self.hold_since = time.monotonic()

    def run_tasklet(self, tasklet, name, number, limit):
        begin = now_ms()
        ctx = Context(self, name, number)
        matched, main_start = None, None
        self.slot = [name, begin, number, limit]
        try:
            if tasklet["match"] is not None:
                matched = bool(tasklet["match"](self.params, ctx))
                if not matched:
                    return {"name": name, "outcome": "not-matched", "matched": False, "startedAt": None, "durationMs": now_ms() - begin, "error": None}
            else:
                matched = True
            main_start = now_ms()
            self.last_runs[name] = main_start
            tasklet["main"](self.params, ctx)
            outcome = "ok" if now_ms() - begin <= limit else "timeout"
            error = None if outcome == "ok" else {"message": "main did not finish within its time limit (%g s)" % (limit / 1000), "stack": []}
            return {"name": name, "outcome": outcome, "matched": matched, "startedAt": main_start, "durationMs": now_ms() - begin, "error": error}
        except Exception as exc:
            sys.stderr.write("[%s] error: %s\n" % (name, exc))
            return {"name": name, "outcome": "error", "matched": matched if main_start else None, "startedAt": main_start,
                    "durationMs": now_ms() - begin, "error": error_of(exc)}
        finally:
            self.slot = [None, 0, 0, 0]

    def watchdog(self):
        while True:
            time.sleep(0.2)
            name, started, number, limit = self.slot
            if name is None or now_ms() - started < limit + GRACE * 1000:
                continue
            sys.stderr.write("[watchdog] %s did not return within its time limit (%g s): restarting the runner\n" % (name, limit / 1000))
            sys.stderr.flush()
            try:
                conn = Connection(self.socket_path, self.version, "group-watchdog-python")
                # The rounds before this one that the runner held, with their names and params (a fresh connection).
                held = [dict({k: v for k, v in r.items() if k != "paramsText"}, params=json.loads(r["paramsText"])) for r in list(self.unsent)]
                if held:
                    conn.notify("taskwarden/groups/runner/roundsEnded", {"group": self.group, "rounds": held})
                conn.request("taskwarden/groups/runner/hung", {"group": self.group, "round": number, "name": name, "startedAt": started, "results": []})
            except Exception:
                pass
            os.kill(os.getpid(), signal.SIGKILL)

    def due_in(self):
        if self.run_now:
            return 0
        if not self.setup["active"]:
            return None
        if self.last_start is None:
            return 0
        due = max(self.last_start + self.setup["intervalMs"], self.last_end or 0)
        return max(0, due - now_ms()) / 1000

    def loop(self):
        while True:
            if self.conn is None:
                if not self.connect():
                    time.sleep(RETRY)
                    if self.setup is None:
                        continue
            if self.setup is None:
                continue
            wait = self.due_in()
            if wait == 0:
                asked, self.run_now = self.run_now, False
                self.run_round(asked)
                continue
            held = self.hold_due_in()
            if held == 0:
                self.send_unsent()
                continue
            if held is not None:
                wait = held if wait is None else min(wait, held)
            if self.conn is None:
                time.sleep(min(wait if wait is not None else RETRY, RETRY))
                continue
            try:
                while self.conn.notifications:
                    self.handle(self.conn.notifications.pop(0))
                message = self.conn.read(timeout=wait if wait is not None else 1.0)
            except (OSError, ConnectionError):
                self.note("lost the agent; rounds go on, reports wait for it")
                self.conn = None
                continue
            if message is not None and "method" in message:
                if "id" in message:
                    self.conn.send({"id": message["id"], "error": {"code": -32601, "message": "not handled by a runner"}})
                else:
                    self.handle(message)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.stderr.write("usage: groupRunner.py WORKSPACE GROUP SOCKET PROTOCOL_VERSION\n")
        sys.exit(2)
    runner = Runner(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))

    def stop(signum, frame):
        """A stop (the agent's SIGTERM) sends the held round reports first."""
        runner.send_unsent()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    runner.loop()
