#!/usr/bin/env python3
"""partyclaw benchmark harness, driven by scripts/bench (see docs/benchmarks.md for what it measures and why).

Everything runs through the real entry points: the launcher scripts/partyclaw, its command_line channel on
stdin/stdout and, when the build has it, the Telegram channel against the in-repo fake Bot API. The model is
bench/fake_llm.py, instant unless told otherwise. Every process listens on 127.0.0.1 only, every loop is bounded
in count and time, and every process started here is killed on exit.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import socket
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(REPO, "scripts", "partyclaw")
TICK = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024


class BenchError(Exception):
    """A step could not be measured; the figure is reported as not measured with this reason."""


# ---------------------------------------------------------------------------------------------------------------
# time budget and process bookkeeping


class Budget:
    """The whole run's deadline: every wait is cut to what is left, so the benchmark always stops by itself."""

    def __init__(self, minutes):
        self.deadline = time.monotonic() + minutes * 60

    def left(self):
        return self.deadline - time.monotonic()

    def cap(self, seconds):
        left = self.left()
        if left <= 0:
            raise BenchError("the benchmark's time budget (--max-minutes) ran out")
        return min(seconds, left)


class Processes:
    """Every child started here, so that exit, Ctrl-C and the shell's trap can kill exactly those."""

    def __init__(self, pidfile):
        self.pidfile = pidfile
        self.children = []
        self.lock = threading.Lock()

    def add(self, popen):
        with self.lock:
            self.children.append(popen)
            with open(self.pidfile, "a") as f:
                f.write("%d\n" % popen.pid)
        return popen

    def kill_all(self):
        with self.lock:
            for p in self.children:
                if p.poll() is None:
                    try:
                        p.kill()
                    except OSError:
                        pass
            for p in self.children:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass


def proc_cpu_seconds(pid):
    """utime + stime of the process (all its threads) from /proc/<pid>/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def proc_cpu_with_children_seconds(pid):
    """utime + stime + the waited-for children's (e.g. the launcher's class-data training before its exec)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / TICK


def proc_rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise BenchError("no VmRSS for pid %d" % pid)


def proc_threads(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


def machine_cpu_seconds():
    """Busy CPU time of the whole machine (all cores), to tell how much else ran during a measurement."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / TICK


def loopback_env(extra=None):
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.update(extra or {})
    return env


# ---------------------------------------------------------------------------------------------------------------
# HTTP helpers (loopback only)


class Http:
    """One keep-alive connection to a 127.0.0.1 server; reconnects once when the server closed it."""

    def __init__(self, base_url, timeout=30):
        url = urllib.parse.urlparse(base_url)
        if url.hostname != "127.0.0.1":
            raise BenchError("refusing a non-loopback address: " + base_url)
        self.host, self.port, self.timeout = url.hostname, url.port, timeout
        self.conn = None

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data is not None else {}
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                if response.status >= 400:
                    raise BenchError("%s %s answered %d: %s" % (method, path, response.status, payload[:300]))
                return json.loads(payload) if payload else None
            except (http.client.HTTPException, ConnectionError, OSError):
                self.close()
                if attempt == 2:
                    raise
        return None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# ---------------------------------------------------------------------------------------------------------------
# the fakes


def read_ready_line(popen, what, budget, timeout=60):
    """Fakes print 'READY <url>' once bound; anything else first (or an exit) is a failure to start."""
    box = {}

    def read():
        for raw in popen.stdout:
            line = raw.decode(errors="replace").strip()
            if line.startswith("READY "):
                box["url"] = line.split(" ", 1)[1]
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(budget.cap(timeout))
    if "url" not in box:
        raise BenchError("%s did not print READY within %d s" % (what, timeout))
    return box["url"]


class FakeLlm:
    def __init__(self, bench):
        with open(os.path.join(bench.root, "fake_llm.log"), "w") as log:
            self.popen = bench.procs.add(subprocess.Popen(
                [sys.executable, "-B", os.path.join(REPO, "bench", "fake_llm.py"), "--port", "0",
                 "--max-seconds", str(int(bench.budget.left()) + 120)],
                stdout=subprocess.PIPE, stderr=log, env=loopback_env()))
        self.base_url = read_ready_line(self.popen, "bench/fake_llm.py", bench.budget, 30)
        self.http = Http(self.base_url)
        self.seen = 0

    def control(self, **settings):
        self.http.request("POST", "/_control", settings)

    def new_requests(self):
        """Requests recorded since the last call: [arrived, answered, bytes, last user text]."""
        out = []
        for _ in range(1000):
            chunk = self.http.request("GET", "/_control/requests?since=%d" % self.seen)
            self.seen = chunk["next"]
            out.extend(chunk["requests"])
            if not chunk["requests"]:
                break
        return out


class FakeTelegram:
    """testkit's FakeTelegramServerMain in its own JVM, scripted over its /_control HTTP API."""

    TOKEN = "123456:bench-token-not-a-secret"

    def __init__(self, bench):
        classpath = bench.testkit_classpath()
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
        # C1 only: it shares the two cores with the daemon, and C2 doubled its CPU during the runs
        with open(os.path.join(bench.root, "fake_telegram.log"), "w") as log:
            self.popen = bench.procs.add(subprocess.Popen(
                [java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                 "partyclaw.testkit.FakeTelegramServerMain", "--token", self.TOKEN, "--port", "0"],
                stdout=subprocess.PIPE, stderr=log, env=loopback_env()))
        self.base_url = read_ready_line(self.popen, "FakeTelegramServerMain", bench.budget, 60)
        self.http = Http(self.base_url)

        self.cursor = 0  # position in the fake's feed of sent and edited messages
        self.seen = {}  # chat -> every text it showed (sent or edited to)

    def inject(self, chat_id, text):
        return self.http.request("POST", "/_control/message",
                                 {"chat_id": chat_id, "chat_type": "private", "from_id": chat_id, "text": text})

    def inject_many(self, messages):
        """[(chat, text)] queued at once: the bot's held poll gets them as one batch, as from many users at once."""
        return self.http.request("POST", "/_control/messages", {"messages": [
            {"chat_id": c, "chat_type": "private", "from_id": c, "text": t} for c, t in messages]})

    def next_sent(self, timeout_s):
        """[(chat, text)] sent or edited since the last call, waiting up to timeout_s for the first (one request
        follows every chat: the driver's load stays proportional to the replies, not to the chats waiting)."""
        answer = self.http.request("GET", "/_control/sent_feed?from=%d&timeout_ms=%d" % (
            self.cursor, max(0, int(timeout_s * 1000))))["result"]
        self.cursor = answer["next"]
        out = [(m["chat_id"], m.get("text") or "") for m in answer["messages"]]
        for chat, text in out:
            self.seen.setdefault(chat, set()).add(text)
        return out

    def has_shown(self, chat_id, text):
        return text in self.seen.get(chat_id, ())


# ---------------------------------------------------------------------------------------------------------------
# the daemon


class Daemon:
    """A real `scripts/partyclaw run` process. stdout lines are timestamped as they arrive (monotonic clock)."""

    def __init__(self, bench, name, config, workdir, java_opts=None, env_extra=None):
        self.bench = bench
        self.name = name
        self.workdir = workdir
        env = loopback_env(env_extra)
        env["PARTYCLAW_NO_REBUILD"] = "1"  # scripts/bench built the jar; a rebuild mid-run would skew everything
        if java_opts is not None:
            env["PARTYCLAW_JAVA_OPTS"] = java_opts
        elif bench.args.java_opts is not None:
            env["PARTYCLAW_JAVA_OPTS"] = bench.args.java_opts
        self.stderr_path = os.path.join(bench.root, "logs", name + ".stderr")
        os.makedirs(os.path.dirname(self.stderr_path), exist_ok=True)
        self.lines = []
        self.cond = threading.Condition()
        self.started = time.monotonic()
        with open(self.stderr_path, "w") as stderr:
            self.popen = bench.procs.add(subprocess.Popen(
                ["bash", bench.args.launcher, "run", "--config", config, "--workdir", workdir],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env))
        # the launcher execs java: this pid is the JVM's
        self.pid = self.popen.pid
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.popen.stdout:
            t = time.monotonic()
            with self.cond:
                self.lines.append((t, raw.decode(errors="replace").rstrip("\n")))
                self.cond.notify_all()
        with self.cond:
            self.lines.append((time.monotonic(), None))  # end of stdout
            self.cond.notify_all()

    def send(self, text):
        t = time.monotonic()
        try:
            self.popen.stdin.write((text + "\n").encode())
            self.popen.stdin.flush()
        except BrokenPipeError:
            raise BenchError("%s: stdin closed (the daemon exited?)\n%s" % (self.name, self.stderr_tail()))
        return t

    def wait_line(self, predicate, start, timeout):
        """The first stdout line at index >= start matching predicate: (index, time, text)."""
        deadline = time.monotonic() + self.bench.budget.cap(timeout)
        i = start
        with self.cond:
            while True:
                while i < len(self.lines):
                    t, text = self.lines[i]
                    if text is None:
                        raise BenchError("%s: stdout ended (exit code %s)\n%s" % (self.name, self.popen.poll(),
                                                                                 self.stderr_tail()))
                    if predicate(text):
                        return i, t, text
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BenchError("%s: no expected output within %.0f s\n%s" % (self.name, timeout,
                                                                                   self.stderr_tail()))
                self.cond.wait(min(left, 1.0))

    def line_count(self):
        with self.cond:
            return len(self.lines)

    def cpu(self):
        return proc_cpu_seconds(self.pid)

    def rss(self):
        return proc_rss_mib(self.pid)

    def close_stdin_and_wait(self, timeout=60):
        """EOF on stdin: the CLI channel ends the daemon once everything is delivered. Returns seconds to exit."""
        t = time.monotonic()
        try:
            self.popen.stdin.close()
        except BrokenPipeError:
            pass
        try:
            code = self.popen.wait(self.bench.budget.cap(timeout))
        except subprocess.TimeoutExpired:
            self.kill9()
            raise BenchError("%s did not exit within %d s after stdin closed" % (self.name, timeout))
        if code != 0:
            raise BenchError("%s exited with %d\n%s" % (self.name, code, self.stderr_tail()))
        return time.monotonic() - t

    def terminate_and_wait(self, timeout=60):
        t = time.monotonic()
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(self.bench.budget.cap(timeout))
        except subprocess.TimeoutExpired:
            self.kill9()
            raise BenchError("%s did not stop within %d s of SIGTERM" % (self.name, timeout))
        return time.monotonic() - t

    def kill9(self):
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(30)

    def stderr_tail(self, n=15):
        try:
            with open(self.stderr_path, errors="replace") as f:
                lines = [l for l in f.read().splitlines() if not l.startswith("\tat ")]
            return "\n".join("    " + l for l in lines[-n:])
        except OSError:
            return ""

    def stop(self):
        if self.popen.poll() is None:
            self.kill9()


# ---------------------------------------------------------------------------------------------------------------
# statistics and results


def pct(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


class Figure:
    """The values measured for one row of the table, and whether it was measured at all."""

    def __init__(self, spec):
        self.key, self.title, self.goal_text, self.unit = spec.key, spec.title, spec.goal_text, spec.unit
        self.goal, self.higher_is_better = spec.goal, spec.higher_is_better
        self.values = []
        self.missing = None  # reason when not measured
        self.pass_override = None  # (bool, why) for goals that are not a single threshold
        self.other_load = None  # cores used by processes not started here, on average, while it was measured

    def add(self, v):
        self.values.append(v)

    def verdict(self):
        if self.missing is not None or not self.values:
            return "not measured"
        if self.pass_override is not None:
            return "pass" if self.pass_override[0] else "FAIL"
        if self.goal is None:
            return "—"
        med = statistics.median(self.values)
        ok = med >= self.goal if self.higher_is_better else med <= self.goal
        worst = min(self.values) if self.higher_is_better else max(self.values)
        worst_ok = worst >= self.goal if self.higher_is_better else worst <= self.goal
        if ok and not worst_ok:
            return "pass (median; worst repeat misses)"
        return "pass" if ok else "FAIL"

    def cells(self):
        if self.missing is not None or not self.values:
            return ["—", "—", "—", "n=0"]
        v = self.values
        return [fmt(min(v), self.unit), fmt(statistics.median(v), self.unit), fmt(max(v), self.unit),
                "n=%d" % len(v)]


def fmt(v, unit):
    if unit == "s":
        return "%.2f s" % v
    if unit == "ms":
        return ("%.1f ms" % v) if v < 100 else ("%.0f ms" % v)
    if unit == "MiB":
        return "%.0f MiB" % v
    if unit == "msg/s":
        return "%.0f msg/s" % v
    if unit == "%":
        return "%.1f %%" % v
    return "%.3g %s" % (v, unit)


# ---------------------------------------------------------------------------------------------------------------
# the benchmark


class Bench:
    def __init__(self, args):
        self.args = args
        self.quick = args.quick
        self.repeats = args.repeats or (3 if args.quick else 5)
        self.root = args.workroot or tempfile.mkdtemp(prefix="partyclaw-bench-")
        os.makedirs(self.root, exist_ok=True)
        self.procs = Processes(os.path.join(self.root, "pids"))
        self.budget = Budget(args.max_minutes)
        self.figures = {}
        self.facts = {}  # sub-measurements quoted in the document
        self.curve = []  # (messages, rss MiB, median latency ms of the last block)
        self.log_lines = []
        self._classpath = None
        self.tg_extra = {} if args.tg_poll_interval_ms is None else {"poll_interval_ms": args.tg_poll_interval_ms}
        self.fake = None
        self.trace = []  # (seconds since the loop started, text) of model requests in closed loops
        for spec in FIGURES:
            self.figures[spec.key] = Figure(spec)

    # -- small helpers

    def log(self, msg):
        line = "[%s] %s" % (datetime.datetime.now().strftime("%H:%M:%S"), msg)
        print(line, flush=True)
        self.log_lines.append(line)

    def fig(self, key):
        return self.figures[key]

    def workdir(self, name):
        path = os.path.join(self.root, "wd", name)
        shutil.rmtree(path, ignore_errors=True)
        return path

    def cli_config(self, name="cli.json"):
        path = os.path.join(self.root, name)
        with open(path, "w") as f:
            json.dump({
                "version": "0.21",
                "models": {"main": {"type": "openrouter", "api_endpoint": self.fake.base_url, "model": "bench-model",
                                    "capabilities": ["chat"], "timeout_seconds": 120}},
                "main_agent": {"language": "en"},
                "channels": [{"kind": "command_line", "id": "cli"}],
            }, f, indent=2)
        return path

    def telegram_config(self, tg):
        path = os.path.join(self.root, "telegram.json")
        with open(path, "w") as f:
            json.dump({
                "version": "0.21",
                "models": {"main": {"type": "openrouter", "api_endpoint": self.fake.base_url, "model": "bench-model",
                                    "capabilities": ["chat"], "timeout_seconds": 120}},
                "main_agent": {"language": "en"},
                "channels": [dict({"kind": "telegram", "id": "tg", "bot_token_env": "PARTYCLAW_BENCH_TG_TOKEN",
                                   "api_base_url": tg.base_url, "open": True},
                                  **self.tg_extra)],
            }, f, indent=2)
        return path

    def web_config(self, port):
        path = os.path.join(self.root, "web.json")
        with open(path, "w") as f:
            json.dump({
                "version": "0.21",
                "models": {"main": {"type": "openrouter", "api_endpoint": self.fake.base_url, "model": "bench-model",
                                    "capabilities": ["chat"], "timeout_seconds": 120}},
                "main_agent": {"language": "en"},
                "channels": [{"kind": "web", "id": "web", "listen_addr": "127.0.0.1:%d" % port,
                              "auth_token_env": "PARTYCLAW_BENCH_WEB_TOKEN"}],
            }, f, indent=2)
        return path

    def testkit_classpath(self):
        if self._classpath is None:
            jar = os.path.join(REPO, "testkit", "target", "partyclaw-testkit-0.1.0-SNAPSHOT.jar")
            cpfile = os.path.join(self.root, "testkit.classpath")
            if not os.path.exists(jar):
                raise BenchError("testkit jar missing (%s); scripts/bench builds it" % jar)
            if os.environ.get("PARTYCLAW_BENCH_TESTKIT_CP"):
                shutil.copy(os.environ["PARTYCLAW_BENCH_TESTKIT_CP"], cpfile)
            else:
                # not offline: on a fresh machine the dependency plugin itself may not be in the local repository yet
                subprocess.run(["mvn", "-q", "-B", "-pl", "testkit", "dependency:build-classpath",
                                "-Dmdep.outputFile=" + cpfile], cwd=REPO, check=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL,
                               timeout=self.budget.cap(300))
            with open(cpfile) as f:
                self._classpath = f.read().strip() + os.pathsep + jar
        return self._classpath

    def own_cpu(self):
        """CPU seconds of this harness and everything it started (finished children included)."""
        t = os.times()
        total = t.user + t.system + t.children_user + t.children_system
        for p in self.procs.children:
            if p.poll() is None:
                try:
                    total += proc_cpu_with_children_seconds(p.pid)
                except (OSError, IndexError):
                    pass
        return total

    def run_figure(self, name, fn, keys):
        if self.args.only and not any(k in self.args.only for k in keys + [name]):
            return
        self.log("== " + name)
        m0, own0, t0 = machine_cpu_seconds(), self.own_cpu(), time.monotonic()
        try:
            fn()
        except BenchError as e:
            self.log("   not measured: %s" % str(e).splitlines()[0])
            for line in str(e).splitlines()[1:]:
                self.log(line)
            for k in keys:
                if not self.fig(k).values:
                    self.fig(k).missing = str(e).splitlines()[0]
        wall = time.monotonic() - t0
        if wall > 0:
            other = max(0.0, (machine_cpu_seconds() - m0) - (self.own_cpu() - own0)) / wall
            for k in keys:
                self.fig(k).other_load = other
            self.log("   (other processes on this machine meanwhile: %.2f cores busy on average)" % other)

    # -- 1. cold start, first reply, idle RSS, shutdown

    def cold_start(self):
        config = self.cli_config()
        self._first_start_after_build(config)
        for rep in range(self.repeats):
            wd = self.workdir("cold-%d" % rep)
            d = Daemon(self, "cold-%d" % rep, config, wd)
            try:
                # "/status" is answered by the conversation itself, no model: its answer means the first message
                # was accepted (persisted) and the channel delivers
                d.send("/status")
                _, t_ready, _ = d.wait_line(lambda s: s.strip() != "", 0, 90)
                cpu_ready = d.cpu()
                self.fig("ready").add(t_ready - d.started)
                self.facts.setdefault("ready_cpu", []).append(cpu_ready)
                self.facts.setdefault("ready_rss", []).append(d.rss())
                n = d.line_count()
                t_send = d.send("first message after start")
                _, t_reply, _ = d.wait_line(lambda s: s == "ok: first message after start", n, 60)
                self.fig("first_reply").add((t_reply - t_send) * 1000)
                time.sleep(2 if self.quick else 5)
                self.fig("rss_idle").add(d.rss())
                window = 3 if self.quick else 10
                cpu0 = d.cpu()
                time.sleep(window)
                self.fig("idle_cpu").add(100 * (d.cpu() - cpu0) / window)
                self.fig("shutdown").add(d.close_stdin_and_wait(60))
                self.log("   rep %d: ready %.2f s (cpu %.2f s), first reply %.0f ms, idle rss %.0f MiB, exit %.2f s"
                         % (rep + 1, t_ready - d.started, cpu_ready, (t_reply - t_send) * 1000,
                            self.fig("rss_idle").values[-1], self.fig("shutdown").values[-1]))
            finally:
                d.stop()

    def _first_start_after_build(self, config):
        """The launcher trains its class-data archive on the first start of a new jar; measured once, not repeated."""
        target = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(self.args.launcher))), "app", "target")
        for name in os.listdir(target) if os.path.isdir(target) else []:
            if re.match(r"partyclaw-jdk-.*\.jsa(\.failed)?$", name):
                os.remove(os.path.join(target, name))
        d = Daemon(self, "first-start", config, self.workdir("first-start"))
        try:
            d.send("/status")
            _, t_ready, _ = d.wait_line(lambda s: s.strip() != "", 0, 180)
            self.facts["first_start"] = t_ready - d.started
            self.facts["jar_mib"] = os.path.getsize(os.path.join(target, "partyclaw.jar")) / MIB
            archives = [n for n in os.listdir(target) if n.endswith(".jsa")]
            if archives:
                self.facts["archive_mib"] = sum(os.path.getsize(os.path.join(target, n)) for n in archives) / MIB
            self.log("   first start after a build (trains the class-data archive once): ready after %.2f s"
                     % self.facts["first_start"])
            d.close_stdin_and_wait(60)
        finally:
            d.stop()

    # -- 2. sequential messages: per-message overhead and CPU per message

    def sequential(self):
        config = self.cli_config()
        warm, measured = (30, 100) if self.quick else (50, 200)
        pooled, inbound, outbound = [], [], []
        for rep in range(self.repeats):
            wd = self.workdir("seq-%d" % rep)
            d = Daemon(self, "seq-%d" % rep, config, wd)
            try:
                d.send("/status")
                d.wait_line(lambda s: s.strip() != "", 0, 90)
                self.fake.new_requests()
                for i in range(warm):
                    self._one(d, "warm-%d-%d" % (rep, i))
                self.fake.new_requests()
                cpu0 = d.cpu()
                sends = {}

                def run():
                    for i in range(measured):
                        text = "seq-%d-%d" % (rep, i)
                        sends[text] = self._one(d, text)

                run()
                cpu = d.cpu() - cpu0
                model = {r[3]: r for r in self.fake.new_requests()}
                overheads = []
                n_in = len(inbound)
                for text, (t_send, t_reply) in sends.items():
                    r = model.get(text)
                    if r is None or r[1] is None:
                        raise BenchError("the fake model has no record of " + text)
                    overheads.append((t_reply - t_send - (r[1] - r[0])) * 1000)
                    inbound.append((r[0] - t_send) * 1000)
                    outbound.append((t_reply - r[1]) * 1000)
                pooled.extend(overheads)
                self.fig("overhead").add(statistics.median(overheads))
                self.fig("cpu_per_msg").add(cpu / measured * 1000)
                self.log("   rep %d: overhead median %.1f ms p90 %.1f ms (stdin→model %.1f ms, model→stdout %.1f ms),"
                         " cpu %.2f ms/msg" % (rep + 1, statistics.median(overheads), pct(overheads, 90),
                                               statistics.median(inbound[n_in:]), statistics.median(outbound[n_in:]),
                                               cpu / measured * 1000))
                d.close_stdin_and_wait(60)
            finally:
                d.stop()
        self.facts["overhead_p90"] = pct(pooled, 90)
        self.facts["overhead_p99"] = pct(pooled, 99)
        self.facts["overhead_max"] = max(pooled)
        self.facts["inbound_median"] = statistics.median(inbound)
        self.facts["outbound_median"] = statistics.median(outbound)
        self.facts["seq_counts"] = (warm, measured)

    def _one(self, d, text, timeout=60):
        n = d.line_count()
        t_send = d.send(text)
        _, t_reply, _ = d.wait_line(lambda s, want="ok: " + text: s == want, n, timeout)
        return t_send, t_reply

    # -- 3. RSS over 1,000 messages; the first repeat goes on to a 10,000-event conversation for replay

    def long_conversation(self):
        config = self.cli_config()
        total = 300 if self.quick else 1000
        block = 50 if self.quick else 100
        reps = min(self.repeats, 3) if self.quick else self.repeats
        for rep in range(reps):
            wd = self.workdir("long-%d" % rep)
            d = Daemon(self, "long-%d" % rep, config, wd)
            try:
                d.send("/status")
                d.wait_line(lambda s: s.strip() != "", 0, 90)
                samples = [(0, d.rss(), None, None)]
                lat = []
                cpu_mark = d.cpu()
                for i in range(total):
                    t_send, t_reply = self._one(d, "long-%d-%d" % (rep, i))
                    lat.append((t_reply - t_send) * 1000)
                    if (i + 1) % block == 0:
                        cpu_now = d.cpu()
                        samples.append((i + 1, d.rss(), statistics.median(lat[-block:]),
                                        (cpu_now - cpu_mark) / block * 1000))
                        cpu_mark = cpu_now
                mid = samples[len(samples) // 2]
                end = samples[-1]
                self.fig("rss_1000").add(end[1])
                self.fig("cpu_steady").add(end[3])
                self.facts["long_block"] = block
                self.facts.setdefault("rss_growth", []).append(end[1] - mid[1])
                self.facts.setdefault("rss_mid", []).append(mid)
                if rep == 0:
                    self.curve = samples
                    self.facts["long_total"] = total
                self.log("   rep %d: rss after %d messages %.0f MiB (after %d: %.0f MiB), last block: latency %.1f ms,"
                         " cpu %.1f ms/msg" % (rep + 1, total, end[1], mid[0], mid[1], end[2], end[3]))
                self.log("     by block (messages, rss MiB, latency ms, cpu ms/msg): " + "; ".join(
                    "%d %.0f %.1f %.1f" % s for s in samples[1:]))
                if rep == 0:
                    self._extend_for_replay(d, total, block)
                d.close_stdin_and_wait(120)
                if rep == 0:
                    self.facts["journal_kib_per_msg"] = du(os.path.join(wd, "journal")) / 1024 / self.facts["replay_messages"]
                    self.replay_template = wd + "-template"
                    shutil.rmtree(self.replay_template, ignore_errors=True)
                    shutil.copytree(wd, self.replay_template, symlinks=True)
            finally:
                d.stop()
        # Flat: past the first 1,000 messages RSS grows by less than 5% while the same conversation goes on to
        # ~1,700 (its transcript, and LevelDB's memtable and caches, legitimately grow a little).
        after = self.facts.get("rss_after_total")
        flat = after is not None and after[1] - after[0] <= 0.05 * after[0]
        ok = statistics.median(self.fig("rss_1000").values) <= 300 and flat
        self.fig("rss_1000").pass_override = (ok, "flat" if flat else "grows")

    def _extend_for_replay(self, d, sent, block):
        """Keeps talking until the conversation has >= 10,000 journal events (about 6 per question/answer)."""
        target = 2000 if self.quick else 10_000
        i = sent
        limit = sent + 3000
        rss_at_total = d.rss()
        while self.conversation_events(d.workdir) < target and i < limit:
            lat = []
            for _ in range(block):
                t_send, t_reply = self._one(d, "more-%d" % i)
                lat.append((t_reply - t_send) * 1000)
                i += 1
            self.curve.append((i, d.rss(), statistics.median(lat), None))
        self.facts["replay_messages"] = i
        self.facts["rss_after_total"] = (rss_at_total, d.rss(), i)
        self.log("   conversation now has %d events after %d messages; rss %.0f MiB (%.0f MiB at %d)" % (
            self.conversation_events(d.workdir), i, d.rss(), rss_at_total, sent))

    @staticmethod
    def conversation_events(workdir):
        """Highest sequence number of conversation cli:local, from its snapshot files (written every 100 events)."""
        best = 0
        snapdir = os.path.join(workdir, "journal", "snapshots")
        for name in os.listdir(snapdir) if os.path.isdir(snapdir) else []:
            decoded = urllib.parse.unquote(name)
            m = re.match(r"snapshot-conversation\|cli:local-(\d+)-", decoded)
            if m:
                best = max(best, int(m.group(1)))
        return best

    # -- 4. replay of a 10,000-event conversation after a restart

    def replay(self):
        template = getattr(self, "replay_template", None)
        if template is None:
            raise BenchError("needs the long-conversation run first (it builds the 10,000-event conversation)")
        events = self.conversation_events(template)
        self.facts["replay_events"] = events
        config = self.cli_config()
        fresh = self.fig("ready").values
        for variant, key in (("with snapshots", "replay"), ("events only (snapshots deleted)", "replay_nosnap")):
            for rep in range(self.repeats):
                wd = self.workdir("replay-%s-%d" % (key, rep))
                shutil.copytree(template, wd, symlinks=True)
                if key == "replay_nosnap":
                    snapdir = os.path.join(wd, "journal", "snapshots")
                    shutil.rmtree(snapdir)
                    os.makedirs(snapdir)
                # Akka reports each recovery at DEBUG; only that logger is raised, the daemon is otherwise unchanged
                opts = (self.args.java_opts or "") + " -Dlogback.configurationFile=" + os.path.join(
                    REPO, "bench", "logback-replay.xml")
                d = Daemon(self, "%s-%d" % (key, rep), config, wd, java_opts=opts)
                try:
                    d.send("/status")
                    _, t_ready, _ = d.wait_line(lambda s: s.strip() != "", 0, 120)
                    ready = t_ready - d.started
                    n = d.line_count()
                    t_send = d.send("after replay")
                    _, t_reply, _ = d.wait_line(lambda s: s == "ok: after replay", n, 60)
                    d.close_stdin_and_wait(120)
                    took = recovery_seconds(d.stderr_path, "conversation|cli:local")
                    if took is None:
                        raise BenchError("no 'Recovery for persistenceId [...] took' line in " + d.stderr_path)
                    self.fig(key).add(took * 1000)
                    self.facts.setdefault(key + "_ready", []).append(ready)
                    self.facts.setdefault(key + "_reply", []).append((t_reply - t_send) * 1000)
                    self.log("   %s rep %d: recovery %.0f ms; ready %.2f s (fresh workdir %.2f s), next reply %.0f ms"
                             % (variant, rep + 1, took * 1000, ready,
                                statistics.median(fresh) if fresh else float("nan"), (t_reply - t_send) * 1000))
                finally:
                    d.stop()

    # -- 5. kill -9 during a turn, then restart

    def crash_resume(self):
        config = self.cli_config()
        for rep in range(self.repeats):
            wd = self.workdir("crash-%d" % rep)
            first = Daemon(self, "crash-%d-a" % rep, config, wd)
            try:
                first.send("/status")
                first.wait_line(lambda s: s.strip() != "", 0, 90)
                self._one(first, "before crash %d" % rep)
                self.fake.new_requests()
                self.fake.control(hold_next_ms=120_000)
                text = "crash-%d" % rep
                first.send(text)
                deadline = time.monotonic() + self.budget.cap(30)
                while not any(r[3] == text for r in self.fake.new_requests()):
                    if time.monotonic() > deadline:
                        raise BenchError("the model never saw the message to crash on")
                    time.sleep(0.01)
                time.sleep(0.2)  # the turn is now waiting on the model
                first.kill9()
            finally:
                first.stop()
            self.fake.control(hold_next_ms=0)
            second = Daemon(self, "crash-%d-b" % rep, config, wd)
            try:
                _, t_reply, _ = second.wait_line(lambda s: s == "ok: " + text, 0, 60)
                resumed = [r for r in self.fake.new_requests() if r[3] == text]
                self.fig("crash_resume").add(t_reply - second.started)
                if resumed:
                    self.facts.setdefault("crash_model_again", []).append(resumed[0][0] - second.started)
                self.log("   rep %d: answer delivered %.2f s after restart (model asked again after %.2f s)"
                         % (rep + 1, t_reply - second.started,
                            resumed[0][0] - second.started if resumed else float("nan")))
                second.close_stdin_and_wait(60)
            finally:
                second.stop()

    # -- 6. Telegram: round trip, 100 conversations at once, 10,000 idle conversations

    def telegram(self):
        tg = FakeTelegram(self)
        config = self.telegram_config(tg)
        # round trips and 100 conversations on one daemon; then, per repeat, a fresh daemon filled with 10,000
        # conversations (RSS) and stopped with SIGTERM
        d = self._telegram_daemon(tg, config, "telegram")
        try:
            self._telegram_rtt(d, tg)
            self._telegram_concurrent(d, tg)
            self.fig("tg_shutdown").add(d.terminate_and_wait(60))
        finally:
            d.stop()
        for rep in range(self.repeats):
            d = self._telegram_daemon(tg, config, "telegram-idle-%d" % rep)
            try:
                self._telegram_idle(d, tg, rep)
                self.fig("tg_shutdown").add(d.terminate_and_wait(60))
            finally:
                d.stop()

    def _telegram_daemon(self, tg, config, name):
        d = Daemon(self, name, config, self.workdir(name), env_extra={"PARTYCLAW_BENCH_TG_TOKEN": FakeTelegram.TOKEN})
        probe = 9_000_000 + len(self.procs.children)
        t0 = time.monotonic()
        try:
            tg.inject(probe, "hello")
            self._await_tg(d, tg, probe, "ok: hello", 90)
        except BenchError as e:
            d.stop()
            stderr = open(d.stderr_path, errors="replace").read()
            if "not available in this build" in stderr or "telegram" in stderr.lower():
                raise BenchError("the daemon has no usable Telegram channel yet: "
                                 + (d.stderr_tail(5).strip().splitlines() or [str(e)])[-1].strip())
            raise
        self.log("   %s: the Telegram channel answered %.2f s after start" % (name, time.monotonic() - d.started))
        return d

    def _await_tg(self, d, tg, chat, want, timeout):
        deadline = time.monotonic() + self.budget.cap(timeout)
        while not tg.has_shown(chat, want):
            if d.popen.poll() is not None:
                raise BenchError("the daemon exited (code %s)" % d.popen.returncode)
            left = deadline - time.monotonic()
            if left <= 0:
                raise BenchError("no Telegram reply %r in chat %d within %d s" % (want, chat, timeout))
            tg.next_sent(min(left, 0.5))
        return time.monotonic()

    def _telegram_rtt(self, d, tg):
        n = 15 if self.quick else 30
        for rep in range(self.repeats):
            chat = 8_000_000 + rep
            rtts = []
            for i in range(n):
                # longer than poll_interval_ms: the bot's getUpdates is already waiting, so no poll wait is counted
                time.sleep(0.3)
                text = "rtt-%d-%d" % (rep, i)
                t = time.monotonic()
                tg.inject(chat, text)
                rtts.append((self._await_tg(d, tg, chat, "ok: " + text, 60) - t) * 1000)
            self.fig("tg_rtt").add(statistics.median(rtts))
            self.log("   rtt rep %d: median %.1f ms (min %.1f, max %.1f)" % (rep + 1, statistics.median(rtts),
                                                                           min(rtts), max(rtts)))
            # back to back: a user who answers at once; the poll that fetched the previous message must not add a
            # pause before it picks up this one
            chat = 8_100_000 + rep
            rtts = []
            for i in range(n):
                text = "b2b-%d-%d" % (rep, i)
                t = time.monotonic()
                tg.inject(chat, text)
                rtts.append((self._await_tg(d, tg, chat, "ok: " + text, 60) - t) * 1000)
            self.fig("tg_rtt_b2b").add(statistics.median(rtts))
            self.log("   back-to-back rep %d: median %.1f ms (min %.1f, max %.1f)" % (
                rep + 1, statistics.median(rtts), min(rtts), max(rtts)))

    def _closed_loop(self, d, tg, chats, per_chat, in_flight, limit_s, label):
        """Each chat sends its next message once the previous reply arrived, at most in_flight chats at a time.

        The driver follows the fake Bot API's feed of sent messages (one long-polling request for all chats) and
        queues the next messages of the chats just answered in one batch, so its own load and the fake's stay
        proportional to the messages (they share the two cores with the daemon). Returns (messages answered,
        seconds); the fake model's arrivals of this loop's requests go to self.trace.
        """
        left = {c: per_chat for c in chats}
        queue = list(chats)
        pending = {}  # chat -> expected reply
        texts = set()
        done = 0
        self.fake.new_requests()
        tg.next_sent(0)
        t0 = time.monotonic()
        deadline = t0 + self.budget.cap(limit_s)
        batch = []

        def send(chat):
            text = "%s-%d-%d" % (label, chat, left[chat])
            texts.add(text)
            pending[chat] = "ok: " + text
            batch.append((chat, text))

        while queue or pending:
            while queue and len(pending) < in_flight:
                send(queue.pop())
            if batch:
                tg.inject_many(batch)
                batch.clear()
            for chat, text in tg.next_sent(0.5):
                if pending.get(chat) == text:
                    del pending[chat]
                    done += 1
                    left[chat] -= 1
                    if left[chat] > 0:
                        send(chat)
            if time.monotonic() > deadline:
                raise BenchError("%s: %d replies missing after %d s" % (label, len(pending) + len(queue), limit_s))
            if d.popen.poll() is not None:
                raise BenchError("the daemon exited (code %s)" % d.popen.returncode)
        elapsed = time.monotonic() - t0
        self.trace.extend((r[0] - t0, r[3]) for r in self.fake.new_requests() if r[3] in texts)
        return done, elapsed

    def _telegram_concurrent(self, d, tg):
        chats, per_chat = 100, (3 if self.quick else 10)
        for rep in range(self.repeats + 1):  # the first round warms the JIT and is not counted
            ids = [1_000_000 + rep * 1000 + c for c in range(chats)]
            cpu0 = d.cpu()
            others = [tg.popen.pid, self.fake.popen.pid, os.getpid()]
            others0 = [proc_cpu_seconds(p) for p in others]
            machine0 = machine_cpu_seconds()
            self.trace = []
            done, elapsed = self._closed_loop(d, tg, ids, per_chat, chats, 300, "c")
            waves = {}
            for t, text in self.trace:
                waves.setdefault(int(text.rsplit("-", 1)[1]), []).append(t)
            self.log("     model requests per wave (first–last arrival, s): " + "; ".join(
                "%.2f–%.2f" % (min(v), max(v)) for _, v in sorted(waves.items(), reverse=True)))
            rate = done / elapsed
            daemon_cores = (d.cpu() - cpu0) / elapsed
            other_cores = [(proc_cpu_seconds(p) - c) / elapsed for p, c in zip(others, others0)]
            machine_cores = (machine_cpu_seconds() - machine0) / elapsed
            if rep > 0:
                self.fig("concurrent").add(rate)
                self.facts.setdefault("concurrent_cpu", []).append((d.cpu() - cpu0) / done * 1000)
                self.facts.setdefault("concurrent_cores", []).append([daemon_cores] + other_cores + [machine_cores])
            self.log("   round %d%s: %d messages in %.2f s = %.0f msg/s; cores busy: daemon %.2f, fake Bot API %.2f, "
                     "fake model %.2f, driver %.2f, whole machine %.2f" % (
                         rep, " (warm-up)" if rep == 0 else "", done, elapsed, rate, daemon_cores, *other_cores,
                         machine_cores))

    def _telegram_idle(self, d, tg, rep):
        total = 1000 if self.quick else 10_000
        t0 = time.monotonic()
        self._closed_loop(d, tg, [10_000_000 + rep * 100_000 + i for i in range(total)], 1, 100, 900, "idle")
        self.facts["idle_conversations"] = total
        self.facts.setdefault("idle_fill_s", []).append(time.monotonic() - t0)
        time.sleep(10)
        self.fig("rss_10k").add(d.rss())
        self.facts.setdefault("idle_threads", []).append(proc_threads(d.pid))
        self.log("   %d conversations opened in %.0f s; rss %.0f MiB, %d threads" % (
            total, self.facts["idle_fill_s"][-1], self.fig("rss_10k").values[-1], self.facts["idle_threads"][-1]))

    # -- OpenAI-compatible endpoint of the web channel

    def openai_concurrent(self):
        """50 clients, each its own `user` (conversation), each sending its next request when the previous answer came.

        Every answer must be exactly `ok: <its own request>`: a lost, duplicated or crossed answer fails the figure.
        """
        token = "bench-web-token"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        d = Daemon(self, "web", self.web_config(port), self.workdir("web"),
                   env_extra={"PARTYCLAW_BENCH_WEB_TOKEN": token})
        try:
            deadline = time.monotonic() + self.budget.cap(120)
            while True:
                try:
                    with urllib.request.urlopen("http://127.0.0.1:%d/api/health" % port, timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if d.popen.poll() is not None or time.monotonic() > deadline:
                    raise BenchError("the web channel did not come up\n" + d.stderr_tail())
                time.sleep(0.1)
            clients, per_client = 50, (4 if self.quick else 10)
            for rep in range(self.repeats + 1):  # the first round opens the conversations and warms the JIT
                results, errors = [], []
                lock = threading.Lock()

                def client(i):
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=self.budget.cap(120))
                    try:
                        for k in range(per_client):
                            text = "q-%d-%d-%d" % (rep, i, k)
                            body = json.dumps({"model": "main", "user": "bench-%d" % i,
                                               "messages": [{"role": "user", "content": text}]})
                            t = time.monotonic()
                            conn.request("POST", "/v1/chat/completions", body=body,
                                         headers={"Authorization": "Bearer " + token,
                                                  "Content-Type": "application/json"})
                            r = conn.getresponse()
                            payload = r.read()
                            answer = None
                            if r.status == 200:
                                answer = json.loads(payload)["choices"][0]["message"]["content"]
                            with lock:
                                if answer == "ok: " + text:
                                    results.append(time.monotonic() - t)
                                else:
                                    errors.append("%s -> %d %r" % (text, r.status, payload[:200]))
                    except (OSError, http.client.HTTPException, ValueError, KeyError) as e:
                        with lock:
                            errors.append("client %d: %s" % (i, e))
                    finally:
                        conn.close()

                cpu0 = d.cpu()
                t0 = time.monotonic()
                threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
                for th in threads:
                    th.start()
                for th in threads:
                    th.join(self.budget.cap(300))
                elapsed = time.monotonic() - t0
                if errors or len(results) != clients * per_client:
                    raise BenchError("%d of %d answers wrong or missing; first: %s" % (
                        clients * per_client - len(results), clients * per_client, (errors or ["timeout"])[0]))
                rate = len(results) / elapsed
                if rep > 0:
                    self.fig("openai_concurrent").add(rate)
                    self.facts.setdefault("openai_latency_ms", []).append(statistics.median(results) * 1000)
                    self.facts.setdefault("openai_p95_ms", []).append(pct(results, 95) * 1000)
                    self.facts.setdefault("openai_cpu_ms", []).append((d.cpu() - cpu0) / len(results) * 1000)
                self.log("   round %d%s: %d answers, each its own, in %.2f s = %.0f req/s; median %.0f ms, p95 %.0f ms,"
                         " daemon cpu %.1f ms/request" % (
                             rep, " (warm-up)" if rep == 0 else "", len(results), elapsed, rate,
                             statistics.median(results) * 1000, pct(results, 95) * 1000,
                             (d.cpu() - cpu0) / len(results) * 1000))
        finally:
            d.stop()
    # -- 7. a cluster on PostgreSQL: the 100-conversation figure through 1 and through 3 nodes

    def _psql(self, sql):
        admin = os.environ.get("PARTYCLAW_BENCH_PSQL", "-h 127.0.0.1 -U postgres -d postgres").split()
        r = subprocess.run(["psql", *admin, "-v", "ON_ERROR_STOP=1", "-qc", sql], capture_output=True, text=True)
        if r.returncode != 0:
            raise BenchError("PostgreSQL is not usable (psql %s): %s" % (" ".join(admin), r.stderr.strip()))

    def cluster(self):
        tg = FakeTelegram(self)
        jdbc = os.environ.get("PARTYCLAW_BENCH_PG_JDBC", "jdbc:postgresql://127.0.0.1:5432/%s?user=postgres")
        for size, key in ((1, "cluster_1"), (3, "cluster_3")):
            db = "partyclaw_bench_%d_%d" % (size, os.getpid())
            self._psql("DROP DATABASE IF EXISTS %s" % db)
            self._psql("CREATE DATABASE %s" % db)
            nodes = []
            try:
                ports, mgmt = [], []
                for _ in range(2 * size):
                    with socket.socket() as sk:
                        sk.bind(("127.0.0.1", 0))
                        (ports if len(ports) < size else mgmt).append(sk.getsockname()[1])
                shared = os.path.join(self.root, "shared-%d" % size)
                for i in range(size):
                    path = os.path.join(self.root, "cluster-%d-node%d.json" % (size, i))
                    with open(path, "w") as f:
                        json.dump({
                            "version": "0.21",
                            "models": {"main": {"type": "openrouter", "api_endpoint": self.fake.base_url,
                                                "model": "bench-model", "capabilities": ["chat"],
                                                "timeout_seconds": 120}},
                            "main_agent": {"language": "en"},
                            "channels": [dict({"kind": "telegram", "id": "tg",
                                               "bot_token_env": "PARTYCLAW_BENCH_TG_TOKEN",
                                               "api_base_url": tg.base_url, "open": True}, **self.tg_extra)],
                            "management": {"listen_addr": "127.0.0.1:%d" % mgmt[i]},
                            "cluster": {"host": "127.0.0.1", "port": ports[i],
                                        "seed_nodes": ["127.0.0.1:%d" % p for p in ports],
                                        "postgres_url_env": "PARTYCLAW_BENCH_PG_URL", "shared_dir": shared},
                        }, f, indent=2)
                    nodes.append(Daemon(self, "cluster%d-node%d" % (size, i), path,
                                        self.workdir("cluster%d-node%d" % (size, i)),
                                        env_extra={"PARTYCLAW_BENCH_TG_TOKEN": FakeTelegram.TOKEN,
                                                   "PARTYCLAW_BENCH_PG_URL": jdbc % db}))
                # every node ready (/ready: database, Up in the cluster), then one message answered
                deadline = time.monotonic() + self.budget.cap(120)
                for port in mgmt:
                    while True:
                        try:
                            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                            c.request("GET", "/ready")
                            if c.getresponse().status == 200:
                                break
                        except OSError:
                            pass
                        if time.monotonic() > deadline:
                            raise BenchError("the %d nodes were not ready within 120 s" % size)
                        time.sleep(0.2)
                probe = 9_500_000 + size
                tg.inject(probe, "hello")
                self._await_tg(nodes[0], tg, probe, "ok: hello", 120)
                chats, per_chat = 100, (3 if self.quick else 10)
                for rep in range(self.repeats + 1):  # the first round warms the JIT and is not counted
                    ids = [20_000_000 + size * 1_000_000 + rep * 1000 + c for c in range(chats)]
                    cpu0 = sum(n.cpu() for n in nodes)
                    done, elapsed = self._closed_loop(nodes[0], tg, ids, per_chat, chats, 300, "k%d" % size)
                    cores = (sum(n.cpu() for n in nodes) - cpu0) / elapsed
                    if rep > 0:
                        self.fig(key).add(done / elapsed)
                        self.facts.setdefault(key + "_cores", []).append(cores)
                    self.log("   %d node(s), round %d%s: %d messages in %.2f s = %.0f msg/s; nodes busy %.2f cores"
                             % (size, rep, " (warm-up)" if rep == 0 else "", done, elapsed, done / elapsed, cores))
            finally:
                for n in nodes:
                    n.stop()
                self._psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)

    # -- driver

    def run(self):
        self.log("partyclaw bench: workroot %s, %d repeats%s" % (self.root, self.repeats,
                                                                  " (quick)" if self.quick else ""))
        self.facts["loadavg_before"] = open("/proc/loadavg").read().split()[:3]
        self.fake = FakeLlm(self)
        self.run_figure("cold start, first reply, idle RSS", self.cold_start,
                        ["ready", "first_reply", "rss_idle", "idle_cpu", "shutdown"])
        self.run_figure("sequential messages", self.sequential, ["overhead", "cpu_per_msg"])
        self.run_figure("1,000 messages in one conversation", self.long_conversation, ["rss_1000", "cpu_steady"])
        self.run_figure("replay after restart", self.replay, ["replay", "replay_nosnap"])
        self.run_figure("kill -9 during a turn", self.crash_resume, ["crash_resume"])
        self.run_figure("OpenAI-compatible endpoint", self.openai_concurrent, ["openai_concurrent"])
        self.run_figure("Telegram", self.telegram, ["tg_rtt", "tg_rtt_b2b", "concurrent", "rss_10k", "tg_shutdown"])
        self.run_figure("cluster on PostgreSQL", self.cluster, ["cluster_1", "cluster_3"])
        self.facts["loadavg_after"] = open("/proc/loadavg").read().split()[:3]


def recovery_seconds(stderr_path, persistence_id):
    """Akka's own measure of one recovery (snapshot load + event replay), from its DEBUG line."""
    pattern = re.compile(r"Recovery for persistenceId \[PersistenceId\(%s\)\] took ([\d.]+) (ms|s|us|μs)"
                         % re.escape(persistence_id))
    with open(stderr_path, errors="replace") as f:
        for line in f:
            m = pattern.search(line)
            if m:
                scale = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "μs": 1e-6}[m.group(2)]
                return float(m.group(1)) * scale
    return None


def du(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, name))
            except OSError:
                pass
    return total


class FigureSpec:
    """A row of the table: the issue's figures with their goals, then extras without one."""

    def __init__(self, key, title, goal_text, unit, goal=None, higher_is_better=False):
        self.key, self.title, self.goal_text, self.unit = key, title, goal_text, unit
        self.goal, self.higher_is_better = goal, higher_is_better


FIGURES = [
    FigureSpec("ready", "cold start to ready (process start → first message accepted and answered)", "≤ 3 s", "s", 3.0),
    FigureSpec("first_reply", "first reply after start (instant model)", "≤ 1 s", "ms", 1000),
    FigureSpec("overhead", "per-message overhead, sequential (reply time − model time), median", "≤ 20 ms", "ms", 20),
    FigureSpec("cpu_per_msg", "CPU time per message, sequential, right after start (process CPU / messages)", "≤ 5 ms",
               "ms", 5),
    FigureSpec("cpu_steady", "CPU time per message, settled (last {block} of {long} messages in one conversation)",
               "≤ 5 ms", "ms", 5),
    FigureSpec("concurrent", "100 conversations sending at once (Telegram), instant model", "≥ 400 msg/s", "msg/s",
               400, higher_is_better=True),
    FigureSpec("rss_idle", "RSS idle (after start and one message)", "≤ 200 MiB", "MiB", 200),
    FigureSpec("rss_1000", "RSS after {long} messages (one conversation)", "≤ 300 MiB and flat", "MiB", 300),
    FigureSpec("rss_10k", "RSS with {idle} idle conversations (Telegram)", "≤ 1 GiB", "MiB", 1024),
    FigureSpec("crash_resume", "kill -9 during a turn → answer delivered after restart", "≤ 5 s", "s", 5.0),
    FigureSpec("replay", "replay of a {events}-event conversation after a restart", "≤ 1 s", "ms", 1000),
    FigureSpec("tg_rtt", "Telegram round trip through the fake Bot API, minus poll wait (median)", "≤ 100 ms", "ms",
               100),
    FigureSpec("tg_rtt_b2b", "Telegram round trip, back-to-back (next message as soon as the reply is seen; median)",
               "≤ 50 ms", "ms", 50),
    FigureSpec("openai_concurrent", "50 concurrent /v1/chat/completions clients (web channel), instant model; every"
               " answer its own", "—", "req/s", None, True),
    FigureSpec("cluster_1", "100 conversations at once (Telegram), cluster of 1 node on PostgreSQL", "—", "msg/s",
               higher_is_better=True),
    FigureSpec("cluster_3", "100 conversations at once (Telegram), cluster of 3 nodes on PostgreSQL (one machine)",
               "—", "msg/s", higher_is_better=True),
    FigureSpec("idle_cpu", "CPU while idle (% of one core)", "—", "%"),
    FigureSpec("replay_nosnap", "replay of the same conversation from events alone (snapshots deleted)", "—", "ms"),
    FigureSpec("shutdown", "clean exit after stdin closes (CLI)", "—", "s"),
    FigureSpec("tg_shutdown", "clean stop on SIGTERM (Telegram, after the runs above)", "—", "s"),
]


# ---------------------------------------------------------------------------------------------------------------
# the document


def machine_facts():
    def read(path):
        try:
            with open(path) as f:
                return f.read()
        except OSError:
            return ""

    cpu = re.search(r"model name\s*:\s*(.*)", read("/proc/cpuinfo"))
    mem = re.search(r"MemTotal:\s*(\d+)", read("/proc/meminfo"))
    osname = re.search(r'PRETTY_NAME="([^"]*)"', read("/etc/os-release"))
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    jv = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    try:
        commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
    except OSError:
        commit, dirty = "unknown", ""
    pom = read(os.path.join(REPO, "pom.xml"))

    def pomv(name):
        m = re.search(r"<%s>([^<]+)</%s>" % (name, name), pom)
        return m.group(1) if m else "?"

    return {
        "cpu": "%s × %d (nproc)" % (cpu.group(1).strip() if cpu else "unknown", os.cpu_count()),
        "ram": "%.1f GiB" % (int(mem.group(1)) / 1024 / 1024) if mem else "unknown",
        "os": "%s, kernel %s" % (osname.group(1) if osname else platform.system(), platform.release()),
        "jdk": " / ".join(jv[:2]),
        "python": platform.python_version(),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "versions": "partyclaw %s, Akka %s, Akka HTTP %s, Jackson %s, Logback %s" % (
            pomv("version"), pomv("akka.version"), pomv("akka-http.version"), pomv("jackson.version"),
            pomv("logback.version")),
    }


def write_document(bench, path, argv):
    m = machine_facts()
    f = bench.facts
    figs = bench.figures
    out = []
    w = out.append
    w("# Benchmarks")
    w("")
    w("Generated by `scripts/bench` on %s%s. Do not edit by hand: rerun the command below." % (
        datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), " — **quick run, not for comparison**" if bench.quick else ""))
    w("")
    w("```bash")
    w("scripts/bench" + ("" if not argv else " " + " ".join(argv)))
    w("```")
    w("")
    w("Every figure goes through the real entry points: the launcher `scripts/partyclaw` (fat jar, the flags it sets),")
    w("the `command_line` channel on stdin/stdout, and the Telegram channel against the in-repo fake Bot API. The model")
    w("is `bench/fake_llm.py`, an OpenAI-compatible server that streams `ok: <message>` at once and records when each")
    w("request arrived and was answered, so model time can be subtracted exactly. Each figure is repeated %d times"
      % bench.repeats)
    w("(min / median / max over the repeats; pass/fail is judged on the median, and the worst repeat is flagged when it")
    w("misses). Only 127.0.0.1 is used.")
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("| --- | --- |")
    w("| CPU | %s |" % m["cpu"])
    w("| RAM | %s |" % m["ram"])
    w("| OS | %s |" % m["os"])
    w("| JDK | %s |" % m["jdk"])
    w("| versions | %s; Python %s (harness) |" % (m["versions"], m["python"]))
    w("| commit | %s |" % m["commit"])
    jvm_opts = bench.args.java_opts
    w("| JVM flags | those of `scripts/partyclaw`%s |" % ("" if jvm_opts is None else
                                                          " plus `PARTYCLAW_JAVA_OPTS=%s`" % jvm_opts))
    w("| Telegram channel | %s |" % ("the config defaults (poll_interval_ms 250, poll_timeout_seconds 30)"
                                     if not bench.tg_extra else "defaults except %s" % json.dumps(bench.tg_extra)))
    w("| load | load average %s before the run, %s after; the *other load* column says how many cores processes "
      "not started by the benchmark kept busy while each figure was measured (this machine is shared; anything "
      "above ~0.3 slows the figure down) |" % (" ".join(f.get("loadavg_before", [])),
                                              " ".join(f.get("loadavg_after", []))))
    w("")
    w("## Figures")
    w("")
    w("| figure | goal | min | median | max | repeats | verdict | other load |")
    w("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for spec in FIGURES:
        fg = figs[spec.key]
        cells = fg.cells()
        verdict = fg.verdict()
        if fg.missing is not None:
            verdict = "not measured yet"
        load = "—" if fg.other_load is None else "%.2f cores" % fg.other_load
        title = fg.title.format(long="{:,}".format(f.get("long_total", 1000)),
                                idle="{:,}".format(f.get("idle_conversations", 10_000)),
                                events="{:,}".format(f.get("replay_events", 10_000)),
                                block="{:,}".format(f.get("long_block", 100)))
        w("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            title, fg.goal_text, cells[0], cells[1], cells[2], cells[3],
            "**%s**" % verdict if verdict.startswith("FAIL") else verdict, load))
    w("")
    missing = [(figs[s.key].title, figs[s.key].missing) for s in FIGURES if figs[s.key].missing]
    if missing:
        w("Not measured in this run:")
        w("")
        for title, why in missing:
            w("- %s: %s" % (title, why))
        w("")
    w("## What limits each figure")
    w("")
    for paragraph in details(bench):
        w(paragraph)
        w("")
    w(PROFILE)
    w("")
    w("## How each figure is measured")
    w("")
    for paragraph in METHOD:
        w(paragraph)
        w("")
    w("## Log of this run")
    w("")
    w("```")
    out.extend(bench.log_lines)
    w("```")
    with open(path, "w") as fh:
        fh.write("\n".join(out) + "\n")


def med(values, unit):
    return fmt(statistics.median(values), unit) if values else "n/a"


def details(bench):
    f, figs = bench.facts, bench.figures
    p = []

    def vals(key):
        return figs[key].values

    if vals("ready"):
        first = f.get("first_start")
        p.append("**Cold start — %s to ready, %s of CPU, %s resident at that point.** Start-up is CPU-bound and "
                 "mostly single-threaded: parsing Akka's merged `reference.conf` (about a fifth of the samples), "
                 "creating the actor system, Artery remoting, the cluster, sharding with distributed data and "
                 "the LevelDB journal, Logback's XML configuration and Jackson. The launcher's class-data archive "
                 "and C1-only JIT roughly halve it (see the profile below)%s." % (
                     med(vals("ready"), "s"), med(f.get("ready_cpu", []), "s"), med(f.get("ready_rss", []), "MiB"),
                     "" if first is None else "; the first start after a build also trains that archive and took "
                     "%.1f s (once per jar and JDK)" % first))
    if vals("first_reply"):
        p.append("**First reply after start — %s.** The first model call creates the HTTP connection pool (Akka HTTP "
                 "also sets up its TLS context), encodes a request with the system prompt and the tool schemas, "
                 "parses the SSE stream and runs the outbox path for the first time; later replies need a few "
                 "milliseconds." % med(vals("first_reply"), "ms"))
    if vals("overhead"):
        warm, measured = f.get("seq_counts", (0, 0))
        p.append("**Per-message overhead — %s median (p90 %s, p99 %s, worst %s)** over %d messages per repeat after "
                 "%d warm-up messages. Split: stdin line → request at the model %s; model answer → line on stdout "
                 "%s. A question and its answer cost three journal writes, each a round trip through the LevelDB "
                 "journal actor: two fsync'd before they are acknowledged (message accepted + turn started; model "
                 "reply + outbound queued + turn finished) and the delivery confirmation, which only reaches the "
                 "operating system (lost only in a power failure, when the reply would be sent again); writes of "
                 "other conversations waiting at the same time share the batch and the fsync (group commit), plus "
                 "actor hops, the encoding of the transcript's new messages for the model request and SSE parsing. fsync takes ~0.15 ms on this virtual disk; "
                 "on a laptop SSD count ~1 ms per write, on a spinning disk ~10 ms." % (
                     med(vals("overhead"), "ms"), fmt(f["overhead_p90"], "ms"), fmt(f["overhead_p99"], "ms"),
                     fmt(f["overhead_max"], "ms"), measured, warm, fmt(f["inbound_median"], "ms"),
                     fmt(f["outbound_median"], "ms")))
    if vals("cpu_per_msg"):
        conc = f.get("concurrent_cpu")
        settled = [c for c in bench.curve if c[3] is not None]
        p.append("**CPU per message — %s sequentially%s.** Measured right after a %d-message warm-up, so C1 is still "
                 "compiling and much of the code still runs interpreted (the compiler threads alone take a few ms per "
                 "message then)%s. Settled, it goes to Akka's persistence round trips and event serialization, the Akka "
                 "HTTP client's stream per response, the journal's fsyncs and thread hand-offs; the request body is "
                 "encoded only for messages new since the last request." % (
                     med(vals("cpu_per_msg"), "ms"),
                     (", %s with 100 conversations at once" % med(conc, "ms")) if conc else "",
                     f.get("seq_counts", (0, 0))[0],
                     "" if not settled else "; in the long conversation it settles at %.1f ms per message by message "
                     "%d" % (settled[-1][3], settled[-1][0])))
    if vals("cluster_1") or vals("cluster_3"):
        p.append("**Cluster on PostgreSQL — %s through 1 node, %s through 3 nodes** (the 100-conversation loop above, "
                 "nodes busy %s and %s cores). A node's journal is akka-persistence-jdbc on the local PostgreSQL: each "
                 "write is a transaction committed with fsync through a pool of a few connections, so one node is "
                 "bound by commit latency (cores stay partly idle) rather than CPU, and is slower than LevelDB. Three "
                 "nodes on this one 2-core machine share its cores and its PostgreSQL, and all updates enter through "
                 "the one Telegram poller (a singleton) and reach two thirds of the conversations over Artery with "
                 "JSON serialization: the cluster buys availability (a node lost is taken over within ~10 s), not "
                 "throughput, unless each node has its own cores." % (
                     med(vals("cluster_1"), "msg/s") if vals("cluster_1") else "not measured",
                     med(vals("cluster_3"), "msg/s") if vals("cluster_3") else "not measured",
                     "%.2f" % statistics.median(f["cluster_1_cores"]) if f.get("cluster_1_cores") else "—",
                     "%.2f" % statistics.median(f["cluster_3_cores"]) if f.get("cluster_3_cores") else "—"))
    if vals("idle_cpu"):
        p.append("**Idle — %s of a core** with one conversation open: Akka's scheduler tick and the cluster's gossip "
                 "and failure-detector timers of a single-node cluster." % med(vals("idle_cpu"), "%"))
    if vals("rss_idle") or vals("rss_1000"):
        curve = ", ".join("%d: %.0f" % (c[0], c[1]) for c in bench.curve) if bench.curve else "n/a"
        lat = ", ".join("%d: %.1f" % (c[0], c[2]) for c in bench.curve if c[2] is not None) if bench.curve else "n/a"
        after = f.get("rss_after_total")
        p.append("**Memory — idle %s; after %s messages %s.** RSS is the heap the serial collector has touched "
                 "(the launcher starts it at 16 MiB, so it grows only with live data), the mapped class-data "
                 "archive, ~13 MiB of C1 code and thread stacks, plus LevelDB's native memtable and caches, which "
                 "fill as the journal grows and then level off. RSS by messages sent (MiB): %s. %s"
                 "Median reply time per block of messages (ms): %s — with no compaction configured every model "
                 "request carries the whole transcript." % (
                     med(vals("rss_idle"), "MiB"), "{:,}".format(f.get("long_total", 0)), med(vals("rss_1000"), "MiB"),
                     curve, "" if after is None else "From message {:,} to {:,} RSS went from %.0f to %.0f MiB "
                     "(%+.1f%%); *flat* means at most +5%%. ".format(f.get("long_total", 0), after[2]) % (
                         after[0], after[1],
                                                          100.0 * (after[1] - after[0]) / after[0]), lat))
    if vals("replay"):
        p.append("**Replay — %s; %s from events alone.** As Akka reports it (`Recovery for persistenceId [...] "
                 "took`, logged at DEBUG), for a conversation of %s events (%s messages). Recovery loads the latest "
                 "snapshot (one every 100 events) and replays at most 100 events, so it hardly depends on the "
                 "conversation's length; without snapshots every event is read from LevelDB and deserialized by "
                 "Jackson. Seen from outside, start-up to ready with this history took %s (fresh workdir: %s; "
                 "start-ups vary by ±0.1 s). Journal on disk: %.1f KiB per message." % (
                     med(vals("replay"), "ms"), med(vals("replay_nosnap"), "ms"),
                     "{:,}".format(f.get("replay_events", 0)), "{:,}".format(f.get("replay_messages", 0)),
                     med(f.get("replay_ready", []), "s"), med(vals("ready"), "s"),
                     f.get("journal_kib_per_msg", float("nan"))))
    if vals("crash_resume"):
        p.append("**kill -9 during a turn — %s from the restart to the answer on stdout.** The model is asked again "
                 "%s after the restart: that is the restart's own cold start plus the wake-up of the conversation "
                 "by the active-conversations directory once sharding is up; the rest is the instant model call "
                 "and the delivery." % (med(vals("crash_resume"), "s"), med(f.get("crash_model_again", []), "s")))
    if vals("tg_rtt"):
        p.append("**Telegram round trip — %s.** From injecting a message into the fake Bot API while the bot's long "
                 "poll is already waiting (so no poll wait is included: each message goes out more than "
                 "poll_interval_ms after the previous reply) until the reply is visible through the fake's control "
                 "API's feed of sent messages (a long poll answered at the send). Includes the getUpdates answer, acceptance (journal), the model call, the "
                 "typing indicator and sendMessage. The first repeat runs right after start-up and is the slowest."
                 % med(vals("tg_rtt"), "ms"))
    if vals("tg_rtt_b2b"):
        p.append("**Telegram round trip, back to back — %s.** The next message is injected as soon as the previous "
                 "reply is seen, as a user who answers at once. The poller pauses poll_interval_ms only after an empty "
                 "or failed poll, and 15 ms only after a poll that brought several updates (a departure from the "
                 "reference, which pauses poll_interval_ms after every batch), so the message is picked up at once." % med(vals("tg_rtt_b2b"), "ms"))
    if vals("openai_concurrent"):
        p.append("**50 OpenAI clients at once — %s.** Fifty HTTP clients, each with its own `user` (so its own "
                 "conversation), post `/v1/chat/completions` (not streamed) and send the next request as soon as the "
                 "answer came; every answer must be exactly `ok: <its own request>`, and none may be lost, duplicated "
                 "or crossed (none was). Median latency %s, p95 %s, daemon CPU %s per request. With 50 requests "
                 "always in flight the latency is the queue: every turn's journal writes go one after the other "
                 "through the single LevelDB journal actor, each fsync'd, and the web channel writes each delivered "
                 "answer to its own transcript file before acknowledging it." % (
                     med(vals("openai_concurrent"), "req/s"), med(f.get("openai_latency_ms", []), "ms"),
                     med(f.get("openai_p95_ms", []), "ms"), med(f.get("openai_cpu_ms", []), "ms")))
    if vals("concurrent"):
        cores = f.get("concurrent_cores", [])
        share = ""
        if cores:
            col = list(zip(*cores))
            share = (" Cores busy meanwhile (median): daemon %.2f, fake Bot API %.2f, fake model %.2f, the driver "
                     "%.2f, whole machine %.2f — the fakes and the driver share the two cores with the daemon." %
                     tuple(statistics.median(c) for c in col))
        p.append("**100 conversations at once — %s.** Each of 100 private chats sends its next message as soon as "
                 "the previous reply arrived (%s messages per round); the driver follows every reply through one long-polling "
                 "request to the fake's feed of sent messages and queues the next messages of the chats just answered "
                 "as one batch, as updates of many users arrive together. The Telegram poller takes the next batch only "
                 "after every update of the previous one is accepted (the offset advances only then), so every chat "
                 "waits for the slowest acceptance in its batch; after a batch of several updates it waits 15 ms to gather "
                 "more (poll_interval_ms only after an empty poll). "
                 "Journal writes of all conversations go through the one LevelDB journal actor with group commit: "
                 "the writes waiting in its mailbox go to disk as one batch with one fsync (a unit test counts 9 "
                 "commits for 600 concurrent writes), so a slow disk no longer caps the message rate at one fsync "
                 "per write.%s"
                 % (med(vals("concurrent"), "msg/s"), "{:,}".format(100 * (3 if bench.quick else 10)), share))
    if vals("rss_10k"):
        if vals("rss_idle"):
            f["kib_per_conversation"] = (statistics.median(vals("rss_10k")) - statistics.median(vals("rss_idle"))) \
                * 1024 / max(1, f.get("idle_conversations", 1))
        p.append("**%s idle conversations — %s.** On a fresh daemon per repeat, %s private chats sent one "
                 "message each (100 in flight; %s in all); RSS measured 10 s after the last reply, with every "
                 "conversation entity still in memory (they passivate after 2 minutes of quiet); %s JVM threads. "
                 "Each conversation holds its state (transcript, settings, outbox) and its sharding and persistence "
                 "bookkeeping; the heap grows with them, the rest of RSS is the same as idle." % (
                     "{:,}".format(f.get("idle_conversations", 0)), med(vals("rss_10k"), "MiB"),
                     "{:,}".format(f.get("idle_conversations", 0)), med(f.get("idle_fill_s", []), "s"),
                     ("%d" % statistics.median(f["idle_threads"])) if f.get("idle_threads") else "?"))
    foot = []
    if "jar_mib" in f:
        foot.append("the fat jar is %.0f MiB%s (plus a JDK 17+)" % (
            f["jar_mib"], "" if "archive_mib" not in f else ", its class-data archive %.0f MiB" % f["archive_mib"]))
    if "journal_kib_per_msg" in f:
        foot.append("the journal grows by %.1f KiB per question and answer (before LevelDB compaction)"
                    % f["journal_kib_per_msg"])
    if "kib_per_conversation" in f:
        foot.append("an open, idle conversation costs about %.0f KiB of RSS" % f["kib_per_conversation"])
    if vals("idle_cpu"):
        foot.append("idle, the daemon uses %s of a core" % med(vals("idle_cpu"), "%"))
    if foot:
        p.append("**Footprint, for comparing with other daemons:** " + "; ".join(foot) + ".")
    return p


PROFILE = """## Profile and fixes

Measured while tuning (24 Nov 2026, same machine, same jar, 5 repeats, medians), the launcher and
`application.conf` as they were before against what they are now:

| figure | before | after |
| --- | --- | --- |
| cold start to ready | 2.52 s (4.03 s CPU) | 1.09 s (1.18 s CPU) |
| first reply after start | 549 ms | 320 ms |
| RSS idle | 244 MiB | 137 MiB |
| per-message overhead, median | 8.3 ms | 5.4 ms |
| CPU per message, sequential | 12.7 ms | 7.1 ms |
| RSS after 1,000 messages | 300 MiB | 181 MiB |
| 100 conversations at once | 125 msg/s | 222 msg/s |
| RSS with 10,000 idle conversations | 449 MiB | 342 MiB |

What the profiles showed and what changed (`scripts/partyclaw`, `app/src/main/resources/application.conf`):

- **Start-up was CPU-bound** (class-load log with timestamps, JFR sampling): 10,800 classes loaded from the fat
  jar, C2 compiling in parallel on the second core; 3.6–4.5 s of CPU for a 2.3–2.8 s start. *Application
  class-data sharing*: the launcher trains an archive once per jar and JDK (a short start with `/status` and one
  model call that fails fast, `-XX:ArchiveClassesAtExit`) and starts with `-XX:SharedArchiveFile`: start-up CPU
  3.6 → 2.1 s. Putting the failing model call in the training cut the first reply from ~440 to ~230 ms.
  `PARTYCLAW_CDS=off` disables it.
- **C2 cost more than it saved**: from the 100th to the 300th message of a conversation each message cost
  12–13 ms of CPU with tiered compilation and 5–6.5 ms with `-XX:TieredStopAtLevel=1`, with lower reply times too;
  start-up CPU dropped by another ~0.8 s. At a chat daemon's message rates the compiled code's speed matters less
  than the cost of compiling it.
- **C1 compiled late**: right after start (after 50 messages) much of the per-message code still ran in the
  interpreter. `-XX:CompileThresholdScaling=0.3` compiles a method after a third of the usual invocations: CPU per
  message right after start 13.3–16 → 9.3–10.2 ms, reply overhead 10.5–12.8 → 6.9–7.6 ms, idle RSS +4 MiB (more
  compiled code); 0.15 gained no more and cost 8 MiB.
- **Allocation drove the collector** (async-profiler, alloc mode, 100 conversations): every model request built its
  ~50 KB body in a growing byte array, copied it out and copied it again into the HTTP entity (~200 KB per request);
  the collector took 17 % of the daemon's CPU. The body is now a rope of the messages' cached encodings (an Akka
  `ByteString` joined without copying, written out piece by piece), and a turn whose prompt inputs did not change
  reuses the prompt it built last time: GC 17 → 8 % of the daemon's CPU.
- **The benchmark's own fakes**: the fake Bot API ran its first callback of every request on a thread of its own
  (Scala's converted futures hop to the common pool, which on 2 cores is a thread per task) and the driver polled
  every waiting chat every 2 ms; the fake now runs those callbacks where Akka completes them, and the driver follows
  one long-polling feed of sent messages and injects the next messages in batches: the fake's share went from
  0.55 to 0.27 cores, 100 conversations from ~240 to ~330–440 msg/s on this machine (the daemon unchanged).
- **RSS was mostly untouched-but-touched heap**: the serial collector's initial heap was 1/64 of RAM (377 MiB
  here) and eden was filled before the first collection (NMT: heap 387 MiB committed, RSS 282 MiB).
  `-Xms16m` lets the heap start small and grow with live data: idle RSS 203 → 147 MiB at equal start-up time.
- **A new thread per model answer**: JFR showed busy threads named `Thread-N` running `CompletableFuture` stages.
  On a 2-core machine the common pool has a parallelism of 1, so every `*Async` stage without an executor
  (`ChatCompletionCall` uses `whenCompleteAsync`/`handleAsync`) starts a thread of its own. The launcher sets
  `java.util.concurrent.ForkJoinPool.common.parallelism=2` on such machines: 100 conversations went from
  141–167 to 174–201 msg/s in A/B runs, and the daemon's CPU per message there from 4.1 to 2.9 ms. (The lasting fix
  is an explicit executor in `ChatCompletionCall`, in `core/`.)
- **Cluster JMX and Akka's JFR events** are off in `application.conf`: ~0.15 s of start-up CPU (the platform
  MBean server alone loads ~400 classes) for a JMX MBean nobody reads on a single node.
- Tried and not kept: smaller default-dispatcher parallelism, a higher dispatcher throughput, shorter cluster
  leader-action and initial-delay intervals, `MALLOC_ARENA_MAX=2`, a fixed young generation — no measurable gain.
  JDK 25's AOT cache (`-XX:AOTCache`) started 0.2–0.4 s faster than the CDS archive on JDK 25; not used, the
  launcher keeps one mechanism for every JDK.
- A benchmark bug worth knowing: the first fake model wrote headers and body in two TCP writes with Nagle on, so
  every reply waited for the daemon's delayed ACK (40 ms). Real servers do not do this; `bench/fake_llm.py` sets
  `TCP_NODELAY`.

Limits left in other modules (reported, not changed here):

- `channels/` Telegram poller: after a batch is accepted it still pauses `poll_interval_ms` (250 ms) before the
  next getUpdates. With 100 chats in a closed loop that pause was ~40% of every cycle: `poll_interval_ms: 0`
  gave 232–240 msg/s where the default gave 150–165 (before the common-pool fix). Pausing only after an empty or
  failed poll would keep the reference's politeness without the cost.
- `actors/` journal (since fixed, 6 Dec 2026): one fsync'd LevelDB write per persist call capped throughput on a
  disk with 1–10 ms fsyncs at roughly 30–300 messages/s; the journal now commits the writes of all conversations
  waiting at once as one batch with one fsync (`GroupCommitLeveldbJournal`).
- `core/` request encoding (since fixed, 6 Dec 2026): the system prompt was built as a new message for every
  request and so encoded and counted again each time; the message caches keyed records by equality, which hashed
  every message of the transcript at every request. The prompt message is now reused while unchanged and the
  caches are keyed by identity; the workspace registry, rewritten (and synced) at every turn, is now rewritten at
  most once a minute per workspace.
- Shutdown: the `cluster-exiting` phase of coordinated shutdown waits ~1 s in a single-node cluster (DEBUG log of
  `CoordinatedShutdown`); not tuned."""


METHOD = [
    "- *Cold start to ready*: fresh workdir; `/status` is written to stdin right at process start; ready is when its "
    "answer appears on stdout. `/status` is answered by the conversation itself, without the model, so this is the "
    "moment the first message is accepted (persisted) and the channel delivers.",
    "- *First reply after start*: right after that, one message; time from writing it to its `ok: …` line.",
    "- *Per-message overhead*: one message at a time on a fresh daemon; for each, (stdout time − stdin time) − (time "
    "the fake model spent between receiving the request and finishing its answer).",
    "- *CPU per message*: utime + stime of the JVM (`/proc/<pid>/stat`; the launcher `exec`s java, so its pid is the "
    "JVM's) over the measured messages, divided by their number.",
    "- *RSS*: VmRSS from `/proc/<pid>/status`; idle = 5 s after the first reply; 1,000 messages = sent one at a time "
    "to one conversation, sampled every 100; the first repeat goes on to ~1,700 messages (10,000 events) and *flat* "
    "means RSS grew by at most 5% over those last ~700 messages.",
    "- *Replay*: a copy of that first repeat's workdir (≥ 10,000 journal events in its conversation), started with "
    "`/status` on stdin and `bench/logback-replay.xml` (DEBUG for Akka's event-sourcing logger only); the figure is "
    "Akka's own recovery time of that conversation; once as the daemon left it, once with its snapshots deleted.",
    "- *kill -9*: the fake model holds its answer; once the request is in flight the JVM gets SIGKILL; a new daemon "
    "starts on the same workdir with nothing on stdin; time from its start to the answer on stdout.",
    "- *Telegram*: `FakeTelegramServerMain` (testkit) on 127.0.0.1 in its own JVM, with the channel's default "
    "settings; messages injected and replies read over its `/_control` API.",
    "- Every wait has a timeout, every loop a count limit, and the whole run a deadline (`--max-minutes`); the "
    "processes started are killed on exit (also by `scripts/bench`'s trap).",
]


def main():
    parser = argparse.ArgumentParser(description="partyclaw benchmarks (run through scripts/bench)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and messages; writes to the workroot")
    parser.add_argument("--repeats", type=int, help="repeats per figure (default 5, quick 3)")
    parser.add_argument("--only", nargs="*", help="figure keys to run (default all)")
    parser.add_argument("--out", help="document to write (default docs/benchmarks.md; quick: <workroot>/benchmarks.md)")
    parser.add_argument("--workroot", help="where workdirs and logs go (default a new temp dir)")
    parser.add_argument("--java-opts", help="PARTYCLAW_JAVA_OPTS for every daemon (for experiments)")
    parser.add_argument("--max-minutes", type=float, help="hard limit for the whole run (default 45, quick 12)")
    parser.add_argument("--tg-poll-interval-ms", type=int,
                        help="poll_interval_ms of the Telegram channel (default: the config default, 250)")
    parser.add_argument("--launcher", default=LAUNCHER,
                        help="launcher to benchmark (default scripts/partyclaw of this checkout)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (scripts/bench removes it)")
    args = parser.parse_args()
    argv = []
    skip = False
    for a in sys.argv[1:]:  # the document shows the user's command, not the wrapper's temp directory
        if skip:
            skip = False
        elif a == "--workroot":
            skip = True
        elif not a.startswith("--workroot="):
            argv.append(a)
    if args.max_minutes is None:
        args.max_minutes = 12 if args.quick else 45
    bench = Bench(args)

    def on_signal(signum, _frame):
        bench.procs.kill_all()
        sys.exit(128 + signum)

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    try:
        bench.run()
    except BenchError as e:
        bench.log("stopped: %s" % e)
    finally:
        bench.procs.kill_all()
    out = args.out or (os.path.join(bench.root, "benchmarks.md") if args.quick
                       else os.path.join(REPO, "docs", "benchmarks.md"))
    write_document(bench, out, argv)
    bench.log("wrote %s" % out)


if __name__ == "__main__":
    main()
