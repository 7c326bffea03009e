//! ladder-pack: the course-pack format (`docs/pack-format.md`): read, validate, build.
//!
//! A pack is a folder of TOML and Markdown (the source form) or one zip file, a `.ladderpack`,
//! with a `MANIFEST.json` of content hashes (the distributable form). Packs are untrusted input,
//! so reading is bounded and strict: unsafe names, symbolic links, oversized files, archive
//! bombs, deep nesting, unknown fields and bad references are all reported, never repaired.
//!
//! Validation lists **every** problem, one per line, as `file:line:column: field.path: message`
//! (see [`Diagnostic`]), with warnings for things a teacher should fix but that do not stop the
//! pack. Each diagnostic carries a stable code with its arguments ([`Msg`]) and its English
//! message; [`Diagnostic::message_in`] and [`Report::render`] write it in Spanish too
//! ([`Lang`]).
//!
//! ```no_run
//! # fn main() -> Result<(), ladder_pack::Error> {
//! let checked = ladder_pack::validate(std::path::Path::new("assets/packs/fractions"))?;
//! print!("{}", checked.report);
//! if let Some(pack) = checked.pack {
//!     println!("{} {}: {} items", pack.info.id, pack.info.version, pack.items.len());
//! }
//! # Ok(())
//! # }
//! ```

mod analyze;
mod build;
mod diag;
mod error;
pub mod limits;
mod manifest;
mod markdown;
mod msg;
mod pack;
mod source;
mod walk;

use std::io::{Read, Seek};
use std::path::Path;

pub use analyze::SCHEMA;
pub use build::{archive_bytes, build, Built};
pub use diag::{Diagnostic, Position, Report, Severity};
pub use error::{Error, Result};
pub use manifest::Manifest;
pub use markdown::{
    check_markdown, image_mime, image_sources, is_media_path, percent_decode, render_markdown,
    MarkdownCheck, IMAGE_TYPES,
};
pub use msg::suggested_id;
pub use msg::{
    CycleLink, Eaten, Entity, Expect, IdProblem, ItemPlace, Lang, Loosened, Misfiled, Msg,
    NumberHint, PathProblem, SyntaxHint, TomlType,
};
pub use pack::{Pack, PackInfo};
pub use source::MANIFEST_NAME;

use diag::Sink;

/// The outcome of validating a pack: every problem found, and the pack when there were no
/// errors.
#[derive(Debug, Clone)]
pub struct Checked {
    pub report: Report,
    /// `Some` exactly when `report` has no errors.
    pub pack: Option<Pack>,
}

fn finish(source: source::Source, mut sink: Sink) -> Checked {
    let pack = analyze::analyze(&source, &mut sink);
    let report = Report::from_diagnostics(sink.all);
    let pack = pack.filter(|_| report.is_valid());
    Checked { report, pack }
}

/// The pack folder a file of a pack belongs to, as the user should name it: the folder it is in,
/// or the one above `lessons/` for a lesson file (`ladder pack validate lessons/01-time.toml`
/// suggested `lessons`, and `.` when run from inside it).
fn pack_folder_of_file(path: &Path) -> String {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    let is_lessons = |p: &Path| p.file_name().is_some_and(|n| n.eq_ignore_ascii_case("lessons"));
    match parent {
        Some(p) if is_lessons(p) => match p.parent().filter(|g| !g.as_os_str().is_empty()) {
            Some(g) => g.display().to_string(),
            None => ".".to_string(),
        },
        Some(p) => p.display().to_string(),
        None if std::env::current_dir().is_ok_and(|d| is_lessons(&d)) => "..".to_string(),
        None => ".".to_string(),
    }
}

/// Validates a pack folder or a `.ladderpack` file.
///
/// `Err` only when `path` cannot be read at all (it does not exist, permissions); every problem
/// with the pack itself is in the report.
pub fn validate(path: &Path) -> Result<Checked> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return validate_folder(path);
    }
    if !meta.is_file() {
        // A named pipe or a device: reading a pipe would wait for a writer, forever.
        return Err(Error::io(
            path,
            std::io::Error::other(
                "not a file or a folder: give a pack's folder or a .ladderpack file",
            ),
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    // A file of a pack folder (often `pack.toml`) given instead of the folder.
    let toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if toml {
        let mut sink = Sink::default();
        let folder = pack_folder_of_file(path);
        sink.file_error(&name, Msg::OneFileOfPack { folder });
        return Ok(Checked { report: Report::from_diagnostics(sink.all), pack: None });
    }
    if meta.len() > limits::MAX_PACK_BYTES {
        let mut sink = Sink::default();
        let limit_mib = limits::MAX_PACK_BYTES / (1024 * 1024);
        sink.file_error(&name, Msg::ArchiveTooLarge { limit_mib });
        return Ok(Checked { report: Report::from_diagnostics(sink.all), pack: None });
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(validate_archive(std::io::BufReader::new(file), &name))
}

/// Validates a pack folder (the source form).
pub fn validate_folder(dir: &Path) -> Result<Checked> {
    let mut sink = Sink::default();
    if let Some(msg) = not_the_pack_folder(dir) {
        sink.file_error("pack.toml", msg);
        return Ok(Checked { report: Report::from_diagnostics(sink.all), pack: None });
    }
    let source = source::read_folder(dir, &mut sink)?;
    Ok(finish(source, sink))
}

/// Validates a pack given as files in memory (path inside the pack, `/`-separated -> bytes),
/// with the same rules as a folder.
pub fn validate_files(files: std::collections::BTreeMap<String, Vec<u8>>) -> Checked {
    let mut sink = Sink::default();
    let source = source::from_memory(files, &mut sink);
    finish(source, sink)
}

/// A folder without a `pack.toml` that is next to the pack folder rather than a broken pack:
/// the folder above it (a sub-folder holds a `pack.toml`), or its `lessons/` or `media/`.
fn not_the_pack_folder(dir: &Path) -> Option<Msg> {
    if dir.join("pack.toml").exists() {
        return None;
    }
    let mut packs: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|e| e.path().join("pack.toml").is_file())
        .map(|e| {
            if dir == Path::new(".") {
                e.file_name().to_string_lossy().into_owned()
            } else {
                e.path().display().to_string()
            }
        })
        .collect();
    packs.sort();
    if let Some(first) = packs.into_iter().next() {
        return Some(Msg::PackInFolderBelow { folder: first });
    }
    let name = dir.canonicalize().ok()?.file_name()?.to_string_lossy().into_owned();
    let parent = dir.join("..");
    if matches!(name.as_str(), "lessons" | "media") && parent.join("pack.toml").is_file() {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
            _ => "..".to_owned(),
        };
        return Some(Msg::FolderOfPack { part: name, folder: parent });
    }
    None
}

/// Validates a `.ladderpack` from any seekable reader; `name` names the archive in diagnostics
/// about it as a whole.
pub fn validate_archive<R: Read + Seek>(reader: R, name: &str) -> Checked {
    let mut sink = Sink::default();
    let source = source::read_archive(reader, name, &mut sink);
    finish(source, sink)
}

/// Loads a valid pack from a folder or a `.ladderpack`; [`Error::Invalid`] with the full report
/// when it has errors.
pub fn load(path: &Path) -> Result<Pack> {
    let checked = validate(path)?;
    checked.pack.ok_or(Error::Invalid(checked.report))
}
