//! `ladder eval`

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct EvalArgs {}

pub fn run(_ctx: &Context, _args: EvalArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`ladder eval` is not implemented yet")
}
