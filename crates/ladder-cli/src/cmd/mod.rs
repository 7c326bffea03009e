//! One module per subcommand. Each exposes a clap type and `run(&Context, cmd) -> Result<ExitCode>`.

use std::path::{Path, PathBuf};

pub mod db;
pub mod eval;
pub mod learner;
pub mod pack;
pub mod pack_new;
pub mod pack_store;
pub mod report;
pub mod serve;
pub mod simulate;
pub mod train;

/// What every subcommand may need: where the data lives.
#[derive(Debug, Clone)]
pub struct Context {
    explicit_data_dir: Option<PathBuf>,
}

impl Context {
    pub fn new(explicit_data_dir: Option<PathBuf>) -> Self {
        Self { explicit_data_dir }
    }

    /// The data directory: `--data-dir`, else `$LADDER_DATA_DIR`, else the OS app-data folder
    /// (`$XDG_DATA_HOME/ladder`, `~/.local/share/ladder`, ...). DESIGN.md section 3.
    #[allow(dead_code)]
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(d) = &self.explicit_data_dir {
            return Ok(d.clone());
        }
        if let Some(d) = std::env::var_os("LADDER_DATA_DIR").filter(|d| !d.is_empty()) {
            return Ok(PathBuf::from(d));
        }
        default_app_data_dir().ok_or_else(|| {
            anyhow::anyhow!("no data directory: pass --data-dir DIR or set LADDER_DATA_DIR")
        })
    }
}

impl Context {
    /// The data directory, when it holds Ladder data: its database, or the backups a missing
    /// database can be restored from (the store then says so and offers the newest).
    pub fn existing_data_dir(&self) -> anyhow::Result<PathBuf> {
        let dir = self.data_dir()?;
        let start = "`ladder learner add` or `ladder pack install` starts one there";
        if !dir.is_dir() {
            anyhow::bail!(
                "no Ladder data at {}: the folder does not exist (check --data-dir or \
                 LADDER_DATA_DIR; {start})",
                dir.display()
            );
        }
        let db = dir.join(ladder_store::DB_FILE);
        let backups = dir.join(ladder_store::BACKUP_DIR);
        if !db.exists() && !backups.is_dir() {
            anyhow::bail!(
                "no Ladder data at {}: it holds no {} (check --data-dir or LADDER_DATA_DIR; \
                 {start})",
                dir.display(),
                ladder_store::DB_FILE
            );
        }
        Ok(dir)
    }
}

fn default_app_data_dir() -> Option<PathBuf> {
    if cfg!(target_os = "windows") {
        std::env::var_os("APPDATA").map(|d| PathBuf::from(d).join("Ladder"))
    } else if cfg!(target_os = "macos") {
        std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join("Library/Application Support/app.ladder.desktop"))
    } else if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        Some(PathBuf::from(x).join("ladder"))
    } else {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share/ladder"))
    }
}

/// A report file named on the command line (`--json FILE`), checked before a long run so that a
/// path that cannot be written fails at once rather than after the run. Nothing is left behind
/// by the check (an earlier report stays as it was until [`ReportFile::write`], and a run that
/// fails or is interrupted leaves no empty file).
pub struct ReportFile {
    path: PathBuf,
}

impl ReportFile {
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        let cannot = || format!("cannot write {}", path.display());
        if path.exists() {
            std::fs::OpenOptions::new().append(true).open(path).with_context(cannot)?;
        } else {
            std::fs::File::create(path).with_context(cannot)?;
            std::fs::remove_file(path).with_context(cannot)?;
        }
        Ok(ReportFile { path: path.to_path_buf() })
    }

    /// Replaces the file's contents with `bytes`.
    pub fn write(self, bytes: &[u8]) -> anyhow::Result<()> {
        use anyhow::Context as _;
        std::fs::write(&self.path, bytes)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

/// The bundled default model's folder from a `--bundled DIR` flag: `DIR` itself when it exists
/// (relative to the working directory), else, for a relative `DIR`, the first of the executable's
/// folder and the three above it that holds it (a `target/release/ladder` run from anywhere finds
/// the repository's `models/default`; an install keeps `models/` beside or above `bin/`).
/// `None` when there is none: the caller falls back to the built-in predictor and says so.
pub fn bundled_model(flag: &Path) -> Option<PathBuf> {
    bundled_model_near(flag, std::env::current_exe().ok().as_deref())
}

/// [`bundled_model`] for an executable at `exe`.
fn bundled_model_near(flag: &Path, exe: Option<&Path>) -> Option<PathBuf> {
    if flag.exists() {
        return Some(flag.to_path_buf());
    }
    if flag.is_absolute() {
        return None;
    }
    exe?.parent()?.ancestors().take(4).map(|d| d.join(flag)).find(|p| p.exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_bundled_model_is_found_from_the_executable_too() {
        let tmp = tempfile::tempdir().unwrap();
        let model = tmp.path().join("models/default");
        std::fs::create_dir_all(&model).unwrap();
        let exe = tmp.path().join("target/release/ladder");
        // The tests run in the crate's folder, which has no models/default of its own.
        assert!(!Path::new("models/default").exists());
        assert_eq!(
            bundled_model_near(Path::new("models/default"), Some(&exe)),
            Some(model.clone())
        );
        assert_eq!(bundled_model_near(Path::new("models/other"), Some(&exe)), None);
        // Four folders up at most: an executable deeper down does not find it.
        let deep = tmp.path().join("a/b/c/d/ladder");
        assert_eq!(bundled_model_near(Path::new("models/default"), Some(&deep)), None);
        // An absolute path is taken as it is.
        assert_eq!(bundled_model_near(&model, None), Some(model.clone()));
        assert_eq!(bundled_model_near(&tmp.path().join("nope"), Some(&exe)), None);
    }
}
