//! A `ladder serve --stdio` client for the integration tests that drive the real binary as a
//! front end would (`serve_cli.rs`, `teacher_journey.rs`, `serve_api_doc.rs`).

#![allow(dead_code)] // each test file uses part of it
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::io::Read;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{json, Value};

pub struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// Kept by [`Server::start_in`], for [`Server::finish_with_stderr`].
    stderr: Option<ChildStderr>,
    next_id: i64,
}

impl Server {
    /// A server on `data_dir` running the model the app ships (named, so that the tests run it
    /// wherever cargo puts the binary: from another target directory it is not found by itself
    /// and the built-in predictor would run instead).
    pub fn start(data_dir: &Path) -> Server {
        let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default");
        Server::start_with(data_dir, &["--bundled".as_ref(), bundled.as_os_str()])
    }

    /// A server with more arguments after `serve --stdio` (`--bundled DIR`, `--policy ...`).
    pub fn start_with(data_dir: &Path, extra: &[&std::ffi::OsStr]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ladder"));
        cmd.arg("--data-dir").arg(data_dir).args(["serve", "--stdio"]).args(extra);
        Server::spawn(cmd.stderr(Stdio::inherit()))
    }

    /// A server started in `cwd`, so that relative paths in requests resolve there (docs/api.md's
    /// examples name `assets/packs/fractions` from the repository root), with what it writes on
    /// stderr kept for [`Server::finish_with_stderr`].
    pub fn start_in(cwd: &Path, data_dir: &Path, extra: &[&std::ffi::OsStr]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ladder"));
        cmd.current_dir(cwd).arg("--data-dir").arg(data_dir).args(["serve", "--stdio"]).args(extra);
        Server::spawn(cmd.stderr(Stdio::piped()))
    }

    fn spawn(cmd: &mut Command) -> Server {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the ladder binary starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let stderr = child.stderr.take();
        Server { child, stdin, stdout, stderr, next_id: 1 }
    }

    /// Sends one line as it is and reads one response line.
    pub fn raw(&mut self, line: &str) -> Value {
        self.raw_bytes(line.as_bytes())
    }

    /// Sends one line and reads nothing: for a line the server must not answer (a blank one).
    pub fn unanswered(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends raw bytes (a newline is added) and returns the one response line.
    pub fn raw_bytes(&mut self, line: &[u8]) -> Value {
        self.stdin.write_all(line).unwrap();
        self.stdin.write_all(b"\n").unwrap();
        self.stdin.flush().unwrap();
        let mut out = String::new();
        self.stdout.read_line(&mut out).unwrap();
        assert!(out.ends_with('\n'), "one response per line, got {out:?}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("response is not JSON ({e}): {out}"))
    }

    /// Sends a command and returns its `result`, checking the id came back.
    pub fn call(&mut self, command: &str, params: Value) -> Value {
        let r = self.try_call(command, params.clone());
        assert!(r.get("error").is_none(), "{command} {params} failed: {r}");
        r["result"].clone()
    }

    /// The whole response (`result` or `error`).
    pub fn try_call(&mut self, command: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let r = self.raw(&json!({"id": id, "command": command, "params": params}).to_string());
        assert_eq!(r["id"], json!(id), "{r}");
        r
    }

    /// Sends a whole request as it is (any id) and returns the response, checking that the id
    /// came back.
    pub fn send(&mut self, request: &Value) -> Value {
        let r = self.raw(&request.to_string());
        assert_eq!(r["id"], request["id"], "the response carries the request's id: {r}");
        r
    }

    /// Ends the input and checks the server exits cleanly.
    pub fn finish(self) {
        self.finish_with_stderr();
    }

    /// Ends the input, checks the server exits cleanly, and returns what it wrote on stderr
    /// (empty unless started with [`Server::start_in`]).
    pub fn finish_with_stderr(mut self) -> String {
        drop(self.stdin);
        let mut err = String::new();
        if let Some(mut stderr) = self.stderr.take() {
            stderr.read_to_string(&mut err).unwrap();
        }
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the server exits cleanly at end of input: {status}\n{err}");
        err
    }
}
