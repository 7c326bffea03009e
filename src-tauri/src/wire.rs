//! A drift check between the Rust wire types and their TypeScript mirrors in `ui/src/api.ts`.
//!
//! The test below serialises one example of every type the commands return and compares the JSON
//! with `ui/src/wire-fixtures.json`. The UI's `wire.test.ts` checks that the same file has exactly
//! the fields its interfaces declare. Changing a wire type therefore fails a test on one side
//! until both sides (and the fixture) agree. Regenerate the fixture after an intended change with
//! `UPDATE_WIRE_FIXTURES=1 cargo test -p ladder-app wire`.

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::{json, Value};

    use crate::commands::AppInfo;
    use crate::error::AppError;
    use crate::learners::Learner;
    use crate::library::{Library, PackProblem, PackSummary};

    fn examples() -> Value {
        let app_info = AppInfo {
            version: "0.1.0".into(),
            data_dir: "/data".into(),
            packs_dir: "/packs".into(),
        };
        let learner = Learner { id: 1, name: "Ada".into() };
        let library = Library {
            packs_dir: "/packs".into(),
            packs: vec![PackSummary {
                id: "fractions".into(),
                title: "Fractions".into(),
                version: "1.0.0".into(),
                description: "Parts of a whole.".into(),
                languages: vec!["en".into()],
                skill_count: 10,
                lesson_count: 8,
                item_count: 64,
            }],
            problems: vec![PackProblem {
                folder: "broken".into(),
                message: "pack.toml:1:1: id: missing".into(),
            }],
        };
        let error = AppError::conflict("a learner named Ada already exists");
        json!({
            "appInfo": app_info,
            "learner": learner,
            "library": library,
            "error": error,
        })
    }

    #[test]
    fn wire_fixtures_match_the_ui() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/wire-fixtures.json");
        let mut expected = serde_json::to_string_pretty(&examples()).expect("serialise");
        expected.push('\n');
        if std::env::var_os("UPDATE_WIRE_FIXTURES").is_some() {
            std::fs::write(&path, &expected).expect("write the fixture");
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{} is out of date with the Rust wire types; if the change is intended, run \
             UPDATE_WIRE_FIXTURES=1 cargo test -p ladder-app wire and update ui/src/api.ts\n\
             expected:\n{expected}",
            path.display()
        );
    }
}
