//! `ladder serve --stdio` driven as a client would: one whole session over JSON lines, and the
//! errors that must not stop the server.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is the test failing

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ladder_engine::sim::answers;
use serde_json::{json, Value};

mod common;
use common::Server;

fn pack_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/packs/fractions")
}

fn right_answer(step: &Value) -> Value {
    let pack = ladder_pack::validate(&pack_dir()).unwrap().pack.unwrap();
    let id = step["item"]["id"].as_str().unwrap();
    let item = pack.items.iter().find(|i| i.id.as_str() == id).unwrap();
    serde_json::to_value(answers::right(item)).unwrap()
}

fn wrong_answer(step: &Value) -> Value {
    let pack = ladder_pack::validate(&pack_dir()).unwrap().pack.unwrap();
    let id = step["item"]["id"].as_str().unwrap();
    let item = pack.items.iter().find(|i| i.id.as_str() == id).unwrap();
    serde_json::to_value(answers::wrong(item, 0)).unwrap()
}

#[test]
fn a_whole_session_over_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());

    let diff = s.call("install_pack", json!({"path": pack_dir()}));
    assert_eq!(diff["pack"], "fractions");
    let ana = s.call("add_learner", json!({"name": "Ana"}));
    let learners = s.call("list_learners", json!({}));
    assert_eq!(learners[0]["name"], "Ana");
    let learner = ana["id"].clone();
    let courses = s.call("list_courses", json!(null));
    assert_eq!(courses[0]["id"], "fractions");
    let map = s.call("course_map", json!({"learner": learner, "course": "fractions"}));
    assert_eq!(map["lessons"][0]["status"], "available");
    assert_eq!(map["lessons"].as_array().unwrap().last().unwrap()["status"], "locked");

    let session = s.call("start_session", json!({"learner": learner, "course": "fractions"}));
    assert_eq!(session["policy"], "adaptive");
    let sid = session["session"].clone();

    let step = s.call("next_step", json!({"session": sid}));
    assert!(step["reason"].as_str().unwrap().len() > 10);
    assert!(["none", "offer", "show"].contains(&step["hint"].as_str().unwrap()));
    assert!(!step["item"]["prompt_html"].as_str().unwrap().contains("<script"));
    let r = s.call(
        "submit_answer",
        json!({"session": sid, "answer": right_answer(&step), "latency_ms": 4100}),
    );
    assert_eq!(r["correct"], true);
    assert!(
        r["mastery"][0]["after"].as_f64().unwrap() > r["mastery"][0]["before"].as_f64().unwrap()
    );

    let step = s.call("next_step", json!({"session": sid}));
    let r = s.call(
        "submit_answer",
        json!({"session": sid, "answer": wrong_answer(&step), "latency_ms": 8000}),
    );
    assert_eq!(r["correct"], false);
    assert_eq!(r["hint"], "offer");
    let hint = s.call("request_hint", json!({"session": sid}));
    assert_eq!(hint["level"], 1);
    let sol = s.call("view_solution", json!({"session": sid}));
    assert_eq!(sol["is_solution"], true);

    s.call("next_step", json!({"session": sid}));
    assert_eq!(s.call("skip", json!({"session": sid}))["skipped"], true);

    let summary = s.call("end_session", json!({"session": sid}));
    assert_eq!(summary["items"], 3);
    assert_eq!(summary["answered"], 2);
    assert_eq!(summary["correct_first"], 1);
    assert_eq!(summary["skipped"], 1);
    let m = s.call("mastery_summary", json!({"learner": learner, "course": "fractions"}));
    assert_eq!(m["answers"], 2);
    assert_eq!(m["total"], map["skills"].as_array().unwrap().len());
    s.finish();
}

/// A front end that restarts (or a learner who comes back to the course) can carry on the open
/// session as the desktop app does, instead of leaving it open for ever and starting another:
/// `start_session` with `resume: true`.
#[test]
fn a_client_that_restarts_carries_on_its_open_session() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("install_pack", json!({"path": pack_dir()}));
    let learner = s.call("add_learner", json!({"name": "Rosa"}))["id"].clone();
    let first = s.call("start_session", json!({"learner": learner, "course": "fractions"}));
    let sid = first["session"].clone();
    let done = s.call("next_step", json!({"session": sid}));
    s.call("submit_answer", json!({"session": sid, "answer": right_answer(&done)}));
    // On screen, not answered yet, when the client stops.
    let step = s.call("next_step", json!({"session": sid}));
    s.finish();

    let mut s = Server::start(dir.path());
    let again =
        s.call("start_session", json!({"learner": learner, "course": "fractions", "resume": true}));
    assert_eq!(again["session"], sid, "the open session is carried on: {again}");
    let same = s.call("next_step", json!({"session": sid}));
    assert_eq!(same["item"]["id"], step["item"]["id"], "the item on screen comes back");
    // Without `resume` a new session starts, as before.
    let other = s.call("start_session", json!({"learner": learner, "course": "fractions"}));
    assert_ne!(other["session"], sid);
    // Asked to resume on a lesson it has no open session on: a new one.
    let lesson = s.call(
        "start_session",
        json!({"learner": learner, "course": "fractions", "lesson": "meaning", "resume": true}),
    );
    assert_ne!(lesson["session"], sid);
    assert_ne!(lesson["session"], other["session"]);
    s.finish();
}

#[test]
fn bad_lines_get_error_responses_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    let r = s.raw("this is not json");
    assert_eq!(r["id"], Value::Null);
    assert_eq!(r["error"]["kind"], "bad_request");
    let r = s.raw(r#"{"id": 7, "command": "teleport"}"#);
    assert_eq!(r["id"], 7);
    assert_eq!(r["error"]["kind"], "unknown_command");
    let r = s.raw(r#"{"id": {"nested": true}, "command": "list_learners"}"#);
    assert_eq!(r["error"]["kind"], "bad_request");
    let r = s.raw(r#"{"id": "x1", "command": "next_step", "params": {"session": "twelve"}}"#);
    assert_eq!((r["id"].clone(), r["error"]["kind"].clone()), (json!("x1"), json!("bad_request")));
    let r = s.try_call("next_step", json!({"session": 424242}));
    assert_eq!(r["error"]["kind"], "not_found");
    let r = s.try_call("course_map", json!({"learner": 1, "course": "nope"}));
    assert_eq!(r["error"]["kind"], "not_found");
    // Still serving.
    assert_eq!(s.call("list_learners", json!({})), json!([]));
    s.finish();
}

#[test]
fn a_line_that_is_not_utf8_is_refused_not_mangled_into_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    // Latin-1 "Bé" from a client that does not write UTF-8: stored as "B\u{FFFD}" until now.
    let r = s
        .raw_bytes(b"{\"id\": 3, \"command\": \"add_learner\", \"params\": {\"name\": \"B\xe9\"}}");
    assert_eq!(r["id"], 3, "the id is still read: {r}");
    assert_eq!(r["error"]["kind"], "bad_request", "{r}");
    let message = r["error"]["message"].as_str().unwrap();
    assert!(message.contains("UTF-8"), "{message}");
    let r = s.raw_bytes(b"\xff\xfe{");
    assert_eq!((r["id"].clone(), r["error"]["kind"].clone()), (Value::Null, json!("bad_request")));
    assert!(r["error"]["message"].as_str().unwrap().contains("UTF-8"), "{r}");
    assert_eq!(s.call("list_learners", json!({})), json!([]), "nothing was stored");
    s.finish();
}

#[test]
fn a_byte_order_mark_before_a_request_is_not_part_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    // Windows tools (PowerShell, Notepad) start a UTF-8 stream with a BOM.
    let r = s.raw("\u{feff}{\"id\": 1, \"command\": \"list_learners\"}");
    assert_eq!(r, json!({"id": 1, "result": []}));
    s.finish();
}

#[test]
fn a_line_over_the_size_limit_is_refused_and_the_next_line_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    // 10 MB in one line: the server must neither hold an unbounded line in memory nor answer
    // the rest of it as further requests.
    let name = "a".repeat(10_000_000);
    let r =
        s.raw(&json!({"id": 1, "command": "add_learner", "params": {"name": name}}).to_string());
    assert_eq!(r["error"]["kind"], "bad_request", "{r}");
    assert!(r["error"]["message"].as_str().unwrap().contains("line can be at most"), "{r}");
    let r = s.raw(&"x".repeat(3_000_000));
    assert_eq!(r["error"]["kind"], "bad_request", "{r}");
    assert_eq!(s.call("list_learners", json!({})), json!([]));
    s.finish();
}

#[test]
fn a_server_without_a_store_still_says_what_is_wrong_with_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let mut s = Server::start(&file);
    let r = s.raw(r#"{"id": 1, "command": "list_learners"}"#);
    assert_eq!(r["error"]["kind"], "store", "{r}");
    let r = s.raw("this is not json");
    assert_eq!(r["error"]["kind"], "bad_request", "{r}");
    let r = s.raw(r#"{"id": 2, "command": "teleport"}"#);
    assert_eq!((r["id"].clone(), r["error"]["kind"].clone()), (json!(2), json!("unknown_command")));
    s.finish();
}

#[test]
fn an_overlong_typed_answer_is_refused_and_not_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("install_pack", json!({"path": pack_dir()}));
    let learner = s.call("add_learner", json!({"name": "Ana"}))["id"].clone();
    let sid = s.call(
        "start_session",
        json!({"learner": learner, "course": "fractions", "policy": "fixed-order"}),
    )["session"]
        .clone();
    let mut step = s.call("next_step", json!({"session": sid}));
    while step["item"]["kind"] == "choice" {
        s.call("skip", json!({"session": sid}));
        step = s.call("next_step", json!({"session": sid}));
    }
    let long = "1".repeat(100_000);
    let r = s.try_call(
        "submit_answer",
        json!({"session": sid, "answer": {"kind": "text", "value": long}}),
    );
    assert_eq!(r["error"]["kind"], "bad_request", "{}", &r.to_string()[..200]);
    assert!(r["error"]["message"].as_str().unwrap().contains("at most"), "{}", r["error"]);
    let positions = vec![1; 100_000];
    let choice_sid = s.call("start_session", json!({"learner": learner, "course": "fractions"}))
        ["session"]
        .clone();
    // The adaptive policy's first item depends on the skips above: skip to a choice item.
    let mut choice = s.call("next_step", json!({"session": choice_sid}));
    for _ in 0..60 {
        if choice["item"]["kind"] == "choice" {
            break;
        }
        s.call("skip", json!({"session": choice_sid}));
        choice = s.call("next_step", json!({"session": choice_sid}));
    }
    assert_eq!(choice["item"]["kind"], "choice", "no choice item within 60 skips");
    let r = s.try_call(
        "submit_answer",
        json!({"session": choice_sid, "answer": {"kind": "choice", "value": positions}}),
    );
    assert_eq!(r["error"]["kind"], "bad_request", "{}", &r.to_string()[..200]);
    let m = s.call("mastery_summary", json!({"learner": learner, "course": "fractions"}));
    assert_eq!(m["answers"], 0, "nothing was recorded");
    s.finish();
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// An upgrade that removes the item on screen leaves no item on screen: an answer sent for it
/// must not be graded against (and recorded for) the item shown before it.
#[test]
fn an_upgrade_that_removes_the_item_on_screen_leaves_nothing_to_answer() {
    let dir = tempfile::tempdir().unwrap();
    let packs = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("install_pack", json!({"path": pack_dir()}));
    let learner = s.call("add_learner", json!({"name": "Ana"}))["id"].clone();
    let sid = s.call(
        "start_session",
        json!({"learner": learner, "course": "fractions", "policy": "fixed-order"}),
    )["session"]
        .clone();
    let first = s.call("next_step", json!({"session": sid}));
    assert_eq!(first["item"]["id"], "meaning-001");
    let r = s.call("submit_answer", json!({"session": sid, "answer": wrong_answer(&first)}));
    assert_eq!(r["correct"], false);
    let second = s.call("next_step", json!({"session": sid}));
    assert_eq!(second["item"]["id"], "meaning-002");

    // Version 1.1.0 drops meaning-002, the item on screen.
    let v2 = packs.path().join("v2");
    copy_tree(&pack_dir(), &v2);
    let manifest = std::fs::read_to_string(v2.join("pack.toml")).unwrap();
    std::fs::write(v2.join("pack.toml"), manifest.replace("\"1.0.0\"", "\"1.1.0\"")).unwrap();
    let lesson = v2.join("lessons/01-meaning.toml");
    let text = std::fs::read_to_string(&lesson).unwrap();
    let start = text.find("[[item]]\nid = \"meaning-002\"").unwrap();
    let end = start + 1 + text[start + 1..].find("[[item]]").unwrap();
    std::fs::write(&lesson, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let diff = s.call("install_pack", json!({"path": v2}));
    assert_eq!(diff["removed"], json!(["meaning-002"]));

    // The right answer to meaning-001, sent while the learner looks at the removed item.
    let r = s.try_call("submit_answer", json!({"session": sid, "answer": right_answer(&first)}));
    assert_eq!(r["error"]["kind"], "conflict", "{r}");
    // Its reason and the item, for a client to say it in its own words (docs/api.md).
    assert_eq!(r["error"]["reason"], "item_removed", "{r}");
    assert_eq!(r["error"]["values"], json!({"item": "meaning-002"}), "{r}");
    let m = s.call("mastery_summary", json!({"learner": learner, "course": "fractions"}));
    assert_eq!(m["answers"], 1, "only the first answer was recorded");
    let next = s.call("next_step", json!({"session": sid}));
    assert_eq!(next["item"]["id"], "meaning-003");
    assert_eq!(next["number"], 3, "the removed item was shown too");
    let summary = s.call("end_session", json!({"session": sid}));
    assert_eq!(summary["items"], 3);
    assert_eq!(summary["answered"], 1);
    s.finish();
}

/// docs/api.md: a name that an active learner already has, ignoring case, is a `conflict`; the
/// name is trimmed of spaces and invisible characters first, for both checks.
#[test]
fn a_taken_name_with_invisible_characters_around_it_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("add_learner", json!({"name": "Ana"}));
    for name in ["ana", " Ana ", "Ana\u{200b}", "\u{feff}ANA", "\u{2060}Ana\u{00a0}"] {
        let r = s.try_call("add_learner", json!({"name": name}));
        assert_eq!(r["error"]["kind"], "conflict", "{name:?}: {r}");
        // The reason, and the name as the learner who has it writes it.
        assert_eq!(r["error"]["reason"], "learner_name_taken", "{name:?}: {r}");
        assert_eq!(r["error"]["values"], json!({"name": "Ana"}), "{name:?}: {r}");
        assert_eq!(r["error"]["message"], "a learner named Ana already exists", "{r}");
    }
    assert_eq!(s.call("list_learners", json!({})).as_array().unwrap().len(), 1);
    s.finish();
}

/// Two names that look the same in a learner picker are the same name: one typed with a
/// combining accent, or with other spaces inside, is a `conflict`; one that reorders its letters
/// on screen (a bidirectional override) is refused.
#[test]
fn names_that_look_the_same_are_the_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    assert_eq!(s.call("add_learner", json!({"name": "Zoe\u{308}"}))["name"], "Zo\u{eb}");
    assert_eq!(s.call("add_learner", json!({"name": "Ana  Lopez"}))["name"], "Ana Lopez");
    for name in ["Zo\u{eb}", "ZOE\u{308}", "Ana\u{a0}Lopez", "ana \u{2003} lopez"] {
        let r = s.try_call("add_learner", json!({"name": name}));
        assert_eq!(r["error"]["kind"], "conflict", "{name:?}: {r}");
    }
    for name in ["A\u{202e}na", "\u{2067}Ben", "a\nb"] {
        let r = s.try_call("add_learner", json!({"name": name}));
        assert_eq!(r["error"]["kind"], "bad_request", "{name:?}: {r}");
    }
    assert_eq!(s.call("list_learners", json!({})).as_array().unwrap().len(), 2);
    s.finish();
}

/// A learner who looks at the worked solution before every answer: those answers earn no
/// mastery credit, so the bundled model reads none of them, but they are answers all the same.
/// The reason kept saying "Starting What a fraction means" at
/// every step, however many questions of the skill the learner had answered.
#[test]
fn answers_after_the_solution_do_not_make_a_skill_start_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("install_pack", json!({"path": pack_dir()}));
    let learner = s.call("add_learner", json!({"name": "Lee"}))["id"].clone();
    let sid = s.call("start_session", json!({"learner": learner, "course": "fractions"}))
        ["session"]
        .clone();
    let mut reasons = Vec::new();
    for _ in 0..3 {
        let step = s.call("next_step", json!({"session": sid}));
        reasons.push(step["reason"].as_str().unwrap().to_owned());
        assert_eq!(step["item"]["skills"], json!(["meaning"]), "{reasons:?}");
        s.call("view_solution", json!({"session": sid}));
        let r = s.call("submit_answer", json!({"session": sid, "answer": right_answer(&step)}));
        assert_eq!(r["correct"], true);
    }
    assert!(reasons[0].starts_with("Starting What a fraction means"), "{reasons:?}");
    for r in &reasons[1..] {
        assert!(r.starts_with("Practising What a fraction means"), "{reasons:?}");
    }
    let m = s.call("mastery_summary", json!({"learner": learner, "course": "fractions"}));
    assert_eq!(m["answers"], 3);
    s.finish();
}

/// The course map counts every first answer on a skill ("First answers given on the skill"),
/// and a lesson with answers is in progress, whatever help the learner took first. Answers
/// given after the worked solution earn no mastery credit, and the bundled model reads none of
/// them, but the map showed `attempts: 0` and the lesson `available` after three of them.
#[test]
fn answers_after_the_solution_count_on_the_course_map() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("install_pack", json!({"path": pack_dir()}));
    let learner = s.call("add_learner", json!({"name": "Lee"}))["id"].clone();
    let sid = s.call("start_session", json!({"learner": learner, "course": "fractions"}))
        ["session"]
        .clone();
    for _ in 0..3 {
        let step = s.call("next_step", json!({"session": sid}));
        s.call("view_solution", json!({"session": sid}));
        s.call("submit_answer", json!({"session": sid, "answer": right_answer(&step)}));
    }
    let map = s.call("course_map", json!({"learner": learner, "course": "fractions"}));
    assert_eq!(map["skills"][0]["id"], "meaning");
    assert_eq!(map["skills"][0]["attempts"], 3, "{}", map["skills"][0]);
    assert_eq!(map["lessons"][0]["status"], "in_progress");
    let m = s.call("mastery_summary", json!({"learner": learner, "course": "fractions"}));
    assert_eq!(m["answers"], 3);
    assert_eq!(m["skills"][0]["attempts"], 3);
    s.finish();
}

/// Hinted answers earn reduced credit, not a ceiling: a learner who takes one hint before every
/// answer and answers right every time gets there more slowly, but gets there. With the bundled
/// model, 30 such answers left "What a fraction means" at 62% (the estimate without the hinted
/// answers, mixed half and half with the one with them, cannot pass (prior + 1) / 2), so every
/// other lesson stayed locked for good.
#[test]
fn a_learner_who_always_takes_one_hint_still_masters_the_first_skill() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("install_pack", json!({"path": pack_dir()}));
    let learner = s.call("add_learner", json!({"name": "Hana"}))["id"].clone();
    let sid = s.call("start_session", json!({"learner": learner, "course": "fractions"}))
        ["session"]
        .clone();
    for _ in 0..30 {
        let step = s.call("next_step", json!({"session": sid}));
        s.call("request_hint", json!({"session": sid}));
        let r = s.call("submit_answer", json!({"session": sid, "answer": right_answer(&step)}));
        assert_eq!(r["correct"], true);
    }
    let map = s.call("course_map", json!({"learner": learner, "course": "fractions"}));
    assert_eq!(map["skills"][0]["id"], "meaning");
    assert_eq!(map["skills"][0]["mastered"], true, "{}", map["skills"][0]);
    assert_ne!(map["lessons"][1]["status"], "locked", "{}", map["lessons"][1]);
    s.finish();
}

/// The model the app ships reads practice as progress: after ten right answers and then five
/// with two right, it is still confident that the first skill is mastered. The learner's own
/// latest answers do not back it, so the course map does not count it mastered and says what it
/// takes; three more right answers (four of the last five) and it does.
#[test]
fn a_skill_is_mastered_only_when_the_latest_answers_back_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("install_pack", json!({"path": pack_dir()}));
    let learner = s.call("add_learner", json!({"name": "Ines"}))["id"].clone();
    let sid = s.call(
        "start_session",
        json!({"learner": learner, "course": "fractions", "lesson": "meaning"}),
    )["session"]
        .clone();
    let answer = |s: &mut Server, right: bool| {
        let step = s.call("next_step", json!({"session": sid}));
        let a = if right { right_answer(&step) } else { wrong_answer(&step) };
        assert_eq!(s.call("submit_answer", json!({"session": sid, "answer": a}))["correct"], right);
    };
    for right in [true; 10].into_iter().chain([false, false, true, false, true]) {
        answer(&mut s, right);
    }
    let meaning = |s: &mut Server| {
        let map = s.call("course_map", json!({"learner": learner, "course": "fractions"}));
        assert_eq!(map["skills"][0]["id"], "meaning");
        map["skills"][0].clone()
    };
    let m = meaning(&mut s);
    assert_eq!(m["mastered"], false, "{m}");
    assert_eq!(m["unconfirmed"], json!({"answers": 5, "right": 2, "needed": 4}), "{m}");
    for _ in 0..3 {
        answer(&mut s, true);
    }
    let m = meaning(&mut s);
    assert_eq!(m["mastered"], true, "{m}");
    assert!(m.get("unconfirmed").is_none(), "{m}");
    s.finish();
}

/// The session summary says what each skill practised did: where it stood when the session
/// began and where it stands now, as the course map gives it, its first answers in the
/// session, and whether it is mastered (for the first time, or still), or what it takes.
#[test]
fn the_session_summary_says_what_each_skill_practised_did() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("install_pack", json!({"path": pack_dir()}));
    let learner = s.call("add_learner", json!({"name": "Ola"}))["id"].clone();
    let session = |s: &mut Server, rights: &[bool]| {
        let sid = s.call(
            "start_session",
            json!({"learner": learner, "course": "fractions", "lesson": "meaning"}),
        )["session"]
            .clone();
        for &right in rights {
            let step = s.call("next_step", json!({"session": sid}));
            let a = if right { right_answer(&step) } else { wrong_answer(&step) };
            s.call("submit_answer", json!({"session": sid, "answer": a}));
        }
        let map = s.call("course_map", json!({"learner": learner, "course": "fractions"}));
        (s.call("end_session", json!({"session": sid})), map["skills"][0].clone())
    };
    let (first, on_map) = session(&mut s, &[true; 10]);
    let skills = first["skills"].as_array().unwrap();
    assert_eq!(skills.len(), 1, "{first}");
    let m = &skills[0];
    assert_eq!(
        (m["id"].as_str(), m["answers"].as_u64(), m["right"].as_u64()),
        (Some("meaning"), Some(10), Some(10))
    );
    assert_eq!(
        (m["mastered_before"].as_bool(), m["mastered"].as_bool()),
        (Some(false), Some(true)),
        "{m}"
    );
    assert!(m["before"].as_f64() < m["after"].as_f64(), "{m}");
    assert_eq!((&m["after"], &m["uncertainty"]), (&on_map["mastery"], &on_map["uncertainty"]));

    let (second, on_map) = session(&mut s, &[false, false, true, false, true]);
    let m = &second["skills"][0];
    assert_eq!((m["answers"].as_u64(), m["right"].as_u64()), (Some(5), Some(2)), "{m}");
    assert_eq!(
        (m["mastered_before"].as_bool(), m["mastered"].as_bool()),
        (Some(true), Some(false)),
        "{m}"
    );
    // Where the first session left it (the seconds between them take next to nothing off).
    let left = first["skills"][0]["after"].as_f64().unwrap();
    assert!((m["before"].as_f64().unwrap() - left).abs() < 0.005, "{m} after {left}");
    assert_eq!(m["unconfirmed"], json!({"answers": 5, "right": 2, "needed": 4}), "{m}");
    assert_eq!(m["unconfirmed"], on_map["unconfirmed"]);
    // A session that answers nothing practised no skill.
    let (third, _) = session(&mut s, &[]);
    assert_eq!(third["skills"], json!([]));
    s.finish();
}

/// Each answer says which other skills of the course it took over or under the mastery line,
/// as the course map says before and after it: a learner who masters the first skill and then
/// answers the next lesson's questions wrong is told when the first skill's mastery goes.
#[test]
fn an_answer_says_which_other_skills_it_took_over_or_under_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("install_pack", json!({"path": pack_dir()}));
    let learner = s.call("add_learner", json!({"name": "Tess"}))["id"].clone();
    let mastered = |s: &mut Server| -> Vec<(String, bool)> {
        let map = s.call("course_map", json!({"learner": learner, "course": "fractions"}));
        let skills = map["skills"].as_array().unwrap();
        skills
            .iter()
            .map(|k| (k["id"].as_str().unwrap().to_owned(), k["mastered"] == true))
            .collect()
    };
    let mut lost = Vec::new();
    // Five right answers master "meaning" and open "number-line" (it needs 80%); thirty wrong
    // ones there take "meaning" back under the line through the shared ability.
    for (lesson, right, answers) in [("meaning", true, 5), ("number-line", false, 30)] {
        let sid = s.call(
            "start_session",
            json!({"learner": learner, "course": "fractions", "lesson": lesson}),
        )["session"]
            .clone();
        for _ in 0..answers {
            let before = mastered(&mut s);
            let step = s.call("next_step", json!({"session": sid}));
            let a = if right { right_answer(&step) } else { wrong_answer(&step) };
            let r = s.call("submit_answer", json!({"session": sid, "answer": a}));
            let after = mastered(&mut s);
            let own: Vec<&str> = r["mastery"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_str().unwrap())
                .collect();
            let flipped: Vec<(&str, bool)> = before
                .iter()
                .zip(&after)
                .filter(|((id, was), (_, is))| was != is && !own.contains(&id.as_str()))
                .map(|((id, _), (_, is))| (id.as_str(), *is))
                .collect();
            let also: Vec<(&str, bool)> = r["also"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| (m["id"].as_str().unwrap(), m["mastered"] == true))
                .collect();
            assert_eq!(also, flipped, "{r}");
            for m in r["also"].as_array().unwrap() {
                assert_ne!(m["mastered"], m["mastered_before"], "{m}");
            }
            lost.extend(also.iter().filter(|(_, is)| !is).map(|(id, _)| id.to_string()));
        }
        s.call("end_session", json!({"session": sid}));
    }
    assert_eq!(lost, ["meaning"], "the first skill's mastery went, and the answer said so");
    s.finish();
}

/// A struggling learner in one lesson meets its questions, not the same few again and again:
/// 30 steps of the 15-question "meaning" lesson, a right answer one time in three. The easiest
/// questions sat nearest the target band for this learner, and a repeat cost the choice next to
/// nothing, so three questions came back four times each while five were never shown (questions
/// seen many times are answered from memory, which the learner model reads as learning).
#[test]
fn a_struggling_learner_meets_the_lessons_questions_not_the_same_few() {
    // With the model the app ships, and with the built-in predictor (which a pack the model does
    // not know runs on: here a bundled folder that is not there), where the penalty for earlier
    // showings was not enough and `repeat_spread` spreads them (docs/model.md, revision 8).
    for bundled in
        [Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default"), "/none".into()]
    {
        struggling_walk(&bundled);
    }
}

fn struggling_walk(bundled: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start_with(dir.path(), &["--bundled".as_ref(), bundled.as_os_str()]);
    s.call("install_pack", json!({"path": pack_dir()}));
    let learner = s.call("add_learner", json!({"name": "Wen"}))["id"].clone();
    let sid = s.call(
        "start_session",
        json!({"learner": learner, "course": "fractions", "lesson": "meaning"}),
    )["session"]
        .clone();
    let mut seen: std::collections::BTreeMap<String, u32> = Default::default();
    for k in 0..30 {
        let step = s.call("next_step", json!({"session": sid}));
        *seen.entry(step["item"]["id"].as_str().unwrap().to_owned()).or_default() += 1;
        let answer = if k % 3 == 2 { right_answer(&step) } else { wrong_answer(&step) };
        s.call("submit_answer", json!({"session": sid, "answer": answer}));
    }
    let most = seen.values().max().copied().unwrap_or(0);
    let what = bundled.display();
    assert!(seen.len() >= 13, "{what}: {} of 15 questions shown: {seen:?}", seen.len());
    assert!(most <= 3, "{what}: a question shown {most} times: {seen:?}");
    s.finish();
}

/// The model a server runs is named on stderr, whether it found it (the bundled default here) or
/// was given it with `--model` (it printed nothing then).
#[test]
fn the_server_names_the_model_it_runs() {
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/default");
    for given in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ladder"));
        cmd.arg("--data-dir").arg(dir.path()).args(["serve", "--stdio", "--bundled"]).arg(&models);
        if given {
            cmd.arg("--model").arg(&models);
        }
        let out = cmd.stdin(Stdio::null()).output().expect("the ladder binary runs");
        assert!(out.status.success(), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let line =
            err.lines().find(|l| l.starts_with("model: ")).unwrap_or_else(|| panic!("{err}"));
        assert!(line.contains("models/default"), "{line}");
        assert_eq!(line.contains("--model"), given, "{line}");
    }
}

/// `serve` opens the store as the app and the other commands do at start-up: the daily backup is
/// taken (a data folder used only through `serve` never had one).
#[test]
fn serve_takes_the_daily_backup() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Server::start(dir.path());
    s.call("add_learner", json!({"name": "Ona"}));
    s.finish();
    let mut s = Server::start(dir.path());
    s.call("list_learners", json!({}));
    s.finish();
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        backups.iter().any(|n| n.to_string_lossy().ends_with(".sqlite3")),
        "no backup: {backups:?}"
    );
}

/// A mistyped `--policy` said only "unknown policy" and left the user to guess the names.
#[test]
fn an_unknown_policy_is_refused_with_the_policies_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--stdio", "--policy", "adaptve"])
        .stdin(Stdio::null())
        .output()
        .expect("the ladder binary runs");
    assert!(!out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown policy \"adaptve\""), "{err}");
    for name in ["adaptive", "fixed-order", "bkt-mastery", "random"] {
        assert!(err.contains(name), "{name} missing: {err}");
    }
}

/// A learner who has mastered a teacher's small course (as `ladder pack new` makes it: two
/// skills, five questions): a tester saw two questions of it come in turn for ever, each step
/// saying "Everything here is mastered; extra practice on Comparing parts, the least certain
/// skill". The course's questions now come round in turn, and the reason says the course is
/// mastered.
#[test]
fn a_mastered_course_reviews_all_its_questions_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("my-pack");
    let out = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["pack", "new", "--id", "my-pack", "--title", "My pack"])
        .arg(&pack)
        .output()
        .expect("the ladder binary runs");
    assert!(out.status.success(), "{out:?}");
    let items = ladder_pack::validate(&pack).unwrap().pack.unwrap().items;
    let mut s = Server::start(&dir.path().join("data"));
    s.call("install_pack", json!({"path": pack}));
    let learner = s.call("add_learner", json!({"name": "Noa"}))["id"].clone();
    let sid = s.call("start_session", json!({"learner": learner, "course": "my-pack"}))["session"]
        .clone();
    let mut review = Vec::new();
    for _ in 0..40 {
        let step = s.call("next_step", json!({"session": sid}));
        let id = step["item"]["id"].as_str().unwrap().to_owned();
        let reason = step["reason"].as_str().unwrap();
        if reason.starts_with("Every skill of this course is mastered: reviewing ") {
            review.push(id.clone());
        } else {
            assert!(review.is_empty(), "after the course was mastered: {reason}");
        }
        let item = items.iter().find(|i| i.id.as_str() == id).unwrap();
        let answer = serde_json::to_value(answers::right(item)).unwrap();
        let r = s.call("submit_answer", json!({"session": sid, "answer": answer}));
        assert_eq!(r["correct"], true, "{id}");
    }
    let map = s.call("course_map", json!({"learner": learner, "course": "my-pack"}));
    assert!(map["skills"].as_array().unwrap().iter().all(|k| k["mastered"] == true), "{map}");
    assert!(review.len() >= 20, "mastered only after {} questions", 40 - review.len());
    for w in review.windows(items.len()) {
        let mut u = w.to_vec();
        u.sort();
        u.dedup();
        assert_eq!(u.len(), items.len(), "a question again before every other came: {review:?}");
    }
    s.finish();
}
