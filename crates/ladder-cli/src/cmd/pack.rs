//! `ladder pack ...`: new, validate and build are pure pack operations (ladder-pack; `new` lives
//! in `pack_new.rs`); install, list and remove change the learner store and live in
//! `pack_store.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use ladder_pack::Lang;

use super::{pack_new, pack_store, Context};

#[derive(Debug, Subcommand)]
pub enum PackCmd {
    /// Write a small, valid starter pack to edit (two skills, two lessons, one item of each
    /// kind, a picture; every field explained in comments).
    New(pack_new::NewArgs),
    /// Check a pack folder or .ladderpack and list every problem (exit 1 if it has errors).
    #[command(visible_alias = "check")]
    Validate(ValidateArgs),
    /// Validate a pack folder and write it as one .ladderpack file (byte-identical for the
    /// same folder; exit 1 if the pack has errors).
    Build(BuildArgs),
    /// Install or upgrade a pack (folder or .ladderpack) into the data directory (exit 1 if the
    /// pack has errors).
    Install(pack_store::InstallArgs),
    /// List installed packs.
    List(pack_store::ListArgs),
    /// Remove an installed pack (learner history is always kept).
    Remove(pack_store::RemoveArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// A pack folder or a .ladderpack file.
    pub path: PathBuf,
    /// Print the report as JSON (`{"valid", "errors", "warnings", ...}`) instead of lines.
    #[arg(long)]
    pub json: bool,
    /// The language of the problems: en (English) or es (Spanish).
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_language)]
    pub language: Lang,
}

/// `--language`: `en` or `es` (a region such as `es-MX` is accepted).
pub(super) fn parse_language(s: &str) -> Result<Lang, String> {
    Lang::from_tag(s)
        .ok_or_else(|| format!("`{s}` is not a language of the validator: use en or es"))
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The pack folder.
    pub dir: PathBuf,
    /// Where to write the archive: a file, or an existing folder to write
    /// `<id>-<version>.ladderpack` in. Default: that name in the current folder.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The language of the problems: en (English) or es (Spanish).
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_language)]
    pub language: Lang,
}

pub fn run(ctx: &Context, cmd: PackCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        PackCmd::New(a) => pack_new::new(a),
        PackCmd::Validate(a) => validate(a),
        PackCmd::Build(a) => build(a),
        PackCmd::Install(a) => pack_store::install(ctx, a),
        PackCmd::List(a) => pack_store::list(ctx, a),
        PackCmd::Remove(a) => pack_store::remove(ctx, a),
    }
}

/// Prints every diagnostic to stdout (errors, then warnings) and a summary to stderr; with
/// `--json`, one JSON object on stdout instead, also when the path cannot be read (exit 2).
fn validate(a: ValidateArgs) -> anyhow::Result<ExitCode> {
    let checked = match ladder_pack::validate(&a.path) {
        Ok(checked) => checked,
        Err(e) if a.json => return Ok(json_could_not_run(&a.path, &e)),
        Err(e) => return Err(e.into()),
    };
    let report = &checked.report;
    let lang = a.language;
    if a.json {
        let pack = checked.pack.as_ref().map(|p| {
            serde_json::json!({
                "id": p.info.id,
                "version": p.info.version.to_string(),
                "content_hash": p.content_hash(),
                "skills": p.skills.len(),
                "lessons": p.lessons.len(),
                "items": p.items.len(),
            })
        });
        let out = serde_json::json!({
            "valid": report.is_valid(),
            "errors": json_diagnostics(&report.errors, lang)?,
            "warnings": json_diagnostics(&report.warnings, lang)?,
            "pack": pack,
            "error": null,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print!("{}", report.render(lang));
        let (errors, warnings) = (report.errors.len(), report.warnings.len());
        match (&checked.pack, lang) {
            (Some(p), Lang::Es) => eprintln!(
                "{} {}: válido ({}, {}, {}), {warnings} aviso(s)",
                p.info.id,
                p.info.version,
                counted(p.skills.len(), "habilidad", "habilidades"),
                counted(p.lessons.len(), "lección", "lecciones"),
                counted(p.items.len(), "ejercicio", "ejercicios"),
            ),
            (Some(p), _) => eprintln!(
                "{} {}: valid ({}, {}, {}), {warnings} warning(s)",
                p.info.id,
                p.info.version,
                counted(p.skills.len(), "skill", "skills"),
                counted(p.lessons.len(), "lesson", "lessons"),
                counted(p.items.len(), "item", "items"),
            ),
            (None, Lang::Es) => eprintln!(
                "{}: no válido, {errors} error(es), {warnings} aviso(s)",
                a.path.display()
            ),
            (None, _) => {
                eprintln!("{}: invalid, {errors} error(s), {warnings} warning(s)", a.path.display())
            }
        }
    }
    Ok(if report.is_valid() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `validate --json` of a path that cannot be read: the report's keys with no problems and
/// `error` saying why, so that a script that asked for JSON can parse it; the error on stderr
/// too, and exit 2 ("the command could not do it").
fn json_could_not_run(path: &std::path::Path, e: &ladder_pack::Error) -> ExitCode {
    let out = serde_json::json!({
        "valid": false,
        "errors": [],
        "warnings": [],
        "pack": null,
        "error": { "path": path.display().to_string(), "message": e.to_string() },
    });
    println!("{out:#}");
    eprintln!("error: {e}");
    ExitCode::from(2)
}

/// "1 lesson", "2 lessons".
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Diagnostics as JSON, each with `message` in `lang` (and its `code` and `args`).
fn json_diagnostics(
    list: &[ladder_pack::Diagnostic],
    lang: Lang,
) -> anyhow::Result<Vec<serde_json::Value>> {
    list.iter()
        .map(|d| {
            let mut v = serde_json::to_value(d)?;
            v["message"] = serde_json::Value::String(d.message_in(lang));
            Ok(v)
        })
        .collect()
}

/// Builds the archive; an invalid pack prints its report and exits 1 without writing anything.
/// Without `-o`, or with `-o` naming an existing folder, the archive is
/// `<id>-<version>.ladderpack` in the current folder or in that one.
fn build(a: BuildArgs) -> anyhow::Result<ExitCode> {
    let output = match a.output {
        Some(o) if !o.is_dir() => {
            // `-o dist/`: a folder by its trailing slash, which must exist, as a parent must.
            let written_as_folder =
                o.as_os_str().to_string_lossy().ends_with(std::path::is_separator);
            let folder = if written_as_folder { Some(o.as_path()) } else { o.parent() };
            if let Some(parent) = folder.filter(|p| !p.as_os_str().is_empty()) {
                if !parent.is_dir() {
                    match a.language {
                        Lang::Es => anyhow::bail!(
                            "-o {}: la carpeta {} no existe: créala primero o elige otra",
                            o.display(),
                            parent.display()
                        ),
                        _ => anyhow::bail!(
                            "-o {}: the folder {} does not exist: create it first or choose \
                             another",
                            o.display(),
                            parent.display()
                        ),
                    }
                }
            }
            o
        }
        folder => {
            let checked = ladder_pack::validate_folder(&a.dir)?;
            let name = match checked.pack {
                Some(p) => format!("{}-{}.ladderpack", p.info.id, p.info.version),
                None => return Ok(refuse(&a.dir, &checked.report, a.language)),
            };
            match folder {
                Some(folder) => folder.join(name),
                None => PathBuf::from(name),
            }
        }
    };
    build_into(&a.dir, &output, a.language)
}

fn refuse(dir: &std::path::Path, report: &ladder_pack::Report, lang: Lang) -> ExitCode {
    print!("{}", report.render(lang));
    match lang {
        Lang::Es => eprintln!(
            "{}: no válido, {} error(es): no se ha escrito nada",
            dir.display(),
            report.errors.len()
        ),
        _ => eprintln!(
            "{}: invalid, {} error(s): nothing written",
            dir.display(),
            report.errors.len()
        ),
    }
    ExitCode::from(1)
}

fn build_into(
    dir: &std::path::Path,
    output: &std::path::Path,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    if dir.is_dir() && inside(dir, output) {
        // The same file name beside the pack folder: `-o ../NAME` from inside it.
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        use std::path::Component;
        let beside = match (dir.components().next_back(), dir.parent()) {
            _ if dir == std::path::Path::new(".") => format!("../{name}"),
            // `..`: its parent is no path to write.
            (Some(Component::CurDir | Component::ParentDir), _) => {
                format!("{}/../{name}", dir.display())
            }
            (_, Some(parent)) if !parent.as_os_str().is_empty() => {
                parent.join(&name).display().to_string()
            }
            // `halves`: the current folder is beside it.
            _ => name,
        };
        match lang {
            Lang::Es => anyhow::bail!(
                "{} se escribiría dentro de la carpeta del paquete {}, donde pasaría a formar \
                 parte del paquete (y lo haría no válido): escríbelo junto a la carpeta, con -o \
                 {beside}",
                output.display(),
                dir.display()
            ),
            _ => anyhow::bail!(
                "{} would be written inside the pack folder {}, where it would become part of \
                 the pack (and make it invalid): write it beside the folder, with -o {beside}",
                output.display(),
                dir.display()
            ),
        }
    }
    // An archive there already, of some version: what it held (see `warn_if_replaced`).
    let before = output.is_file().then(|| pack_of(output)).flatten();
    match ladder_pack::build(dir, output) {
        Ok(built) => {
            print!("{}", built.report.render(lang));
            if let Some(before) = before {
                warn_if_replaced(&built, &before, lang);
            }
            let (path, size, hash) = (built.path.display(), built.size, &built.content_hash);
            match lang {
                Lang::Es => {
                    println!("escrito {path} ({size} bytes, huella del contenido {hash})")
                }
                _ => println!("wrote {path} ({size} bytes, content hash {hash})"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ladder_pack::Error::Invalid(report)) => Ok(refuse(dir, &report, lang)),
        Err(e) => Err(e.into()),
    }
}

/// The id, version and content hash of the pack in a `.ladderpack` (`None` when it is not a
/// valid one).
fn pack_of(path: &std::path::Path) -> Option<(String, String, String)> {
    let pack = ladder_pack::validate(path).ok()?.pack?;
    Some((pack.info.id.to_string(), pack.info.version.to_string(), pack.content_hash()))
}

/// A build that replaced an archive of the same pack and version with other content: a device
/// that installed the one replaced refuses this one ("raise the version"), so say it while the
/// teacher can still raise the version.
fn warn_if_replaced(built: &ladder_pack::Built, before: &(String, String, String), lang: Lang) {
    let (id, version, hash) = before;
    if *hash == built.content_hash
        || pack_of(&built.path).as_ref()
            != Some(&(id.clone(), version.clone(), built.content_hash.clone()))
    {
        return;
    }
    let path = built.path.display();
    match lang {
        Lang::Es => eprintln!(
            "aviso: {path} tenía otro contenido de la misma versión {version} de {id}, y se ha \
             reemplazado: un equipo que instaló el anterior rechaza este; si ya lo repartiste, \
             sube la versión del paquete (version en pack.toml) y vuelve a construirlo"
        ),
        _ => eprintln!(
            "warning: {path} held other content of the same version {version} of {id}, and was \
             replaced: a device that installed the one replaced refuses this one; if you handed \
             it out already, raise the version (version in pack.toml) and build again"
        ),
    }
}

/// Whether `output` would land inside the folder `dir` (both resolved, so `.` and `..` count).
pub(super) fn inside(dir: &std::path::Path, output: &std::path::Path) -> bool {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match (dir.canonicalize(), parent.canonicalize()) {
        (Ok(dir), Ok(parent)) => parent.starts_with(dir),
        _ => false,
    }
}
