//! `ladder learner ...`: profiles. `remove` archives a learner (hidden, history kept, undo with
//! `unarchive`); `delete` erases the learner from the database, its backups and the exports
//! Ladder wrote, and cannot be undone.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use ladder_store::{Learner, LearnerId, NewLearner, Store};

use super::db::open_store;
use super::Context;

#[derive(Debug, Subcommand)]
pub enum LearnerCmd {
    /// Add a learner profile.
    Add(AddArgs),
    /// List learners (archived ones with --all).
    List(ListArgs),
    /// Rename a learner.
    Rename {
        /// Learner id (`7`, or `#7` for the id alone) or exact name.
        learner: String,
        /// The new name (1 to 100 characters, not another learner's).
        new_name: String,
    },
    /// Archive a learner: hidden from lists, every answer kept (undo with `unarchive`).
    Remove {
        /// Learner id (`7`, or `#7` for the id alone) or exact name.
        learner: String,
    },
    /// Bring an archived learner back.
    Unarchive {
        /// Learner id (`7`, or `#7` for the id alone) or exact name.
        learner: String,
    },
    /// Write everything stored about a learner to a JSON file (docs/store.md).
    Export {
        /// Learner id (`7`, or `#7` for the id alone) or exact name.
        learner: String,
        /// The JSON file to write (not one of Ladder's own files); `-` for standard output.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Erase a learner for good: from the database file, its backups, and the exports Ladder
    /// wrote. Cannot be undone.
    Delete {
        /// Learner id (`7`, or `#7` for the id alone) or exact name.
        learner: String,
        /// Do not ask for confirmation (required when not at a terminal).
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The learner's name as the picker shows it (1 to 100 characters, not another learner's).
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Include archived learners.
    #[arg(long)]
    pub all: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, cmd: LearnerCmd) -> anyhow::Result<ExitCode> {
    let mut store = open_store(ctx)?;
    match cmd {
        LearnerCmd::Add(a) => {
            let new = NewLearner { name: a.name, avatar: None, colour: None };
            println!("{}", add(&mut store, &new)?);
        }
        LearnerCmd::List(a) => {
            let learners = store.read(|tx| tx.learners(a.all))?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&learners)?);
            } else {
                for l in learners {
                    let events = store.read(|tx| tx.event_count(l.id))?;
                    let archived = if l.archived.is_some() { "  (archived)" } else { "" };
                    println!("{:>4}  {}  {events} events{archived}", l.id, l.name);
                }
            }
        }
        LearnerCmd::Rename { learner, new_name } => {
            let l = find(&store, &learner)?;
            println!("{}", rename(&mut store, &l, &new_name)?);
        }
        LearnerCmd::Remove { learner } => {
            let l = find(&store, &learner)?;
            store.transact(|tx| tx.archive_learner(l.id))?;
            println!(
                "archived learner {}: {} (history kept; `ladder learner unarchive {}` undoes it, \
                 `ladder learner delete {}` erases it)",
                l.id, l.name, l.id, l.id
            );
        }
        LearnerCmd::Unarchive { learner } => {
            let l = find(&store, &learner)?;
            store.transact(|tx| tx.unarchive_learner(l.id))?;
            println!("learner {} is active again: {}", l.id, l.name);
        }
        LearnerCmd::Export { learner, output } if output.as_os_str() == "-" => {
            // To the screen or a pipe, as `ladder report -o -` does (it wrote a file named `-`).
            let l = find(&store, &learner)?;
            let export = store.export_learner(l.id)?;
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &export)?;
            writeln!(out)?;
            eprintln!(
                "exported learner {} ({} events) to standard output: Ladder does not know where it \
                 went, so `ladder learner delete {}` cannot erase copies of it",
                l.id,
                export.events.len(),
                l.id
            );
        }
        LearnerCmd::Export { learner, output } => {
            let l = find(&store, &learner)?;
            let export = store.write_learner_export(l.id, &output)?;
            println!(
                "exported learner {} ({} events) to {}\n`ladder learner delete {}` deletes this \
                 file too while it is unchanged: to keep it (for the learner's family, another \
                 school), copy it elsewhere first",
                l.id,
                export.events.len(),
                output.display(),
                l.id
            );
        }
        LearnerCmd::Delete { learner, yes } => {
            let l = match find(&store, &learner) {
                Ok(l) => l,
                // Gone from the database but still in a backup (a deletion cut short after its
                // commit, a restore of an older backup): those copies are erased.
                Err(e) => match only_in_copies(&store, &learner) {
                    Some(l) => l,
                    None => return Err(e),
                },
            };
            let gone = store.read(|tx| tx.learner(l.id))?.is_none();
            if !yes && !confirm(&l)? {
                anyhow::bail!("nothing was deleted");
            }
            let r = store.delete_learner(l.id)?;
            // Their answers leave the models too: a model version that learnt from them is set
            // aside now (as the app does), not at the next `ladder train`. Were that to fail, the
            // learner is deleted all the same and such a version does not run; the next job sets
            // it aside.
            let mut warnings = r.warnings;
            let (unlearned, failed) = ladder_engine::training::forget_after_deletion(&mut store);
            warnings.extend(failed);
            if gone {
                println!(
                    "learner {} ({}) was no longer in the database; erasing them from the \
                     backups and kept-aside files that still held them",
                    l.id, l.name
                );
            }
            println!(
                "deleted learner {} ({}): {} events erased; {} backup(s) cleaned, {} export(s) \
                 and {} checkpoint(s) deleted",
                l.id,
                l.name,
                r.events_deleted,
                r.backups_cleaned.len(),
                r.exports_deleted.len(),
                r.checkpoints_deleted.len() + unlearned.removed.len()
            );
            for f in &r.exports_deleted {
                println!("  deleted export: {}", f.display());
            }
            if !unlearned.message.is_empty() {
                println!("{}", unlearned.message);
            }
            for w in warnings {
                eprintln!("warning: {w}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds a learner and says so, with the name as stored (trimmed, spaces collapsed, invisible
/// characters removed, composed), which is the name every list shows.
fn add(store: &mut Store, new: &NewLearner) -> anyhow::Result<String> {
    let id = store.transact(|tx| tx.add_learner(new))?;
    Ok(format!("added learner {id}: {}", stored_name(store, id)?))
}

/// Renames a learner and says so, with the new name as stored.
fn rename(store: &mut Store, l: &Learner, new_name: &str) -> anyhow::Result<String> {
    store.transact(|tx| tx.rename_learner(l.id, new_name))?;
    Ok(format!("renamed learner {}: {} -> {}", l.id, l.name, stored_name(store, l.id)?))
}

fn stored_name(store: &Store, id: LearnerId) -> anyhow::Result<String> {
    let l = store.read(|tx| tx.learner(id))?;
    l.map(|l| l.name).ok_or_else(|| anyhow::anyhow!("learner {id} is gone"))
}

fn confirm(l: &Learner) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("`learner delete` cannot be undone: pass --yes to confirm");
    }
    eprint!(
        "Erase learner {} ({}) and all their history, backups included, and the exports and \
         reports Ladder wrote with their data (copy any you mean to keep elsewhere first)? \
         This cannot be undone. Type the learner's id to confirm: ",
        l.id, l.name
    );
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim() == l.id.to_string())
}

/// A learner given by id (`7` or `#7`) whom the database no longer holds but a backup or a file
/// a restore moved aside does, as that copy names them.
fn only_in_copies(store: &Store, key: &str) -> Option<Learner> {
    let key = key.trim();
    let id: LearnerId = key.strip_prefix('#').unwrap_or(key).trim().parse().ok()?;
    // A learner still in the database was refused by `find` for a reason (an ambiguous key).
    if store.read(|tx| tx.learner(id)).ok()?.is_some() {
        return None;
    }
    let (name, _) = store.learner_in_copies(id)?;
    Some(Learner {
        id,
        name,
        created: ladder_store::Timestamp(0),
        avatar: None,
        colour: None,
        archived: None,
    })
}

/// A learner by id, or by exact (case-insensitive) name when that is unique. `#7` is the id
/// alone. A key that is one learner's id and another's name is refused as ambiguous: these
/// commands archive, export and erase, so they never guess.
fn find(store: &Store, key: &str) -> anyhow::Result<Learner> {
    let all = store.read(|tx| tx.learners(true))?;
    if let Some(id) = key.trim().strip_prefix('#') {
        let id: LearnerId =
            id.trim().parse().map_err(|_| anyhow::anyhow!("`{key}` is not a learner id"))?;
        return all.iter().find(|l| l.id == id).cloned().ok_or_else(|| {
            anyhow::anyhow!("no learner with id {id} (see `ladder learner list --all`)")
        });
    }
    // The store's comparison of names (composed form, spaces, invisible characters, case).
    let wanted = ladder_store::learner_name_key(key);
    let named: Vec<&Learner> =
        all.iter().filter(|l| ladder_store::learner_name_key(&l.name) == wanted).collect();
    let by_id = key.trim().parse::<LearnerId>().ok().and_then(|id| all.iter().find(|l| l.id == id));
    match (by_id, named.as_slice()) {
        (Some(l), []) => Ok(l.clone()),
        (Some(l), [other, ..]) if other.id != l.id => anyhow::bail!(
            "`{key}` is both learner {} ({}) and the name of learner {}: write #{} for the first, \
             #{} for the second",
            l.id,
            l.name,
            other.id,
            l.id,
            other.id
        ),
        (Some(l), _) => Ok(l.clone()),
        (None, [one]) => Ok((*one).clone()),
        (None, []) => anyhow::bail!("no learner {key:?} (see `ladder learner list --all`)"),
        (None, _) => anyhow::bail!("several learners are called {key:?}: use the id"),
    }
}

/// A learner's id as the `--learner` (and `--learners`) flags of `ladder train` and `ladder
/// report` take it, spaces around it allowed ("1, 2"); a name is refused with where to find the
/// ids.
pub(super) fn learner_id(s: &str) -> Result<i64, String> {
    s.trim().parse().map_err(|_| {
        format!(
            "a learner is given by id, a whole number (`ladder learner list` shows each \
             learner's), not {s:?}"
        )
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A key that is one learner's id and another learner's name is refused, never guessed;
    /// `#id` says the id.
    #[test]
    fn an_id_that_is_also_a_name_is_refused_as_ambiguous() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        add(&mut store, &NewLearner::named("Ana")).unwrap();
        add(&mut store, &NewLearner::named("1")).unwrap();
        add(&mut store, &NewLearner::named("Bo")).unwrap();
        let err = find(&store, "1").unwrap_err().to_string();
        assert!(err.contains("#1") && err.contains("#2") && err.contains("Ana"), "{err}");
        assert_eq!(find(&store, "#1").unwrap().name, "Ana");
        assert_eq!(find(&store, "# 2").unwrap().name, "1");
        assert_eq!(find(&store, "3").unwrap().name, "Bo", "an id no one is named");
        assert_eq!(find(&store, "bo").unwrap().id, LearnerId(3));
        assert!(find(&store, "#9").unwrap_err().to_string().contains("no learner with id 9"));
        assert!(find(&store, "#x").is_err());
    }

    /// The name printed is the one stored and listed, not the one typed: `learner add` used to
    /// echo `Ana   María` (with a zero-width space) for the `Ana María` it stored.
    #[test]
    fn add_and_rename_print_the_name_as_stored() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let typed = NewLearner::named("  Ana   Mari\u{301}a\u{200b} ");
        assert_eq!(add(&mut store, &typed).unwrap(), "added learner 1: Ana Mar\u{ed}a");
        let ana = find(&store, "1").unwrap();
        assert_eq!(
            rename(&mut store, &ana, "\u{feff}Bo    Lee ").unwrap(),
            "renamed learner 1: Ana Mar\u{ed}a -> Bo Lee"
        );
    }
}
