//! `ladder pack ...`: validate and build are pure pack operations (ladder-pack); install, list
//! and remove change the learner store and live in `pack_store.rs`.

use std::process::ExitCode;

use clap::Subcommand;

use super::{pack_store, Context};

#[derive(Debug, Subcommand)]
pub enum PackCmd {
    /// Install or upgrade a pack (folder or .ladderpack) into the data directory.
    Install(pack_store::InstallArgs),
    /// List installed packs.
    List(pack_store::ListArgs),
    /// Remove an installed pack (learner history is always kept).
    Remove(pack_store::RemoveArgs),
}

pub fn run(ctx: &Context, cmd: PackCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        PackCmd::Install(a) => pack_store::install(ctx, a),
        PackCmd::List(a) => pack_store::list(ctx, a),
        PackCmd::Remove(a) => pack_store::remove(ctx, a),
    }
}
