//! ladder-model: the learner model of Ladder.
//!
//! A small transformer over learner histories (one token per answer), trained by masked-token
//! prediction to give, for one learner and a set of candidate items, the probability of a
//! correct first answer to each, plus per-skill mastery with an uncertainty. Also here: the
//! interaction-CSV reader, the BKT and logistic PFA baselines, checkpoints and the evaluation
//! protocol behind `ladder eval`. `docs/model.md` has the design and the measured figures.
//!
//! ```
//! use ladder_model::infer::Candidate;
//! use ladder_model::model::ModelConfig;
//! use ladder_model::synth::{generate, SynthSpec};
//! use ladder_model::train::{train, TrainInput, TrainSettings};
//!
//! // Learner sequences with string ids (here synthetic; in the app, from the store or a pack).
//! let learners = generate(&SynthSpec { learners: 40, max_len: 20, ..Default::default() });
//! let out = train(TrainInput {
//!     sequences: learners.clone(),
//!     config: ModelConfig { d_model: 16, max_len: 32, ..Default::default() },
//!     settings: TrainSettings { epochs: 1, ..Default::default() },
//!     ..Default::default()
//! })?;
//! let model = out.model;
//! // Encode one learner's history once, then score candidates in one batched pass.
//! let state = model.encode_history(&learners[0].events)?;
//! let p = model.score(&state, &[Candidate::new("item3", &["skill3"]), Candidate::new("new", &["skill1"])])?;
//! assert!(p.iter().all(|p| (0.0..=1.0).contains(p)));
//! let mastery = model.mastery(&state, &["skill1".to_string()])?;
//! assert!(mastery[0].sd > 0.0);
//! # Ok::<(), ladder_model::Error>(())
//! ```
pub mod batch;
pub mod bkt;
pub mod checkpoint;
pub mod data;
pub mod device;
pub mod error;
pub mod eval;
pub mod fused;
pub mod infer;
pub mod metrics;
pub mod model;
pub mod pfa;
pub mod replay;
pub mod runtime;
pub mod synth;
pub mod train;

pub use error::{Error, Result};
