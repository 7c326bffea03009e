#!/usr/bin/env python3
"""App benchmarks: cold start to an interactive learner picker, and resident memory after a
50-item session, measured on the real window under Xvfb.

    python3 bench/app/bench_app.py                   # all of it, 5 runs, prints the tables
    python3 bench/app/bench_app.py --only trace      # start times without WebDriver only

`--app` defaults to target-app-release/release/ladder-app (bench/app/build-bundle.sh builds it;
so does `cargo build --release -p ladder-app --features tauri/custom-protocol`).

Traced start (`trace`, no WebDriver): the script starts the app itself with
LADDER_TRACE_STARTUP=1 (src-tauri/src/startup.rs) and timestamps each start-up line as it
arrives on the app's stderr, against its own monotonic clock read just before the fork. The
start time is the fork to the "picker interactive" line, which the page sends once the learner
picker has painted its list. The app's own milestones (main, window built, page load, engine
open) give the breakdown. Nothing else talks to the app, so this is the start a learner sees.

WebDriver start (`webdriver`): from the app process's start (its start time in /proc, so the WebDriver handshake
before the launch is not counted) to the moment the page shows the learner picker with its
list loaded and the "add learner" button present, read from the page's own clock
(`Date.now()`) at the first poll that sees it. Polls run back to back (a few ms each), but the
first one can only run once WebDriver has attached, so a picker that was ready earlier is
measured late: the figure is an upper bound. Two kinds of start are timed: `first` (an empty
data directory: creates the database and installs the preload packs) and `warm-disk` (the same
directory again; the OS file cache is warm, which is what "cold start" means on a desktop that
has run the app before).

Memory: after a start, a learner answers 50 items of the Fractions pack through the app's own
commands (the same `invoke` calls the practice screen makes), then VmRSS is read for the app
process and for each WebKit child process (web content, network), and summed. RSS counts shared
pages in every process, so the sum overstates; PSS (`/proc/PID/smaps_rollup`) is printed too.
Memory is read right after `end_session`, which starts the background training job (so its first
allocations may be counted); the job is cancelled before the app is closed.

Prints a Markdown table and one JSON line (`RESULT {...}`) with every figure.
"""

import argparse
import http.client
import json
import os
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, url, body=None, timeout=120):
    data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read().decode()).get("value")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {url}: {e.code}: {e.read().decode()[:300]}") from None


def wait_until(what, timeout, fn, every=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(every)
    raise RuntimeError(f"timed out after {timeout}s waiting for {what}")


class Procs:
    """Processes this script started, ended by process group on exit."""

    def __init__(self):
        self.procs = []

    def start(self, cmd, env=None):
        p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(p)
        return p

    def stop_last(self):
        """Stops the most recently started process (its whole group)."""
        p = self.procs.pop()
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()

    def stop(self):
        for p in reversed(self.procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def process_start_ms(pid):
    """The process's start on the wall clock (ms), to 10 ms: its start in clock ticks since boot,
    against the time since boot now (/proc/uptime; /proc/stat's btime is whole seconds only)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    ticks = int(fields[19])  # field 22 of stat: start time in clock ticks since boot
    now_ms = time.time() * 1000.0
    uptime_s = float(Path("/proc/uptime").read_text().split()[0])
    return now_ms - (uptime_s - ticks / os.sysconf("SC_CLK_TCK")) * 1000.0


def pids_with_exe(path):
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if os.readlink(d / "exe") == str(path):
                    out.append(int(d.name))
            except OSError:
                pass
    return out


def children(pid):
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
                ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                out.append(int(d.name))
                out.extend(children(int(d.name)))
    return out


def mem_kb(pid, key):
    try:
        if key == "Pss":
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        else:
            text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def comm(pid):
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


PICKER_READY_JS = """
const picker = document.querySelector('[data-testid=learner-picker]');
if (!picker) return null;
const listed = document.querySelector('[data-learner-id]') ||
  (document.querySelector('[data-testid=learner-status]')?.textContent || '').trim();
const add = document.querySelector('[data-testid=create-learner]');
return listed && add ? Date.now() : null;
"""

INVOKE_JS = """
const done = arguments[arguments.length - 1];
window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
  .then(v => done({ok: v}), e => done({err: e}));
"""


class App:
    def __init__(self, driver_url, app, data_dir):
        self.driver_url = driver_url
        caps = {"capabilities": {"alwaysMatch": {"tauri:options": {"application": str(app), "args": ["--data-dir", str(data_dir)]}}}}
        before = set(pids_with_exe(app))
        self.requested_ms = time.time() * 1000.0
        deadline = time.monotonic() + 30
        while True:
            try:
                value = request("POST", f"{driver_url}/session", caps)
                break
            except RuntimeError as e:
                # WebKitWebDriver allows one session: the previous one may still be closing.
                if "Maximum number of active sessions" not in str(e):
                    raise
                if time.monotonic() > deadline:
                    # A session that never closed: the caller starts a new driver.
                    raise ConnectionError(str(e)) from None
                time.sleep(0.2)
        self.base = f"{driver_url}/session/{value['sessionId']}"
        new = [p for p in pids_with_exe(app) if p not in before]
        if len(new) != 1:
            raise RuntimeError(f"expected one new app process, found {new}")
        self.pid = new[0]

    def execute(self, script, args=()):
        return request("POST", f"{self.base}/execute/sync", {"script": script, "args": list(args)})

    def invoke(self, command, args):
        v = request("POST", f"{self.base}/execute/async", {"script": INVOKE_JS, "args": [command, args]})
        if v is None or "err" in v:
            raise RuntimeError(f"{command}: {v}")
        return v["ok"]

    def close(self):
        try:
            request("DELETE", self.base, timeout=30)
        except Exception:
            pass
        # Wait for the app to exit, so the next start is measured alone; an app that has not
        # exited after 30 s (seen under heavy load) is killed, and that is reported.
        def gone():
            try:
                return "Z" in Path(f"/proc/{self.pid}/stat").read_text().split(")")[-1][:3]
            except OSError:
                return True
        try:
            wait_until("the app to exit", 30, gone)
        except RuntimeError:
            SLOW_EXITS.append(self.pid)
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            wait_until("the killed app to exit", 10, gone)


SLOW_EXITS = []


def cold_start(driver_url, app, data_dir):
    a = App(driver_url, app, data_dir)
    spawn = process_start_ms(a.pid)
    ready = wait_until("the learner picker", 60, lambda: a.execute(PICKER_READY_JS), every=0.0)
    nav = a.execute("return performance.timeOrigin;")
    return a, ready - spawn, nav - spawn


TRACE_MARKS = ["main", "window built", "page load started", "engine: model chosen", "picker interactive"]


def traced_start(app, data_dir, env, timeout=60):
    """Starts the app with the start-up trace on; returns {mark: ms since the fork} for the marks
    in TRACE_MARKS, read as each line arrives. The app is stopped afterwards."""
    env = dict(env, LADDER_TRACE_STARTUP="1")
    t0 = time.monotonic()
    p = subprocess.Popen([str(app), "--data-dir", str(data_dir)], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)
    seen = {}
    try:
        fd = p.stderr.fileno()
        buf = b""
        while "picker interactive" not in seen:
            left = timeout - (time.monotonic() - t0)
            if left <= 0:
                raise RuntimeError(f"no 'picker interactive' line after {timeout}s; saw {seen}")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            now = (time.monotonic() - t0) * 1000.0
            if not chunk:
                raise RuntimeError(f"the app exited (status {p.wait()}) before the picker; saw {seen}")
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                text = line.decode(errors="replace")
                if "ladder-app: startup " not in text:
                    continue
                what = text.split(" ms ", 1)[-1]
                for mark in TRACE_MARKS:
                    if what.startswith(mark) and mark not in seen:
                        seen[mark] = now
    finally:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        p.stderr.close()
    return seen


def answer_for(item, k):
    kind = item["kind"]
    if kind == "choice":
        return {"kind": "choice", "value": [1 + k % max(1, len(item["choices"]))]}
    if kind == "order":
        return {"kind": "order", "value": list(range(1, len(item["choices"]) + 1))}
    if kind == "cloze":
        return {"kind": "cloze", "value": ["1"] * item["blanks"]}
    return {"kind": "text", "value": str(k % 3)}


def session_of(a, items):
    learner = a.invoke("add_learner", {"name": f"Bench {int(time.time() * 1000) % 100000}"})
    s = a.invoke("start_session", {"learner": learner["id"], "course": "fractions"})["session"]
    answered = 0
    while answered < items:
        step = a.invoke("next_step", {"session": s})
        a.invoke("submit_answer", {"session": s, "answer": answer_for(step["item"], answered), "latency_ms": 3000})
        answered += 1
    a.invoke("end_session", {"session": s})
    return answered


def memory(a):
    procs = [a.pid] + children(a.pid)
    rows = [(p, comm(p), mem_kb(p, "VmRSS"), mem_kb(p, "Pss")) for p in procs]
    return rows


def stats_row(name, xs):
    if not xs:
        return f"| {name} | – | – | – | 0 |"
    return f"| {name} | {statistics.median(xs):.0f} | {min(xs):.0f} | {max(xs):.0f} | {len(xs)} |"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", default=str(ROOT / "target-app-release/release/ladder-app"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--only", choices=["trace", "webdriver"], help="only the traced starts, or only the "
                    "WebDriver starts and the memory (default: both)")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="extra environment for the app (e.g. LADDER_WEBKIT_COMPOSITING=1 keeps WebKit's compositor)")
    opts = ap.parse_args()
    app = Path(opts.app).resolve()
    if not app.is_file():
        sys.exit(f"no app at {app}: build it (bench/app/build-bundle.sh, or cargo build --release -p ladder-app "
                 "--features tauri/custom-protocol)")
    procs = Procs()
    work = Path(tempfile.mkdtemp(prefix="ladder-bench-app-"))
    try:
        env = dict(os.environ)
        if not env.get("DISPLAY"):
            n = next(n for n in range(99, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists())
            procs.start(["Xvfb", f":{n}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"])
            wait_until("Xvfb", 10, lambda: Path(f"/tmp/.X11-unix/X{n}").exists())
            env["DISPLAY"] = f":{n}"
        env["LADDER_PACKS_DIR"] = str(ROOT / "assets/packs")
        for pair in opts.env:
            name, _, value = pair.partition("=")
            env[name] = value
        load_start = os.getloadavg()[0]

        first, warm, nav, rows, dropped = [], [], [], None, []
        if opts.only != "trace":
            driver = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
            native_driver = shutil.which("WebKitWebDriver") or "/usr/bin/WebKitWebDriver"

            def start_driver():
                port = free_port()
                native = free_port()
                while native == port:  # the OS may hand out the same free port twice
                    native = free_port()
                procs.start([driver, "--port", str(port), "--native-port", str(native), "--native-driver", native_driver], env=env)
                url = f"http://127.0.0.1:{port}"

                def status():
                    try:
                        request("GET", f"{url}/status", timeout=2)
                        return True
                    except Exception:
                        return False

                wait_until("tauri-driver", 20, status)
                return url

            url = start_driver()
            run = 0
            while run < opts.runs:
                data = work / f"data-{run}"
                try:
                    a, ms, nav_ms = cold_start(url, app, data)
                    a.close()
                    b, ms2, nav_ms = cold_start(url, app, data)
                    if run == opts.runs - 1:
                        session_of(b, opts.items)
                        rows = memory(b)
                        # Ending a 50-item session starts a background training job (40 new
                        # events are enough, src-tauri/src/admin.rs); stop it so that the app
                        # closes promptly.
                        b.invoke("cancel_training", {})
                    b.close()
                except (OSError, http.client.HTTPException) as e:
                    # Under heavy load WebKitWebDriver sometimes drops a connection (tauri-driver
                    # then logs "client error (SendRequest)"): start a new driver, redo the run.
                    dropped.append(f"run {run}: {type(e).__name__}: {e}")
                    if len(dropped) > opts.runs:
                        raise
                    procs.stop_last()
                    shutil.rmtree(data, ignore_errors=True)
                    url = start_driver()
                    continue
                first.append(ms)
                warm.append(ms2)
                nav.append(nav_ms)
                run += 1
            procs.stop_last()

        # Traced starts, after tauri-driver has stopped: a new data directory, then the same again.
        trace = {"first": [], "again": []}
        if opts.only != "webdriver":
            for run in range(opts.runs):
                data = work / f"trace-{run}"
                trace["first"].append(traced_start(app, data, env))
                trace["again"].append(traced_start(app, data, env))

        load_end = os.getloadavg()[0]

        print(f"app: {app}")
        print(f"extra environment: {' '.join(opts.env) or '(none)'}")
        print(f"load average (1 min): {load_start:.1f} at the start, {load_end:.1f} at the end")
        print()
        print("| measure (ms) | median | min | max | runs |")
        print("|---|---|---|---|---|")
        for kind, label in [("first", "new data dir"), ("again", "same data dir")]:
            runs = trace[kind]
            if not runs:
                continue
            print(stats_row(f"traced start to interactive picker ({label})", [r["picker interactive"] for r in runs]))
            for mark in TRACE_MARKS[:-1]:
                xs = [r[mark] for r in runs if mark in r]
                print(stats_row(f"&nbsp;&nbsp;fork to {mark} ({label})", xs))
        if first:
            print(stats_row("WebDriver start to interactive picker (new data dir)", first))
            print(stats_row("WebDriver start to interactive picker (same data dir)", warm))
            print(stats_row("WebDriver: process start to webview navigation", nav))
        for d in dropped:
            print(f"(redone: WebDriver dropped the connection in {d})")
        if SLOW_EXITS:
            print(f"({len(SLOW_EXITS)} app(s) had not exited 30 s after the WebDriver session closed; killed)")
        result = {"trace": trace, "first_start_ms": first, "warm_start_ms": warm, "navigation_ms": nav,
                  "load1_start": load_start, "load1_end": load_end, "env": opts.env, "webdriver_dropped": dropped}
        if rows:
            rss = sum(r[2] for r in rows)
            pss = sum(r[3] for r in rows)
            print()
            print(f"memory after a {opts.items}-item session (MiB):")
            print()
            print("| process | RSS | PSS |")
            print("|---|---|---|")
            for pid, name, r, p in rows:
                print(f"| {name} (pid {pid}) | {r / 1024:.0f} | {p / 1024:.0f} |")
            print(f"| **total** | **{rss / 1024:.0f}** | **{pss / 1024:.0f}** |")
            result.update({"items": opts.items, "rss_total_kb": rss, "pss_total_kb": pss,
                           "memory_kb": [{"pid": p, "process": n, "rss": r, "pss": s} for p, n, r, s in rows]})
        print()
        print("RESULT " + json.dumps(result))
    finally:
        procs.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
