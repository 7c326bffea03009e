//! `ladder simulate`

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct SimulateArgs {}

pub fn run(_ctx: &Context, _args: SimulateArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`ladder simulate` is not implemented yet")
}
