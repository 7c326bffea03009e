//! A command the UI calls has to be named in three places that the compiler cannot tie together:
//! the invoke handler (`lib.rs`), the permission list of the build script (`build.rs`, which
//! creates an `allow-` permission per name) and the window's capability
//! (`capabilities/main.json`). A name missing from one of them fails only at run time, in the
//! window, as "command not allowed" or "command not found". These tests read the three sources
//! and ask them to name the same commands.

use std::collections::BTreeSet;

const LIB_RS: &str = include_str!("lib.rs");
const BUILD_RS: &str = include_str!("../build.rs");
const CAPABILITY: &str = include_str!("../capabilities/main.json");

/// The names of the functions marked `#[tauri::command]` in a source file.
fn defined_commands(source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut marked = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[tauri::command") {
            marked = true;
        } else if marked && !line.starts_with("#[") && !line.starts_with("//") {
            let after_fn = line.split_once("fn ").map(|(_, rest)| rest).unwrap_or_else(|| {
                panic!("#[tauri::command] is not followed by a function: {line}")
            });
            let name: String =
                after_fn.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            names.insert(name);
            marked = false;
        }
    }
    names
}

/// The `#[tauri::command]` functions of every source file of the app, read when the test runs:
/// a list of files would leave out one added later (it left out startup.rs).
fn commands_of_every_file() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut folders = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read the source folder") {
            let path = entry.expect("a source folder entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("read a source file");
                names.extend(defined_commands(&source));
            }
        }
    }
    names
}

/// The function names inside `generate_handler![ ... ]`, without their module paths.
fn handler_commands(lib_rs: &str) -> BTreeSet<String> {
    let start = lib_rs.find("generate_handler![").expect("lib.rs has no generate_handler![");
    let body = &lib_rs[start + "generate_handler![".len()..];
    let body = &body[..body.find(']').expect("generate_handler! is not closed")];
    body.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|path| path.rsplit("::").next().unwrap_or(path).to_string())
        .collect()
}

/// The string literals of `const COMMANDS: &[&str] = &[ ... ];`, comments skipped.
fn build_commands(build_rs: &str) -> BTreeSet<String> {
    let start = build_rs.find("const COMMANDS").expect("build.rs has no COMMANDS");
    let body = &build_rs[start..];
    let body = &body[body.find("= &[").expect("COMMANDS is not a slice literal") + 4..];
    let body = &body[..body.find("];").expect("COMMANDS is not closed")];
    body.lines()
        .map(|l| l.split("//").next().unwrap_or("").trim())
        .flat_map(|l| l.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}

/// The `allow-<command>` permissions of the capability, as command names (`-` back to `_`).
fn granted_commands(capability: &str) -> BTreeSet<String> {
    let json: serde_json::Value = serde_json::from_str(capability).expect("main.json is JSON");
    json["permissions"]
        .as_array()
        .expect("main.json has a permissions list")
        .iter()
        .map(|p| p.as_str().expect("a permission is a string"))
        .map(|p| {
            p.strip_prefix("allow-")
                .unwrap_or_else(|| {
                    panic!("the main window is granted {p}, which is not one of the app's commands")
                })
                .replace('-', "_")
        })
        .collect()
}

#[test]
fn the_handler_the_build_script_and_the_capability_name_the_same_commands() {
    let handler = handler_commands(LIB_RS);
    let built = build_commands(BUILD_RS);
    let granted = granted_commands(CAPABILITY);
    assert!(handler.len() > 20, "parsed too few handler commands: {handler:?}");
    let diff =
        |a: &BTreeSet<String>, b: &BTreeSet<String>| a.difference(b).cloned().collect::<Vec<_>>();
    assert!(
        diff(&handler, &built).is_empty(),
        "in lib.rs but not in build.rs: {:?}",
        diff(&handler, &built)
    );
    assert!(
        diff(&built, &handler).is_empty(),
        "in build.rs but not in lib.rs: {:?}",
        diff(&built, &handler)
    );
    assert!(
        diff(&built, &granted).is_empty(),
        "not granted in main.json: {:?}",
        diff(&built, &granted)
    );
    assert!(
        diff(&granted, &built).is_empty(),
        "granted but not built: {:?}",
        diff(&granted, &built)
    );
}

#[test]
fn every_command_defined_is_in_the_handler() {
    // A command written and tested in admin.rs but never registered fails in the window only
    // ("command not allowed"): the settings screen's rollback did.
    let handler = handler_commands(LIB_RS);
    let defined = commands_of_every_file();
    assert!(defined.len() > 20, "parsed too few command functions: {defined:?}");
    // Commands of every file are read, startup.rs's among them.
    assert!(defined.contains("trace_startup"), "{defined:?}");
    let missing: Vec<_> = defined.difference(&handler).collect();
    assert!(missing.is_empty(), "defined with #[tauri::command] but not in lib.rs: {missing:?}");
}

#[test]
fn every_engine_command_is_a_window_command() {
    let handler = handler_commands(LIB_RS);
    for name in ladder_engine::api::COMMANDS {
        assert!(handler.contains(*name), "engine command {name} has no app command in lib.rs");
    }
}

#[test]
fn the_parsers_see_a_missing_name() {
    let lib = "x.invoke_handler(tauri::generate_handler![commands::a, admin::b,\n])";
    let build = "const COMMANDS: &[&str] = &[\n    \"a\",\n    // b is gone\n];";
    let cap = r#"{"permissions": ["allow-a", "allow-b-c"]}"#;
    assert_eq!(handler_commands(lib), BTreeSet::from(["a".to_string(), "b".to_string()]));
    assert_eq!(build_commands(build), BTreeSet::from(["a".to_string()]));
    assert_eq!(granted_commands(cap), BTreeSet::from(["a".to_string(), "b_c".to_string()]));
    let src = "#[tauri::command]\n#[allow(x)]\npub async fn a_b<R>(x: u8) {}\nfn c() {}\n#[tauri::command]\nfn d() {}";
    assert_eq!(defined_commands(src), BTreeSet::from(["a_b".to_string(), "d".to_string()]));
}
