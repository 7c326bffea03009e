//! Writes sample reports (every format) for a small scripted class, for screenshots and for
//! looking at the output: `cargo run -p ladder-report --example sample_report -- OUT_DIR`
//! (in English, and in Spanish as `*-es.*`).
//! `scripts/report-screenshots.sh` turns the PDF into PNG pages.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

use common::*;
use ladder_engine::predictor::elo::OnlineLogistic;
use ladder_engine::Settings;
use ladder_report::{
    build_report, write_report, Format, Language, ReportRequest, ReportTimeZone, Scope, Source,
    DEFAULT_RECENT_DAYS,
};
use ladder_store::Store;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).ok_or("usage: sample_report OUT_DIR")?);
    std::fs::create_dir_all(&out)?;
    let dir = data_dir();
    let mut store = Store::open(dir.path())?;
    let ids = [
        "meaning-001",
        "meaning-002",
        "meaning-003",
        "meaning-004",
        "meaning-005",
        "meaning-006",
        "number-line-001",
        "number-line-002",
        "number-line-003",
        "number-line-004",
        "equivalence-001",
        "equivalence-002",
        "equivalence-003",
        "equivalence-004",
    ];
    // Three learners with different luck: right answers follow a fixed pattern per learner.
    let mut learners = Vec::new();
    for (k, (name, pattern)) in [
        ("Ana", 0b1110_1111_0111_1101u32),
        ("Ben", 0b0100_1001_0010_0100),
        ("Zoë", 0b1011_0110_1101_1011),
    ]
    .into_iter()
    .enumerate()
    {
        let mut sessions = Vec::new();
        for day in 0..4i64 {
            let mut items = Vec::new();
            for j in 0..7usize {
                let n = day as usize * 7 + j;
                let item = ids[(n + k) % ids.len()];
                let ok = pattern >> (n % 16) & 1 == 1;
                let mut p = if ok {
                    right(item)
                } else {
                    wrong_then_right(item, if n.is_multiple_of(3) { "3/4" } else { "1/2" })
                };
                if !ok && n.is_multiple_of(2) {
                    p.hints = 1;
                }
                items.push(p);
            }
            sessions.push(Sess { day: day * 2, minute: 0, items });
        }
        learners.push(add_history(&mut store, name, &sessions).0);
    }
    let settings = Settings::default();
    let predictor = OnlineLogistic::new(settings.clone());
    // In UTC, whatever the computer's zone, so that the sample is the same everywhere.
    let source = Source::new(&store, &predictor, &settings)
        .at(DAY0 + 8 * DAY)
        .in_time_zone(ReportTimeZone::utc());
    // Every format in English (`learner.*`, `class.*`) and in Spanish (`learner-es.*`, ...).
    for language in Language::ALL {
        let suffix = match language {
            Language::En => String::new(),
            other => format!("-{}", other.tag()),
        };
        let learner = build_report(
            &source,
            &ReportRequest {
                scope: Scope::Learner(learners[0]),
                course: None,
                language,
                recent_days: DEFAULT_RECENT_DAYS,
            },
        )?;
        let class = build_report(
            &source,
            &ReportRequest {
                scope: Scope::Class(None),
                course: None,
                language,
                recent_days: DEFAULT_RECENT_DAYS,
            },
        )?;
        for format in Format::ALL {
            for (name, report) in [("learner", &learner), ("class", &class)] {
                let path = out.join(format!("{name}{suffix}.{}", format.name()));
                for f in write_report(report, format, &path)? {
                    println!("{}", f.display());
                }
            }
        }
    }
    Ok(())
}
