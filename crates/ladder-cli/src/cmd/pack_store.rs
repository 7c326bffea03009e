//! `ladder pack install|list|remove`: pack operations that touch the learner store.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use ladder_store::PackDiff;

use super::db::open_store;
use super::Context;

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// A pack folder or a .ladderpack file.
    pub path: PathBuf,
    /// Show what would change without applying it.
    #[arg(long)]
    pub dry_run: bool,
    /// The language of the pack's problems: en (English) or es (Spanish).
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = super::pack::parse_language)]
    pub language: ladder_pack::Lang,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Include packs removed with --force (kept for their history).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The pack id.
    pub id: String,
    /// Remove even when learners have history with it (the history is kept).
    #[arg(long)]
    pub force: bool,
}

/// Validates the pack, prints what is new, changed and removed (items matched by id), and
/// installs it all or nothing (unless `--dry-run`). A pack with errors exits 1, as for
/// `pack validate` and `pack build` (docs/pack-format.md, "Exit status").
pub fn install(ctx: &Context, a: InstallArgs) -> anyhow::Result<ExitCode> {
    let checked = ladder_pack::validate(&a.path)?;
    let Some(pack) = checked.pack else {
        eprint!("{}", checked.report.render(a.language));
        match a.language {
            ladder_pack::Lang::Es => eprintln!(
                "error: {} no es un paquete válido: no se ha instalado nada",
                a.path.display()
            ),
            _ => {
                eprintln!("error: {} is not a valid pack: nothing was installed", a.path.display())
            }
        }
        return Ok(ExitCode::from(1));
    };
    for w in &checked.report.warnings {
        eprintln!("{}", w.line_in(a.language));
    }
    let content = ladder_engine::packs::pack_content(&pack)?;
    let es = a.language == ladder_pack::Lang::Es;
    if a.dry_run && ctx.existing_data_dir().is_err() {
        // No Ladder data there (a first install, or a mistyped --data-dir): compared with
        // nothing installed, without starting a store there as a real install would.
        let dir = ctx.data_dir()?;
        if es {
            eprintln!(
                "todavía no hay datos de Ladder en {}: se compara con nada instalado (`ladder pack \
                 install` sin --dry-run los crea ahí)",
                dir.display()
            );
        } else {
            eprintln!(
                "no Ladder data at {} yet: compared with nothing installed (`ladder pack install` \
                 without --dry-run starts it there)",
                dir.display()
            );
        }
        print_diff(&PackDiff::first_install(&content), &[], a.language);
        println!(
            "{}",
            if es { "simulación: no se ha cambiado nada" } else { "dry run: nothing was changed" }
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut store = open_store(ctx)?;
    // What the counts of the diff do not name (skills, lessons, pack.toml, pictures, renames),
    // compared with the same installed version the install compares with.
    let language = if es { ladder_engine::Language::Es } else { ladder_engine::Language::En };
    let lines = ladder_engine::packs::change_lines(&store, &content, language)?;
    let diff = match store.install_pack(&content, a.dry_run) {
        Ok(diff) => diff,
        // A refusal (an older version, the same version changed) in Spanish, as the app says it.
        Err(e) if es => match ladder_engine::packs::install_refusal_in(
            &store,
            &a.path,
            ladder_engine::Language::Es,
        ) {
            Some(said) => anyhow::bail!("{said}"),
            None => return Err(e.into()),
        },
        Err(e) => return Err(e.into()),
    };
    print_diff(&diff, &lines, a.language);
    let (pack, version) = (&diff.pack, &diff.to_version);
    match (diff.is_noop(), a.dry_run, es) {
        (true, _, false) => println!("already installed: nothing to do"),
        (true, _, true) => println!("ya está instalado: no hay nada que hacer"),
        (false, true, false) => println!("dry run: nothing was changed"),
        (false, true, true) => println!("simulación: no se ha cambiado nada"),
        (false, false, false) => println!("installed {pack} {version}"),
        (false, false, true) => println!("instalado {pack} {version}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The words of an install report, in English or Spanish.
struct DiffWords {
    new_pack: &'static str,
    added: &'static str,
    changed: &'static str,
    removed: &'static str,
    unchanged: &'static str,
    history: &'static str,
    history_note: &'static str,
    returning: &'static str,
}

const DIFF_EN: DiffWords = DiffWords {
    new_pack: "new pack",
    added: "new",
    changed: "changed",
    removed: "removed",
    unchanged: "unchanged",
    history: "history kept for removed items",
    history_note: "their answers stay in each learner's log and export, but no longer count \
                   toward mastery or reports",
    returning: "removed earlier: installing brings it back, and every learner's answers on it \
                count again",
};

const DIFF_ES: DiffWords = DiffWords {
    new_pack: "paquete nuevo",
    added: "añadidos",
    changed: "cambiados",
    removed: "eliminados",
    unchanged: "sin cambios",
    history: "se conserva el historial de los ejercicios eliminados",
    history_note: "sus respuestas siguen en el registro y en la exportación de cada alumno, \
                   pero ya no cuentan para el dominio ni para los informes",
    returning: "se quitó antes: al instalarlo vuelve, y las respuestas de todos los alumnos \
                vuelven a contar",
};

fn print_diff(d: &PackDiff, lines: &[ladder_engine::packs::ChangeLine], lang: ladder_pack::Lang) {
    let w = match lang {
        ladder_pack::Lang::Es => &DIFF_ES,
        _ => &DIFF_EN,
    };
    match &d.from_version {
        Some(v) if d.returning => {
            println!("{} {} -> {} ({})", d.pack, v, d.to_version, w.returning)
        }
        Some(v) => println!("{} {} -> {}", d.pack, v, d.to_version),
        None => println!("{} {} ({})", d.pack, d.to_version, w.new_pack),
    }
    let list = |label: &str, ids: &[String]| {
        if !ids.is_empty() {
            print!("{}", wrap_ids(&format!("  {label} ({}): ", ids.len()), ids, 100));
        }
    };
    list(w.added, &d.added);
    list(w.changed, &d.changed);
    list(w.removed, &d.removed);
    if !d.removed_with_history.is_empty() {
        println!("  {}: {} ({})", w.history, d.removed_with_history.join(", "), w.history_note);
    }
    println!("  {}: {}", w.unchanged, d.unchanged);
    // Skills, lessons, pack.toml, pictures and likely renames, by name.
    for line in lines {
        if line.ids.is_empty() {
            println!("  {}", line.label);
        } else {
            list(&line.label, &line.ids);
        }
    }
}

/// `head` then the ids separated by commas, wrapped at `width` columns; continuation lines are
/// indented under the first id, so a pack of 130 items reads as a block, not one long line.
fn wrap_ids(head: &str, ids: &[String], width: usize) -> String {
    let indent = " ".repeat(head.chars().count());
    let mut out = String::from(head);
    let mut col = head.chars().count();
    for (i, id) in ids.iter().enumerate() {
        let piece = if i + 1 < ids.len() { format!("{id},") } else { id.clone() };
        let len = piece.chars().count();
        if i > 0 {
            if col + 1 + len > width {
                out.push('\n');
                out.push_str(&indent);
                col = indent.len();
            } else {
                out.push(' ');
                col += 1;
            }
        }
        out.push_str(&piece);
        col += len;
    }
    out.push('\n');
    out
}

pub fn list(ctx: &Context, a: ListArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(ctx)?;
    let (packs, removed_here) = store.read(|tx| Ok((tx.packs(a.all)?, tx.removed_packs()?)))?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&packs)?);
        return Ok(ExitCode::SUCCESS);
    }
    if packs.iter().all(|p| p.removed.is_some()) {
        println!("no packs installed");
    }
    for p in &packs {
        let removed = if p.removed.is_some() { "  (removed, history kept)" } else { "" };
        println!(
            "{}  {}  {}  {} items, {} learner(s) with history{removed}",
            p.id, p.version, p.title, p.items, p.learners_with_history
        );
    }
    if a.all {
        // Removed without history: no row is left, only the removal is remembered.
        for r in removed_here.iter().filter(|r| packs.iter().all(|p| p.id != r.id)) {
            println!("{}  {}  {}  (removed, no history)", r.id, r.version, r.title);
        }
        if !removed_here.is_empty() {
            println!(
                "removed packs are left alone by the app's preload folder until `ladder pack install` \
                 (or the app's tutor area) installs them again"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn remove(ctx: &Context, a: RemoveArgs) -> anyhow::Result<ExitCode> {
    let mut store = open_store(ctx)?;
    let learners = match store.remove_pack(&a.id, a.force) {
        Err(e) if e.kind() == ladder_store::ErrorKind::NotFound => {
            anyhow::bail!("{}", not_installed(&store, &a.id)?)
        }
        other => other?,
    };
    if learners > 0 {
        println!("removed pack {} (history of {learners} learner(s) kept)", a.id);
    } else {
        println!("removed pack {}", a.id);
    }
    println!(
        "the app's preload folder will not install it again; `ladder pack install` brings it back"
    );
    Ok(ExitCode::SUCCESS)
}

/// Why `typed` cannot be removed, and what to type instead: a pack removed already, the id of
/// an installed pack whose title (or id in other letters) was typed, or the installed ids.
fn not_installed(store: &ladder_store::Store, typed: &str) -> anyhow::Result<String> {
    let (packs, removed) = store.read(|tx| Ok((tx.packs(true)?, tx.removed_packs()?)))?;
    let head = format!("no installed pack has the id {typed}");
    let kept = packs.iter().any(|p| p.id == typed && p.removed.is_some());
    if kept || removed.iter().any(|r| r.id == typed) {
        let history = if kept { ", with its learners' history kept" } else { "" };
        return Ok(format!(
            "{head}: {typed} was removed already{history} (`ladder pack list --all` shows it; \
             `ladder pack install` brings it back)"
        ));
    }
    let installed: Vec<_> = packs.iter().filter(|p| p.removed.is_none()).collect();
    let folded = typed.trim().to_lowercase();
    let meant = installed
        .iter()
        .find(|p| p.id.to_lowercase() == folded || p.title.trim().to_lowercase() == folded);
    Ok(match meant {
        Some(p) => format!(
            "{head}: did you mean `ladder pack remove {}` (\"{}\")? A pack is removed by its id \
             (`ladder pack list` shows them)",
            p.id, p.title
        ),
        None if installed.is_empty() => format!("{head}: no pack is installed"),
        None => {
            let ids: Vec<String> =
                installed.iter().map(|p| format!("{} (\"{}\")", p.id, p.title)).collect();
            format!("{head}; installed: {} (`ladder pack list` shows them)", ids.join(", "))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::wrap_ids;

    #[test]
    fn long_id_lists_wrap_under_the_first_id_and_keep_every_id() {
        let ids: Vec<String> = (1..=40).map(|i| format!("meaning-{i:03}")).collect();
        let out = wrap_ids("  new (40): ", &ids, 60);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 4, "{out}");
        assert!(lines[0].starts_with("  new (40): meaning-001,"), "{out}");
        for l in &lines {
            assert!(l.chars().count() <= 60, "line too long: {l:?}");
        }
        for l in &lines[1..] {
            assert!(l.starts_with("            meaning-"), "not indented under the ids: {l:?}");
        }
        let back: Vec<&str> = out
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|w| w.starts_with("meaning-"))
            .collect();
        assert_eq!(back, ids.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(out.trim_end().ends_with("meaning-040"), "no comma after the last id: {out}");
    }

    #[test]
    fn a_short_list_stays_on_one_line() {
        let ids = vec!["half-004".to_string()];
        assert_eq!(wrap_ids("  new (1): ", &ids, 100), "  new (1): half-004\n");
    }
}
