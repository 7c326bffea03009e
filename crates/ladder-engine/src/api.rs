//! The engine's operations as JSON requests and responses: what `ladder serve --stdio` speaks
//! (one request per line, one response per line) and what the desktop app's commands map to one
//! to one. `docs/api.md` documents every command.
//!
//! A request is `{"id": 1, "command": "next_step", "params": {"session": 12}}` (`params` may be
//! left out when a command takes none). The response carries the same `id` and either `result`
//! or `error: {kind, message}`. Nothing a client sends can stop the server: bad JSON, an unknown
//! command, a bad id or bad parameters are answered with an error, and a panic inside an
//! operation is caught and answered as an `internal` error.

use std::path::PathBuf;

use ladder_core::Answer;
use ladder_store::{LearnerId, SessionId};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::policy::PolicyKind;
use crate::view::SkipResult;

/// Every command, by name.
pub const COMMANDS: &[&str] = &[
    "list_learners",
    "add_learner",
    "list_courses",
    "install_pack",
    "course_map",
    "start_session",
    "next_step",
    "submit_answer",
    "request_hint",
    "view_solution",
    "skip",
    "end_session",
    "mastery_summary",
];

/// The longest string `id` a request may have, in characters.
pub const MAX_ID_CHARS: usize = 200;

/// A command with its parameters.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", content = "params", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    ListLearners {},
    AddLearner {
        name: String,
    },
    ListCourses {},
    InstallPack {
        path: PathBuf,
        #[serde(default)]
        dry_run: bool,
    },
    CourseMap {
        learner: i64,
        course: String,
    },
    StartSession {
        learner: i64,
        course: String,
        #[serde(default)]
        lesson: Option<String>,
        #[serde(default)]
        policy: Option<PolicyKind>,
        /// Carry on the learner's open session on the course from the same sitting, as the
        /// desktop app does ([`Engine::resume_session`]); a new session when there is none.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        resume: Option<bool>,
    },
    NextStep {
        session: i64,
    },
    SubmitAnswer {
        session: i64,
        #[cfg_attr(feature = "ts", ts(as = "crate::wire_ts::Answer"))]
        answer: Answer,
        #[serde(default)]
        latency_ms: u64,
    },
    RequestHint {
        session: i64,
    },
    ViewSolution {
        session: i64,
    },
    Skip {
        session: i64,
    },
    EndSession {
        session: i64,
    },
    MasterySummary {
        learner: i64,
        course: String,
    },
}

fn to_value<T: Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(Error::internal_from)
}

/// Runs one command.
pub fn dispatch(engine: &mut Engine, command: Command) -> Result<Value> {
    match command {
        Command::ListLearners {} => to_value(engine.list_learners()?),
        Command::AddLearner { name } => to_value(engine.add_learner(&name)?),
        Command::ListCourses {} => to_value(engine.list_courses()?),
        Command::InstallPack { path, dry_run } => to_value(engine.install_pack(&path, dry_run)?),
        Command::CourseMap { learner, course } => {
            to_value(engine.course_map(LearnerId(learner), &course)?)
        }
        Command::StartSession { learner, course, lesson, policy, resume } => {
            let learner = LearnerId(learner);
            let open = if resume == Some(true) {
                engine.resume_session(learner, &course, lesson.as_deref(), policy)?
            } else {
                None
            };
            match open {
                Some(open) => to_value(open),
                None => {
                    to_value(engine.start_session(learner, &course, lesson.as_deref(), policy)?)
                }
            }
        }
        Command::NextStep { session } => to_value(engine.next_step(SessionId(session))?),
        Command::SubmitAnswer { session, answer, latency_ms } => {
            to_value(engine.submit_answer(SessionId(session), &answer, latency_ms)?)
        }
        Command::RequestHint { session } => to_value(engine.request_hint(SessionId(session))?),
        Command::ViewSolution { session } => to_value(engine.view_solution(SessionId(session))?),
        Command::Skip { session } => {
            engine.skip(SessionId(session))?;
            to_value(SkipResult { skipped: true })
        }
        Command::EndSession { session } => to_value(engine.end_session(SessionId(session))?),
        Command::MasterySummary { learner, course } => {
            to_value(engine.mastery_summary(LearnerId(learner), &course)?)
        }
    }
}

/// Parses one request line into its id and command. The id is returned even when the rest is
/// bad, so the error can carry it.
pub fn parse_request(line: &str) -> (Value, Result<Command>) {
    let v: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            return (Value::Null, Err(Error::bad_request(format!("the line is not JSON: {e}"))))
        }
    };
    let Value::Object(mut obj) = v else {
        return (Value::Null, Err(Error::bad_request("a request must be a JSON object")));
    };
    let id = obj.remove("id").unwrap_or(Value::Null);
    let id_ok = match &id {
        Value::Number(n) => n.is_i64() || n.is_u64(),
        Value::String(s) => !s.is_empty() && s.chars().count() <= MAX_ID_CHARS,
        _ => false,
    };
    if !id_ok {
        return (
            Value::Null,
            Err(Error::bad_request(format!(
                "`id` must be an integer or a non-empty string of at most {MAX_ID_CHARS} characters"
            ))),
        );
    }
    let Some(Value::String(name)) = obj.remove("command") else {
        return (id, Err(Error::bad_request("`command` must be a string")));
    };
    if !COMMANDS.contains(&name.as_str()) {
        return (
            id,
            Err(Error::new(ErrorKind::UnknownCommand, format!("unknown command {name:?}"))),
        );
    }
    let params = match obj.remove("params") {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(p @ Value::Object(_)) => p,
        Some(_) => return (id, Err(Error::bad_request("`params` must be an object"))),
    };
    if let Some(extra) = obj.keys().next() {
        return (id, Err(Error::bad_request(format!("unknown request field {extra:?}"))));
    }
    let cmd = serde_json::from_value::<Command>(json!({ "command": name, "params": params }))
        .map_err(|e| Error::bad_request(format!("bad params for {name}: {e}")))
        .and_then(check_params);
    (id, cmd)
}

/// The longest answer latency taken, in milliseconds (about 49.7 days): the most the learner
/// model reads. A longer one is a client's bug (a clock mixed up, seconds taken for
/// microseconds), not a time to answer.
pub const MAX_LATENCY_MS: u64 = u32::MAX as u64;

/// Refuses parameters of the right type but out of range.
fn check_params(cmd: Command) -> Result<Command> {
    if let Command::SubmitAnswer { latency_ms, .. } = &cmd {
        if *latency_ms > MAX_LATENCY_MS {
            return Err(Error::bad_request(format!(
                "bad params for submit_answer: latency_ms is {latency_ms}, more than the \
                 {MAX_LATENCY_MS} ms (about 49 days) it can be"
            )));
        }
    }
    Ok(cmd)
}

/// Handles one request line and returns the response line (without the newline).
pub fn handle_line(engine: &mut Engine, line: &str) -> String {
    let (id, cmd) = parse_request(line);
    let result = cmd.and_then(|cmd| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(engine, cmd)))
            .unwrap_or_else(|_| Err(Error::internal("the operation failed unexpectedly")))
    });
    let response = match result {
        Ok(value) => json!({ "id": id, "result": value }),
        Err(e) => json!({ "id": id, "error": e.to_wire() }),
    };
    response.to_string()
}

/// The response line that answers `line` with `error` (and the line's id, when it has one).
pub fn error_line(line: &str, error: &Error) -> String {
    let (id, _) = parse_request(line);
    json!({ "id": id, "error": error.to_wire() }).to_string()
}

/// The response line for a request when there is no engine to run it (it could not be opened:
/// `error` says why). A line that is no valid request is answered as such, as it would be with
/// an engine.
pub fn unavailable_line(line: &str, error: &Error) -> String {
    let (id, cmd) = parse_request(line);
    let error = cmd.err().unwrap_or_else(|| error.clone());
    json!({ "id": id, "error": error.to_wire() }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse_and_bad_ones_say_why() {
        let (id, cmd) = parse_request(r#"{"id":3,"command":"next_step","params":{"session":9}}"#);
        assert_eq!(id, json!(3));
        assert_eq!(cmd.unwrap(), Command::NextStep { session: 9 });
        let (_, cmd) = parse_request(r#"{"id":"a","command":"list_learners"}"#);
        assert_eq!(cmd.unwrap(), Command::ListLearners {});
        let (id, cmd) = parse_request(r#"{"id":4,"command":"fly"}"#);
        assert_eq!((id, cmd.unwrap_err().kind), (json!(4), ErrorKind::UnknownCommand));
        let (id, cmd) = parse_request("{not json");
        assert_eq!((id, cmd.unwrap_err().kind), (Value::Null, ErrorKind::BadRequest));
        let (id, cmd) = parse_request(r#"{"id":[1],"command":"skip"}"#);
        assert_eq!((id, cmd.unwrap_err().kind), (Value::Null, ErrorKind::BadRequest));
        let (_, cmd) = parse_request(r#"{"id":5,"command":"skip","params":{"session":"x"}}"#);
        assert_eq!(cmd.unwrap_err().kind, ErrorKind::BadRequest);
        // A parameter the command does not take is refused, not ignored (a misspelt optional
        // one would otherwise silently do nothing).
        for line in [
            r#"{"id":7,"command":"next_step","params":{"session":1,"bogus":2}}"#,
            r#"{"id":7,"command":"list_learners","params":{"x":1}}"#,
            r#"{"id":7,"command":"start_session","params":{"learner":1,"course":"f","lessen":"a"}}"#,
        ] {
            let e = parse_request(line).1.unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadRequest, "{line}");
            assert!(e.message.contains("unknown field"), "{line}: {e}");
        }
        let (_, cmd) = parse_request(
            r#"{"id":6,"command":"submit_answer","params":{"session":1,"answer":{"kind":"choice","value":[2]},"latency_ms":900}}"#,
        );
        assert_eq!(
            cmd.unwrap(),
            Command::SubmitAnswer { session: 1, answer: Answer::Choice(vec![2]), latency_ms: 900 }
        );
    }

    #[test]
    fn a_string_id_is_limited_in_characters_not_bytes() {
        let accented = "é".repeat(MAX_ID_CHARS);
        let (id, cmd) =
            parse_request(&json!({"id": accented, "command": "list_learners"}).to_string());
        assert_eq!((id, cmd.unwrap()), (json!(accented), Command::ListLearners {}));
        let long = "a".repeat(MAX_ID_CHARS + 1);
        let (id, cmd) = parse_request(&json!({"id": long, "command": "list_learners"}).to_string());
        let e = cmd.unwrap_err();
        assert_eq!((id, e.kind), (Value::Null, ErrorKind::BadRequest));
        assert!(e.message.contains("at most 200 characters"), "{e}");
    }

    /// Unknown fields are refused at every level of a request, inside the answer too: an
    /// answer with a field it does not have was graded as if the field were not there.
    #[test]
    fn an_answer_with_a_field_it_does_not_have_is_refused() {
        let line = |answer: Value| {
            json!({"id": 1, "command": "submit_answer", "params": {"session": 1, "answer": answer}})
                .to_string()
        };
        assert!(parse_request(&line(json!({"kind": "choice", "value": [2]}))).1.is_ok());
        for (answer, field) in [
            (json!({"kind": "choice", "value": [2], "values": [3]}), "values"),
            (json!({"kind": "text", "value": "3/4", "unit": "cm"}), "unit"),
        ] {
            let e = parse_request(&line(answer.clone())).1.unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadRequest, "{answer}");
            assert!(e.message.contains(field), "{answer}: {e}");
        }
    }

    #[test]
    fn an_absurd_latency_is_refused() {
        let line = |ms: u64| {
            json!({"id": 1, "command": "submit_answer", "params": {"session": 1,
                "answer": {"kind": "text", "value": "3/4"}, "latency_ms": ms}})
            .to_string()
        };
        assert!(parse_request(&line(MAX_LATENCY_MS)).1.is_ok());
        for ms in [MAX_LATENCY_MS + 1, 10_000_000_000_000, u64::MAX] {
            let e = parse_request(&line(ms)).1.unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadRequest, "{ms}");
            assert!(e.message.contains("latency_ms"), "{e}");
        }
    }

    #[test]
    fn every_command_name_parses() {
        for name in COMMANDS {
            let (_, cmd) = parse_request(&format!(r#"{{"id":1,"command":"{name}"}}"#));
            // Commands with required params fail on params, never as unknown.
            if let Err(e) = cmd {
                assert_eq!(e.kind, ErrorKind::BadRequest, "{name}");
            }
        }
    }
}
