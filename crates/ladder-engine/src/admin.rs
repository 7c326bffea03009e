//! What the tutor and the settings screen do to the device rather than to a learner: the tutor
//! PIN, the UI language, backups and their restore, and the status of the learner model.
//!
//! [`Admin`] holds its own connection to the data directory's database (SQLite in WAL mode lets
//! it sit next to the engine's), so checking a PIN (argon2, deliberately slow) or listing backups
//! never waits for a session operation. Restoring a backup replaces the database file, so it is a
//! free function, [`restore_backup`], that must run while no connection is open: the caller closes
//! the engine and every [`Admin`] first and reopens them after.
//!
//! ```
//! use ladder_engine::admin::Admin;
//!
//! let dir = tempfile::tempdir()?;
//! let mut admin = Admin::open(dir.path())?;
//! assert!(!admin.has_pin()?);
//! admin.set_pin(None, "2468")?;
//! assert!(admin.verify_pin("2468")?);
//! // Changing or clearing a PIN needs the current one.
//! assert!(admin.clear_pin("1111").is_err());
//! admin.clear_pin("2468")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::path::{Path, PathBuf};

use ladder_store::{
    list_backups, BackupInfo, EventId, ModelScope, ModelVersion, OpenOptions, Store, Timestamp,
};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// The settings key of the UI language (a language tag such as `en`).
pub const LANGUAGE_KEY: &str = "ui.language";
/// The UI language when none was chosen.
pub const DEFAULT_LANGUAGE: &str = "en";
/// The UI languages the app ships strings for (the UI's own catalogue must list the same tags).
pub const LANGUAGES: &[&str] = &["en", "es"];

/// The folder of the backups inside the data directory (the store's rule, checked by a test).
pub const BACKUP_FOLDER: &str = "backups";

/// A backup as the settings screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupView {
    /// File name inside `<data-dir>/backups/`; what [`restore_backup`] takes.
    pub name: String,
    /// Full path, for people who want to copy the file elsewhere.
    pub path: String,
    /// When it was taken (Unix milliseconds, to the second).
    pub taken_ms: i64,
    pub size_bytes: u64,
    /// Why the backup cannot be restored (it does not open, fails the integrity check, or has a
    /// schema this version cannot read); `None` for a good one.
    pub problem: Option<String>,
}

impl BackupView {
    fn from_info(b: &BackupInfo) -> BackupView {
        BackupView {
            name: b.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            path: b.path.display().to_string(),
            taken_ms: b.time.0,
            size_bytes: b.size,
            problem: Some(ladder_store::check_backup(&b.path).join("; ")).filter(|p| !p.is_empty()),
        }
    }
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreView {
    /// The backup's file name.
    pub restored_from: String,
    /// Where the replaced database was kept (never deleted), if there was one.
    pub previous_kept_at: Option<String>,
    /// Learners in the restored database.
    pub learners: usize,
}

/// A recorded model version, for the settings screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelVersionView {
    pub id: i64,
    /// Checkpoint path relative to the data directory.
    pub checkpoint: String,
    /// When the version was recorded (Unix milliseconds).
    pub created_ms: i64,
    /// The newest event it was trained on, and when that event happened.
    pub trained_through_event: Option<i64>,
    pub trained_through_ms: Option<i64>,
    /// Held-back metrics as the training job recorded them (AUC, log loss, ...).
    pub metrics: serde_json::Value,
}

/// The state of the learner model on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelStatus {
    /// The predictor the engine uses now (`transformer`, `online-logistic`, ...).
    pub predictor: String,
    /// Where the model computes: `cpu`, or the GPU the build and machine provide.
    pub device: String,
    /// The device's active fine-tuned version; `None` when the app runs the bundled default
    /// model or the built-in fallback.
    pub active: Option<ModelVersionView>,
    /// Versions recorded for the device so far (active or not).
    pub versions: usize,
    /// Events in the log (all learners), so the screen can say how much is new since training.
    pub events: i64,
    /// The learners who run a model of their own (`ladder train --learner`) instead of the
    /// device's, by name.
    #[serde(default)]
    pub own: Vec<OwnModelView>,
    /// What going back to the previous model would do (`training::rollback_target`): from the
    /// device's version in use to the newest older one that loads and did not learn from a
    /// deleted learner (`to` `None`: the bundled default model). `None` when no fine-tuned
    /// version is in use: there is nothing to go back from.
    #[serde(default)]
    pub rollback: Option<crate::training::Switch>,
}

/// A learner's own active model, for the settings screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnModelView {
    pub learner: i64,
    pub name: String,
    /// The model version (the registry's id).
    pub version: i64,
}

/// The tutor PIN, the UI language, backups and model status over one store connection.
pub struct Admin {
    store: Store,
}

impl Admin {
    /// Opens a connection to the database in `data_dir` (creating it when it is new).
    pub fn open(data_dir: &Path) -> Result<Admin> {
        let store = Store::open_with(data_dir, &OpenOptions::default())?;
        Ok(Admin { store })
    }

    pub fn data_dir(&self) -> &Path {
        self.store.data_dir()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    // ----- the tutor PIN --------------------------------------------------------------------

    pub fn has_pin(&self) -> Result<bool> {
        Ok(self.store.read(|tx| tx.has_pin())?)
    }

    /// `true` when a PIN is set and `pin` is it.
    pub fn verify_pin(&self, pin: &str) -> Result<bool> {
        Ok(self.store.verify_pin(pin)?)
    }

    /// Sets the PIN, or changes it: when one is set, `current` must match it.
    pub fn set_pin(&mut self, current: Option<&str>, new: &str) -> Result<()> {
        if self.has_pin()? {
            let ok = match current {
                Some(c) => self.verify_pin(c)?,
                None => false,
            };
            if !ok {
                return Err(Error::bad_request("the current PIN is not correct"));
            }
        }
        self.store.set_pin(new).map_err(Error::store_refusal(ErrorKind::BadRequest))
    }

    /// Removes the PIN; `current` must match it. Clearing when none is set is refused, so that
    /// the screen never claims to have removed something that was not there.
    pub fn clear_pin(&mut self, current: &str) -> Result<()> {
        if !self.has_pin()? {
            return Err(Error::conflict("no tutor PIN is set"));
        }
        if !self.verify_pin(current)? {
            return Err(Error::bad_request("the current PIN is not correct"));
        }
        self.store.clear_pin()?;
        Ok(())
    }

    // ----- the UI language ------------------------------------------------------------------

    /// The chosen UI language, else [`DEFAULT_LANGUAGE`]. A tag this build does not know (from a
    /// newer version) also falls back to the default.
    pub fn language(&self) -> Result<String> {
        let tag = self.store.read(|tx| tx.setting::<String>(LANGUAGE_KEY))?;
        Ok(tag
            .filter(|t| LANGUAGES.contains(&t.as_str()))
            .unwrap_or_else(|| DEFAULT_LANGUAGE.to_owned()))
    }

    pub fn set_language(&mut self, tag: &str) -> Result<String> {
        if !LANGUAGES.contains(&tag) {
            return Err(Error::bad_request(format!(
                "unknown UI language `{tag}` (available: {})",
                LANGUAGES.join(", ")
            )));
        }
        self.store.transact(|tx| tx.set_setting(LANGUAGE_KEY, tag))?;
        Ok(tag.to_owned())
    }

    // ----- backups --------------------------------------------------------------------------

    /// The backups, newest first.
    pub fn backups(&self) -> Vec<BackupView> {
        list_backups(self.data_dir()).iter().map(BackupView::from_info).collect()
    }

    /// Takes a backup now (checked, then rotated like the daily ones).
    pub fn backup_now(&self) -> Result<BackupView> {
        let path = self.store.backup_now()?;
        list_backups(self.data_dir())
            .iter()
            .find(|b| b.path == path)
            .map(BackupView::from_info)
            .ok_or_else(|| {
                Error::internal(format!("the new backup {} is not listed", path.display()))
            })
    }

    // ----- the learner model ----------------------------------------------------------------

    /// The model status, with `predictor` and `device` as the engine reports them.
    pub fn model_status(&self, predictor: &str, device: &str) -> Result<ModelStatus> {
        let (active, versions, events, own) = self.store.read(|tx| {
            let active = tx.active_model(ModelScope::Device)?;
            let when = match active.as_ref().and_then(|m| m.trained_through) {
                Some(e) => tx.event(e)?.map(|r| r.time),
                None => None,
            };
            let versions = tx.model_versions(ModelScope::Device)?.len();
            let events = tx.last_event_id()?.map_or(0, |EventId(e)| e);
            let mut own = Vec::new();
            for m in tx.active_learner_models()? {
                let ModelScope::Learner(l) = m.scope else { continue };
                if let Some(who) = tx.learner(l)? {
                    own.push(OwnModelView { learner: l.0, name: who.name, version: m.id.0 });
                }
            }
            Ok((active.map(|m| (m, when)), versions, events, own))
        })?;
        let rollback = crate::training::rollback_target(&self.store, None)?;
        Ok(ModelStatus {
            predictor: predictor.to_owned(),
            device: device.to_owned(),
            active: active.map(|(m, when)| model_view(&m, when)),
            versions,
            events,
            own,
            rollback,
        })
    }

    /// The view of model version `id` (`None` when the registry has no such version): what the
    /// settings screen shows of the version the engine runs, which need not be the active one.
    pub fn model_version_view(&self, id: i64) -> Result<Option<ModelVersionView>> {
        Ok(self.store.read(|tx| {
            let Some(m) = tx.model_version(ladder_store::ModelVersionId(id))? else {
                return Ok(None);
            };
            let when = match m.trained_through {
                Some(e) => tx.event(e)?.map(|r| r.time),
                None => None,
            };
            Ok(Some(model_view(&m, when)))
        })?)
    }
}

fn model_view(m: &ModelVersion, trained_through_time: Option<Timestamp>) -> ModelVersionView {
    ModelVersionView {
        id: m.id.0,
        checkpoint: m.checkpoint.clone(),
        created_ms: m.created.0,
        trained_through_event: m.trained_through.map(|e| e.0),
        trained_through_ms: trained_through_time.map(|t| t.0),
        metrics: m.metrics.clone(),
    }
}

/// The path of the backup called `name` in `data_dir`, refusing anything that is not the plain
/// file name of a listed backup (no separators, no `..`: the UI sends names, never paths).
pub fn backup_path(data_dir: &Path, name: &str) -> Result<PathBuf> {
    list_backups(data_dir)
        .into_iter()
        .find(|b| b.path.file_name().is_some_and(|n| n == name))
        .map(|b| b.path)
        .ok_or_else(|| Error::not_found("backup", name))
}

/// Replaces the database with the backup called `name` (see [`backup_path`]). The replaced file
/// is moved aside, never deleted. **Every connection to the database must be closed first**
/// (the engine's, every [`Admin`]'s, a training job's): a connection left open would keep
/// writing to the old file.
pub fn restore_backup(data_dir: &Path, name: &str) -> Result<RestoreView> {
    let path = backup_path(data_dir, name)?;
    let report = ladder_store::restore(data_dir, Some(&path)).map_err(|e| match e.kind() {
        ladder_store::ErrorKind::Invalid => Error::conflict(e.to_string()),
        _ => Error::from(e),
    })?;
    let learners = Store::open(data_dir)?.read(|tx| tx.learners(false))?.len();
    Ok(RestoreView {
        restored_from: name.to_owned(),
        previous_kept_at: report.previous_kept_at.map(|p| p.display().to_string()),
        learners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ladder_store::{Event, ItemRef, NewLearner, NewModelVersion};

    fn admin() -> (tempfile::TempDir, Admin) {
        let dir = tempfile::tempdir().expect("tempdir");
        let admin = Admin::open(dir.path()).expect("open");
        (dir, admin)
    }

    #[test]
    fn a_pin_is_set_changed_with_the_current_one_and_cleared() {
        let (_d, mut a) = admin();
        assert!(!a.has_pin().unwrap());
        // With no PIN set, nothing verifies (not even an empty string).
        assert!(!a.verify_pin("").unwrap());
        let short = a.set_pin(None, "12").unwrap_err();
        assert_eq!(short.kind, crate::ErrorKind::BadRequest, "{short}");
        assert!(!a.has_pin().unwrap());

        a.set_pin(None, "1357").unwrap();
        assert!(a.has_pin().unwrap());
        assert!(a.verify_pin("1357").unwrap());
        assert!(!a.verify_pin("1358").unwrap());

        // Changing needs the current PIN: missing or wrong leaves the old one in place.
        assert_eq!(a.set_pin(None, "2468").unwrap_err().kind, crate::ErrorKind::BadRequest);
        assert_eq!(a.set_pin(Some("0000"), "2468").unwrap_err().kind, crate::ErrorKind::BadRequest);
        assert!(a.verify_pin("1357").unwrap());
        a.set_pin(Some("1357"), "2468").unwrap();
        assert!(a.verify_pin("2468").unwrap());
        assert!(!a.verify_pin("1357").unwrap());

        assert!(a.clear_pin("1357").is_err());
        assert!(a.has_pin().unwrap());
        a.clear_pin("2468").unwrap();
        assert!(!a.has_pin().unwrap());
        assert_eq!(a.clear_pin("2468").unwrap_err().kind, crate::ErrorKind::Conflict);
    }

    #[test]
    fn the_pin_is_stored_hashed_and_seen_by_other_connections() {
        let (d, mut a) = admin();
        a.set_pin(None, "9753").unwrap();
        let other = Admin::open(d.path()).unwrap();
        assert!(other.verify_pin("9753").unwrap());
        let all = other.store().read(|tx| tx.settings()).unwrap();
        let text = serde_json::to_string(&all).unwrap();
        assert!(text.contains("$argon2id$"), "{text}");
        assert!(!text.contains("9753"), "{text}");
    }

    #[test]
    fn the_language_defaults_to_english_and_refuses_unknown_tags() {
        let (d, mut a) = admin();
        assert_eq!(a.language().unwrap(), "en");
        assert_eq!(a.set_language("es").unwrap(), "es");
        assert_eq!(Admin::open(d.path()).unwrap().language().unwrap(), "es");
        let e = a.set_language("xx").unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::BadRequest);
        assert!(e.message.contains("xx") && e.message.contains("en"), "{e}");
        assert_eq!(a.language().unwrap(), "es");
        // A tag written by a newer version falls back to the default.
        let mut s = Store::open(d.path()).unwrap();
        s.transact(|tx| tx.set_setting(LANGUAGE_KEY, "tlh")).unwrap();
        assert_eq!(a.language().unwrap(), "en");
    }

    #[test]
    fn backups_are_listed_newest_first_and_restored_by_name_only() {
        let (d, a) = admin();
        assert!(a.backups().is_empty());
        let mut store = Store::open(d.path()).unwrap();
        store.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
        let first = a.backup_now().unwrap();
        assert_eq!(
            first.path,
            d.path().join(BACKUP_FOLDER).join(&first.name).display().to_string()
        );
        assert_eq!(a.backups(), std::slice::from_ref(&first));
        assert!(first.size_bytes > 0);
        assert!((first.taken_ms - Timestamp::now().0).abs() < 60_000);
        // An older one (as rotation keeps them: a day earlier) is listed after it.
        let older_name = "ladder-20200102T030405Z.sqlite3";
        std::fs::copy(&first.path, d.path().join("backups").join(older_name)).unwrap();
        let listed = a.backups();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0], first);
        assert_eq!(listed[1].name, older_name);
        assert_eq!(listed[1].taken_ms, 1_577_934_245_000);
        store.transact(|tx| tx.add_learner(&NewLearner::named("Ben"))).unwrap();

        for bad in ["../ladder.sqlite3", "/etc/passwd", "nope.sqlite3", ""] {
            let e = restore_backup(d.path(), bad).unwrap_err();
            assert_eq!(e.kind, crate::ErrorKind::NotFound, "{bad}: {e}");
        }

        // Every connection closed, restore the first backup: only Ana is there, and the
        // replaced database is kept aside.
        drop(store);
        drop(a);
        let r = restore_backup(d.path(), &first.name).unwrap();
        assert_eq!(r.restored_from, first.name);
        assert_eq!(r.learners, 1);
        let aside = PathBuf::from(r.previous_kept_at.expect("kept aside"));
        assert!(aside.exists());
        let names: Vec<String> = Store::open(d.path())
            .unwrap()
            .read(|tx| tx.learners(false))
            .unwrap()
            .into_iter()
            .map(|l| l.name)
            .collect();
        assert_eq!(names, ["Ana"]);
    }

    #[test]
    fn a_damaged_backup_is_refused_and_the_database_left_alone() {
        let (d, a) = admin();
        let mut store = Store::open(d.path()).unwrap();
        store.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
        let b = a.backup_now().unwrap();
        assert_eq!(b.problem, None, "a fresh backup is good");
        std::fs::write(&b.path, b"not a database at all").unwrap();
        // The list says why it cannot be restored, before anyone confirms a restore.
        let listed = a.backups().into_iter().find(|x| x.name == b.name).unwrap();
        assert!(listed.problem.is_some(), "{listed:?}");
        drop(store);
        drop(a);
        let e = restore_backup(d.path(), &b.name).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::Conflict, "{e}");
        assert!(e.message.contains(&b.name), "{e}");
        let n = Store::open(d.path()).unwrap().read(|tx| tx.learners(false)).unwrap().len();
        assert_eq!(n, 1);
    }

    #[test]
    fn model_status_reports_the_active_version_and_when_it_was_trained_through() {
        let (d, a) = admin();
        let s = a.model_status("online-logistic", "cpu").unwrap();
        assert_eq!(s.predictor, "online-logistic");
        assert_eq!(s.device, "cpu");
        assert!(s.active.is_none());
        assert_eq!((s.versions, s.events), (0, 0));

        let mut store = Store::open(d.path()).unwrap();
        let ana = store.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
        let at = Timestamp(1_700_000_000_000);
        let ev = store
            .transact(|tx| {
                let hint =
                    Event::HintShown { item: ItemRef::new("fractions", "meaning-001"), level: 1 };
                tx.append_event_at(ana, None, at, &hint)
            })
            .unwrap();
        store
            .transact(|tx| {
                let id = tx.add_model_version(&NewModelVersion {
                    scope: ModelScope::Device,
                    checkpoint: "models/device/0001".into(),
                    trained_through: Some(ev),
                    metrics: serde_json::json!({"auc": 0.71}),
                })?;
                tx.activate_model_version(id)
            })
            .unwrap();
        let s = a.model_status("transformer", "cpu").unwrap();
        let m = s.active.expect("active");
        assert_eq!(m.checkpoint, "models/device/0001");
        assert_eq!(m.trained_through_event, Some(ev.0));
        assert_eq!(m.trained_through_ms, Some(at.0));
        assert_eq!(m.metrics["auc"], 0.71);
        assert_eq!((s.versions, s.events), (1, ev.0));
        assert!(s.own.is_empty());

        // A learner's own model is listed by name; the device's figures are unchanged by it.
        let own = store
            .transact(|tx| {
                let id = tx.add_model_version(&NewModelVersion {
                    scope: ModelScope::Learner(ana),
                    checkpoint: format!("models/learner-{}/0001", ana.0),
                    trained_through: Some(ev),
                    metrics: serde_json::Value::Null,
                })?;
                tx.activate_model_version(id)?;
                Ok(id)
            })
            .unwrap();
        let s = a.model_status("transformer", "cpu").unwrap();
        assert_eq!(s.own, [OwnModelView { learner: ana.0, name: "Ana".into(), version: own.0 }]);
        // Any version's view, active or not, as the status gives the active one.
        let device = s.active.clone().unwrap();
        assert_eq!(a.model_version_view(device.id).unwrap(), Some(device));
        assert_eq!(
            a.model_version_view(own.0).unwrap().unwrap().checkpoint,
            "models/learner-1/0001"
        );
        assert_eq!(a.model_version_view(999).unwrap(), None);
        assert_eq!(s.active.unwrap().checkpoint, "models/device/0001");
        assert_eq!(s.versions, 1);
    }
}
