import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import { CATALOGUES, useLanguage } from './admin-strings';
import { toApiError, type CourseInfo, type CourseMap, type PackDiff, type Step } from './api';
import { messageOf } from './errors';
import wireSource from './generated/wire.ts?raw';
import { LEARN_CATALOGUES, t, type LearnKey } from './learn-strings';
import { mountPractice } from './practice/practice';
import { mountCourseMap } from './views/courseMap';
import { mountLearnerPicker } from './views/learnerPicker';
import { mountLibrary } from './views/library';

const mockInvoke = vi.mocked(invoke);
const en = LEARN_CATALOGUES.en as Record<LearnKey, string>;
const KEYS = Object.keys(en) as LearnKey[];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('learner screen strings', () => {
  it('has the same languages as the admin screens', () => {
    expect(Object.keys(LEARN_CATALOGUES).sort()).toEqual(Object.keys(CATALOGUES).sort());
  });

  it.each(Object.keys(LEARN_CATALOGUES))('%s has every key, none empty, with the same placeholders', (tag) => {
    const table = LEARN_CATALOGUES[tag] as Record<string, string>;
    expect(Object.keys(table).sort()).toEqual([...KEYS].sort());
    for (const key of KEYS) {
      expect(table[key]?.trim(), `${tag} ${key}`).not.toBe('');
      expect(placeholders(table[key] ?? ''), `${tag} ${key}`).toEqual(placeholders(en[key]));
    }
  });

  it('fills placeholders and follows the language setting', () => {
    useLanguage('es');
    expect(t('practice.progress', { number: 3, right: 1, answered: 2 })).toBe('Ejercicio 3 · respondidos: 2, bien a la primera: 1');
    useLanguage('en');
    expect(t('practice.progress', { number: 3, right: 1, answered: 2 })).toBe('Item 3 · 1 right first time of 2 answered');
  });
});

// ----- every learner screen, rendered in every language ------------------------------------

const course: CourseInfo = { id: 'fractions', version: '1.0.0', title: 'Fractions', description: 'Parts of a whole.', skills: 2, lessons: 2, items: 20, languages: ['en'], text_language: 'en' };
const map: CourseMap = {
  course,
  skills: [
    { id: 'meaning', name: 'Meaning', mastery: 0.8, uncertainty: 0.1, mastered: true, locked: false, locked_because: [], attempts: 6 },
    { id: 'line', name: 'Number line', mastery: 0.5, uncertainty: 0.3, mastered: false, locked: true, locked_because: ['Meaning'], attempts: 0 },
    { id: 'add', name: 'Adding', mastery: 0.4, uncertainty: 0.2, mastered: false, locked: false, locked_because: [], attempts: 1 },
  ],
  lessons: [
    { id: 'meaning', title: 'What is a fraction?', status: 'mastered', skills: ['meaning'], items: 10, fixed_order: false, locked_because: [], intro_html: null },
    { id: 'line', title: 'On the line', status: 'locked', skills: ['line'], items: 10, fixed_order: false, locked_because: ['Meaning'], intro_html: null },
    { id: 'add', title: 'Adding', status: 'in_progress', skills: ['add'], items: 4, fixed_order: false, locked_because: [], intro_html: null },
  ],
  unlock_at: 0.8,
};
const diff: PackDiff = {
  pack: 'spanish-a1', title: 'Spanish A1', from_version: '1.0.0', to_version: '1.1.0', added: ['a'], changed: ['b'], removed: ['c'],
  unchanged: 4, meta_changed: true, removed_with_history: ['c'], returning: false,
};
const step = (kind: string, number: number): Step => ({
  session: 5,
  number,
  item: {
    id: `item-${number}`, kind, lesson: 'meaning', skills: ['meaning'], prompt_html: kind === 'cloze' ? '<p>Half is {{1}}/2.</p>' : '<p>Which is half?</p>',
    choices: kind === 'text' || kind === 'cloze' ? [] : [{ position: 1, html: '<p>1/2</p>' }, { position: 2, html: '<p>1/3</p>' }],
    select_all: number % 2 === 0, blanks: kind === 'cloze' ? 1 : 0, unit: null, hint_levels: 3, has_solution: true, answer_language: null,
  },
  reason: 'practising meaning', predicted: 0.7, hint: 'offer', hints_shown: [], answers: 0, resolved: false,
  session_answered: 0, session_correct_first: 0,
});

function backend() {
  let n = 0;
  const kinds = ['choice', 'choice', 'order', 'cloze', 'text'];
  mockInvoke.mockImplementation(async (cmd: string) => {
    switch (cmd) {
      case 'list_learners':
        return [];
      case 'list_courses':
        return [course];
      case 'app_info':
        return { version: '0.1.0', data_dir: 'd', packs_dir: 'p', store_warnings: [], preload_problems: [{ source: 'algebra.ladderpack', message: 'not a pack' }] };
      case 'choose_pack_file':
        return '/media/usb/spanish.ladderpack';
      case 'install_pack':
        return diff;
      case 'preview_pack':
        return { diff, changes: [], warnings: [] };
      case 'course_map':
        return map;
      case 'start_session':
        return { session: 5, learner: 1, course: 'fractions', lesson: null, policy: 'adaptive' };
      case 'next_step':
        n += 1;
        return step(kinds[(n - 1) % kinds.length] ?? 'choice', n);
      case 'submit_answer':
        return {
          correct: false, feedback_html: null, blanks: [true, false], wrong_answers: 1, hint: 'offer', hint_shown: null,
          mastery: [{ id: 'meaning', name: 'Meaning', before: 0.5, after: 0.9, uncertainty: 0.1, mastered: true, mastered_before: false }],
          also: [
            { id: 'line', name: 'Line', before: 0.8, after: 0.74, uncertainty: 0.1, mastered: false, mastered_before: true },
            { id: 'equiv', name: 'Equivalent', before: 0.74, after: 0.8, uncertainty: 0.1, mastered: true, mastered_before: false },
          ],
        };
      case 'request_hint':
        return { level: 1, of: 3, html: '<p>Think of a pizza.</p>', is_solution: false };
      case 'view_solution':
        return { level: 3, of: 3, html: '<p>1/2.</p>', is_solution: true };
      case 'skip':
        return { skipped: true };
      case 'end_session':
        return {
          session: 5, items: 3, answered: 2, correct_first: 1, skipped: 1, hints: 2, duration_s: 30,
          skills: [
            { id: 'meaning', name: 'Meaning', answers: 1, right: 1, before: 0.5, after: 0.8, uncertainty: 0.1, mastered_before: false, mastered: true },
            { id: 'line', name: 'Line', answers: 4, right: 2, before: 0.5, after: 0.9, uncertainty: 0.1, mastered_before: false, mastered: false, unconfirmed: { answers: 4, right: 2, needed: 4 } },
          ],
        };
      default:
        throw `unexpected command ${cmd}`;
    }
  });
}

/** Everything a learner can read or hear on the page: text, labels, placeholders, tooltips. */
function visibleText(root: HTMLElement): string {
  const attrs = Array.from(root.querySelectorAll('*')).flatMap((el) =>
    ['aria-label', 'placeholder', 'title', 'aria-valuetext'].map((a) => el.getAttribute(a) ?? ''),
  );
  return [root.textContent ?? '', ...attrs].join('\n');
}

const click = (root: HTMLElement, testid: string) =>
  root.querySelector<HTMLButtonElement>(`[data-testid="${testid}"]`)?.click();

/** Shows every learner screen and most of their states; returns what was on the page each time. */
async function everyScreen(root: HTMLElement): Promise<string[]> {
  const seen: string[] = [];
  const learner = { id: 1, name: 'Ada' };
  await mountLearnerPicker(root, { onPick: vi.fn() });
  seen.push(visibleText(root));
  await mountLibrary(root, { learner, onOpen: vi.fn() });
  await vi.waitFor(() => expect(root.querySelector('[data-testid="preload-problems"]')).not.toBeNull());
  click(root, 'import-pack');
  await vi.waitFor(() => expect(root.querySelector('[data-testid="import-report"]')).not.toBeNull());
  seen.push(visibleText(root));
  click(root, 'confirm-install');
  await vi.waitFor(() => expect(root.querySelector('[data-testid="import-done"]')).not.toBeNull());
  seen.push(visibleText(root));
  await mountCourseMap(root, { learner, course, onPractice: vi.fn(), onBack: vi.fn() });
  seen.push(visibleText(root));
  await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
  for (let i = 0; i < 4; i += 1) {
    await vi.waitFor(() => expect(root.querySelector(`[data-item-id="item-${i + 1}"]`)).not.toBeNull());
    const form = root.querySelector<HTMLFormElement>('[data-testid="item-card"]');
    form?.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true })); // nothing entered
    seen.push(visibleText(root));
    root.querySelector<HTMLInputElement>('input[type="radio"], input[type="checkbox"]')?.click();
    for (const box of Array.from(root.querySelectorAll<HTMLInputElement>('[data-testid="answer-input"], input.blank'))) box.value = '1';
    form?.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
    await vi.waitFor(() => expect(root.querySelector('[data-testid="verdict"]')).not.toBeNull());
    click(root, 'request-hint');
    await vi.waitFor(() => expect(root.querySelector('[data-testid="hint-rung"]')).not.toBeNull());
    click(root, 'view-solution');
    await vi.waitFor(() => expect(root.querySelector('[data-testid="worked-solution"]')).not.toBeNull());
    root.querySelector<HTMLButtonElement>('[data-testid="order-up"]:not([disabled])')?.click();
    seen.push(visibleText(root));
    click(root, i % 2 === 0 ? 'next-item' : 'skip-item');
  }
  await vi.waitFor(() => expect(root.querySelector('[data-item-id="item-5"]')).not.toBeNull());
  click(root, 'end-session');
  await vi.waitFor(() => expect(root.querySelector('[data-testid="session-summary"]')).not.toBeNull());
  seen.push(visibleText(root));
  return seen;
}

describe.each(Object.keys(LEARN_CATALOGUES))('the learner screens in %s', (tag) => {
  let root: HTMLElement;
  beforeEach(() => {
    mockInvoke.mockReset();
    backend();
    document.body.innerHTML = '';
    root = document.createElement('div');
    document.body.appendChild(root);
    useLanguage(tag);
  });
  afterEach(() => useLanguage('en'));

  it('render with no missing key, no unfilled placeholder, and no string of another language', async () => {
    const pages = await everyScreen(root);
    const table = LEARN_CATALOGUES[tag] as Record<LearnKey, string>;
    // Every English sentence that this language says differently must not appear: a screen
    // still showing one has a string that is not in the tables.
    const foreign = KEYS.map((k) => en[k]).filter((s, i) => {
      const key = KEYS[i] as LearnKey;
      return s !== table[key] && s.replace(/\{\w+\}/g, '').trim().length >= 8;
    });
    for (const page of pages) {
      for (const key of KEYS) expect(page, `raw key ${key}`).not.toContain(key);
      expect(page).not.toMatch(/\{\w+\}/);
      for (const s of foreign) {
        const fixed = s.split(/\{\w+\}/).sort((a, b) => b.length - a.length)[0]?.trim() ?? '';
        if (fixed.length >= 8) expect(page, `English "${s}" on a ${tag} page`).not.toContain(fixed);
      }
    }
    const all = pages.join('\n');
    for (const key of ['picker.title', 'import.updateCourse', 'map.skills', 'practice.check', 'summary.title'] as LearnKey[]) {
      expect(all).toContain(table[key].split('{')[0]?.trim());
    }
  });
});

describe.each([
  ['en', '12,345'],
  ['es', '12.345'],
])('counts on the learner screens in %s', (tag, written) => {
  // A long-used course: the tutor's screens wrote "12.345 respuestas" while the course map,
  // the library, the import report and the summary wrote "12345".
  const big = 12345;
  beforeEach(() => {
    mockInvoke.mockReset();
    backend();
    const base = mockInvoke.getMockImplementation();
    mockInvoke.mockImplementation(async (cmd: string, args?: unknown) => {
      switch (cmd) {
        case 'list_courses':
          return [{ ...course, items: big, skills: big, lessons: big }];
        case 'install_pack':
          return { ...diff, unchanged: big };
        case 'preview_pack':
          return { diff: { ...diff, unchanged: big }, changes: [], warnings: [] };
        case 'course_map':
          return { ...map, skills: map.skills.map((s) => ({ ...s, attempts: big })), lessons: map.lessons.map((l) => ({ ...l, items: big })) };
        case 'end_session':
          return {
            session: 5, items: big, answered: big, correct_first: big, skipped: big, hints: big, duration_s: 60 * big,
            skills: [{ id: 'meaning', name: 'Meaning', answers: big, right: big, before: 0.5, after: 0.8, uncertainty: 0.1, mastered_before: true, mastered: true }],
          };
        default:
          return base?.(cmd, args as never);
      }
    });
    document.body.innerHTML = '';
    useLanguage(tag);
  });
  afterEach(() => useLanguage('en'));

  it('are written as the language writes them', async () => {
    const root = document.createElement('div');
    document.body.appendChild(root);
    const learner = { id: 1, name: 'Ada' };
    expect(t('map.skill.answers.other', { count: big })).toContain(written);
    expect(t('import.historyKept.other', { count: big })).toContain(written);
    await mountLibrary(root, { learner, onOpen: vi.fn() });
    await vi.waitFor(() => expect(root.querySelector('[data-count="items"]')).not.toBeNull());
    for (const c of ['skills', 'lessons', 'items']) {
      expect(root.querySelector(`[data-count="${c}"]`)?.textContent, c).toBe(written);
    }
    click(root, 'import-pack');
    await vi.waitFor(() => expect(root.querySelector('[data-testid="import-report"]')).not.toBeNull());
    expect(root.querySelector('[data-diff="unchanged"] strong')?.textContent).toBe(written);
    await mountCourseMap(root, { learner, course, onPractice: vi.fn(), onBack: vi.fn() });
    expect(root.querySelector('[data-skill-id="add"]')?.textContent).toContain(`${written} `);
    expect(root.querySelector('[data-lesson-id="add"]')?.textContent).toContain(`· ${written} `);
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    await vi.waitFor(() => expect(root.querySelector('[data-item-id="item-1"]')).not.toBeNull());
    click(root, 'end-session');
    await vi.waitFor(() => expect(root.querySelector('[data-testid="session-summary"]')).not.toBeNull());
    for (const stat of ['items', 'answered', 'correct_first', 'hints', 'skipped', 'minutes']) {
      expect(root.querySelector(`[data-stat="${stat}"] .stat-value`)?.textContent, stat).toBe(written);
    }
    expect(root.querySelector('[data-testid="skill-progress"]')?.textContent).toContain(`${written} `);
  });
});

// ----- refusals with a reason (docs/api.md, "Reasons") -------------------------------------

/** Every reason the engine has, read from the generated wire types: a reason added in Rust (and
 * wire.ts regenerated, which a Rust test enforces) fails here until both languages say it. */
const REASONS: string[] = (() => {
  const union = /export type Reason = ([^;]+);/.exec(wireSource)?.[1] ?? '';
  return [...union.matchAll(/"(\w+)"/g)].map((m) => m[1]!);
})();

describe('the refusals with a reason', () => {
  afterEach(() => useLanguage('en'));

  it('are read from wire.ts', () => {
    expect(REASONS).toContain('lesson_locked');
    expect(REASONS).toContain('training_busy');
  });

  it.each(Object.keys(LEARN_CATALOGUES))('each has a string in %s', (tag) => {
    const table = LEARN_CATALOGUES[tag] as Record<string, string>;
    const missing = REASONS.filter((r) => !table[`refusal.${r}`]?.trim());
    expect(missing).toEqual([]);
    // And no string for a reason the engine does not have.
    const extra = Object.keys(table).filter((k) => k.startsWith('refusal.') && !REASONS.includes(k.slice('refusal.'.length)));
    expect(extra).toEqual([]);
  });

  it('says every reason in every language, with its values filled in', () => {
    const values = { id: 'x-1', name: 'Ana', course: 'Fractions', lesson: 'Halves', needs: ['Meaning'], at: 0.8, item: 'i-1', session: 4 };
    for (const tag of Object.keys(LEARN_CATALOGUES)) {
      useLanguage(tag);
      for (const reason of REASONS) {
        const said = messageOf(toApiError('x', { kind: 'conflict', reason, values, message: 'ENGLISH MESSAGE' }));
        expect(said, `${tag} ${reason}`).not.toContain('ENGLISH MESSAGE');
        expect(said, `${tag} ${reason}`).not.toMatch(/\{\w+\}/);
        expect(said.trim(), `${tag} ${reason}`).not.toBe('');
      }
    }
  });
});
