import { beforeEach, describe, expect, it, vi } from 'vitest';

// `invoke` is the IPC boundary: the only thing mocked.
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import { ApiError, appInfo, createLearner, listLearners, listPacks, toApiError } from './api';

const mockInvoke = vi.mocked(invoke);

beforeEach(() => {
  mockInvoke.mockReset();
});

describe('commands', () => {
  it('calls each command by its Rust name with camelCase arguments', async () => {
    mockInvoke.mockResolvedValueOnce({ version: '0.1.0', dataDir: '/d', packsDir: '/p' });
    await expect(appInfo()).resolves.toEqual({ version: '0.1.0', dataDir: '/d', packsDir: '/p' });
    expect(mockInvoke).toHaveBeenLastCalledWith('app_info', undefined);

    mockInvoke.mockResolvedValueOnce([{ id: 1, name: 'Ada' }]);
    await expect(listLearners()).resolves.toEqual([{ id: 1, name: 'Ada' }]);
    expect(mockInvoke).toHaveBeenLastCalledWith('list_learners', undefined);

    mockInvoke.mockResolvedValueOnce({ id: 2, name: 'Zoë' });
    await expect(createLearner('Zoë')).resolves.toEqual({ id: 2, name: 'Zoë' });
    expect(mockInvoke).toHaveBeenLastCalledWith('create_learner', { name: 'Zoë' });

    const library = { packsDir: '/p', packs: [], problems: [] };
    mockInvoke.mockResolvedValueOnce(library);
    await expect(listPacks()).resolves.toEqual(library);
    expect(mockInvoke).toHaveBeenLastCalledWith('list_packs', undefined);
  });

  it('turns a Rust {kind, message} rejection into an ApiError', async () => {
    mockInvoke.mockRejectedValueOnce({ kind: 'conflict', message: 'a learner named Ada already exists' });
    const error = await createLearner('Ada').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      kind: 'conflict',
      message: 'a learner named Ada already exists',
      command: 'create_learner',
    });
  });

  it('reports bridge failures (plain strings) as ipc errors', async () => {
    mockInvoke.mockRejectedValueOnce('Command list_packs not allowed by ACL');
    await expect(listPacks()).rejects.toMatchObject({
      kind: 'ipc',
      message: 'Command list_packs not allowed by ACL',
    });
  });
});

describe('toApiError', () => {
  it('maps an unknown kind to internal and keeps the message', () => {
    expect(toApiError('x', { kind: 'weird', message: 'm' })).toMatchObject({ kind: 'internal', message: 'm' });
  });

  it('wraps Error objects and other values', () => {
    expect(toApiError('x', new Error('boom'))).toMatchObject({ kind: 'ipc', message: 'boom' });
    expect(toApiError('x', 42)).toMatchObject({ kind: 'ipc', message: '42' });
    expect(toApiError('x', null)).toMatchObject({ kind: 'ipc', message: 'null' });
  });

  it('passes an ApiError through unchanged', () => {
    const e = new ApiError('c', 'not_found', 'gone');
    expect(toApiError('other', e)).toBe(e);
  });
});
