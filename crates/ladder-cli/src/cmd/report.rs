//! `ladder report`: a tutor's progress report for one learner or a class, as HTML, PDF, CSV or
//! JSON (the formats and every figure: docs/reports.md). The data and the rendering are
//! `ladder-report`'s, the same code the desktop app's tutor area calls.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use ladder_engine::admin::LANGUAGE_KEY;
use ladder_engine::training::{active_predictors, ModelSource};
use ladder_engine::Settings;
use ladder_report::{
    build_report, pdf_missing_chars, write_report, Format, Language, Report, ReportRequest,
    ReportTimeZone, Scope, Source, DEFAULT_RECENT_DAYS, RECENT_DAYS_MAX, RECENT_DAYS_MIN,
};
use ladder_store::{LearnerId, Store};

use super::db::open_store;
use super::Context;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["learner", "class"])))]
pub struct ReportArgs {
    /// One learner's report (their data only).
    #[arg(long, value_name = "ID", value_parser = super::learner::learner_id)]
    pub learner: Option<i64>,
    /// A class report: every learner on the device who is not archived, or those of --learners.
    #[arg(long)]
    pub class: bool,
    /// The learners of a class report, by id (comma-separated; archived ones included).
    #[arg(
        long,
        value_name = "ID,ID,...",
        value_delimiter = ',',
        value_parser = super::learner::learner_id,
        requires = "class",
        conflicts_with = "learner"
    )]
    pub learners: Vec<i64>,
    /// One course (pack id); default: every installed course with history.
    #[arg(long, value_name = "ID")]
    pub course: Option<String>,
    /// html, pdf, csv or json. Default: the one the output file's extension names, else html.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// The language of the report's text: en or es. Default: the app's UI language on this
    /// device (the `ui.language` setting), so that the file matches the tutor area's screen.
    #[arg(long, value_name = "TAG")]
    pub language: Option<String>,
    /// The "recent activity" window: the N whole days before today, and today (1 to 365).
    #[arg(
        long,
        value_name = "N",
        default_value_t = i64::from(DEFAULT_RECENT_DAYS),
        allow_hyphen_values = true
    )]
    pub recent_days: i64,
    /// The time zone of the report's dates and times, and whose days its streaks and recent
    /// window count: a name of the time zone database (Europe/Madrid, America/Mexico_City), UTC,
    /// or local. Default: this computer's, as the app's screens show times.
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Output file (CSV class reports add FILE-stem-<table>.csv files next to it); `-` writes
    /// the report to standard output instead (one file only: not a class report in CSV).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// The bundled default model's folder, used when no fine-tuned model is active (a relative
    /// one is looked for in the working directory, then beside the executable and above it).
    #[arg(long, value_name = "DIR", default_value = "models/default")]
    pub bundled: PathBuf,
}

pub fn run(ctx: &Context, a: ReportArgs) -> anyhow::Result<ExitCode> {
    check_output(&a.output, a.format.as_deref())?;
    let format = report_format(a.format.as_deref(), &a.output)?;
    let asked = a.language.as_deref().map(report_language).transpose()?;
    let recent_days = recent_days(a.recent_days)?;
    let time_zone = match a.time_zone.as_deref() {
        Some(name) => {
            ReportTimeZone::named(name).map_err(|e| anyhow::anyhow!("--time-zone: {e}"))?
        }
        None => ReportTimeZone::local(),
    };
    if time_zone.is_fallback() {
        eprintln!(
            "note: this computer's time zone could not be found, so the report's times and days \
             are in UTC, and the report says so; choose a zone with --time-zone, such as \
             --time-zone Europe/Madrid"
        );
    }
    let store = open_store(ctx)?;
    // Never over Ladder's own files (`-o DATA/ladder.sqlite3` wrote the report over the database).
    if a.output.as_os_str() != "-" {
        store.check_output_path(&a.output)?;
    }
    let language = match asked {
        Some(language) => language,
        None => stored_language(&store)?,
    };
    let scope = match a.learner {
        Some(id) => Scope::Learner(LearnerId(id)),
        None if a.learners.is_empty() => Scope::Class(None),
        None => Scope::Class(Some(a.learners.iter().copied().map(LearnerId).collect())),
    };
    let settings = Settings::default();
    let bundled = super::bundled_model(&a.bundled);
    // The models the app's screens and `serve` run (the shared one, and a learner's own where
    // they have one), so that the report shows the mastery the learner and the tutor see on screen.
    let (predictors, model) = active_predictors(&store, bundled.as_deref(), &settings);
    for s in &model.skipped {
        eprintln!("warning: {s}");
    }
    if model.source == ModelSource::BuiltIn {
        eprintln!(
            "note: no trained model was found (looked for {}), so the report uses the {}",
            a.bundled.display(),
            model.source.describe()
        );
    }
    let report = {
        let source =
            Source::with_predictors(&store, &predictors, &settings).in_time_zone(time_zone);
        build_report(&source, &ReportRequest { scope, course: a.course, language, recent_days })?
    };
    if format == Format::Pdf {
        warn_missing_glyphs(&report);
    }
    // The HTML, PDF and JSON say it too; the CSV has no place for it.
    for c in &report.meta().left_out {
        let name = c.label();
        eprintln!(
            "note: {name} is left out of the report: it is not installed on this device (its \
             history is kept; `ladder pack install` brings it back)"
        );
    }
    // Every learner whose data is in the file: deleting any of them deletes it (while unchanged).
    let learners: Vec<LearnerId> = match &report {
        Report::Learner(r) => vec![LearnerId(r.learner.id)],
        Report::Class(r) => r.learners.iter().map(|l| LearnerId(l.id)).collect(),
    };
    // `-o -`: the report goes to standard output, and no file is written or recorded.
    if a.output.as_os_str() == "-" {
        let mut files = ladder_report::render_files(&report, format, &a.output);
        if files.len() != 1 {
            anyhow::bail!(
                "a class report in CSV is {} files: give -o a file name, not -",
                files.len()
            );
        }
        let (_, bytes) = files.remove(0);
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes).and_then(|()| out.flush()).context("cannot write the report")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut store = store;
    // A class report in CSV is several files next to `-o`: none of them over Ladder's own.
    for path in ladder_report::output_paths(&report, format, &a.output) {
        store.check_output_path(&path)?;
    }
    let written = write_report(&report, format, &a.output)?;
    for path in &written {
        if let Err(e) = store.record_export(&learners, path) {
            // A file the store does not know of would outlive `learner delete`: none is kept.
            for p in &written {
                let _ = std::fs::remove_file(p);
            }
            return Err(anyhow::Error::new(e).context(format!(
                "cannot record the export {} (nothing was written)",
                path.display()
            )));
        }
    }
    for path in &written {
        println!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Characters that no font of this computer has are empty boxes in the PDF (a Chinese name on
/// a machine with only Latin fonts): the tutor is told which, and what to do.
fn warn_missing_glyphs(report: &Report) {
    let missing = pdf_missing_chars(report);
    if missing.is_empty() {
        return;
    }
    let shown: Vec<String> =
        missing.iter().take(12).map(|c| format!("{c} (U+{:04X})", u32::from(*c))).collect();
    let more = if missing.len() > 12 {
        format!(" and {} more", missing.len() - 12)
    } else {
        String::new()
    };
    eprintln!(
        "warning: no font on this computer has {}{more}: the PDF shows them as empty boxes (they \
         still copy and search as written). Install a TrueType font with them (Debian: \
         fonts-dejavu-core for Greek and Cyrillic, fonts-wqy-zenhei for Chinese, Japanese and \
         Korean), or set LADDER_PDF_FONT to one, or make the report as HTML (--format html), \
         which a browser draws with the fonts it has",
        shown.join(", ")
    );
}

/// `-o` names a file (or `-`) in a folder that exists: a folder, or a file in a folder that is
/// not there, is refused before anything is built, naming it. The file name it suggests has
/// the extension of the format asked for (`asked`), else of the default, HTML.
fn check_output(output: &std::path::Path, asked: Option<&str>) -> anyhow::Result<()> {
    let text = output.to_string_lossy();
    if text != "-" && (output.is_dir() || text.ends_with(['/', std::path::MAIN_SEPARATOR])) {
        let format = asked.and_then(Format::from_name).unwrap_or(Format::Html);
        anyhow::bail!(
            "-o {} is a folder: give a file name in it, such as {}",
            output.display(),
            output.join(format!("report.{}", format.name())).display()
        );
    }
    if let Some(folder) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        if text != "-" && !folder.is_dir() {
            anyhow::bail!(
                "cannot write {}: the folder {} does not exist (create it first, or choose \
                 another)",
                output.display(),
                folder.display()
            );
        }
    }
    Ok(())
}

/// The `--recent-days` window; a value out of range is refused before anything is written.
fn recent_days(days: i64) -> anyhow::Result<u32> {
    u32::try_from(days)
        .ok()
        .filter(|d| (RECENT_DAYS_MIN..=RECENT_DAYS_MAX).contains(d))
        .with_context(|| {
            format!("--recent-days must be {RECENT_DAYS_MIN} to {RECENT_DAYS_MAX}, not {days}")
        })
}

/// The language a `--language` tag names; an unknown one is refused, naming those there are.
fn report_language(tag: &str) -> anyhow::Result<Language> {
    Language::from_tag(tag).with_context(|| {
        format!("unknown report language {tag:?}: use one of {}", Language::tags())
    })
}

/// The app's UI language on this device, as the tutor area's screen uses it: the stored
/// setting, else English (also for a tag this version does not know, as the app does).
fn stored_language(store: &Store) -> anyhow::Result<Language> {
    let tag = store
        .read(|tx| tx.setting::<String>(LANGUAGE_KEY))
        .context("cannot read the UI language setting")?;
    Ok(tag.as_deref().and_then(Language::from_tag).unwrap_or_default())
}

/// The format asked for, else the one the output's extension names, else HTML. A format that
/// contradicts a known extension is refused rather than writing, say, HTML into `report.pdf`.
fn report_format(asked: Option<&str>, output: &std::path::Path) -> anyhow::Result<Format> {
    let by_extension = Format::from_path(output);
    let Some(name) = asked else { return Ok(by_extension.unwrap_or(Format::Html)) };
    let format = Format::from_name(name)
        .with_context(|| format!("unknown format {name:?}: use html, pdf, csv or json"))?;
    match by_extension {
        Some(ext) if ext != format => anyhow::bail!(
            "--format {} does not match the output file {} ({} {} file name): change one of them",
            format.name(),
            output.display(),
            if ext == Format::Html { "an" } else { "a" },
            ext.name().to_uppercase()
        ),
        _ => Ok(format),
    }
}
