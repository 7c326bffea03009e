//! Valid packs: the minimal example of `docs/pack-format.md` and the two sample packs validate
//! without warnings, load into the right shape, and build byte-identically.

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use common::*;
use ladder_core::{grade, Answer, ItemKind};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn assert_clean(dir: &Path) -> ladder_pack::Pack {
    let checked = ladder_pack::validate(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    assert!(
        checked.report.errors.is_empty() && checked.report.warnings.is_empty(),
        "{} should validate with no errors and no warnings:\n{}",
        dir.display(),
        checked.report
    );
    checked.pack.expect("a valid pack")
}

/// Builds `dir` twice into a temp folder, asserts the files are identical, and returns the bytes.
fn build_twice(dir: &Path) -> Vec<u8> {
    let out = tempfile::tempdir().expect("tempdir");
    let a = out.path().join("a.ladderpack");
    let b = out.path().join("b.ladderpack");
    let built_a = ladder_pack::build(dir, &a).expect("build a");
    let built_b = ladder_pack::build(dir, &b).expect("build b");
    let bytes_a = std::fs::read(&a).expect("read a");
    let bytes_b = std::fs::read(&b).expect("read b");
    assert!(bytes_a == bytes_b, "{}: two builds differ", dir.display());
    assert_eq!(built_a.content_hash, built_b.content_hash);
    assert_eq!(built_a.size, bytes_a.len() as u64);
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(out.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    bytes_a
}

#[test]
fn minimal_example_validates_and_loads() {
    let pack = assert_clean(&minimal_dir());
    assert_eq!(pack.info.id.as_str(), "halves");
    assert_eq!(pack.info.version.to_string(), "1.0.0");
    let lessons: Vec<&str> = pack.lessons.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(lessons, ["half", "quarters"]);
    let items: Vec<(&str, &str, &str)> =
        pack.items.iter().map(|i| (i.id.as_str(), i.lesson.as_str(), i.kind_name())).collect();
    assert_eq!(
        items,
        [
            ("half-001", "half", "choice"),
            ("half-002", "half", "numeric"),
            ("half-003", "half", "text"),
            ("quarters-001", "quarters", "cloze"),
            ("quarters-002", "quarters", "order"),
        ]
    );
    assert_eq!(pack.lessons[0].items.len(), 3);
    let quarters = ladder_core::LessonId::from("quarters");
    let in_quarters: Vec<&str> = pack.items_of(&quarters).map(|i| i.id.as_str()).collect();
    assert_eq!(in_quarters, ["quarters-001", "quarters-002"]);
    assert_eq!(pack.lesson(&quarters).map(|l| l.title.as_str()), Some("Halves and quarters"));
    assert!(pack.skill(&"half".into()).is_some());
    assert!(pack.item(&"half-003".into()).is_some());
    assert!(pack.lessons[1].fixed_order);
    assert_eq!(pack.skills[1].prerequisites[0].as_str(), "half");
    let media: Vec<&str> = pack.media().map(|(p, _)| p).collect();
    assert_eq!(media, ["media/bar-1-2.svg"]);
    assert!(pack.media_file("media/bar-1-2.svg").is_some());
    assert!(pack.media_file("pack.toml").is_none());

    // The loaded items grade as the page says.
    let choice = &pack.items[0];
    let g = grade(choice, &Answer::Choice(vec![2])).expect("grade");
    assert!(!g.correct);
    assert!(g.feedback.is_some_and(|m| m.contains("two wholes")));
    assert!(grade(&pack.items[1], &Answer::Text("1/2".into())).expect("grade").correct);
    assert!(grade(&pack.items[2], &Answer::Text(" A  Half ".into())).expect("grade").correct);
    let cloze =
        grade(&pack.items[3], &Answer::Cloze(vec!["1".into(), "fourths".into()])).expect("grade");
    assert_eq!(cloze.blanks, vec![false, true]);
    assert_eq!(cloze.feedback.as_deref(), Some("One quarter is half of a half."));
    assert!(matches!(pack.items[3].kind, ItemKind::Cloze { ref blanks } if blanks.len() == 2));
    assert!(grade(&pack.items[4], &Answer::Order(vec![1, 2, 3])).expect("grade").correct);
    assert_eq!(pack.items[0].hint_ladder().len(), 2);
}

#[test]
fn minimal_example_builds_identically_and_round_trips() {
    let folder = assert_clean(&minimal_dir());
    let bytes = build_twice(&minimal_dir());
    assert_eq!(bytes, ladder_pack::archive_bytes(&folder).expect("in-memory build"));
    let checked = ladder_pack::validate_archive(Cursor::new(bytes.clone()), "halves.ladderpack");
    assert!(checked.report.errors.is_empty(), "{}", checked.report);
    let archived = checked.pack.expect("the archive is valid");
    assert_eq!(archived.content_hash(), folder.content_hash());
    assert_eq!(archived.items, folder.items);
    assert_eq!(archived.files(), folder.files());
    // The manifest lists every file with its hash.
    let entries = entries_of(&bytes);
    let names: Vec<&str> = entries.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "MANIFEST.json",
            "lessons/01-half.toml",
            "lessons/02-quarters.toml",
            "media/bar-1-2.svg",
            "pack.toml",
            "skills.toml"
        ]
    );
    let manifest: ladder_pack::Manifest =
        serde_json::from_slice(&entries["MANIFEST.json"]).expect("manifest json");
    assert_eq!(manifest.id, "halves");
    assert_eq!(manifest.files.len(), 5);
}

#[test]
fn the_content_hash_depends_on_content_only() {
    let a = assert_clean(&minimal_dir());
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    assert_eq!(assert_clean(dir.path()).content_hash(), a.content_hash());
    let svg = dir.path().join("media/bar-1-2.svg");
    let mut bytes = std::fs::read(&svg).expect("read");
    bytes.push(b'\n');
    std::fs::write(&svg, bytes).expect("write");
    assert_ne!(assert_clean(dir.path()).content_hash(), a.content_hash());
}

#[test]
fn build_refuses_an_invalid_pack_and_writes_nothing() {
    let out = tempfile::tempdir().expect("tempdir");
    let target = out.path().join("x.ladderpack");
    let broken = packs_dir().join("broken/cycle/pack");
    match ladder_pack::build(&broken, &target) {
        Err(ladder_pack::Error::Invalid(report)) => assert_eq!(report.errors.len(), 3),
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(std::fs::read_dir(out.path()).expect("list").count(), 0);
}

/// The complete example in docs/pack-format.md is tests/packs/valid/minimal, file for file:
/// each block under a heading "`minimal/<path>`" equals that file.
#[test]
fn the_documented_example_is_the_minimal_pack() {
    let doc =
        std::fs::read_to_string(workspace_root().join("docs/pack-format.md")).expect("read doc");
    let mut found = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        let Some(path) =
            line.strip_prefix("#### `minimal/").and_then(|rest| rest.strip_suffix('`'))
        else {
            continue;
        };
        let fence = lines.by_ref().find(|l| l.starts_with("```")).expect("a code block");
        assert!(fence.len() > 3, "the block for {path} names its language");
        let mut block = String::new();
        for l in lines.by_ref() {
            if l == "```" {
                break;
            }
            block.push_str(l);
            block.push('\n');
        }
        let file = std::fs::read_to_string(minimal_dir().join(path)).expect("the file exists");
        assert_eq!(block, file, "docs/pack-format.md block for {path} differs from the file");
        found.push(path.to_owned());
    }
    found.sort();
    let pack = assert_clean(&minimal_dir());
    let mut files: Vec<String> = pack.files().keys().cloned().collect();
    files.sort();
    assert_eq!(found, files, "every file of the minimal pack is shown in the doc");
}

/// The sample packs under assets/packs are written by other contributors. This test fails (it
/// does not skip) while either is missing: both must exist, validate with no warnings and build
/// byte-identically.
#[test]
fn sample_packs_validate_cleanly_and_build_identically() {
    for name in ["fractions", "spanish-a1"] {
        let dir = workspace_root().join("assets/packs").join(name);
        assert!(dir.is_dir(), "sample pack {} is missing", dir.display());
        let pack = assert_clean(&dir);
        assert_eq!(pack.info.id.as_str(), name);
        let bytes = build_twice(&dir);
        let checked = ladder_pack::validate_archive(Cursor::new(bytes), name);
        assert!(
            checked.report.errors.is_empty() && checked.report.warnings.is_empty(),
            "{}",
            checked.report
        );
        assert_eq!(checked.pack.expect("valid archive").content_hash(), pack.content_hash());
    }
}

/// The Spanish sample pack is a Spanish course for English speakers: its English text is full
/// of Spanish words, which a screen reader read with English sounds until each was marked
/// `<span lang='es'>` (1.1.0). Every item marks some, every mark survives rendering (none
/// dropped as HTML, none shown as text), and the answers a learner types carry none, so
/// grading is what it was.
#[test]
fn the_spanish_sample_pack_marks_its_spanish_words_for_screen_readers() {
    let pack = assert_clean(&workspace_root().join("assets/packs/spanish-a1"));
    assert_eq!(pack.info.languages, ["es", "en"]);
    // Its own text (titles, names, the English around the marks) is English (1.1.1), and its
    // learners type Spanish (1.1.2): every text and cloze item asks for a Spanish answer, so
    // none names a language of its own.
    assert_eq!(pack.info.text_language.as_deref(), Some("en"));
    assert_eq!(pack.info.answer_language.as_deref(), Some("es"));
    assert!(pack.items.iter().all(|i| i.answer_language.is_none()));
    let marks = |markdown: &str| markdown.matches("<span lang='es'>").count();
    let rendered = |markdown: &str, place: &str| {
        let html = ladder_pack::render_markdown(markdown);
        assert_eq!(html.matches("<span lang=\"es\">").count(), marks(markdown), "{place}: {html}");
        assert!(!html.contains("&lt;span"), "{place}: a mark shown as text: {html}");
        // The marks change nothing else: the text renders as it does without them (emphasis,
        // tables, blanks), which is how 1.0.0 wrote it.
        let unmarked = |html: &str| html.replace("<span lang=\"es\">", "").replace("</span>", "");
        let bare = markdown.replace("<span lang='es'>", "").replace("</span>", "");
        assert_eq!(
            unmarked(&html),
            unmarked(&ladder_pack::render_markdown(&bare)),
            "{place}: {markdown}"
        );
    };
    for lesson in &pack.lessons {
        assert!(marks(&lesson.intro) > 0, "lesson {} marks no Spanish", lesson.id);
        rendered(&lesson.intro, lesson.id.as_str());
    }
    for skill in &pack.skills {
        assert!(marks(&skill.description) > 0, "skill {} marks no Spanish", skill.id);
        rendered(&skill.description, skill.id.as_str());
    }
    for item in &pack.items {
        let mut texts = vec![item.prompt.clone()];
        texts.extend(item.hints.iter().cloned());
        texts.extend(item.solution.iter().cloned());
        texts.extend(item.feedback.iter().map(|f| f.message.clone()));
        let mut typed: Vec<String> = item.feedback.iter().map(|f| f.answer.clone()).collect();
        match &item.kind {
            ItemKind::Choice { choices, .. } => texts.extend(choices.iter().cloned()),
            ItemKind::Order { order } => texts.extend(order.iter().cloned()),
            ItemKind::Text(t) => typed.extend(t.answers.iter().cloned()),
            ItemKind::Cloze { blanks } => {
                for blank in blanks {
                    if let ladder_core::Blank::Text(t) = blank {
                        typed.extend(t.answers.iter().cloned());
                    }
                }
            }
            ItemKind::Numeric(_) => {}
        }
        assert!(texts.iter().any(|t| marks(t) > 0), "item {} marks no Spanish", item.id);
        for text in &texts {
            rendered(text, item.id.as_str());
        }
        for answer in typed {
            assert!(!answer.contains('<'), "item {}: markup in an answer: {answer}", item.id);
        }
    }
}

/// The other escapes that eat TeX: `\theta` (tab), `\epsilon` (escape character), `\neq` inside
/// maths (line break); each warning names the command to double. A line break in prose is fine.
#[test]
fn every_tex_eating_escape_is_named() {
    let checked = ladder_pack::validate_folder(&minimal_dir()).expect("read");
    let files = checked.pack.expect("valid").files().clone();
    let lesson = String::from_utf8(files["lessons/02-quarters.toml"].clone()).expect("utf8");
    for (intro, command) in
        [("$\\theta$", "\\\\theta"), ("$\\epsilon$", "\\\\epsilon"), ("$a \\neq b$", "\\\\neq")]
    {
        let mut changed = files.clone();
        let text = lesson
            .replace("fixed_order = true\n", &format!("fixed_order = true\nintro = \"{intro}\"\n"));
        changed.insert("lessons/02-quarters.toml".into(), text.into_bytes());
        let report = ladder_pack::validate_files(changed).report.to_string();
        assert!(report.contains(&format!("so write {command},")), "{intro}: {report}");
    }
    let mut prose = files.clone();
    let text = lesson.replace(
        "fixed_order = true\n",
        "fixed_order = true\nintro = \"One half.\\nnext line, $x$\"\n",
    );
    prose.insert("lessons/02-quarters.toml".into(), text.into_bytes());
    let checked = ladder_pack::validate_files(prose);
    assert!(checked.report.warnings.is_empty(), "{}", checked.report);
}

/// `"$\frac{1}{2}$"` in a basic TOML string is a form feed followed by `rac`: valid TOML, wrong
/// maths. The validator warns and says how to write it.
#[test]
fn toml_escapes_that_eat_tex_commands_are_warned_about() {
    let checked = ladder_pack::validate_folder(&minimal_dir()).expect("read");
    let mut files = checked.pack.expect("valid").files().clone();
    let lesson = String::from_utf8(files["lessons/02-quarters.toml"].clone()).expect("utf8");
    let lesson = lesson.replace(
        "fixed_order = true\n",
        "fixed_order = true\nintro = \"Half is $\\frac{1}{2}$ and $2 \\times 2$.\"\n",
    );
    files.insert("lessons/02-quarters.toml".into(), lesson.into_bytes());
    let checked = ladder_pack::validate_files(files);
    assert!(checked.report.errors.is_empty(), "{}", checked.report);
    assert_eq!(
        checked.report.to_string(),
        "lessons/02-quarters.toml:6:9: warning: lesson.intro: the text contains a form feed (from `\\f`, as in `\\frac`?): in \"...\" strings a backslash starts an escape, so write \\\\frac, or use '...' strings for maths\n\
         lessons/02-quarters.toml:6:9: warning: lesson.intro: the text contains a tab (from `\\t`, as in `\\theta` or `\\times`?): in \"...\" strings a backslash starts an escape, so write \\\\theta, or use '...' strings for maths\n"
    );
}

/// The minimal pack's files with `pack.toml`'s version replaced by `version`.
fn minimal_with_version(version: &str) -> ladder_pack::Checked {
    let mut files = std::collections::BTreeMap::new();
    for path in ["pack.toml", "skills.toml", "lessons/01-half.toml", "lessons/02-quarters.toml"] {
        let text = std::fs::read_to_string(minimal_dir().join(path)).expect("read");
        let text = text.replace("version = \"1.0.0\"", &format!("version = \"{version}\""));
        files.insert(path.to_owned(), text.into_bytes());
    }
    let svg = std::fs::read(minimal_dir().join("media/bar-1-2.svg")).expect("svg");
    files.insert("media/bar-1-2.svg".to_owned(), svg);
    ladder_pack::validate_files(files)
}

/// What docs/pack-format.md says of `version`: MAJOR.MINOR.PATCH, optionally a pre-release
/// (`-beta.1`), and no build metadata (`+...`), which semantic versioning leaves out of the
/// order of versions, so `1.0.0+a` and `1.0.0+b` could not tell two editions apart. Build
/// metadata used to be accepted.
#[test]
fn versions_are_major_minor_patch_with_an_optional_pre_release() {
    for ok in ["1.0.0", "0.1.0", "10.20.30", "1.0.0-beta.1", "2.0.0-rc1"] {
        let checked = minimal_with_version(ok);
        assert!(checked.report.is_valid(), "{ok}: {}", checked.report);
    }
    for (bad, says) in [
        ("1.0.0+build.5", "pack.toml:3:11: version: `1.0.0+build.5`: build metadata (`+build.5`)"),
        ("1.0.0-beta+exp", "pack.toml:3:11: version: `1.0.0-beta+exp`: build metadata (`+exp`)"),
        ("1.0", "pack.toml:3:11: version: `1.0` is not a semantic version such as 1.2.0"),
        ("v1.0.0", "pack.toml:3:11: version: `v1.0.0` is not a semantic version such as 1.2.0"),
    ] {
        let checked = minimal_with_version(bad);
        let report = checked.report.to_string();
        assert!(report.starts_with(says), "{bad}: {report}");
        assert_eq!(checked.report.errors.len(), 1, "{bad}: {report}");
        let es = checked.report.render(ladder_pack::Lang::Es);
        assert!(!es.contains(" is not ") && !es.contains("build metadata"), "{bad}: {es}");
    }
}

/// A path that is neither a folder nor a plain file (a named pipe, a device) is refused before
/// it is opened: reading a named pipe waits for a writer, so `ladder pack validate PIPE` used to
/// hang. `/dev/null` stands in for the pipe here, since a test of the pipe would hang too.
#[cfg(unix)]
#[test]
fn a_path_that_is_no_file_or_folder_is_refused_unread() {
    let err = ladder_pack::validate(Path::new("/dev/null")).expect_err("not a pack");
    let said = err.to_string();
    assert!(said.starts_with("/dev/null: not a file or a folder"), "{said}");
}

/// The other examples of docs/pack-format.md: the `fractions` manifest, skills and lesson, and
/// the short example of each kind of item, put together into one pack (a lesson for the second
/// skill added, and the fields a fragment leaves out), validate with no errors and no warnings:
/// a teacher copies them too.
#[test]
fn the_documented_fragments_validate() {
    let doc =
        std::fs::read_to_string(workspace_root().join("docs/pack-format.md")).expect("read doc");
    let mut blocks = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if line != "```toml" {
            continue;
        }
        let mut block = String::new();
        for l in lines.by_ref() {
            if l == "```" {
                break;
            }
            block.push_str(l);
            block.push('\n');
        }
        blocks.push(block);
    }
    // The block that starts with `first` and then has `then`.
    let find = |first: &str, then: &str| -> String {
        let found: Vec<&String> =
            blocks.iter().filter(|b| b.starts_with(first) && b.contains(then)).collect();
        assert_eq!(found.len(), 1, "one block of docs/pack-format.md: {first:?}, {then:?}");
        found[0].clone()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("pack.toml", &find("schema = 1", "id = \"fractions\""));
    write("skills.toml", &find("[[skill]]", "id = \"meaning\""));
    write("lessons/01-meaning.toml", &find("[lesson]", "id = \"meaning\""));
    write("media/bar-3-8.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    let mut second = String::from(
        "[lesson]\nid = \"equivalence\"\ntitle = \"Equivalent fractions\"\n\
         skills = [\"equivalence\"]\n",
    );
    let fragments: Vec<&String> = blocks.iter().filter(|b| b.starts_with("kind = ")).collect();
    assert_eq!(fragments.len(), 4, "numeric, text, cloze and order");
    for (i, fragment) in fragments.iter().enumerate() {
        second.push_str(&format!(
            "\n[[item]]\nid = \"fragment-{i}\"\nskills = [\"equivalence\"]\n\
             hints = [\"A hint.\"]\nsolution = \"The solution.\"\n"
        ));
        if !fragment.contains("prompt = ") {
            second.push_str("prompt = \"The question.\"\n");
        }
        second.push_str(fragment);
    }
    write("lessons/02-equivalence.toml", &second);
    assert_clean(dir.path());
}

/// The `text_language` example of docs/pack-format.md, put in the minimal pack's `pack.toml` in
/// place of its `languages`, validates with no errors and no warnings and gives the pack its
/// text's language.
#[test]
fn the_documented_text_language_validates() {
    let doc =
        std::fs::read_to_string(workspace_root().join("docs/pack-format.md")).expect("read doc");
    let block: String = doc
        .split("```toml\n")
        .filter_map(|b| b.split("```").next())
        .find(|b| b.starts_with("languages = ") && b.contains("text_language = "))
        .expect("the text_language example in docs/pack-format.md")
        .to_owned();
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let manifest = dir.path().join("pack.toml");
    let text = std::fs::read_to_string(&manifest).expect("read");
    assert!(text.contains("languages = [\"en\"]\n"));
    std::fs::write(&manifest, text.replace("languages = [\"en\"]\n", &block)).expect("write");
    let pack = assert_clean(dir.path());
    assert_eq!(pack.info.text_language.as_deref(), Some("en"));
}

/// The `answer_language` examples of docs/pack-format.md validate with no errors and no
/// warnings: the manifest's lines in place of the minimal pack's `languages`, and the item
/// answered in English (with the minimal pack's skill for the course's) in its first lesson.
/// The pack's language and the item's reach the pack.
#[test]
fn the_documented_answer_language_validates() {
    let doc =
        std::fs::read_to_string(workspace_root().join("docs/pack-format.md")).expect("read doc");
    let block = |first: &str| -> String {
        doc.split("```toml\n")
            .filter_map(|b| b.split("```").next())
            .find(|b| b.starts_with(first) && b.contains("answer_language = "))
            .unwrap_or_else(|| panic!("the answer_language example {first:?} in the doc"))
            .to_owned()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let manifest = dir.path().join("pack.toml");
    let text = std::fs::read_to_string(&manifest).expect("read");
    assert!(text.contains("languages = [\"en\"]\n"));
    let languages = block("languages = ");
    std::fs::write(&manifest, text.replace("languages = [\"en\"]\n", &languages)).expect("write");
    let item = block("[[item]]");
    assert!(item.contains("skills = [\"nouns\"]"));
    let lesson = dir.path().join("lessons/01-half.toml");
    let mut text = std::fs::read_to_string(&lesson).expect("read");
    text.push('\n');
    text.push_str(&item.replace("skills = [\"nouns\"]", "skills = [\"half\"]"));
    std::fs::write(&lesson, text).expect("write");
    let pack = assert_clean(dir.path());
    assert_eq!(pack.info.answer_language.as_deref(), Some("es"));
    let perro = pack.items.iter().find(|i| i.id.as_str() == "perro-meaning").expect("the item");
    assert_eq!(perro.answer_language.as_deref(), Some("en"));
}
