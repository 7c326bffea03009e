//! A `ladder serve --stdio` client for the integration tests that drive the real binary as a
//! front end would (`serve_cli.rs`, `teacher_journey.rs`).

#![allow(dead_code)] // each test file uses part of it
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{json, Value};

pub struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
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
        let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
            .args(["--data-dir"])
            .arg(data_dir)
            .args(["serve", "--stdio"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the ladder binary starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Server { child, stdin, stdout, next_id: 1 }
    }

    /// Sends one line as it is and reads one response line.
    pub fn raw(&mut self, line: &str) -> Value {
        self.raw_bytes(line.as_bytes())
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

    pub fn finish(mut self) {
        drop(self.stdin);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the server exits cleanly at end of input: {status}");
    }
}
