//! `ladder pack install|list|remove`: pack operations that touch the learner store.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::Context;

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// A pack folder or a .ladderpack file.
    pub path: PathBuf,
    /// Show what would change without applying it.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The pack id.
    pub id: String,
    /// Remove even when learners have history with it (the history is kept).
    #[arg(long)]
    pub force: bool,
}

pub fn install(_ctx: &Context, _a: InstallArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`ladder pack install` is not implemented yet")
}

pub fn list(_ctx: &Context, _a: ListArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`ladder pack list` is not implemented yet")
}

pub fn remove(_ctx: &Context, _a: RemoveArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`ladder pack remove` is not implemented yet")
}
