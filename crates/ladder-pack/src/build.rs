//! Building a `.ladderpack`: validate the folder, then write every file plus `MANIFEST.json`
//! into one zip, byte-identical for the same source.
//!
//! Determinism: entries in sorted path order (the manifest first), the DOS epoch
//! (1980-01-01 00:00) as every timestamp, permissions 0644, no extra fields, deflate at a fixed
//! level. The file is written next to its destination and renamed into place, so a reader never
//! sees half an archive.

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::diag::Report;
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::pack::Pack;
use crate::source::MANIFEST_NAME;

/// What [`build`] wrote.
#[derive(Debug, Clone)]
pub struct Built {
    /// The archive's path.
    pub path: PathBuf,
    /// The pack's canonical content hash ([`Pack::content_hash`]).
    pub content_hash: String,
    /// Size of the archive in bytes.
    pub size: u64,
    /// The validation report (warnings only: a pack with errors is not built).
    pub report: Report,
}

/// Validates the pack folder `dir` and writes it as a `.ladderpack` to `out`.
///
/// Fails with [`Error::Invalid`] (and writes nothing) when the pack has errors.
pub fn build(dir: &Path, out: &Path) -> Result<Built> {
    let checked = crate::validate_folder(dir)?;
    let Some(pack) = checked.pack else {
        return Err(Error::Invalid(checked.report));
    };
    let bytes = archive_bytes(&pack)
        .map_err(|e| Error::Write { path: out.to_path_buf(), message: e.to_string() })?;
    write_atomically(out, &bytes)?;
    Ok(Built {
        path: out.to_path_buf(),
        content_hash: pack.content_hash(),
        size: bytes.len() as u64,
        report: checked.report,
    })
}

/// The `.ladderpack` bytes of a pack (deterministic; see the module docs).
pub fn archive_bytes(pack: &Pack) -> zip::result::ZipResult<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .large_file(false);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let manifest = Manifest::for_files(&pack.info, pack.files());
    zip.start_file(MANIFEST_NAME, options)?;
    zip.write_all(&manifest.to_bytes())?;
    for (path, bytes) in pack.files() {
        zip.start_file(path.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Writes `bytes` to a temporary file beside `out`, syncs it and renames it over `out`.
fn write_atomically(out: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pack.ladderpack".to_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, out)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(out, e));
    }
    Ok(())
}
