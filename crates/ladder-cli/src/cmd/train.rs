//! `ladder train`

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct TrainArgs {}

pub fn run(_ctx: &Context, _args: TrainArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`ladder train` is not implemented yet")
}
