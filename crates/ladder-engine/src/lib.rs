//! ladder-engine: the one place where a session happens.
//!
//! The desktop app, `ladder serve --stdio` and `ladder simulate` are front ends on this crate
//! (see docs/architecture.md and docs/api.md). It owns sessions, the next-step and hint
//! policies, the learner-model interface ([`predictor::Predictor`]) with a built-in fallback,
//! and the simulated students that measure the policies.

pub mod admin;
pub mod api;
pub mod course;
pub mod engine;
pub mod error;
pub mod hints;
pub mod language;
pub mod packs;
pub mod policy;
pub mod predictor;
pub mod settings;
pub mod sim;
pub mod state;
pub mod training;
pub mod view;
#[cfg(feature = "ts")]
pub mod wire_ts;

pub use engine::{scope_key, step_seed, Clock, Engine, EngineOptions};
pub use error::{Error, ErrorKind, Result};
pub use hints::HintDecision;
/// Process settings for candle (training speed), set by front ends at the start of `main`.
pub use ladder_model::runtime;
pub use language::Language;
pub use policy::PolicyKind;
pub use settings::Settings;
