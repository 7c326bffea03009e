//! Checkpoints: a folder with `model.safetensors` (the weights) and `model.json` (format, config,
//! vocabulary and the SHA-256 of the weights file).
//!
//! Saving writes both files to temporary names, syncs them, moves the current pair to `.prev`,
//! renames the new pair into place and syncs the folder. Loading refuses, with a message that
//! says what is wrong, any file that is missing, truncated, too large, not ours, whose checksum
//! differs, whose tensors' names, shapes or dtypes do not match the config, or whose weights are
//! not all finite numbers. Nothing in here
//! panics on hostile bytes: the JSON is parsed by serde and the weights only after the checksum
//! matched, by the safetensors parser that validates offsets.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor, Var};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::data::Vocabs;
use crate::error::{Error, Result};
use crate::infer::KtModel;
use crate::model::{ModelConfig, Params};

pub const WEIGHTS_FILE: &str = "model.safetensors";
pub const CONFIG_FILE: &str = "model.json";
const FORMAT: &str = "ladder-kt";
const FORMAT_VERSION: u32 = 1;
/// Refuse files larger than this (a hostile or wrong file should not exhaust memory).
const MAX_WEIGHTS_BYTES: u64 = 2 << 30;
const MAX_CONFIG_BYTES: u64 = 256 << 20;

/// The JSON written next to the weights.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointMeta {
    pub format: String,
    pub format_version: u32,
    pub dtype: String,
    pub weights_sha256: String,
    /// SHA-256 of the `config` and `vocabs` as saved (see [`config_digest`]): a hand-edited
    /// config that keeps every tensor's shape (a reordered vocabulary, another `max_len`) would
    /// otherwise load and silently give each item another's weights. Absent in checkpoints
    /// written before it existed, which are not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_sha256: Option<String>,
    pub config: ModelConfig,
    pub vocabs: Vocabs,
    /// Free-form notes (data, metrics) for the model card.
    #[serde(default)]
    pub notes: serde_json::Value,
}

fn ck_err(path: &Path, message: impl Into<String>) -> Error {
    Error::Checkpoint { path: path.to_path_buf(), message: message.into() }
}

fn sync_file(path: &Path) -> Result<()> {
    File::open(path).and_then(|f| f.sync_all()).map_err(|e| Error::io(path, e))
}

fn sha256_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

fn prev_name(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".prev");
    PathBuf::from(s)
}

fn tmp_name(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".tmp");
    PathBuf::from(s)
}

/// Saves `model` into `dir` (created if needed), keeping the previous checkpoint as `.prev`.
/// When writing fails (a full disk, a read-only folder), the error names the file, the
/// temporary files are removed again and the checkpoint already in `dir` is left as it was.
pub fn save(model: &KtModel, dir: &Path, notes: serde_json::Value) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let weights = dir.join(WEIGHTS_FILE);
    let config = dir.join(CONFIG_FILE);
    let (w_tmp, c_tmp) = (tmp_name(&weights), tmp_name(&config));
    let written = write_temporaries(model, &w_tmp, &c_tmp, notes);
    if let Err(e) = written {
        // Only what this save may have created: a file (a folder by that name is not ours).
        for t in [&w_tmp, &c_tmp] {
            if t.symlink_metadata().is_ok_and(|m| m.is_file()) {
                let _ = std::fs::remove_file(t);
            }
        }
        return Err(e);
    }
    for p in [&weights, &config] {
        if p.exists() {
            std::fs::rename(p, prev_name(p)).map_err(|e| Error::io(p, e))?;
        }
    }
    std::fs::rename(&w_tmp, &weights).map_err(|e| Error::io(&weights, e))?;
    std::fs::rename(&c_tmp, &config).map_err(|e| Error::io(&config, e))?;
    // Make the renames durable (directories can be opened and synced on Unix).
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes and syncs the weights to `w_tmp` and the config (with the weights' checksum) to
/// `c_tmp`.
fn write_temporaries(
    model: &KtModel,
    w_tmp: &Path,
    c_tmp: &Path,
    notes: serde_json::Value,
) -> Result<()> {
    let tensors: HashMap<String, Tensor> = model
        .params
        .tensors()
        .into_iter()
        .map(|(k, t)| Ok((k, t.to_device(&Device::Cpu)?)))
        .collect::<Result<_>>()?;
    candle_core::safetensors::save(&tensors, w_tmp)
        .map_err(|e| ck_err(w_tmp, format!("cannot write the weights: {e}")))?;
    sync_file(w_tmp)?;
    let mut meta = CheckpointMeta {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        dtype: "f32".into(),
        weights_sha256: sha256_file(w_tmp)?,
        config_sha256: None,
        config: model.config.clone(),
        vocabs: model.vocabs.clone(),
        notes,
    };
    // The digest of the config as it will read back (numbers as written, not as in memory).
    let written: serde_json::Value = serde_json::from_slice(&serde_json::to_vec(&meta)?)?;
    meta.config_sha256 = Some(config_digest(&written));
    let mut f = File::create(c_tmp).map_err(|e| Error::io(c_tmp, e))?;
    f.write_all(&serde_json::to_vec_pretty(&meta)?)
        .and_then(|_| f.sync_all())
        .map_err(|e| Error::io(c_tmp, e))
}

/// Reads a checkpoint file of at most `cap` bytes. Only a regular file is read: a device or a
/// pipe (say a link to /dev/zero) has no length and no end, and reading it would exhaust memory
/// or hang. The read itself stops past `cap`, whatever the length said.
fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(ck_err(path, "not a regular file"));
    }
    let len = meta.len();
    if len > cap {
        return Err(ck_err(path, format!("file is {len} bytes, more than the {cap} allowed")));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    File::open(path)
        .and_then(|f| f.take(cap + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > cap {
        return Err(ck_err(path, format!("file is more than the {cap} bytes allowed")));
    }
    Ok(bytes)
}

/// SHA-256 of the `config` and `vocabs` members of a checkpoint's JSON, taken from the parsed
/// JSON (so the file's layout does not matter, and fields a newer build adds with a default do
/// not change it for older files).
fn config_digest(meta: &serde_json::Value) -> String {
    let part = serde_json::json!({ "config": meta["config"], "vocabs": meta["vocabs"] });
    hex::encode(Sha256::digest(part.to_string().as_bytes()))
}

/// Reads and checks the metadata of the checkpoint in `dir`.
pub fn read_meta(dir: &Path) -> Result<CheckpointMeta> {
    read_meta_checked(dir).map(|(meta, _)| meta)
}

/// [`read_meta`], and whether the config and vocabulary are the ones saved with the weights
/// (`Err` with the reason when `config_sha256` disagrees; `Ok` when the file has none).
fn read_meta_checked(dir: &Path) -> Result<(CheckpointMeta, std::result::Result<(), Error>)> {
    let config = dir.join(CONFIG_FILE);
    let bytes = read_capped(&config, MAX_CONFIG_BYTES)?;
    let mut meta: CheckpointMeta = serde_json::from_slice(&bytes)
        .map_err(|e| ck_err(&config, format!("not a valid checkpoint config: {e}")))?;
    if meta.format != FORMAT {
        return Err(ck_err(&config, format!("format is `{}`, expected `{FORMAT}`", meta.format)));
    }
    if meta.format_version != FORMAT_VERSION {
        return Err(ck_err(
            &config,
            format!(
                "format version {} is not supported (this build reads {FORMAT_VERSION})",
                meta.format_version
            ),
        ));
    }
    if meta.dtype != "f32" {
        return Err(ck_err(&config, format!("dtype `{}` is not supported (f32 only)", meta.dtype)));
    }
    meta.config.validate().map_err(|e| ck_err(&config, e.to_string()))?;
    meta.vocabs.rebuild_index().map_err(|e| ck_err(&config, e.to_string()))?;
    if meta.vocabs.items.rows() != meta.config.n_items
        || meta.vocabs.skills.rows() != meta.config.n_skills
    {
        return Err(ck_err(
            &config,
            format!(
                "vocabulary ({} items, {} skills) does not match config ({} item rows, {} skill rows)",
                meta.vocabs.items.rows(),
                meta.vocabs.skills.rows(),
                meta.config.n_items,
                meta.config.n_skills
            ),
        ));
    }
    let unchanged = match &meta.config_sha256 {
        None => Ok(()),
        Some(saved) => {
            let value: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| ck_err(&config, format!("not a valid checkpoint config: {e}")))?;
            if config_digest(&value) == *saved {
                Ok(())
            } else {
                Err(ck_err(
                    &config,
                    "the config or vocabulary has changed since the weights were saved (its \
                     config_sha256 no longer matches: edited by hand?); restore the file or \
                     train the model again",
                ))
            }
        }
    };
    Ok((meta, unchanged))
}

/// Loads the checkpoint in `dir` onto `device`.
pub fn load(dir: &Path, device: &Device) -> Result<KtModel> {
    let (meta, unchanged) = read_meta_checked(dir)?;
    let weights = dir.join(WEIGHTS_FILE);
    let bytes = read_capped(&weights, MAX_WEIGHTS_BYTES)?;
    let sum = hex::encode(Sha256::digest(&bytes));
    if sum != meta.weights_sha256 {
        return Err(ck_err(
            &weights,
            format!(
                "checksum mismatch: file has sha256 {sum}, config expects {} (truncated or replaced file)",
                meta.weights_sha256
            ),
        ));
    }
    let mut tensors = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu)
        .map_err(|e| ck_err(&weights, format!("unreadable safetensors: {e}")))?;
    let mut vars = std::collections::BTreeMap::new();
    for (name, shape) in meta.config.param_shapes() {
        let t = tensors
            .remove(&name)
            .ok_or_else(|| ck_err(&weights, format!("tensor `{name}` is missing")))?;
        if t.dtype() != DType::F32 {
            return Err(ck_err(
                &weights,
                format!("tensor `{name}` has dtype {:?}, expected f32", t.dtype()),
            ));
        }
        if t.dims() != shape.as_slice() {
            return Err(ck_err(
                &weights,
                format!("tensor `{name}` has shape {:?}, config implies {shape:?}", t.dims()),
            ));
        }
        // A NaN or infinity would make every prediction NaN: a model that loads but cannot
        // be used. Refused, so that the caller falls back to the previous model.
        let values = t.flatten_all()?.to_vec1::<f32>()?;
        if let Some(bad) = values.iter().find(|v| !v.is_finite()) {
            return Err(ck_err(
                &weights,
                format!("tensor `{name}` holds {bad}: weights must be finite numbers"),
            ));
        }
        vars.insert(name, Var::from_tensor(&t.to_device(device)?)?);
    }
    if let Some(extra) = tensors.keys().next() {
        return Err(ck_err(
            &weights,
            format!("unexpected tensor `{extra}` (config and weights disagree)"),
        ));
    }
    // Last, so that a config whose shapes disagree with the weights is named by its shapes.
    unchanged?;
    Ok(KtModel {
        config: meta.config,
        vocabs: meta.vocabs,
        params: Params { vars },
        device: device.clone(),
    })
}

/// Loads the previous checkpoint (`.prev` files) in `dir`.
pub fn load_previous(dir: &Path, device: &Device) -> Result<KtModel> {
    let tmp = dir.join(".prev-view");
    std::fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    for f in [WEIGHTS_FILE, CONFIG_FILE] {
        let src = prev_name(&dir.join(f));
        std::fs::copy(&src, tmp.join(f)).map_err(|e| Error::io(&src, e))?;
    }
    let m = load(&tmp, device);
    let _ = std::fs::remove_dir_all(&tmp);
    m
}
