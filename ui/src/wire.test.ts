// The UI's half of the wire drift check (the Rust half is src-tauri/src/wire.rs). The fixture is
// written by Rust from its wire types; this file checks that it has exactly the fields the
// interfaces in api.ts declare.

import { describe, expect, it } from 'vitest';
import type { AppInfo, Learner, Library, PackProblem, PackSummary } from './api';
import { toApiError } from './api';
import fixtures from './wire-fixtures.json';

// Compile time (tsc): every declared field is present with the declared type.
const appInfo: AppInfo = fixtures.appInfo;
const learner: Learner = fixtures.learner;
const library: Library = fixtures.library;

// The field lists, checked against the interfaces at compile time in both directions.
const fields = {
  appInfo: { version: true, dataDir: true, packsDir: true } satisfies Record<keyof AppInfo, true>,
  learner: { id: true, name: true } satisfies Record<keyof Learner, true>,
  library: { packsDir: true, packs: true, problems: true } satisfies Record<keyof Library, true>,
  pack: {
    id: true,
    title: true,
    version: true,
    description: true,
    languages: true,
    skillCount: true,
    lessonCount: true,
    itemCount: true,
  } satisfies Record<keyof PackSummary, true>,
  problem: { folder: true, message: true } satisfies Record<keyof PackProblem, true>,
};

const keys = (o: object) => Object.keys(o).sort();

describe('wire types match the Rust side', () => {
  it('has no field the interfaces do not declare, and none missing', () => {
    expect(keys(appInfo)).toEqual(keys(fields.appInfo));
    expect(keys(learner)).toEqual(keys(fields.learner));
    expect(keys(library)).toEqual(keys(fields.library));
    expect(library.packs).toHaveLength(1);
    expect(keys(library.packs[0] ?? {})).toEqual(keys(fields.pack));
    expect(library.problems).toHaveLength(1);
    expect(keys(library.problems[0] ?? {})).toEqual(keys(fields.problem));
  });

  it('reads the Rust error shape as an ApiError', () => {
    expect(toApiError('create_learner', fixtures.error)).toMatchObject({
      kind: 'conflict',
      message: 'a learner named Ada already exists',
    });
  });
});
