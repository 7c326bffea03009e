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
    let mut store = open_store(ctx)?;
    let es = a.language == ladder_pack::Lang::Es;
    // What the counts of the diff do not name (skills, lessons, pack.toml, pictures, renames),
    // compared with the same installed version the install compares with.
    let changes = store.read(|tx| tx.pack_changes(&content))?;
    let named = Named {
        details: changes
            .changes
            .iter()
            .filter(|c| c.part.key() == "details")
            .map(|c| c.id.clone())
            .collect(),
        parts: PARTS.map(|part| {
            CHANGES.map(|change| changes.ids(part, change).into_iter().map(str::to_owned).collect())
        }),
        renamed: changes
            .renamed
            .iter()
            .filter(|r| r.part.key() == "item")
            .map(|r| (r.from.clone(), r.to.clone(), r.learners_with_history))
            .collect(),
        renamed_parts: changes
            .renamed
            .iter()
            .filter(|r| r.part.key() != "item")
            .map(|r| (r.part.key(), r.from.clone(), r.to.clone()))
            .collect(),
    };
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
    print_diff(&diff, &named, a.language);
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

/// What an install changes beyond the items, as the report names it (from the store's
/// `PackChanges`).
struct Named {
    /// Fields of pack.toml.
    details: Vec<String>,
    /// By [`PARTS`], then by [`CHANGES`]: the ids.
    parts: [[Vec<String>; 4]; 3],
    /// Items that look renamed: from, to, learners with history on `from`.
    renamed: Vec<(String, String, i64)>,
    /// Skills and lessons that look renamed: `skill` or `lesson`, from, to.
    renamed_parts: Vec<(&'static str, String, String)>,
}

const PARTS: [&str; 3] = ["skill", "lesson", "picture"];
const CHANGES: [&str; 4] = ["added", "changed", "removed", "reordered"];

/// The words of an install report, in English or Spanish.
struct DiffWords {
    new_pack: &'static str,
    added: &'static str,
    changed: &'static str,
    removed: &'static str,
    unchanged: &'static str,
    history: &'static str,
    history_note: &'static str,
    meta: &'static str,
    returning: &'static str,
    /// Skills, lessons, pictures: each with its new, changed and removed words and the line
    /// for a new order.
    parts: [PartWords; 3],
    details: &'static str,
    renamed: fn(&str, &str, i64) -> String,
    /// A skill (`skill`) or lesson (`lesson`) that looks renamed: from, to.
    renamed_part: fn(&str, &str, &str) -> String,
}

struct PartWords {
    added: &'static str,
    changed: &'static str,
    removed: &'static str,
    reordered: &'static str,
}

/// Where the rule on ids is documented, for the rename line.
const IDS_DOC: &str = "docs/pack-format.md, \"Ids are what history follows\"";

const DIFF_EN: DiffWords = DiffWords {
    new_pack: "new pack",
    added: "new",
    changed: "changed",
    removed: "removed",
    unchanged: "unchanged",
    history: "history kept for removed items",
    history_note: "their answers stay in each learner's log and export, but no longer count \
                   toward mastery or reports",
    meta: "skills, lessons or the pack's details (pack.toml) changed too",
    returning: "removed earlier: installing brings it back, and every learner's answers on it \
                count again",
    parts: [
        PartWords {
            added: "skills new",
            changed: "skills changed",
            removed: "skills removed",
            reordered: "skills in another order",
        },
        PartWords {
            added: "lessons new",
            changed: "lessons changed",
            removed: "lessons removed",
            reordered: "lessons in another order",
        },
        PartWords {
            added: "pictures new",
            changed: "pictures changed",
            removed: "pictures removed",
            reordered: "pictures in another order",
        },
    ],
    details: "pack.toml changed",
    renamed: |from, to, learners| {
        let history = match learners {
            0 => format!("no learner has answered {from} yet"),
            1 => format!("the answers of 1 learner on {from} no longer count toward {to}"),
            n => format!("the answers of {n} learners on {from} no longer count toward {to}"),
        };
        format!(
            "renamed? {from} -> {to}: removed and added with the same content; {history} \
             (an item's id is what its history follows: keep the id {from} to keep them \
             counting; {IDS_DOC})"
        )
    },
    renamed_part: |part, from, to| {
        let after = if part == "lesson" {
            format!(
                "; a session practising lesson {from} is refused at its next step (end it and \
                 start a new one)"
            )
        } else {
            String::new()
        };
        format!(
            "renamed? {part} {from} -> {to}: removed and added with the same content; answers \
             keep counting (they follow the items){after}"
        )
    },
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
    meta: "también cambian habilidades, lecciones o los datos del paquete (pack.toml)",
    returning: "se quitó antes: al instalarlo vuelve, y las respuestas de todos los alumnos \
                vuelven a contar",
    parts: [
        PartWords {
            added: "habilidades añadidas",
            changed: "habilidades cambiadas",
            removed: "habilidades eliminadas",
            reordered: "habilidades en otro orden",
        },
        PartWords {
            added: "lecciones añadidas",
            changed: "lecciones cambiadas",
            removed: "lecciones eliminadas",
            reordered: "lecciones en otro orden",
        },
        PartWords {
            added: "imágenes añadidas",
            changed: "imágenes cambiadas",
            removed: "imágenes eliminadas",
            reordered: "imágenes en otro orden",
        },
    ],
    details: "pack.toml cambiado",
    renamed: |from, to, learners| {
        let history = match learners {
            0 => format!("ningún alumno ha respondido aún a {from}"),
            1 => format!("las respuestas de 1 alumno a {from} ya no cuentan para {to}"),
            n => format!("las respuestas de {n} alumnos a {from} ya no cuentan para {to}"),
        };
        format!(
            "¿renombrado? {from} -> {to}: se elimina y se añade con el mismo contenido; \
             {history} (el historial de un ejercicio sigue a su id: conserva el id {from} \
             para que sigan contando; {IDS_DOC})"
        )
    },
    renamed_part: |part, from, to| {
        let (word, after) = if part == "lesson" {
            (
                "¿renombrada? lección",
                format!(
                    "; una sesión que practica la lección {from} se rechaza en su siguiente paso \
                     (termínala y empieza otra)"
                ),
            )
        } else {
            ("¿renombrada? habilidad", String::new())
        };
        format!(
            "{word} {from} -> {to}: se elimina y se añade con el mismo contenido; las respuestas \
             siguen contando (siguen a los ejercicios){after}"
        )
    },
};

fn print_diff(d: &PackDiff, named: &Named, lang: ladder_pack::Lang) {
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
    if d.from_version.is_none() {
        return;
    }
    if !named.details.is_empty() {
        println!("  {}: {}", w.details, named.details.join(", "));
    }
    for (p, ids) in w.parts.iter().zip(&named.parts) {
        list(p.added, &ids[0]);
        list(p.changed, &ids[1]);
        list(p.removed, &ids[2]);
        if !ids[3].is_empty() {
            println!("  {}", p.reordered);
        }
    }
    for (from, to, learners) in &named.renamed {
        println!("  {}", (w.renamed)(from, to, *learners));
    }
    for (part, from, to) in &named.renamed_parts {
        println!("  {}", (w.renamed_part)(part, from, to));
    }
    // Something of the details changed that the lines above do not name.
    let said =
        !named.details.is_empty() || named.parts[..2].iter().flatten().any(|ids| !ids.is_empty());
    if d.meta_changed && !said && !d.returning {
        println!("  {}", w.meta);
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
    let learners = store.remove_pack(&a.id, a.force)?;
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
