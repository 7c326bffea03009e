-- Schema version 1. Append-only: never edit this file once released; add v2.sql instead.

-- Learner profiles. AUTOINCREMENT so that the id of a deleted learner is never reused.
CREATE TABLE learners (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  avatar TEXT,
  colour TEXT,
  -- set by `learner remove` (archived: hidden, history kept); NULL while active
  archived_ms INTEGER
) STRICT;

-- The append-only event log. The typed event is `payload` (JSON, see docs/store.md);
-- kind/pack_id/item_id/session_id are copies of payload fields for indexes.
-- Items are referenced by their stable string ids, never by a row id that an upgrade could drop.
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  learner_id INTEGER NOT NULL REFERENCES learners (id),
  session_id INTEGER,
  time_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  pack_id TEXT,
  item_id TEXT,
  payload TEXT NOT NULL CHECK (json_valid(payload))
) STRICT;
CREATE INDEX events_learner ON events (learner_id, id);
CREATE INDEX events_learner_kind ON events (learner_id, kind, id);
CREATE INDEX events_item ON events (pack_id, item_id);

CREATE TRIGGER events_append_only BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'events are append-only');
END;

-- Installed packs: one row per pack id. removed_ms is set by `pack remove --force`: the pack is
-- no longer offered, but its items stay so that history keeps pointing at them.
CREATE TABLE packs (
  id TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  title TEXT NOT NULL,
  installed_ms INTEGER NOT NULL,
  removed_ms INTEGER
) STRICT;

-- Every version of a pack ever installed, with its non-item content (manifest, skills, lessons)
-- as JSON and where its files were put.
CREATE TABLE pack_versions (
  pack_id TEXT NOT NULL REFERENCES packs (id),
  version TEXT NOT NULL,
  installed_ms INTEGER NOT NULL,
  meta TEXT NOT NULL CHECK (json_valid(meta)),
  files_dir TEXT,
  PRIMARY KEY (pack_id, version)
) STRICT;

-- Every revision of every item ever installed. A new revision is added only when an upgrade
-- changes the item's content; rows are never deleted while history may point at them.
CREATE TABLE item_revisions (
  pack_id TEXT NOT NULL REFERENCES packs (id),
  item_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  pack_version TEXT NOT NULL,
  content TEXT NOT NULL CHECK (json_valid(content)),
  PRIMARY KEY (pack_id, item_id, revision)
) STRICT;

-- The items of the installed version of each pack, in course order: which revision is current.
-- Items an upgrade removed are deleted here and stay in item_revisions.
CREATE TABLE pack_items (
  pack_id TEXT NOT NULL REFERENCES packs (id),
  item_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (pack_id, item_id),
  FOREIGN KEY (pack_id, item_id, revision) REFERENCES item_revisions (pack_id, item_id, revision)
) STRICT;

-- Model checkpoints: which one is active for which scope, trained through which event.
CREATE TABLE model_versions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scope TEXT NOT NULL CHECK (scope IN ('device', 'learner')),
  learner_id INTEGER REFERENCES learners (id),
  checkpoint TEXT NOT NULL,
  trained_through_event INTEGER,
  metrics TEXT NOT NULL CHECK (json_valid(metrics)),
  created_ms INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  CHECK ((scope = 'learner') = (learner_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX model_versions_one_active
  ON model_versions (scope, ifnull(learner_id, 0)) WHERE active = 1;

-- Key/value settings (values are JSON). The tutor PIN is stored as an argon2 PHC string.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL CHECK (json_valid(value))
) STRICT;

-- Exports this device wrote for a learner, so that deleting the learner also deletes them.
CREATE TABLE exports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  learner_id INTEGER NOT NULL REFERENCES learners (id),
  path TEXT NOT NULL,
  created_ms INTEGER NOT NULL
) STRICT;
