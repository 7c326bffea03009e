//! `ladder db ...`

use std::process::ExitCode;

use clap::Subcommand;

use super::Context;

#[derive(Debug, Subcommand)]
pub enum DbCmd {}

pub fn run(_ctx: &Context, cmd: DbCmd) -> anyhow::Result<ExitCode> {
    match cmd {}
}
