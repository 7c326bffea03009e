#!/usr/bin/env bash
# Screenshots of the sample reports for docs/screenshots/:
#   report-pdf.png   page 1 of a learner report's PDF (pdftoppm, poppler-utils)
#   report-html.png  the learner report's HTML page in WebKitGTK's MiniBrowser, driven by
#                    WebKitWebDriver under Xvfb (skipped with a note when they are missing)
# Run from the repository root: crates/ladder-report/scripts/screenshots.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/../../.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cd "$root"
cargo run -q -p ladder-report --example sample_report -- "$out" >/dev/null
pdftoppm -r 90 -png -f 1 -l 1 "$out/learner.pdf" "$out/page"
cp "$out"/page-1.png docs/screenshots/report-pdf.png
echo "wrote docs/screenshots/report-pdf.png"

browser=""
for b in /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser /usr/lib/*/webkit2gtk-4.1/MiniBrowser; do
    [ -x "$b" ] && browser="$b" && break
done
if [ -z "$browser" ] || ! command -v WebKitWebDriver >/dev/null || ! command -v xvfb-run >/dev/null; then
    echo "no MiniBrowser/WebKitWebDriver/xvfb-run: report-html.png not made" >&2
    exit 0
fi
xvfb-run -a -s "-screen 0 1280x2400x24" python3 - "$browser" "$out/learner.html" docs/screenshots/report-html.png <<'PY'
import base64, json, subprocess, sys, time, urllib.request

browser, page, target = sys.argv[1:4]
port = 4471
driver = subprocess.Popen(["WebKitWebDriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def call(method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)["value"]
try:
    for _ in range(50):
        try:
            call("GET", "/status")
            break
        except OSError:
            time.sleep(0.2)
    caps = {"capabilities": {"alwaysMatch": {"webkitgtk:browserOptions": {
        "binary": browser, "args": ["--automation", "--geometry=1100x2200"]}}}}
    sid = call("POST", "/session", caps)["sessionId"]
    try:
        call("POST", f"/session/{sid}/url", {"url": "file://" + page})
        png = base64.b64decode(call("GET", f"/session/{sid}/screenshot"))
        open(target, "wb").write(png)
        print("wrote", target)
    finally:
        call("DELETE", f"/session/{sid}")
finally:
    driver.terminate()
PY
