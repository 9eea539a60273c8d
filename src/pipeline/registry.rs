//! Named pipelines the `pipeline` processor can call.

use super::{BuildContext, Pipeline};
use crate::error::EsError;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// Pipelines by id: registered ones, and files `<id>.json`, `<id>.yml` or
/// `<id>.yaml` found in the search directories, loaded on first use.
#[derive(Debug, Default)]
pub struct PipelineRegistry {
    dirs: Vec<PathBuf>,
    loaded: RwLock<HashMap<String, Arc<Pipeline>>>,
}

impl PipelineRegistry {
    pub fn with_dirs(dirs: Vec<PathBuf>) -> PipelineRegistry {
        PipelineRegistry {
            dirs,
            loaded: RwLock::default(),
        }
    }

    pub fn insert(&self, pipeline: Pipeline) -> Arc<Pipeline> {
        let p = Arc::new(pipeline);
        self.loaded
            .write()
            .expect("registry lock")
            .insert(p.id.clone(), p.clone());
        p
    }

    /// Finds a pipeline by id; `Ok(None)` when there is none.
    pub fn get(&self, id: &str, ctx: &BuildContext) -> Result<Option<Arc<Pipeline>>, EsError> {
        if let Some(p) = self.loaded.read().expect("registry lock").get(id) {
            return Ok(Some(p.clone()));
        }
        for dir in &self.dirs {
            for ext in ["json", "yml", "yaml"] {
                let path = dir.join(format!("{id}.{ext}"));
                if path.is_file() {
                    let p = Pipeline::load(&path, ctx)?;
                    return Ok(Some(self.insert(p)));
                }
            }
        }
        Ok(None)
    }
}
