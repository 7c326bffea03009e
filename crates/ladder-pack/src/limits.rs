//! Size and shape limits for untrusted packs (`docs/pack-format.md`, "Limits").
//!
//! A pack may come from anywhere, so every read is bounded before it happens: files are read
//! through a `take` of the limit plus one byte and counted, never trusting sizes that an archive
//! declares.

/// Largest TOML file (and `MANIFEST.json`), in bytes.
pub const MAX_TOML_BYTES: u64 = 1024 * 1024;
/// Largest media file, in bytes.
pub const MAX_MEDIA_BYTES: u64 = 8 * 1024 * 1024;
/// Largest pack, all files uncompressed, in bytes.
pub const MAX_PACK_BYTES: u64 = 256 * 1024 * 1024;
/// Most entries (files and folders) in a pack or a `.ladderpack`.
pub const MAX_ENTRIES: usize = 10_000;
/// Deepest nesting of TOML tables and arrays below the top-level table.
pub const MAX_TOML_DEPTH: usize = 16;
/// Longest path of a file inside a pack, in bytes.
pub const MAX_PATH_BYTES: usize = 255;

/// Hints of one item (the worked solution comes on top).
pub const MAX_HINTS: usize = 20;

/// Skills of one item that the learner model reads (`ladder_model::data::MAX_SKILLS`, a test in
/// ladder-engine keeps them equal); an item may list more, with a warning: the rest count in
/// the reports' per-skill attempts, not in the model's predictions.
pub const MODEL_SKILLS_PER_ITEM: usize = 4;
