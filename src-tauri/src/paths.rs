//! Where the app's data and the preload packs live.
//!
//! - **Data directory** (DESIGN.md section 3, the same rule as the `ladder` CLI): `--data-dir DIR`,
//!   else `$LADDER_DATA_DIR`, else the OS app-data folder (`$XDG_DATA_HOME/ladder`,
//!   `~/.local/share/ladder`, `%APPDATA%\Ladder`, `~/Library/Application Support/app.ladder.desktop`).
//! - **Preload folder**: `$LADDER_PACKS_DIR`, else `<repository>/assets/packs` as seen when the
//!   app was compiled. Its packs (folders and `.ladderpack` files) are installed into the store on
//!   start when they are new or newer (docs/ui.md, "Preparing many machines").
//! - **Import file override**: `$LADDER_IMPORT_FILE`, when set, is what the "Import a pack" file
//!   chooser returns without opening the dialog (the end-to-end test's dialog-free path).

use std::ffi::OsString;
use std::path::PathBuf;

use crate::error::{bad_request, Result};

/// The packs folder of the checkout this binary was built from.
const DEV_PACKS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/packs");

/// The command line the app accepts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Args {
    pub data_dir: Option<PathBuf>,
    pub help: bool,
}

pub const USAGE: &str = "\
Usage: ladder-app [--data-dir DIR]

  --data-dir DIR   where learners and progress are kept
                   (default: $LADDER_DATA_DIR, else the OS app-data folder)

Environment:
  LADDER_DATA_DIR   data directory when --data-dir is not given
  LADDER_PACKS_DIR  preload folder: its course packs are installed on start when new or newer
                    (default: assets/packs of the source checkout)
  LADDER_IMPORT_FILE  the file \"Import a pack\" picks, without opening the file dialog
  LADDER_TRACE_STARTUP=1      print start-up milestones (ms since start) to stderr
  LADDER_WEBKIT_COMPOSITING=1 keep WebKit's accelerated compositing (off by default)
";

impl Args {
    /// Parses the arguments after the program name. Unknown arguments are an error, so a typo
    /// does not silently fall back to the default data directory.
    pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Self> {
        let mut out = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let text = arg.to_string_lossy();
            if text == "--data-dir" {
                let dir = args.next().ok_or_else(|| bad_request("--data-dir needs a folder"))?;
                out.data_dir = Some(PathBuf::from(dir));
            } else if let Some(dir) = text.strip_prefix("--data-dir=") {
                out.data_dir = Some(PathBuf::from(dir));
            } else if text == "--help" || text == "-h" {
                out.help = true;
            } else {
                return Err(bad_request(format!("unknown argument: {text}")));
            }
        }
        if out.data_dir.as_ref().is_some_and(|d| d.as_os_str().is_empty()) {
            return Err(bad_request("--data-dir needs a folder"));
        }
        Ok(out)
    }
}

/// A source of environment variables (the real environment, or a map in tests).
pub trait Env {
    fn var(&self, name: &str) -> Option<OsString>;
}

/// The process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<OsString> {
        std::env::var_os(name).filter(|v| !v.is_empty())
    }
}

/// The folders (and the one file) the app works with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub data_dir: PathBuf,
    /// The preload folder.
    pub packs_dir: PathBuf,
    /// `$LADDER_IMPORT_FILE`: the pack file chooser returns it instead of opening a dialog.
    pub import_file: Option<PathBuf>,
}

impl Paths {
    pub fn resolve(args: &Args, env: &impl Env) -> Result<Self> {
        Ok(Self {
            data_dir: data_dir(args, env)?,
            packs_dir: packs_dir(env),
            import_file: env.var("LADDER_IMPORT_FILE").map(PathBuf::from),
        })
    }
}

fn data_dir(args: &Args, env: &impl Env) -> Result<PathBuf> {
    if let Some(d) = &args.data_dir {
        return Ok(d.clone());
    }
    if let Some(d) = env.var("LADDER_DATA_DIR") {
        return Ok(PathBuf::from(d));
    }
    default_app_data_dir(env)
        .ok_or_else(|| bad_request("no data directory: pass --data-dir DIR or set LADDER_DATA_DIR"))
}

/// The OS app-data folder, exactly as the CLI computes it, so both front ends share one database.
fn default_app_data_dir(env: &impl Env) -> Option<PathBuf> {
    if cfg!(target_os = "windows") {
        env.var("APPDATA").map(|d| PathBuf::from(d).join("Ladder"))
    } else if cfg!(target_os = "macos") {
        env.var("HOME")
            .map(|h| PathBuf::from(h).join("Library/Application Support/app.ladder.desktop"))
    } else if let Some(x) = env.var("XDG_DATA_HOME") {
        Some(PathBuf::from(x).join("ladder"))
    } else {
        env.var("HOME").map(|h| PathBuf::from(h).join(".local/share/ladder"))
    }
}

fn packs_dir(env: &impl Env) -> PathBuf {
    env.var("LADDER_PACKS_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(DEV_PACKS_DIR))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    struct MapEnv(HashMap<&'static str, &'static str>);

    impl Env for MapEnv {
        fn var(&self, name: &str) -> Option<OsString> {
            self.0.get(name).map(OsString::from)
        }
    }

    fn env(pairs: &[(&'static str, &'static str)]) -> MapEnv {
        MapEnv(pairs.iter().copied().collect())
    }

    fn args(list: &[&str]) -> Result<Args> {
        Args::parse(list.iter().map(OsString::from))
    }

    #[test]
    fn flag_beats_env_var() {
        let a = args(&["--data-dir", "/flag"]).expect("parse");
        let p = Paths::resolve(&a, &env(&[("LADDER_DATA_DIR", "/env")])).expect("resolve");
        assert_eq!(p.data_dir, PathBuf::from("/flag"));
        let a = args(&["--data-dir=/eq"]).expect("parse");
        let p = Paths::resolve(&a, &env(&[])).expect("resolve");
        assert_eq!(p.data_dir, PathBuf::from("/eq"));
    }

    #[test]
    fn env_var_beats_os_default() {
        let p = Paths::resolve(
            &Args::default(),
            &env(&[("LADDER_DATA_DIR", "/env"), ("HOME", "/home/x")]),
        )
        .expect("resolve");
        assert_eq!(p.data_dir, PathBuf::from("/env"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn os_default_follows_xdg_then_home() {
        let p = Paths::resolve(&Args::default(), &env(&[("HOME", "/home/x")])).expect("resolve");
        assert_eq!(p.data_dir, PathBuf::from("/home/x/.local/share/ladder"));
        let p = Paths::resolve(
            &Args::default(),
            &env(&[("HOME", "/home/x"), ("XDG_DATA_HOME", "/xdg")]),
        )
        .expect("resolve");
        assert_eq!(p.data_dir, PathBuf::from("/xdg/ladder"));
    }

    #[test]
    fn no_data_dir_at_all_is_a_clear_error() {
        let e = Paths::resolve(&Args::default(), &env(&[])).expect_err("no dir");
        assert!(e.message.contains("--data-dir"), "{}", e.message);
    }

    #[test]
    fn bad_arguments_are_refused() {
        assert!(args(&["--data-dir"]).is_err());
        assert!(args(&["--data-dir="]).is_err());
        assert!(args(&["--datadir", "x"]).is_err());
        assert!(args(&["--help"]).expect("parse").help);
    }

    #[test]
    fn packs_dir_from_env_else_checkout() {
        let p = Paths::resolve(
            &Args::default(),
            &env(&[("LADDER_DATA_DIR", "/d"), ("LADDER_PACKS_DIR", "/packs")]),
        )
        .expect("resolve");
        assert_eq!(p.packs_dir, PathBuf::from("/packs"));
        let p =
            Paths::resolve(&Args::default(), &env(&[("LADDER_DATA_DIR", "/d")])).expect("resolve");
        assert!(p.packs_dir.ends_with("assets/packs"), "{:?}", p.packs_dir);
        assert_eq!(p.import_file, None);
        let p = Paths::resolve(
            &Args::default(),
            &env(&[("LADDER_DATA_DIR", "/d"), ("LADDER_IMPORT_FILE", "/x.ladderpack")]),
        )
        .expect("resolve");
        assert_eq!(p.import_file, Some(PathBuf::from("/x.ladderpack")));
    }
}
