//! `ladder pack new DIR --id ID --title TITLE [--language en|es]`: writes a small starter pack
//! for a teacher to edit (docs/pack-format.md, "Start from a template").
//!
//! The pack comes from the text files under `templates/pack-new/` (one folder per language, the
//! picture shared), with the id and the title filled in. It is written into a hidden folder
//! beside `DIR`, checked by the validator and only then renamed to `DIR`, so a run that fails or
//! is interrupted leaves no half-written pack. An existing empty `DIR` is written into directly,
//! and what was written is removed again on failure.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use ladder_pack::{suggested_id, IdProblem, Lang, Msg};

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create (with its parents); refused when it exists and is not empty.
    pub dir: PathBuf,
    /// The pack's id: lowercase letters a-z, digits 0-9 and '-', starting with a letter or a
    /// digit. Learners' history is tied to it: choose it for good.
    #[arg(long)]
    pub id: String,
    /// The pack's title, as learners see it.
    #[arg(long)]
    pub title: String,
    /// The language of the example content and of the comments in the files: en (English) or
    /// es (Spanish). The pack's `languages` says the same.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = super::pack::parse_language)]
    pub language: Lang,
}

/// Where the id goes in the templates (always between double quotes there).
const ID_SLOT: &str = "@@ID@@";
/// Where the title goes, as a whole TOML string with its quotes.
const TITLE_SLOT: &str = "@@TITLE@@";

const EXAMPLE_SVG: &str = include_str!("../../templates/pack-new/example.svg");

const EN: [(&str, &str); 4] = [
    ("pack.toml", include_str!("../../templates/pack-new/en/pack.toml")),
    ("skills.toml", include_str!("../../templates/pack-new/en/skills.toml")),
    (
        "lessons/01-first-lesson.toml",
        include_str!("../../templates/pack-new/en/lessons/01-first-lesson.toml"),
    ),
    (
        "lessons/02-second-lesson.toml",
        include_str!("../../templates/pack-new/en/lessons/02-second-lesson.toml"),
    ),
];

/// The Spanish pack's lesson files have Spanish names (ASCII, for every file system).
const ES: [(&str, &str); 4] = [
    ("pack.toml", include_str!("../../templates/pack-new/es/pack.toml")),
    ("skills.toml", include_str!("../../templates/pack-new/es/skills.toml")),
    (
        "lessons/01-primera-leccion.toml",
        include_str!("../../templates/pack-new/es/lessons/01-primera-leccion.toml"),
    ),
    (
        "lessons/02-segunda-leccion.toml",
        include_str!("../../templates/pack-new/es/lessons/02-segunda-leccion.toml"),
    ),
];

/// The starter pack's files: path inside the pack (`/`-separated) and contents.
pub fn starter_files(id: &str, title: &str, lang: Lang) -> Vec<(&'static str, String)> {
    let texts = match lang {
        Lang::Es => &ES,
        _ => &EN,
    };
    let mut files: Vec<(&'static str, String)> = texts
        .iter()
        .map(|&(path, text)| {
            (path, text.replace(ID_SLOT, id).replace(TITLE_SLOT, &toml_string(title)))
        })
        .collect();
    files.push(("media/example.svg", EXAMPLE_SVG.to_string()));
    files
}

/// `s` as a TOML basic string, quotes included.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Zero-width and other format characters that show nothing.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}' | '\u{00AD}')
}

pub fn new(a: NewArgs) -> anyhow::Result<ExitCode> {
    let lang = a.language;
    if let Some(problem) = IdProblem::of(&a.id) {
        let refused = Msg::InvalidId { id: a.id.clone(), problem, suggestion: None }.render(lang);
        match (suggested_id(&a.id), lang) {
            (Some(id), Lang::Es) => anyhow::bail!("--id: {refused}: prueba con --id {id}"),
            (Some(id), _) => anyhow::bail!("--id: {refused}: try --id {id}"),
            (None, _) => anyhow::bail!("--id: {refused}"),
        }
    }
    // Learners see the title on one line: something visible, and no line breaks or other
    // control characters.
    let visible = a.title.chars().any(|c| !c.is_whitespace() && !is_invisible(c));
    if !visible {
        anyhow::bail!(match lang {
            Lang::Es => "--title: el título no puede estar vacío",
            _ => "--title: the title must not be empty",
        });
    }
    if a.title.chars().any(char::is_control) {
        anyhow::bail!(match lang {
            Lang::Es => "--title: el título va en una sola línea, sin caracteres de control",
            _ => "--title: the title is one line, without control characters",
        });
    }
    let dir = &a.dir;
    let existing = match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {
            let mut entries =
                std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
            if entries.next().is_some() {
                anyhow::bail!(match lang {
                    Lang::Es => format!(
                        "{} existe y no está vacía: elige una carpeta nueva (o vacía); no se ha \
                         escrito nada",
                        dir.display()
                    ),
                    _ => format!(
                        "{} exists and is not empty: choose a new (or empty) folder; nothing \
                         written",
                        dir.display()
                    ),
                });
            }
            true
        }
        Ok(_) => anyhow::bail!(match lang {
            Lang::Es =>
                format!("{} existe y no es una carpeta; no se ha escrito nada", dir.display()),
            _ => format!("{} exists and is not a folder; nothing written", dir.display()),
        }),
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    };

    let files = starter_files(&a.id, &a.title, lang);
    let checked = if existing { write_inside(dir, &files)? } else { write_beside(dir, &files)? };

    print!("{}", checked.report.render(lang));
    let Some(pack) = checked.pack else {
        // The templates are tested to validate, so this is a bug; nothing was left behind.
        match lang {
            Lang::Es => eprintln!(
                "error: el paquete de inicio no es válido ({} error(es)); es un fallo de Ladder, \
                 por favor avisa. No se ha escrito nada en {}",
                checked.report.errors.len(),
                dir.display()
            ),
            _ => eprintln!(
                "error: the starter pack is not valid ({} error(s)); this is a bug in Ladder, \
                 please report it. Nothing written to {}",
                checked.report.errors.len(),
                dir.display()
            ),
        }
        return Ok(ExitCode::from(1));
    };

    let shown = shell_word(&dir.display().to_string());
    let archive = archive_path(dir, &format!("{}-{}.ladderpack", pack.info.id, pack.info.version));
    let names: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
    let (skills, lessons, items) = (pack.skills.len(), pack.lessons.len(), pack.items.len());
    match lang {
        Lang::Es => {
            println!(
                "paquete de inicio `{}` {} escrito en {}: {skills} habilidades, {lessons} \
                 lecciones, {items} ejercicios (uno de cada tipo)",
                pack.info.id,
                pack.info.version,
                dir.display()
            );
            println!("  {}", names.join("\n  "));
            println!(
                "Siguientes pasos: edita los archivos (cada uno explica sus campos; el formato \
                 está en docs/pack-format.md) y después:"
            );
            println!("  ladder pack validate {shown} --language es");
            println!("  ladder pack build {shown} -o {archive} --language es");
        }
        _ => {
            println!(
                "wrote the starter pack `{}` {} to {}: {skills} skills, {lessons} lessons, \
                 {items} items (one of each kind)",
                pack.info.id,
                pack.info.version,
                dir.display()
            );
            println!("  {}", names.join("\n  "));
            println!(
                "Next steps: edit the files (each one explains its fields; the format is in \
                 docs/pack-format.md), then:"
            );
            println!("  ladder pack validate {shown}");
            println!("  ladder pack build {shown} -o {archive}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `files` under `root`, creating folders as needed.
fn write_files(root: &Path, files: &[(&str, String)]) -> anyhow::Result<()> {
    for (path, text) in files {
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&target, text)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    Ok(())
}

/// `dir` does not exist: write into a new hidden folder beside it, validate, rename into place.
/// The staging folder is removed on every failure, so `dir` appears whole or not at all.
fn write_beside(dir: &Path, files: &[(&str, String)]) -> anyhow::Result<ladder_pack::Checked> {
    let name = dir
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("{}: give a folder name to create", dir.display()))?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = staging_folder(&parent, &name.to_string_lossy())?;
    let placed = (|| {
        write_files(&staging, files)?;
        let checked = ladder_pack::validate_folder(&staging)?;
        if checked.pack.is_some() {
            std::fs::rename(&staging, dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        Ok(checked)
    })();
    if !matches!(&placed, Ok(c) if c.pack.is_some()) {
        let _ = std::fs::remove_dir_all(&staging);
    }
    placed
}

/// A new empty hidden folder in `parent` for the pack `name` being written.
fn staging_folder(parent: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let pid = std::process::id();
    for n in 0u32.. {
        let path = parent.join(format!(".{name}.ladder-new-{pid}-{n}"));
        match std::fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == ErrorKind::AlreadyExists && n < 100 => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot create {}", path.display()));
            }
        }
    }
    unreachable!("the loop returns")
}

/// `dir` exists and is empty: write into it and validate; on failure remove what was written,
/// leaving the folder empty as it was.
fn write_inside(dir: &Path, files: &[(&str, String)]) -> anyhow::Result<ladder_pack::Checked> {
    let checked = write_files(dir, files)
        .and_then(|()| ladder_pack::validate_folder(dir).map_err(anyhow::Error::from));
    if !matches!(&checked, Ok(c) if c.pack.is_some()) {
        for (path, _) in files {
            let _ = std::fs::remove_file(dir.join(path));
        }
        for folder in ["lessons", "media"] {
            let _ = std::fs::remove_dir(dir.join(folder));
        }
    }
    checked
}

/// Where the next step's `ladder pack build` writes the archive `name`: in the current folder,
/// unless that is the new pack's own folder (`ladder pack new .` in an empty folder), where
/// `pack build` refuses to write it; then in the folder above.
fn archive_path(dir: &Path, name: &str) -> String {
    if super::pack::inside(dir, Path::new(name)) {
        format!("../{name}")
    } else {
        name.to_owned()
    }
}

/// `s` as one word for a POSIX shell: as it is when it is plain, else in single quotes.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_is_filled_and_the_title_is_a_toml_string() {
        for lang in [Lang::En, Lang::Es] {
            for (path, text) in starter_files("my-course", "A \"quoted\" \\ title\n", lang) {
                assert!(!text.contains("@@"), "{path}: a slot left unfilled");
            }
        }
        assert_eq!(toml_string("a\"b\\c\nd\u{7}"), r#""a\"b\\c\nd\u0007""#);
    }

    #[test]
    fn shell_words() {
        assert_eq!(shell_word("courses/my-course"), "courses/my-course");
        assert_eq!(shell_word("my course"), "'my course'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
