//! `ladder pack ...`

use std::process::ExitCode;

use clap::Subcommand;

use super::Context;

#[derive(Debug, Subcommand)]
pub enum PackCmd {}

pub fn run(_ctx: &Context, cmd: PackCmd) -> anyhow::Result<ExitCode> {
    match cmd {}
}
