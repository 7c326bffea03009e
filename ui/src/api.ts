// The one place the UI talks to Rust. `call` is typed from the generated wire types
// (`generated/wire.ts`, written from the Rust types by src-tauri/src/bindings.rs): each command's
// parameters come from the engine's `Command` enum and its result from `CommandResults`. The named
// wrappers below are one per command, with the names and parameters of docs/api.md.
//
// No business logic lives here or anywhere in the UI: validation, grading, the next item, hints
// and mastery happen in Rust (ladder-engine); errors come back as `{kind, message}`, with a
// `reason` (and its `values`) for the refusals the screens say in their own words.

import { invoke } from '@tauri-apps/api/core';
import type {
  Answer,
  Command,
  CommandResults,
  ErrorKind as EngineErrorKind,
  PolicyKind,
  Reason,
  ReasonValues,
} from './generated/wire';

export type * from './generated/wire';

/** The engine's error kinds (docs/api.md), plus `ipc` for failures of the bridge itself (a
 * command not granted, a malformed argument, the app not running in Tauri). */
export type ErrorKind = EngineErrorKind | 'ipc';

const ENGINE_KINDS: readonly EngineErrorKind[] = [
  'bad_request',
  'unknown_command',
  'not_found',
  'conflict',
  'store',
  'pack',
  'model',
  'internal',
];

/** The engine's reasons (docs/api.md, "Reasons"). A `Record` over the generated union, so that
 * TypeScript refuses this list when a reason is added in Rust and not here. */
const REASONS: Record<Reason, true> = {
  learner_not_found: true,
  course_not_found: true,
  lesson_not_found: true,
  session_not_found: true,
  learner_name_taken: true,
  learner_archived: true,
  lesson_locked: true,
  lesson_empty: true,
  lesson_removed: true,
  nothing_to_practise: true,
  session_ended: true,
  no_item_on_screen: true,
  item_done: true,
  item_removed: true,
  item_changed: true,
  no_more_hints: true,
  no_solution: true,
  training_busy: true,
  learner_renamed: true,
  learner_not_archived: true,
  tutor_locked: true,
  model_changed: true,
};

const isReason = (r: unknown): r is Reason => typeof r === 'string' && Object.hasOwn(REASONS, r);

/** An error from a command, with a kind to branch on and a message to show; for a refusal the
 * screens say in their own words, its reason and the values that say it (branch on `reason`,
 * never on the message: the engine may reword it). */
export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly command: string;
  /** Which refusal it is; `undefined` for an error without one, or a reason this UI does not
   * know (a newer engine): then the message says it. */
  readonly reason: Reason | undefined;
  readonly values: ReasonValues;

  constructor(command: string, kind: ErrorKind, message: string, reason?: Reason, values: ReasonValues = {}) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.command = command;
    this.reason = reason;
    this.values = values;
  }
}

/** Turns whatever `invoke` rejected with into an [`ApiError`]. */
export function toApiError(command: string, raw: unknown): ApiError {
  if (raw instanceof ApiError) return raw;
  if (typeof raw === 'object' && raw !== null) {
    const { kind, message, reason, values } = raw as { kind?: unknown; message?: unknown; reason?: unknown; values?: unknown };
    if (typeof kind === 'string' && typeof message === 'string') {
      const known = ENGINE_KINDS.includes(kind as EngineErrorKind);
      const said = isReason(reason) ? reason : undefined;
      const given = said && typeof values === 'object' && values !== null ? (values as ReasonValues) : {};
      return new ApiError(command, known ? (kind as EngineErrorKind) : 'internal', message, said, given);
    }
    if (raw instanceof Error) return new ApiError(command, 'ipc', raw.message);
  }
  // Tauri reports bridge failures (a command the capability does not grant, bad arguments) as
  // plain strings.
  return new ApiError(command, 'ipc', typeof raw === 'string' ? raw : String(raw));
}

export type CommandName = keyof CommandResults;

/** The parameters of a command: from the engine's `Command` enum; none for the app's own. */
export type ParamsOf<C extends CommandName> = C extends Command['command']
  ? Extract<Command, { command: C }> extends { params: infer P }
    ? P
    : Record<string, never>
  : Record<string, never>;

/** Calls a command with its typed parameters; rejects with an [`ApiError`]. */
export async function call<C extends CommandName>(
  command: C,
  params: ParamsOf<C>,
): Promise<CommandResults[C]> {
  try {
    return await invoke<CommandResults[C]>(command, params as Record<string, unknown>);
  } catch (raw) {
    throw toApiError(command, raw);
  }
}

/** Version and folders of the running app. */
export const appInfo = () => call('app_info', {});

/** Asks for a `.ladderpack` file (the system dialog); `null` when cancelled. */
export const choosePackFile = () => call('choose_pack_file', {});
/** A pack folder (with its `pack.toml`) from the system's folder dialog; `null` when cancelled. */
export const choosePackFolder = () => call('choose_pack_folder', {});

/** The learners on this device, sorted by name. */
export const listLearners = () => call('list_learners', {});

/** Creates a learner. Rejects with `bad_request` (empty or bad name) or `conflict` (taken). */
export const addLearner = (name: string) => call('add_learner', { name });

/** The installed courses. */
export const listCourses = () => call('list_courses', {});

/** Validates and installs a pack; with `dryRun`, only says what would change. Rejects with
 * `pack` and the validator's report when the pack is not valid. */
export const installPack = (path: string, dryRun: boolean) =>
  call('install_pack', { path, dry_run: dryRun });

/** What importing the pack at `path` would change, for the report shown before "Install":
 * the dry run of `install_pack` (`diff`) and, in the UI's language, what its counts do not say
 * (`changes`: pictures, skills, lessons, details, likely renamed ids, or an installed course a
 * new one looks like) and `warnings` (the validator's, one line each), from one reading of the
 * pack. Rejects as `install_pack` does, in the UI's
 * language: `pack` with the validator's report, `conflict` for a pack the store refuses (the
 * app's own command: not in the engine's `Command`). */
export async function previewPack(path: string): Promise<PackPreview> {
  try {
    return await invoke<PackPreview>('preview_pack', { path });
  } catch (raw) {
    throw toApiError('preview_pack', raw);
  }
}

/** The result of `preview_pack`. */
export type PackPreview = CommandResults['preview_pack'];

export const courseMap = (learner: number, course: string) =>
  call('course_map', { learner, course });

/** Starts a session on a course, or on one lesson of it. */
export const startSession = (
  learner: number,
  course: string,
  lesson: string | null = null,
  policy: PolicyKind | null = null,
) => call('start_session', { learner, course, lesson, policy });

export const nextStep = (session: number) => call('next_step', { session });

export const submitAnswer = (session: number, answer: Answer, latencyMs: number) =>
  call('submit_answer', { session, answer, latency_ms: Math.max(0, Math.round(latencyMs)) });

export const requestHint = (session: number) => call('request_hint', { session });

export const viewSolution = (session: number) => call('view_solution', { session });

export const skip = (session: number) => call('skip', { session });

export const endSession = (session: number) => call('end_session', { session });

export const masterySummary = (learner: number, course: string) =>
  call('mastery_summary', { learner, course });
