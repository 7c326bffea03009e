//! `ladder serve`

use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct ServeArgs {}

pub fn run(_ctx: &Context, _args: ServeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`ladder serve` is not implemented yet")
}
