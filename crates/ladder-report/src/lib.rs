//! ladder-report: tutor progress reports, per learner and per class.
//!
//! A tutor sits down with a family or a class and must see in a minute what each learner knows,
//! what they struggle with and what to do next. This crate turns the store's event log (through
//! the engine's course view, predictor and policy) into a [`Report`] value, and renders that one
//! value as JSON, HTML (a whole page or a fragment for the app), PDF and CSV, so every form shows
//! the same numbers. The CLI (`ladder report`) and the desktop app's tutor area both call it; it
//! never depends on Tauri. Every figure is defined in `docs/reports.md`.
//!
//! # API
//!
//! 1. Build the data: [`build_report`] with a [`Source`] (the store, the learner model, the
//!    engine's settings, "now", and the [`ReportTimeZone`] of its dates and days: the
//!    computer's, as the app's screens show times, unless [`Source::in_time_zone`] says
//!    otherwise) and a [`ReportRequest`] ([`Scope::Learner`] or [`Scope::Class`],
//!    optionally one course, the [`Language`] of its text, English or Spanish, and the days of
//!    its "recent activity" window, [`DEFAULT_RECENT_DAYS`] unless asked otherwise). A learner
//!    report holds only that learner's data; only a class report holds several learners'. The
//!    language is kept in the report (`meta.language`), so every rendering of one report is in
//!    the same language.
//! 2. Render it:
//!    - [`render_json`]: the data, pretty-printed (`docs/reports.md` lists the fields).
//!    - [`render_html`]: one self-contained page (inline CSS, SVG charts, no script, no remote
//!      URL; print CSS with page breaks).
//!    - [`render_html_fragment`] + [`REPORT_CSS`]: the same content as one
//!      `<div class="ladder-report">` without any `style` attribute, `<style>` element or script,
//!      for a window with a strict CSP: ship [`REPORT_CSS`] as a stylesheet file (or a
//!      `<style>` with a CSP hash) and insert the fragment. Colours of SVG charts are SVG
//!      presentation attributes (`fill`, `stroke`), which a CSP does not treat as inline style.
//!      All text from learners and packs is HTML-escaped.
//!    - [`render_pdf`]: a paginated PDF (A4, vector charts; standard Helvetica, or an embedded
//!      subset of a system TrueType font when a name or text needs characters beyond Latin-1);
//!      its text can be extracted (`pdftotext`).
//!    - [`render_csv`]: one or more [`CsvFile`]s (one row per learner × skill; a class report
//!      adds one file per table), cells that a spreadsheet would run as a formula neutralised.
//! 3. Or do both and write files: [`write_report`] with a [`Format`] and a path.
//!
//! ```no_run
//! use ladder_engine::predictor::elo::OnlineLogistic;
//! use ladder_engine::Settings;
//! use ladder_report::{build_report, render_html_fragment, Language, ReportRequest, Scope, Source};
//! use ladder_store::{LearnerId, Store};
//!
//! let store = Store::open("data")?;
//! let settings = Settings::default();
//! let predictor = OnlineLogistic::new(settings.clone());
//! let source = Source::new(&store, &predictor, &settings);
//! let report = build_report(&source, &ReportRequest {
//!     scope: Scope::Learner(LearnerId(1)),
//!     course: None,
//!     language: Language::Es,
//!     recent_days: ladder_report::DEFAULT_RECENT_DAYS,
//! })?;
//! let html = render_html_fragment(&report); // plus REPORT_CSS as a stylesheet
//! # let _ = html;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod build;
mod chart;
mod csv;
mod error;
mod fmt;
mod fonts;
mod html;
mod i18n;
mod model;
mod pdf;
mod svg;
mod ttf;
mod zone;

use std::path::{Path, PathBuf};

use ladder_engine::predictor::{Predictor, Predictors};
use ladder_engine::Settings;
use ladder_store::{LearnerId, Store, Timestamp};

pub use crate::csv::{render_csv, CsvFile};
pub use crate::error::{ReportError, Result};
pub use crate::html::{render_html, render_html_fragment, REPORT_CSS};
pub use crate::i18n::{FixedStrings, Language};
pub use crate::model::*;
pub use crate::pdf::{pdf_missing_chars, render_pdf};
pub use crate::zone::ReportTimeZone;

/// Where a report's data comes from.
pub struct Source<'a> {
    pub store: &'a Store,
    /// The learner model: predicted mastery, recall, and the predictions of past answers that
    /// were not recorded with the answer.
    pub predictor: &'a dyn Predictor,
    /// The models a front end runs, each learner's own used for them instead of `predictor`
    /// (the shared one), as the engine does: [`Source::with_predictors`].
    pub predictors: Option<&'a Predictors>,
    /// The engine's thresholds (mastery, review).
    pub settings: &'a Settings,
    /// "Now" for recall, streaks and `generated_ms` (Unix ms). [`Source::new`] takes the clock.
    pub now_ms: i64,
    /// How much of the history counts; `None`: everything stored when the report is built
    /// (read once at its start, so a learner answering meanwhile changes no part of it).
    pub through: Option<Through>,
    /// The time zone of the report's dates and times and of the days its streaks and recent
    /// window count. [`Source::new`] takes the computer's ([`ReportTimeZone::local`]), the one
    /// the app's screens show times in; [`Source::in_time_zone`] chooses another.
    pub time_zone: ReportTimeZone,
}

impl<'a> Source<'a> {
    pub fn new(store: &'a Store, predictor: &'a dyn Predictor, settings: &'a Settings) -> Self {
        Source {
            store,
            predictor,
            settings,
            predictors: None,
            now_ms: Timestamp::now().0,
            through: None,
            time_zone: ReportTimeZone::local(),
        }
    }

    /// The models a front end runs ([`ladder_engine::training::active_predictors`]): the shared
    /// one, and each learner's own where they have one, so that a report says what that
    /// learner's screens say.
    pub fn with_predictors(
        store: &'a Store,
        predictors: &'a Predictors,
        settings: &'a Settings,
    ) -> Self {
        Source {
            predictors: Some(predictors),
            ..Source::new(store, predictors.shared.as_ref(), settings)
        }
    }

    /// The model that speaks for `learner`.
    pub(crate) fn predictor_for(&self, learner: LearnerId) -> &'a dyn Predictor {
        self.predictors.map_or(self.predictor, |p| p.for_learner(learner))
    }

    /// The same source at a fixed time (tests).
    pub fn at(mut self, now_ms: i64) -> Self {
        self.now_ms = now_ms;
        self
    }

    /// The same source in another time zone (`ladder report --time-zone`; tests, which must not
    /// depend on the computer's).
    pub fn in_time_zone(mut self, zone: ReportTimeZone) -> Self {
        self.time_zone = zone;
        self
    }

    /// The source of a report made earlier: its "now" and the history it counted
    /// ([`ReportMeta::generated_ms`], [`ReportMeta::through`]). Built from it, the report is the
    /// earlier one even after learners went on practising (with the same model and courses):
    /// an export writes the report the tutor has on screen.
    pub fn as_shown(mut self, generated_ms: i64, through: Through) -> Self {
        self.now_ms = generated_ms;
        self.through = Some(through);
        self
    }
}

impl Through {
    /// Everything stored now, read in one transaction.
    pub fn now(store: &Store) -> Result<Through> {
        Ok(store.read(|tx| {
            Ok(Through {
                event: tx.last_event_id()?.map_or(0, |e| e.0),
                learner: tx.last_learner_id()?.map_or(0, |l| l.0),
            })
        })?)
    }
}

/// Whose report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One learner: only their data.
    Learner(LearnerId),
    /// Several learners: `None` = every learner on the device that is not archived; `Some` = that
    /// group (archived learners included when named).
    Class(Option<Vec<LearnerId>>),
}

/// What to report on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    pub scope: Scope,
    /// One course (pack id); `None` = every installed course with history in scope.
    pub course: Option<String>,
    /// The language of the report's own text (headings, labels, sentences); names and pack
    /// text stay as they are. The app passes its UI language, so screen and exports match.
    pub language: Language,
    /// The length of the "recent activity" window in days, ending at the report's "now":
    /// [`RECENT_DAYS_MIN`]..=[`RECENT_DAYS_MAX`]; the app and the CLI use
    /// [`DEFAULT_RECENT_DAYS`] unless told otherwise.
    pub recent_days: u32,
}

/// The recent-activity window of a report, unless asked otherwise: the last 7 days.
pub const DEFAULT_RECENT_DAYS: u32 = 7;
/// The shortest recent-activity window, in days.
pub const RECENT_DAYS_MIN: u32 = 1;
/// The longest recent-activity window, in days.
pub const RECENT_DAYS_MAX: u32 = 365;

/// Builds the data of a report.
/// A window outside `RECENT_DAYS_MIN..=RECENT_DAYS_MAX` is refused (`bad_request`).
pub fn build_report(source: &Source<'_>, request: &ReportRequest) -> Result<Report> {
    let days = request.recent_days;
    if !(RECENT_DAYS_MIN..=RECENT_DAYS_MAX).contains(&days) {
        return Err(ReportError::BadRequest(format!(
            "recent days must be {RECENT_DAYS_MIN} to {RECENT_DAYS_MAX}, not {days}"
        )));
    }
    let through = match source.through {
        Some(t) => t,
        None => Through::now(source.store)?,
    };
    let opts = build::Options { language: request.language, recent_days: days, through };
    match &request.scope {
        Scope::Learner(id) => {
            build::learner_report(source, *id, request.course.as_deref(), opts).map(Report::Learner)
        }
        Scope::Class(group) => {
            build::class_report(source, group.as_deref(), request.course.as_deref(), opts)
                .map(Report::Class)
        }
    }
}

/// The JSON export: the report data, pretty-printed, with a final newline.
pub fn render_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot serialise the report: {e}\"}}"));
    s.push('\n');
    s
}

/// An output format of [`write_report`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Html,
    Csv,
    Pdf,
    Json,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Html, Format::Csv, Format::Pdf, Format::Json];

    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Pdf => "pdf",
            Format::Json => "json",
        }
    }

    /// The format named `name`, in any case (`html`, `PDF`, ...).
    pub fn from_name(name: &str) -> Option<Format> {
        Self::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The format a file name's extension names (`class.PDF` is PDF; `.htm` is HTML), if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("htm") {
            return Some(Format::Html);
        }
        Self::from_name(ext)
    }
}

/// What CSV files written by [`write_report`] start with.
pub const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Renders `report` as `format` and writes it to `path` (each file written to a temporary
/// name, then renamed). CSV class reports write several files next to `path` (see
/// [`render_csv`]). Returns every file written.
pub fn write_report(report: &Report, format: Format, path: &Path) -> Result<Vec<PathBuf>> {
    write_all_or_none(render_files(report, format, path))
}

/// The files [`write_report`] writes for `report` at `path`, without writing them: `path`, or
/// for a CSV class report one per table next to it (what a front end checks before writing).
pub fn output_paths(report: &Report, format: Format, path: &Path) -> Vec<PathBuf> {
    match format {
        Format::Csv => render_csv(report).iter().map(|f| f.path_next_to(path)).collect(),
        _ => vec![path.to_owned()],
    }
}

/// What [`write_report`] writes, without writing it: each file's path and bytes (one file, or
/// for a CSV class report one per table next to `path`).
pub fn render_files(report: &Report, format: Format, path: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    match format {
        Format::Json => vec![(path.to_owned(), render_json(report).into_bytes())],
        Format::Html => vec![(path.to_owned(), render_html(report).into_bytes())],
        Format::Pdf => vec![(path.to_owned(), render_pdf(report))],
        // A UTF-8 byte-order mark first: without it Excel on Windows reads the file in the
        // local code page and garbles names such as José or Дарья.
        Format::Csv => render_csv(report)
            .into_iter()
            .map(|f| {
                let mut bytes = UTF8_BOM.to_vec();
                bytes.extend_from_slice(f.contents.as_bytes());
                (f.path_next_to(path), bytes)
            })
            .collect(),
    }
}

/// Writes every file or none: each goes to a temporary name beside its target first, and only
/// when all are written are they renamed into place. When any step fails, the temporary files
/// and the targets this call already put in place are removed, so that no file with learners'
/// names is left behind that the caller, seeing the error, would not record (and `learner
/// delete` would then not find). The error names the file the user asked for.
fn write_all_or_none(files: Vec<(PathBuf, Vec<u8>)>) -> Result<Vec<PathBuf>> {
    let tmp_of = |path: &Path| {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        path.with_file_name(format!(".{name}.tmp"))
    };
    let remove = |paths: &[PathBuf]| {
        for p in paths {
            let _ = std::fs::remove_file(p);
        }
    };
    let mut tmps = Vec::with_capacity(files.len());
    for (path, bytes) in &files {
        let tmp = tmp_of(path);
        if let Err(e) = std::fs::write(&tmp, bytes) {
            tmps.push(tmp);
            remove(&tmps);
            return Err(ReportError::io(path, e));
        }
        tmps.push(tmp);
    }
    let mut written: Vec<PathBuf> = Vec::with_capacity(files.len());
    for (i, (path, _)) in files.iter().enumerate() {
        if let Err(e) = std::fs::rename(&tmps[i], path) {
            remove(&tmps[i..]);
            remove(&written);
            return Err(ReportError::io(path, e));
        }
        written.push(path.clone());
    }
    Ok(written)
}
