//! Checkpoints round-trip, keep the previous one, and refuse bad files without panicking.

use candle_core::Device;
use ladder_model::checkpoint::{load, load_previous, save, CONFIG_FILE, WEIGHTS_FILE};
use ladder_model::data::Vocabs;
use ladder_model::infer::KtModel;
use ladder_model::model::ModelConfig;
use ladder_model::synth::{generate, SynthSpec};
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

fn model(seed: u64) -> (KtModel, Vec<ladder_model::data::LearnerSequence>) {
    let seqs = generate(&SynthSpec {
        learners: 5,
        min_len: 10,
        max_len: 12,
        items: 15,
        skills: 3,
        seed: 1,
    });
    let v = Vocabs::build(&seqs);
    let cfg = ModelConfig {
        d_model: 16,
        n_heads: 2,
        d_ff: 32,
        n_items: v.items.rows(),
        n_skills: v.skills.rows(),
        ..ModelConfig::default()
    };
    (KtModel::new(cfg, v, &Device::Cpu, seed).expect("model"), seqs)
}

#[test]
fn round_trip_and_previous_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, seqs) = model(1);
    let (b, _) = model(2);
    save(&a, dir.path(), serde_json::json!({"note": "first"})).expect("save a");
    save(&b, dir.path(), serde_json::Value::Null).expect("save b");
    let loaded = load(dir.path(), &Device::Cpu).expect("load");
    let prev = load_previous(dir.path(), &Device::Cpu).expect("load prev");
    let pb = b.predict(&seqs).expect("pb");
    let pa = a.predict(&seqs).expect("pa");
    assert_eq!(loaded.predict(&seqs).expect("p"), pb);
    assert_eq!(prev.predict(&seqs).expect("p"), pa);
    assert_ne!(pa, pb);
    assert_eq!(loaded.vocabs.items.get("item3"), b.vocabs.items.get("item3"));
    assert!(!dir.path().join("model.safetensors.tmp").exists());
}

fn expect_refused(dir: &std::path::Path, what: &str) {
    let r = std::panic::catch_unwind(|| load(dir, &Device::Cpu));
    let r = r.unwrap_or_else(|_| panic!("load panicked ({what})"));
    let e = r.err().unwrap_or_else(|| panic!("accepted a bad checkpoint ({what})"));
    assert!(!e.to_string().is_empty());
}

fn write_weights_with_matching_checksum(dir: &std::path::Path, bytes: &[u8]) {
    std::fs::write(dir.join(WEIGHTS_FILE), bytes).expect("write");
    let cfg_path = dir.join(CONFIG_FILE);
    let mut meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&cfg_path).expect("read")).expect("json");
    meta["weights_sha256"] = serde_json::Value::String(hex::encode(Sha256::digest(bytes)));
    std::fs::write(&cfg_path, serde_json::to_vec(&meta).expect("json")).expect("write");
}

#[test]
fn truncated_random_and_mismatched_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, _) = model(1);
    save(&a, dir.path(), serde_json::Value::Null).expect("save");
    let weights = std::fs::read(dir.path().join(WEIGHTS_FILE)).expect("read");
    let config = std::fs::read(dir.path().join(CONFIG_FILE)).expect("read");
    let restore = || {
        std::fs::write(dir.path().join(WEIGHTS_FILE), &weights).expect("w");
        std::fs::write(dir.path().join(CONFIG_FILE), &config).expect("w");
    };

    // Truncated weights: the checksum no longer matches.
    std::fs::write(dir.path().join(WEIGHTS_FILE), &weights[..weights.len() / 2]).expect("w");
    let e = load(dir.path(), &Device::Cpu).err().expect("truncated").to_string();
    assert!(e.contains("checksum"), "{e}");
    restore();

    // Truncated and garbage config.
    std::fs::write(dir.path().join(CONFIG_FILE), &config[..config.len() / 3]).expect("w");
    expect_refused(dir.path(), "truncated config");
    std::fs::write(dir.path().join(CONFIG_FILE), b"\x00\xffnot json").expect("w");
    expect_refused(dir.path(), "garbage config");
    restore();

    // Hostile weights whose checksum matches: truncated at every length class, random bytes,
    // and a header that claims huge offsets. The safetensors parser must refuse them all.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mut cases: Vec<Vec<u8>> =
        vec![Vec::new(), weights[..7].to_vec(), weights[..weights.len() - 1].to_vec()];
    for len in [8usize, 64, 1000, 5000] {
        cases.push((0..len).map(|_| rng.random::<u8>()).collect());
    }
    let mut huge = (1u64 << 40).to_le_bytes().to_vec();
    huge.extend_from_slice(b"{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
    cases.push(huge);
    for (i, bytes) in cases.iter().enumerate() {
        write_weights_with_matching_checksum(dir.path(), bytes);
        expect_refused(dir.path(), &format!("hostile weights case {i}"));
        restore();
    }

    // A config whose shapes do not match the weights (different d_model).
    let mut meta: serde_json::Value = serde_json::from_slice(&config).expect("json");
    meta["config"]["d_model"] = serde_json::json!(32);
    meta["config"]["d_ff"] = serde_json::json!(64);
    std::fs::write(dir.path().join(CONFIG_FILE), serde_json::to_vec(&meta).expect("j")).expect("w");
    let e = load(dir.path(), &Device::Cpu).err().expect("shape").to_string();
    assert!(e.contains("shape"), "{e}");
    restore();

    // Wrong dtype declared, unknown field, vocabulary that disagrees with the config.
    for (key, value) in [
        ("dtype", serde_json::json!("f16")),
        ("surprise", serde_json::json!(1)),
        ("format_version", serde_json::json!(99)),
    ] {
        let mut meta: serde_json::Value = serde_json::from_slice(&config).expect("json");
        meta[key] = value;
        std::fs::write(dir.path().join(CONFIG_FILE), serde_json::to_vec(&meta).expect("j"))
            .expect("w");
        expect_refused(dir.path(), key);
    }
    let mut meta: serde_json::Value = serde_json::from_slice(&config).expect("json");
    meta["config"]["n_items"] = serde_json::json!(3);
    std::fs::write(dir.path().join(CONFIG_FILE), serde_json::to_vec(&meta).expect("j")).expect("w");
    let e = load(dir.path(), &Device::Cpu).err().expect("vocab").to_string();
    assert!(e.contains("vocabulary"), "{e}");
    restore();
    load(dir.path(), &Device::Cpu).expect("restored checkpoint loads");
}

/// Rewrites every value of tensor `name` in the weights file as `value`, with the checksum in the
/// config updated to match (a hostile or bit-rotted file that passes the checksum).
fn poison_tensor(dir: &std::path::Path, name: &str, value: f32) {
    let bytes = std::fs::read(dir.join(WEIGHTS_FILE)).expect("read");
    let n = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) as usize;
    let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).expect("header");
    let offsets = &header[name]["data_offsets"];
    let (a, b) =
        (offsets[0].as_u64().expect("a") as usize, offsets[1].as_u64().expect("b") as usize);
    let mut out = bytes.clone();
    for at in (8 + n + a..8 + n + b).step_by(4) {
        out[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }
    write_weights_with_matching_checksum(dir, &out);
}

#[test]
fn weights_that_are_not_finite_numbers_are_refused() {
    // A checkpoint whose weights hold NaN or infinity loads as a model that predicts NaN for
    // everything: the app would run it (mastery and predictions all null, the policy blind)
    // instead of falling back to the previous model.
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, _) = model(1);
    save(&a, dir.path(), serde_json::Value::Null).expect("save");
    let weights = std::fs::read(dir.path().join(WEIGHTS_FILE)).expect("read");
    let config = std::fs::read(dir.path().join(CONFIG_FILE)).expect("read");
    for (name, value) in [("emb.item_bias", f32::NAN), ("emb.skill", f32::INFINITY)] {
        poison_tensor(dir.path(), name, value);
        let e = load(dir.path(), &Device::Cpu).err().expect("non-finite weights").to_string();
        assert!(e.contains(name) && e.contains("finite"), "{e}");
        std::fs::write(dir.path().join(WEIGHTS_FILE), &weights).expect("w");
        std::fs::write(dir.path().join(CONFIG_FILE), &config).expect("w");
    }
    load(dir.path(), &Device::Cpu).expect("restored checkpoint loads");
}

#[cfg(unix)]
#[test]
fn a_checkpoint_file_that_is_not_a_regular_file_is_refused_without_reading_it() {
    // A device or pipe reports length 0 and never ends: reading it to the end would exhaust
    // memory (/dev/zero) or hang (/dev/stdin of a terminal) instead of refusing the checkpoint.
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, _) = model(1);
    save(&a, dir.path(), serde_json::Value::Null).expect("save");
    for f in [CONFIG_FILE, WEIGHTS_FILE] {
        let saved = std::fs::read(dir.path().join(f)).expect("read");
        std::fs::remove_file(dir.path().join(f)).expect("rm");
        std::os::unix::fs::symlink("/dev/zero", dir.path().join(f)).expect("symlink");
        let e = load(dir.path(), &Device::Cpu).err().expect("not a file").to_string();
        assert!(e.contains("not a regular file"), "{e}");
        std::fs::remove_file(dir.path().join(f)).expect("rm");
        std::fs::write(dir.path().join(f), saved).expect("w");
    }
    load(dir.path(), &Device::Cpu).expect("restored checkpoint loads");
}

#[test]
fn a_save_that_fails_leaves_no_temporary_file_and_names_the_file() {
    // A full disk while `ladder train -o DIR` saved: "error: tensor: I/O error: No space left
    // on device", naming no file, and `model.safetensors.tmp` stayed in the folder. Here the
    // second temporary name is taken by a folder, so the config cannot be written.
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, seqs) = model(1);
    let (b, _) = model(2);
    save(&a, dir.path(), serde_json::Value::Null).expect("save a");
    let before = load(dir.path(), &Device::Cpu).expect("load a").predict(&seqs).expect("p");
    let blocker = dir.path().join(format!("{CONFIG_FILE}.tmp"));
    std::fs::create_dir(&blocker).expect("mkdir");
    let e = save(&b, dir.path(), serde_json::Value::Null).expect_err("config cannot be written");
    assert!(e.to_string().contains(&format!("{CONFIG_FILE}.tmp")), "{e}");
    let weights_tmp = dir.path().join(format!("{WEIGHTS_FILE}.tmp"));
    assert!(!weights_tmp.exists(), "the weights written first were left behind: {e}");
    let now = load(dir.path(), &Device::Cpu).expect("the checkpoint is as it was");
    assert_eq!(now.predict(&seqs).expect("p"), before);
    assert!(!dir.path().join(format!("{WEIGHTS_FILE}.prev")).exists(), "nothing moved aside");
    std::fs::remove_dir(&blocker).expect("rmdir");

    // The weights cannot be written: the error names the file.
    std::fs::create_dir(&weights_tmp).expect("mkdir");
    let e = save(&b, dir.path(), serde_json::Value::Null).expect_err("weights cannot be written");
    assert!(e.to_string().contains(&format!("{WEIGHTS_FILE}.tmp")), "{e}");
    assert!(!dir.path().join(format!("{CONFIG_FILE}.tmp")).exists());
    let now = load(dir.path(), &Device::Cpu).expect("the checkpoint is as it was");
    assert_eq!(now.predict(&seqs).expect("p"), before);
}

#[test]
fn a_config_edited_by_hand_that_keeps_the_shapes_is_refused() {
    // Reordering the item or skill vocabulary (or changing `max_len`) in model.json keeps every
    // tensor's shape: the checkpoint loaded, and each item silently took another's difficulty.
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, _) = model(1);
    save(&a, dir.path(), serde_json::json!({"note": "first"})).expect("save");
    let config = std::fs::read(dir.path().join(CONFIG_FILE)).expect("read");
    let saved: serde_json::Value = serde_json::from_slice(&config).expect("json");
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut meta = saved.clone();
        f(&mut meta);
        std::fs::write(dir.path().join(CONFIG_FILE), serde_json::to_vec(&meta).expect("j"))
            .expect("w");
        load(dir.path(), &Device::Cpu)
    };
    let reversed = |list: &serde_json::Value| {
        let mut ids = list.as_array().expect("ids").clone();
        ids.reverse();
        serde_json::Value::Array(ids)
    };
    type Edit<'a> = &'a dyn Fn(&mut serde_json::Value);
    let cases: [(&str, Edit); 3] = [
        ("items reordered", &|m| {
            m["vocabs"]["items"]["ids"] = reversed(&m["vocabs"]["items"]["ids"])
        }),
        ("skills reordered", &|m| {
            m["vocabs"]["skills"]["ids"] = reversed(&m["vocabs"]["skills"]["ids"])
        }),
        ("max_len changed", &|m| m["config"]["max_len"] = serde_json::json!(10)),
    ];
    for (what, f) in cases {
        let e = edit(f).err().unwrap_or_else(|| panic!("accepted: {what}")).to_string();
        assert!(e.contains(CONFIG_FILE) && e.contains("changed since"), "{what}: {e}");
    }
    // Notes are free-form: editing them, or the file's layout, changes nothing that counts.
    edit(&|m| m["notes"] = serde_json::json!({"note": "edited"})).expect("notes edited");
    let pretty = serde_json::to_vec_pretty(&saved).expect("j");
    std::fs::write(dir.path().join(CONFIG_FILE), pretty).expect("w");
    load(dir.path(), &Device::Cpu).expect("re-indented config loads");
    // A checkpoint written before configs had a checksum (models/default among them) loads.
    edit(&|m| {
        m.as_object_mut().expect("object").remove("config_sha256");
    })
    .expect("a config without a checksum");
}
