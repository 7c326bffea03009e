//! `ladder`: the command-line front end of Ladder.
//!
//! Every subcommand lives in its own module under `cmd/` and talks only to the library crates
//! (ultimately to `ladder-engine`). `main` only parses arguments, resolves the data directory and
//! turns errors into an exit status.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

// Training and inference allocate and free many large tensors; glibc's allocator maps and unmaps
// each of them, mimalloc keeps them (DESIGN.md section 7: training step 1.65x faster).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Ladder: an offline adaptive tutor. Course packs, learner history, a small on-device model.
#[derive(Debug, Parser)]
#[command(name = "ladder", version)]
pub struct Cli {
    /// Data directory (database, installed packs, models, backups).
    /// Default: $LADDER_DATA_DIR, else the OS application-data folder. Commands that read stored
    /// data refuse a folder that holds none; `learner add`, `pack install`, `serve`, `db restore`
    /// and `train --from-csv` start a new store there.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Course packs: new, validate, build, install, list, remove.
    #[command(subcommand)]
    Pack(cmd::pack::PackCmd),
    /// Learner profiles: add, list, rename, remove, export, delete.
    #[command(subcommand)]
    Learner(cmd::learner::LearnerCmd),
    /// The database: integrity check, backups, restore.
    #[command(subcommand)]
    Db(cmd::db::DbCmd),
    /// Pre-train or fine-tune the model on stored history or an interaction CSV.
    Train(cmd::train::TrainArgs),
    /// Evaluate the model and baselines on an interaction CSV, by student, over the folds of folds.csv.
    Eval(cmd::eval::EvalArgs),
    /// Serve the engine's operations as JSON lines on stdin/stdout (see docs/api.md).
    Serve(cmd::serve::ServeArgs),
    /// Run teaching policies against simulated students and report items to mastery.
    Simulate(cmd::simulate::SimulateArgs),
    /// A tutor's progress report for a learner or a class (HTML, PDF, CSV or JSON).
    Report(cmd::report::ReportArgs),
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    // Before any thread or tensor: element-wise ops on one thread, freed memory kept (training
    // speed; see ladder_model::runtime and docs/benchmarks.md).
    ladder_model::runtime::tune_for_training();
    let cli = Cli::parse();
    let ctx = cmd::Context::new(cli.data_dir);
    if reads_existing_data(&cli.command) {
        if let Err(e) = ctx.existing_data_dir() {
            eprintln!("error: {e:#}");
            return ExitCode::from(2);
        }
    }
    let result = match cli.command {
        Command::Pack(c) => cmd::pack::run(&ctx, c),
        Command::Learner(c) => cmd::learner::run(&ctx, c),
        Command::Db(c) => cmd::db::run(&ctx, c),
        Command::Train(c) => cmd::train::run(&ctx, c),
        Command::Eval(c) => cmd::eval::run(&ctx, c),
        Command::Serve(c) => cmd::serve::run(&ctx, c),
        Command::Simulate(c) => cmd::simulate::run(&ctx, c),
        Command::Report(c) => cmd::report::run(&ctx, c),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether the command works on data already there: it then refuses a data directory that holds
/// no Ladder data instead of creating an empty store in it (a mistyped `--data-dir` listed no
/// learners, and `ladder train` then said there were too few answers). The commands that start
/// a store (`pack install`, `learner add`, `serve`, `db restore`, `train --from-csv`) and those
/// that use none (`pack new/validate/build`, `eval`, `simulate`, `train --simulated`) may run
/// on a new folder.
fn reads_existing_data(command: &Command) -> bool {
    use cmd::db::DbCmd;
    use cmd::learner::LearnerCmd;
    use cmd::pack::PackCmd;
    match command {
        Command::Pack(PackCmd::List(_) | PackCmd::Remove(_)) => true,
        Command::Pack(_) => false,
        Command::Learner(LearnerCmd::Add(_)) => false,
        Command::Learner(_) => true,
        Command::Db(DbCmd::Restore(_)) => false,
        Command::Db(_) => true,
        // `-o` writes a model folder from a CSV or simulated learners, not from the store.
        Command::Train(t) => t.from_csv.is_none() && !t.simulated && t.output.is_none(),
        Command::Report(_) => true,
        Command::Eval(_) | Command::Serve(_) | Command::Simulate(_) => false,
    }
}

/// Output piped into a reader that stops early (`ladder learner list | head -1`): Rust ignores
/// SIGPIPE, so the next `println!` panicked with "failed printing to stdout: Broken pipe". The
/// command ends there quietly instead, with the status a shell gives a process stopped by a
/// closed pipe (128 + SIGPIPE). Every other panic is reported as before.
fn quiet_on_closed_pipe() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to std") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        report(info);
    }));
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every argument of every command says what it is in `--help` (`learner export -o FILE` and
    /// `learner add NAME` showed nothing beside them).
    #[test]
    fn every_argument_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let path = format!("{path} {}", cmd.get_name());
            for arg in cmd.get_arguments() {
                let builtin = matches!(arg.get_id().as_str(), "help" | "version");
                if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "arguments without help: {missing:?}");
    }
}
