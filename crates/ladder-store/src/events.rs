//! The append-only event log: the training corpus of the model and the source of every report.
//!
//! An event is a typed Rust value ([`Event`]) stored as stable JSON (`payload`), with copies of
//! the fields that queries filter on (learner, time, kind, pack and item, session) in indexed
//! columns. Events are never updated (a trigger refuses it) and are deleted only when their
//! learner is deleted.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::ids::{EventId, LearnerId, SessionId};
use crate::time::Timestamp;
use crate::Tx;

/// Which item an event is about: the pack's stable id, the item's stable id, and the revision
/// of the item's content the learner saw (filled in by the store when left out).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRef {
    pub pack: String,
    pub item: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
}

impl ItemRef {
    pub fn new(pack: impl Into<String>, item: impl Into<String>) -> Self {
        ItemRef { pack: pack.into(), item: item.into(), revision: None }
    }
}

/// One thing that happened in a learner's session. The JSON form is
/// `{"type": "<snake_case variant>", ...fields}`; see docs/store.md.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A practice session began. Later events of the session carry its id.
    SessionStart {
        /// The pack practised, if the session is about one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pack: Option<String>,
        /// Which front end started it (`app`, `cli`, ...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client: Option<String>,
        /// The lesson the session is limited to (its stable id), if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lesson: Option<String>,
        /// The next-step policy that runs the session (`adaptive`, `fixed-order`, ...).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<String>,
    },
    /// The session ended (`reason`: `finished`, `quit`, `timeout`, ...).
    SessionEnd {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An item was put in front of the learner, with the reason the policy gave.
    ItemShown {
        item: ItemRef,
        /// The policy's sentence, in the language the screen showed it in.
        reason: String,
        /// The same reason as data (the engine's `policy::Reason`: its kind and figures), so
        /// that it can be said again in another language (a report in Spanish, a session
        /// carried on after the learner changed the app's language). Absent in events written
        /// before it existed and for items chosen by a diagnostic; then `reason` is all there is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        why: Option<serde_json::Value>,
        /// The skill (its id in the pack) the item was chosen for, the one the reason names;
        /// absent where the policy chose an item rather than a skill (the baselines).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        skill: Option<String>,
    },
    /// The learner answered.
    Answer {
        item: ItemRef,
        /// The raw answer as the learner gave it (a string, a list of positions, ...).
        response: serde_json::Value,
        /// The graded result.
        correct: bool,
        /// Partial credit in 0..=1 where the item kind has it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        score: Option<f64>,
        /// Per-blank results of a cloze item, in blank order.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        blanks: Option<Vec<bool>>,
        /// Milliseconds from the item being shown to the answer.
        latency_ms: u64,
        /// The highest hint level seen before answering (0 = none).
        #[serde(default)]
        hint_level: u32,
        /// The probability of a right first answer that the engine's learner model gave for
        /// this item just before the answer (first answers only; what calibration is measured
        /// on). Absent on later answers to the same item and on events from before it existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        predicted: Option<f32>,
    },
    /// A hint was shown (`level` 1 = the first hint).
    HintShown { item: ItemRef, level: u32 },
    /// The worked solution was shown.
    SolutionViewed { item: ItemRef },
    /// The learner skipped the item.
    Skip { item: ItemRef },
}

impl Event {
    /// An item shown for `reason`, with no reason as data and no skill (what a test or a tool
    /// writes; the engine records both).
    pub fn shown(item: ItemRef, reason: impl Into<String>) -> Self {
        Event::ItemShown { item, reason: reason.into(), why: None, skill: None }
    }

    /// The `type` tag, also stored in the indexed `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::SessionStart { .. } => "session_start",
            Event::SessionEnd { .. } => "session_end",
            Event::ItemShown { .. } => "item_shown",
            Event::Answer { .. } => "answer",
            Event::HintShown { .. } => "hint_shown",
            Event::SolutionViewed { .. } => "solution_viewed",
            Event::Skip { .. } => "skip",
        }
    }

    pub fn item(&self) -> Option<&ItemRef> {
        match self {
            Event::SessionStart { .. } | Event::SessionEnd { .. } => None,
            Event::ItemShown { item, .. }
            | Event::Answer { item, .. }
            | Event::HintShown { item, .. }
            | Event::SolutionViewed { item }
            | Event::Skip { item } => Some(item),
        }
    }

    fn item_mut(&mut self) -> Option<&mut ItemRef> {
        match self {
            Event::SessionStart { .. } | Event::SessionEnd { .. } => None,
            Event::ItemShown { item, .. }
            | Event::Answer { item, .. }
            | Event::HintShown { item, .. }
            | Event::SolutionViewed { item }
            | Event::Skip { item } => Some(item),
        }
    }
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: EventId,
    pub learner: LearnerId,
    /// The session it belongs to (the id of its `session_start` event).
    pub session: Option<SessionId>,
    pub time: Timestamp,
    pub event: Event,
}

const COLUMNS: &str = "id, learner_id, session_id, time_ms, payload";

fn record_from_row(
    row: &Row<'_>,
) -> rusqlite::Result<(EventId, LearnerId, Option<i64>, i64, String)> {
    Ok((EventId(row.get(0)?), LearnerId(row.get(1)?), row.get(2)?, row.get(3)?, row.get(4)?))
}

fn decode(raw: (EventId, LearnerId, Option<i64>, i64, String)) -> Result<EventRecord> {
    let (id, learner, session, time, payload) = raw;
    let event = serde_json::from_str(&payload).map_err(|e| {
        StoreError::invalid(format!("event {} has a payload this version cannot read: {e}", id.0))
    })?;
    Ok(EventRecord { id, learner, session: session.map(SessionId), time: Timestamp(time), event })
}

impl Tx<'_> {
    /// Appends an event stamped now. Returns its id (for a `session_start`, the session id).
    pub fn append_event(
        &self,
        learner: LearnerId,
        session: Option<SessionId>,
        event: &Event,
    ) -> Result<EventId> {
        self.append_event_at(learner, session, Timestamp::now(), event)
    }

    /// Appends an event with an explicit time (imports, simulations, tests).
    pub fn append_event_at(
        &self,
        learner: LearnerId,
        session: Option<SessionId>,
        time: Timestamp,
        event: &Event,
    ) -> Result<EventId> {
        let mut event = event.clone();
        if let Some(item) = event.item_mut() {
            if item.revision.is_none() {
                item.revision = self.current_revision(&item.pack, &item.item)?;
            }
        }
        let payload = serde_json::to_string(&event)?;
        let (pack, item) = match event.item() {
            Some(r) => (Some(r.pack.as_str()), Some(r.item.as_str())),
            None => (None, None),
        };
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO events (learner_id, session_id, time_ms, kind, pack_id, item_id, payload)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        stmt.execute(params![
            learner.0,
            session.map(|s| s.0),
            time.0,
            event.kind(),
            pack,
            item,
            payload
        ])
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                StoreError::not_found("learner", learner)
            }
            e => e.into(),
        })?;
        self.changes_mut(|c| c.events_appended += 1);
        Ok(EventId(self.conn().last_insert_rowid()))
    }

    /// A learner's events with id greater than `since` (all when `None`), oldest first.
    pub fn events(&self, learner: LearnerId, since: Option<EventId>) -> Result<Vec<EventRecord>> {
        let mut out = Vec::new();
        self.for_each_event(learner, since, |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams a learner's events oldest first without holding them all in memory.
    pub fn for_each_event(
        &self,
        learner: LearnerId,
        since: Option<EventId>,
        mut f: impl FnMut(EventRecord) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM events WHERE learner_id = ?1 AND id > ?2 ORDER BY id"
        ))?;
        let mut rows = stmt.query(params![learner.0, since.map_or(0, |s| s.0)])?;
        while let Some(row) = rows.next()? {
            f(decode(record_from_row(row)?)?)?;
        }
        Ok(())
    }

    /// Every learner's events with id greater than `since`, in id order (model training).
    pub fn all_events(&self, since: Option<EventId>) -> Result<Vec<EventRecord>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("SELECT {COLUMNS} FROM events WHERE id > ?1 ORDER BY id"))?;
        let raws = stmt
            .query_map([since.map_or(0, |s| s.0)], record_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raws.into_iter().map(decode).collect()
    }

    /// One event by id.
    pub fn event(&self, id: EventId) -> Result<Option<EventRecord>> {
        let mut stmt =
            self.conn().prepare_cached(&format!("SELECT {COLUMNS} FROM events WHERE id = ?1"))?;
        let raw = stmt.query_row([id.0], record_from_row).optional()?;
        raw.map(decode).transpose()
    }

    /// How many events a learner has (all kinds).
    pub fn event_count(&self, learner: LearnerId) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM events WHERE learner_id = ?1",
            [learner.0],
            |r| r.get(0),
        )?)
    }

    /// How many answers a learner gave (retries included) and when they last did anything.
    pub fn learner_activity(&self, learner: LearnerId) -> Result<(i64, Option<Timestamp>)> {
        Ok(self.conn().query_row(
            "SELECT (SELECT count(*) FROM events WHERE learner_id = ?1 AND kind = 'answer'), \
                    (SELECT max(time_ms) FROM events WHERE learner_id = ?1)",
            [learner.0],
            |r| Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.map(Timestamp))),
        )?)
    }

    /// The id of the newest event of the whole database (what a model was trained through).
    pub fn last_event_id(&self) -> Result<Option<EventId>> {
        Ok(self
            .conn()
            .query_row("SELECT max(id) FROM events", [], |r| r.get::<_, Option<i64>>(0))?
            .map(EventId))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The payload JSON is a stored format: renaming a variant or field breaks old databases.
    #[test]
    fn event_json_is_stable() {
        let item = ItemRef { pack: "p".into(), item: "i".into(), revision: Some(2) };
        let cases = [
            (
                Event::SessionStart {
                    pack: Some("p".into()),
                    client: None,
                    lesson: None,
                    policy: None,
                },
                r#"{"type":"session_start","pack":"p"}"#,
            ),
            (
                Event::SessionStart {
                    pack: Some("p".into()),
                    client: Some("app".into()),
                    lesson: Some("l1".into()),
                    policy: Some("adaptive".into()),
                },
                r#"{"type":"session_start","pack":"p","client":"app","lesson":"l1","policy":"adaptive"}"#,
            ),
            (Event::SessionEnd { reason: None }, r#"{"type":"session_end"}"#),
            (
                Event::shown(item.clone(), "r"),
                r#"{"type":"item_shown","item":{"pack":"p","item":"i","revision":2},"reason":"r"}"#,
            ),
            (
                Event::ItemShown {
                    item: item.clone(),
                    reason: "r".into(),
                    why: Some(serde_json::json!({"kind": "random"})),
                    skill: Some("s1".into()),
                },
                r#"{"type":"item_shown","item":{"pack":"p","item":"i","revision":2},"reason":"r","why":{"kind":"random"},"skill":"s1"}"#,
            ),
            (
                Event::Answer {
                    item: item.clone(),
                    response: serde_json::json!(["1", "3"]),
                    correct: false,
                    score: Some(0.5),
                    blanks: Some(vec![true, false]),
                    latency_ms: 1500,
                    hint_level: 1,
                    predicted: None,
                },
                r#"{"type":"answer","item":{"pack":"p","item":"i","revision":2},"response":["1","3"],"correct":false,"score":0.5,"blanks":[true,false],"latency_ms":1500,"hint_level":1}"#,
            ),
            (
                Event::Answer {
                    item: item.clone(),
                    response: serde_json::json!("3/4"),
                    correct: true,
                    score: None,
                    blanks: None,
                    latency_ms: 800,
                    hint_level: 0,
                    predicted: Some(0.72),
                },
                r#"{"type":"answer","item":{"pack":"p","item":"i","revision":2},"response":"3/4","correct":true,"latency_ms":800,"hint_level":0,"predicted":0.72}"#,
            ),
            (
                Event::HintShown { item: item.clone(), level: 3 },
                r#"{"type":"hint_shown","item":{"pack":"p","item":"i","revision":2},"level":3}"#,
            ),
            (
                Event::SolutionViewed { item: item.clone() },
                r#"{"type":"solution_viewed","item":{"pack":"p","item":"i","revision":2}}"#,
            ),
            (
                Event::Skip { item: item.clone() },
                r#"{"type":"skip","item":{"pack":"p","item":"i","revision":2}}"#,
            ),
        ];
        for (event, json) in cases {
            assert_eq!(serde_json::to_string(&event).unwrap(), json);
            assert_eq!(serde_json::from_str::<Event>(json).unwrap(), event);
            let tag: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(tag["type"], event.kind());
        }
        // Optional fields may be left out; unknown ones are refused.
        let minimal = r#"{"type":"answer","item":{"pack":"p","item":"i"},"response":"x","correct":true,"latency_ms":5}"#;
        assert!(serde_json::from_str::<Event>(minimal).is_ok());
        // Events written before `lesson`, `policy` and `predicted` existed still read.
        let old_start = r#"{"type":"session_start","pack":"p","client":"app"}"#;
        assert_eq!(
            serde_json::from_str::<Event>(old_start).unwrap(),
            Event::SessionStart {
                pack: Some("p".into()),
                client: Some("app".into()),
                lesson: None,
                policy: None
            }
        );
        match serde_json::from_str::<Event>(minimal).unwrap() {
            Event::Answer { predicted, hint_level, .. } => {
                assert_eq!((predicted, hint_level), (None, 0));
            }
            other => panic!("read as {other:?}"),
        }
        assert!(serde_json::from_str::<Event>(
            r#"{"type":"skip","item":{"pack":"p","item":"i"},"x":1}"#
        )
        .is_err());
    }
}
