//! Pack install, upgrade and removal keep every learner's history pointing at its item.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns panic on purpose

use std::collections::BTreeMap;

use ladder_store::{
    ErrorKind, Event, ItemContent, ItemRef, LearnerId, NewLearner, PackContent, PackFile, Store,
};
use proptest::prelude::*;

fn pack(id: &str, version: &str, items: &[(String, i64)]) -> PackContent {
    PackContent {
        id: id.into(),
        version: version.into(),
        title: format!("Pack {id}"),
        meta: serde_json::json!({"version": version}),
        items: items
            .iter()
            .map(|(id, v)| ItemContent { id: id.clone(), content: serde_json::json!({"value": v}) })
            .collect(),
        files: Vec::new(),
    }
}

fn shown(pack: &str, item: &str) -> Event {
    Event::shown(ItemRef::new(pack, item), "test")
}

fn items(spec: &[(&str, i64)]) -> Vec<(String, i64)> {
    spec.iter().map(|(i, v)| ((*i).to_string(), *v)).collect()
}

#[test]
fn diff_reports_new_changed_removed_and_dry_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let v1 = pack("p", "1.0.0", &items(&[("a", 1), ("b", 2), ("c", 3)]));
    let d = s.install_pack(&v1, false).unwrap();
    assert_eq!(d.added, ["a", "b", "c"]);
    assert_eq!(d.from_version, None);
    assert_eq!(d.title, "Pack p", "the title a teacher reads, beside the id");
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    s.transact(|tx| tx.append_event(ana, None, &shown("p", "c"))).unwrap();

    let v2 = pack("p", "1.1.0", &items(&[("a", 1), ("c", 30), ("d", 4)]));
    let dry = s.install_pack(&v2, true).unwrap();
    assert_eq!(dry.added, ["d"]);
    assert_eq!(dry.changed, ["c"]);
    assert_eq!(dry.removed, ["b"]);
    assert_eq!(dry.unchanged, 1);
    assert_eq!(dry.from_version.as_deref(), Some("1.0.0"));
    assert_eq!(s.read(|tx| tx.pack("p")).unwrap().unwrap().version, "1.0.0", "dry run applied");

    let real = s.install_pack(&v2, false).unwrap();
    assert_eq!(real, dry);
    let now = s.read(|tx| tx.items("p")).unwrap();
    assert_eq!(now.iter().map(|i| i.revision.item.as_str()).collect::<Vec<_>>(), ["a", "c", "d"]);
    // The event still finds what the learner saw: revision 1 of c.
    let e = &s.read(|tx| tx.events(ana, None)).unwrap()[0];
    let item = e.event.item().unwrap();
    assert_eq!(item.revision, Some(1));
    let seen = s.read(|tx| tx.item_revision("p", "c", 1)).unwrap().unwrap();
    assert_eq!(seen.content["value"], 3);
    assert_eq!(s.read(|tx| tx.item("p", "c")).unwrap().unwrap().content["value"], 30);

    // Same version again: nothing to do. Same version, other content, or older: refused.
    assert!(s.install_pack(&v2, false).unwrap().is_noop());
    let clash = pack("p", "1.1.0", &items(&[("a", 9)]));
    assert_eq!(s.install_pack(&clash, false).unwrap_err().kind(), ErrorKind::Invalid);
    let older = pack("p", "0.9.0", &items(&[("a", 1)]));
    assert_eq!(s.install_pack(&older, false).unwrap_err().kind(), ErrorKind::Invalid);
}

#[test]
fn remove_refuses_with_history_unless_forced_and_keeps_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let mut v1 = pack("p", "1.0.0", &items(&[("a", 1)]));
    v1.files = vec![PackFile { path: "media/x.svg".into(), bytes: b"<svg/>".to_vec() }];
    s.install_pack(&v1, false).unwrap();
    assert_eq!(std::fs::read(dir.path().join("packs/p/1.0.0/media/x.svg")).unwrap(), b"<svg/>");
    s.install_pack(&pack("q", "1.0.0", &items(&[("z", 1)])), false).unwrap();
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    s.transact(|tx| tx.append_event(ana, None, &shown("p", "a"))).unwrap();

    let err = s.remove_pack("p", false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().contains("--force"), "{err}");
    assert_eq!(s.remove_pack("p", true).unwrap(), 1);
    assert!(s.read(|tx| tx.packs(false)).unwrap().iter().all(|p| p.id != "p"));
    assert!(s.read(|tx| tx.pack("p")).unwrap().unwrap().removed.is_some());
    assert!(!dir.path().join("packs/p").exists());
    // Its files are gone, so it names no folder for them (`ladder pack list --all --json`).
    assert_eq!(s.read(|tx| tx.pack("p")).unwrap().unwrap().files_dir, None);
    assert_eq!(s.read(|tx| tx.events(ana, None)).unwrap().len(), 1);
    assert!(s.read(|tx| tx.item_revision("p", "a", 1)).unwrap().is_some(), "history lost its item");
    // An older version stays refused, and the message says why although none is installed.
    let older = s.install_pack(&pack("p", "0.9.0", &items(&[("a", 1)])), false).unwrap_err();
    assert!(older.to_string().contains("removed earlier with its learners' history"), "{older}");
    // Removed in the app as well as with `ladder pack remove --force`: no option named.
    assert!(!older.to_string().contains("--force"), "{older}");
    // Reinstalling brings it back with the same revision.
    s.install_pack(&v1, false).unwrap();
    assert_eq!(s.read(|tx| tx.items("p")).unwrap()[0].revision.revision, 1);
    let files_dir = s.read(|tx| tx.pack("p")).unwrap().unwrap().files_dir;
    assert_eq!(files_dir.as_deref(), Some("packs/p/1.0.0"));
    assert!(dir.path().join("packs/p/1.0.0/media/x.svg").is_file());

    // Without history, removal leaves nothing.
    assert_eq!(s.remove_pack("q", false).unwrap(), 0);
    assert!(s.read(|tx| tx.pack("q")).unwrap().is_none());
    assert_eq!(s.remove_pack("nope", false).unwrap_err().kind(), ErrorKind::NotFound);
}

/// Installing a pack removed with its history kept is a return: its items are compared with
/// what the history knows of them (not all "new"), and nothing counts as removed by it.
#[test]
fn a_returning_pack_is_compared_with_its_stored_items() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let v1 = pack("p", "1.0.0", &items(&[("a", 1), ("b", 1)]));
    s.install_pack(&v1, false).unwrap();
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    s.transact(|tx| tx.append_event(ana, None, &shown("p", "a"))).unwrap();
    s.transact(|tx| tx.append_event(ana, None, &shown("p", "b"))).unwrap();
    s.remove_pack("p", true).unwrap();

    let same = s.install_pack(&v1, true).unwrap();
    assert!(same.returning);
    assert_eq!(same.from_version.as_deref(), Some("1.0.0"));
    assert_eq!((same.added.len(), same.changed.len(), same.unchanged), (0, 0, 2));
    assert!(same.removed.is_empty() && same.removed_with_history.is_empty());
    assert!(!same.is_noop(), "a return installs something");

    let v2 = pack("p", "1.1.0", &items(&[("a", 2), ("c", 1)]));
    let next = s.install_pack(&v2, true).unwrap();
    assert!(next.returning);
    assert_eq!(next.changed, ["a"]);
    assert_eq!(next.added, ["c"]);
    assert_eq!(next.unchanged, 0);
    assert!(next.removed.is_empty(), "b was not installed: this install removes nothing");
    // But Ana's answers on b do not count again: said, as an upgrade says it.
    assert_eq!(next.removed_with_history, ["b"]);
    s.install_pack(&v2, false).unwrap();
    // Back: an ordinary upgrade from now on, and the history is where it was.
    let after = s.install_pack(&pack("p", "1.2.0", &items(&[("a", 2)])), true).unwrap();
    assert!(!after.returning);
    assert_eq!(after.removed, ["c"]);
    assert_eq!(s.read(|tx| tx.events(ana, None)).unwrap().len(), 2);
}

/// A removal is remembered, with and without history, until the pack is installed again, so a
/// preload folder can leave it alone; a refused removal or install remembers nothing.
#[test]
fn removals_are_remembered_until_installed_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let removed = |s: &Store| -> Vec<(String, String, String)> {
        s.read(|tx| tx.removed_packs())
            .unwrap()
            .into_iter()
            .map(|p| (p.id, p.version, p.title))
            .collect()
    };
    let p1 = pack("p", "1.0.0", &items(&[("a", 1)]));
    let q2 = pack("q", "2.0.0", &items(&[("z", 1)]));
    s.install_pack(&p1, false).unwrap();
    s.install_pack(&q2, false).unwrap();
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    s.transact(|tx| tx.append_event(ana, None, &shown("p", "a"))).unwrap();
    assert!(removed(&s).is_empty());

    // Refused (history, no force): nothing remembered.
    s.remove_pack("p", false).unwrap_err();
    assert!(removed(&s).is_empty());
    assert!(!s.read(|tx| tx.was_removed_here("p")).unwrap());

    // With history (kept) and without (every row gone): both remembered, by title.
    s.remove_pack("q", false).unwrap();
    s.remove_pack("p", true).unwrap();
    let q = ("q".to_string(), "2.0.0".to_string(), "Pack q".to_string());
    let p = ("p".to_string(), "1.0.0".to_string(), "Pack p".to_string());
    assert_eq!(removed(&s), vec![p.clone(), q.clone()]);
    assert!(s.read(|tx| tx.was_removed_here("q")).unwrap());
    let when = s.read(|tx| tx.removed_packs()).unwrap()[0].removed;
    assert!(when.0 > 0);

    // A dry run or a refused install forgets nothing.
    s.install_pack(&pack("p", "1.1.0", &items(&[("a", 2)])), true).unwrap();
    s.install_pack(&pack("p", "0.9.0", &items(&[("a", 1)])), false).unwrap_err();
    assert_eq!(removed(&s), vec![p, q.clone()]);

    // Installed again (the same version, history kept): forgotten; the other stays.
    s.install_pack(&p1, false).unwrap();
    assert_eq!(removed(&s), vec![q]);
    assert_eq!(s.read(|tx| tx.events(ana, None)).unwrap().len(), 1);
    // A newer version of the one without history: forgotten too, and the setting goes.
    s.install_pack(&pack("q", "2.1.0", &items(&[("z", 1)])), false).unwrap();
    assert!(removed(&s).is_empty());
    assert!(s
        .read(|tx| tx.setting::<serde_json::Value>(ladder_store::REMOVED_PACKS_KEY))
        .unwrap()
        .is_none());
}

/// A pack removed with its history kept before removals were remembered (an earlier Ladder's
/// data folder: a row marked removed, no `packs.removed`) counts as removed here too, so the
/// tutor's course list shows it and a preload folder leaves it alone.
#[test]
fn a_pack_removed_before_removals_were_remembered_counts_as_removed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    s.install_pack(&pack("p", "1.0.0", &items(&[("a", 1)])), false).unwrap();
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    s.transact(|tx| tx.append_event(ana, None, &shown("p", "a"))).unwrap();
    s.remove_pack("p", true).unwrap();
    s.transact(|tx| tx.remove_setting(ladder_store::REMOVED_PACKS_KEY).map(|_| ())).unwrap();

    let removed = s.read(|tx| tx.removed_packs()).unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!((removed[0].id.as_str(), removed[0].version.as_str()), ("p", "1.0.0"));
    assert!(removed[0].removed.0 > 0);
    assert!(s.read(|tx| tx.was_removed_here("p")).unwrap());
    assert_eq!(
        s.install_pack_unless_removed(&pack("p", "1.1.0", &items(&[("a", 1)]))).unwrap(),
        None
    );
    // Installed on purpose: not removed any more.
    s.install_pack(&pack("p", "1.1.0", &items(&[("a", 1)])), false).unwrap();
    assert!(s.read(|tx| tx.removed_packs()).unwrap().is_empty());
}

/// A preload install leaves alone a pack removed on this device, even when another process (the
/// CLI, with its own connection) removed it after the app had looked: nothing installed, no
/// files left, the removal still remembered; an install on purpose still brings it back.
#[test]
fn a_preload_install_leaves_a_removed_pack_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = Store::open(dir.path()).unwrap();
    let mut cli = Store::open(dir.path()).unwrap();
    let with_picture = |version: &str| {
        let mut p = pack("p", version, &items(&[("a", 1)]));
        p.files = vec![PackFile { path: "media/a.svg".into(), bytes: b"<svg/>".to_vec() }];
        p
    };
    app.install_pack(&with_picture("1.0.0"), false).unwrap();
    assert!(app
        .install_pack_unless_removed(&pack("q", "1.0.0", &items(&[("z", 1)])))
        .unwrap()
        .is_some());
    cli.remove_pack("p", false).unwrap();

    assert_eq!(app.install_pack_unless_removed(&with_picture("1.1.0")).unwrap(), None);
    assert!(app.read(|tx| tx.pack("p")).unwrap().is_none());
    assert!(app.read(|tx| tx.was_removed_here("p")).unwrap());
    assert!(!dir.path().join("packs/p/1.1.0").exists());
    // The one not removed is upgraded as usual.
    let q2 = pack("q", "2.0.0", &items(&[("z", 2)]));
    let diff = app.install_pack_unless_removed(&q2).unwrap().unwrap();
    assert_eq!(diff.to_version, "2.0.0");

    app.install_pack(&with_picture("1.1.0"), false).unwrap();
    assert!(!app.read(|tx| tx.was_removed_here("p")).unwrap());
    assert!(dir.path().join("packs/p/1.1.0/media/a.svg").is_file());
}

/// A changed picture with the same version is refused like changed text ("raise the version"),
/// instead of "nothing to do" with the old picture kept; the same files again are no change.
#[test]
fn changed_media_with_the_same_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let mut v1 = pack("p", "1.0.0", &items(&[("a", 1)]));
    v1.files = vec![PackFile { path: "media/x.svg".into(), bytes: b"<svg/>".to_vec() }];
    s.install_pack(&v1, false).unwrap();
    assert!(s.install_pack(&v1, false).unwrap().is_noop(), "the same files: nothing to do");

    let mut fixed = v1.clone();
    fixed.files[0].bytes = b"<svg><rect/></svg>".to_vec();
    for dry_run in [true, false] {
        let err = s.install_pack(&fixed, dry_run).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert!(err.to_string().contains("media/x.svg"), "{err}");
        assert!(err.to_string().contains("raise the version"), "{err}");
    }
    let mut added = v1.clone();
    added.files.push(PackFile { path: "media/y.svg".into(), bytes: b"<svg/>".to_vec() });
    assert!(s.install_pack(&added, false).unwrap_err().to_string().contains("media/y.svg"));
    let mut dropped = v1.clone();
    dropped.files.clear();
    assert!(s.install_pack(&dropped, false).unwrap_err().to_string().contains("media/x.svg"));
    assert_eq!(std::fs::read(dir.path().join("packs/p/1.0.0/media/x.svg")).unwrap(), b"<svg/>");

    // An installed folder deleted by hand comes back when the same version is installed again
    // (a dry run only says there is nothing to change).
    std::fs::remove_dir_all(dir.path().join("packs/p/1.0.0")).unwrap();
    assert!(s.install_pack(&v1, true).unwrap().is_noop());
    assert!(!dir.path().join("packs/p/1.0.0/media/x.svg").exists());
    assert!(s.install_pack(&v1, false).unwrap().is_noop());
    assert_eq!(std::fs::read(dir.path().join("packs/p/1.0.0/media/x.svg")).unwrap(), b"<svg/>");

    // With the version raised the new picture is installed.
    fixed.version = "1.0.1".into();
    s.install_pack(&fixed, false).unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("packs/p/1.0.1/media/x.svg")).unwrap(),
        b"<svg><rect/></svg>"
    );
}

/// One step of the property test.
#[derive(Debug, Clone)]
enum Step {
    /// Install the next version with these items (id index -> content value).
    Install(BTreeMap<u8, i64>),
    /// Learner `l` sees the `k`-th current item (modulo their number).
    See {
        learner: u8,
        k: u8,
    },
    Remove {
        force: bool,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => prop::collection::btree_map(0u8..10, 0i64..3, 0..8).prop_map(Step::Install),
        5 => (0u8..3, any::<u8>()).prop_map(|(learner, k)| Step::See { learner, k }),
        1 => any::<bool>().prop_map(|force| Step::Remove { force }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_of_installs_keeps_every_event_and_its_item(
        steps in prop::collection::vec(step(), 1..25)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let learners: Vec<LearnerId> = (0..3)
            .map(|i| s.transact(|tx| tx.add_learner(&NewLearner::named(format!("l{i}")))).unwrap())
            .collect();
        let mut minor = 0;
        // What each event showed: (learner, item id, content value at the time).
        let mut expected: Vec<(LearnerId, String, i64)> = Vec::new();
        for st in steps {
            match st {
                Step::Install(map) => {
                    minor += 1;
                    let its: Vec<(String, i64)> =
                        map.into_iter().map(|(k, v)| (format!("item-{k}"), v)).collect();
                    s.install_pack(&pack("p", &format!("1.{minor}.0"), &its), false).unwrap();
                    let now: Vec<(String, i64)> = s
                        .read(|tx| tx.items("p"))
                        .unwrap()
                        .into_iter()
                        .map(|i| (i.revision.item, i.revision.content["value"].as_i64().unwrap()))
                        .collect();
                    prop_assert_eq!(now, its);
                }
                Step::See { learner, k } => {
                    let current = s.read(|tx| tx.items("p")).unwrap();
                    if current.is_empty() {
                        continue;
                    }
                    let it = &current[k as usize % current.len()].revision;
                    let who = learners[learner as usize];
                    s.transact(|tx| tx.append_event(who, None, &shown("p", &it.item))).unwrap();
                    expected.push((who, it.item.clone(), it.content["value"].as_i64().unwrap()));
                }
                Step::Remove { force } => {
                    let installed = s.read(|tx| tx.packs(false)).unwrap().iter().any(|p| p.id == "p");
                    let allowed = installed && (force || expected.is_empty());
                    match s.remove_pack("p", force) {
                        Ok(_) => prop_assert!(allowed),
                        Err(e) => prop_assert!(!allowed, "unexpected refusal: {}", e),
                    }
                }
            }
            // After every step: every event is there and points at what it showed.
            let mut seen = Vec::new();
            for who in &learners {
                for r in s.read(|tx| tx.events(*who, None)).unwrap() {
                    let item = r.event.item().unwrap().clone();
                    let rev = s
                        .read(|tx| tx.item_revision(&item.pack, &item.item, item.revision.unwrap()))
                        .unwrap();
                    let rev = rev.unwrap_or_else(|| panic!("event {} lost its item", r.id));
                    seen.push((r.id, *who, item.item, rev.content["value"].as_i64().unwrap()));
                }
            }
            seen.sort_by_key(|x| x.0);
            let seen: Vec<(LearnerId, String, i64)> =
                seen.into_iter().map(|(_, w, i, v)| (w, i, v)).collect();
            prop_assert_eq!(&seen, &expected);
        }
        prop_assert!(s.integrity_check().unwrap().is_empty());
    }
}

fn with_meta(mut p: PackContent, meta: serde_json::Value) -> PackContent {
    p.meta = meta;
    p
}

fn file(path: &str, bytes: &[u8]) -> PackFile {
    PackFile { path: path.into(), bytes: bytes.to_vec() }
}

/// What an upgrade changes, part by part: pictures against the installed version's files
/// (a picture replaced under the same name was not said at all), skills and lessons by id,
/// the details of pack.toml by field.
#[test]
fn pack_changes_names_pictures_skills_lessons_and_details() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let meta = |title: &str, skills: serde_json::Value, lessons: serde_json::Value| serde_json::json!({"info": {"title": title, "version": "x"}, "skills": skills, "lessons": lessons});
    let mut v1 = with_meta(
        pack("p", "1.0.0", &items(&[("a", 1), ("b", 2)])),
        meta(
            "P",
            serde_json::json!([{"id": "s1", "name": "One"}, {"id": "s2", "name": "Two"}]),
            serde_json::json!([{"id": "l1", "title": "L1"}, {"id": "l2", "title": "L2"}]),
        ),
    );
    v1.files = vec![file("media/a.svg", b"a"), file("media/b.svg", b"b")];
    assert_eq!(s.read(|tx| tx.pack_changes(&v1)).unwrap().changes, [], "not installed: empty");
    s.install_pack(&v1, false).unwrap();

    let mut v2 = with_meta(
        pack("p", "1.1.0", &items(&[("a", 1), ("b", 20), ("c", 3)])),
        meta(
            "P2",
            serde_json::json!([{"id": "s1", "name": "Uno"}, {"id": "s3", "name": "Three"}]),
            serde_json::json!([{"id": "l2", "title": "L2"}, {"id": "l1", "title": "L1"}]),
        ),
    );
    v2.files = vec![file("media/a.svg", b"a2"), file("media/c.svg", b"c")];
    let c = s.read(|tx| tx.pack_changes(&v2)).unwrap();
    let said: Vec<String> = c.changes.iter().map(|c| c.to_string()).collect();
    assert_eq!(
        said,
        [
            "pack.toml title changed",
            "skill s1 changed",
            "skill s3 added",
            "skill s2 removed",
            "lessons reordered",
            "item b changed",
            "item c added",
            "picture media/a.svg changed",
            "picture media/c.svg added",
            "picture media/b.svg removed",
        ]
    );
    assert!(c.pictures_compared);
    assert_eq!(c.ids("picture", "changed"), ["media/a.svg"]);
    assert!(c.renamed.is_empty(), "{:?}", c.renamed);
    assert_eq!(
        c.summary(),
        "pack.toml title changed, skill s1 changed, skill s3 added, skill s2 removed, lessons \
         reordered and 5 more"
    );

    // The installed version's folder deleted by hand: pictures cannot be compared, and none is
    // listed rather than every one as new.
    std::fs::remove_dir_all(dir.path().join("packs/p/1.0.0")).unwrap();
    let c = s.read(|tx| tx.pack_changes(&v2)).unwrap();
    assert!(!c.pictures_compared);
    assert!(c.ids("picture", "added").is_empty() && c.ids("picture", "changed").is_empty());
}

/// The same version with other content is refused, and the refusal names what differs (it said
/// only "raise the version"), a few then how many more; nothing is installed.
#[test]
fn a_same_version_refusal_names_what_differs() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let v1 = pack("p", "1.0.0", &items(&[("a", 1), ("b", 2), ("c", 3)]));
    s.install_pack(&v1, false).unwrap();
    let one = pack("p", "1.0.0", &items(&[("a", 1), ("b", 20), ("c", 3)]));
    let err = s.install_pack(&one, true).unwrap_err().to_string();
    assert!(err.contains("already installed with different content (item b changed)"), "{err}");
    assert!(err.contains("raise the version"), "{err}");

    let many: Vec<(String, i64)> = (0..9).map(|i| (format!("n{i}"), i)).collect();
    let err = s.install_pack(&pack("p", "1.0.0", &many), false).unwrap_err().to_string();
    assert!(
        err.contains("(item n0 added, item n1 added, item n2 added, item n3 added, item n4 added and 7 more)"),
        "{err}"
    );
    assert_eq!(s.read(|tx| tx.items("p")).unwrap().len(), 3, "nothing was installed");
}

/// An item removed while another is added with the same content reads as a rename: the store
/// says so, with how many learners have history on the old id (which is kept, and no longer
/// counts toward the new one).
#[test]
fn a_renamed_item_is_told_apart_with_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let content = |id: &str, v: i64| ItemContent {
        id: id.into(),
        content: serde_json::json!({"id": id, "prompt": v}),
    };
    let mut v1 = pack("p", "1.0.0", &[]);
    v1.items = vec![content("a", 1), content("b", 2)];
    s.install_pack(&v1, false).unwrap();
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    s.transact(|tx| tx.append_event(ana, None, &shown("p", "a"))).unwrap();

    let mut v2 = pack("p", "1.1.0", &[]);
    // "a" renamed "a1"; "b" removed and "z" added with other content: not a rename.
    v2.items = vec![content("a1", 1), content("z", 9)];
    let c = s.read(|tx| tx.pack_changes(&v2)).unwrap();
    assert_eq!(c.renamed.len(), 1, "{:?}", c.renamed);
    let r = &c.renamed[0];
    assert_eq!((r.part.key(), r.from.as_str(), r.to.as_str()), ("item", "a", "a1"));
    assert_eq!(r.learners_with_history, 1);
    let d = s.install_pack(&v2, false).unwrap();
    assert_eq!(d.removed_with_history, ["a"]);
    assert_eq!(s.read(|tx| tx.events(ana, None)).unwrap().len(), 1, "the history is kept");
    assert_eq!(s.read(|tx| tx.item("p", "a")).unwrap().unwrap().content["prompt"], 1);
}

/// A teacher going back to an older version after a bad upgrade is refused, and told how to
/// do it (the same content under a version above the installed one), instead of only that a
/// downgrade is refused.
#[test]
fn a_downgrade_refusal_says_how_to_go_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    s.install_pack(&pack("p", "1.0.0", &items(&[("a", 1)])), false).unwrap();
    s.install_pack(&pack("p", "1.1.0", &items(&[("a", 2)])), false).unwrap();
    let err = s.install_pack(&pack("p", "1.0.0", &items(&[("a", 1)])), true).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    let err = err.to_string();
    assert!(err.contains("older than the installed 1.1.0"), "{err}");
    assert!(err.contains("version above 1.1.0"), "{err}");
    // Which is what works, and keeps the history pointing at what was seen.
    let back = s.install_pack(&pack("p", "1.1.1", &items(&[("a", 1)])), false).unwrap();
    assert_eq!(back.changed, ["a"]);
    let revs = s.read(|tx| tx.item_revisions("p", "a")).unwrap();
    assert_eq!(revs.len(), 3, "a back-to-old content is a new revision: {revs:?}");
}

/// Files the system leaves in a folder someone looked at (`.DS_Store`, `Thumbs.db`,
/// `desktop.ini`) are not a pack's pictures (the validator refuses them in a pack): the same
/// pack installed again is still nothing to do, and an upgrade does not list them as removed.
#[test]
fn system_files_in_an_installed_folder_are_not_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let mut v1 = pack("p", "1.0.0", &items(&[("a", 1)]));
    v1.files = vec![file("media/a.svg", b"<svg/>")];
    s.install_pack(&v1, false).unwrap();
    let media = dir.path().join("packs/p/1.0.0/media");
    for junk in [".DS_Store", "Thumbs.db", "desktop.ini"] {
        std::fs::write(media.join(junk), b"x").unwrap();
    }
    std::fs::write(dir.path().join("packs/p/1.0.0/.DS_Store"), b"x").unwrap();
    assert!(s.install_pack(&v1, false).unwrap().is_noop());
    let mut v2 = v1.clone();
    v2.version = "1.1.0".into();
    let c = s.read(|tx| tx.pack_changes(&v2)).unwrap();
    assert_eq!(c.changes.iter().filter(|c| c.part.key() == "picture").count(), 0, "{c:?}");
}

/// A teacher splitting a lesson moved an answered item into the new lesson and gave it an id
/// of that lesson: its answers stop counting as for any rename, but the report said only that
/// the old id was removed (the item's `lesson` differs, so it was not "the same content").
#[test]
fn an_item_moved_to_another_lesson_under_a_new_id_reads_as_renamed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let content = |id: &str, lesson: &str, v: i64| ItemContent {
        id: id.into(),
        content: serde_json::json!({"id": id, "lesson": lesson, "prompt": v}),
    };
    let mut v1 = pack("p", "1.0.0", &[]);
    v1.items = vec![content("a", "l1", 1), content("b", "l1", 2)];
    s.install_pack(&v1, false).unwrap();
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    s.transact(|tx| tx.append_event(ana, None, &shown("p", "b"))).unwrap();

    let mut v2 = pack("p", "1.1.0", &[]);
    v2.items = vec![content("a", "l1", 1), content("more-1", "l2", 2)];
    let c = s.read(|tx| tx.pack_changes(&v2)).unwrap();
    let renamed: Vec<(&str, &str, &str, i64)> = c
        .renamed
        .iter()
        .map(|r| (r.part.key(), r.from.as_str(), r.to.as_str(), r.learners_with_history))
        .collect();
    assert_eq!(renamed, [("item", "b", "more-1", 1)]);
}

/// A teacher renamed a skill and, as the sample packs name them alike, its lesson and items
/// too: every renamed part still reads as a likely rename (they differed only in the skill's
/// id, and the lesson also in its items' ids, so none was "the same content" before).
#[test]
fn a_skill_renamed_with_its_lesson_and_items_reads_as_renamed_throughout() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let meta = |skill: &str, lesson: &str, item: &str| {
        serde_json::json!({
            "info": {"title": "P"},
            "skills": [{"id": skill, "name": "Halves"}, {"id": "other", "name": "Other", "prerequisites": [skill]}],
            "lessons": [{"id": lesson, "title": "Halves", "skills": [skill], "items": [item]}],
        })
    };
    let item = |id: &str, skill: &str, lesson: &str| ItemContent {
        id: id.into(),
        content: serde_json::json!({"id": id, "lesson": lesson, "skills": [skill], "prompt": 1}),
    };
    let mut v1 = with_meta(pack("p", "1.0.0", &[]), meta("half", "half", "half-1"));
    v1.items = vec![item("half-1", "half", "half")];
    s.install_pack(&v1, false).unwrap();
    let ana = s.transact(|tx| tx.add_learner(&NewLearner::named("Ana"))).unwrap();
    s.transact(|tx| tx.append_event(ana, None, &shown("p", "half-1"))).unwrap();

    let mut v2 = with_meta(pack("p", "1.1.0", &[]), meta("halves", "halves", "halves-1"));
    v2.items = vec![item("halves-1", "halves", "halves")];
    let c = s.read(|tx| tx.pack_changes(&v2)).unwrap();
    let mut renamed: Vec<(&str, &str, &str, i64)> = c
        .renamed
        .iter()
        .map(|r| (r.part.key(), r.from.as_str(), r.to.as_str(), r.learners_with_history))
        .collect();
    renamed.sort();
    assert_eq!(
        renamed,
        [
            ("item", "half-1", "halves-1", 1),
            ("lesson", "half", "halves", 0),
            ("skill", "half", "halves", 0)
        ]
    );
}
