import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// `invoke` is the IPC boundary: the only thing mocked.
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import * as api from './api';
import { ApiError, toApiError } from './api';
import { useLanguage } from './admin-strings';
import { messageOf } from './errors';
import { isTrainingBusy, learnerError } from './tutor/learners';

const mockInvoke = vi.mocked(invoke);

beforeEach(() => {
  mockInvoke.mockReset();
  mockInvoke.mockResolvedValue(null);
});

describe('commands', () => {
  // Names and parameters are docs/api.md's (snake_case), so the app and `serve --stdio` agree.
  const cases: [string, () => Promise<unknown>, string, Record<string, unknown>][] = [
    ['appInfo', () => api.appInfo(), 'app_info', {}],
    ['choosePackFile', () => api.choosePackFile(), 'choose_pack_file', {}],
    ['choosePackFolder', () => api.choosePackFolder(), 'choose_pack_folder', {}],
    ['listLearners', () => api.listLearners(), 'list_learners', {}],
    ['addLearner', () => api.addLearner('Zoë'), 'add_learner', { name: 'Zoë' }],
    ['listCourses', () => api.listCourses(), 'list_courses', {}],
    ['installPack dry run', () => api.installPack('/p/f.ladderpack', true), 'install_pack', { path: '/p/f.ladderpack', dry_run: true }],
    ['installPack', () => api.installPack('/p/f.ladderpack', false), 'install_pack', { path: '/p/f.ladderpack', dry_run: false }],
    ['previewPack', () => api.previewPack('/p/f.ladderpack'), 'preview_pack', { path: '/p/f.ladderpack' }],
    ['courseMap', () => api.courseMap(3, 'fractions'), 'course_map', { learner: 3, course: 'fractions' }],
    ['startSession', () => api.startSession(3, 'fractions'), 'start_session', { learner: 3, course: 'fractions', lesson: null, policy: null }],
    ['startSession lesson', () => api.startSession(3, 'fractions', 'meaning'), 'start_session', { learner: 3, course: 'fractions', lesson: 'meaning', policy: null }],
    ['nextStep', () => api.nextStep(9), 'next_step', { session: 9 }],
    [
      'submitAnswer',
      () => api.submitAnswer(9, { kind: 'choice', value: [2] }, 1234.6),
      'submit_answer',
      { session: 9, answer: { kind: 'choice', value: [2] }, latency_ms: 1235 },
    ],
    ['requestHint', () => api.requestHint(9), 'request_hint', { session: 9 }],
    ['viewSolution', () => api.viewSolution(9), 'view_solution', { session: 9 }],
    ['skip', () => api.skip(9), 'skip', { session: 9 }],
    ['endSession', () => api.endSession(9), 'end_session', { session: 9 }],
    ['masterySummary', () => api.masterySummary(3, 'fractions'), 'mastery_summary', { learner: 3, course: 'fractions' }],
  ];
  it.each(cases)('%s calls its command with the documented parameters', async (_, run, command, params) => {
    await run();
    expect(mockInvoke).toHaveBeenLastCalledWith(command, params);
  });

  it('returns what the command resolved with', async () => {
    mockInvoke.mockResolvedValueOnce([{ id: 1, name: 'Ada' }]);
    await expect(api.listLearners()).resolves.toEqual([{ id: 1, name: 'Ada' }]);
  });

  it('never sends a negative latency', async () => {
    await api.submitAnswer(1, { kind: 'text', value: 'x' }, -5);
    expect(mockInvoke).toHaveBeenLastCalledWith('submit_answer', expect.objectContaining({ latency_ms: 0 }));
  });
});

describe('errors', () => {
  it('turns an engine {kind, message} rejection into an ApiError', async () => {
    mockInvoke.mockRejectedValueOnce({ kind: 'conflict', message: 'a learner named Ada already exists' });
    const error = await api.addLearner('Ada').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'conflict', command: 'add_learner', message: 'a learner named Ada already exists' });
  });

  it('names preview_pack as the command of a refused preview', async () => {
    mockInvoke.mockRejectedValueOnce({ kind: 'pack', message: 'the pack is not valid:\npack.toml:1:1: id: missing' });
    const error = await api.previewPack('/p/f.ladderpack').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'pack', command: 'preview_pack' });
  });

  it('keeps every engine kind and maps unknown kinds to internal', () => {
    for (const kind of ['bad_request', 'unknown_command', 'not_found', 'conflict', 'store', 'pack', 'model', 'internal']) {
      expect(toApiError('x', { kind, message: 'm' }).kind).toBe(kind);
    }
    expect(toApiError('x', { kind: 'weird', message: 'm' }).kind).toBe('internal');
  });

  it('reports bridge failures (strings, Errors) as ipc', () => {
    expect(toApiError('skip', 'skip not allowed. Command not found')).toMatchObject({ kind: 'ipc', command: 'skip' });
    expect(toApiError('skip', new Error('no bridge')).kind).toBe('ipc');
    expect(toApiError('skip', undefined).kind).toBe('ipc');
    const same = new ApiError('a', 'pack', 'bad');
    expect(toApiError('b', same)).toBe(same);
  });
});

// ----- refusals with a reason (docs/api.md, "Reasons") -------------------------------------

describe('refusals with a reason', () => {
  afterEach(() => useLanguage('en'));

  it('keeps the reason and its values, and drops a reason this UI does not know', () => {
    const e = toApiError('start_session', {
      kind: 'conflict',
      reason: 'lesson_locked',
      values: { lesson: 'On the line', needs: ['Meaning'], at: 0.8 },
      message: 'the lesson "On the line" is locked: it needs Meaning at 80% first',
    });
    expect(e).toMatchObject({ kind: 'conflict', reason: 'lesson_locked', values: { lesson: 'On the line', needs: ['Meaning'], at: 0.8 } });
    // From a newer engine: said with its message, as an error without a reason is.
    const newer = toApiError('x', { kind: 'conflict', reason: 'moon_is_full', values: { id: '1' }, message: 'the moon is full' });
    expect(newer.reason).toBeUndefined();
    expect(messageOf(newer)).toBe('the moon is full');
    expect(toApiError('x', { kind: 'conflict', message: 'm' }).reason).toBeUndefined();
  });

  it('says a refusal in the UI language from its reason and values, without the English sentence', () => {
    const locked = toApiError('start_session', {
      kind: 'conflict',
      reason: 'lesson_locked',
      values: { lesson: 'En la recta', needs: ['Qué es una fracción', 'Mitades'], at: 0.8 },
      message: 'the lesson "En la recta" is locked: it needs Qué es una fracción, Mitades at 80% first',
    });
    useLanguage('es');
    const es = messageOf(locked);
    expect(es).toContain('«En la recta»');
    expect(es).toContain('Qué es una fracción y Mitades');
    expect(es).toContain('80');
    expect(es).not.toMatch(/is locked|Detalle/);
    useLanguage('en');
    expect(messageOf(locked)).toContain('Qué es una fracción and Mitades');
  });

  it('tells a deletion refused while the model trains by its reason, not by its wording', () => {
    const busy = toApiError('delete_learner', { kind: 'conflict', reason: 'training_busy', message: 'reworded in Rust' });
    expect(isTrainingBusy(busy)).toBe(true);
    expect(learnerError(busy, 'Ana')).not.toContain('reworded');
    const other = toApiError('delete_learner', { kind: 'conflict', reason: 'learner_archived', values: { name: 'Ana' }, message: 'a training job of another kind' });
    expect(isTrainingBusy(other)).toBe(false);
  });
});
