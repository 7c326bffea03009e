#!/usr/bin/env python3
"""App benchmarks: cold start to an interactive learner picker, and resident memory after a
50-item session, measured on the real window under Xvfb through tauri-driver (W3C WebDriver).

    python3 bench/app/bench_app.py --app target-app-release/release/ladder-app [--runs 5]

Cold start: from the app process's start (its start time in /proc, so the WebDriver handshake
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

Prints a Markdown table and one JSON line (`RESULT {...}`) with every figure.
"""

import argparse
import json
import os
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


def boot_time_s():
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return int(line.split()[1])
    raise RuntimeError("no btime in /proc/stat")


def process_start_ms(pid):
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    ticks = int(fields[19])  # field 22 of stat: start time in clock ticks since boot
    return (boot_time_s() + ticks / os.sysconf("SC_CLK_TCK")) * 1000.0


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
                if "Maximum number of active sessions" not in str(e) or time.monotonic() > deadline:
                    raise
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
        # Wait for the app to exit, so the next start is measured alone.
        wait_until("the app to exit", 30, lambda: not Path(f"/proc/{self.pid}").exists() or
                   "Z" in Path(f"/proc/{self.pid}/stat").read_text().split(")")[-1][:3])


def cold_start(driver_url, app, data_dir):
    a = App(driver_url, app, data_dir)
    spawn = process_start_ms(a.pid)
    ready = wait_until("the learner picker", 60, lambda: a.execute(PICKER_READY_JS), every=0.0)
    nav = a.execute("return performance.timeOrigin;")
    return a, ready - spawn, nav - spawn


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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", default=str(ROOT / "target-app-release/release/ladder-app"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="extra environment for the app (e.g. WEBKIT_DISABLE_COMPOSITING_MODE=1)")
    opts = ap.parse_args()
    app = Path(opts.app).resolve()
    if not app.is_file():
        sys.exit(f"no app at {app}: build it (bench/app/build-bundle.sh, or cargo build --release -p ladder-app)")
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
        port = free_port()
        native = free_port()
        while native == port:  # the OS may hand out the same free port twice
            native = free_port()
        driver = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")
        native_driver = shutil.which("WebKitWebDriver") or "/usr/bin/WebKitWebDriver"
        procs.start([driver, "--port", str(port), "--native-port", str(native), "--native-driver", native_driver], env=env)
        url = f"http://127.0.0.1:{port}"

        def status():
            try:
                request("GET", f"{url}/status", timeout=2)
                return True
            except Exception:
                return False

        wait_until("tauri-driver", 20, status)

        first, warm, nav = [], [], []
        rows = None
        for run in range(opts.runs):
            data = work / f"data-{run}"
            a, ms, nav_ms = cold_start(url, app, data)
            first.append(ms)
            a.close()
            a, ms, nav_ms = cold_start(url, app, data)
            warm.append(ms)
            nav.append(nav_ms)
            if run == opts.runs - 1:
                session_of(a, opts.items)
                rows = memory(a)
            a.close()
        rss = sum(r[2] for r in rows)
        pss = sum(r[3] for r in rows)
        app_rss = rows[0][2]
        load = os.getloadavg()[0]
        print(f"| measure | median | min | max | runs |")
        print(f"|---|---|---|---|---|")
        for name, xs in [("first start (new data dir), ms", first), ("start again (same data dir), ms", warm), ("process start to webview navigation, ms", nav)]:
            print(f"| {name} | {statistics.median(xs):.0f} | {min(xs):.0f} | {max(xs):.0f} | {len(xs)} |")
        print()
        print(f"memory after a {opts.items}-item session (kB):")
        for pid, name, r, p in rows:
            print(f"  {name:<22} pid {pid:<7} RSS {r:>8}  PSS {p:>8}")
        print(f"  {'total':<22} {'':<11} RSS {rss:>8}  PSS {pss:>8}")
        print(f"load average (1 min) at the end: {load:.1f}")
        result = {
            "first_start_ms": first,
            "warm_start_ms": warm,
            "navigation_ms": nav,
            "items": opts.items,
            "memory_kb": [{"pid": p, "process": n, "rss": r, "pss": s} for p, n, r, s in rows],
            "rss_total_kb": rss,
            "pss_total_kb": pss,
            "app_rss_kb": app_rss,
            "load1": load,
        }
        print("RESULT " + json.dumps(result))
    finally:
        procs.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
