//! Learner profiles, behind the small surface the commands need (`list`, `create`).
//!
//! Interim storage: until the app is wired to `ladder-store`, profiles are kept in one JSON file
//! (`app-learners.json` in the data directory), rewritten atomically (temp file, sync, rename) and
//! guarded by a mutex. Switching to the store changes this module only; the commands and the wire
//! type [`Learner`] stay as they are.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::error::{AppError, Result};

/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 60;

const FILE_NAME: &str = "app-learners.json";

/// A learner profile as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Learner {
    /// Stable id, e.g. `"learner-3"`.
    pub id: String,
    /// Display name, trimmed, unique ignoring case.
    pub name: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    next_id: u64,
    learners: Vec<Learner>,
}

/// The learner profiles of one data directory.
#[derive(Debug)]
pub struct Learners {
    path: PathBuf,
    lock: Mutex<()>,
}

impl Learners {
    /// Opens (without yet creating) the profiles kept in `data_dir`.
    pub fn open(data_dir: &Path) -> Self {
        Self { path: data_dir.join(FILE_NAME), lock: Mutex::new(()) }
    }

    /// All learners, sorted by name (ignoring case).
    pub fn list(&self) -> Result<Vec<Learner>> {
        let _guard = self.lock()?;
        let mut learners = self.read()?.learners;
        learners.sort_by_key(|l| l.name.to_lowercase());
        Ok(learners)
    }

    /// Creates a learner; the name is trimmed and must be new (ignoring case).
    pub fn create(&self, name: &str) -> Result<Learner> {
        let name = validate_name(name)?;
        let _guard = self.lock()?;
        let mut file = self.read()?;
        let key = name.to_lowercase();
        if file.learners.iter().any(|l| l.name.to_lowercase() == key) {
            return Err(AppError::conflict(format!("a learner named {name} already exists")));
        }
        file.next_id += 1;
        let learner = Learner { id: format!("learner-{}", file.next_id), name };
        file.learners.push(learner.clone());
        self.write(&file)?;
        Ok(learner)
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, ()>> {
        self.lock.lock().map_err(|_| AppError::internal("the learner list lock was poisoned"))
    }

    fn read(&self) -> Result<File> {
        match fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                AppError::new(
                    crate::error::ErrorKind::Io,
                    format!("{} is damaged: {e}", self.path.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(File::default()),
            Err(e) => Err(AppError::io("cannot read", &self.path, &e)),
        }
    }

    fn write(&self, file: &File) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| AppError::io("cannot create", dir, &e))?;
        let bytes = serde_json::to_vec_pretty(file)
            .map_err(|e| AppError::internal(format!("cannot encode learners: {e}")))?;
        let tmp = self.path.with_extension("json.tmp");
        let result = fs::File::create(&tmp)
            .and_then(|mut f| {
                f.write_all(&bytes)?;
                f.sync_all()
            })
            .and_then(|()| fs::rename(&tmp, &self.path));
        result.map_err(|e| AppError::io("cannot write", &self.path, &e))
    }
}

/// Trims `name` and checks it is 1..=60 characters with no control characters.
pub fn validate_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid_input("a learner needs a name"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid_input(format!(
            "a name can be at most {MAX_NAME_CHARS} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::invalid_input("a name cannot contain control characters"));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn empty_dir_has_no_learners() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(Learners::open(dir.path()).list().expect("list").is_empty());
    }

    #[test]
    fn create_then_list_sorted_and_persisted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let learners = Learners::open(dir.path());
        let zoe = learners.create("  Zoë ").expect("create");
        assert_eq!(zoe.name, "Zoë");
        let ada = learners.create("ada").expect("create");
        assert_ne!(zoe.id, ada.id);
        let again = Learners::open(dir.path()).list().expect("list");
        let names: Vec<_> = again.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["ada", "Zoë"]);
    }

    #[test]
    fn duplicate_names_conflict_ignoring_case() {
        let dir = tempfile::tempdir().expect("tempdir");
        let learners = Learners::open(dir.path());
        learners.create("Ada").expect("create");
        let e = learners.create("ADA").expect_err("duplicate");
        assert_eq!(e.kind, ErrorKind::Conflict);
    }

    #[test]
    fn bad_names_are_invalid_input() {
        for bad in ["", "   ", "a\u{7}b", &"x".repeat(MAX_NAME_CHARS + 1)] {
            let e = validate_name(bad).expect_err(bad);
            assert_eq!(e.kind, ErrorKind::InvalidInput, "{bad:?}");
        }
        assert!(validate_name(&"x".repeat(MAX_NAME_CHARS)).is_ok());
    }

    #[test]
    fn damaged_file_is_reported_not_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(FILE_NAME), b"{not json").expect("write");
        let learners = Learners::open(dir.path());
        assert_eq!(learners.list().expect_err("damaged").kind, ErrorKind::Io);
        assert!(learners.create("Ada").is_err());
        assert_eq!(fs::read(dir.path().join(FILE_NAME)).expect("read"), b"{not json");
    }
}
