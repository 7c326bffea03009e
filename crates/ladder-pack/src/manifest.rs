//! `MANIFEST.json`: what a built `.ladderpack` says about itself, and the check that it is true.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::diag::Sink;
use crate::msg::Msg;
use crate::pack::{sha256_hex, PackInfo};
use crate::source::{printable, MANIFEST_NAME};

/// The manifest of a `.ladderpack`.
///
/// ```json
/// {
///   "schema": 1,
///   "id": "fractions",
///   "version": "1.2.0",
///   "files": { "lessons/01-meaning.toml": "<sha256 hex>", "pack.toml": "<sha256 hex>", ... }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub schema: u32,
    pub id: String,
    pub version: String,
    /// SHA-256 (lowercase hex) of every other entry of the archive, by path.
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    /// The manifest for a pack's files.
    pub(crate) fn for_files(info: &PackInfo, files: &BTreeMap<String, Vec<u8>>) -> Self {
        Manifest {
            schema: info.schema,
            id: info.id.to_string(),
            version: info.version.to_string(),
            files: files.iter().map(|(p, b)| (p.clone(), sha256_hex(b))).collect(),
        }
    }

    /// The bytes written to the archive: pretty JSON with sorted keys and a final newline.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s.into_bytes()
    }
}

/// Checks an archive's manifest against its files and its `pack.toml`. Entries in `refused` were
/// in the archive but already reported (too large, unreadable, a name or kind of entry a pack may
/// not hold), so they are not called missing.
pub(crate) fn check(
    bytes: Option<&[u8]>,
    files: &BTreeMap<String, Vec<u8>>,
    refused: &BTreeSet<String>,
    info: Option<&PackInfo>,
    sink: &mut Sink,
) {
    let Some(bytes) = bytes else {
        // An unreadable manifest was reported as such: it is there, not missing.
        if !refused.contains(MANIFEST_NAME) {
            sink.file_error(MANIFEST_NAME, Msg::ManifestMissing);
        }
        return;
    };
    let manifest: Manifest = match serde_json::from_slice(bytes) {
        Ok(m) => m,
        Err(e) => {
            sink.file_error(MANIFEST_NAME, Msg::ManifestInvalid { detail: e.to_string() });
            return;
        }
    };
    for (path, bytes) in files {
        match manifest.files.get(path) {
            None => sink.file_error(path, Msg::NotInManifest),
            Some(want) => {
                let got = sha256_hex(bytes);
                if !want.eq_ignore_ascii_case(&got) {
                    sink.file_error(
                        path,
                        Msg::ChecksumMismatch { listed: want.clone(), actual: got },
                    );
                }
            }
        }
    }
    for path in manifest.files.keys() {
        if !files.contains_key(path) && !refused.contains(path) {
            sink.file_error(MANIFEST_NAME, Msg::ManifestListsAbsent { path: printable(path) });
        }
    }
    if let Some(info) = info {
        if manifest.id != info.id.as_str() {
            sink.file_error(
                MANIFEST_NAME,
                Msg::ManifestIdMismatch {
                    manifest: printable(&manifest.id),
                    pack: info.id.to_string(),
                },
            );
        }
        if manifest.version != info.version.to_string() {
            sink.file_error(
                MANIFEST_NAME,
                Msg::ManifestVersionMismatch {
                    manifest: printable(&manifest.version),
                    pack: info.version.to_string(),
                },
            );
        }
        if manifest.schema != info.schema {
            sink.file_error(
                MANIFEST_NAME,
                Msg::ManifestSchemaMismatch { manifest: manifest.schema, pack: info.schema },
            );
        }
    }
}
