//! Skills and lessons: the structure of a course pack above its items.

use serde::{Deserialize, Serialize};

use crate::ids::{ItemId, LessonId, SkillId};

/// One skill of a pack: the unit the learner model tracks mastery of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skill {
    pub id: SkillId,
    /// Short name shown to learners and teachers.
    pub name: String,
    /// One or two sentences (Markdown) saying what mastering the skill means.
    pub description: String,
    /// Skills that must be mastered before this one; never forms a cycle in a valid pack.
    #[serde(default)]
    pub prerequisites: Vec<SkillId>,
}

/// One lesson: an introduction and the items that practise it, in file order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub id: LessonId,
    pub title: String,
    /// The skills this lesson teaches.
    pub skills: Vec<SkillId>,
    /// `true`: always present the items in file order; `false`: the policy may reorder them.
    #[serde(default)]
    pub fixed_order: bool,
    /// Markdown shown before the first item; may be empty.
    #[serde(default)]
    pub intro: String,
    /// The ids of this lesson's items, in file order.
    #[serde(default)]
    pub items: Vec<ItemId>,
}
