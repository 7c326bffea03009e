import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import type { Learner, Library } from '../api';
import { initial, mountLearnerPicker } from './learnerPicker';
import { mountLibrary } from './library';

const mockInvoke = vi.mocked(invoke);

/** A fake backend keyed by command name, standing in for the Rust side. */
function backend(handlers: Record<string, (args?: Record<string, unknown>) => unknown>) {
  mockInvoke.mockImplementation(async (cmd: string, args?: unknown) => {
    const handler = handlers[cmd];
    if (!handler) throw `unexpected command ${cmd}`;
    return handler(args as Record<string, unknown> | undefined);
  });
}

let container: HTMLElement;

beforeEach(() => {
  mockInvoke.mockReset();
  document.body.innerHTML = '';
  container = document.createElement('div');
  document.body.appendChild(container);
});

const q = <T extends Element>(sel: string) => container.querySelector<T>(sel);

describe('learner picker', () => {
  it('lists learners and picks one on click', async () => {
    backend({ list_learners: () => [{ id: 1, name: 'Ada' }] });
    const onPick = vi.fn();
    await mountLearnerPicker(container, { onPick });
    const button = q<HTMLButtonElement>('[data-learner-id="1"]');
    expect(button?.textContent).toContain('Ada');
    expect(q('[data-testid="learner-status"]')?.hasAttribute('hidden')).toBe(true);
    button?.click();
    expect(onPick).toHaveBeenCalledWith({ id: 1, name: 'Ada' });
  });

  it('says so when there are no learners', async () => {
    backend({ list_learners: () => [] });
    await mountLearnerPicker(container, { onPick: vi.fn() });
    expect(q('[data-testid="learner-status"]')?.textContent).toMatch(/No learners yet/);
  });

  it('creates a learner and shows it in the list', async () => {
    const learners: Learner[] = [];
    backend({
      list_learners: () => [...learners],
      create_learner: (args) => {
        const learner = { id: 7, name: String(args?.name).trim() };
        learners.push(learner);
        return learner;
      },
    });
    await mountLearnerPicker(container, { onPick: vi.fn() });
    const input = q<HTMLInputElement>('[data-testid="new-learner-name"]');
    if (!input) throw new Error('no input');
    input.value = ' Grace ';
    q<HTMLFormElement>('[data-testid="new-learner-form"]')?.dispatchEvent(
      new Event('submit', { cancelable: true, bubbles: true }),
    );
    await vi.waitFor(() => expect(q('[data-learner-id="7"]')).not.toBeNull());
    expect(q('[data-learner-id="7"]')?.textContent).toContain('Grace');
    expect(q('[data-learner-id="7"]')?.classList.contains('just-added')).toBe(true);
    expect(input.value).toBe('');
    expect(mockInvoke).toHaveBeenCalledWith('create_learner', { name: ' Grace ' });
  });

  it('shows the message of a refused name', async () => {
    backend({
      list_learners: () => [],
      create_learner: () => {
        throw { kind: 'invalid_input', message: 'a learner needs a name' };
      },
    });
    await mountLearnerPicker(container, { onPick: vi.fn() });
    q<HTMLFormElement>('[data-testid="new-learner-form"]')?.dispatchEvent(
      new Event('submit', { cancelable: true, bubbles: true }),
    );
    const error = q<HTMLElement>('[data-testid="learner-error"]');
    await vi.waitFor(() => expect(error?.hidden).toBe(false));
    expect(error?.textContent).toBe('a learner needs a name');
  });

  it('takes the first letter of a name for the avatar', () => {
    expect(initial('ada')).toBe('A');
    expect(initial(' Élodie')).toBe('É');
    expect(initial('')).toBe('?');
  });
});

describe('course library', () => {
  const library: Library = {
    packsDir: '/packs',
    packs: [
      {
        id: 'fractions',
        title: 'Fractions',
        version: '1.0.0',
        description: 'Parts of a whole.',
        languages: ['en'],
        skillCount: 10,
        lessonCount: 8,
        itemCount: 64,
      },
    ],
    problems: [{ folder: 'broken', message: 'pack.toml: expected a string' }],
  };

  it('shows each pack with its counts, and the problems', async () => {
    backend({ list_packs: () => library });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onSwitchLearner: vi.fn() });
    expect(q('[data-testid="current-learner"]')?.textContent).toBe('Ada');
    const card = q('[data-pack-id="fractions"]');
    expect(card?.querySelector('.pack-title')?.textContent).toBe('Fractions');
    expect(card?.textContent).toContain('version 1.0.0');
    expect(card?.querySelector('[data-count="skills"]')?.textContent).toBe('10');
    expect(card?.querySelector('[data-count="items"]')?.textContent).toBe('64');
    expect(q('[data-testid="pack-problems"]')?.textContent).toContain('broken');
  });

  it('shows an error when the packs cannot be listed, and can switch learner', async () => {
    backend({
      list_packs: () => {
        throw { kind: 'not_found', message: 'no packs folder at /nope (set LADDER_PACKS_DIR)' };
      },
    });
    const onSwitchLearner = vi.fn();
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onSwitchLearner });
    expect(q('[data-testid="library-error"]')?.textContent).toContain('LADDER_PACKS_DIR');
    q<HTMLButtonElement>('[data-testid="switch-learner"]')?.click();
    expect(onSwitchLearner).toHaveBeenCalledOnce();
  });
});
