//! What the commands share, handed to Tauri with `.manage()`.

use std::sync::Arc;

use crate::learners::Learners;
use crate::paths::Paths;

pub struct AppState {
    pub paths: Paths,
    pub learners: Arc<Learners>,
}

impl AppState {
    pub fn new(paths: Paths) -> Self {
        let learners = Arc::new(Learners::new(&paths.data_dir));
        Self { paths, learners }
    }
}
