// The one place the UI talks to Rust. Every function wraps one Tauri command (src-tauri/src/
// commands.rs) with its request and response types. No business logic lives here or anywhere in
// the UI: validation, storage and pack loading happen in Rust, and errors come back as
// `{kind, message}`.
//
// The types mirror the Rust wire types (`#[serde(rename_all = "camelCase")]`). When a Rust type
// changes, change it here in the same commit; `api.test.ts` pins the shapes the UI relies on.

import { invoke } from '@tauri-apps/api/core';

/** Error kinds sent by the Rust side (src-tauri/src/error.rs), plus `ipc` for failures of the
 * bridge itself (a command not granted, a missing argument, the app not running in Tauri). */
export type ErrorKind =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'io'
  | 'pack'
  | 'internal'
  // the database's own kinds (docs/store.md), passed through by the app
  | 'disk_full'
  | 'read_only'
  | 'locked'
  | 'corrupt'
  | 'too_new'
  | 'missing'
  | 'database'
  | 'ipc';

const RUST_KINDS: readonly ErrorKind[] = [
  'invalid_input',
  'not_found',
  'conflict',
  'io',
  'pack',
  'internal',
  'disk_full',
  'read_only',
  'locked',
  'corrupt',
  'too_new',
  'missing',
  'database',
];

/** An error from a command, with a kind to branch on and a message to show. */
export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly command: string;

  constructor(command: string, kind: ErrorKind, message: string) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.command = command;
  }
}

export interface AppInfo {
  version: string;
  dataDir: string;
  packsDir: string;
}

export interface Learner {
  /** The store's learner id; never reused. */
  id: number;
  name: string;
}

export interface PackSummary {
  id: string;
  title: string;
  version: string;
  description: string;
  languages: string[];
  skillCount: number;
  lessonCount: number;
  itemCount: number;
}

export interface PackProblem {
  folder: string;
  message: string;
}

export interface Library {
  packsDir: string;
  packs: PackSummary[];
  problems: PackProblem[];
}

/** Turns whatever `invoke` rejected with into an [`ApiError`]. */
export function toApiError(command: string, raw: unknown): ApiError {
  if (raw instanceof ApiError) return raw;
  if (typeof raw === 'object' && raw !== null) {
    const { kind, message } = raw as { kind?: unknown; message?: unknown };
    if (typeof kind === 'string' && typeof message === 'string') {
      const known = RUST_KINDS.includes(kind as ErrorKind);
      return new ApiError(command, known ? (kind as ErrorKind) : 'internal', message);
    }
    if (raw instanceof Error) return new ApiError(command, 'ipc', raw.message);
  }
  // Tauri reports bridge failures (a command the capability does not grant, bad arguments) as
  // plain strings.
  return new ApiError(command, 'ipc', typeof raw === 'string' ? raw : String(raw));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toApiError(command, raw);
  }
}

/** Version and folders of the running app. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

/** All learners on this device, sorted by name. */
export function listLearners(): Promise<Learner[]> {
  return call<Learner[]>('list_learners');
}

/** Creates a learner. Rejects with `invalid_input` (empty or too long a name), `conflict`
 * (the name exists) or a database kind. */
export function createLearner(name: string): Promise<Learner> {
  return call<Learner>('create_learner', { name });
}

/** The course packs of the library, and the folders that failed to load. */
export function listPacks(): Promise<Library> {
  return call<Library>('list_packs');
}
