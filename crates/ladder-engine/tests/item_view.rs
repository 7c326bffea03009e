//! What a step tells a front end about the item's hint ladder: whether it ends in a worked
//! solution. A pack may leave the solution out (the validator warns, nothing more); the app
//! offered "Show the worked solution" anyway, and `view_solution` refused it.

#![allow(clippy::unwrap_used)] // test helpers: a failure is the test failing

use std::path::Path;

use ladder_engine::{Clock, Engine, EngineOptions, ErrorKind};
use ladder_store::{LearnerId, SessionId};

/// A one-item pack: two hints, with a worked solution or without.
fn write_pack(dir: &Path, solution: bool) {
    std::fs::create_dir_all(dir.join("lessons")).unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        "schema = 1\nid = \"ladder\"\nversion = \"1.0.0\"\ntitle = \"Ladder\"\n\
         description = \"d\"\nlanguages = [\"en\"]\nauthors = [\"t\"]\nlicense = \"CC0-1.0\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("skills.toml"),
        "[[skill]]\nid = \"s\"\nname = \"S\"\ndescription = \"d\"\n",
    )
    .unwrap();
    let solution = if solution { "solution = \"4, because 2 and 2 make 4.\"\n" } else { "" };
    std::fs::write(
        dir.join("lessons/01.toml"),
        format!(
            "[lesson]\nid = \"l\"\ntitle = \"L\"\nskills = [\"s\"]\n\n[[item]]\nid = \"a\"\n\
             kind = \"numeric\"\nskills = [\"s\"]\nprompt = \"2 + 2?\"\nanswer = 4\n\
             hints = [\"Count.\", \"Two and two.\"]\n{solution}"
        ),
    )
    .unwrap();
}

#[test]
fn a_step_says_whether_the_hint_ladder_ends_in_a_worked_solution() {
    for solution in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("pack");
        write_pack(&pack, solution);
        let mut e = Engine::open(&dir.path().join("data"), EngineOptions::default()).unwrap();
        e.set_clock(Clock::Manual(1_750_000_000_000));
        e.install_pack(&pack, false).unwrap();
        let ana = LearnerId(e.add_learner("Ana").unwrap().id);
        let sid = SessionId(e.start_session(ana, "ladder", None, None).unwrap().session);
        let step = e.next_step(sid).unwrap();
        assert_eq!(step.item.has_solution, solution);
        assert_eq!(step.item.hint_levels, if solution { 3 } else { 2 });
        match e.view_solution(sid) {
            Ok(rung) => assert!(solution && rung.is_solution, "{rung:?}"),
            Err(err) => assert!(!solution && err.kind == ErrorKind::Conflict, "{err}"),
        }
    }
}

/// A pack in Spanish and English whose `pack.toml` ends with `languages_lines`, and one item of
/// each kind: two text items (the second answered in English, `answer_language = "en"`), a
/// cloze, a numeric and a choice item.
fn write_two_language_pack(dir: &Path, languages_lines: &str) {
    std::fs::create_dir_all(dir.join("lessons")).unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        format!(
            "schema = 1\nid = \"both\"\nversion = \"1.0.0\"\ntitle = \"Both\"\n\
             description = \"d\"\nauthors = [\"t\"]\nlicense = \"CC0-1.0\"\n\
             languages = [\"es\", \"en\"]\n{languages_lines}"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("skills.toml"), "[[skill]]\nid = \"s\"\nname = \"S\"\n").unwrap();
    let item = |id: &str, rest: &str| {
        format!(
            "\n[[item]]\nid = \"{id}\"\nskills = [\"s\"]\nhints = [\"h\"]\nsolution = \"x\"\n{rest}"
        )
    };
    let items = [
        item("say", "kind = \"text\"\nprompt = \"Say hello.\"\nanswers = [\"hola\"]\n"),
        item(
            "mean",
            "kind = \"text\"\nprompt = \"What does *hola* mean?\"\nanswers = [\"hello\"]\n\
             answer_language = \"en\"\n",
        ),
        item("fill", "kind = \"cloze\"\nprompt = \"{{1}} Ana.\"\nblanks = [{ answers = [\"Soy\"] }]\n"),
        item("count", "kind = \"numeric\"\nprompt = \"*Dos* is?\"\nanswer = 2\n"),
        item("pick", "kind = \"choice\"\nprompt = \"Hello?\"\nchoices = [\"hola\", \"adiós\"]\ncorrect = [1]\n"),
    ];
    std::fs::write(
        dir.join("lessons/01.toml"),
        format!("[lesson]\nid = \"l\"\ntitle = \"L\"\nskills = [\"s\"]\n{}", items.concat()),
    )
    .unwrap();
}

/// A step says the language the learner types its answer in (`answer_language`), so that a
/// front end marks the answer boxes with it with no pack logic of its own: a text or cloze
/// item's own `answer_language`, else the pack's, else the language of the pack's text; none
/// for a numeric or choice item (nothing typed in words), nor for a pack in two languages that
/// names neither. A Spanish course explained in English was answered in Spanish into boxes
/// marked English.
#[test]
fn a_step_carries_the_language_its_answer_is_typed_in() {
    let cases: [(&str, [Option<&str>; 5]); 3] = [
        ("", [None, Some("en"), None, None, None]),
        ("text_language = \"en\"\n", [Some("en"), Some("en"), Some("en"), None, None]),
        (
            "text_language = \"en\"\nanswer_language = \"es\"\n",
            [Some("es"), Some("en"), Some("es"), None, None],
        ),
    ];
    for (lines, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("pack");
        write_two_language_pack(&pack, lines);
        let mut e = Engine::open(&dir.path().join("data"), EngineOptions::default()).unwrap();
        e.set_clock(Clock::Manual(1_750_000_000_000));
        e.install_pack(&pack, false).unwrap();
        let loaded = e.course("both").unwrap();
        let views: Vec<_> = (0..loaded.items.len())
            .map(|ix| ladder_engine::engine::item_view(&loaded, ix, 0))
            .collect();
        let ids: Vec<&str> = views.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(ids, ["say", "mean", "fill", "count", "pick"]);
        let languages: Vec<Option<&str>> =
            views.iter().map(|v| v.answer_language.as_deref()).collect();
        assert_eq!(languages, expected, "{lines:?}");
        // As a step gives it, and in the wire form.
        let ana = LearnerId(e.add_learner("Ana").unwrap().id);
        let sid = SessionId(e.start_session(ana, "both", None, None).unwrap().session);
        let step = e.next_step(sid).unwrap();
        let at = ids.iter().position(|id| *id == step.item.id).unwrap();
        assert_eq!(step.item.answer_language.as_deref(), expected[at], "{lines:?}");
        let wire = serde_json::to_value(&step).unwrap();
        assert_eq!(wire["item"]["answer_language"], serde_json::json!(expected[at]));
    }
}
