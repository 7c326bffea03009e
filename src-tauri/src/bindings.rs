//! The UI's TypeScript wire types, generated from the Rust types (ts-rs) and checked for drift.
//!
//! `ui/src/generated/wire.ts` is committed. The test below regenerates it in memory and fails
//! when the committed file differs, so a change to a wire type in Rust cannot reach the UI
//! unnoticed: `npm run build` (tsc) then shows every place the UI must follow. After an
//! intended change: `UPDATE_TS_BINDINGS=1 cargo test -p ladder-app bindings`.
//!
//! Integers are `number` (ids and counts stay far below 2^53). Besides the types, the file holds
//! `CommandResults`, each command's result type (from [`crate::commands::RESULT_TYPES`]); the
//! parameters come from the engine's `Command` enum.

use ladder_engine::error::{ErrorKind, Reason, ReasonValues, WireError};
use ladder_engine::view::*;
use ladder_engine::wire_ts::{Answer, PackDiff};
use ladder_engine::{HintDecision, PolicyKind};
use ts_rs::{Config, TS};

use crate::commands::{AppInfo, RESULT_TYPES};

const HEADER: &str = "\
// Generated from the Rust wire types by `UPDATE_TS_BINDINGS=1 cargo test -p ladder-app bindings`
// (src-tauri/src/bindings.rs). Do not edit: change the Rust types and regenerate.
/* eslint-disable */
";

fn decl<T: TS>(cfg: &Config) -> String {
    format!("export {}\n", T::decl(cfg))
}

/// The whole generated file.
pub fn generate() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        decl::<ErrorKind>(&cfg),
        decl::<Reason>(&cfg),
        decl::<ReasonValues>(&cfg),
        decl::<WireError>(&cfg),
        decl::<PolicyKind>(&cfg),
        decl::<HintDecision>(&cfg),
        decl::<Answer>(&cfg),
        decl::<PackDiff>(&cfg),
        decl::<ladder_engine::packs::ChangeLine>(&cfg),
        decl::<LearnerInfo>(&cfg),
        decl::<CourseInfo>(&cfg),
        decl::<SkillView>(&cfg),
        decl::<ladder_engine::view::Unconfirmed>(&cfg),
        decl::<LessonStatus>(&cfg),
        decl::<LessonView>(&cfg),
        decl::<CourseMap>(&cfg),
        decl::<SessionInfo>(&cfg),
        decl::<ladder_engine::view::SkillProgress>(&cfg),
        decl::<ChoiceView>(&cfg),
        decl::<ItemView>(&cfg),
        decl::<HintView>(&cfg),
        decl::<Step>(&cfg),
        decl::<SkillChange>(&cfg),
        decl::<AnswerResult>(&cfg),
        decl::<SessionSummary>(&cfg),
        decl::<MasterySummary>(&cfg),
        decl::<SkipResult>(&cfg),
        decl::<PreloadProblem>(&cfg),
        decl::<PreloadReport>(&cfg),
        decl::<AppInfo>(&cfg),
        decl::<ladder_engine::api::Command>(&cfg),
    ];
    let mut out = String::from(HEADER);
    for d in decls {
        out.push('\n');
        out.push_str(&d);
    }
    out.push_str("\n/** The result type of each command the app offers. */\nexport interface CommandResults {\n");
    for (name, ty) in RESULT_TYPES {
        out.push_str(&format!("  {name}: {ty};\n"));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn every_engine_command_has_a_result_type() {
        for name in ladder_engine::api::COMMANDS {
            assert!(
                RESULT_TYPES.iter().any(|(n, _)| n == name),
                "engine command {name} has no entry in commands::RESULT_TYPES"
            );
        }
    }

    #[test]
    fn bindings_are_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/generated/wire.ts");
        let fresh = generate();
        if std::env::var("UPDATE_TS_BINDINGS").as_deref() == Ok("1") {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &fresh).expect("write the bindings");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/generated/wire.ts is stale: run `UPDATE_TS_BINDINGS=1 cargo test -p ladder-app \
             bindings`, then `npm run build` in ui/ and follow what tsc reports"
        );
    }
}
