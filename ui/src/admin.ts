// Typed wrappers over the commands of the settings screen and the tutor area
// (src-tauri/src/admin.rs). Like api.ts, nothing here decides anything: PIN checks, backups,
// training and reports all happen in Rust; errors come back as `{kind, message}` and become an
// `ApiError`.
//
// The types mirror the Rust wire types (snake_case, as serde writes them). `admin-fixtures.json`
// holds one example of each, serialised by a Rust test (`cargo test -p ladder-app
// admin_fixtures`); `admin.test.ts` checks that every interface here has exactly its fields.

import { Channel, invoke } from '@tauri-apps/api/core';
import { toApiError, type PackDiff } from './api';

export interface AdminOverview {
  has_pin: boolean;
  /** No PIN is set, or this run of the app was unlocked with it. */
  unlocked: boolean;
  language: string;
  languages: string[];
  data_dir: string;
  backups_dir: string;
}

export interface ModelVersionView {
  id: number;
  checkpoint: string;
  created_ms: number;
  trained_through_event: number | null;
  trained_through_ms: number | null;
  metrics: unknown;
}

export interface ModelStatus {
  /** The predictor the engine runs: `transformer`, `online-logistic`, ... */
  predictor: string;
  /** `cpu`, or the GPU this build uses. */
  device: string;
  active: ModelVersionView | null;
  versions: number;
  events: number;
  /** Learners who run a model of their own (`ladder train --learner`) instead of the device's. */
  own: OwnModelView[];
  /** What going back to the previous model would do; null when no fine-tuned model is in use. */
  rollback: ModelSwitch | null;
}

/** A change of the model in use: from one version to another (`to` null: no fine-tuned version,
 * so the default model that came with Ladder runs, or for a learner the device's). */
export interface ModelSwitch {
  from: number;
  to: number | null;
}

/** A learner's own model, changed because it learnt from a deleted learner's answers. */
export interface OwnModelSwitch extends ModelSwitch {
  learner: number;
}

/** The model versions set aside because they learnt from the answers of learners deleted since. */
export interface Unlearned {
  versions: number[];
  learners: number[];
  device: ModelSwitch | null;
  own: OwnModelSwitch[];
  /** Checkpoint folders deleted, relative to the data folder. */
  removed: string[];
  warnings: string[];
  /** The engine's sentence (English). */
  message: string;
}

/** What going back to the previous model did. */
export interface RollbackView {
  from: number;
  to: number | null;
  /** The engine's sentence (English). */
  message: string;
}

export interface OwnModelView {
  learner: number;
  name: string;
  version: number;
}

export type Trigger = 'manual' | 'session_end';

export interface RunningJob {
  job: number;
  trigger: Trigger;
  started_ms: number;
  phase: 'loading' | 'training' | 'evaluating' | 'saving';
  /** 0 to 1. */
  fraction: number;
  epoch: number;
  epochs: number;
  loss: number | null;
  held_back_auc: number | null;
  cancelling: boolean;
}

export type Outcome = 'improved' | 'kept_current' | 'cancelled' | 'not_enough_data' | 'up_to_date' | 'failed';

export interface TrainingResult {
  job: number;
  trigger: Trigger;
  outcome: Outcome;
  message: string;
  /** The engine's JobReport (held-back figures before and after, ...); null when it failed. */
  report: Record<string, unknown> | null;
  finished_ms: number;
}

export interface TrainingStatus {
  running: RunningJob | null;
  last: TrainingResult | null;
}

export type TrainingEvent =
  | ({ event: 'progress' } & RunningJob)
  | ({ event: 'finished' } & TrainingResult);

export interface ModelOverview {
  model: ModelStatus;
  training: TrainingStatus;
}

export interface BackupView {
  /** File name in the backups folder: what `restoreBackup` takes. */
  name: string;
  path: string;
  taken_ms: number;
  size_bytes: number;
  /** Why it cannot be restored (damaged, unreadable, too new); null for a good backup. */
  problem: string | null;
}

export interface RestoreView {
  restored_from: string;
  previous_kept_at: string | null;
  learners: number;
}

export interface LearnerChoice {
  id: number;
  name: string;
}

export interface CourseChoice {
  id: string;
  title: string;
}

export interface TutorChoices {
  learners: LearnerChoice[];
  /** Archived learners: still reportable one by one. */
  archived: LearnerChoice[];
  courses: CourseChoice[];
}

export interface ReportQuery {
  scope: 'learner' | 'class';
  learner: number | null;
  course: string | null;
  /** The days of the report's "recent activity" part (1 to 365; 7 when left out). */
  recent_days?: number;
  /** For an export: the report on screen (its time and the history it counted), so that the
   * file is that report even if learners practised since. Left out: a new report. */
  as_of?: ReportAsOf | null;
}

/** The newest event and learner a report counted. */
export interface ReportThrough {
  event: number;
  learner: number;
}

export interface ReportAsOf {
  generated_ms: number;
  through: ReportThrough;
  /** The learners of the report shown: a class export is built for them. */
  learners: number[];
}

export interface ReportView {
  /** The report's HTML fragment (ladder-report's `render_html_fragment`). */
  html: string;
  predictor: string;
  generated_ms: number;
  /** The history it counted: with `generated_ms`, what an export passes back as `as_of`. */
  through: ReportThrough;
  learners: number[];
}

export type ExportFormat = 'html' | 'csv' | 'pdf' | 'json';

export interface ExportResult {
  /** Files written; empty when the save dialog was cancelled. */
  files: string[];
}

export interface RosterEntry {
  id: number;
  name: string;
  created_ms: number;
  /** When they were archived; null while they are in the picker. */
  archived_ms: number | null;
  /** Answers given, retries included. */
  answers: number;
  /** Their latest activity; null before they practised. */
  last_active_ms: number | null;
}

export interface DeletionView {
  name: string;
  events_deleted: number;
  backups_cleaned: number;
  exports_deleted: number;
  /** What could not be cleaned, each saying what to do by hand. */
  warnings: string[];
  /** The models that had learnt from their answers, set aside; null when none had. */
  unlearned: Unlearned | null;
}

/** The tutor's course list: installed courses, and those removed on this device. */
export interface CourseRoster {
  installed: CourseEntry[];
  removed: RemovedCourse[];
  /** The preload folder ("Bring back" installs from it; every start installs its packs). */
  preload_dir: string | null;
}

export interface CourseEntry {
  id: string;
  title: string;
  version: string;
  items: number;
  /** Learners with at least one answer, hint or session on it. */
  learners_with_history: number;
  installed_ms: number;
}

export interface RemovedCourse {
  id: string;
  title: string;
  /** The version installed when it was removed. */
  version: string;
  removed_ms: number;
  /** Learners whose answers on it are kept. */
  learners_with_history: number;
  /** The version the preload folder offers; null: import the pack again to bring it back. */
  preload_version: string | null;
}

export interface CourseRemoval {
  id: string;
  title: string;
  learners_with_history: number;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toApiError(command, raw);
  }
}

export const adminOverview = () => call<AdminOverview>('admin_overview');
/** `true` when the PIN is right (the app stays unlocked until `lockTutor` or it closes). */
export const unlockTutor = (pin: string) => call<boolean>('unlock_tutor', { pin });
export const lockTutor = () => call<void>('lock_tutor');
/** Sets the PIN, or changes it (`current` is then required). */
export const setTutorPin = (pin: string, current: string | null) =>
  call<void>('set_tutor_pin', { pin, current });
export const clearTutorPin = (current: string) => call<void>('clear_tutor_pin', { current });
export const setLanguage = (language: string) => call<string>('set_language', { language });
export const openDataFolder = () => call<void>('open_data_folder');

export const modelOverview = () => call<ModelOverview>('model_overview');

/** Starts a training job ("Train now"; watches the running one instead if there is one) and
 * calls `onEvent` with its progress and its end. */
export function startTraining(onEvent: (e: TrainingEvent) => void): Promise<TrainingStatus> {
  const channel = new Channel<TrainingEvent>();
  channel.onmessage = onEvent;
  return call<TrainingStatus>('start_training', { onEvent: channel });
}

/** Calls `onEvent` with the events of the running job and of later ones (e.g. after a session). */
export function watchTraining(onEvent: (e: TrainingEvent) => void): Promise<TrainingStatus> {
  const channel = new Channel<TrainingEvent>();
  channel.onmessage = onEvent;
  return call<TrainingStatus>('watch_training', { onEvent: channel });
}

/** `false` when no job was running. */
export const cancelTraining = () => call<boolean>('cancel_training');
/** Goes back from model `from` to `to` (what `ModelStatus.rollback` offered; refused as a
 * conflict when that is no longer what going back does, or while a training job runs). */
export const rollbackModel = (from: number, to: number | null) =>
  call<RollbackView>('rollback_model', { from, to });

export const listBackups = () => call<BackupView[]>('list_backups');
export const backupNow = () => call<BackupView>('backup_now');
export const restoreBackup = (name: string) => call<RestoreView>('restore_backup', { name });

export const tutorChoices = () => call<TutorChoices>('tutor_choices');
export const tutorReport = (query: ReportQuery) => call<ReportView>('tutor_report', { query });
export const exportReport = (query: ReportQuery, format: ExportFormat) =>
  call<ExportResult>('export_report', { query, format });

export const learnerRoster = () => call<RosterEntry[]>('learner_roster');
export const renameLearner = (learner: number, name: string) =>
  call<LearnerChoice>('rename_learner', { learner, name });
export const archiveLearner = (learner: number) => call<void>('archive_learner', { learner });
export const unarchiveLearner = (learner: number) => call<void>('unarchive_learner', { learner });
/** Deletes an archived learner for good; `name` is the name the tutor confirmed. */
export const deleteLearner = (learner: number, name: string) =>
  call<DeletionView>('delete_learner', { learner, name });
export const courseRoster = () => call<CourseRoster>('course_roster');
/** Removes a course from this device; every learner's answers on it are kept. */
export const removeCourse = (pack: string) => call<CourseRemoval>('remove_course', { pack });
/** Brings a removed course back from the preload folder. */
export const restoreCourse = (pack: string) => call<PackDiff>('restore_course', { pack });
/** Saves everything stored about a learner as JSON (a save dialog; no files when cancelled). */
export const exportLearnerData = (learner: number) =>
  call<ExportResult>('export_learner_data', { learner });
