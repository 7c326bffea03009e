//! `ladder learner ...`

use std::process::ExitCode;

use clap::Subcommand;

use super::Context;

#[derive(Debug, Subcommand)]
pub enum LearnerCmd {}

pub fn run(_ctx: &Context, cmd: LearnerCmd) -> anyhow::Result<ExitCode> {
    match cmd {}
}
