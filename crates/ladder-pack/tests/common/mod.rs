//! Helpers shared by the integration tests: paths of the test corpus and small zip builders.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// `tests/packs` at the workspace root.
pub fn packs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/packs")
}

/// The small valid pack that `docs/pack-format.md` shows in full.
pub fn minimal_dir() -> PathBuf {
    packs_dir().join("valid/minimal")
}

pub fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o644)
}

/// A zip of `entries`, in order, with ordinary file options.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, options()).expect("start entry");
        zip.write_all(bytes).expect("write entry");
    }
    zip.finish().expect("finish zip").into_inner()
}

/// Every entry of a zip, by name.
pub fn entries_of(archive: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(archive)).expect("open zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("read entry");
        out.insert(f.name().to_owned(), bytes);
    }
    out
}

/// The built `.ladderpack` bytes of the minimal pack.
pub fn minimal_archive() -> Vec<u8> {
    let checked = ladder_pack::validate_folder(&minimal_dir()).expect("read minimal pack");
    let pack = checked.pack.expect("the minimal pack is valid");
    ladder_pack::archive_bytes(&pack).expect("build minimal archive")
}

/// The minimal archive's entries plus `extra`, written as a new zip (manifest unchanged).
pub fn minimal_archive_with(extra: &[(&str, &[u8])]) -> Vec<u8> {
    let entries = entries_of(&minimal_archive());
    let mut all: Vec<(&str, &[u8])> =
        entries.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
    all.extend_from_slice(extra);
    zip_of(&all)
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
