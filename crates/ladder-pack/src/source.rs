//! Reading the raw files of a pack, from a folder or a `.ladderpack` archive, with every safety
//! check that does not need to understand the files: names, types, sizes, counts.
//!
//! Nothing here trusts the input. Unsafe names (`..`, absolute paths, drive letters,
//! backslashes) and symbolic links are refused, never rewritten; every file is read through a
//! bounded `take` and counted, so an archive that lies about its sizes (a "zip bomb") costs at
//! most the limit plus one byte of memory and time.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Read, Seek};
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::diag::Sink;
use crate::error::{Error, Result};
use crate::limits::{MAX_ENTRIES, MAX_MEDIA_BYTES, MAX_PACK_BYTES, MAX_PATH_BYTES, MAX_TOML_BYTES};
use crate::msg::{Msg, PathProblem};

/// The name of the manifest inside a `.ladderpack`.
pub const MANIFEST_NAME: &str = "MANIFEST.json";

/// The raw files of a pack.
#[derive(Debug, Default, Clone)]
pub(crate) struct Source {
    /// Every pack file by its path inside the pack (`/` separators), `MANIFEST.json` excluded.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The bytes of `MANIFEST.json`, for archives that have one.
    pub manifest: Option<Vec<u8>>,
    /// Whether this came from a `.ladderpack` (which must have a manifest).
    pub from_archive: bool,
    /// Pack files that exist but were refused (too large, unreadable), already reported; later
    /// checks must not also call them missing.
    pub refused: std::collections::BTreeSet<String>,
    /// Entries of an archive refused by name or type (an unsafe name, a link, a file or folder a
    /// pack may not hold), already reported: the manifest check must not also call them absent
    /// from the archive when `MANIFEST.json` lists them.
    pub refused_entries: std::collections::BTreeSet<String>,
    /// Whether the archive could not be opened at all (nothing else is worth reporting).
    pub unreadable: bool,
}

/// What a file of a pack is, from its path alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    PackToml,
    SkillsToml,
    Lesson,
    Media,
    Manifest,
}

impl FileKind {
    fn limit(self) -> u64 {
        match self {
            FileKind::Media => MAX_MEDIA_BYTES,
            _ => MAX_TOML_BYTES,
        }
    }
}

/// Which files may be in a pack: `pack.toml`, `skills.toml`, `lessons/*.toml` (directly in
/// `lessons/`), anything under `media/`, and `MANIFEST.json` in archives.
pub(crate) fn classify(path: &str) -> Option<FileKind> {
    match path {
        "pack.toml" => return Some(FileKind::PackToml),
        "skills.toml" => return Some(FileKind::SkillsToml),
        MANIFEST_NAME => return Some(FileKind::Manifest),
        _ => {}
    }
    if let Some(rest) = path.strip_prefix("lessons/") {
        if !rest.contains('/') && rest.len() > ".toml".len() && rest.ends_with(".toml") {
            return Some(FileKind::Lesson);
        }
        return None;
    }
    if path.strip_prefix("media/").is_some_and(|r| !r.is_empty()) && junk_reason(path).is_none() {
        return Some(FileKind::Media);
    }
    None
}

/// Why a file in `media/` is clutter rather than a picture, if it is: hidden files (a name or
/// folder starting with `.`, such as `.DS_Store` or `.git/`) and the files Windows leaves in
/// picture folders.
fn junk_reason(path: &str) -> Option<Msg> {
    if path.split('/').any(|c| c.starts_with('.')) {
        return Some(Msg::HiddenFile);
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    ["thumbs.db", "desktop.ini", "ehthumbs.db"]
        .contains(&name.to_ascii_lowercase().as_str())
        .then_some(Msg::SystemFile)
}

/// The error for a file that `classify` refuses.
fn unexpected(path: &str) -> Msg {
    if let Some((rename, txt)) = toml_file_renamed(path) {
        return Msg::TomlFileName { rename, txt };
    }
    junk_reason(path).unwrap_or(Msg::UnexpectedFile)
}

/// Reports a file that `classify` refuses. One that is a pack's TOML file under a wrong name
/// (`pack.toml.txt`, `lessons/01-a.TOML`) is also marked refused under the name it needs, so
/// that it is not called missing as well, nor its lesson's skills "not taught".
fn refuse_unexpected(path: &str, sink: &mut Sink, refused: &mut BTreeSet<String>) {
    if let Some((rename, _)) = toml_file_renamed(path) {
        refused.insert(rename);
    }
    sink.file_error(path, unexpected(path));
}

/// The name a pack's TOML file saved under a wrong one needs: without the `.txt` an editor
/// added (`pack.toml.txt`), with `.toml` in lowercase (`01-half.TOML`); with whether a `.txt`
/// was added.
fn toml_file_renamed(path: &str) -> Option<(String, bool)> {
    let lower = path.to_lowercase();
    let (path, lower, txt) = match lower.strip_suffix(".txt") {
        Some(rest) => (path.get(..rest.len())?, rest.to_owned(), true),
        None => (path, lower, false),
    };
    let stem = path.get(..path.len().checked_sub(".toml".len())?)?;
    if !lower.ends_with(".toml") {
        return None;
    }
    let renamed = if lower == "pack.toml" || lower == "skills.toml" {
        lower
    } else {
        let name = stem.strip_prefix("lessons/")?;
        if name.is_empty() || name.contains('/') {
            return None;
        }
        format!("{stem}.toml")
    };
    (classify(&renamed).is_some()).then_some((renamed, txt))
}

/// Folders a pack may have: `lessons`, `media` and folders inside `media`.
fn allowed_folder(path: &str) -> bool {
    path == "lessons" || path == "media" || path.starts_with("media/")
}

/// Why `name` (a path inside a pack, `/`-separated, without a trailing `/`) is unsafe, if it is.
pub(crate) fn path_problem(name: &str) -> Option<PathProblem> {
    if name.is_empty() {
        return Some(PathProblem::Empty);
    }
    if name.len() > MAX_PATH_BYTES {
        return Some(PathProblem::TooLong);
    }
    if name.starts_with('/') {
        return Some(PathProblem::Absolute);
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Some(PathProblem::DriveLetter);
    }
    if name.contains('\\') {
        return Some(PathProblem::Backslash);
    }
    if name.contains(':') {
        return Some(PathProblem::Colon);
    }
    if name.chars().any(char::is_control) {
        return Some(PathProblem::ControlCharacters);
    }
    if name.split('/').any(|c| c == "..") {
        return Some(PathProblem::ParentFolder);
    }
    if name.split('/').any(|c| c.is_empty() || c == ".") {
        return Some(PathProblem::EmptyComponent);
    }
    None
}

/// A name as it may be printed on one line (control characters escaped).
pub(crate) fn printable(name: &str) -> String {
    if name.chars().any(char::is_control) {
        name.escape_debug().to_string()
    } else {
        name.to_owned()
    }
}

fn mib(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Reads at most `limit` bytes; `Ok(None)` when there are more (the reader is not drained).
fn read_capped(reader: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    Ok((buf.len() as u64 <= limit).then_some(buf))
}

/// Running totals shared by the folder and archive readers.
struct Budget {
    total: u64,
    over: bool,
}

impl Budget {
    /// The most bytes the next file may have: its own limit, or what is left of the pack's.
    fn limit_for(&self, kind: FileKind) -> (u64, bool) {
        let left = MAX_PACK_BYTES.saturating_sub(self.total);
        if left < kind.limit() {
            (left, true)
        } else {
            (kind.limit(), false)
        }
    }

    fn too_large(
        &mut self,
        sink: &mut Sink,
        refused: &mut std::collections::BTreeSet<String>,
        name: &str,
        kind: FileKind,
        pack_limited: bool,
    ) {
        refused.insert(name.to_owned());
        if pack_limited {
            if !self.over {
                sink.file_error(name, Msg::PackTooLarge { limit_mib: mib(MAX_PACK_BYTES) });
            }
            self.over = true;
        } else {
            let limit_mib = mib(kind.limit());
            let msg = match kind {
                FileKind::Media => Msg::MediaTooLarge { limit_mib },
                _ => Msg::FileTooLarge { limit_mib },
            };
            sink.file_error(name, msg);
        }
    }
}

/// Reads a pack folder. `Err` only when the folder itself cannot be read; problems with what is
/// inside go to `sink`.
pub(crate) fn read_folder(root: &Path, sink: &mut Sink) -> Result<Source> {
    let meta = fs::metadata(root).map_err(|e| Error::io(root, e))?;
    if !meta.is_dir() {
        return Err(Error::io(
            root,
            std::io::Error::other(
                "not a folder: this needs a pack's source folder (pack build packs a folder; \
                 pack validate and pack install also take a .ladderpack file)",
            ),
        ));
    }
    let mut source = Source::default();
    let mut budget = Budget { total: 0, over: false };
    let mut entries = 0usize;
    // (absolute path, path inside the pack); a stack, but each folder's entries are sorted so
    // that diagnostics come out in a stable order.
    let mut todo = vec![(root.to_path_buf(), String::new())];
    while let Some((dir, rel_dir)) = todo.pop() {
        let mut names = Vec::new();
        for entry in fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            names.push(entry.file_name());
        }
        names.sort();
        for os_name in names.into_iter().rev() {
            entries += 1;
            if entries > MAX_ENTRIES {
                sink.file_error(
                    if rel_dir.is_empty() { "." } else { &rel_dir },
                    Msg::TooManyFilesAndFolders { limit: MAX_ENTRIES },
                );
                return Ok(source);
            }
            let path = dir.join(&os_name);
            let Some(name) = os_name.to_str() else {
                let lossy = os_name.to_string_lossy();
                let shown = join(&rel_dir, &lossy);
                sink.file_error(&printable(&shown), Msg::NameNotUtf8);
                continue;
            };
            let rel = join(&rel_dir, name);
            if let Some(problem) = path_problem(&rel) {
                sink.file_error(&printable(&rel), Msg::UnsafeName { problem });
                continue;
            }
            let meta = fs::symlink_metadata(&path).map_err(|e| Error::io(&path, e))?;
            let ft = meta.file_type();
            if ft.is_symlink() {
                sink.file_error(&rel, Msg::SymbolicLink);
            } else if ft.is_dir() {
                if allowed_folder(&rel) {
                    todo.push((path, rel));
                } else {
                    sink.file_error(&format!("{rel}/"), Msg::UnexpectedFolder);
                }
            } else if !ft.is_file() {
                sink.file_error(&rel, Msg::NotPlainFile);
            } else {
                match classify(&rel) {
                    None => refuse_unexpected(&rel, sink, &mut source.refused),
                    Some(FileKind::Manifest) => sink.file_error(&rel, Msg::ManifestInFolder),
                    Some(kind) => {
                        let (limit, pack_limited) = budget.limit_for(kind);
                        if meta.len() > limit {
                            budget.too_large(sink, &mut source.refused, &rel, kind, pack_limited);
                            continue;
                        }
                        let file = fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
                        match read_capped(file, limit).map_err(|e| Error::io(&path, e))? {
                            Some(bytes) => {
                                budget.total += bytes.len() as u64;
                                source.files.insert(rel, bytes);
                            }
                            None => budget.too_large(
                                sink,
                                &mut source.refused,
                                &rel,
                                kind,
                                pack_limited,
                            ),
                        }
                    }
                }
            }
        }
    }
    name_clashes(&source.files, sink);
    Ok(source)
}

/// Takes files already in memory (path inside the pack -> bytes) through the same checks as a
/// folder: safe names, expected files only, size limits.
pub(crate) fn from_memory(files: BTreeMap<String, Vec<u8>>, sink: &mut Sink) -> Source {
    let mut source = Source::default();
    let mut budget = Budget { total: 0, over: false };
    if files.len() > MAX_ENTRIES {
        sink.file_error(".", Msg::TooManyFiles { limit: MAX_ENTRIES });
        source.unreadable = true;
        return source;
    }
    for (name, bytes) in files {
        if let Some(problem) = path_problem(&name) {
            sink.file_error(&printable(&name), Msg::UnsafeName { problem });
            continue;
        }
        let kind = match classify(&name) {
            None => {
                refuse_unexpected(&name, sink, &mut source.refused);
                continue;
            }
            Some(FileKind::Manifest) => {
                sink.file_error(&name, Msg::ManifestInFolder);
                continue;
            }
            Some(kind) => kind,
        };
        let (limit, pack_limited) = budget.limit_for(kind);
        if bytes.len() as u64 > limit {
            budget.too_large(sink, &mut source.refused, &name, kind, pack_limited);
            continue;
        }
        budget.total += bytes.len() as u64;
        source.files.insert(name, bytes);
    }
    name_clashes(&source.files, sink);
    source
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;
const S_IFLNK: u32 = 0o120_000;

/// Reads a `.ladderpack` archive. `archive` names the archive in diagnostics about it as a whole.
pub(crate) fn read_archive<R: Read + Seek>(reader: R, archive: &str, sink: &mut Sink) -> Source {
    let mut source = Source { from_archive: true, ..Source::default() };
    let zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        Err(e) => {
            sink.file_error(archive, Msg::NotAZip { detail: e.to_string() });
            source.unreadable = true;
            return source;
        }
    };
    // The zip reader keeps one entry per name, as it reads the name, and silently drops the
    // others: read the names of the central directory itself to find the entries read as one.
    let dir_start = zip.central_directory_start();
    let mut reader = zip.into_inner();
    let repeated = repeated_names(&mut reader, dir_start);
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        Err(e) => {
            sink.file_error(archive, Msg::NotAZip { detail: e.to_string() });
            source.unreadable = true;
            return source;
        }
    };
    if zip.len() > MAX_ENTRIES {
        sink.file_error(
            archive,
            Msg::ArchiveTooManyEntries { entries: zip.len(), limit: MAX_ENTRIES },
        );
        source.unreadable = true;
        return source;
    }
    if let Some(folder) = zipped_folder(zip.file_names()) {
        sink.file_error(archive, Msg::ZippedFolder { folder });
        source.unreadable = true;
        return source;
    }
    // The folder's files zipped without the folder: a pack.toml at the top and no manifest.
    let names: Vec<&str> = zip.file_names().collect();
    if names.contains(&"pack.toml") && !names.contains(&MANIFEST_NAME) {
        sink.file_error(archive, Msg::ZippedFiles);
        source.unreadable = true;
        return source;
    }
    let mut budget = Budget { total: 0, over: false };
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..zip.len() {
        let listed_name = zip.name_for_index(i).map(printable);
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                match listed_name {
                    Some(name) => {
                        source.refused.insert(name.trim_end_matches('/').to_owned());
                        sink.file_error(&name, unreadable_entry(&e));
                    }
                    None => sink.file_error(
                        archive,
                        Msg::EntryNumberUnreadable { entry: i, detail: e.to_string() },
                    ),
                }
                continue;
            }
        };
        if let Some(written) = repeated.get(entry.name()) {
            // The entry that the reader kept is still checked and read below, so the report
            // says nothing about the others that would not also be true of it.
            let msg = if written.iter().all(|w| w == &written[0]) {
                Msg::NameRepeated
            } else {
                Msg::NamesReadAlike { names: written.iter().map(|w| shown_raw(w)).collect() }
            };
            sink.file_error(&printable(entry.name()), msg);
        }
        let raw = entry.name_raw().to_vec();
        let Ok(name) = String::from_utf8(raw) else {
            let lossy = String::from_utf8_lossy(entry.name_raw()).into_owned();
            sink.file_error(&printable(&lossy), Msg::NameNotUtf8);
            continue;
        };
        let is_dir_name = name.ends_with('/');
        let bare = name.strip_suffix('/').unwrap_or(&name);
        if let Some(problem) = path_problem(bare) {
            sink.file_error(&printable(&name), Msg::UnsafeName { problem });
            source.refused_entries.insert(bare.to_owned());
            continue;
        }
        if !seen.insert(bare.to_owned()) {
            sink.file_error(&name, Msg::NameRepeated);
            continue;
        }
        let file_type = entry.unix_mode().map(|m| m & S_IFMT).unwrap_or(0);
        if file_type == S_IFLNK || entry.is_symlink() {
            sink.file_error(&name, Msg::SymbolicLink);
            source.refused_entries.insert(bare.to_owned());
            continue;
        }
        if file_type != 0 && file_type != S_IFREG && file_type != S_IFDIR {
            sink.file_error(&name, Msg::NotPlainFile);
            source.refused_entries.insert(bare.to_owned());
            continue;
        }
        if is_dir_name || file_type == S_IFDIR || entry.is_dir() {
            if !allowed_folder(bare) {
                sink.file_error(&name, Msg::UnexpectedFolder);
                source.refused_entries.insert(bare.to_owned());
            }
            continue;
        }
        let Some(kind) = classify(bare) else {
            if let Some((rename, _)) = toml_file_renamed(bare) {
                source.refused.insert(rename);
            }
            sink.file_error(&name, unexpected(bare));
            source.refused_entries.insert(bare.to_owned());
            continue;
        };
        let (limit, pack_limited) = budget.limit_for(kind);
        // The declared size is only a shortcut for honest archives; the bounded read below is
        // what enforces the limit.
        if entry.size() > limit {
            budget.too_large(sink, &mut source.refused, bare, kind, pack_limited);
            continue;
        }
        match read_capped(&mut entry, limit) {
            Ok(Some(bytes)) => {
                budget.total += bytes.len() as u64;
                if kind == FileKind::Manifest {
                    source.manifest = Some(bytes);
                } else {
                    source.files.insert(bare.to_owned(), bytes);
                }
            }
            Ok(None) => budget.too_large(sink, &mut source.refused, bare, kind, pack_limited),
            Err(e) => {
                source.refused.insert(bare.to_owned());
                sink.file_error(&name, Msg::EntryUnreadable { detail: e.to_string() });
            }
        }
    }
    name_clashes(&source.files, sink);
    source
}

/// Why an entry of an archive cannot be read: a password (a zip tool's option) is not damage.
fn unreadable_entry(e: &zip::result::ZipError) -> Msg {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(m) if *m == ZipError::PASSWORD_REQUIRED => Msg::EntryEncrypted,
        _ => Msg::EntryUnreadable { detail: e.to_string() },
    }
}

/// The folder an archive is a plain zip of, if it is one: no MANIFEST.json, and every entry
/// (a macOS zip's `__MACOSX/` aside) inside one folder that holds a `pack.toml`. That is what
/// the system's "Compress" makes of a pack folder; reported as such instead of as every file
/// unexpected and every required file missing.
fn zipped_folder<'n>(names: impl Iterator<Item = &'n str>) -> Option<String> {
    let mut folder: Option<&str> = None;
    let mut has_pack_toml = false;
    for name in names {
        if name == MANIFEST_NAME {
            return None;
        }
        if name.starts_with("__MACOSX/") {
            continue;
        }
        let (first, rest) = name.split_once('/')?;
        if folder.is_some_and(|f| f != first) {
            return None;
        }
        folder = Some(first);
        has_pack_toml |= rest == "pack.toml";
    }
    folder.filter(|_| has_pack_toml).map(str::to_owned)
}

/// The form in which two names are the same file on every system Ladder runs on: upper and
/// lower case aside (Windows, macOS) and accented letters written alike (macOS, which does not
/// tell `é` as one character from `e` followed by a combining accent: Unicode NFC).
pub(crate) fn name_key(name: &str) -> String {
    name.to_lowercase().nfc().collect()
}

/// Names that cannot all be files of one installed pack: a file that is also the folder of
/// other files (`media/fig` and `media/fig/a.svg`, possible only in an archive or in memory),
/// names that differ only in case (`media/Pie.svg`, `media/pie.svg`), which Windows and
/// macOS would write as one file, so that one picture silently replaced the other, and names
/// that are the same once accented letters are written alike (`é` as one character and as `e`
/// with a combining accent), which macOS would write as one file too. Each is reported on the
/// later name in path order.
fn name_clashes(files: &BTreeMap<String, Vec<u8>>, sink: &mut Sink) {
    let mut by_case: BTreeMap<String, &String> = BTreeMap::new();
    let mut by_form: BTreeMap<String, &String> = BTreeMap::new();
    // A file is a folder of others in any case or form too (`media/Fig`, `media/fig/a.svg`).
    let keys: BTreeSet<String> = files.keys().map(|n| name_key(n)).collect();
    for name in files.keys() {
        let folder = format!("{}/", name_key(name));
        if keys.range(folder.clone()..).next().is_some_and(|k| k.starts_with(&folder)) {
            sink.file_error(name, Msg::FileAndFolder);
        }
        let lower = name.to_lowercase();
        let key = name_key(name);
        if let Some(first) = by_case.get(&lower) {
            sink.file_error(name, Msg::NamesDifferOnlyInCase { other: (*first).clone() });
        } else if let Some(first) = by_form.get(&key) {
            sink.file_error(name, Msg::NamesDifferOnlyInForm { other: (*first).clone() });
        }
        by_case.entry(lower).or_insert(name);
        by_form.entry(key).or_insert(name);
    }
}

/// The names, as the zip reader reads them, of more than one record of the central directory,
/// each with the bytes of those records' names in order. Records start at `dir_start` (at most
/// [`MAX_ENTRIES`] + 1 of them: more is refused anyway). A record that cannot be read ends the
/// list; the zip reader has already read the same records, so that only happens to archives
/// that it refuses too.
fn repeated_names<R: Read + Seek>(
    reader: &mut R,
    dir_start: u64,
) -> BTreeMap<String, Vec<Vec<u8>>> {
    const RECORD: u32 = 0x0201_4b50;
    let mut by_name: BTreeMap<String, Vec<Vec<u8>>> = BTreeMap::new();
    if reader.seek(std::io::SeekFrom::Start(dir_start)).is_ok() {
        let le16 = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]);
        for _ in 0..=MAX_ENTRIES {
            let mut header = [0u8; 46];
            if reader.read_exact(&mut header).is_err()
                || u32::from_le_bytes([header[0], header[1], header[2], header[3]]) != RECORD
            {
                break;
            }
            let mut name = vec![0u8; usize::from(le16(&header, 28))];
            let mut extra = vec![0u8; usize::from(le16(&header, 30))];
            let comment = i64::from(le16(&header, 32));
            if reader.read_exact(&mut name).is_err()
                || reader.read_exact(&mut extra).is_err()
                || reader.seek(std::io::SeekFrom::Current(comment)).is_err()
            {
                break;
            }
            let utf8 = le16(&header, 8) & (1 << 11) != 0;
            by_name.entry(read_as(&name, utf8, &extra)).or_default().push(name);
        }
    }
    by_name.retain(|_, written| written.len() > 1);
    by_name
}

/// An entry's name as the zip reader (`zip` 2) reads it, which is the key it keeps one entry
/// per: the text of an Info-ZIP Unicode path field (0x7075) when there is one, else the name's
/// bytes as UTF-8 (each bad byte read as U+FFFD) when the entry says it is UTF-8 (flag bit 11),
/// else as the old DOS code page 437. The reader refuses the whole archive when a Unicode path
/// field does not match its name's checksum or is not UTF-8, so those cases never get here.
fn read_as(name: &[u8], utf8: bool, mut extra: &[u8]) -> String {
    let mut read = None;
    while extra.len() >= 4 {
        let id = u16::from_le_bytes([extra[0], extra[1]]);
        let len = usize::from(u16::from_le_bytes([extra[2], extra[3]]));
        let Some(data) = extra.get(4..4 + len) else { break };
        // Version (1 byte) and the CRC-32 of the name (4), then the UTF-8 name.
        if id == 0x7075 && len >= 5 {
            if let Ok(text) = std::str::from_utf8(&data[5..]) {
                read = Some(text.to_owned());
            }
        }
        extra = &extra[4 + len..];
    }
    read.unwrap_or_else(|| {
        if utf8 {
            String::from_utf8_lossy(name).into_owned()
        } else {
            name.iter().map(|&b| cp437(b)).collect()
        }
    })
}

/// A byte of the DOS code page 437, as the zip reader decodes names without the UTF-8 flag.
fn cp437(b: u8) -> char {
    const HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐\
                        └┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";
    if b < 0x80 {
        char::from(b)
    } else {
        HIGH.chars().nth(usize::from(b - 0x80)).unwrap_or(char::REPLACEMENT_CHARACTER)
    }
}

/// A name from an archive's directory as it may be printed: its UTF-8 text, with each byte
/// that is not UTF-8 written `\xNN` and control characters escaped.
fn shown_raw(name: &[u8]) -> String {
    let mut out = String::new();
    for chunk in name.utf8_chunks() {
        out.push_str(&printable(chunk.valid()));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_are_refused() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:/x",
            "c:x",
            "a\\b",
            "..",
            "a//b",
            "./a",
            "a/./b",
            "a\nb",
            "",
        ] {
            assert!(path_problem(bad).is_some(), "{bad:?} should be refused");
        }
        for good in ["pack.toml", "media/pie 3-8.svg", "lessons/01-meaning.toml", "media/a/b.png"] {
            assert_eq!(path_problem(good), None, "{good:?}");
        }
    }

    #[test]
    fn only_known_files_belong() {
        assert_eq!(classify("media/.DS_Store"), None);
        assert_eq!(classify("media/.git/config"), None);
        assert_eq!(classify("media/fig/Thumbs.db"), None);
        assert_eq!(unexpected("media/.DS_Store"), Msg::HiddenFile);
        assert_eq!(unexpected("media/Thumbs.db"), Msg::SystemFile);
        assert_eq!(unexpected("notes.txt"), Msg::UnexpectedFile);
        assert_eq!(classify("media/x.y.svg"), Some(FileKind::Media));
        assert_eq!(classify("pack.toml"), Some(FileKind::PackToml));
        assert_eq!(classify("lessons/01.toml"), Some(FileKind::Lesson));
        assert_eq!(classify("lessons/sub/01.toml"), None);
        assert_eq!(classify("lessons/.toml"), None);
        assert_eq!(classify("lessons/notes.md"), None);
        assert_eq!(classify("media/x/y.png"), Some(FileKind::Media));
        assert_eq!(classify("README.md"), None);
        assert_eq!(classify("Pack.toml"), None);
    }

    #[test]
    fn the_whole_pack_limit_shrinks_each_file_limit_and_is_reported_once() {
        let mut budget = Budget { total: MAX_PACK_BYTES - 100, over: false };
        assert_eq!(budget.limit_for(FileKind::Media), (100, true));
        budget.total = 0;
        assert_eq!(budget.limit_for(FileKind::Media), (MAX_MEDIA_BYTES, false));
        assert_eq!(budget.limit_for(FileKind::Lesson), (MAX_TOML_BYTES, false));
        let mut sink = Sink::default();
        let mut refused = std::collections::BTreeSet::new();
        budget.too_large(&mut sink, &mut refused, "media/a.png", FileKind::Media, true);
        budget.too_large(&mut sink, &mut refused, "media/b.png", FileKind::Media, true);
        budget.too_large(&mut sink, &mut refused, "lessons/01.toml", FileKind::Lesson, false);
        let lines: Vec<String> = sink.all.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "media/a.png: the pack is larger than the limit of 256 MiB (uncompressed)",
                "lessons/01.toml: the file is larger than the limit of 1 MiB",
            ]
        );
        assert_eq!(refused.len(), 3);
    }

    #[test]
    fn names_are_read_as_the_zip_reader_reads_them() {
        assert_eq!(read_as(b"media/a.svg", false, &[]), "media/a.svg");
        assert_eq!(read_as(b"media/\x82\xe1.svg", false, &[]), "media/\u{e9}\u{df}.svg");
        assert_eq!(read_as(b"media/\xff.svg", true, &[]), "media/\u{fffd}.svg");
        let mut extra = vec![0x75, 0x70, 8, 0, 1, 0, 0, 0, 0];
        extra.extend_from_slice(b"b.c");
        assert_eq!(read_as(b"x", false, &extra), "b.c");
        assert_eq!(cp437(0xff), '\u{a0}');
        assert_eq!(shown_raw(b"media/\xff\n.svg"), "media/\\xff\\n.svg");
    }

    #[test]
    fn capped_reads_stop_after_the_limit() -> std::io::Result<()> {
        assert_eq!(read_capped(&b"abc"[..], 3)?, Some(b"abc".to_vec()));
        assert_eq!(read_capped(&b"abcd"[..], 3)?, None);
        // An endless reader costs only the limit.
        assert_eq!(read_capped(std::io::repeat(0), 1000)?, None);
        Ok(())
    }
}
