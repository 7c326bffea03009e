//! `ladder db ...`: integrity check, backups, restore. Also the one way every store command
//! opens the database (`open_store`), so that damage is reported the same everywhere.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use ladder_store::{DailyBackup, ErrorKind, OpenOptions, Store, StoreError};

use super::Context;

#[derive(Debug, Subcommand)]
pub enum DbCmd {
    /// Check the database and every backup (exit 1 if the database is damaged).
    Check,
    /// Take a backup now (backups are also taken automatically once a day).
    Backup,
    /// List the backups, newest first.
    Backups,
    /// Replace the database with a backup (default: the newest good one). The current file is
    /// kept beside it. Close the app first.
    Restore(RestoreArgs),
    /// Remove the tutor PIN when it is forgotten (whoever can run this on the data directory
    /// can read the database anyway). Learners' data is untouched; set a new PIN in the app.
    ClearPin(ClearPinArgs),
}

#[derive(Debug, Args)]
pub struct ClearPinArgs {
    /// Do it without asking.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup file, or the name of one in `<data-dir>/backups/`.
    pub backup: Option<PathBuf>,
}

pub fn run(ctx: &Context, cmd: DbCmd) -> anyhow::Result<ExitCode> {
    let dir = ctx.data_dir()?;
    match cmd {
        DbCmd::Check => check(&dir),
        DbCmd::Backup => {
            let store = open_store(ctx)?;
            let path = store.backup_now()?;
            println!("backup written: {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        DbCmd::Backups => {
            let now = ladder_store::Timestamp::now();
            for b in ladder_store::list_backups(&dir) {
                println!(
                    "{}  {:>10} bytes  {}{}",
                    b.time.display_utc(),
                    b.size,
                    b.path.display(),
                    future_note(&b, now)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        DbCmd::ClearPin(a) => {
            let mut store = open_store(ctx)?;
            if !store.read(|tx| tx.has_pin())? {
                println!("no tutor PIN is set");
                return Ok(ExitCode::SUCCESS);
            }
            if !a.yes && !confirm_clear_pin()? {
                println!("nothing changed");
                return Ok(ExitCode::from(1));
            }
            store.clear_pin()?;
            println!("the tutor PIN is removed: set a new one in the app's Settings");
            Ok(ExitCode::SUCCESS)
        }
        DbCmd::Restore(a) => {
            let chosen = a.backup.map(|b| resolve_backup(&dir, &b)).transpose()?;
            let report = ladder_store::restore(&dir, chosen.as_deref())?;
            println!("restored {}", report.restored_from.display());
            if let Some(old) = report.previous_kept_at {
                println!(
                    "the previous database was kept as {} (`ladder db restore \"{}\"` brings it \
                     back)",
                    old.display(),
                    old.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Asks on the terminal; without one, `--yes` is needed.
fn confirm_clear_pin() -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("`db clear-pin` opens the tutor area to anyone: pass --yes to confirm");
    }
    eprint!("Remove the tutor PIN? The tutor area and settings open without one. [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// The file `b` names: a path, else a name in `<data-dir>/backups/`. A name found in neither
/// place, or a folder, is refused here, before the store reports it as an unreadable database.
fn resolve_backup(dir: &Path, b: &Path) -> anyhow::Result<PathBuf> {
    let backups = dir.join(ladder_store::BACKUP_DIR);
    let found = if b.exists() { b.to_path_buf() } else { backups.join(b) };
    if !found.exists() {
        anyhow::bail!(
            "no backup file {} here or in {}: `ladder db backups` lists the backups",
            b.display(),
            backups.display()
        );
    }
    if found.is_dir() {
        anyhow::bail!("{} is a folder, not a backup file", found.display());
    }
    Ok(found)
}

fn check(dir: &Path) -> anyhow::Result<ExitCode> {
    let mut ok = true;
    // Damage a restore can mend (a damaged, missing or emptied file); other failures (a
    // read-only folder, a database from a newer Ladder) are not mended by a restore.
    let mut restorable = false;
    // Open without creating anything new and without the start-up backup: only look. A file
    // that is missing or empty while backups exist is lost, not new (`Store::open` refuses it).
    if ladder_store::database_absent(dir) && ladder_store::list_backups(dir).is_empty() {
        println!("database: none yet in {}", dir.display());
    } else {
        match Store::open_with(dir, &OpenOptions::default())
            .and_then(|s| Ok((s.integrity_check()?, s)))
        {
            Ok((problems, s)) if problems.is_empty() && s.is_read_only() => {
                ok = false;
                println!("database: read-only ({})", ladder_store::read_only_warning(s.db_path()));
            }
            Ok((problems, s)) if problems.is_empty() => {
                let learners = s.read(|tx| tx.learners(true))?.len();
                println!(
                    "database: ok (schema {}, {learners} learner(s)) {}",
                    s.schema_version()?,
                    s.db_path().display()
                );
            }
            Ok((problems, s)) => {
                ok = false;
                restorable = true;
                println!("database: DAMAGED {}", s.db_path().display());
                for p in problems {
                    println!("  {p}");
                }
            }
            Err(e) => {
                ok = false;
                restorable = matches!(e.kind(), ErrorKind::Corrupt | ErrorKind::Missing)
                    || dir.join(ladder_store::DB_FILE).is_dir();
                println!("database: {} ({e})", e.kind().as_str());
            }
        }
    }
    let backups = ladder_store::list_backups(dir);
    if backups.is_empty() {
        println!("backups: none");
    }
    for b in backups {
        let problems = ladder_store::check_backup(&b.path);
        let state = if problems.is_empty() { "ok".to_string() } else { problems.join("; ") };
        println!(
            "backup {}: {state}  {}{}",
            b.time.display_utc(),
            b.path.display(),
            future_note(&b, ladder_store::Timestamp::now())
        );
    }
    if restorable {
        println!("run `ladder db restore` to restore the newest good backup");
    }
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Said of a backup named in the future, which `list_backups` puts last.
fn future_note(b: &ladder_store::BackupInfo, now: ladder_store::Timestamp) -> &'static str {
    if b.named_in_future(now) {
        "  (named in the future: this device's clock was wrong when it was taken, or is now; \
         listed after the others)"
    } else {
        ""
    }
}

/// Opens the store as a front end does at start-up: integrity quick-check, then the daily
/// backup. A damaged (or missing) database is never replaced silently: the error names the
/// newest good backup, and at a terminal the user is offered to restore it.
///
/// A command waits for the daily backup before it goes on (`ladder_store::DailyBackup`): it has
/// no first screen to show meanwhile, and a command that exited first would cut the copy short.
pub fn open_store(ctx: &Context) -> anyhow::Result<Store> {
    let dir = ctx.data_dir()?;
    let warn = |s: Store| {
        for w in s.startup_warnings() {
            eprintln!("warning: {w}");
        }
        if let Some(w) = DailyBackup::start(s.data_dir()).wait().warning() {
            eprintln!("warning: {w}");
        }
        s
    };
    match Store::open_with(&dir, &OpenOptions::startup()).map(warn) {
        Ok(s) => Ok(s),
        Err(
            e @ (StoreError::Corrupt { backup: Some(_), .. }
            | StoreError::Missing { backup: Some(_), .. }),
        ) if std::io::stdin().is_terminal() => {
            eprintln!("{e}");
            eprint!("Restore the newest good backup now? [y/N] ");
            let _ = std::io::stderr().flush();
            let mut answer = String::new();
            std::io::stdin().lock().read_line(&mut answer)?;
            if !answer.trim().eq_ignore_ascii_case("y") {
                anyhow::bail!("nothing was changed");
            }
            let report = ladder_store::restore(&dir, None)?;
            eprintln!("restored {}", report.restored_from.display());
            Ok(warn(Store::open_with(&dir, &OpenOptions::startup())?))
        }
        Err(e) => Err(e.into()),
    }
}
