//! The course library: a summary of every pack folder in the packs directory.
//!
//! A folder that fails to load does not hide the others: it is listed under `problems` with the
//! loader's message, so a teacher sees what to fix.
//!
//! Each folder is loaded and validated by `ladder-pack` (the same code as `ladder pack validate`),
//! so the library shows exactly the packs that would install.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{AppError, ErrorKind, Result};

/// What the library screen shows for one pack.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackSummary {
    pub id: String,
    pub title: String,
    pub version: String,
    pub description: String,
    pub languages: Vec<String>,
    pub skill_count: usize,
    pub lesson_count: usize,
    pub item_count: usize,
}

/// A pack folder that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackProblem {
    /// The folder's name inside the packs directory.
    pub folder: String,
    pub message: String,
}

/// Every pack of a packs directory, sorted by title.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Library {
    pub packs_dir: String,
    pub packs: Vec<PackSummary>,
    pub problems: Vec<PackProblem>,
}

/// Reads every sub-folder of `packs_dir` that holds a `pack.toml`.
pub fn scan(packs_dir: &Path) -> Result<Library> {
    let entries = fs::read_dir(packs_dir).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            AppError::new(
                ErrorKind::NotFound,
                format!("no packs folder at {} (set LADDER_PACKS_DIR)", packs_dir.display()),
            )
        } else {
            AppError::io("cannot list", packs_dir, &e)
        }
    })?;
    let mut folders: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.join("pack.toml").is_file())
        .collect();
    folders.sort();

    let mut library = Library {
        packs_dir: packs_dir.display().to_string(),
        packs: Vec::new(),
        problems: Vec::new(),
    };
    for folder in folders {
        match summarise(&folder) {
            Ok(pack) => library.packs.push(pack),
            Err(e) => library.problems.push(PackProblem {
                folder: folder
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                message: e.message,
            }),
        }
    }
    library.packs.sort_by_key(|p| p.title.to_lowercase());
    Ok(library)
}

/// How many validation errors a problem shows before "and N more".
const MAX_ERRORS_SHOWN: usize = 3;

/// Loads and validates one pack folder and summarises it.
fn summarise(folder: &Path) -> Result<PackSummary> {
    let pack = ladder_pack::load(folder).map_err(|e| pack_error(folder, e))?;
    Ok(PackSummary {
        id: pack.info.id.to_string(),
        title: pack.info.title,
        version: pack.info.version.to_string(),
        description: pack.info.description,
        languages: pack.info.languages,
        skill_count: pack.skills.len(),
        lesson_count: pack.lessons.len(),
        item_count: pack.items.len(),
    })
}

fn pack_error(folder: &Path, e: ladder_pack::Error) -> AppError {
    match e {
        ladder_pack::Error::Invalid(report) => {
            let mut lines: Vec<String> =
                report.errors.iter().take(MAX_ERRORS_SHOWN).map(ToString::to_string).collect();
            if report.errors.len() > MAX_ERRORS_SHOWN {
                lines.push(format!(
                    "and {} more (run `ladder pack validate {}`)",
                    report.errors.len() - MAX_ERRORS_SHOWN,
                    folder.display()
                ));
            }
            AppError::new(ErrorKind::Pack, lines.join("\n"))
        }
        other => AppError::new(ErrorKind::Pack, other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).expect("mkdir");
        }
        fs::write(path, text).expect("write");
    }

    /// Writes a small valid pack: `skills` skills, one lesson per entry of `items` teaching all
    /// of them, with that many choice items.
    fn pack(root: &Path, id: &str, title: &str, skills: usize, items: &[usize]) {
        let dir = root.join(id);
        write(
            &dir.join("pack.toml"),
            &format!(
                "schema = 1\nid = \"{id}\"\nversion = \"1.2.0\"\ntitle = \"{title}\"\n\
                 description = \"d\"\nlanguages = [\"en\"]\nauthors = [\"T\"]\n\
                 license = \"CC-BY-4.0\"\n"
            ),
        );
        let skill_ids: Vec<String> = (0..skills).map(|i| format!("\"s{i}\"")).collect();
        let skills_toml: String = (0..skills)
            .map(|i| format!("[[skill]]\nid = \"s{i}\"\nname = \"S{i}\"\ndescription = \"d\"\n"))
            .collect();
        write(&dir.join("skills.toml"), &skills_toml);
        let all = skill_ids.join(", ");
        for (n, count) in items.iter().enumerate() {
            let mut text = format!("[lesson]\nid = \"l{n}\"\ntitle = \"L\"\nskills = [{all}]\n");
            for i in 0..*count {
                text.push_str(&format!(
                    "[[item]]\nid = \"i{n}-{i}\"\nkind = \"choice\"\nskills = [{all}]\n\
                     prompt = \"Pick one\"\nchoices = [\"a\", \"b\"]\ncorrect = [1]\n\
                     hints = [\"h\"]\nsolution = \"s\"\n"
                ));
            }
            write(&dir.join(format!("lessons/{n:02}-l.toml")), &text);
        }
    }

    #[test]
    fn lists_packs_sorted_by_title_with_counts() {
        let root = tempfile::tempdir().expect("tempdir");
        pack(root.path(), "zed", "Algebra", 2, &[3, 4]);
        pack(root.path(), "abc", "Spanish", 1, &[1]);
        fs::create_dir_all(root.path().join("not-a-pack")).expect("mkdir");
        let lib = scan(root.path()).expect("scan");
        assert!(lib.problems.is_empty(), "{:?}", lib.problems);
        let ids: Vec<_> = lib.packs.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["zed", "abc"]);
        let algebra = &lib.packs[0];
        assert_eq!((algebra.skill_count, algebra.lesson_count, algebra.item_count), (2, 2, 7));
        assert_eq!(algebra.version, "1.2.0");
    }

    #[test]
    fn a_broken_pack_is_a_problem_not_a_failure() {
        let root = tempfile::tempdir().expect("tempdir");
        pack(root.path(), "good", "Good", 1, &[1]);
        write(&root.path().join("bad/pack.toml"), "id = [");
        let lib = scan(root.path()).expect("scan");
        assert_eq!(lib.packs.len(), 1);
        assert_eq!(lib.problems.len(), 1);
        assert_eq!(lib.problems[0].folder, "bad");
    }

    #[test]
    fn missing_packs_dir_is_not_found() {
        let root = tempfile::tempdir().expect("tempdir");
        let e = scan(&root.path().join("nope")).expect_err("missing");
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert!(e.message.contains("LADDER_PACKS_DIR"));
    }

    #[test]
    fn the_bundled_sample_packs_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs");
        let lib = scan(&dir).expect("scan");
        assert!(lib.problems.is_empty(), "{:?}", lib.problems);
        for pack in &lib.packs {
            assert!(pack.item_count > 0, "{} has no items", pack.id);
            assert!(pack.skill_count > 0, "{} has no skills", pack.id);
        }
    }
}
