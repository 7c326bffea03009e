//! A learner's state on the engine's side, rebuilt from the store's event log.
//!
//! Nothing here is stored separately: the event log is the truth, and this is a fold over it
//! (cached, and brought up to date with the events appended since). That is why a restart in the
//! middle of a session loses nothing: the open session, the item on screen, the hints seen and
//! the answers given are all events.

use std::collections::HashMap;

use ladder_store::{Event, EventId, EventRecord, SessionId};

use crate::course::{Course, ItemIx, LessonIx};
use crate::policy::PolicyKind;
use crate::predictor::Attempt;

/// The item on screen in a session.
#[derive(Debug, Clone, PartialEq)]
pub struct Presentation {
    pub item: ItemIx,
    /// The item's revision when it was shown (`None` in events written before revisions were
    /// recorded): a pack upgrade may change the item while it is on screen.
    pub revision: Option<i64>,
    /// The policy's sentence as the screen gave it (in the language of that moment).
    pub reason: String,
    /// The same reason as data (`policy::Reason` as JSON), when the showing recorded it.
    pub why: Option<serde_json::Value>,
    /// The skill (its id) the policy chose the item for, when the showing recorded it.
    pub skill: Option<String>,
    pub shown_ms: i64,
    /// Highest hint rung seen (the solution counts as the last rung).
    pub hints: u8,
    /// The rungs seen, one bit each (bit `k - 1` for rung `k`; rungs past 64 are not kept):
    /// opening the solution after rung 1 skips rung 2, which a step shown again must not list.
    pub seen: u64,
    pub solution: bool,
    pub answers: u32,
    pub wrong: u32,
    /// Answered right or skipped: the next step moves on.
    pub resolved: bool,
    pub skipped: bool,
}

impl Presentation {
    /// The reason the item was shown for, in `language`: said again from the stored data
    /// where the showing recorded it (and this engine knows its kind), else the sentence as
    /// it was shown.
    pub fn reason_in(&self, language: crate::Language) -> String {
        self.why
            .as_ref()
            .and_then(|w| crate::policy::say_again(w, language))
            .unwrap_or_else(|| self.reason.clone())
    }

    fn see(&mut self, rung: u32) {
        if (1..=64).contains(&rung) {
            self.seen |= 1 << (rung - 1);
        }
    }

    /// The rungs seen, lowest first.
    pub fn rungs_seen(&self) -> impl Iterator<Item = u8> + '_ {
        (1..=64u8).filter(move |k| self.seen & (1 << (k - 1)) != 0)
    }
}

/// One session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionState {
    pub id: SessionId,
    pub pack: String,
    /// The lesson practised, in the installed course; `None` for a whole-course session, and
    /// for one whose lesson an upgrade removed (`lesson_id` tells them apart).
    pub lesson: Option<LessonIx>,
    /// The id of the lesson the session was started on, as the pack had it then.
    pub lesson_id: Option<String>,
    pub policy: PolicyKind,
    pub started_ms: i64,
    /// The last activity: an item shown, an answer, a hint or a skip (ending is none).
    pub last_ms: i64,
    pub ended: bool,
    pub current: Option<Presentation>,
    /// The id of the item on screen when an upgrade has removed it from the installed course
    /// (`current` is then `None`), so a refusal can say why the learner's item is gone.
    pub removed_on_screen: Option<String>,
    pub items: u32,
    pub answered: u32,
    pub correct_first: u32,
    pub skipped: u32,
    pub hints: u32,
    /// Where the session's first answers begin in its course's history
    /// (`CourseHistory::attempts`): what came before is where the learner stood when the
    /// session began. `None` before its first answer.
    pub first_attempt: Option<usize>,
}

/// A learner's history on one course.
#[derive(Debug, Clone, Default)]
pub struct CourseHistory {
    /// First answers, oldest first.
    pub attempts: Vec<Attempt>,
    /// Items presented, oldest first.
    pub shown: Vec<ItemIx>,
    /// Aligned with `shown`: whether the learner skipped that showing without a first answer (a
    /// `skip` event while it was on screen). A showing left unanswered when a session ended was
    /// not skipped, nor one answered and then skipped.
    pub skipped: Vec<bool>,
}

/// Where a session is scoped and which policy runs it, kept in the store's settings under
/// `engine.session.<id>` (the `session_start` event has no field for them).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SessionScope {
    pub lesson: Option<String>,
    pub policy: PolicyKind,
}

/// The fold.
#[derive(Debug, Clone, Default)]
pub struct LearnerState {
    pub last_event: Option<EventId>,
    pub courses: HashMap<String, CourseHistory>,
    pub sessions: HashMap<SessionId, SessionState>,
}

impl LearnerState {
    /// Applies one event. `course` resolves a pack id to the loaded course (`None`: the pack is
    /// not installed any more; its events are skipped), `scope` a session's lesson and policy.
    pub fn apply(
        &mut self,
        rec: &EventRecord,
        course: &mut dyn FnMut(&str) -> Option<std::sync::Arc<crate::packs::LoadedCourse>>,
        scope: &mut dyn FnMut(SessionId) -> Option<SessionScope>,
    ) {
        self.last_event = Some(rec.id);
        let t = rec.time.0;
        match &rec.event {
            Event::SessionStart { pack, .. } => {
                let Some(pack) = pack else { return };
                let id = SessionId::from(rec.id);
                let sc = scope(id);
                let lesson_id = sc.as_ref().and_then(|s| s.lesson.clone());
                let lesson = lesson_id.as_ref().and_then(|l| {
                    course(pack)
                        .and_then(|c| c.course.lesson_ix(&ladder_core::LessonId::new(l.clone())))
                });
                self.sessions.insert(
                    id,
                    SessionState {
                        id,
                        pack: pack.clone(),
                        lesson,
                        lesson_id,
                        policy: sc.map(|s| s.policy).unwrap_or_default(),
                        started_ms: t,
                        last_ms: t,
                        ended: false,
                        current: None,
                        removed_on_screen: None,
                        items: 0,
                        answered: 0,
                        correct_first: 0,
                        skipped: 0,
                        hints: 0,
                        first_attempt: None,
                    },
                );
            }
            Event::SessionEnd { .. } => {
                // Ending is no activity: the duration runs to what the learner last did.
                if let Some(s) = rec.session.and_then(|id| self.sessions.get_mut(&id)) {
                    s.ended = true;
                }
            }
            ev => {
                let Some(item_ref) = ev.item() else { return };
                let loaded = course(&item_ref.pack);
                let found = loaded.as_ref().and_then(|l| {
                    l.course.item_ix(&ladder_core::ItemId::new(item_ref.item.clone()))
                });
                let (Some(loaded), Some(ix)) = (loaded, found) else {
                    // An item the installed course no longer has (an upgrade removed it). Shown,
                    // it still counts, and it replaces the item on screen: what was shown
                    // before must not take the answers meant for it.
                    if let (Event::ItemShown { .. }, Some(s)) =
                        (ev, rec.session.and_then(|id| self.sessions.get_mut(&id)))
                    {
                        s.items += 1;
                        s.last_ms = t;
                        s.current = None;
                        s.removed_on_screen = Some(item_ref.item.clone());
                    }
                    return;
                };
                let c: &Course = &loaded.course;
                let history = self.courses.entry(item_ref.pack.clone()).or_default();
                let session = rec.session.and_then(|id| self.sessions.get_mut(&id));
                match ev {
                    Event::ItemShown { reason, why, skill, .. } => {
                        history.shown.push(ix);
                        history.skipped.push(false);
                        if let Some(s) = session {
                            s.items += 1;
                            s.last_ms = t;
                            s.removed_on_screen = None;
                            s.current = Some(Presentation {
                                item: ix,
                                revision: item_ref.revision,
                                reason: reason.clone(),
                                why: why.clone(),
                                skill: skill.clone(),
                                shown_ms: t,
                                hints: 0,
                                seen: 0,
                                solution: false,
                                answers: 0,
                                wrong: 0,
                                resolved: false,
                                skipped: false,
                            });
                        }
                    }
                    Event::HintShown { level, .. } => {
                        if let Some(p) = session.and_then(|s| {
                            s.hints += 1;
                            s.last_ms = t;
                            s.current.as_mut()
                        }) {
                            p.hints = p.hints.max(u8::try_from(*level).unwrap_or(u8::MAX));
                            p.see(*level);
                        }
                    }
                    Event::SolutionViewed { .. } => {
                        // The worked solution is the ladder's last rung: it counts as one.
                        if let Some(p) = session.and_then(|s| {
                            s.hints += 1;
                            s.last_ms = t;
                            s.current.as_mut()
                        }) {
                            p.solution = true;
                            p.hints = c.items[ix].hint_levels;
                            p.see(u32::from(p.hints));
                        }
                    }
                    Event::Answer { correct, latency_ms, hint_level, .. } => {
                        let mut first = true;
                        let mut solution = false;
                        if let Some(s) = session {
                            s.last_ms = t;
                            if let Some(p) = s.current.as_mut().filter(|p| p.item == ix) {
                                first = p.answers == 0;
                                solution = p.solution;
                                p.answers += 1;
                                if *correct {
                                    p.resolved = true;
                                } else {
                                    p.wrong += 1;
                                }
                            }
                            if first {
                                s.first_attempt.get_or_insert(history.attempts.len());
                                s.answered += 1;
                                // Copied from the worked solution is not right first time.
                                s.correct_first += u32::from(*correct && !solution);
                            }
                        }
                        if first {
                            history.attempts.push(Attempt::from_logged(
                                ix,
                                *correct,
                                *hint_level,
                                solution,
                                *latency_ms,
                                t,
                            ));
                        }
                    }
                    Event::Skip { .. } => {
                        // Left by a skip without a first answer (one answered, then skipped,
                        // was answered: the reports count skips so too).
                        let unanswered = session
                            .as_ref()
                            .and_then(|s| s.current.as_ref())
                            .is_none_or(|p| p.answers == 0);
                        if let Some(k) =
                            history.shown.iter().rposition(|&i| i == ix).filter(|_| unanswered)
                        {
                            history.skipped[k] = true;
                        }
                        if let Some(s) = session {
                            s.skipped += 1;
                            s.last_ms = t;
                            if let Some(p) = s.current.as_mut() {
                                p.resolved = true;
                                p.skipped = true;
                            }
                        }
                    }
                    Event::SessionStart { .. } | Event::SessionEnd { .. } => {}
                }
            }
        }
    }
}
