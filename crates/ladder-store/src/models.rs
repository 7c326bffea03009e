//! Model versions: which checkpoint is active for which scope (the device, or one learner),
//! trained through which event, with its validation metrics. The checkpoint files live under
//! the data directory (the model crate writes them); this table only points at them.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::{OrNotFound, Result, StoreError};
use crate::ids::{EventId, LearnerId, ModelVersionId};
use crate::time::Timestamp;
use crate::Tx;

/// Who a model is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "scope", content = "learner", rename_all = "snake_case")]
pub enum ModelScope {
    /// The model every learner of the device starts from.
    Device,
    /// Fine-tuned on one learner's history (deleted with the learner).
    Learner(LearnerId),
}

impl ModelScope {
    fn columns(self) -> (&'static str, Option<i64>) {
        match self {
            ModelScope::Device => ("device", None),
            ModelScope::Learner(l) => ("learner", Some(l.0)),
        }
    }
}

/// A model version to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewModelVersion {
    pub scope: ModelScope,
    /// The checkpoint's path relative to the data directory (e.g. `models/device/0007`).
    pub checkpoint: String,
    /// The newest event the model was trained on.
    pub trained_through: Option<EventId>,
    /// Validation metrics (AUC, log loss, ...) as the model crate reports them.
    pub metrics: serde_json::Value,
}

/// A recorded model version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelVersion {
    pub id: ModelVersionId,
    pub scope: ModelScope,
    pub checkpoint: String,
    pub trained_through: Option<EventId>,
    pub metrics: serde_json::Value,
    pub created: Timestamp,
    pub active: bool,
}

const COLUMNS: &str =
    "id, scope, learner_id, checkpoint, trained_through_event, metrics, created_ms, active";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(ModelVersion, String)> {
    let scope: String = r.get(1)?;
    let learner: Option<i64> = r.get(2)?;
    let scope = match (scope.as_str(), learner) {
        ("learner", Some(l)) => ModelScope::Learner(LearnerId(l)),
        _ => ModelScope::Device,
    };
    Ok((
        ModelVersion {
            id: ModelVersionId(r.get(0)?),
            scope,
            checkpoint: r.get(3)?,
            trained_through: r.get::<_, Option<i64>>(4)?.map(EventId),
            metrics: serde_json::Value::Null,
            created: Timestamp(r.get(6)?),
            active: r.get(7)?,
        },
        r.get(5)?,
    ))
}

fn decode(raw: (ModelVersion, String)) -> Result<ModelVersion> {
    let (mut m, metrics) = raw;
    m.metrics = serde_json::from_str(&metrics)?;
    Ok(m)
}

impl Tx<'_> {
    /// Records a model version (not yet active).
    pub fn add_model_version(&self, new: &NewModelVersion) -> Result<ModelVersionId> {
        if new.checkpoint.trim().is_empty() {
            return Err(StoreError::invalid("a model version needs a checkpoint path"));
        }
        let (scope, learner) = new.scope.columns();
        self.conn().execute(
            "INSERT INTO model_versions
               (scope, learner_id, checkpoint, trained_through_event, metrics, created_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                scope,
                learner,
                new.checkpoint,
                new.trained_through.map(|e| e.0),
                serde_json::to_string(&new.metrics)?,
                Timestamp::now().0
            ],
        )?;
        self.changes_mut(|c| c.models += 1);
        Ok(ModelVersionId(self.conn().last_insert_rowid()))
    }

    /// Makes `id` the active model of its scope (the previous one stays recorded, inactive).
    pub fn activate_model_version(&self, id: ModelVersionId) -> Result<()> {
        let m = self.model_version(id)?.or_not_found("model version", id)?;
        let (scope, learner) = m.scope.columns();
        self.conn().execute(
            "UPDATE model_versions SET active = 0
             WHERE active = 1 AND scope = ?1 AND learner_id IS ?2",
            params![scope, learner],
        )?;
        self.conn().execute("UPDATE model_versions SET active = 1 WHERE id = ?1", [id.0])?;
        self.changes_mut(|c| c.models += 1);
        Ok(())
    }

    /// Leaves `scope` with no active model (the next in the order runs: the device's model for
    /// a learner, the bundled one for the device); the versions stay recorded. `false` when none
    /// was active.
    pub fn deactivate_model(&self, scope: ModelScope) -> Result<bool> {
        let (s, learner) = scope.columns();
        let n = self.conn().execute(
            "UPDATE model_versions SET active = 0
             WHERE active = 1 AND scope = ?1 AND learner_id IS ?2",
            params![s, learner],
        )?;
        if n > 0 {
            self.changes_mut(|c| c.models += 1);
        }
        Ok(n > 0)
    }

    pub fn model_version(&self, id: ModelVersionId) -> Result<Option<ModelVersion>> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM model_versions WHERE id = ?1"),
                [id.0],
                from_row,
            )
            .optional()?
            .map(decode)
            .transpose()
    }

    /// The active model of a scope.
    pub fn active_model(&self, scope: ModelScope) -> Result<Option<ModelVersion>> {
        let (s, learner) = scope.columns();
        self.conn()
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM model_versions
                     WHERE active = 1 AND scope = ?1 AND learner_id IS ?2"
                ),
                params![s, learner],
                from_row,
            )
            .optional()?
            .map(decode)
            .transpose()
    }

    /// The active model of every learner who has one of their own, by learner id.
    pub fn active_learner_models(&self) -> Result<Vec<ModelVersion>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM model_versions
             WHERE active = 1 AND scope = 'learner' AND learner_id IS NOT NULL
             ORDER BY learner_id"
        ))?;
        let raws = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter().map(decode).collect()
    }

    /// Forgets the versions of `scope` that are of no more use, and returns them (their
    /// checkpoint folders are the caller's to delete once this transaction commits). Kept: the
    /// active version, `previous` (the one active before it, for a rollback), and the newest
    /// others until `keep` versions remain in all. An active version is never removed, whatever
    /// `keep` says, and other scopes (a learner's own model) are not touched.
    pub fn prune_model_versions(
        &self,
        scope: ModelScope,
        keep: usize,
        previous: Option<ModelVersionId>,
    ) -> Result<Vec<ModelVersion>> {
        let all = self.model_versions(scope)?;
        let mut kept: Vec<ModelVersionId> = all.iter().filter(|v| v.active).map(|v| v.id).collect();
        if let Some(p) = previous.filter(|p| all.iter().any(|v| v.id == *p)) {
            if !kept.contains(&p) {
                kept.push(p);
            }
        }
        for v in all.iter().rev() {
            if kept.len() >= keep {
                break;
            }
            if !kept.contains(&v.id) {
                kept.push(v.id);
            }
        }
        let mut removed = Vec::new();
        for v in all.into_iter().filter(|v| !kept.contains(&v.id)) {
            let n = self
                .conn()
                .execute("DELETE FROM model_versions WHERE id = ?1 AND active = 0", [v.id.0])?;
            if n == 1 {
                removed.push(v);
            }
        }
        if !removed.is_empty() {
            self.changes_mut(|c| c.models += 1);
        }
        Ok(removed)
    }

    /// Every version recorded for a scope, oldest first.
    pub fn model_versions(&self, scope: ModelScope) -> Result<Vec<ModelVersion>> {
        let (s, learner) = scope.columns();
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM model_versions WHERE scope = ?1 AND learner_id IS ?2 ORDER BY id"
        ))?;
        let raws =
            stmt.query_map(params![s, learner], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter().map(decode).collect()
    }
}
