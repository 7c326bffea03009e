//! Learner profiles for the picker: `list` and `create`, over `ladder-store`.
//!
//! The store (`<data-dir>/ladder.sqlite3`) is opened on first use, off the UI thread, with the
//! start-up options (integrity check, daily backup). If opening fails (a damaged or newer
//! database), the error reaches the UI and the next call tries again. One connection is shared
//! behind a mutex: SQLite serialises writers anyway, and the picker's calls are short.
//!
//! When `ladder-engine` grows its learner operations, this module becomes a call into it.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use ladder_store::{NewLearner, OpenOptions, Store};
use serde::Serialize;

use crate::error::{AppError, Result};

/// A learner profile as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Learner {
    /// The store's learner id; never reused.
    pub id: i64,
    /// Display name, trimmed.
    pub name: String,
}

impl From<ladder_store::Learner> for Learner {
    fn from(l: ladder_store::Learner) -> Self {
        Self { id: l.id.0, name: l.name }
    }
}

/// The learner profiles of one data directory.
pub struct Learners {
    data_dir: PathBuf,
    store: Mutex<Option<Store>>,
}

impl Learners {
    /// Remembers where the store is; nothing is opened yet.
    pub fn new(data_dir: &Path) -> Self {
        Self { data_dir: data_dir.to_path_buf(), store: Mutex::new(None) }
    }

    /// Active (not archived) learners, sorted by name ignoring case.
    pub fn list(&self) -> Result<Vec<Learner>> {
        let mut guard = self.lock()?;
        let store = open(&mut guard, &self.data_dir)?;
        let mut learners: Vec<Learner> =
            store.read(|tx| tx.learners(false))?.into_iter().map(Learner::from).collect();
        learners.sort_by_key(|l| (l.name.to_lowercase(), l.id));
        Ok(learners)
    }

    /// Creates a learner. The store checks the name (not empty, not too long, no control
    /// characters); two active learners may not share a name (ignoring case), so the picker
    /// stays unambiguous.
    pub fn create(&self, name: &str) -> Result<Learner> {
        let mut guard = self.lock()?;
        let store = open(&mut guard, &self.data_dir)?;
        let wanted = name.trim().to_lowercase();
        let taken =
            store.read(|tx| tx.learners(false))?.iter().any(|l| l.name.to_lowercase() == wanted);
        if taken {
            return Err(AppError::conflict(format!(
                "a learner named {} already exists",
                name.trim()
            )));
        }
        let id = store.transact(|tx| tx.add_learner(&NewLearner::named(name)))?;
        let learner = store
            .read(|tx| tx.learner(id))?
            .ok_or_else(|| AppError::internal(format!("learner {id} vanished after creation")))?;
        Ok(learner.into())
    }

    fn lock(&self) -> Result<MutexGuard<'_, Option<Store>>> {
        self.store.lock().map_err(|_| AppError::internal("the learner store lock was poisoned"))
    }
}

fn open<'a>(slot: &'a mut Option<Store>, data_dir: &Path) -> Result<&'a mut Store> {
    if slot.is_none() {
        *slot = Some(Store::open_with(data_dir, &OpenOptions::startup())?);
    }
    slot.as_mut().ok_or_else(|| AppError::internal("the learner store is not open"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn empty_dir_has_no_learners() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(Learners::new(dir.path()).list().expect("list").is_empty());
    }

    #[test]
    fn create_then_list_sorted_and_persisted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let learners = Learners::new(dir.path());
        let zoe = learners.create("  Zoë ").expect("create");
        assert_eq!(zoe.name, "Zoë");
        let ada = learners.create("ada").expect("create");
        assert_ne!(zoe.id, ada.id);
        drop(learners);
        let again = Learners::new(dir.path()).list().expect("list");
        let names: Vec<_> = again.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["ada", "Zoë"]);
    }

    #[test]
    fn duplicate_names_conflict_ignoring_case() {
        let dir = tempfile::tempdir().expect("tempdir");
        let learners = Learners::new(dir.path());
        learners.create("Ada").expect("create");
        let e = learners.create(" ADA ").expect_err("duplicate");
        assert_eq!(e.kind, ErrorKind::Conflict);
        assert_eq!(learners.list().expect("list").len(), 1);
    }

    #[test]
    fn bad_names_are_invalid_input() {
        let dir = tempfile::tempdir().expect("tempdir");
        let learners = Learners::new(dir.path());
        for bad in ["", "   ", "a\u{7}b", &"x".repeat(1000)] {
            let e = learners.create(bad).expect_err(bad);
            assert_eq!(e.kind, ErrorKind::InvalidInput, "{bad:?}: {}", e.message);
        }
        assert!(learners.list().expect("list").is_empty());
    }

    #[test]
    fn a_damaged_database_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join(ladder_store::DB_FILE);
        let junk = vec![0x42u8; 8192];
        std::fs::write(&db, &junk).expect("write");
        let e = Learners::new(dir.path()).list().expect_err("damaged");
        assert_ne!(e.kind, ErrorKind::Internal, "{e:?}");
        assert_eq!(std::fs::read(&db).expect("read"), junk);
    }
}
