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

/// An entry of a zip written byte by byte by [`raw_zip`], for names the zip writer will not
/// write: any bytes, with or without the UTF-8 flag, and an Info-ZIP Unicode path field.
pub struct RawEntry<'a> {
    pub name: &'a [u8],
    /// General purpose flag bit 11: the name is UTF-8 (else the old DOS code page 437).
    pub utf8: bool,
    /// An Info-ZIP Unicode path extra field (0x7075), which readers take instead of `name`.
    pub unicode_path: Option<&'a str>,
    pub data: &'a [u8],
}

impl<'a> RawEntry<'a> {
    /// A stored entry with a UTF-8 name and no extra field.
    pub fn plain(name: &'a str, data: &'a [u8]) -> Self {
        RawEntry { name: name.as_bytes(), utf8: true, unicode_path: None, data }
    }
}

/// The CRC-32 of zip files (IEEE, reflected), bit by bit: tests only.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A zip of stored `entries`, in order, written by hand: local headers, central directory,
/// end record.
pub fn raw_zip(entries: &[RawEntry<'_>]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, v: usize) {
        out.extend_from_slice(&u16::try_from(v).expect("fits in 16 bits").to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, v: u32) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let mut extra = Vec::new();
        if let Some(path) = e.unicode_path {
            extra.extend_from_slice(&0x7075u16.to_le_bytes());
            u16le(&mut extra, 5 + path.len());
            extra.push(1);
            u32le(&mut extra, crc32(e.name));
            extra.extend_from_slice(path.as_bytes());
        }
        let flags = if e.utf8 { 1 << 11 } else { 0 };
        let size = u32::try_from(e.data.len()).expect("small entry");
        let offset = u32::try_from(out.len()).expect("small archive");
        // Fields shared by both headers: version needed, flags, method (stored), time, date,
        // CRC, sizes, name and extra lengths.
        let mut common = Vec::new();
        u16le(&mut common, 20);
        u16le(&mut common, flags);
        u16le(&mut common, 0);
        u16le(&mut common, 0);
        u16le(&mut common, 0x21);
        u32le(&mut common, crc32(e.data));
        u32le(&mut common, size);
        u32le(&mut common, size);
        u16le(&mut common, e.name.len());
        u16le(&mut common, extra.len());
        u32le(&mut out, 0x0403_4b50);
        out.extend_from_slice(&common);
        out.extend_from_slice(e.name);
        out.extend_from_slice(&extra);
        out.extend_from_slice(e.data);
        u32le(&mut central, 0x0201_4b50);
        u16le(&mut central, 0x031E); // made by: Unix, 3.0
        central.extend_from_slice(&common);
        u16le(&mut central, 0); // comment length
        u16le(&mut central, 0); // disk
        u16le(&mut central, 0); // internal attributes
        u32le(&mut central, 0o100_644 << 16); // a regular file, rw-r--r--
        u32le(&mut central, offset);
        central.extend_from_slice(e.name);
        central.extend_from_slice(&extra);
    }
    let start = u32::try_from(out.len()).expect("small archive");
    let size = u32::try_from(central.len()).expect("small archive");
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, entries.len());
    u16le(&mut out, entries.len());
    u32le(&mut out, size);
    u32le(&mut out, start);
    u16le(&mut out, 0);
    out
}
