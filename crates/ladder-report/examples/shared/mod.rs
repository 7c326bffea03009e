//! What the class-building examples share: time units, a small deterministic generator, the
//! engine with the sample packs, and the answers a learner of these classes gives.
// Each example compiles its own copy and uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use ladder_core::item::ItemKind;
use ladder_core::{Answer, Item};
use ladder_engine::sim::answers;
use ladder_engine::{Engine, EngineOptions};

/// A day and a minute, in milliseconds.
pub const DAY: i64 = 86_400_000;
pub const MIN: i64 = 60_000;

/// A small deterministic generator (no dependency): the same class every run.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() % 10_000) as f64 / 10_000.0 < p
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The repository's root (the sample packs and `models/default` are found from it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// An engine on `dir` with both sample packs installed and the bundled model in use (as the app
/// runs it), saying which model runs on stderr.
pub fn class_engine(dir: &Path) -> Result<Engine, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let mut engine = Engine::open(dir, EngineOptions::default())?;
    for pack in ["fractions", "spanish-a1"] {
        engine.install_pack(&root().join("assets/packs").join(pack), false)?;
    }
    let info = ladder_engine::training::use_active_model(
        &mut engine,
        Some(&root().join("models/default")),
    );
    eprintln!("model: {}", info.source.describe());
    Ok(engine)
}

/// A right answer (the simulator's, `sim::answers::right`), or a wrong one a learner of these
/// classes would give.
pub fn answer(item: &Item, ok: bool) -> Answer {
    let right = answers::right(item);
    if ok {
        return right;
    }
    match (&item.kind, right) {
        (ItemKind::Choice { choices, correct, .. }, _) => {
            Answer::Choice(vec![(1..=choices.len()).find(|c| !correct.contains(c)).unwrap_or(1)])
        }
        (ItemKind::Numeric(_), _) => Answer::Text("3/4".into()),
        (ItemKind::Text(_), _) => Answer::Text("no sé".into()),
        (_, Answer::Cloze(mut v)) => {
            v[0] = "zzz".into();
            Answer::Cloze(v)
        }
        (_, Answer::Order(mut v)) => {
            v.swap(0, 1);
            Answer::Order(v)
        }
        (_, other) => other,
    }
}
