//! docs/api.md is the contract of `ladder serve --stdio` for every front end: this test reads
//! its examples and runs them through the real server, so that the page cannot drift from the
//! code again.
//!
//! - Every request example (a ```json block's line with a `command`) is sent to a real
//!   `ladder serve --stdio` on a temporary data folder, in the page's order, from the repository
//!   root (so the documented `assets/packs/fractions` path is installed), with the bundled
//!   default model. Ids the page invents (learner 1, session 7) are mapped to the ones the
//!   server really gave.
//! - Each response is checked against the documented response with the same id: success or
//!   error alike, the same error kind, the same field names at every level (none missing, none
//!   undocumented) and the same kinds of value (a documented integer is an integer, a string a
//!   string; `null` stands for "may be absent").
//! - Every command has a section with an example, the error-kind table lists exactly the
//!   kinds the engine has, every answer form of the `submit_answer` table is a valid request,
//!   and the settings table gives `Settings::default()`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failure is the test failing

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use ladder_engine::{api, ErrorKind, Settings};

mod common;
use common::Server;
use serde_json::{json, Value};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn api_doc() -> String {
    std::fs::read_to_string(repo_root().join("docs/api.md")).unwrap()
}

/// One JSON value of a ```json block, with the heading it is under and its line in the page.
#[derive(Debug, Clone)]
struct DocValue {
    section: String,
    line: usize,
    value: Value,
}

/// Every JSON value of every ```json block, in page order.
fn json_blocks(doc: &str) -> Vec<DocValue> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut block: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        if let Some((start, text)) = block.as_mut() {
            if line.trim_start().starts_with("```") {
                let start = *start;
                let stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
                for v in stream {
                    let value = v.unwrap_or_else(|e| {
                        panic!("docs/api.md:{start}: a json block that is not JSON: {e}")
                    });
                    out.push(DocValue { section: section.clone(), line: start, value });
                }
                block = None;
            } else {
                text.push_str(line);
                text.push('\n');
            }
        } else if line.trim_start().starts_with("```json") {
            block = Some((n + 1, String::new()));
        } else if let Some(h) = line.strip_prefix("#") {
            section = h.trim_start_matches('#').trim().trim_matches('`').to_owned();
        }
    }
    assert!(block.is_none(), "docs/api.md: a json block is not closed");
    out
}

/// A documented request and the documented response with its id that follows it.
#[derive(Debug)]
struct Example {
    section: String,
    line: usize,
    request: Value,
    response: Value,
}

fn examples(doc: &str) -> Vec<Example> {
    let values = json_blocks(doc);
    let is_response = |v: &Value| v.get("result").is_some() || v.get("error").is_some();
    let mut out = Vec::new();
    let mut answered = vec![false; values.len()];
    for (k, v) in values.iter().enumerate() {
        if v.value.get("command").is_none() {
            continue;
        }
        let id = &v.value["id"];
        let (r, response) = values
            .iter()
            .enumerate()
            .skip(k + 1)
            .find(|(r, d)| !answered[*r] && is_response(&d.value) && d.value["id"] == *id)
            .unwrap_or_else(|| {
                panic!("docs/api.md:{}: request {} has no documented response", v.line, v.value)
            });
        answered[r] = true;
        out.push(Example {
            section: v.section.clone(),
            line: v.line,
            request: v.value.clone(),
            response: response.value.clone(),
        });
    }
    for (k, v) in values.iter().enumerate() {
        assert!(
            !is_response(&v.value) || answered[k],
            "docs/api.md:{}: response {} answers no documented request",
            v.line,
            v.value
        );
    }
    out
}

/// Where `real` does not have the documented shape of `doc`: field names (both ways) and the
/// kinds of value, recursively. `null` on either side fits anything (an optional value).
fn shape_problems(doc: &Value, real: &Value, path: &str, out: &mut Vec<String>) {
    match (doc, real) {
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(d), Value::Object(r)) => {
            for k in d.keys().filter(|k| !r.contains_key(*k)) {
                out.push(format!("{path}.{k}: documented, but the server does not send it"));
            }
            for k in r.keys().filter(|k| !d.contains_key(*k)) {
                out.push(format!("{path}.{k}: sent by the server ({}), not documented", r[k]));
            }
            for (k, dv) in d {
                if let Some(rv) = r.get(k) {
                    shape_problems(dv, rv, &format!("{path}.{k}"), out);
                }
            }
        }
        (Value::Array(d), Value::Array(r)) => {
            // An empty documented list says nothing about its elements.
            if let Some(first) = d.first() {
                for (i, rv) in r.iter().enumerate() {
                    // Documented elements may differ (one with `null` where another has a
                    // value): a real element fits when it fits one of them.
                    let fits = d.iter().any(|dv| {
                        let mut p = Vec::new();
                        shape_problems(dv, rv, "", &mut p);
                        p.is_empty()
                    });
                    if !fits {
                        shape_problems(first, rv, &format!("{path}[{i}]"), out);
                    }
                }
            }
        }
        (Value::Number(d), Value::Number(r)) => {
            if (d.is_i64() || d.is_u64()) && !(r.is_i64() || r.is_u64()) {
                out.push(format!("{path}: documented as an integer ({d}), the server sent {r}"));
            }
        }
        (Value::String(_), Value::String(_)) | (Value::Bool(_), Value::Bool(_)) => {}
        (d, r) => out.push(format!("{path}: documented as {d}, the server sent {r}")),
    }
}

/// `ladder --data-dir DIR serve --stdio ARGS`, started from the repository root as the page's
/// examples assume (`assets/packs/fractions`, the bundled `models/default`).
fn server(data_dir: &Path, args: &[&str]) -> Server {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    Server::start_in(&repo_root(), data_dir, &args)
}

/// The fractions pack as the test knows it, to grade what the page answers.
fn fractions_item(id: &str) -> ladder_core::Item {
    let pack =
        ladder_pack::validate(&repo_root().join("assets/packs/fractions")).unwrap().pack.unwrap();
    pack.items.into_iter().find(|i| i.id.as_str() == id).unwrap()
}

/// Whether the documented `submit_answer` request fits the item on screen the way the page's
/// example does: the answer is valid for it and graded as the page says, and the item has the
/// hints and the worked solution the requests after it ask for.
fn fits_documented_answer(step: &Value, request: &Value, response: &Value) -> bool {
    let item = fractions_item(step["item"]["id"].as_str().unwrap());
    let answer: ladder_core::Answer =
        serde_json::from_value(request["params"]["answer"].clone()).unwrap();
    let graded = ladder_core::grade(&item, &answer).ok().map(|g| g.correct);
    graded == response["result"]["correct"].as_bool()
        && step["item"]["has_solution"] == true
        && step["item"]["hint_levels"].as_u64().unwrap() >= 2
}

#[test]
fn every_example_of_the_api_page_is_what_the_server_answers() {
    let doc = api_doc();
    let examples = examples(&doc);
    assert!(examples.len() >= api::COMMANDS.len(), "{} examples", examples.len());
    let data = tempfile::tempdir().unwrap();
    let mut s = server(data.path(), &[]);
    // The page's ids (learner 1, session 7) and the server's, as the examples create them.
    let mut learners: HashMap<i64, i64> = HashMap::new();
    let mut sessions: HashMap<i64, i64> = HashMap::new();
    let mut on_screen: Option<Value> = None;
    let mut rerun: Vec<&Example> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    for ex in &examples {
        let mut request = ex.request.clone();
        let command = request["command"].as_str().unwrap().to_owned();
        if let Some(params) = request.get_mut("params").and_then(Value::as_object_mut) {
            for (field, ids) in [("learner", &learners), ("session", &sessions)] {
                if let Some(real) =
                    params.get(field).and_then(Value::as_i64).and_then(|d| ids.get(&d))
                {
                    params.insert(field.into(), json!(real));
                }
            }
        }
        if command == "submit_answer" && ex.response.get("result").is_some() {
            // The adaptive policy picks the item: skip to one the documented answer fits.
            let session = request["params"]["session"].clone();
            for _ in 0..40 {
                let step = on_screen.as_ref().expect("next_step comes before submit_answer");
                if fits_documented_answer(step, &request, &ex.response) {
                    break;
                }
                s.call("skip", json!({"session": session}));
                on_screen = Some(s.call("next_step", json!({"session": session})));
            }
            let step = on_screen.as_ref().unwrap();
            assert!(
                fits_documented_answer(step, &request, &ex.response),
                "no item within 40 skips fits the answer of docs/api.md:{}",
                ex.line
            );
        }
        let real = s.send(&request);
        let at = format!("docs/api.md:{} ({}, {command})", ex.line, ex.section);
        match (ex.response.get("error"), real.get("error")) {
            (Some(d), Some(r)) => {
                if d["kind"] != r["kind"] || d.get("reason") != r.get("reason") {
                    problems.push(format!("{at}: documented error {d}, the server said {r}"));
                }
            }
            (Some(d), None) => {
                problems.push(format!("{at}: documented error {d}, the server answered {real}"))
            }
            (None, Some(r)) => problems.push(format!("{at}: the server answered the error {r}")),
            (None, None) => {}
        }
        let mut shape = Vec::new();
        shape_problems(&ex.response, &real, "response", &mut shape);
        problems.extend(shape.into_iter().map(|p| format!("{at}: {p}")));
        let (doc_result, result) = (&ex.response["result"], &real["result"]);
        match command.as_str() {
            "add_learner" => {
                learners.insert(doc_result["id"].as_i64().unwrap(), result["id"].as_i64().unwrap());
            }
            // A refused start (the example of a reason) starts no session.
            "start_session" if doc_result.is_object() => {
                sessions.insert(
                    doc_result["session"].as_i64().unwrap(),
                    result["session"].as_i64().unwrap(),
                );
            }
            "next_step" if !result.is_null() => on_screen = Some(result.clone()),
            _ => {}
        }
        // A list that was empty then (no learner yet) is checked again at the end.
        if result.as_array().is_some_and(Vec::is_empty)
            && doc_result.as_array().is_some_and(|d| !d.is_empty())
        {
            rerun.push(ex);
        }
    }
    for ex in rerun {
        let real = s.send(&ex.request);
        assert!(real["result"].as_array().is_some_and(|r| !r.is_empty()), "{real}");
        let mut shape = Vec::new();
        shape_problems(&ex.response, &real, "response", &mut shape);
        problems.extend(shape.into_iter().map(|p| format!("docs/api.md:{}: {p}", ex.line)));
    }
    let stderr = s.finish_with_stderr();
    // "One line on stderr says which" model runs: here, the bundled default model.
    assert!(stderr.contains("model: bundled default model"), "stderr: {stderr}");
    assert!(problems.is_empty(), "docs/api.md and the server disagree:\n{}", problems.join("\n"));
}

#[test]
fn every_command_has_a_section_with_an_example() {
    let doc = api_doc();
    let examples = examples(&doc);
    let sections: BTreeSet<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("### `").and_then(|l| l.strip_suffix('`')))
        .map(str::to_owned)
        .collect();
    let commands: BTreeSet<String> = api::COMMANDS.iter().map(|c| c.to_string()).collect();
    assert_eq!(sections, commands, "a `### `command`` section per command, and no other");
    for c in api::COMMANDS {
        assert!(
            examples.iter().any(|e| e.section == *c && e.request["command"] == *c),
            "the section of {c} has no example of it"
        );
    }
}

/// Every kind the engine can answer with. The match is exhaustive: a new kind fails to compile
/// here until it is added (and documented).
fn all_error_kinds() -> Vec<&'static str> {
    let kinds = [
        ErrorKind::BadRequest,
        ErrorKind::UnknownCommand,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Store,
        ErrorKind::Pack,
        ErrorKind::Model,
        ErrorKind::Internal,
    ];
    for k in kinds {
        match k {
            ErrorKind::BadRequest
            | ErrorKind::UnknownCommand
            | ErrorKind::NotFound
            | ErrorKind::Conflict
            | ErrorKind::Store
            | ErrorKind::Pack
            | ErrorKind::Model
            | ErrorKind::Internal => {}
        }
    }
    kinds.iter().map(|k| k.as_str()).collect()
}

/// The rows of the markdown table that follows `heading`: the first cell of each, unquoted.
fn table_first_cells(doc: &str, heading: &str) -> Vec<String> {
    let after = &doc[doc.find(heading).unwrap_or_else(|| panic!("no {heading:?}"))..];
    after
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.split('|').nth(1).unwrap().trim().to_owned())
        .collect()
}

#[test]
fn the_error_kind_table_lists_every_kind_and_only_those() {
    let doc = api_doc();
    let documented: Vec<String> = table_first_cells(&doc, "### Error kinds")
        .into_iter()
        .map(|c| c.trim_matches('`').to_owned())
        .collect();
    assert_eq!(documented, all_error_kinds());
    // Every kind a response example shows is one of them.
    for v in json_blocks(&doc) {
        if let Some(kind) = v.value.get("error").map(|e| &e["kind"]) {
            assert!(
                all_error_kinds().contains(&kind.as_str().unwrap_or("")),
                "docs/api.md:{}: {kind}",
                v.line
            );
        }
    }
}

/// The reasons table lists every reason of the engine, in its order, each with its kind; every
/// reason an example shows is one of them.
#[test]
fn the_reason_table_lists_every_reason_with_its_kind() {
    use ladder_engine::error::Reason;
    let doc = api_doc();
    let heading = "### Reasons";
    let after = &doc[doc.find(heading).expect("a Reasons section")..];
    let rows: Vec<(String, String)> = after
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(|c| c.trim().trim_matches('`')).collect();
            (cells[1].to_owned(), cells[2].to_owned())
        })
        .collect();
    let engine: Vec<(String, String)> =
        Reason::ALL.iter().map(|r| (r.as_str().to_owned(), r.kind().as_str().to_owned())).collect();
    assert_eq!(rows, engine, "docs/api.md's reasons and the engine's");
    for v in json_blocks(&doc) {
        if let Some(reason) = v.value.get("error").and_then(|e| e.get("reason")) {
            assert!(
                Reason::ALL.iter().any(|r| *reason == r.as_str()),
                "docs/api.md:{}: {reason}",
                v.line
            );
        }
    }
}

/// Sends one line and returns the kind of the error it is answered with.
fn kind_of(s: &mut Server, line: &str) -> String {
    let r = s.raw(line);
    let e = &r["error"];
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{r}");
    // `{kind, message}`, with `reason` and `values` for a refusal that has a reason.
    let fields: BTreeSet<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
    let plain = BTreeSet::from(["kind", "message"]);
    let with_reason = BTreeSet::from(["kind", "reason", "values", "message"]);
    assert!(fields == plain || fields == with_reason, "an error is {{kind, message}}: {r}");
    e["kind"].as_str().unwrap().to_owned()
}

/// The kinds a client can cause, each caused for real: the server answers with the kind the
/// table says, and keeps serving.
#[test]
fn the_server_answers_each_error_kind_the_table_describes() {
    let data = tempfile::tempdir().unwrap();
    let mut s = server(data.path(), &[]);
    assert_eq!(kind_of(&mut s, "not json"), "bad_request");
    assert_eq!(kind_of(&mut s, r#"{"id": 1, "command": "fly"}"#), "unknown_command");
    assert_eq!(
        kind_of(&mut s, r#"{"id": 2, "command": "next_step", "params": {"session": 9}}"#),
        "not_found"
    );
    let not_a_pack = data.path().join("nothing-here");
    let line = json!({"id": 3, "command": "install_pack", "params": {"path": not_a_pack}});
    assert_eq!(kind_of(&mut s, &line.to_string()), "pack");
    let ana = r#"{"id": 4, "command": "add_learner", "params": {"name": "Ana"}}"#;
    s.raw(ana);
    assert_eq!(kind_of(&mut s, ana), "conflict");
    s.finish();
    // A data folder that cannot be opened: every valid request is answered with `store`.
    let file = data.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let mut s = server(&file, &[]);
    assert_eq!(kind_of(&mut s, r#"{"id": 5, "command": "list_learners"}"#), "store");
    s.finish();
    // A checkpoint that cannot be loaded: `model`.
    let missing = data.path().join("no-checkpoint");
    let mut s = server(data.path(), &["--model", missing.to_str().unwrap()]);
    assert_eq!(kind_of(&mut s, r#"{"id": 6, "command": "list_learners"}"#), "model");
    s.finish();
}

/// The answer forms of the `submit_answer` table are requests the server takes.
#[test]
fn every_answer_form_of_the_table_is_a_valid_request() {
    let doc = api_doc();
    let section = &doc[doc.find("### `submit_answer`").unwrap()..];
    let section = &section[..section[4..].find("\n### ").unwrap()];
    let mut forms = 0;
    for row in section.lines().filter(|l| l.starts_with("| ") && l.contains("{\"kind\"")) {
        let cell = row.split('|').nth(2).unwrap();
        let answer = cell.split('`').nth(1).unwrap();
        let answer: Value = serde_json::from_str(answer).unwrap();
        let line = json!({"id": 1, "command": "submit_answer",
            "params": {"session": 1, "answer": answer}});
        let (_, cmd) = api::parse_request(&line.to_string());
        assert!(cmd.is_ok(), "{row}: {cmd:?}");
        forms += 1;
    }
    assert_eq!(forms, 4, "choice, numeric and text, cloze, order");
}

#[test]
fn the_settings_table_gives_the_defaults() {
    let doc = api_doc();
    let after = &doc[doc.find("## Policies and settings").unwrap()..];
    let defaults = serde_json::to_value(Settings::default()).unwrap();
    let defaults = defaults.as_object().unwrap();
    let mut documented = BTreeSet::new();
    for row in
        after.lines().skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|')).skip(2)
    {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let names: Vec<&str> = cells[1].split(',').map(|n| n.trim().trim_matches('`')).collect();
        let values: Vec<&str> = cells[2].split(',').map(str::trim).collect();
        assert_eq!(names.len(), values.len(), "{row}");
        for (name, value) in names.iter().zip(values) {
            let real = defaults.get(*name).unwrap_or_else(|| panic!("no setting {name}"));
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("{row}: {value}"));
            assert!((real.as_f64().unwrap() - value).abs() < 1e-6, "{name}: {value} vs {real}");
            documented.insert(name.to_string());
        }
    }
    let all: BTreeSet<String> = defaults.keys().cloned().collect();
    assert_eq!(documented, all, "every setting in the table");
}

/// docs/api.md listed `show` as a hint decision of `next_step`, which never gives it: a rung is
/// shown unasked only by `submit_answer` after wrong answers. The page says so now, and the
/// server keeps to it through wrong answers, shown rungs and a restart.
#[test]
fn next_step_never_shows_a_hint_unasked_as_the_page_says() {
    let doc = api_doc();
    let section = &doc[doc.find("### `next_step`").unwrap()..];
    let section = &section[..section[4..].find("\n### ").unwrap()];
    assert!(section.contains("It is never `show`"), "the next_step section says so");
    assert!(!section.contains("or `show`"), "and lists no `show` among its decisions");

    let data = tempfile::tempdir().unwrap();
    let mut s = server(data.path(), &["--policy", "fixed-order"]);
    s.call("install_pack", json!({"path": "assets/packs/fractions"}));
    let learner = s.call("add_learner", json!({"name": "Ana"}))["id"].clone();
    let session = s.call("start_session", json!({"learner": learner, "course": "fractions"}));
    let session = session["session"].clone();
    let mut shown_unasked = 0;
    for _ in 0..8 {
        let step = s.call("next_step", json!({"session": session}));
        assert!(["none", "offer"].contains(&step["hint"].as_str().unwrap()), "{step}");
        let item = fractions_item(step["item"]["id"].as_str().unwrap());
        let wrong = serde_json::to_value(ladder_engine::sim::answers::wrong(&item, 0)).unwrap();
        for _ in 0..3 {
            let r = s.call("submit_answer", json!({"session": session, "answer": wrong}));
            shown_unasked += usize::from(r["hint"] == "show");
        }
    }
    assert!(shown_unasked > 0, "submit_answer showed rungs unasked");
    // After a restart, the item on screen comes back with the rung seen, and no `show`.
    let step = s.call("next_step", json!({"session": session}));
    s.call("request_hint", json!({"session": session}));
    s.finish();
    let mut s = server(data.path(), &["--policy", "fixed-order"]);
    let again = s.call("next_step", json!({"session": session}));
    assert_eq!(again["item"]["id"], step["item"]["id"]);
    assert_eq!(again["hints_shown"].as_array().unwrap().len(), 1);
    assert_eq!(again["hint"], "none");
    s.finish();
}

/// "A blank line (spaces only) is not a request and gets no response; every other line gets
/// exactly one", and `params` may be left out or `null` for a command that takes none.
#[test]
fn a_blank_line_gets_no_response_and_params_may_be_left_out() {
    let data = tempfile::tempdir().unwrap();
    let mut s = server(data.path(), &[]);
    s.unanswered("   \t");
    s.unanswered("");
    let r = s.send(&json!({"id": "a", "command": "list_learners"}));
    assert_eq!(r, json!({"id": "a", "result": []}), "the blank lines were not answered");
    let r = s.send(&json!({"id": "b", "command": "list_courses", "params": null}));
    assert_eq!(r, json!({"id": "b", "result": []}));
    s.finish();
}

/// The names the page gives for policies (`start_session`) and lesson statuses (`course_map`)
/// are the ones the code reads and writes.
#[test]
fn the_documented_policy_and_lesson_status_names_are_the_codes() {
    use ladder_engine::view::LessonStatus;
    let doc = api_doc();
    for policy in ["adaptive", "fixed-order", "bkt-mastery", "random"] {
        assert!(doc.contains(&format!("`{policy}`")), "{policy} is documented");
        let line = json!({"id": 1, "command": "start_session",
            "params": {"learner": 1, "course": "fractions", "policy": policy}});
        assert!(api::parse_request(&line.to_string()).1.is_ok(), "{policy}");
    }
    let statuses = [
        (LessonStatus::Locked, "locked"),
        (LessonStatus::Available, "available"),
        (LessonStatus::InProgress, "in_progress"),
        (LessonStatus::Mastered, "mastered"),
    ];
    for (status, name) in statuses {
        assert_eq!(serde_json::to_value(status).unwrap(), json!(name));
        assert!(doc.contains(&format!("`{name}`")), "{name} is documented");
    }
}
