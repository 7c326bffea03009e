//! End-to-end harness for the Ladder desktop app: drives the real window through `tauri-driver`
//! and WebKitWebDriver with the W3C WebDriver protocol (plain HTTP + JSON).
//!
//! - [`Display`] starts `Xvfb` when there is no `DISPLAY` (`:99`, or the next free number).
//! - [`Driver`] starts `tauri-driver` on free ports, in its own process group.
//! - [`Session`] is one WebDriver session: it launches the app, finds elements by CSS selector,
//!   clicks, types, reads text and takes screenshots.
//!
//! Every process is stopped when its guard is dropped, also when a test panics. Nothing sleeps to
//! synchronise: [`poll`] re-checks a condition until a deadline and fails with what it was waiting
//! for. WebKitWebDriver allows one session at a time, so tests run one after another.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Errors are plain messages: every one says what was being done.
pub type Result<T> = std::result::Result<T, String>;

/// Copies a folder (files and sub-folders) to `to`, as a preload folder or a pack to change.
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| format!("mkdir {}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("list {}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let (path, dest) = (entry.path(), to.join(entry.file_name()));
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            std::fs::copy(&path, &dest).map_err(|e| format!("copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The key under which W3C WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The app's environment for tests that take WebDriver screenshots: WebKit's accelerated
/// compositing on. The app turns it off by default (src-tauri/src/startup.rs), and then
/// WebKitWebDriver's screenshot command can wait forever under Xvfb (seen with WebKitGTK 2.4x:
/// the page itself paints normally, as the X display shows). Tests without screenshots (the file
/// dialog's) run in the default mode.
pub const SCREENSHOT_ENV: (&str, &str) = ("LADDER_WEBKIT_COMPOSITING", "1");

/// Where the tests write their screenshots: `$LADDER_SCREENSHOTS_DIR`, else the docs'
/// `docs/screenshots/` (the pictures README.md and docs/ui.md show).
pub fn screenshots_dir() -> PathBuf {
    std::env::var_os("LADDER_SCREENSHOTS_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("docs/screenshots"))
}

/// How often [`poll`] re-checks a condition.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// Re-runs `check` until it returns `Some`, or fails after `timeout` naming `what`.
pub fn poll<T>(
    what: &str,
    timeout: Duration,
    mut check: impl FnMut() -> Result<Option<T>>,
) -> Result<T> {
    let deadline = Instant::now() + timeout;
    let mut last_error = None;
    loop {
        match check() {
            Ok(Some(v)) => return Ok(v),
            Ok(None) => {}
            Err(e) => last_error = Some(e),
        }
        if Instant::now() >= deadline {
            let detail = last_error.map(|e| format!(" (last error: {e})")).unwrap_or_default();
            return Err(format!(
                "timed out after {:.1}s waiting for {what}{detail}",
                timeout.as_secs_f64()
            ));
        }
        std::thread::sleep(POLL_INTERVAL);
    }
}
/// `n` answers by `learner` on `pack`'s course, every third one wrong (through the engine's own
/// command dispatch, as `ladder serve --stdio` runs them), in one session.
pub fn practise(
    engine: &mut ladder_engine::Engine,
    pack: &ladder_pack::Pack,
    learner: i64,
    n: usize,
) -> Result<()> {
    use ladder_engine::api::{dispatch, Command};
    use ladder_engine::sim::answers;
    let mut run = |c: Command| dispatch(engine, c).map_err(|e| format!("{e}"));
    let started = run(Command::StartSession {
        learner,
        course: pack.info.id.to_string(),
        lesson: None,
        policy: None,
        resume: None,
    })?;
    let session = started["session"].as_i64().ok_or("start_session gave no session id")?;
    for k in 0..n {
        let step = run(Command::NextStep { session })?;
        let id = step["item"]["id"].as_str().ok_or("next_step gave no item id")?;
        let item = pack
            .items
            .iter()
            .find(|i| i.id.to_string() == id)
            .ok_or_else(|| format!("the engine chose {id}, which the pack lacks"))?;
        let answer = if k % 3 == 2 { answers::wrong(item, k) } else { answers::right(item) };
        run(Command::SubmitAnswer { session, answer, latency_ms: 5000 })?;
    }
    run(Command::EndSession { session })?;
    Ok(())
}

/// Answers the steps of an open `session` on `pack`'s course, one per entry of `answers`:
/// `None` answers right, `Some(k)` wrong with the item's `k`-th wrong answer
/// (`ladder_engine::sim::answers::wrong`). Through the engine's own methods, as the app calls them.
pub fn answer_steps(
    engine: &mut ladder_engine::Engine,
    session: ladder_store::SessionId,
    pack: &str,
    answers: impl IntoIterator<Item = Option<usize>>,
) -> Result<()> {
    use ladder_engine::sim::answers as make;
    for wrong in answers {
        let step = engine.next_step(session).map_err(|e| format!("next: {e}"))?;
        let loaded = engine.course(pack).map_err(|e| format!("course: {e}"))?;
        let item = loaded
            .items
            .iter()
            .find(|i| i.id.as_str() == step.item.id)
            .ok_or("the engine chose an item the course lacks")?;
        let answer = wrong.map_or_else(|| make::right(item), |k| make::wrong(item, k));
        engine.submit_answer(session, &answer, 5_000).map_err(|e| format!("answer: {e}"))?;
    }
    Ok(())
}

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The built app: `$LADDER_APP_BIN`, else `ladder-app` next to the calling test's target
/// directory (`<target>/debug/deps/app-*` -> `<target>/debug/ladder-app`), which follows
/// `CARGO_TARGET_DIR`.
pub fn app_binary() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("LADDER_APP_BIN").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("LADDER_APP_BIN={} does not exist", p.display()))
        };
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot locate the test binary: {e}"))?;
    let profile_dir =
        exe.parent().and_then(Path::parent).ok_or("cannot locate the target directory")?;
    let app = profile_dir.join(format!("ladder-app{}", std::env::consts::EXE_SUFFIX));
    if app.is_file() {
        Ok(app)
    } else {
        Err(format!(
            "the app is not built at {}: run `npm run build` in ui/ and `cargo build -p ladder-app` \
             (scripts/test-app.sh does both), or set LADDER_APP_BIN",
            app.display()
        ))
    }
}

/// Finds an executable: `$var` if set, else `name` on the `PATH`, else `~/.cargo/bin/name`.
pub fn find_program(var: &str, name: &str) -> Result<PathBuf> {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("{var} points at {}, which does not exist", p.display()))
        };
    }
    let mut dirs: Vec<PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect()).unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file()).ok_or_else(|| {
        format!("{name} not found on the PATH (set {var}; scripts/setup-app-deps.sh installs it)")
    })
}

/// A free TCP port on 127.0.0.1 (the OS picks it; it is released right away).
pub fn free_port() -> Result<u16> {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Process groups started by [`Guard`]s that are still alive, so that an interrupted test
/// (Ctrl-C, SIGTERM from `timeout` or CI) can stop them too: a signal skips `Drop`.
static LIVE_GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());
static SIGNAL_HANDLER: Once = Once::new();

fn kill_group(pgid: u32, signal: &str) {
    let group = format!("-{pgid}");
    let _ = Command::new("kill").args([signal, "--", &group]).stderr(Stdio::null()).status();
}

fn install_signal_handler() {
    SIGNAL_HANDLER.call_once(|| {
        let result = ctrlc::set_handler(|| {
            let groups = LIVE_GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
            for pgid in groups {
                kill_group(pgid, "-KILL");
            }
            // Written to the real stderr: the test harness captures `eprintln!` in this thread.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                b"ladder-e2e: interrupted; stopped the processes it had started\n",
            );
            std::process::exit(130);
        });
        if let Err(e) = result {
            eprintln!(
                "ladder-e2e: cannot watch for Ctrl-C/SIGTERM ({e}); \
                 an interrupted run may leave processes behind"
            );
        }
    });
}

/// A child process in its own process group; dropping it stops the whole group
/// (SIGTERM, then SIGKILL after a grace period), so grandchildren do not outlive the test.
/// An interrupt (SIGINT, SIGTERM) stops every live group as well.
pub struct Guard {
    name: &'static str,
    child: Child,
}

impl Guard {
    pub fn spawn(name: &'static str, cmd: &mut Command) -> Result<Self> {
        install_signal_handler();
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(cmd, 0);
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {name} ({:?}): {e}", cmd.get_program()))?;
        if let Ok(mut groups) = LIVE_GROUPS.lock() {
            groups.push(child.id());
        }
        Ok(Self { name, child })
    }

    /// Fails if the process has already exited.
    pub fn check_running(&mut self) -> Result<()> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!("{} exited early: {status}", self.name)),
            Err(e) => Err(format!("cannot check {}: {e}", self.name)),
        }
    }

    fn signal_group(&self, signal: &str) {
        kill_group(self.child.id(), signal);
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(mut groups) = LIVE_GROUPS.lock() {
            groups.retain(|&g| g != self.child.id());
        }
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            // The leader is gone; still sweep its group.
            self.signal_group("-KILL");
            return;
        }
        self.signal_group("-TERM");
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                self.signal_group("-KILL");
                return;
            }
            std::thread::sleep(POLL_INTERVAL);
        }
        self.signal_group("-KILL");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The X display the app renders on: the caller's `DISPLAY`, or a private Xvfb.
pub struct Display {
    pub name: String,
    _xvfb: Option<Guard>,
}

impl Display {
    /// Uses `$DISPLAY` when set; otherwise starts `Xvfb` on `:99` (or the next free number).
    pub fn ensure() -> Result<Self> {
        if let Some(d) = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty()) {
            return Ok(Self { name: d, _xvfb: None });
        }
        let xvfb = find_program("XVFB", "Xvfb")?;
        let number = (99..140)
            .find(|n| {
                !Path::new(&format!("/tmp/.X{n}-lock")).exists()
                    && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            })
            .ok_or("no free X display number between :99 and :139")?;
        let name = format!(":{number}");
        let mut guard = Guard::spawn(
            "Xvfb",
            Command::new(xvfb)
                .args([&name, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )?;
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
        poll(&format!("Xvfb to open {}", socket.display()), Duration::from_secs(10), || {
            guard.check_running()?;
            Ok(socket.exists().then_some(()))
        })?;
        Ok(Self { name, _xvfb: Some(guard) })
    }
}

/// A running `tauri-driver` (which runs WebKitWebDriver).
pub struct Driver {
    pub url: String,
    agent: ureq::Agent,
    // Declared last: dropped after the sessions that use it.
    guard: Guard,
}

impl Driver {
    /// Starts tauri-driver on free ports, with `display` and `env` in its (and so the app's)
    /// environment, and waits until it answers `/status`.
    pub fn start(display: &Display, env: &[(&str, &std::ffi::OsStr)]) -> Result<Self> {
        let tauri_driver = find_program("TAURI_DRIVER", "tauri-driver")?;
        let native = find_program("WEBKIT_WEBDRIVER", "WebKitWebDriver")?;
        let port = free_port()?;
        let native_port = loop {
            let p = free_port()?;
            if p != port {
                break p;
            }
        };
        let mut cmd = Command::new(tauri_driver);
        cmd.arg("--port")
            .arg(port.to_string())
            .arg("--native-port")
            .arg(native_port.to_string())
            .arg("--native-driver")
            .arg(native)
            .env("DISPLAY", &display.name)
            .stdout(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut guard = Guard::spawn("tauri-driver", &mut cmd)?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let url = format!("http://127.0.0.1:{port}");
        let status_url = format!("{url}/status");
        let probe: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(2)))
            .build()
            .into();
        poll("tauri-driver to answer /status", Duration::from_secs(20), || {
            guard.check_running()?;
            Ok(probe.get(&status_url).call().ok().map(|_| ()))
        })?;
        Ok(Self { url, agent, guard })
    }

    /// Starts a session, which launches `app` with `args`, and waits for its first page.
    pub fn session(&mut self, app: &Path, args: &[String]) -> Result<Session<'_>> {
        self.guard.check_running()?;
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "tauri:options": { "application": app, "args": args }
                }
            }
        });
        let value = request(&self.agent, "POST", &format!("{}/session", self.url), Some(caps))
            .map_err(|e| {
                format!(
                    "cannot start a WebDriver session for {} (does the app start? run it by hand \
                     to see its errors): {e}",
                    app.display()
                )
            })?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no sessionId in the new-session answer: {value}"))?
            .to_string();
        Ok(Session {
            base: format!("{}/session/{id}", self.url),
            agent: self.agent.clone(),
            _driver: std::marker::PhantomData,
        })
    }
}

fn request(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Result<Value> {
    let response = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        (_, Some(body)) => agent.post(url).send_json(body),
        (_, None) => agent.post(url).send_json(json!({})),
    };
    let mut response = response.map_err(|e| format!("{method} {url}: {e}"))?;
    let status = response.status();
    let text = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| format!("{method} {url}: reading the answer: {e}"))?;
    let json: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{method} {url}: answer is not JSON ({e}): {text:.200}"))?;
    let value = json.get("value").cloned().unwrap_or(Value::Null);
    if !status.is_success() {
        let error = value["error"].as_str().unwrap_or("unknown error");
        let message = value["message"].as_str().unwrap_or("");
        return Err(format!("{method} {url}: {status}: {error}: {message}"));
    }
    Ok(value)
}

/// An element found in the page.
#[derive(Debug, Clone)]
pub struct Element {
    id: String,
    selector: String,
}

impl Element {
    /// The element as an argument of [`Session::execute`] (`arguments[k]` is the element).
    pub fn reference(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }
}

/// One WebDriver session: one running instance of the app. Dropping it ends the session, which
/// closes the app.
pub struct Session<'d> {
    base: String,
    agent: ureq::Agent,
    _driver: std::marker::PhantomData<&'d mut Driver>,
}

impl Session<'_> {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        request(&self.agent, method, &format!("{}{path}", self.base), body)
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page and returns its value.
    pub fn execute(&self, script: &str, args: Value) -> Result<Value> {
        self.call("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    /// Runs `script` asynchronously: it finishes by calling its last argument with the result.
    pub fn execute_async(&self, script: &str, args: Value) -> Result<Value> {
        self.call("POST", "/execute/async", Some(json!({ "script": script, "args": args })))
    }

    /// The URL of the current page.
    pub fn url(&self) -> Result<String> {
        let v = self.call("GET", "/url", None)?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// All elements matching `selector` right now (possibly none).
    pub fn find_all(&self, selector: &str) -> Result<Vec<Element>> {
        let value = self.call(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": selector })),
        )?;
        elements_of(&value, selector)
    }

    /// The elements matching `selector` that are shown now (laid out, not `visibility:
    /// hidden`), found in one call.
    pub fn find_visible(&self, selector: &str) -> Result<Vec<Element>> {
        let value = self.execute(
            "return [...document.querySelectorAll(arguments[0])].filter((e) => \
               e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');",
            json!([selector]),
        )?;
        elements_of(&value, selector)
    }

    /// Waits until an element matching `selector` is displayed, and returns it.
    pub fn wait_for(&self, selector: &str, timeout: Duration) -> Result<Element> {
        poll(&format!("a visible `{selector}`"), timeout, || {
            for el in self.find_all(selector)? {
                if self.is_displayed(&el)? {
                    return Ok(Some(el));
                }
            }
            Ok(None)
        })
    }

    /// Waits until the page's text inside `selector` contains `text`.
    pub fn wait_for_text(&self, selector: &str, text: &str, timeout: Duration) -> Result<Element> {
        poll(&format!("`{selector}` to contain {text:?}"), timeout, || {
            for el in self.find_all(selector)? {
                if self.text(&el)?.contains(text) {
                    return Ok(Some(el));
                }
            }
            Ok(None)
        })
    }

    pub fn is_displayed(&self, el: &Element) -> Result<bool> {
        let v = self.call("GET", &format!("/element/{}/displayed", el.id), None)?;
        Ok(v.as_bool().unwrap_or(false))
    }

    pub fn click(&self, el: &Element) -> Result<()> {
        self.call("POST", &format!("/element/{}/click", el.id), Some(json!({})))
            .map(drop)
            .map_err(|e| format!("click `{}`: {e}", el.selector))
    }

    pub fn type_text(&self, el: &Element, text: &str) -> Result<()> {
        self.call("POST", &format!("/element/{}/value", el.id), Some(json!({ "text": text })))
            .map(drop)
            .map_err(|e| format!("type into `{}`: {e}", el.selector))
    }

    /// The accessible name the browser itself computes for `el` (WebDriver's "Get Computed
    /// Label": WebKit's accessibility tree, what a screen reader is given).
    pub fn computed_label(&self, el: &Element) -> Result<String> {
        let v = self.call("GET", &format!("/element/{}/computedlabel", el.id), None)?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// The role the browser itself computes for `el` (WebDriver's "Get Computed Role").
    pub fn computed_role(&self, el: &Element) -> Result<String> {
        let v = self.call("GET", &format!("/element/{}/computedrole", el.id), None)?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    pub fn text(&self, el: &Element) -> Result<String> {
        let v = self.call("GET", &format!("/element/{}/text", el.id), None)?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Presses and releases each key of `keys` in turn, as the keyboard would, at whatever has
    /// the focus (W3C key actions; `keys` may mix text and the [`key`] codes). Unlike
    /// [`Session::type_text`] it aims at no element: the page decides where the keys go.
    pub fn press(&self, keys: &str) -> Result<()> {
        let mut actions = Vec::new();
        for c in keys.chars() {
            let c = c.to_string();
            actions.push(json!({ "type": "keyDown", "value": c }));
            actions.push(json!({ "type": "keyUp", "value": c }));
        }
        self.key_actions(actions).map_err(|e| format!("press {keys:?}: {e}"))
    }

    /// Presses `key` while `modifier` is held (Shift+Tab: `chord(key::SHIFT, key::TAB)`).
    pub fn chord(&self, modifier: &str, key: &str) -> Result<()> {
        let actions = vec![
            json!({ "type": "keyDown", "value": modifier }),
            json!({ "type": "keyDown", "value": key }),
            json!({ "type": "keyUp", "value": key }),
            json!({ "type": "keyUp", "value": modifier }),
        ];
        self.key_actions(actions).map_err(|e| format!("press {modifier:?}+{key:?}: {e}"))
    }

    fn key_actions(&self, actions: Vec<Value>) -> Result<()> {
        let body = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] });
        self.call("POST", "/actions", Some(body)).map(drop)
    }

    /// The texts of all elements matching `selector`.
    pub fn texts(&self, selector: &str) -> Result<Vec<String>> {
        self.find_all(selector)?.iter().map(|el| self.text(el)).collect()
    }

    /// Resizes the window (in CSS pixels).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.call("POST", "/window/rect", Some(json!({ "width": width, "height": height })))
            .map(drop)
    }

    /// Waits until the page has painted its current DOM (two animation frames), so that a
    /// screenshot shows what the last DOM change produced.
    pub fn wait_for_paint(&self) -> Result<()> {
        self.execute_async(
            "const done = arguments[arguments.length - 1];
             requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            json!([]),
        )
        .map(drop)
        .map_err(|e| format!("waiting for the page to paint: {e}"))
    }

    /// A PNG of the window's viewport, written to `path`, taken once the page has painted.
    pub fn screenshot(&self, path: &Path) -> Result<()> {
        self.wait_for_paint()?;
        let v = self.call("GET", "/screenshot", None)?;
        let b64 = v.as_str().ok_or("the screenshot answer is not a string")?;
        let png = decode_base64(b64)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(path, png).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }
}

/// The rules the accessibility audit runs, by axe-core's tags: WCAG 2.0 and 2.1 at levels A and
/// AA, WCAG 2.2 AA (the size of click targets: young hands), and axe's best practices (a heading
/// level skipped, content outside the landmarks, two landmarks of one name, ...), which a
/// screen-reader user meets as directly.
pub const AXE_TAGS: [&str; 6] =
    ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/// axe-core's script (`ui/node_modules/axe-core/axe.min.js`: a devDependency of the UI, pinned
/// in `ui/package-lock.json`, installed by `npm ci`).
pub fn axe_source() -> Result<String> {
    let path = repo_root().join("ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read axe-core at {} ({e}): run `npm ci` in ui/ (scripts/setup-app-deps.sh does)",
            path.display()
        )
    })
}

/// One violation found by axe-core on one element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// axe's rule id (`color-contrast`, `label`, ...).
    pub rule: String,
    /// What the rule asks, in axe's words.
    pub help: String,
    /// The element: a CSS selector, then the start of its HTML.
    pub element: String,
    /// Why this element fails, in axe's words.
    pub why: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}) at {}: {}", self.rule, self.help, self.element, self.why)
    }
}

/// Runs axe-core in the page with the rules of `tags`, leaving out the elements of `exclude`
/// (CSS selectors; each needs its reason where it is written), and returns the violations.
const AXE_RUN: &str = r#"
const [tags, exclude, done] = arguments;
const context = exclude.length ? { include: [document], exclude: exclude.map((s) => [s]) } : document;
window.axe
  .run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
  .then((r) => done({ ok: r.violations.map((v) => ({
      rule: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.replace(/\s+/g, ' ').slice(0, 160),
        why: (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
      })),
    })) }))
  .catch((e) => done({ error: String(e && e.stack || e) }));
"#;

impl Session<'_> {
    /// The accessibility violations of the page as it is now: axe-core (`axe`, from
    /// [`axe_source`], injected on first use and again after a reload) with the rules of
    /// [`AXE_TAGS`], the elements matching `exclude` left out.
    pub fn audit_accessibility(&self, axe: &str, exclude: &[&str]) -> Result<Vec<Violation>> {
        let loaded = self.execute("return typeof window.axe === 'object';", json!([]))?;
        if loaded != json!(true) {
            self.execute(&format!("{axe}\n;return true;"), json!([]))
                .map_err(|e| format!("cannot inject axe-core into the page: {e}"))?;
        }
        let result = self
            .execute_async(AXE_RUN, json!([AXE_TAGS, exclude]))
            .map_err(|e| format!("running axe-core: {e}"))?;
        if let Some(e) = result.get("error") {
            return Err(format!("axe-core failed in the page: {e}"));
        }
        let mut out = Vec::new();
        for v in result["ok"].as_array().ok_or_else(|| format!("axe-core answered {result}"))? {
            let text = |x: &Value, k: &str| x[k].as_str().unwrap_or_default().to_string();
            for n in v["nodes"].as_array().into_iter().flatten() {
                out.push(Violation {
                    rule: text(v, "rule"),
                    help: text(v, "help"),
                    element: format!("`{}` {}", text(n, "target"), text(n, "html")),
                    why: text(n, "why"),
                });
            }
        }
        Ok(out)
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = request(&self.agent, "DELETE", &self.base, None);
    }
}

/// The W3C WebDriver codes of the keys a keyboard user presses, for [`Session::press`].
pub mod key {
    pub const BACKSPACE: &str = "\u{E003}";
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const SHIFT: &str = "\u{E008}";
    pub const CONTROL: &str = "\u{E009}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const SPACE: &str = "\u{E00D}";
    pub const UP: &str = "\u{E013}";
    pub const DOWN: &str = "\u{E015}";
}

/// Decodes standard base64 (with or without padding; whitespace ignored).
pub fn decode_base64(text: &str) -> Result<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in text.as_bytes() {
        if c == b'=' || c.is_ascii_whitespace() {
            continue;
        }
        let v = value(c).ok_or_else(|| format!("invalid base64 character {:?}", c as char))?;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// The elements of a WebDriver answer that lists them (`selector` names them in errors).
fn elements_of(value: &Value, selector: &str) -> Result<Vec<Element>> {
    let list = value.as_array().ok_or_else(|| format!("find {selector}: not a list: {value}"))?;
    list.iter()
        .map(|v| {
            v[ELEMENT_KEY]
                .as_str()
                .map(|id| Element { id: id.to_string(), selector: selector.to_string() })
                .ok_or_else(|| format!("find {selector}: bad element reference {v}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_known_values() {
        assert_eq!(decode_base64("").expect("empty"), b"");
        assert_eq!(decode_base64("Zg==").expect("f"), b"f");
        assert_eq!(decode_base64("Zm8=").expect("fo"), b"fo");
        assert_eq!(decode_base64("Zm9v").expect("foo"), b"foo");
        assert_eq!(decode_base64("Zm9vYmFy\n").expect("foobar"), b"foobar");
        assert_eq!(decode_base64("iVBORw0KGgo=").expect("png"), b"\x89PNG\r\n\x1a\n");
        assert!(decode_base64("Zm9v!").is_err());
    }

    #[test]
    fn poll_returns_the_value_or_says_what_it_waited_for() {
        let mut n = 0;
        let v = poll("n to reach 3", Duration::from_secs(5), || {
            n += 1;
            Ok((n >= 3).then_some(n))
        })
        .expect("reaches 3");
        assert_eq!(v, 3);
        let e = poll::<()>("never", Duration::from_millis(120), || Err("nope".into()))
            .expect_err("times out");
        assert!(e.contains("waiting for never") && e.contains("nope"), "{e}");
    }
}
