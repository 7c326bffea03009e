import { beforeEach, describe, expect, it, vi } from 'vitest';

// `invoke` is the IPC boundary: the only thing mocked.
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import * as api from './api';
import { ApiError, toApiError } from './api';

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
