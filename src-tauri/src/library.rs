//! The course library: a summary of every pack folder in the packs directory.
//!
//! A folder that fails to load does not hide the others: it is listed under `problems` with the
//! loader's message, so a teacher sees what to fix.
//!
//! Interim loader: until `ladder-pack` exposes its reader, this module reads just what the library
//! shows (the manifest, the number of skills, lessons and items) with a lenient TOML parse. The
//! switch-over replaces [`summarise`] with a call into `ladder-pack`; [`Library`] stays.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

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

#[derive(Deserialize)]
struct Manifest {
    id: String,
    version: String,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    languages: Vec<String>,
}

#[derive(Deserialize)]
struct Skills {
    #[serde(default)]
    skill: Vec<toml::Table>,
}

#[derive(Deserialize)]
struct Lesson {
    #[serde(default)]
    item: Vec<toml::Table>,
}

/// Summarises one pack folder (interim: see the module docs).
fn summarise(folder: &Path) -> Result<PackSummary> {
    let manifest: Manifest = read_toml(&folder.join("pack.toml"))?;
    let skills: Skills = read_toml(&folder.join("skills.toml"))?;
    let lessons_dir = folder.join("lessons");
    let mut lesson_files: Vec<PathBuf> = match fs::read_dir(&lessons_dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(AppError::io("cannot list", &lessons_dir, &e)),
    };
    lesson_files.sort();
    let mut item_count = 0;
    for file in &lesson_files {
        let lesson: Lesson = read_toml(file)?;
        item_count += lesson.item.len();
    }
    Ok(PackSummary {
        id: manifest.id,
        title: manifest.title,
        version: manifest.version,
        description: manifest.description,
        languages: manifest.languages,
        skill_count: skills.skill.len(),
        lesson_count: lesson_files.len(),
        item_count,
    })
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let text = fs::read_to_string(path).map_err(|e| AppError::io("cannot read", path, &e))?;
    toml::from_str(&text)
        .map_err(|e| AppError::new(ErrorKind::Pack, format!("{}: {e}", path.display())))
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

    fn pack(root: &Path, id: &str, title: &str, skills: usize, items: &[usize]) {
        let dir = root.join(id);
        write(
            &dir.join("pack.toml"),
            &format!(
                "schema = 1\nid = \"{id}\"\nversion = \"1.2.0\"\ntitle = \"{title}\"\n\
                 description = \"d\"\nlanguages = [\"en\"]\n"
            ),
        );
        let skills_toml: String =
            (0..skills).map(|i| format!("[[skill]]\nid = \"s{i}\"\nname = \"S{i}\"\n")).collect();
        write(&dir.join("skills.toml"), &skills_toml);
        for (n, count) in items.iter().enumerate() {
            let mut text = format!("[lesson]\nid = \"l{n}\"\ntitle = \"L\"\n");
            for i in 0..*count {
                text.push_str(&format!("[[item]]\nid = \"i{n}-{i}\"\n"));
            }
            write(&dir.join(format!("lessons/{n:02}.toml")), &text);
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
