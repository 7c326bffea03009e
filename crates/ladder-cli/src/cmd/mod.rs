//! One module per subcommand. Each exposes a clap type and `run(&Context, cmd) -> Result<ExitCode>`.

use std::path::PathBuf;

pub mod db;
pub mod eval;
pub mod learner;
pub mod pack;
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
