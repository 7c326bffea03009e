//! Mistakes a teacher really makes while writing a pack from `docs/pack-format.md`, each made in
//! a copy of the minimal pack: the report must name the mistake, and nothing else. A wrong
//! entry of a list used to make the validator judge the rest of the item as if the list were
//! empty or the item of no kind, adding errors about things the teacher wrote right.

mod common;

use std::path::Path;

use common::*;
use ladder_pack::Lang;

/// The minimal pack with `from` replaced by `to` in `file` (once; `from` must be there).
fn minimal_with(dir: &Path, file: &str, from: &str, to: &str) {
    copy_tree(&minimal_dir(), dir);
    edit(dir, file, from, to);
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} should contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

fn report(dir: &Path, lang: Lang) -> String {
    ladder_pack::validate_folder(dir).expect("read folder").report.render(lang)
}

/// Choices written as bare numbers (`choices = [1, 2, 3]` for "which is a half of 6?") are
/// reported once each; the item is not also said to have 0 choices, nor its right position and
/// its feedback position to be out of range.
#[test]
fn choices_written_as_numbers_are_reported_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"choices = ["$\\frac{1}{2}$", "$\\frac{2}{1}$", "$\\frac{1}{3}$"]"#,
        "choices = [0.5, 2, 0.3]",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:15:12: item[0].choices[0]: expected a string, found a number with a fraction\n\
         lessons/01-half.toml:15:17: item[0].choices[1]: expected a string, found an integer\n\
         lessons/01-half.toml:15:20: item[0].choices[2]: expected a string, found a number with a fraction\n"
    );
}

/// `correct = ["1"]`: the position in quotes is the mistake, not "no correct position".
#[test]
fn quoted_correct_position_is_not_called_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "correct = [1]", r#"correct = ["1"]"#);
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:16:12: item[0].correct[0]: expected an integer, found a string: \
         write 1 without quotes\n"
    );
}

/// An accepted answer written as a number (`answers = [2]`) is a wrong type, not a missing
/// answer; an order entry likewise; and an item's skill, and a list of hints.
#[test]
fn numbers_in_text_lists_are_reported_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"answers = ["half", "a half"]"#,
        "answers = [2]",
    );
    edit(
        dir.path(),
        "lessons/02-quarters.toml",
        r#"order = ["$\\frac{1}{4}$", "$\\frac{1}{2}$", "$\\frac{3}{4}$"]"#,
        "order = [0.25, 0.5, 0.75]",
    );
    edit(
        dir.path(),
        "lessons/02-quarters.toml",
        r#"hints = ["A quarter is smaller than a half."]"#,
        r#"hints = [["A quarter is smaller than a half."]]"#,
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:40:12: item[2].answers[0]: expected a string, found an integer\n\
         lessons/02-quarters.toml:29:10: item[1].order[0]: expected a string, found a number with a fraction\n\
         lessons/02-quarters.toml:29:16: item[1].order[1]: expected a string, found a number with a fraction\n\
         lessons/02-quarters.toml:29:21: item[1].order[2]: expected a string, found a number with a fraction\n\
         lessons/02-quarters.toml:30:10: item[1].hints[0]: expected a string, found an array\n"
    );
}

/// A cloze item whose blank has a mistake keeps its feedback's `blank = N`: that field was
/// called one that "applies only to feedback of cloze items", on a cloze item.
#[test]
fn feedback_blank_of_a_cloze_item_with_a_broken_blank_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/02-quarters.toml",
        "{ numeric = true, answer = 2 }",
        "{ answer = 2 }",
    );
    let en = report(dir.path(), Lang::En);
    assert_eq!(
        en,
        "lessons/02-quarters.toml:13:3: item[0].blanks[0].answers: missing required field\n\
         lessons/02-quarters.toml:13:5: item[0].blanks[0].answer: field `answer` applies only to numeric blanks: add `numeric = true`\n"
    );
    let es = report(dir.path(), Lang::Es);
    assert!(!es.contains("feedback"), "{es}");
    assert_eq!(es.lines().count(), 2, "{es}");
}

/// The same for a kind the validator does not know (a typo in `kind`): the feedback's `blank`
/// is not blamed, only the kind.
#[test]
fn feedback_blank_of_an_item_of_unknown_kind_is_not_blamed() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/02-quarters.toml", r#"kind = "cloze""#, r#"kind = "close""#);
    let en = report(dir.path(), Lang::En);
    assert_eq!(
        en,
        "lessons/02-quarters.toml:9:8: item[0].kind: unknown kind `close`; expected choice, numeric, text, cloze or order: write \"cloze\"\n"
    );
}

/// The lists of ids, likewise: `languages = [1]`, a lesson's `skills = [4]` and an item's
/// `skills = [2]` are wrong types, not "no language", "no skill".
#[test]
fn ids_written_as_numbers_are_reported_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "pack.toml", r#"languages = ["en"]"#, "languages = [1]");
    edit(dir.path(), "lessons/02-quarters.toml", r#"skills = ["quarters"]"#, "skills = [4]");
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "skills = [\"half\"]\ndifficulty",
        "skills = [2]\ndifficulty",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:12:11: item[0].skills[0]: expected a string, found an integer\n\
         lessons/02-quarters.toml:4:11: lesson.skills[0]: expected a string, found an integer\n\
         pack.toml:6:14: languages[0]: expected a string, found an integer\n"
    );
}

/// Two choices with the same text (a copy and paste left unedited): the learner sees the same
/// option twice and cannot tell the right one from the wrong one, so the item could never be
/// graded fairly. Reported at the second one, naming the first, in English and Spanish.
#[test]
fn the_same_choice_twice_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"choices = ["$\\frac{1}{2}$", "$\\frac{2}{1}$", "$\\frac{1}{3}$"]"#,
        r#"choices = ["$\\frac{1}{2}$", "$\\frac{2}{1}$", " $\\frac{1}{2}$"]"#,
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:15:48: item[0].choices[2]: choice 3 has the same text as choice 1: \
         learners could not tell them apart\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:15:48: item[0].choices[2]: la opción 3 tiene el mismo texto que la \
         opción 1: los alumnos no podrían distinguirlas\n"
    );
}

/// In TOML every key belongs to the table header above it. Hints and a solution written after
/// an item's `[[item.feedback]]` (added last, at the bottom) are read as part of the feedback
/// entry: the report says so and where to move them, instead of only "unknown field".
#[test]
fn hints_written_after_the_feedback_table_say_where_they_belong() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hints = "hints = [\"Count the equal parts of the bar: that is the bottom number.\"]\n\
                 solution = \"The bar has 2 equal parts and 1 is shaded: $\\\\frac{1}{2}$.\"\n";
    minimal_with(dir.path(), "lessons/01-half.toml", hints, "");
    let message =
        "message = \"That is two wholes. The bottom number counts the parts of **one** whole.\"\n";
    edit(dir.path(), "lessons/01-half.toml", message, &format!("{message}{hints}"));
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:21:1: item[0].feedback[0].hints: `hints` is a field of the item, but \
         it comes after [[item.feedback]], so TOML reads it as part of that feedback entry: move it \
         above the item's first [[item.feedback]]\n\
         lessons/01-half.toml:22:1: item[0].feedback[0].solution: `solution` is a field of the \
         item, but it comes after [[item.feedback]], so TOML reads it as part of that feedback \
         entry: move it above the item's first [[item.feedback]]\n\
         lessons/01-half.toml:9:1: warning: item[0]: no hints: a learner who is stuck gets no help \
         before the solution\n\
         lessons/01-half.toml:9:1: warning: item[0]: no worked solution: the hint ladder has no \
         last rung\n"
    );
    let es = report(dir.path(), Lang::Es);
    assert!(
        es.starts_with(
            "lessons/01-half.toml:21:1: item[0].feedback[0].hints: `hints` es un campo del \
             ejercicio, pero va después de [[item.feedback]], así que TOML lo lee como parte de \
             esa retroalimentación: muévelo encima del primer [[item.feedback]] del ejercicio\n"
        ),
        "{es}"
    );
}

/// Written inline, `feedback = [{ answer = "2", message = "...", hints = [...] }]`, the key is
/// plainly inside the entry's braces: the usual "unknown field".
#[test]
fn an_item_field_inside_inline_feedback_is_an_unknown_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"message = "0.2 is one *fifth*." }"#,
        r#"message = "0.2 is one *fifth*.", difficulty = 1 }"#,
    );
    let en = report(dir.path(), Lang::En);
    assert!(
        en.contains(
            "item[1].feedback[0].difficulty: unknown field `difficulty`; expected one of: answer, \
             message\n"
        ),
        "{en}"
    );
}

/// A lesson's field written at the bottom of the file lands in the last item.
#[test]
fn a_lesson_field_after_the_items_says_where_it_belongs() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let path = dir.path().join("lessons/01-half.toml");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str("fixed_order = true\n");
    std::fs::write(&path, text).expect("write");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:43:1: item[2].fixed_order: `fixed_order` is a field of the lesson, \
         but it comes after [[item]], so TOML reads it as part of that item: move it into \
         [lesson], at the top of the file\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:43:1: item[2].fixed_order: `fixed_order` es un campo de la lección, \
         pero va después de [[item]], así que TOML lo lee como parte de ese ejercicio: muévelo a \
         [lesson], al principio del archivo\n"
    );
}

/// Keys written above the first table header belong to no table.
#[test]
fn fields_above_the_first_table_say_where_they_belong() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "[lesson]\nid = \"half\"\ntitle = \"One half\"\n",
        "id = \"half\"\ntitle = \"One half\"\n[lesson]\n",
    );
    edit(dir.path(), "skills.toml", "[[skill]]\nid = \"half\"", "id = \"half\"\n[[skill]]");
    let en = report(dir.path(), Lang::En);
    for line in [
        "lessons/01-half.toml:1:1: id: `id` comes before any table, so it belongs to none: move \
         it below the [lesson] line\n",
        "lessons/01-half.toml:2:1: title: `title` comes before any table, so it belongs to none: \
         move it below the [lesson] line\n",
        "skills.toml:1:1: id: `id` comes before any table, so it belongs to none: move it below \
         the [[skill]] line\n",
    ] {
        assert!(en.contains(line), "{line}\nis not in\n{en}");
    }
    let es = report(dir.path(), Lang::Es);
    assert!(
        es.contains(
            "lessons/01-half.toml:1:1: id: `id` va antes de cualquier tabla, así que no pertenece \
             a ninguna: muévelo debajo de la línea [lesson]\n"
        ),
        "{es}"
    );
}

/// `"$\frac{b \times h}{2}$"` in a "..." string loses two TeX commands (`\f` and `\t`). The
/// page promises a warning for every escape that eats one; only the first kind was named, so a
/// teacher who fixed `\frac` met `\times` on the next run.
#[test]
fn every_eaten_tex_command_of_a_string_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"prompt = "Write one half as a decimal number.""#,
        r#"prompt = "Write $\frac{1 \times 1}{2}$ as a decimal number.""#,
    );
    let en = report(dir.path(), Lang::En);
    assert_eq!(
        en,
        "lessons/01-half.toml:28:10: warning: item[1].prompt: the text contains a form feed (from \
         `\\f`, as in `\\frac`?): in \"...\" strings a backslash starts an escape, so write \
         \\\\frac, or use '...' strings for maths\n\
         lessons/01-half.toml:28:10: warning: item[1].prompt: the text contains a tab (from \
         `\\t`, as in `\\theta` or `\\times`?): in \"...\" strings a backslash starts an escape, \
         so write \\\\theta, or use '...' strings for maths\n"
    );
}

/// A typo in a skill id (`quarter` for `quarters`) is the commonest broken reference: the
/// report names the skill that was probably meant, wherever the id is written (a lesson, an
/// item, a prerequisite); an id like none of them stays a plain "unknown skill". While a
/// lesson names an unknown skill, what the lessons teach is not known, so the items' skills are
/// not also each said to be "not taught" (here `half`, which the misspelt lesson taught).
#[test]
fn a_misspelt_skill_id_suggests_the_declared_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/02-quarters.toml",
        r#"skills = ["quarters", "half"]"#,
        r#"skills = ["quarter", "half"]"#,
    );
    edit(dir.path(), "skills.toml", r#"prerequisites = ["half"]"#, r#"prerequisites = ["halve"]"#);
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "skills = [\"half\"]\nintro",
        "skills = [\"fractions\"]\nintro",
    );
    let en = report(dir.path(), Lang::En);
    assert_eq!(
        en,
        "lessons/01-half.toml:4:11: lesson.skills[0]: unknown skill `fractions`: declare it in \
         skills.toml, or write the id of a skill declared there\n\
         lessons/02-quarters.toml:27:11: item[1].skills[0]: unknown skill `quarter` (did you mean `quarters`?)\n\
         skills.toml:10:18: skill[1].prerequisites[0]: unknown skill `halve` (did you mean `half`?)\n"
    );
    let es = report(dir.path(), Lang::Es);
    assert!(
        es.contains(
            "item[1].skills[0]: habilidad desconocida `quarter` (¿querías decir `quarters`?)\n"
        ),
        "{es}"
    );
}

/// A file of items without a `[lesson]` table (a teacher adding exercises to a lesson from a
/// new file): the report says that each lesson file starts with its own `[lesson]` and that
/// items belong to the lesson of their file, not only "lesson: missing required field".
#[test]
fn a_file_of_items_without_a_lesson_says_how_items_join_a_lesson() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    std::fs::write(
        dir.path().join("lessons/03-more-halves.toml"),
        "[[item]]\nid = \"half-004\"\nkind = \"text\"\nskills = [\"half\"]\n\
         prompt = \"Two halves make one ...?\"\nanswers = [\"whole\"]\n\
         hints = [\"Put them together.\"]\nsolution = \"One **whole**.\"\n",
    )
    .expect("write");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/03-more-halves.toml:1:1: lesson: the file has no [lesson] table: every lesson \
         file starts with its own [lesson] (id, title, skills), and the items of a file belong to \
         its lesson; to add items to an existing lesson, write them in that lesson's file\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/03-more-halves.toml:1:1: lesson: el archivo no tiene tabla [lesson]: cada \
         archivo de lección empieza por su propio [lesson] (id, title, skills), y los ejercicios \
         de un archivo son de su lección; para añadir ejercicios a una lección que ya existe, \
         escríbelos en el archivo de esa lección\n"
    );
}

/// When the skills cannot all be read (`[[skills]]` for `[[skill]]`, or a skill whose `id` is
/// misspelt), every skill the lessons and items name is not also "unknown": the mistake in
/// skills.toml is reported (once: the misspelt name is not also a missing `skill` or `id`),
/// and the references are checked once it is fixed.
#[test]
fn unreadable_skills_do_not_make_every_reference_unknown() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let skills = std::fs::read_to_string(dir.path().join("skills.toml")).expect("read");
    std::fs::write(dir.path().join("skills.toml"), skills.replace("[[skill]]", "[[skills]]"))
        .expect("write");
    assert_eq!(
        report(dir.path(), Lang::En),
        "skills.toml:1:3: skills: unknown field `skills` (did you mean `skill`?)\n"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "skills.toml", "id = \"half\"", "Id = \"half\"");
    assert_eq!(
        report(dir.path(), Lang::En),
        "skills.toml:2:1: skill[0].Id: unknown field `Id` (did you mean `id`?)\n"
    );
}

/// Single and double brackets mixed up, the TOML mistake teachers make most with headers:
/// `[item.feedback]` for one entry of the list `[[item.feedback]]`, `[[lesson]]` for the one
/// `[lesson]` of a file. The report says which brackets to write, not only "expected an array
/// of tables, found a table".
#[test]
fn single_and_double_brackets_mixed_up_say_which_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "[[item.feedback]]", "[item.feedback]");
    edit(dir.path(), "lessons/02-quarters.toml", "[lesson]", "[[lesson]]");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:20:1: item[0].feedback: `item.feedback` is a list: write its header \
         with double brackets, [[item.feedback]], once for each entry\n\
         lessons/02-quarters.toml:1:1: lesson: `lesson` is one table: write its header with \
         single brackets, [lesson]\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:20:1: item[0].feedback: `item.feedback` es una lista: escribe su \
         encabezado con corchetes dobles, [[item.feedback]], una vez por cada entrada\n\
         lessons/02-quarters.toml:1:1: lesson: `lesson` es una sola tabla: escribe su encabezado \
         con corchetes simples, [lesson]\n"
    );
}

/// `languages = ["spanish"]`: a language's name is not its tag. BCP 47 language tags start
/// with the 2 or 3 letter ISO 639 code (`es`, `en`, `es-MX`); longer first parts were taken
/// as tags, so the names of most languages passed.
#[test]
fn a_language_name_is_not_a_language_tag() {
    for (written, ok) in [
        ("es", true),
        ("ES", true),
        ("es-MX", true),
        ("ast", true),
        ("zh-Hant-TW", true),
        ("x-klingon", true),
        ("spanish", false),
        ("English", false),
        ("espanol", false),
    ] {
        let tag = match written {
            "spanish" | "espanol" => ": write \"es\"",
            "English" => ": write \"en\"",
            _ => "",
        };
        let dir = tempfile::tempdir().expect("tempdir");
        minimal_with(
            dir.path(),
            "pack.toml",
            r#"languages = ["en"]"#,
            &format!("languages = [\"{written}\"]"),
        );
        let en = report(dir.path(), Lang::En);
        if ok {
            assert_eq!(en, "", "{written}");
        } else {
            assert_eq!(
                en,
                format!(
                    "pack.toml:6:14: languages[0]: `{written}` is not a BCP 47 language tag such as \"en\" or \"es-MX\"{tag}\n"
                ),
                "{written}"
            );
        }
    }
}

/// A teacher who zips the pack folder with the system's "Compress" (and renames it
/// `.ladderpack`) gets one error that says what the file is and what to do, not one "unexpected
/// file" per file of the pack and every required file "missing". A macOS zip's `__MACOSX/`
/// entries do not hide it.
#[test]
fn a_zipped_pack_folder_is_named_as_such() {
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, bytes) in entries_of(&minimal_archive()) {
        if path != ladder_pack::MANIFEST_NAME {
            entries.push((format!("halves/{path}"), bytes));
        }
    }
    entries.push(("__MACOSX/halves/._pack.toml".into(), b"x".to_vec()));
    let all: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let checked = ladder_pack::validate_archive(std::io::Cursor::new(zip_of(&all)), "halves.zip");
    assert_eq!(
        checked.report.render(Lang::En),
        "halves.zip: a zip of the folder `halves`, not a .ladderpack: validate or install the \
         folder itself, or make a .ladderpack of it with `ladder pack build halves`\n"
    );
    assert_eq!(
        checked.report.render(Lang::Es),
        "halves.zip: un zip de la carpeta `halves`, no un .ladderpack: valida o instala la carpeta \
         misma, o haz un .ladderpack con `ladder pack build halves`\n"
    );
    assert!(checked.pack.is_none());
}

/// A prompt with a blank `{{1}}` on an item that is not a cloze item (a cloze item copied and
/// its kind changed, or `kind = "cloze"` forgotten): learners would see "{{1}}" as written. A
/// warning names it; inside maths `{{1}}` is plain TeX (a group) and is left alone.
#[test]
fn a_blank_in_the_prompt_of_an_item_that_is_not_cloze_is_warned_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"prompt = "What do we call one of two equal parts? (one word)""#,
        r#"prompt = "One of two equal parts is called a {{1}}.""#,
    );
    edit(
        dir.path(),
        "lessons/01-half.toml",
        r#"prompt = "Write one half as a decimal number.""#,
        r#"prompt = "Write $\\frac{{1}}{2}$ as a decimal number, $$\\frac{{1}}{2}$$""#,
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:39:10: warning: item[2].prompt: the prompt has a blank {{1}}, but \
         only cloze items have blanks: learners would see \"{{1}}\" as written (for blanks, write \
         kind = \"cloze\" and list them in `blanks`)\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:39:10: aviso: item[2].prompt: el enunciado tiene un hueco {{1}}, \
         pero solo los ejercicios de tipo cloze tienen huecos: los alumnos verían «{{1}}» tal cual \
         (para huecos, escribe kind = \"cloze\" y enuméralos en `blanks`)\n"
    );
}

/// The folder above the pack (`ladder pack validate .` one level too high), or a folder of the
/// pack (`lessons/`): one error that names the folder to give, not every file "unexpected" and
/// every required file "missing".
#[test]
fn a_folder_above_or_inside_the_pack_names_the_pack_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), &dir.path().join("halves"));
    let above = ladder_pack::validate_folder(dir.path()).expect("read");
    let halves = dir.path().join("halves");
    assert_eq!(
        above.report.render(Lang::En),
        format!(
            "pack.toml: missing: this folder has no pack.toml, but {} has one: give that folder\n",
            halves.display()
        )
    );
    assert_eq!(
        above.report.render(Lang::Es),
        format!(
            "pack.toml: falta: esta carpeta no tiene pack.toml, pero {} sí: indica esa carpeta\n",
            halves.display()
        )
    );
    let inside = ladder_pack::validate_folder(&halves.join("lessons")).expect("read");
    assert_eq!(
        inside.report.render(Lang::En),
        format!(
            "pack.toml: missing: this is the lessons/ folder of the pack in {}: give the pack's \
             folder\n",
            halves.display()
        )
    );
    assert!(above.pack.is_none() && inside.pack.is_none());
}

/// Numbers written the way a maths teacher writes them on the board: `answer = 3/4`, a decimal
/// comma `answer = 2,5`, a unit `answer = 70°`, or in quotes `answer = "3/4"`. TOML reads none
/// of them as a number; the report said "string values must be quoted", and once quoted,
/// "expected a number, found a string". It now says how to write the number.
#[test]
fn numbers_written_as_on_the_board_say_how_to_write_them() {
    let cases = [
        (
            "answer = 1/2",
            "lessons/01-half.toml:29:10: TOML syntax error: string values must be quoted, expected \
             literal string (write the number as a decimal, 0.5: with fractions = true learners \
             may still type 1/2)\n",
            "(escribe el número en decimal, 0.5: con fractions = true los alumnos pueden escribir \
             1/2 igualmente)\n",
        ),
        (
            "answer = 0,5",
            "lessons/01-half.toml:29:11: TOML syntax error: unexpected key or value, expected \
             newline, `#` (write decimals with a point, 0.5: learners may still type 0,5)\n",
            "(escribe los decimales con punto, 0.5: los alumnos pueden escribir 0,5 igualmente)\n",
        ),
        (
            "answer = 0,50",
            "lessons/01-half.toml:29:11: TOML syntax error: unexpected key or value, expected \
             newline, `#` (write decimals with a point, 0.50: learners may still type 0,50)\n",
            "(escribe los decimales con punto, 0.50: los alumnos pueden escribir 0,50 \
             igualmente)\n",
        ),
        (
            "answer = 0.5cm",
            "lessons/01-half.toml:29:13: TOML syntax error: invalid float, expected nothing (write the number alone, 0.5: a unit goes in `unit`)\n",
            "(escribe solo el número, 0.5: la unidad va en `unit`)\n",
        ),
        (
            "answer = \"1/2\"",
            "lessons/01-half.toml:29:10: item[1].answer: expected a number, found a string (write \
             the number as a decimal, 0.5: with fractions = true learners may still type 1/2)\n",
            "(escribe el número en decimal, 0.5: con fractions = true los alumnos pueden escribir \
             1/2 igualmente)\n",
        ),
        (
            "answer = \"0.5\"",
            "lessons/01-half.toml:29:10: item[1].answer: expected a number, found a string (write \
             the number without quotes, 0.5)\n",
            "(escribe el número sin comillas, 0.5)\n",
        ),
    ];
    for (line, en, es) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        minimal_with(dir.path(), "lessons/01-half.toml", "answer = 0.5", line);
        assert_eq!(report(dir.path(), Lang::En), en, "{line}");
        let spanish = report(dir.path(), Lang::Es);
        assert!(spanish.ends_with(es), "{line}: {spanish}");
    }
}

/// `[[feedback]]` for `[[item.feedback]]`: a header, not a key written above the first
/// header, so the report names the header to write (it said "comes before any table").
#[test]
fn a_feedback_header_without_item_names_the_header_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "[[item.feedback]]", "[[feedback]]");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:20:3: feedback: [[feedback]] is part of an item: write its header \
         [[item.feedback]]\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:20:3: feedback: [[feedback]] es parte de un ejercicio: escribe su \
         encabezado [[item.feedback]]\n"
    );
}

/// Positions counted from 0 (`correct = [0]`, a feedback `answer = "0"`), as a programmer
/// would: the report says that positions count from 1.
#[test]
fn position_zero_says_positions_count_from_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "correct = [1]", "correct = [0]");
    edit(dir.path(), "lessons/01-half.toml", "answer = \"2\"", "answer = \"0\"");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:16:12: item[0].correct[0]: there is no position 0: positions count \
         from 1 (the first choice is 1)\n\
         lessons/01-half.toml:21:10: item[0].feedback[0].answer: there is no position 0: positions \
         count from 1 (the first choice is 1)\n"
    );
    let es = report(dir.path(), Lang::Es);
    assert!(
        es.contains(
            "item[0].correct[0]: no hay posición 0: las posiciones se cuentan desde 1 (la primera \
             opción es la 1)\n"
        ),
        "{es}"
    );
}

/// Values in quotes (`shuffle = "false"`, `blank = "1"`, `correct = ["1"]`): the report says to
/// write them without quotes.
#[test]
fn quoted_booleans_and_integers_say_to_drop_the_quotes() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/02-quarters.toml",
        "fixed_order = true",
        "fixed_order = \"True\"",
    );
    edit(dir.path(), "lessons/02-quarters.toml", "blank = 1", "blank = \"1\"");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/02-quarters.toml:5:15: lesson.fixed_order: expected true or false, found a \
         string: write true without quotes\n\
         lessons/02-quarters.toml:20:9: item[0].feedback[0].blank: expected an integer, found a \
         string: write 1 without quotes\n"
    );
    let es = report(dir.path(), Lang::Es);
    assert!(
        es.contains(
            "lesson.fixed_order: se esperaba true o false, pero hay una cadena de texto: escribe \
             true sin comillas\n"
        ),
        "{es}"
    );
}

/// Lesson files numbered 1-, 2-, ..., 10- are taught in the order of their names, so 10- comes
/// before 2-: a warning names the two files (the page says to number them with the same width;
/// nothing said so when a teacher did not).
#[test]
fn lesson_numbers_of_different_widths_are_warned_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let lessons = dir.path().join("lessons");
    std::fs::rename(lessons.join("01-half.toml"), lessons.join("2-half.toml")).expect("rename");
    std::fs::rename(lessons.join("02-quarters.toml"), lessons.join("10-quarters.toml"))
        .expect("rename");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/10-quarters.toml: warning: lessons are taught in the order of their file names, \
         so lessons/10-quarters.toml comes before lessons/2-half.toml: number them with the same \
         width (01-, 02-, ..., 10-)\n\
         lessons/10-quarters.toml:4:11: warning: lesson.skills[0]: skill `quarters` needs `half`, \
         which only a later lesson teaches (lessons/2-half.toml): learners find this lesson \
         locked until then; put the lessons in the order of the prerequisites\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es).lines().next().map(|l| format!("{l}\n")).unwrap_or_default(),
        "lessons/10-quarters.toml: aviso: las lecciones se enseñan en el orden de los nombres de \
         sus archivos, así que lessons/10-quarters.toml va antes que lessons/2-half.toml: \
         numéralas con el mismo ancho (01-, 02-, ..., 10-)\n"
    );
}

/// A lesson that teaches a skill whose prerequisite only a later lesson teaches (lessons
/// reordered, or a prerequisite added in an upgrade): learners meet it locked, in the middle of
/// the course. A warning names the skill, its prerequisite and the later lesson.
#[test]
fn a_lesson_before_the_lesson_of_its_prerequisite_is_warned_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let lessons = dir.path().join("lessons");
    std::fs::rename(lessons.join("01-half.toml"), lessons.join("03-half.toml")).expect("rename");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/02-quarters.toml:4:11: warning: lesson.skills[0]: skill `quarters` needs `half`, \
         which only a later lesson teaches (lessons/03-half.toml): learners find this lesson \
         locked until then; put the lessons in the order of the prerequisites\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/02-quarters.toml:4:11: aviso: lesson.skills[0]: la habilidad `quarters` necesita \
         `half`, que solo enseña una lección posterior (lessons/03-half.toml): los alumnos \
         encuentran esta lección bloqueada hasta entonces; pon las lecciones en el orden de los \
         prerrequisitos\n"
    );
}

/// A lesson file given instead of the pack: the message names the pack's folder, the one above
/// `lessons/` (it said "give the pack's folder (PACK/lessons)").
#[test]
fn a_lesson_file_given_instead_of_the_pack_names_the_folder_above_lessons() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("my-course");
    copy_tree(&minimal_dir(), &pack);
    let lesson = std::fs::read_dir(pack.join("lessons")).unwrap().next().unwrap().unwrap().path();
    let checked = ladder_pack::validate(&lesson).unwrap();
    let said = checked.report.render(Lang::En);
    assert!(said.contains(&format!("({})", pack.display())), "{said}");
    assert!(!said.contains("lessons)"), "{said}");
    // pack.toml itself: the folder it is in, as before.
    let checked = ladder_pack::validate(&pack.join("pack.toml")).unwrap();
    assert!(checked.report.render(Lang::En).contains(&format!("({})", pack.display())));
}

/// `hint = [...]` for `hints`: one mistake, one message. It was also warned about as "no hints"
/// (and `solutions =` as "no worked solution"), twice for one slip of the keyboard.
#[test]
fn a_misspelt_hints_or_solution_field_is_reported_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "hints = [\"Count the equal parts of the bar: that is the bottom number.\"]",
        "hint = [\"Count the equal parts of the bar: that is the bottom number.\"]",
    );
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "solution = \"The bar has 2 equal parts",
        "solutions = \"The bar has 2 equal parts",
    );
    let said = report(dir.path(), Lang::En);
    assert_eq!(said.lines().count(), 2, "{said}");
    assert!(said.contains("unknown field `hint` (did you mean `hints`?)"), "{said}");
    assert!(said.contains("unknown field `solutions` (did you mean `solution`?)"), "{said}");
}

/// A lesson file whose `[lesson]` line was left out: one message that says so, not one per
/// lesson field ("belongs to no table") and "no [lesson] table" besides.
#[test]
fn a_missing_lesson_line_is_reported_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "[lesson]\n", "");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:1:1: id: the [lesson] line is missing above `id`, `title`, \
         `skills`, `intro`: a lesson file starts with [lesson] on a line of its own, then the \
         lesson's fields; write it before `id`\n"
    );
}

/// Two skills that need each other, each taught by its own lesson: one mistake, one message,
/// the cycle, with the prerequisites to remove and where they are written. The lesson of the
/// first skill was also warned about as "needs `quarters`, which only a later lesson teaches",
/// which no order of the lessons could fix.
#[test]
fn a_prerequisite_cycle_is_reported_once_with_the_prerequisites_to_remove() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "skills.toml",
        "whole.\"\n",
        "whole.\"\nprerequisites = [\"quarters\"]\n",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "skills.toml:11:18: skill[1].prerequisites[0]: prerequisite cycle: half -> quarters -> \
         half (each skill needs the next): no order of lessons can teach them; remove one of \
         these prerequisites: `quarters` from skill `half` (skills.toml:5:18), `half` from skill \
         `quarters` (skills.toml:11:18)\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "skills.toml:11:18: skill[1].prerequisites[0]: ciclo de prerrequisitos: half -> quarters \
         -> half (cada habilidad necesita la siguiente): ningún orden de lecciones puede \
         enseñarlas; quita uno de estos prerrequisitos: `quarters` de la habilidad `half` \
         (skills.toml:5:18), `half` de la habilidad `quarters` (skills.toml:11:18)\n"
    );
    // The teacher's fix: `half` needs nothing. The pack is then valid, with nothing to warn.
    edit(dir.path(), "skills.toml", "prerequisites = [\"quarters\"]\n", "");
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// A skill that names itself as a prerequisite: the message says so in those words.
#[test]
fn a_skill_that_needs_itself_is_told_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "skills.toml",
        "prerequisites = [\"half\"]",
        "prerequisites = [\"quarters\"]",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "skills.toml:10:18: skill[1].prerequisites[0]: prerequisite cycle: quarters -> quarters: \
         a skill cannot be its own prerequisite; remove `quarters` from its prerequisites\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "skills.toml:10:18: skill[1].prerequisites[0]: ciclo de prerrequisitos: quarters -> \
         quarters: una habilidad no puede ser su propio prerrequisito; quita `quarters` de sus \
         prerrequisitos\n"
    );
}

/// The same numbers written in a cloze blank, an inline table as the page shows it
/// (`{ numeric = true, answer = 2,5 }`): the TOML error said "invalid literal string, expected
/// `'`" and nothing on how to write the number.
#[test]
fn numbers_written_as_on_the_board_in_a_blank_say_how_to_write_them() {
    let cases = [
        (
            "{ numeric = true, answer = 2,5 }",
            "(write decimals with a point, 2.5: learners may still type 2,5)\n",
            "(escribe los decimales con punto, 2.5: los alumnos pueden escribir 2,5 igualmente)\n",
        ),
        (
            "{ numeric = true, answer = 2,5, tolerance = 0.1 }",
            "(write decimals with a point, 2.5: learners may still type 2,5)\n",
            "(escribe los decimales con punto, 2.5: los alumnos pueden escribir 2,5 igualmente)\n",
        ),
        (
            "{ numeric = true, answer = 2, tolerance = 0,1 }",
            "(write decimals with a point, 0.1: learners may still type 0,1)\n",
            "(escribe los decimales con punto, 0.1: los alumnos pueden escribir 0,1 igualmente)\n",
        ),
        (
            "{ numeric = true, answer = 1/2 }",
            "(write the number as a decimal, 0.5: with fractions = true learners may still type \
             1/2)\n",
            "(escribe el número en decimal, 0.5: con fractions = true los alumnos pueden escribir \
             1/2 igualmente)\n",
        ),
    ];
    for (blank, en, es) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        minimal_with(
            dir.path(),
            "lessons/02-quarters.toml",
            "{ numeric = true, answer = 2 }",
            blank,
        );
        let english = report(dir.path(), Lang::En);
        assert!(english.starts_with("lessons/02-quarters.toml:13:"), "{blank}: {english}");
        assert!(english.ends_with(en), "{blank}: {english}");
        assert_eq!(english.lines().count(), 1, "{blank}: {english}");
        let spanish = report(dir.path(), Lang::Es);
        assert!(spanish.ends_with(es), "{blank}: {spanish}");
    }
    // A right number in a line with another mistake gets no hint about numbers.
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/02-quarters.toml",
        "{ numeric = true, answer = 2 }",
        "{ numeric = true, answer = 2, tolerance = 0.1 ",
    );
    let said = report(dir.path(), Lang::En);
    assert!(said.contains("TOML syntax error"), "{said}");
    assert!(!said.contains("write"), "{said}");
}

/// A table pasted as HTML (from a web page or a word processor): learners see none of it, not
/// even its text, and the warning said to write Markdown "such as ![alt](media/picture.svg) for
/// an image". It now says how a table is written in Markdown, and the Markdown table passes.
#[test]
fn an_html_table_says_how_to_write_a_markdown_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html =
        "<table><tr><td>parts</td><td>name</td></tr><tr><td>2</td><td>halves</td></tr></table>";
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "$\\\\frac{1}{2}$.\n\"\"\"",
        &format!("$\\\\frac{{1}}{{2}}$.\n\n{html}\n\"\"\""),
    );
    // What the warning is about: the table's text is left out with its tags.
    let shown = ladder_pack::render_markdown(html);
    assert!(!shown.contains("halves"), "{shown}");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:8:1: warning: lesson.intro: raw HTML (<table>) is not shown \
         to learners: an HTML block is left out with its text, other tags are dropped \
         (<script> and <style> with their content); write it in Markdown: a table is lines of \
         cells between | bars, with | --- | --- | below its first line\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:8:1: aviso: lesson.intro: el HTML (<table>) no se muestra \
         a los alumnos: un bloque HTML se omite con su texto, las demás etiquetas se \
         quitan (<script> y <style> con su contenido); escríbelo en Markdown: una tabla son \
         líneas de celdas entre barras |, con | --- | --- | bajo su primera línea\n"
    );
    // The teacher's fix, as the warning says.
    edit(
        dir.path(),
        "lessons/01-half.toml",
        html,
        "| parts | name |\n| --- | --- |\n| 2 | halves |",
    );
    assert_eq!(report(dir.path(), Lang::En), "");
    let intro = "| parts | name |\n| --- | --- |\n| 2 | halves |\n";
    assert!(ladder_pack::render_markdown(intro).contains("<td>halves</td>"));
}

/// A file saved as UTF-16 (Notepad's "Unicode", with or without its byte order mark): the
/// report says so and what to choose instead. Without the mark it said "TOML syntax error:
/// invalid comment character" at 1:2, and with it "invalid UTF-8 (byte 0xff)".
#[test]
fn a_file_saved_as_utf16_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let utf16 = |path: &str, bom: bool, big_endian: bool| {
        let path = dir.path().join(path);
        let text = std::fs::read_to_string(&path).expect("read");
        let mut bytes: Vec<u8> = Vec::new();
        let units = bom.then_some(0xfeff).into_iter().chain(text.encode_utf16());
        for u in units {
            bytes.extend(if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        std::fs::write(&path, bytes).expect("write");
    };
    utf16("pack.toml", true, false);
    utf16("skills.toml", false, true);
    utf16("lessons/01-half.toml", false, false);
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml: the file is saved as UTF-16 (called \"Unicode\" by some editors): \
         save it as UTF-8\n\
         pack.toml: the file is saved as UTF-16 (called \"Unicode\" by some editors): save it as \
         UTF-8\n\
         skills.toml: the file is saved as UTF-16 (called \"Unicode\" by some editors): save it \
         as UTF-8\n"
    );
    assert!(report(dir.path(), Lang::Es).starts_with(
        "lessons/01-half.toml: el archivo está guardado como UTF-16 (\"Unicode\" en algunos \
         editores): guárdalo como UTF-8\n"
    ));
    // Saved again as UTF-8, the pack is valid.
    copy_tree(&minimal_dir(), dir.path());
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// A photo straight from a camera, over the 8 MiB limit of a media file: the report says what
/// to do with it (it said only "the file is larger than the limit of 8 MiB"), and the prompt
/// that shows it is not also told that the picture is missing.
#[test]
fn a_huge_picture_says_to_make_it_smaller() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "media/bar-1-2.svg", "media/photo.jpg");
    let photo = vec![0xffu8; 9 * 1024 * 1024];
    std::fs::write(dir.path().join("media/photo.jpg"), &photo).expect("write");
    assert_eq!(
        report(dir.path(), Lang::En),
        "media/photo.jpg: the file is larger than the limit of 8 MiB for a file in media/: make \
         the picture smaller (about 2000 pixels across is plenty on a screen; save photos as \
         JPEG or WebP)\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "media/photo.jpg: el archivo supera el límite de 8 MiB de los archivos de media/: \
         reduce la imagen (unos 2000 píxeles de ancho bastan en una pantalla; guarda las fotos \
         como JPEG o WebP)\n"
    );
    std::fs::write(dir.path().join("media/photo.jpg"), &photo[..512 * 1024]).expect("write");
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// A lesson that pins the order of its items by listing their ids, one of them an item of
/// another lesson (`fixed_order = ["quarters-002", "half-001"]`). It was told only "expected
/// true or false, found an array"; it is now told how the order is pinned (the order of the
/// file) and that an item belongs to the lesson of its file.
#[test]
fn a_fixed_order_list_naming_an_item_of_another_lesson_says_how_to_pin_the_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/02-quarters.toml",
        "fixed_order = true",
        "fixed_order = [\"quarters-002\", \"half-001\", \"halves-9\"]",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/02-quarters.toml:5:15: lesson.fixed_order: fixed_order is true or false, not a \
         list: with fixed_order = true the items of this lesson come in the order their \
         [[item]] blocks are written in this file, so put the blocks in the order you want; \
         `half-001` is an item of lessons/01-half.toml, and an item belongs to the lesson of \
         its file: to use it here, move its [[item]] block into this file; no item has the id \
         `halves-9`\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/02-quarters.toml:5:15: lesson.fixed_order: fixed_order es true o false, no una \
         lista: con fixed_order = true los ejercicios de esta lección van en el orden en que \
         sus bloques [[item]] están escritos en este archivo, así que pon los bloques en el \
         orden que quieras; `half-001` es un ejercicio de lessons/01-half.toml, y un ejercicio \
         pertenece a la lección de su archivo: para usarlo aquí, mueve su bloque [[item]] a \
         este archivo; ningún ejercicio tiene el id `halves-9`\n"
    );
    // Positions instead of ids: the same advice, and nothing about the numbers' type.
    edit(
        dir.path(),
        "lessons/02-quarters.toml",
        "fixed_order = [\"quarters-002\", \"half-001\", \"halves-9\"]",
        "fixed_order = [2, 1]",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/02-quarters.toml:5:15: lesson.fixed_order: fixed_order is true or false, not a \
         list: with fixed_order = true the items of this lesson come in the order their \
         [[item]] blocks are written in this file, so put the blocks in the order you want\n"
    );
    // The teacher's fix, as the message says.
    edit(dir.path(), "lessons/02-quarters.toml", "fixed_order = [2, 1]", "fixed_order = true");
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// A misspelt required field (`promt`, `answr`, British `licence`, `tittle`, `nmae`, `kidn`): one
/// mistake, one message, the unknown field with the name to write. Each was also reported as
/// "missing required field" at its table.
#[test]
fn a_misspelt_required_field_is_reported_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "pack.toml", "license =", "licence =");
    edit(dir.path(), "skills.toml", "name = \"What a half is\"", "nmae = \"What a half is\"");
    edit(dir.path(), "lessons/01-half.toml", "title = \"One half\"", "tittle = \"One half\"");
    edit(dir.path(), "lessons/01-half.toml", "answer = 0.5", "answr = 0.5");
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "prompt = \"What do we call",
        "promt = \"What do we call",
    );
    edit(dir.path(), "lessons/02-quarters.toml", "kind = \"order\"", "kidn = \"order\"");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:3:1: lesson.tittle: unknown field `tittle` (did you mean `title`?)\n\
         lessons/01-half.toml:29:1: item[1].answr: unknown field `answr` (did you mean `answer`?)\n\
         lessons/01-half.toml:39:1: item[2].promt: unknown field `promt` (did you mean `prompt`?)\n\
         lessons/02-quarters.toml:26:1: item[1].kidn: unknown field `kidn` (did you mean `kind`?)\n\
         pack.toml:8:1: licence: unknown field `licence` (did you mean `license`?)\n\
         skills.toml:3:1: skill[0].nmae: unknown field `nmae` (did you mean `name`?)\n"
    );
}

/// Field names written in Spanish (`pistas`, `respuesta`, `solucion`, `titulo`): the report
/// says that field names are English and which one to write, once; `pistas` was also warned
/// about as "no hints" and `respuesta` reported as a missing `answer`.
#[test]
fn field_names_written_in_spanish_name_the_english_field_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "answer = 0.5", "respuesta = 0.5");
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "hints = [\"One half is 5",
        "pistas = [\"One half is 5",
    );
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "solution = \"$\\\\frac{1}{2} =",
        "solucion = \"$\\\\frac{1}{2} =",
    );
    edit(dir.path(), "lessons/02-quarters.toml", "title = ", "titulo = ");
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:29:1: item[1].respuesta: campo desconocido `respuesta`: los \
         nombres de los campos van en inglés: escribe `answer`\n\
         lessons/01-half.toml:31:1: item[1].pistas: campo desconocido `pistas`: los nombres de \
         los campos van en inglés: escribe `hints`\n\
         lessons/01-half.toml:32:1: item[1].solucion: campo desconocido `solucion`: los nombres \
         de los campos van en inglés: escribe `solution`\n\
         lessons/02-quarters.toml:3:1: lesson.titulo: campo desconocido `titulo`: los nombres \
         de los campos van en inglés: escribe `title`\n"
    );
    assert!(report(dir.path(), Lang::En).starts_with(
        "lessons/01-half.toml:29:1: item[1].respuesta: unknown field `respuesta`: field names \
         are English words: write `answer`\n"
    ));
}

/// A field name with an accent (`título = "..."`) is a TOML syntax error (a key without quotes
/// is written with a-z, 0-9, `-` and `_`); the message said only "invalid unquoted key,
/// expected letters, numbers, `-`, `_`". It now names the field to write.
#[test]
fn a_field_name_with_an_accent_names_the_field_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/02-quarters.toml", "title = ", "título = ");
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/02-quarters.toml:3:2: error de sintaxis de TOML: clave sin comillas no válida; \
         se esperaba letras, números, `-`, `_` (los nombres de los campos van en inglés: escribe \
         `title`)\n"
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/02-quarters.toml:3:2: TOML syntax error: invalid unquoted key, expected letters, \
         numbers, `-`, `_` (field names are English words: write `title`)\n"
    );
    // An accented key that is no field name: what a key may be made of.
    edit(dir.path(), "lessons/02-quarters.toml", "título = ", "niño = ");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/02-quarters.toml:3:3: TOML syntax error: invalid unquoted key, expected letters, \
         numbers, `-`, `_` (a field name is written with a-z, 0-9, `-` and `_` only)\n"
    );
}

/// Ids written as words (`Fracción-1`, `año_2`, `Half`): the report gives an id made from what
/// was written, to type instead, as `ladder pack new --id` does. It gave only the rule.
#[test]
fn an_invalid_id_comes_with_one_to_write_instead() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "id = \"half-001\"", "id = \"Fracción-1\"");
    edit(dir.path(), "lessons/01-half.toml", "id = \"half-002\"", "id = \"año_2\"");
    edit(dir.path(), "lessons/01-half.toml", "id = \"half\"", "id = \"Half\"");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:2:6: lesson.id: invalid id `Half`: an id may only use lowercase \
         letters a-z, digits 0-9 and '-': write `half`\n\
         lessons/01-half.toml:10:6: item[0].id: invalid id `Fracción-1`: an id may only use \
         lowercase letters a-z, digits 0-9 and '-': write `fraccion-1`\n\
         lessons/01-half.toml:25:6: item[1].id: invalid id `año_2`: an id may only use \
         lowercase letters a-z, digits 0-9 and '-': write `ano-2`\n"
    );
    assert!(report(dir.path(), Lang::Es).contains(
        "item[1].id: id no válido `año_2`: un id solo puede usar letras minúsculas a-z, dígitos \
         0-9 y '-': escribe `ano-2`\n"
    ));
    // The ids written as the report says: valid.
    edit(dir.path(), "lessons/01-half.toml", "\"Fracción-1\"", "\"fraccion-1\"");
    edit(dir.path(), "lessons/01-half.toml", "\"año_2\"", "\"ano-2\"");
    edit(dir.path(), "lessons/01-half.toml", "\"Half\"", "\"half\"");
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// A lesson saved by Notepad as `02-quarters.toml.txt`, or named `.TOML`: the report says to
/// rename it to the name it needs, and nothing else (its skill was also said to be "not taught
/// by any lesson", and a `pack.toml.txt` made pack.toml "missing" besides).
#[test]
fn a_toml_file_saved_with_txt_or_in_capitals_says_to_rename_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let lessons = dir.path().join("lessons");
    std::fs::rename(lessons.join("02-quarters.toml"), lessons.join("02-quarters.toml.txt"))
        .expect("rename");
    std::fs::rename(lessons.join("01-half.toml"), lessons.join("01-half.TOML")).expect("rename");
    std::fs::rename(dir.path().join("pack.toml"), dir.path().join("pack.toml.txt"))
        .expect("rename");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.TOML: the name of a TOML file of the pack ends in .toml, in lowercase: \
         rename it to lessons/01-half.toml\n\
         lessons/02-quarters.toml.txt: the name of a TOML file of the pack ends in .toml, in \
         lowercase: rename it to lessons/02-quarters.toml (an editor that adds .txt: choose \
         \"All files\" as the type when saving)\n\
         pack.toml.txt: the name of a TOML file of the pack ends in .toml, in lowercase: rename \
         it to pack.toml (an editor that adds .txt: choose \"All files\" as the type when \
         saving)\n"
    );
    assert!(report(dir.path(), Lang::Es).starts_with(
        "lessons/01-half.TOML: el nombre de un archivo TOML del paquete termina en .toml, en \
         minúsculas: cámbialo a lessons/01-half.toml\n"
    ));
    std::fs::rename(lessons.join("02-quarters.toml.txt"), lessons.join("02-quarters.toml"))
        .expect("rename");
    std::fs::rename(lessons.join("01-half.TOML"), lessons.join("01-half.toml")).expect("rename");
    std::fs::rename(dir.path().join("pack.toml.txt"), dir.path().join("pack.toml"))
        .expect("rename");
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// A cloze blank written with spaces (`{{ 1 }}`, as some template languages allow) or with
/// single braces (`{2}`): the report says how the prompt wrote it and how to write it. It said
/// "the prompt has no blank {{1}} for this entry", and learners would see `{{ 1 }}` as written.
#[test]
fn a_cloze_blank_written_with_spaces_or_single_braces_says_how_to_write_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/02-quarters.toml",
        "and the parts are called {{2}}.",
        "and the parts are called { 2 }.",
    );
    edit(dir.path(), "lessons/02-quarters.toml", "\\\\frac{ {{1}} }{4}", "\\\\frac{ {{ 1 }} }{4}");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/02-quarters.toml:11:10: item[0].prompt: blank 1 is written `{{ 1 }}`: write it \
         {{1}}, with two braces on each side and no spaces\n\
         lessons/02-quarters.toml:11:10: item[0].prompt: blank 2 is written `{ 2 }`: write it \
         {{2}}, with two braces on each side and no spaces\n"
    );
    assert!(report(dir.path(), Lang::Es).starts_with(
        "lessons/02-quarters.toml:11:10: item[0].prompt: el hueco 1 está escrito `{{ 1 }}`: \
         escríbelo {{1}}, con dos llaves a cada lado y sin espacios\n"
    ));
    edit(dir.path(), "lessons/02-quarters.toml", "{{ 1 }}", "{{1}}");
    edit(dir.path(), "lessons/02-quarters.toml", "{ 2 }", "{{2}}");
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// One value written where a list is wanted (`answers = "half"`, `hints = "..."`,
/// `correct = 1`, `skills = "half"`): the message says that a list of one is written in square
/// brackets too. It said only "expected an array of strings, found a string".
#[test]
fn a_single_value_for_a_list_says_to_write_brackets() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "correct = [1]", "correct = 1");
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "answers = [\"half\", \"a half\"]",
        "answers = \"half\"",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:16:11: item[0].correct: expected an array of integers, found an \
         integer: a list is written in square brackets, even with one entry: [1]\n\
         lessons/01-half.toml:40:11: item[2].answers: expected an array of strings, found a \
         string: a list is written in square brackets, even with one entry: [\"half\"]\n"
    );
    assert!(report(dir.path(), Lang::Es).starts_with(
        "lessons/01-half.toml:16:11: item[0].correct: se esperaba un array de números enteros, \
         pero hay un número entero: una lista se escribe entre corchetes, también con un solo \
         elemento: [1]\n"
    ));
    edit(dir.path(), "lessons/01-half.toml", "correct = 1", "correct = [1]");
    edit(dir.path(), "lessons/01-half.toml", "answers = \"half\"", "answers = [\"half\"]");
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// A picture written as a path from the lesson file (`../media/bar-1-2.svg`), from the folder
/// (`./media/...`, `/media/...`) or without its folder (`bar-1-2.svg`): the message names the
/// path to write, `media/bar-1-2.svg`, when that file is in the pack.
#[test]
fn a_picture_path_from_elsewhere_names_the_media_path_to_write() {
    for written in
        ["../media/bar-1-2.svg", "./media/bar-1-2.svg", "/media/bar-1-2.svg", "bar-1-2.svg"]
    {
        let dir = tempfile::tempdir().expect("tempdir");
        minimal_with(
            dir.path(),
            "lessons/01-half.toml",
            "(media/bar-1-2.svg)",
            &format!("({written})"),
        );
        assert_eq!(
            report(dir.path(), Lang::En),
            format!(
                "lessons/01-half.toml:14:48: item[0].prompt: image `{written}` is not allowed: \
                 images must be files of the pack's media/ folder (media/...): write \
                 `media/bar-1-2.svg`\n"
            ),
        );
        let es = report(dir.path(), Lang::Es);
        assert!(es.ends_with("(media/...): escribe `media/bar-1-2.svg`\n"), "{es}");
    }
    // A remote picture gets no such advice.
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "(media/bar-1-2.svg)",
        "(https://example.org/bar-1-2.svg)",
    );
    assert!(report(dir.path(), Lang::En).ends_with("(media/...)\n"));
}

/// Messages that said what is wrong but not what to do: a picture that is not in the pack, a
/// skill no lesson teaches, a lesson without items, a skill id that is declared nowhere. Each
/// now says what the teacher can do about it.
#[test]
fn reference_problems_say_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "(media/bar-1-2.svg)", "(media/pie.svg)");
    edit(
        dir.path(),
        "lessons/02-quarters.toml",
        "skills = [\"quarters\", \"half\"]",
        "skills = [\"quarters\", \"fifths\"]",
    );
    std::fs::write(
        dir.path().join("lessons/03-more.toml"),
        "[lesson]\nid = \"more\"\ntitle = \"More\"\nskills = [\"half\"]\n",
    )
    .expect("write");
    let skills = std::fs::read_to_string(dir.path().join("skills.toml")).expect("read");
    std::fs::write(
        dir.path().join("skills.toml"),
        format!("{skills}\n[[skill]]\nid = \"thirds\"\nname = \"Thirds\"\n"),
    )
    .expect("write");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:14:48: item[0].prompt: image `media/pie.svg` is not in the pack: \
         put the file in the pack's media/ folder, or write the name of a file that is there\n\
         lessons/02-quarters.toml:27:23: item[1].skills[1]: unknown skill `fifths`: declare it \
         in skills.toml, or write the id of a skill declared there\n\
         lessons/03-more.toml:1:1: warning: lesson: the lesson has no items: add [[item]] blocks \
         below its [lesson] table\n\
         skills.toml:12:1: warning: skill[2]: skill `thirds` is not taught by any lesson: add it \
         to a lesson's `skills`, or remove it\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:14:48: item[0].prompt: la imagen `media/pie.svg` no está en el \
         paquete: pon el archivo en la carpeta media/ del paquete o escribe el nombre de un \
         archivo que esté ahí\n\
         lessons/02-quarters.toml:27:23: item[1].skills[1]: habilidad desconocida `fifths`: \
         declárala en skills.toml o escribe el id de una habilidad declarada ahí\n\
         lessons/03-more.toml:1:1: aviso: lesson: la lección no tiene ejercicios: añade bloques \
         [[item]] debajo de su tabla [lesson]\n\
         skills.toml:12:1: aviso: skill[2]: ninguna lección enseña la habilidad `thirds`: \
         añádela a las `skills` de una lección o quítala\n"
    );
}

/// A skill declared and practised by items but taught by no lesson is one mistake: one error, at
/// its first item, counting the others, where each item had its own error and the skill a
/// warning whose "or remove it" would have left the items naming an unknown skill.
#[test]
fn a_skill_items_practise_but_no_lesson_teaches_is_reported_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let skills = std::fs::read_to_string(minimal_dir().join("skills.toml")).expect("r");
    minimal_with(
        dir.path(),
        "skills.toml",
        &skills,
        &format!("{skills}\n[[skill]]\nid = \"thirds\"\nname = \"Thirds\"\n"),
    );
    let lesson = std::fs::read_to_string(dir.path().join("lessons/01-half.toml")).expect("r");
    // The lesson's own `skills` line comes first; every item's after it.
    let (head, items) = lesson.split_once("[[item]]").expect("items");
    let items = items.replace("skills = [\"half\"]", "skills = [\"half\", \"thirds\"]");
    std::fs::write(dir.path().join("lessons/01-half.toml"), format!("{head}[[item]]{items}"))
        .expect("write");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:12:19: item[0].skills[1]: skill `thirds` is not taught by any \
         lesson (add it to a lesson's `skills`); 2 more items practise it\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:12:19: item[0].skills[1]: ninguna lección enseña la habilidad \
         `thirds` (añádela a los `skills` de una lección); otros 2 ejercicios la practican\n"
    );
    // Taught, it is valid.
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "skills = [\"half\"]",
        "skills = [\"half\", \"thirds\"]",
    );
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// A Markdown link shows its text and goes nowhere (the app never leaves the lesson): the
/// teacher is told once, at the link, in place of silence; an address written `<...>` stays
/// visible and is not warned about.
#[test]
fn a_link_is_said_not_to_be_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "prompt = \"Write one half as a decimal number.\"",
        "prompt = \"Write one half as a decimal number ([help](https://example.org/decimals), \
         [more](https://example.org/more)), or see <https://example.org>.\"",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:28:47: warning: item[1].prompt: a link is not followed in Ladder: \
         learners see its text, not `https://example.org/decimals` (the app never leaves the \
         lesson); write in the text what they need from it\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:28:47: aviso: item[1].prompt: Ladder no sigue los enlaces: el \
         alumno ve su texto, no `https://example.org/decimals` (la aplicación nunca sale de la \
         lección); escribe en el texto lo que necesita de él\n"
    );
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "([help](https://example.org/decimals), [more](https://example.org/more))",
        "(help)",
    );
    assert_eq!(report(dir.path(), Lang::En), "", "an autolink alone is not warned about");
}

/// A skill's declaration copied and its id left unchanged: the duplicate says which undeclared
/// id it most likely is, and the places naming that id are not each called unknown (a tester
/// got six "unknown skill" errors first and the duplicate last).
#[test]
fn a_copied_skill_whose_id_was_not_changed_is_said_once_with_the_id_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "skills.toml", "id = \"quarters\"", "id = \"half\"");
    assert_eq!(
        report(dir.path(), Lang::En),
        "skills.toml:7:6: skill[1].id: duplicate skill id `half` (first defined at \
         skills.toml:2:6), and `quarters`, used in 3 places, is declared nowhere: if this skill \
         is `quarters`, write id = \"quarters\" here\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "skills.toml:7:6: skill[1].id: id de habilidad repetido `half` (definido por primera vez \
         en skills.toml:2:6), y `quarters`, que se usa en 3 sitios, no se declara: si esta \
         habilidad es `quarters`, escribe aquí id = \"quarters\"\n"
    );
    // Nothing else names an undeclared id: the plain duplicate, as before.
    let dir = tempfile::tempdir().expect("tempdir");
    let skills = std::fs::read_to_string(minimal_dir().join("skills.toml")).expect("r");
    minimal_with(
        dir.path(),
        "skills.toml",
        &skills,
        &format!("{skills}\n[[skill]]\nid = \"half\"\nname = \"Again\"\ndescription = \"d\"\n"),
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "skills.toml:13:6: skill[2].id: duplicate skill id `half` (first defined at skills.toml:2:6)\n"
    );
}

/// A version written as people say it (`1.0`, `v1.0.0`, `2`): the message gives the version to
/// write, in place of the version parser's English detail ("unexpected end of input while
/// parsing minor version number"), which was also left in the Spanish message.
#[test]
fn a_short_or_prefixed_version_says_the_version_to_write() {
    for (written, to_write) in
        [("1.0", "1.0.0"), ("v1.0.0", "1.0.0"), ("2", "2.0.0"), ("V1.2", "1.2.0")]
    {
        let dir = tempfile::tempdir().expect("tempdir");
        minimal_with(
            dir.path(),
            "pack.toml",
            "version = \"1.0.0\"",
            &format!("version = \"{written}\""),
        );
        assert_eq!(
            report(dir.path(), Lang::En),
            format!(
                "pack.toml:3:11: version: `{written}` is not a semantic version such as 1.2.0: \
                 write {to_write}\n"
            )
        );
        assert_eq!(
            report(dir.path(), Lang::Es),
            format!(
                "pack.toml:3:11: version: `{written}` no es una versión semántica como 1.2.0: \
                 escribe {to_write}\n"
            )
        );
    }
    // Written as a number, without quotes (TOML reads `1.0` as a number, not as text): the same
    // advice, with the quotes to write, where the type mismatch said "expected a string, found
    // a number with a fraction".
    for (written, to_write) in [("1.0", "1.0.0"), ("2", "2.0.0")] {
        let dir = tempfile::tempdir().expect("tempdir");
        minimal_with(
            dir.path(),
            "pack.toml",
            "version = \"1.0.0\"",
            &format!("version = {written}"),
        );
        assert_eq!(
            report(dir.path(), Lang::En),
            format!(
                "pack.toml:3:11: version: `{written}` is not a semantic version such as 1.2.0: \
                 write \"{to_write}\"\n"
            )
        );
        assert_eq!(
            report(dir.path(), Lang::Es),
            format!(
                "pack.toml:3:11: version: `{written}` no es una versión semántica como 1.2.0: \
                 escribe \"{to_write}\"\n"
            )
        );
    }
}

/// A tab typed (or pasted from a word processor) inside a string, as TOML allows: there is no
/// escape to blame, so no warning. It was warned about as a `\t` that ate a TeX command ("in
/// "..." strings a backslash starts an escape"), even in a '''...''' string, where backslashes
/// are plain. A real `\t` escape in a "..." string is still warned about.
#[test]
fn a_tab_typed_in_a_string_is_not_blamed_on_an_escape() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "prompt = \"What do we call one of two equal parts? (one word)\"",
        "prompt = '''What do we call\tone of two equal parts? (one word)'''",
    );
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "prompt = \"Write one half as a decimal number.\"",
        "prompt = \"Write one half\tas a decimal number.\"",
    );
    assert_eq!(report(dir.path(), Lang::En), "");
    edit(dir.path(), "lessons/01-half.toml", "one half\tas", "one half $\\theta$ as");
    let said = report(dir.path(), Lang::En);
    assert!(said.contains("item[1].prompt: the text contains a tab (from `\\t`"), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
}

/// A second `[lesson]` written in a lesson file, to start another lesson: the syntax error said
/// to write `[[lesson]]`, "a table that can repeat", which the validator then refuses ("`lesson`
/// is one table: write its header with single brackets"). It now says that a file holds one
/// lesson, and to start a new file for the next.
#[test]
fn a_second_lesson_table_in_one_file_says_to_start_another_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let path = dir.path().join("lessons/01-half.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        format!("{text}\n[lesson]\nid = \"more\"\ntitle = \"More\"\nskills = [\"half\"]\n"),
    )
    .expect("write");
    let said = report(dir.path(), Lang::En);
    assert!(
        said.ends_with(
            "([lesson] appears twice: a lesson file holds one lesson: write the next lesson in a \
             file of its own in lessons/, such as lessons/03-next.toml)\n"
        ),
        "{said}"
    );
    assert!(!said.contains("[[lesson]]"), "{said}");
    let es = report(dir.path(), Lang::Es);
    assert!(
        es.ends_with(
            "([lesson] aparece dos veces: un archivo de lección tiene una sola lección: escribe la \
             siguiente en su propio archivo en lessons/, como lessons/03-siguiente.toml)\n"
        ),
        "{es}"
    );
    // `[item]` twice still says to write `[[item]]`.
    std::fs::write(&path, text.replacen("[[item]]", "[item]", 2)).expect("write");
    assert!(report(dir.path(), Lang::En).contains("[[item]]"));
}

/// Answers written as on a worksheet: a choice by its letter (`correct = ["B"]`), and yes or no
/// for true or false (`fixed_order = no`, `fractions = Yes`, `shuffle = "no"`). The messages
/// said "expected an integer, found a string", and for a bare `no` "invalid float, expected
/// `nan`"; they now say what to write.
#[test]
fn letters_for_positions_and_yes_or_no_for_booleans_say_what_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "correct = [1]", "correct = [\"B\"]");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:16:12: item[0].correct[0]: positions are numbers counted from 1, \
         not letters: write 2 for B\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:16:12: item[0].correct[0]: las posiciones son números contados \
         desde 1, no letras: escribe 2 por B\n"
    );
    let cases = [
        ("fixed_order = no", "lessons/02-quarters.toml:5:15", "false"),
        ("fixed_order = False", "lessons/02-quarters.toml:5:15", "false"),
        ("fixed_order = Yes", "lessons/02-quarters.toml:5:15", "true"),
        ("fixed_order = sí", "lessons/02-quarters.toml:5:15", "true"),
    ];
    for (line, at, meant) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        minimal_with(dir.path(), "lessons/02-quarters.toml", "fixed_order = true", line);
        let said = report(dir.path(), Lang::En);
        assert!(said.starts_with(&format!("{at}: TOML syntax error: ")), "{line}: {said}");
        assert!(
            said.ends_with(&format!(
                "(true and false are written in lowercase, without quotes: write {meant})\n"
            )),
            "{line}: {said}"
        );
        let es = report(dir.path(), Lang::Es);
        assert!(
            es.ends_with(&format!(
                "(true y false se escriben en minúsculas y sin comillas: escribe {meant})\n"
            )),
            "{line}: {es}"
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/02-quarters.toml",
        "fixed_order = true",
        "fixed_order = \"no\"",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/02-quarters.toml:5:15: lesson.fixed_order: expected true or false, found a \
         string: write false without quotes\n"
    );
    // A text field written without quotes is not told to write false.
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/02-quarters.toml",
        "title = \"Halves and quarters\"",
        "title = no",
    );
    let said = report(dir.path(), Lang::En);
    assert!(said.contains("TOML syntax error"), "{said}");
    assert!(!said.contains("write false"), "{said}");
}

/// Feedback for an answer without its accent (`answers = ["Bogotá"]`, feedback for `Bogota`) or
/// in other case: with the default settings that answer is right, so the message is never
/// shown. The error said so, but not that the setting is why, nor which setting makes it wrong.
#[test]
fn feedback_right_only_by_ignoring_accents_or_case_names_the_setting() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "answers = [\"half\", \"a half\"]",
        "answers = [\"mitad\", \"la mitad\", \"Médio\"]\nfeedback = [{ answer = \"Medio\", message = \"Con tilde.\" }, { answer = \"MITAD\", message = \"En minúsculas.\" }]",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:41:24: item[2].feedback[0].answer: `Medio` is a right answer, and \
         feedback is shown only for wrong answers, so no learner would see this message; it is \
         right only because accents are ignored: add accents = \"strict\" to make it wrong\n\
         lessons/01-half.toml:41:70: item[2].feedback[1].answer: `MITAD` is a right answer, and \
         feedback is shown only for wrong answers, so no learner would see this message; it is \
         right only because case is ignored: add case_sensitive = true to make it wrong\n"
    );
    assert!(report(dir.path(), Lang::Es).contains(
        "solo es correcta porque se ignoran las tildes: añade accents = \"strict\" para que sea \
         incorrecta\n"
    ));
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "\"Médio\"]",
        "\"Médio\"]\naccents = \"strict\"\ncase_sensitive = true",
    );
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// A lesson that teaches a skill no item practises (the items list only the lesson's other
/// skill): learners can never show mastery of it, so a skill that needs it stays locked for
/// good. The pack was valid without a word; a warning now names the skill.
#[test]
fn a_taught_skill_that_no_item_practises_is_warned_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/02-quarters.toml",
        "skills = [\"quarters\"]\nprompt = \"$\\\\frac{1}{2}",
        "skills = [\"half\"]\nprompt = \"$\\\\frac{1}{2}",
    );
    edit(
        dir.path(),
        "lessons/02-quarters.toml",
        "skills = [\"quarters\", \"half\"]",
        "skills = [\"half\"]",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "skills.toml:6:1: warning: skill[1]: no item practises skill `quarters` (taught by \
         lessons/02-quarters.toml): learners cannot show that they have mastered it, and skills \
         that need it stay locked; list it in the `skills` of the items that practise it\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "skills.toml:6:1: aviso: skill[1]: ningún ejercicio practica la habilidad `quarters` \
         (la enseña lessons/02-quarters.toml): los alumnos no pueden demostrar que la dominan, y \
         las habilidades que la necesitan siguen bloqueadas; ponla en las `skills` de los \
         ejercicios que la practican\n"
    );
    edit(
        dir.path(),
        "lessons/02-quarters.toml",
        "skills = [\"half\"]\nprompt = \"Put",
        "skills = [\"quarters\", \"half\"]\nprompt = \"Put",
    );
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// Feedback of a choice item written with the wrong choice's letter (`answer = "B"`) or its
/// text (`answer = "$\\frac{2}{1}$"`) instead of its position: the message says which position
/// to write. It said only "is not a choice position such as "2" or "1,3"".
#[test]
fn choice_feedback_by_letter_or_text_names_the_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "answer = \"2\"", "answer = \"B\"");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:21:10: item[0].feedback[0].answer: positions are numbers counted \
         from 1, not letters: write 2 for B\n"
    );
    edit(dir.path(), "lessons/01-half.toml", "answer = \"B\"", "answer = \"$\\\\frac{2}{1}$\"");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:21:10: item[0].feedback[0].answer: `$\\frac{2}{1}$` is the text of \
         choice 2: a feedback answer names the choice by its position: write \"2\"\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:21:10: item[0].feedback[0].answer: `$\\frac{2}{1}$` es el texto de \
         la opción 2: la retroalimentación nombra la opción por su posición: escribe \"2\"\n"
    );
    // Choices that are letters themselves: the text is what the answer names.
    edit(dir.path(), "lessons/01-half.toml", "answer = \"$\\\\frac{2}{1}$\"", "answer = \"B\"");
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "choices = [\"$\\\\frac{1}{2}$\", \"$\\\\frac{2}{1}$\", \"$\\\\frac{1}{3}$\"]",
        "choices = [\"A\", \"C\", \"B\"]",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:21:10: item[0].feedback[0].answer: `B` is the text of choice 3: a \
         feedback answer names the choice by its position: write \"3\"\n"
    );
}

/// Maths written with the delimiters of LaTeX or MathJax, `\(...\)` or `\[...\]`: Ladder
/// typesets only `$...$` and `$$...$$`, so learners would see the TeX as written. It was valid
/// without a word; a warning says how to write it.
#[test]
fn maths_between_backslash_parentheses_is_warned_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "solution = \"The bar has 2 equal parts and 1 is shaded: $\\\\frac{1}{2}$.\"",
        "solution = 'The bar has 2 equal parts and 1 is shaded: \\(\\frac{1}{2}\\).'",
    );
    edit(
        dir.path(),
        "lessons/01-half.toml",
        "hints = [\"One half is 5 tenths.\"]",
        "hints = ['''One half is \\[\\frac{5}{10}\\]''']",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:18:56: warning: item[0].solution: maths between \\( and \\) is \
         shown to learners as written: write it between dollar signs, $...$ (or $$...$$ on a \
         line of its own)\n\
         lessons/01-half.toml:31:25: warning: item[1].hints[0]: maths between \\[ and \\] is \
         shown to learners as written: write it between dollar signs, $...$ (or $$...$$ on a \
         line of its own)\n"
    );
    assert!(report(dir.path(), Lang::Es).contains(
        "aviso: item[0].solution: las matemáticas entre \\( y \\) se muestran a los alumnos tal \
         cual: escríbelas entre signos de dólar, $...$ (o $$...$$ en una línea aparte)\n"
    ));
    edit(dir.path(), "lessons/01-half.toml", "\\(\\frac{1}{2}\\)", "$\\frac{1}{2}$");
    edit(dir.path(), "lessons/01-half.toml", "\\[\\frac{5}{10}\\]", "$$\\frac{5}{10}$$");
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// More numbers written as on the board or as a word processor writes them: `.5` (no digit
/// before the point), `−3` (a typographic minus), `½`, `1 000` (a thousands space) and a
/// tolerance as a percentage. Each got a bare TOML syntax error ("string values must be quoted",
/// which would lead to a string, also refused); each now says how to write the number.
#[test]
fn more_numbers_written_as_on_the_board_say_how_to_write_them() {
    let cases = [
        ("answer = .5", "write the number with a digit before the point, 0.5"),
        ("answer = −0.5", "write the minus sign as -, -0.5"),
        (
            "answer = ½",
            "write the number as a decimal, 0.5: with fractions = true learners may still type ½",
        ),
        ("answer = 1 000", "write the number without spaces, 1000"),
        (
            "answer = 0.5\ntolerance = 5%",
            "a tolerance is not a percentage: write the largest difference from the answer that \
             still counts as right, in the answer's units: 0.05 for 0.5 ± 0.05",
        ),
    ];
    for (line, hint) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        minimal_with(dir.path(), "lessons/01-half.toml", "answer = 0.5", line);
        let said = report(dir.path(), Lang::En);
        assert!(said.contains("TOML syntax error"), "{line}: {said}");
        assert!(said.ends_with(&format!("({hint})\n")), "{line}: {said}");
        assert_eq!(said.lines().count(), 1, "{line}: {said}");
        let es = report(dir.path(), Lang::Es);
        assert!(!es.contains(hint), "{line}: {es}");
    }
}

/// A picture without a description (`![](media/bar-1-2.svg)`): a learner who uses a screen
/// reader hears nothing of it, and one whose picture does not load sees nothing. The pack was
/// valid without a word; a warning says what to write.
#[test]
fn a_picture_without_a_description_is_warned_about() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "![a bar of 2 parts, 1 shaded](media/bar-1-2.svg)",
        "![ ](media/bar-1-2.svg)",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:14:48: warning: item[0].prompt: picture `media/bar-1-2.svg` has no \
         description: write what it shows between the brackets, ![what it shows](media/bar-1-2.svg), \
         for learners who use a screen reader\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:14:48: aviso: item[0].prompt: la imagen `media/bar-1-2.svg` no \
         tiene descripción: escribe lo que muestra entre los corchetes, ![lo que muestra](media/bar-1-2.svg), \
         para los alumnos que usan un lector de pantalla\n"
    );
    edit(dir.path(), "lessons/01-half.toml", "![ ](", "![a bar of 2 parts, 1 shaded](");
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// A difficulty written as a word (`difficulty = "easy"`): the message says what the number
/// means and which one the word stands for. It said only "expected a number, found a string".
#[test]
fn a_difficulty_written_as_a_word_says_which_number() {
    for (word, number) in [("easy", "-1.5"), ("Hard", "1.5"), ("medio", "0"), ("fácil", "-1.5")] {
        let dir = tempfile::tempdir().expect("tempdir");
        minimal_with(
            dir.path(),
            "lessons/01-half.toml",
            "difficulty = -1.5",
            &format!("difficulty = \"{word}\""),
        );
        assert_eq!(
            report(dir.path(), Lang::En),
            format!(
                "lessons/01-half.toml:13:14: item[0].difficulty: difficulty is a number from -3 \
                 (very easy) through 0 (average) to 3 (very hard), not a word: write {number} for \
                 {word}\n"
            )
        );
        let es = report(dir.path(), Lang::Es);
        assert!(es.contains(&format!("escribe {number} por {word}\n")), "{es}");
    }
}

/// A typo in a skill's declaration (`id = "quarter"` in skills.toml, while the lessons and
/// items all write `quarters`): one message, at the declaration, naming the id everything else
/// uses. Each reference was an "unknown skill `quarters` (did you mean `quarter`?)", which
/// asked the teacher to copy the typo into every lesson and item.
#[test]
fn a_typo_in_a_skill_declaration_is_reported_once_at_the_declaration() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "skills.toml", "id = \"quarters\"", "id = \"quarter\"");
    assert_eq!(
        report(dir.path(), Lang::En),
        "skills.toml:7:6: skill[1].id: skill `quarter` is used nowhere, but `quarters` is used in \
         3 places and declared nowhere: write id = \"quarters\" (or declare `quarters` as a skill \
         of its own)\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "skills.toml:7:6: skill[1].id: la habilidad `quarter` no se usa en ningún sitio, pero \
         `quarters` se usa en 3 sitios y no se declara: escribe id = \"quarters\" (o declara \
         `quarters` como una habilidad más)\n"
    );
    edit(dir.path(), "skills.toml", "id = \"quarter\"", "id = \"quarters\"");
    assert_eq!(report(dir.path(), Lang::En), "");
}

/// An `[[item]]` or a `[lesson]` written in skills.toml or pack.toml, or a `[[skill]]` in
/// pack.toml or a lesson file: the report says which file it belongs in. It said "unknown
/// field `item`; expected one of: skill".
#[test]
fn a_table_in_the_wrong_file_names_the_file_it_belongs_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let append = |file: &str, text: &str| {
        let path = dir.path().join(file);
        let before = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("{before}\n{text}")).expect("write");
    };
    append("skills.toml", "[[item]]\nid = \"stray\"\n");
    append("pack.toml", "[[skill]]\nid = \"stray\"\nname = \"Stray\"\n");
    append("lessons/02-quarters.toml", "[[skill]]\nid = \"stray\"\nname = \"Stray\"\n");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/02-quarters.toml:33:3: skill: [[skill]] belongs in skills.toml: move it there\n\
         pack.toml:10:3: skill: [[skill]] belongs in skills.toml: move it there\n\
         skills.toml:12:3: item: [[item]] belongs in a lesson file (lessons/NN-name.toml), below \
         its [lesson]: move it there\n"
    );
    assert!(report(dir.path(), Lang::Es).contains(
        "skills.toml:12:3: item: [[item]] va en un archivo de lección (lessons/NN-nombre.toml), \
         debajo de su [lesson]: muévelo allí\n"
    ));
}

/// An item's `[[item.feedback]]` written above its `[[item]]`: TOML then reads `item` as a
/// table and the `[[item]]` below as "duplicate key (`item` is given twice in the same
/// table)", which names nothing the teacher wrote twice. The hint says to move the feedback
/// below its item.
#[test]
fn feedback_above_its_item_says_to_move_it_below() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let path = dir.path().join("lessons/01-half.toml");
    let text = std::fs::read_to_string(&path).expect("read");
    let feedback = "[[item.feedback]]\nanswer = \"2\"\nmessage = \"That is two wholes. The bottom \
                    number counts the parts of **one** whole.\"\n";
    assert!(text.contains(feedback));
    let moved =
        text.replacen(feedback, "", 1).replacen("[[item]]", &format!("{feedback}\n[[item]]"), 1);
    std::fs::write(&path, moved).expect("write");
    let said = report(dir.path(), Lang::En);
    assert!(
        said.ends_with(
            "([[item.feedback]] comes below the [[item]] it belongs to: move it under that item's \
             fields)\n"
        ),
        "{said}"
    );
    assert_eq!(said.lines().count(), 1, "{said}");
    let es = report(dir.path(), Lang::Es);
    assert!(
        es.ends_with(
            "([[item.feedback]] va debajo del [[item]] al que pertenece: muévelo bajo los campos \
             de ese ejercicio)\n"
        ),
        "{es}"
    );
}

/// A `.ladderpack` whose copy or download stopped half way, or whose bytes were damaged on a
/// USB stick, is named as such with what to do, in both languages; the zip reader's own words
/// ("Could not find EOCD", "Invalid checksum") told a teacher nothing.
#[test]
fn a_truncated_or_damaged_archive_says_to_copy_or_build_it_again() {
    let whole = minimal_archive();
    let cut = &whole[..whole.len() / 2];
    let checked = ladder_pack::validate_archive(std::io::Cursor::new(cut), "halves.ladderpack");
    assert!(checked.pack.is_none());
    let en = checked.report.render(Lang::En);
    assert!(en.starts_with("halves.ladderpack: not a valid .ladderpack (zip) archive"), "{en}");
    assert!(en.contains("incomplete or damaged"), "{en}");
    assert!(en.contains("copy it again, or build it again with `ladder pack build`"), "{en}");
    let es = checked.report.render(Lang::Es);
    assert!(es.contains("incompleto o dañado"), "{es}");
    assert!(es.contains("`ladder pack build`"), "{es}");

    // Damaged inside an entry: the archive's directory is intact, one entry's bytes are not.
    let mut damaged = whole.clone();
    let at = (30..damaged.len() / 2)
        .find(|&i| damaged[i..].starts_with(b"[pack]") || damaged[i..].starts_with(b"id ="))
        .unwrap_or(64);
    for b in &mut damaged[at..at + 4] {
        *b ^= 0x55;
    }
    let checked =
        ladder_pack::validate_archive(std::io::Cursor::new(&damaged), "halves.ladderpack");
    assert!(checked.pack.is_none());
    let en = checked.report.render(Lang::En);
    assert!(en.contains("damaged"), "{en}");
    assert!(!en.contains("missing"), "an unreadable entry is there, not missing: {en}");
    assert!(en.contains("copy it again, or build it again with `ladder pack build`"), "{en}");
    let es = checked.report.render(Lang::Es);
    assert!(es.contains("dañad"), "{es}");
}

/// `answer = "half"` on a text item (the numeric item's field, in the singular) is one mistake:
/// it was reported twice, as `answers` missing and as `answer` belonging to numeric items,
/// and neither said to write `answers = ["half"]`. A cloze blank likewise, where the advice was
/// to add `numeric = true` to a blank whose answer is a word.
#[test]
fn text_answer_written_in_the_singular_is_one_error_saying_what_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"answers = ["half", "a half"]"#,
        r#"answer = "half""#,
    );
    edit(
        dir.path(),
        "lessons/02-quarters.toml",
        r#"{ answers = ["quarters", "fourths"] }"#,
        r#"{ answer = "quarters" }"#,
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:40:1: item[2].answer: `answer` is the number of a numeric item; \
         the accepted answers of a text item are a list: write answers = [\"half\"]\n\
         lessons/02-quarters.toml:14:5: item[0].blanks[1].answer: `answer` is the number of a \
         numeric blank; the accepted answers of a text blank are a list: write \
         answers = [\"quarters\"]\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:40:1: item[2].answer: `answer` es el número de un ejercicio \
         numérico; las respuestas aceptadas de un ejercicio de texto son una lista: escribe \
         answers = [\"half\"]\n\
         lessons/02-quarters.toml:14:5: item[0].blanks[1].answer: `answer` es el número de un \
         hueco numérico; las respuestas aceptadas de un hueco de texto son una lista: escribe \
         answers = [\"quarters\"]\n"
    );
}

/// `correct = 2` without brackets: the advice showed `[1]`, which a teacher who copies it
/// turns into the wrong answer; it shows the position written, `[2]`.
#[test]
fn correct_position_without_brackets_is_shown_in_brackets_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", "correct = [1]", "correct = 2");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:16:11: item[0].correct: expected an array of integers, found an \
         integer: a list is written in square brackets, even with one entry: [2]\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:16:11: item[0].correct: se esperaba un array de números enteros, \
         pero hay un número entero: una lista se escribe entre corchetes, también con un solo \
         elemento: [2]\n"
    );
}

/// `correct = ["$\frac{1}{2}$"]`: the right choice written out instead of its position gets
/// the position to write; a text that is none of the choices says so.
#[test]
fn correct_written_as_the_text_of_a_choice_gets_its_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "correct = [1]",
        r#"correct = [" $\\frac{1}{2}$", "one half"]"#,
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:16:12: item[0].correct[0]: positions are numbers counted from 1, \
         not the text of a choice: `$\\frac{1}{2}$` is choice 1: write 1\n\
         lessons/01-half.toml:16:31: item[0].correct[1]: positions are numbers counted from 1, \
         not the text of a choice: `one half` is none of the 3 choices: add it to `choices` and \
         write its position\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:16:12: item[0].correct[0]: las posiciones son números contados \
         desde 1, no el texto de una opción: `$\\frac{1}{2}$` es la opción 1: escribe 1\n\
         lessons/01-half.toml:16:31: item[0].correct[1]: las posiciones son números contados \
         desde 1, no el texto de una opción: `one half` no es ninguna de las 3 opciones: \
         añádelo a `choices` y escribe su posición\n"
    );
}

/// `languages = ["English"]`, `["español"]`: a language's name gets its tag to write.
#[test]
fn a_language_written_by_its_name_gets_its_tag() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "pack.toml",
        r#"languages = ["en"]"#,
        r#"languages = ["English", "español", "Klingon"]"#,
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "pack.toml:6:14: languages[0]: `English` is not a BCP 47 language tag such as \"en\" or \
         \"es-MX\": write \"en\"\n\
         pack.toml:6:25: languages[1]: `español` is not a BCP 47 language tag such as \"en\" or \
         \"es-MX\": write \"es\"\n\
         pack.toml:6:36: languages[2]: `Klingon` is not a BCP 47 language tag such as \"en\" or \
         \"es-MX\"\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "pack.toml:6:14: languages[0]: `English` no es una etiqueta de idioma BCP 47 como \"es\" \
         o \"es-MX\": escribe \"en\"\n\
         pack.toml:6:25: languages[1]: `español` no es una etiqueta de idioma BCP 47 como \"es\" \
         o \"es-MX\": escribe \"es\"\n\
         pack.toml:6:36: languages[2]: `Klingon` no es una etiqueta de idioma BCP 47 como \"es\" \
         o \"es-MX\"\n"
    );
}

/// A cloze prompt with two blanks and one entry in `blanks` said "(there are 1)".
#[test]
fn a_blank_without_entry_counts_the_entries_in_good_english() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/02-quarters.toml",
        "  { answers = [\"quarters\", \"fourths\"] },\n",
        "",
    );
    let en = report(dir.path(), Lang::En);
    assert!(en.contains("blank {{2}} has no entry in `blanks` (there is 1)"), "{en}");
    let es = report(dir.path(), Lang::Es);
    assert!(es.contains("el hueco {{2}} no tiene entrada en `blanks` (hay 1)"), "{es}");
}

/// A cloze item's feedback without `blank` said only "missing required field": a teacher who
/// copied the feedback of a choice item did not learn what `blank` is or what to write.
#[test]
fn cloze_feedback_without_blank_says_what_blank_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/02-quarters.toml", "blank = 1\n", "");
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/02-quarters.toml:19:1: item[0].feedback[0].blank: missing: the feedback of a \
         cloze item says which blank its answer is for, as blank = 1 for the first blank \
         ({{1}})\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/02-quarters.toml:19:1: item[0].feedback[0].blank: falta: la retroalimentación \
         de un ejercicio de huecos dice a qué hueco se refiere su respuesta, como blank = 1 para \
         el primer hueco ({{1}})\n"
    );
}

/// A picture whose path has a space is quoted in the error as written, up to its `)`: the quote
/// ran on for 60 characters, joining the words after it and those of the next line (with HTML
/// tags taken out), so the teacher read a text that is nowhere in the file.
#[test]
fn a_picture_path_with_a_space_is_quoted_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"prompt = "What do we call one of two equal parts? (one word)""#,
        "prompt = '''\nLook: ![a bar](media/bar 1-2.svg) and think.\n<b>Then</b> answer in one word.\n'''",
    );
    let en = report(dir.path(), Lang::En);
    assert!(
        en.starts_with(
            "lessons/01-half.toml:40:7: item[2].prompt: `![a bar](media/bar 1-2.svg)` is not read \
             as an image"
        ),
        "{en}"
    );
}

/// `tolerance = "5%"` in quotes got only "expected a number, found a string", while the same
/// without quotes says what a tolerance is.
#[test]
fn a_quoted_percentage_tolerance_says_what_a_tolerance_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "answer = 0.5\n",
        "answer = 0.5\ntolerance = \"5%\"\n",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:30:13: item[1].tolerance: expected a number, found a string (a \
         tolerance is not a percentage: write the largest difference from the answer that still \
         counts as right, in the answer's units: 0.05 for 0.5 ± 0.05)\n"
    );
    assert!(report(dir.path(), Lang::Es).contains("una tolerancia no es un porcentaje"));
}

/// A second item written without its own `[[item]]` line: its `id` was called "given twice in
/// the same table", which does not say that a header is missing, nor where.
#[test]
fn an_item_without_its_header_is_named_as_such() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "[[item]]\nid = \"half-003\"",
        "id = \"half-003\"",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:35:1: TOML syntax error: duplicate key (`id` is given twice in the \
         same table: each item starts with its own [[item]] line: write one above this line)\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:35:1: error de sintaxis de TOML: clave repetida (`id` aparece dos \
         veces en la misma tabla: cada ejercicio empieza con su propia línea [[item]]: escribe \
         una encima de esta línea)\n"
    );
}

/// A text opened with ''' and never closed was reported at the end of the file, with nothing
/// to say where the text began.
#[test]
fn an_unclosed_multi_line_text_names_the_line_that_opens_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"prompt = "What do we call one of two equal parts? (one word)""#,
        "prompt = '''\nWhat do we call one of two equal parts? (one word)",
    );
    let en = report(dir.path(), Lang::En);
    assert!(
        en.ends_with("(the text that ''' opens on line 39 is never closed: end it with ''')\n"),
        "{en}"
    );
    let es = report(dir.path(), Lang::Es);
    assert!(
        es.ends_with(
            "(el texto que ''' abre en la línea 39 no se cierra nunca: termínalo con ''')\n"
        ),
        "{es}"
    );
}

/// The files of a pack folder zipped without the folder (all selected, then "Compress" or "Send
/// to compressed folder") were told only that MANIFEST.json is missing: the zip is named for
/// what it is, as a zip of the folder is.
#[test]
fn a_zip_of_a_packs_files_is_named_as_such() {
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, bytes) in entries_of(&minimal_archive()) {
        if path != ladder_pack::MANIFEST_NAME {
            entries.push((path, bytes));
        }
    }
    let all: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let checked =
        ladder_pack::validate_archive(std::io::Cursor::new(zip_of(&all)), "halves.ladderpack");
    assert_eq!(
        checked.report.render(Lang::En),
        "halves.ladderpack: a zip of a pack's files, not a .ladderpack: validate or install the \
         pack's folder itself, or make a .ladderpack of it with `ladder pack build FOLDER`\n"
    );
    assert_eq!(
        checked.report.render(Lang::Es),
        "halves.ladderpack: un zip de los archivos de un paquete, no un .ladderpack: valida o \
         instala la carpeta del paquete misma, o haz un .ladderpack con `ladder pack build \
         CARPETA`\n"
    );
    assert!(checked.pack.is_none());
}

/// A kind written with a capital, in Spanish or in a worksheet's words (`Numeric`, `opción`,
/// `multiple choice`) gets the kind to write; a kind with no likely meaning does not.
#[test]
fn a_kind_in_other_words_gets_the_kind_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(dir.path(), "lessons/01-half.toml", r#"kind = "choice""#, r#"kind = "opción""#);
    edit(dir.path(), "lessons/01-half.toml", r#"kind = "numeric""#, r#"kind = "Numeric""#);
    edit(dir.path(), "lessons/01-half.toml", r#"kind = "text""#, r#"kind = "essay""#);
    edit(
        dir.path(),
        "lessons/02-quarters.toml",
        r#"kind = "cloze""#,
        r#"kind = "fill in the blanks""#,
    );
    edit(dir.path(), "lessons/02-quarters.toml", r#"kind = "order""#, r#"kind = "ordenar""#);
    let en = report(dir.path(), Lang::En);
    let lines: Vec<&str> = en.lines().filter(|l| l.contains("kind")).collect();
    assert_eq!(
        lines,
        [
            "lessons/01-half.toml:11:8: item[0].kind: unknown kind `opción`; expected choice, \
             numeric, text, cloze or order: write \"choice\"",
            "lessons/01-half.toml:26:8: item[1].kind: unknown kind `Numeric`; expected choice, \
             numeric, text, cloze or order: write \"numeric\"",
            "lessons/01-half.toml:37:8: item[2].kind: unknown kind `essay`; expected choice, \
             numeric, text, cloze or order",
            "lessons/02-quarters.toml:9:8: item[0].kind: unknown kind `fill in the blanks`; \
             expected choice, numeric, text, cloze or order: write \"cloze\"",
            "lessons/02-quarters.toml:26:8: item[1].kind: unknown kind `ordenar`; expected \
             choice, numeric, text, cloze or order: write \"order\"",
        ],
        "{en}"
    );
    let es = report(dir.path(), Lang::Es);
    assert!(
        es.contains(
            "item[0].kind: tipo desconocido `opción`; se esperaba choice, numeric, text, cloze u \
             order: escribe \"choice\"\n"
        ),
        "{es}"
    );
}

/// `accents = "estricto"` (or `"Strict"`, `"ignorar"`): the setting meant is named.
#[test]
fn an_accents_setting_in_other_words_gets_the_value_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "answers = [\"half\", \"a half\"]\n",
        "answers = [\"half\", \"a half\"]\naccents = \"estricto\"\n",
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:41:11: item[2].accents: `estricto` is not an accents setting; \
         expected \"ignore\" or \"strict\": write \"strict\"\n"
    );
    assert_eq!(
        report(dir.path(), Lang::Es),
        "lessons/01-half.toml:41:11: item[2].accents: `estricto` no es un valor válido de \
         accents; se esperaba \"ignore\" o \"strict\": escribe \"strict\"\n"
    );
}

/// `answers = "half"` without brackets: the advice showed `["..."]`, which a teacher who copies
/// it makes the accepted answer; it shows the text written, `["half"]` (a long one stays `...`).
#[test]
fn a_text_without_brackets_is_shown_in_brackets_as_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"answers = ["half", "a half"]"#,
        r#"answers = "half""#,
    );
    edit(
        dir.path(),
        "lessons/01-half.toml",
        r#"hints = ["It rhymes with *laugh*."]"#,
        r#"hints = "It rhymes with *laugh*, and it is what you get when you cut a whole in two.""#,
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:40:11: item[2].answers: expected an array of strings, found a \
         string: a list is written in square brackets, even with one entry: [\"half\"]\n\
         lessons/01-half.toml:41:9: item[2].hints: expected an array of strings, found a string: \
         a list is written in square brackets, even with one entry: [\"...\"]\n"
    );
    assert!(report(dir.path(), Lang::Es).contains("también con un solo elemento: [\"half\"]\n"));
}

/// `answer = 1` (or the right choice's text) on a choice item, in place of `correct = [1]`: one
/// mistake, which was reported twice, as `correct` missing and as `answer` belonging to numeric
/// items, without saying what to write.
#[test]
fn a_choice_item_answer_is_one_error_with_the_correct_to_write() {
    for (written, list) in [("answer = 1", "[1]"), (r#"answer = "$\\frac{1}{2}$""#, "[1]")] {
        let dir = tempfile::tempdir().expect("tempdir");
        minimal_with(dir.path(), "lessons/01-half.toml", "correct = [1]", written);
        assert_eq!(
            report(dir.path(), Lang::En),
            format!(
                "lessons/01-half.toml:16:1: item[0].answer: `answer` is the number of a numeric \
                 item; the right options of a choice item are given by their positions in \
                 `correct`: write correct = {list}\n"
            ),
            "{written}"
        );
        assert_eq!(
            report(dir.path(), Lang::Es),
            format!(
                "lessons/01-half.toml:16:1: item[0].answer: `answer` es el número de un \
                 ejercicio numérico; las opciones correctas de un ejercicio de elección se dan \
                 por su posición en `correct`: escribe correct = {list}\n"
            ),
        );
    }
}

/// A problem inside a long lesson introduction is reported at its own line, not at the line
/// where the text opens (`intro = """`): in a twenty-line introduction the teacher had to hunt
/// for the picture that is missing or the HTML that is dropped.
#[test]
fn a_problem_inside_a_long_introduction_is_reported_at_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        "Cut a whole into **2 equal parts**: each part is one half, $\\\\frac{1}{2}$.\n",
        "Cut a whole into **2 equal parts**: each part is one half, $\\\\frac{1}{2}$.\n\
         \n\
         A half of a pizza is two slices of four.\n\
         \n\
         Look: ![a pie cut in two](media/pie.svg)\n\
         \n\
         Say it <b>out loud</b>.\n",
    );
    let report = report(dir.path(), Lang::En);
    assert!(
        report.contains("lessons/01-half.toml:10:7: lesson.intro: image `media/pie.svg`"),
        "{report}"
    );
    assert!(
        report.contains("lessons/01-half.toml:12:8: warning: lesson.intro: raw HTML"),
        "{report}"
    );
}

/// A teacher who has just read how to mark words in another language, `<span lang='es'>`,
/// marks them in a lesson's title or a skill's name too: those are plain text, not Markdown, so
/// the app showed learners the tags as written ("<span lang='es'>Un medio</span>: one half"),
/// and the pack validated without a word.
#[test]
fn markup_in_a_plain_text_field_is_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    minimal_with(
        dir.path(),
        "lessons/01-half.toml",
        r#"title = "One half""#,
        r#"title = "<span lang='es'>Un medio</span>: one half""#,
    );
    edit(
        dir.path(),
        "skills.toml",
        r#"name = "What a half is""#,
        r#"name = "What a <b>half</b> is""#,
    );
    edit(
        dir.path(),
        "pack.toml",
        r#"title = "Halves and quarters""#,
        r#"title = "Halves<br>and quarters""#,
    );
    assert_eq!(
        report(dir.path(), Lang::En),
        "lessons/01-half.toml:3:9: warning: lesson.title: plain text, not Markdown: <span \
         lang='es'> is shown to learners as written; remove it (only Markdown fields, such as \
         intro, prompt and hints, can mark words in another language; plain text is read in \
         the language of the pack's text, text_language in pack.toml)\n\
         pack.toml:4:9: warning: title: plain text, not Markdown: <br> is shown to learners as \
         written; remove it (only Markdown fields, such as intro, prompt and hints, can mark \
         words in another language; plain text is read in the language of the pack's text, \
         text_language in pack.toml)\n\
         skills.toml:3:8: warning: skill[0].name: plain text, not Markdown: <b> is shown to \
         learners as written; remove it (only Markdown fields, such as intro, prompt and hints, \
         can mark words in another language; plain text is read in the language of the pack's \
         text, text_language in pack.toml)\n"
    );
    let es = report(dir.path(), Lang::Es);
    assert!(
        es.contains("lesson.title: texto simple, no Markdown: <span lang='es'> se muestra"),
        "{es}"
    );
    // Text that only looks a little like a tag is left alone: `x < 3 > 1`, `<3`.
    let plain = tempfile::tempdir().expect("tempdir");
    minimal_with(
        plain.path(),
        "lessons/01-half.toml",
        r#"title = "One half""#,
        r#"title = "One half < 1 > 0, <3""#,
    );
    assert_eq!(report(plain.path(), Lang::En), "");
}

/// `text_language` names the language of the pack's own text (a Spanish course written in
/// English: `languages = ["es", "en"]`, `text_language = "en"`), so that the app can mark its
/// titles and names, which cannot carry a `<span lang>`. It must be a language tag, and one of
/// `languages`: a front end would otherwise mark the text with a language the pack never
/// declared. Left out, the pack is valid as before and has none.
#[test]
fn the_text_language_is_a_tag_among_the_packs_languages() {
    let two = r#"languages = ["es", "en"]"#;
    let valid = tempfile::tempdir().expect("tempdir");
    minimal_with(valid.path(), "pack.toml", r#"languages = ["en"]"#, two);
    let without = ladder_pack::validate_folder(valid.path()).expect("read folder");
    assert_eq!(without.report.render(Lang::En), "");
    assert_eq!(without.pack.expect("valid").info.text_language, None);
    edit(valid.path(), "pack.toml", two, &format!("{two}\ntext_language = \"en\""));
    let with = ladder_pack::validate_folder(valid.path()).expect("read folder");
    assert_eq!(with.report.render(Lang::En), "");
    assert_eq!(with.pack.expect("valid").info.text_language.as_deref(), Some("en"));

    let not_a_tag = tempfile::tempdir().expect("tempdir");
    minimal_with(
        not_a_tag.path(),
        "pack.toml",
        r#"languages = ["en"]"#,
        &format!("{two}\ntext_language = \"English\""),
    );
    assert_eq!(
        report(not_a_tag.path(), Lang::En),
        "pack.toml:7:17: text_language: `English` is not a BCP 47 language tag such as \"en\" \
         or \"es-MX\": write \"en\"\n"
    );
    assert_eq!(
        report(not_a_tag.path(), Lang::Es),
        "pack.toml:7:17: text_language: `English` no es una etiqueta de idioma BCP 47 como \
         \"es\" o \"es-MX\": escribe \"en\"\n"
    );

    let undeclared = tempfile::tempdir().expect("tempdir");
    minimal_with(
        undeclared.path(),
        "pack.toml",
        r#"languages = ["en"]"#,
        &format!("{two}\ntext_language = \"fr\""),
    );
    assert_eq!(
        report(undeclared.path(), Lang::En),
        "pack.toml:7:17: text_language: `fr` is not one of the pack's languages (`es` and `en`): \
         the text's language must be one of them; write one, or add `fr` to `languages`\n"
    );
    assert_eq!(
        report(undeclared.path(), Lang::Es),
        "pack.toml:7:17: text_language: `fr` no es uno de los idiomas del paquete (`es` y `en`): \
         el idioma del texto tiene que ser uno de ellos; escribe uno, o añade `fr` a `languages`\n"
    );
    // Tags are compared without regard to case, as BCP 47 compares them.
    edit(undeclared.path(), "pack.toml", "text_language = \"fr\"", "text_language = \"EN\"");
    assert_eq!(report(undeclared.path(), Lang::En), "");
}

/// `answer_language` names the language learners type their answers in (a Spanish course
/// explained in English asks for Spanish answers: `languages = ["es", "en"]`, `text_language =
/// "en"`, `answer_language = "es"`), so that the app marks the answer boxes with it and a screen
/// reader says the learner's Spanish with Spanish sounds. It is checked as `text_language` is: a
/// language tag, and one of `languages`, with the messages' own words for the answers. Left
/// out, the pack is valid as before and has none.
#[test]
fn the_answer_language_is_a_tag_among_the_packs_languages() {
    let two = r#"languages = ["es", "en"]"#;
    let valid = tempfile::tempdir().expect("tempdir");
    minimal_with(valid.path(), "pack.toml", r#"languages = ["en"]"#, two);
    let without = ladder_pack::validate_folder(valid.path()).expect("read folder");
    assert_eq!(without.pack.expect("valid").info.answer_language, None);
    let named = format!("{two}\ntext_language = \"en\"\nanswer_language = \"es\"");
    edit(valid.path(), "pack.toml", two, &named);
    let with = ladder_pack::validate_folder(valid.path()).expect("read folder");
    assert_eq!(with.report.render(Lang::En), "");
    let info = with.pack.expect("valid").info;
    assert_eq!(
        (info.text_language.as_deref(), info.answer_language.as_deref()),
        (Some("en"), Some("es"))
    );

    let not_a_tag = tempfile::tempdir().expect("tempdir");
    minimal_with(
        not_a_tag.path(),
        "pack.toml",
        r#"languages = ["en"]"#,
        &format!("{two}\nanswer_language = \"Spanish\""),
    );
    assert_eq!(
        report(not_a_tag.path(), Lang::En),
        "pack.toml:7:19: answer_language: `Spanish` is not a BCP 47 language tag such as \"en\" \
         or \"es-MX\": write \"es\"\n"
    );
    assert_eq!(
        report(not_a_tag.path(), Lang::Es),
        "pack.toml:7:19: answer_language: `Spanish` no es una etiqueta de idioma BCP 47 como \
         \"es\" o \"es-MX\": escribe \"es\"\n"
    );

    let undeclared = tempfile::tempdir().expect("tempdir");
    minimal_with(
        undeclared.path(),
        "pack.toml",
        r#"languages = ["en"]"#,
        &format!("{two}\nanswer_language = \"fr\""),
    );
    assert_eq!(
        report(undeclared.path(), Lang::En),
        "pack.toml:7:19: answer_language: `fr` is not one of the pack's languages (`es` and \
         `en`): the language of the answers must be one of them; write one, or add `fr` to \
         `languages`\n"
    );
    assert_eq!(
        report(undeclared.path(), Lang::Es),
        "pack.toml:7:19: answer_language: `fr` no es uno de los idiomas del paquete (`es` y \
         `en`): el idioma de las respuestas tiene que ser uno de ellos; escribe uno, o añade \
         `fr` a `languages`\n"
    );
    // Tags are compared without regard to case, as BCP 47 compares them.
    edit(undeclared.path(), "pack.toml", "answer_language = \"fr\"", "answer_language = \"ES\"");
    assert_eq!(report(undeclared.path(), Lang::En), "");

    // Written in Spanish, the field is named with the English one to write.
    let spanish = tempfile::tempdir().expect("tempdir");
    minimal_with(
        spanish.path(),
        "pack.toml",
        r#"languages = ["en"]"#,
        &format!("{two}\nidioma_de_las_respuestas = \"es\""),
    );
    let es = report(spanish.path(), Lang::Es);
    assert!(es.starts_with("pack.toml:7:1: idioma_de_las_respuestas: "), "{es}");
    assert!(es.contains("`answer_language`"), "{es}");
}

/// An item answered in another language than the pack's others (in a Spanish course, "What
/// does *perro* mean?", answered in English) says so with its own `answer_language`, checked
/// like the pack's: a tag, and one of `languages`, at the item's line and column. Only a text
/// or cloze item is answered in words: on a choice, order or numeric item the field does
/// nothing, which a warning says (the pack is still valid, and the item keeps no language).
#[test]
fn an_items_answer_language_is_checked_and_only_kept_where_words_are_typed() {
    let text_item = r#"answers = ["half", "a half"]"#;
    let valid = tempfile::tempdir().expect("tempdir");
    minimal_with(valid.path(), "pack.toml", r#"languages = ["en"]"#, r#"languages = ["es", "en"]"#);
    edit(
        valid.path(),
        "lessons/01-half.toml",
        text_item,
        &format!("{text_item}\nanswer_language = \"es\""),
    );
    edit(
        valid.path(),
        "lessons/02-quarters.toml",
        "hints = [\"Cut each half",
        "answer_language = \"en\"\nhints = [\"Cut each half",
    );
    let checked = ladder_pack::validate_folder(valid.path()).expect("read folder");
    assert_eq!(checked.report.render(Lang::En), "");
    let pack = checked.pack.expect("valid");
    let language = |id: &str| {
        pack.items.iter().find(|i| i.id.as_str() == id).expect("item").answer_language.clone()
    };
    assert_eq!(language("half-003").as_deref(), Some("es"));
    assert_eq!(language("quarters-001").as_deref(), Some("en"));
    assert_eq!(language("half-002"), None);

    let undeclared = tempfile::tempdir().expect("tempdir");
    minimal_with(
        undeclared.path(),
        "lessons/01-half.toml",
        text_item,
        &format!("{text_item}\nanswer_language = \"es\""),
    );
    edit(
        undeclared.path(),
        "lessons/02-quarters.toml",
        "hints = [\"Cut each half",
        "answer_language = \"inglés\"\nhints = [\"Cut each half",
    );
    assert_eq!(
        report(undeclared.path(), Lang::En),
        "lessons/01-half.toml:41:19: item[2].answer_language: `es` is not one of the pack's \
         languages (`en`): the language of the answers must be one of them; write one, or add \
         `es` to `languages`\n\
         lessons/02-quarters.toml:16:19: item[0].answer_language: `inglés` is not a BCP 47 \
         language tag such as \"en\" or \"es-MX\": write \"en\"\n"
    );
    assert_eq!(
        report(undeclared.path(), Lang::Es),
        "lessons/01-half.toml:41:19: item[2].answer_language: `es` no es uno de los idiomas del \
         paquete (`en`): el idioma de las respuestas tiene que ser uno de ellos; escribe uno, o \
         añade `es` a `languages`\n\
         lessons/02-quarters.toml:16:19: item[0].answer_language: `inglés` no es una etiqueta de \
         idioma BCP 47 como \"es\" o \"es-MX\": escribe \"en\"\n"
    );

    // Nothing is typed in words in a choice, numeric or order item.
    let untyped = tempfile::tempdir().expect("tempdir");
    minimal_with(
        untyped.path(),
        "lessons/01-half.toml",
        "correct = [1]",
        "correct = [1]\nanswer_language = \"en\"",
    );
    edit(
        untyped.path(),
        "lessons/01-half.toml",
        "fractions = true",
        "fractions = true\nanswer_language = \"en\"",
    );
    edit(
        untyped.path(),
        "lessons/02-quarters.toml",
        "hints = [\"A quarter",
        "answer_language = \"en\"\nhints = [\"A quarter",
    );
    assert_eq!(
        report(untyped.path(), Lang::En),
        "lessons/01-half.toml:17:19: warning: item[0].answer_language: answer_language is the \
         language of typed answers, for text and cloze items only, and is ignored here: nothing \
         is typed in a choice item (the learner picks); a choice in another language is marked \
         with <span lang=\"...\">; remove it\n\
         lessons/01-half.toml:32:19: warning: item[1].answer_language: answer_language is the \
         language of typed answers, for text and cloze items only, and is ignored here: the \
         answer of a numeric item is a number, typed alike in every language; remove it\n\
         lessons/02-quarters.toml:30:19: warning: item[1].answer_language: answer_language is \
         the language of typed answers, for text and cloze items only, and is ignored here: \
         nothing is typed in an order item (the learner moves its entries); an entry in another \
         language is marked with <span lang=\"...\">; remove it\n"
    );
    let es = report(untyped.path(), Lang::Es);
    assert!(
        es.starts_with(
            "lessons/01-half.toml:17:19: aviso: item[0].answer_language: answer_language es el \
             idioma de las respuestas escritas, solo para los ejercicios de tipo text y cloze, y \
             aquí se ignora: en un ejercicio de tipo choice no se escribe nada (el alumno elige)"
        ),
        "{es}"
    );
    let checked = ladder_pack::validate_folder(untyped.path()).expect("read folder");
    let pack = checked.pack.expect("valid: warnings only");
    assert!(pack.items.iter().all(|i| i.answer_language.is_none()));
}
