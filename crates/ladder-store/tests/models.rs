//! The model registry: old versions are forgotten, the ones still of use are not.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns panic on purpose

use ladder_store::{ModelScope, ModelVersionId, NewLearner, NewModelVersion, Store};

fn new(scope: ModelScope, n: u32) -> NewModelVersion {
    NewModelVersion {
        scope,
        checkpoint: format!("models/x/{n:04}"),
        trained_through: None,
        metrics: serde_json::json!({}),
    }
}

fn ids(store: &Store, scope: ModelScope) -> Vec<i64> {
    store.read(|tx| tx.model_versions(scope)).unwrap().into_iter().map(|v| v.id.0).collect()
}

#[test]
fn pruning_keeps_the_active_the_previous_and_the_newest_others() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    // Device versions 1..=6; the active one is 6, the one before it 2 (say a rollback made 2
    // active and a job started from it), and Ana's own model sits among them.
    let v: Vec<ModelVersionId> = s
        .transact(|tx| {
            let mut v = Vec::new();
            for n in 1..=6 {
                v.push(tx.add_model_version(&new(ModelScope::Device, n))?);
                if n == 3 {
                    let own = tx.add_model_version(&new(ModelScope::Learner(ana), 99))?;
                    tx.activate_model_version(own)?;
                }
            }
            tx.activate_model_version(v[5])?;
            Ok(v)
        })
        .unwrap();
    let own = s.read(|tx| tx.active_model(ModelScope::Learner(ana))).unwrap().unwrap();

    let removed =
        s.transact(|tx| tx.prune_model_versions(ModelScope::Device, 3, Some(v[1]))).unwrap();
    let removed: Vec<i64> = removed.iter().map(|m| m.id.0).collect();
    // Kept: 6 (active), 2 (previous), 5 (the newest other) -> three in all.
    assert_eq!(removed, [v[0].0, v[2].0, v[3].0]);
    assert_eq!(ids(&s, ModelScope::Device), [v[1].0, v[4].0, v[5].0]);
    assert_eq!(ids(&s, ModelScope::Learner(ana)), [own.id.0], "another scope is not touched");
    assert_eq!(s.read(|tx| tx.active_model(ModelScope::Device)).unwrap().unwrap().id, v[5]);

    // Nothing more to remove: a second pass removes nothing.
    assert!(s
        .transact(|tx| tx.prune_model_versions(ModelScope::Device, 3, None))
        .unwrap()
        .is_empty());
    // Keeping fewer than two never removes the active version.
    let removed = s.transact(|tx| tx.prune_model_versions(ModelScope::Device, 0, None)).unwrap();
    assert_eq!(removed.iter().map(|m| m.id.0).collect::<Vec<_>>(), [v[1].0, v[4].0]);
    assert_eq!(ids(&s, ModelScope::Device), [v[5].0]);
    // A learner's only version, active, stays.
    assert!(s
        .transact(|tx| tx.prune_model_versions(ModelScope::Learner(ana), 0, None))
        .unwrap()
        .is_empty());
}

#[test]
fn deactivating_a_scope_leaves_it_without_an_active_model_and_others_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    s.transact(|tx| {
        let d = tx.add_model_version(&new(ModelScope::Device, 1))?;
        tx.activate_model_version(d)?;
        let own = tx.add_model_version(&new(ModelScope::Learner(ana), 2))?;
        tx.activate_model_version(own)
    })
    .unwrap();
    assert!(s.transact(|tx| tx.deactivate_model(ModelScope::Device)).unwrap());
    assert!(s.read(|tx| tx.active_model(ModelScope::Device)).unwrap().is_none());
    assert!(s.read(|tx| tx.active_model(ModelScope::Learner(ana))).unwrap().is_some());
    assert_eq!(ids(&s, ModelScope::Device).len(), 1, "the version stays recorded");
    assert!(!s.transact(|tx| tx.deactivate_model(ModelScope::Device)).unwrap(), "none was active");
}
