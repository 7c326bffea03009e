//! ladder-model: the learner model of Ladder.
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
pub mod synth;
pub mod train;

pub use error::{Error, Result};
