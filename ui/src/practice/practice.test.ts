import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import type { CourseInfo, HintView, Step } from '../api';
import { mountPractice } from './practice';

const mockInvoke = vi.mocked(invoke);
const course: CourseInfo = { id: 'fractions', version: '1.0.0', title: 'Fractions', description: '', skills: 1, lessons: 1, items: 3 };
const learner = { id: 1, name: 'Ada' };

const step = (number: number): Step => ({
  session: 5,
  number,
  item: {
    id: `item-${number}`, kind: 'choice', lesson: 'meaning', skills: ['meaning'], prompt_html: '<p>Which is half?</p>',
    choices: [{ position: 1, html: '<p>1/2</p>' }, { position: 2, html: '<p>1/3</p>' }],
    select_all: false, blanks: 0, unit: null, hint_levels: 3,
  },
  reason: 'practising meaning', predicted: 0.5, hint: 'none', hints_shown: [], answers: 0, resolved: false,
});

const rung = (level: number): HintView => ({ level, of: 3, html: `<p>rung ${level}</p>`, is_solution: level === 3 });

/** A fake engine: one session, items numbered from 1, a three-rung ladder (the last the solution). */
function backend() {
  let item = 0;
  let hints = 0;
  mockInvoke.mockImplementation(async (cmd: string) => {
    switch (cmd) {
      case 'start_session':
        return { session: 5, learner: 1, course: 'fractions', lesson: null, policy: 'adaptive' };
      case 'next_step':
        item += 1;
        hints = 0;
        return step(item);
      case 'request_hint':
        hints += 1;
        return rung(hints);
      case 'view_solution':
        hints = 3;
        return rung(3);
      default:
        throw `unexpected command ${cmd}`;
    }
  });
}

let root: HTMLElement;
beforeEach(() => {
  mockInvoke.mockReset();
  backend();
  document.body.innerHTML = '';
  root = document.createElement('div');
  document.body.appendChild(root);
});

const q = <T extends Element>(sel: string) => root.querySelector<T>(sel);

describe('practice: keyboard focus', () => {
  it('keeps the focus on the page when the last hint rung hides the hint button', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    const hint = q<HTMLButtonElement>('[data-testid="request-hint"]')!;
    for (let level = 1; level <= 3; level += 1) {
      hint.focus();
      hint.click();
      await vi.waitFor(() => expect(root.querySelectorAll('[data-testid="hints"] li')).toHaveLength(level));
    }
    expect(hint.hidden).toBe(true);
    // The focus was on a button that is gone: it moves to the answer, not to the page's body.
    expect(document.activeElement).toBe(q('[data-testid="answer-choice"] input'));
  });

  it('moves the focus to the answer after "Show the worked solution"', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    const solution = q<HTMLButtonElement>('[data-testid="view-solution"]')!;
    solution.focus();
    solution.click();
    await vi.waitFor(() => expect(q('[data-testid="worked-solution"]')).not.toBeNull());
    expect(solution.hidden).toBe(true);
    expect(document.activeElement).toBe(q('[data-testid="answer-choice"] input'));
  });

  it('leaves the focus on the hint button while more rungs remain', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    const hint = q<HTMLButtonElement>('[data-testid="request-hint"]')!;
    hint.focus();
    hint.click();
    await vi.waitFor(() => expect(q('[data-testid="hint-rung"]')).not.toBeNull());
    expect(hint.hidden).toBe(false);
    expect(document.activeElement).toBe(hint);
  });
});
