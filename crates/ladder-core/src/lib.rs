//! ladder-core: Ladder's domain types and pure logic, with no IO.
//!
//! - [`ids`]: newtype ids (`PackId`, `SkillId`, `LessonId`, `ItemId`, `LearnerId`) so that
//!   arguments cannot be swapped.
//! - [`course`] and [`item`]: skills, lessons and items (five kinds) as a course pack defines them
//!   (`docs/pack-format.md`). Every type is serde with stable snake_case field names: the store
//!   keeps items as JSON and the UI receives them.
//! - [`grading`]: given an item and a learner's [`Answer`], is it right, which feedback applies,
//!   and which cloze blanks were right.
//!
//! ```
//! use ladder_core::{grade, Answer, Item, ItemKind, NumericAnswer};
//!
//! let item = Item {
//!     id: "half".into(),
//!     lesson: "meaning".into(),
//!     skills: vec!["meaning".into()],
//!     prompt: "What is one half as a decimal?".into(),
//!     difficulty: None,
//!     hints: vec![],
//!     solution: None,
//!     feedback: vec![],
//!     answer_language: None,
//!     kind: ItemKind::Numeric(NumericAnswer {
//!         answer: 0.5,
//!         tolerance: 0.0,
//!         fractions: true,
//!         unit: None,
//!     }),
//! };
//! assert!(grade(&item, &Answer::Text(" 1 / 2 ".into())).unwrap().correct);
//! assert!(grade(&item, &Answer::Text("0,50".into())).unwrap().correct);
//! ```

pub mod course;
pub mod error;
pub mod grading;
pub mod ids;
pub mod item;

pub use course::{Lesson, Skill};
pub use error::{Error, Result};
pub use grading::{grade, Answer, Grade};
pub use ids::{is_valid_id, ItemId, LearnerId, LessonId, PackId, SkillId};
pub use item::{Accents, Blank, Feedback, Item, ItemKind, NumericAnswer, TextAnswer};
