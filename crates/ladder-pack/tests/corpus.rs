//! The broken-pack corpus: `tests/packs/broken/<case>/expected.txt` holds the exact report for
//! each case. Cases with a `pack/` folder are validated as they are; the others (archives,
//! symbolic links, huge files) are generated here, by the function named after the case, so no
//! binary or hostile file is committed.
//!
//! Set `LADDER_BLESS=1` to rewrite the expected files from the current output (then review the
//! diff).

mod common;

use std::io::{Cursor, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;
use ladder_pack::Lang;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const ARCHIVE: &str = "pack.ladderpack";

thread_local! {
    /// The language the reports below are written in (English unless a test says otherwise).
    static LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
}

fn written(report: &ladder_pack::Report) -> String {
    report.render(LANG.with(|l| l.get()))
}

fn report_of_archive(bytes: Vec<u8>) -> String {
    written(&ladder_pack::validate_archive(Cursor::new(bytes), ARCHIVE).report)
}

fn report_of_folder(dir: &Path) -> String {
    written(&ladder_pack::validate_folder(dir).expect("read folder").report)
}

/// The generated cases, by folder name.
fn generated(case: &str) -> Option<String> {
    Some(match case {
        "zip-slip" => report_of_archive(minimal_archive_with(&[("../evil.toml", b"x = 1")])),
        "zip-absolute-path" => {
            report_of_archive(minimal_archive_with(&[("/etc/cron.d/evil", b"x")]))
        }
        "zip-drive-letter" => report_of_archive(minimal_archive_with(&[("C:/evil.toml", b"x")])),
        "zip-backslash" => {
            report_of_archive(minimal_archive_with(&[("media\\..\\..\\evil.svg", b"x")]))
        }
        "zip-symlink" => {
            let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
            for (name, bytes) in entries_of(&minimal_archive()) {
                zip.start_file(name, options()).expect("entry");
                zip.write_all(&bytes).expect("write");
            }
            zip.add_symlink("media/passwd.svg", "/etc/passwd", options()).expect("symlink");
            report_of_archive(zip.finish().expect("finish").into_inner())
        }
        "folder-symlink" => folder_symlink(),
        "checksum-mismatch" => {
            let mut entries = entries_of(&minimal_archive());
            let toml = entries.get_mut("pack.toml").expect("pack.toml");
            *toml = String::from_utf8(toml.clone())
                .expect("utf8")
                .replace("Halves and quarters", "Halves and QUARTERS")
                .into_bytes();
            let all: Vec<(&str, &[u8])> =
                entries.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
            report_of_archive(zip_of(&all))
        }
        "missing-manifest" => {
            let entries = entries_of(&minimal_archive());
            let all: Vec<(&str, &[u8])> = entries
                .iter()
                .filter(|(k, _)| k.as_str() != ladder_pack::MANIFEST_NAME)
                .map(|(k, v)| (k.as_str(), v.as_slice()))
                .collect();
            report_of_archive(zip_of(&all))
        }
        "not-a-zip" => report_of_archive(b"schema = 1\nid = \"not a zip\"\n".to_vec()),
        "toml-too-large" => {
            let dir = tempfile::tempdir().expect("tempdir");
            copy_tree(&minimal_dir(), dir.path());
            let lesson = dir.path().join("lessons/01-half.toml");
            let mut text = std::fs::read_to_string(&lesson).expect("read");
            text.push_str(&format!("# {}\n", "x".repeat(1024 * 1024)));
            std::fs::write(&lesson, text).expect("write");
            report_of_folder(dir.path())
        }
        "too-many-entries" => {
            let names: Vec<String> = (0..10_001).map(|i| format!("media/{i}.svg")).collect();
            let entries: Vec<(&str, &[u8])> =
                names.iter().map(|n| (n.as_str(), &b""[..])).collect();
            report_of_archive(zip_of(&entries))
        }
        "zip-encrypted-entry" => {
            let mut bytes = minimal_archive();
            mark_encrypted(&mut bytes, "media/bar-1-2.svg");
            report_of_archive(bytes)
        }
        "zip-duplicate-entry" => zip_duplicate_entry(),
        "zip-file-and-folder" => report_of_archive(manifested_archive_with(&[
            ("media/fig", b"<svg/>"),
            ("media/fig/a.svg", b"<svg/>"),
            // The same in another case: one file and one folder on Windows and macOS.
            ("media/Pic", b"<svg/>"),
            ("media/pic/a.svg", b"<svg/>"),
        ])),
        "zip-names-differ-in-case" => report_of_archive(manifested_archive_with(&[
            ("media/Bar-1-2.svg", b"<svg/>"),
            ("media/Fig/a.svg", b"<svg/>"),
            ("media/fig/A.svg", b"<svg/>"),
        ])),
        "image-name-normalisation" => image_name_normalisation(),
        "zip-names-differ-in-normalisation" => report_of_archive(manifested_archive_with(&[
            // `é` as one character (NFC) and as `e` + a combining acute accent (NFD).
            ("media/caf\u{e9}.svg", b"<svg/>"),
            ("media/cafe\u{301}.svg", b"<svg/>"),
            // Upper and lower case differ too.
            ("media/Fig/e\u{301}.svg", b"<svg/>"),
            ("media/fig/\u{c9}.svg", b"<svg/>"),
        ])),
        "zip-names-read-alike" => zip_names_read_alike(),
        "zip-bomb" => zip_bomb(false),
        "zip-bomb-lying-size" => zip_bomb(true),
        _ => return None,
    })
}

#[cfg(unix)]
fn folder_symlink() -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("media/passwd.svg"))
        .expect("symlink");
    std::os::unix::fs::symlink("/etc", dir.path().join("lessons/etc")).expect("symlink");
    report_of_folder(dir.path())
}

#[cfg(not(unix))]
fn folder_symlink() -> String {
    // Without Unix symlinks the case cannot be built; return the expected text so the corpus
    // still checks every other case.
    std::fs::read_to_string(packs_dir().join("broken/folder-symlink/expected.txt"))
        .unwrap_or_default()
}

/// The minimal pack with its picture named as macOS names some files, `é` written as `e` and a
/// combining acute accent (NFD, `media/cafe\u{301}.svg`), and referred to as a teacher types it,
/// `é` as one character (NFC), and once in capitals too. Both references were reported as "not
/// in the pack", with nothing to show why: the names look the same.
fn image_name_normalisation() -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&minimal_dir(), dir.path());
    let media = dir.path().join("media");
    std::fs::rename(media.join("bar-1-2.svg"), media.join("cafe\u{301}.svg")).expect("rename");
    let edit = |file: &str, from: &str, to: &str| {
        let path = dir.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    };
    edit("lessons/01-half.toml", "media/bar-1-2.svg", "media/caf\u{e9}.svg");
    edit(
        "lessons/02-quarters.toml",
        "Cut each half into 2 equal parts.",
        "Cut each half into 2 equal parts. ![halves](media/CAF\u{c9}.svg)",
    );
    report_of_folder(dir.path())
}

/// The minimal archive with `media/bar-1-2.svg` twice, the same bytes both times, so the
/// manifest's checksum holds. The zip writer refuses a repeated name, so the second entry is
/// written under another name of the same length and renamed in its headers afterwards. The zip
/// reader keeps one entry per name and drops the other without a word, so this was accepted as
/// valid although every entry must be listed once.
fn zip_duplicate_entry() -> String {
    let svg = entries_of(&minimal_archive())["media/bar-1-2.svg"].clone();
    let mut bytes = minimal_archive_with(&[("media/bar-1-2.svX", &svg)]);
    let (from, to) = (b"media/bar-1-2.svX", b"media/bar-1-2.svg");
    let mut renamed = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            renamed += 1;
        }
        i += 1;
    }
    assert_eq!(renamed, 2, "the local header and the central directory record");
    assert_eq!(entries_of(&bytes).len(), 6, "the zip reader shows one entry per name");
    report_of_archive(bytes)
}

/// The minimal archive plus pairs of entries whose names differ in the archive's directory but
/// that the zip reader reads as one name, keeping the later entry and dropping the other
/// without a word: a name with an Info-ZIP Unicode path field (`media/x.svg` read as
/// `media/bar-1-2.svg`), a name marked UTF-8 that is not (its bad byte read as U+FFFD, like
/// the real U+FFFD of the other), and a name in the old DOS code page (byte 0x82 read as `é`).
/// The duplicate-name check compared the bytes of the directory's names only, so this archive
/// was valid: each dropped entry had the same bytes as the one kept.
fn zip_names_read_alike() -> String {
    use sha2::{Digest, Sha256};
    let mut entries = entries_of(&minimal_archive());
    let svg = b"<svg/>";
    let manifest = entries.get(ladder_pack::MANIFEST_NAME).expect("manifest");
    let mut manifest: serde_json::Value = serde_json::from_slice(manifest).expect("json");
    for name in ["media/\u{fffd}.svg", "media/\u{e9}.svg"] {
        manifest["files"][name] = serde_json::Value::String(hex::encode(Sha256::digest(svg)));
    }
    let manifest = serde_json::to_vec(&manifest).expect("json");
    entries.insert(ladder_pack::MANIFEST_NAME.to_owned(), manifest);
    let bar = entries["media/bar-1-2.svg"].clone();
    let mut raw: Vec<RawEntry<'_>> = entries.iter().map(|(k, v)| RawEntry::plain(k, v)).collect();
    raw.extend([
        RawEntry {
            name: b"media/x.svg",
            utf8: false,
            unicode_path: Some("media/bar-1-2.svg"),
            data: &bar,
        },
        RawEntry { name: b"media/\xff.svg", utf8: true, unicode_path: None, data: svg },
        RawEntry::plain("media/\u{fffd}.svg", svg),
        RawEntry { name: b"media/\x82.svg", utf8: false, unicode_path: None, data: svg },
        RawEntry::plain("media/\u{e9}.svg", svg),
    ]);
    let bytes = raw_zip(&raw);
    assert_eq!(
        entries_of(&bytes).len(),
        raw.len() - 3,
        "the zip reader shows one entry per name as it reads them"
    );
    report_of_archive(bytes)
}

/// The minimal archive plus `extra`, with a `MANIFEST.json` that lists them all, so that only
/// what is wrong with the extra entries themselves is reported.
fn manifested_archive_with(extra: &[(&str, &[u8])]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut entries = entries_of(&minimal_archive());
    let manifest = entries.get(ladder_pack::MANIFEST_NAME).expect("manifest");
    let mut manifest: serde_json::Value = serde_json::from_slice(manifest).expect("json");
    for (name, bytes) in extra {
        let sum = hex::encode(Sha256::digest(bytes));
        manifest["files"][*name] = serde_json::Value::String(sum);
        entries.insert((*name).to_owned(), bytes.to_vec());
    }
    let manifest = serde_json::to_vec(&manifest).expect("json");
    entries.insert(ladder_pack::MANIFEST_NAME.to_owned(), manifest);
    let all: Vec<(&str, &[u8])> = entries.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
    zip_of(&all)
}

const GIB: u64 = 1 << 30;

/// The minimal pack plus `media/zeros.bin`: 1 GiB of zeros that deflate to under 1 MiB. With
/// `lie`, the archive also claims (in both headers) that the entry is 1,000 bytes long, so only a
/// reader that counts what it decompresses can catch it.
fn zip_bomb(lie: bool) -> String {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    let honest = BOMB.get_or_init(|| {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries_of(&minimal_archive()) {
            zip.start_file(name, options()).expect("entry");
            zip.write_all(&bytes).expect("write");
        }
        let bomb_options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(9))
            .large_file(false);
        zip.start_file("media/zeros.bin", bomb_options).expect("bomb entry");
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..(GIB >> 20) {
            zip.write_all(&chunk).expect("write zeros");
        }
        zip.finish().expect("finish").into_inner()
    });
    assert!(
        honest.len() < 1 << 20,
        "the bomb should be small when compressed, got {} bytes",
        honest.len()
    );
    let mut cursor = Cursor::new(honest.clone());
    if lie {
        patch_declared_size(&mut cursor, "media/zeros.bin", 1000);
    }
    let started = Instant::now();
    let checked = ladder_pack::validate_archive(cursor, ARCHIVE);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(2), "refusing the bomb took {elapsed:?}");
    assert!(checked.pack.is_none());
    written(&checked.report)
}

/// Rewrites the uncompressed size of entry `name` in its local header and its central directory
/// record.
fn patch_declared_size(cursor: &mut Cursor<Vec<u8>>, name: &str, size: u32) {
    patch_headers(cursor.get_mut(), name, |data, local, at| {
        let field = if local { at + 22 } else { at + 24 };
        data[field..field + 4].copy_from_slice(&size.to_le_bytes());
    });
    cursor.seek(SeekFrom::Start(0)).expect("rewind");
}

/// Marks entry `name` as encrypted (general purpose flag bit 0) in both of its headers.
fn mark_encrypted(data: &mut [u8], name: &str) {
    patch_headers(data, name, |data, local, at| {
        let field = if local { at + 6 } else { at + 8 };
        data[field] |= 1;
    });
}

/// Calls `patch(data, is_local_header, offset)` for the local header and the central directory
/// record of entry `name`, and checks that both were found.
fn patch_headers(data: &mut [u8], name: &str, patch: impl Fn(&mut [u8], bool, usize)) {
    let name = name.as_bytes();
    let le32 = |d: &[u8], at: usize| u32::from_le_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]);
    let le16 = |d: &[u8], at: usize| u16::from_le_bytes([d[at], d[at + 1]]) as usize;
    let mut patched = 0;
    let mut i = 0;
    while i + 46 <= data.len() {
        let sig = le32(data, i);
        if sig == 0x0403_4b50 && data.get(i + 30..i + 30 + le16(data, i + 26)) == Some(name) {
            patch(data, true, i);
            patched += 1;
        } else if sig == 0x0201_4b50 && data.get(i + 46..i + 46 + le16(data, i + 28)) == Some(name)
        {
            patch(data, false, i);
            patched += 1;
        }
        i += 1;
    }
    assert_eq!(patched, 2, "both headers of {} patched", String::from_utf8_lossy(name));
}

/// Every case of the corpus, sorted.
fn cases() -> Vec<std::path::PathBuf> {
    let broken = packs_dir().join("broken");
    let mut cases: Vec<_> = std::fs::read_dir(&broken)
        .expect("tests/packs/broken exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the corpus has {} cases", cases.len());
    cases
}

/// The report of one case, in the current language.
fn report_of_case(case: &Path) -> String {
    let name = case.file_name().and_then(|n| n.to_str()).expect("case name");
    let pack = case.join("pack");
    if pack.is_dir() {
        report_of_folder(&pack)
    } else {
        generated(name)
            .unwrap_or_else(|| panic!("case {name} has no pack/ folder and no generator"))
    }
}

#[test]
fn every_broken_pack_reports_exactly_its_expected_lines() {
    let cases = cases();
    let bless = std::env::var_os("LADDER_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().and_then(|n| n.to_str()).expect("case name");
        let actual = report_of_case(case);
        assert!(!actual.is_empty(), "case {name} reported nothing");
        let expected_path = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &actual).expect("write expected.txt");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        if actual != expected {
            failures.push(format!("--- {name}: expected\n{expected}--- {name}: actual\n{actual}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// In Spanish, every line of every case says the same place (file, line:column, field) with a
/// message of its own: no code falls back to its English text.
#[test]
fn every_broken_pack_reports_its_lines_in_spanish() {
    for case in cases() {
        let name = case.file_name().and_then(|n| n.to_str()).expect("case name");
        if cfg!(not(unix)) && name == "folder-symlink" {
            continue;
        }
        let en = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
        LANG.with(|l| l.set(Lang::Es));
        let es = report_of_case(&case);
        LANG.with(|l| l.set(Lang::En));
        let (en, es): (Vec<&str>, Vec<&str>) = (en.lines().collect(), es.lines().collect());
        assert_eq!(en.len(), es.len(), "{name}: {es:#?}");
        for (en, es) in en.iter().zip(&es) {
            assert_ne!(en, es, "{name}: a line left in English");
            // The place is the same; a warning says `aviso: ` instead of `warning: `.
            let place = |line: &str| {
                let end = line.find(": ").map_or(0, |i| i + 2);
                line[..end].to_owned()
            };
            assert_eq!(place(en), place(es), "{name}");
            assert_eq!(en.contains(": warning: "), es.contains(": aviso: "), "{name}: {es}");
        }
    }
}

#[test]
fn every_generator_has_a_case_folder() {
    for name in [
        "zip-slip",
        "zip-absolute-path",
        "zip-drive-letter",
        "zip-backslash",
        "zip-symlink",
        "folder-symlink",
        "checksum-mismatch",
        "missing-manifest",
        "not-a-zip",
        "toml-too-large",
        "too-many-entries",
        "zip-encrypted-entry",
        "zip-duplicate-entry",
        "zip-file-and-folder",
        "zip-names-differ-in-case",
        "image-name-normalisation",
        "zip-names-differ-in-normalisation",
        "zip-names-read-alike",
        "zip-bomb",
        "zip-bomb-lying-size",
    ] {
        let dir = packs_dir().join("broken").join(name);
        assert!(dir.join("expected.txt").is_file(), "{name} needs expected.txt");
        assert!(!dir.join("pack").exists(), "{name} is generated, not a folder");
    }
}

/// An archive zipped by hand whose `MANIFEST.json` lists every entry, the ones a pack may not
/// hold too (a README, a name leaving the pack, a stray folder): each is reported once, for
/// what it is, and the manifest is not also said to list a file "not in the archive", which
/// would be false and send the teacher looking for a missing file.
#[test]
fn an_entry_refused_by_name_is_not_also_called_absent_from_the_archive() {
    use sha2::{Digest, Sha256};
    let mut entries = entries_of(&minimal_archive());
    let extra: [(&str, &[u8]); 3] =
        [("README.md", b"notes"), ("../evil.toml", b"x = 1"), ("drafts/", b"")];
    let manifest = entries.get(ladder_pack::MANIFEST_NAME).expect("manifest");
    let mut manifest: serde_json::Value = serde_json::from_slice(manifest).expect("json");
    for (name, bytes) in extra {
        let sum = hex::encode(Sha256::digest(bytes));
        manifest["files"][name.trim_end_matches('/')] = serde_json::Value::String(sum);
        entries.insert(name.to_owned(), bytes.to_vec());
    }
    let manifest = serde_json::to_vec(&manifest).expect("json");
    entries.insert(ladder_pack::MANIFEST_NAME.to_owned(), manifest);
    let all: Vec<(&str, &[u8])> = entries.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
    let report = report_of_archive(zip_of(&all));
    assert!(report.contains("README.md: unexpected file"), "{report}");
    assert!(report.contains("../evil.toml: '..' is not allowed"), "{report}");
    assert!(report.contains("drafts/: unexpected folder"), "{report}");
    assert!(!report.contains("not in the archive"), "{report}");
    assert_eq!(report.lines().count(), 3, "{report}");
}
