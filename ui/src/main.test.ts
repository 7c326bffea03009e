import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => {
  class Channel<T> {
    onmessage: (message: T) => void = () => undefined;
  }
  return { invoke: vi.fn(), Channel };
});

import { invoke } from '@tauri-apps/api/core';
import type { CourseInfo, CourseMap, LearnerInfo, Step } from './api';
import fixtures from './admin-fixtures.json';

const mockInvoke = vi.mocked(invoke);
const course: CourseInfo = { id: 'fractions', version: '1.0.0', title: 'Fractions', description: '', skills: 1, lessons: 1, items: 3, languages: ['en'], text_language: 'en' };
/** The learners in the picker: the test changes it as the tutor area would. */
let learners: LearnerInfo[] = [{ id: 1, name: 'Ada' }];
/** The installed courses: the test changes it as the tutor area's course list would. */
let courses: CourseInfo[] = [course];

/** Whether the tutor area asks for its PIN. */
let locked = false;
/** Two lessons, both open. */
const map: CourseMap = {
  course,
  skills: [{ id: 's', name: 'Skill', mastery: 0.5, uncertainty: 0.2, mastered: false, locked: false, locked_because: [], attempts: 0 }],
  lessons: ['a', 'b'].map((id) => ({ id, title: `Lesson ${id}`, status: 'available', skills: ['s'], items: 3, fixed_order: false, locked_because: [], intro_html: null })),
  unlock_at: 0.8,
};
const step = (session: number): Step => ({
  session,
  number: 1,
  item: {
    id: `item-of-${session}`, kind: 'choice', lesson: 'a', skills: ['s'], prompt_html: '<p>Which is half?</p>',
    choices: [{ position: 1, html: '<p>1/2</p>' }, { position: 2, html: '<p>1/3</p>' }],
    select_all: false, blanks: 0, unit: null, hint_levels: 0, has_solution: false, answer_language: null,
  },
  reason: 'practising', predicted: 0.5, hint: 'none', hints_shown: [], answers: 0, resolved: false,
  session_answered: 0, session_correct_first: 0,
});
/** The next call of a command waits until the test releases it (a slow engine). */
const waiting = new Map<string, Promise<void>>();
function hold(cmd: string): () => void {
  let release = () => undefined as void;
  waiting.set(cmd, new Promise<void>((resolve) => (release = resolve)));
  return () => release();
}

const q = <T extends Element>(sel: string) => document.querySelector<T>(sel);
const calls = (cmd: string) => mockInvoke.mock.calls.filter(([c]) => c === cmd).map(([, a]) => a as Record<string, unknown>);

/** A fake backend (set before each test: the config restores mocks between tests). */
beforeEach(() => {
  locked = false;
  waiting.clear();
  let sessions = 10;
  mockInvoke.mockImplementation(async (cmd: string, args?: unknown) => {
    const params = (args ?? {}) as Record<string, unknown>;
    const gate = waiting.get(cmd);
    if (gate) {
      waiting.delete(cmd);
      await gate;
    }
    switch (cmd) {
      case 'admin_overview':
        return { ...fixtures.admin_overview, language: 'en', has_pin: locked, unlocked: !locked };
      case 'unlock_tutor':
        locked = false;
        return true;
      case 'set_language':
        return params.language;
      case 'course_map':
        return map;
      case 'start_session':
        sessions += 1;
        return { session: sessions, learner: 1, course: course.id, lesson: params.lesson ?? null, policy: 'adaptive' };
      case 'next_step':
        return step(Number(params.session));
      case 'end_session':
        return { session: params.session, items: 0, answered: 0, correct_first: 0, skipped: 0, hints: 0, duration_s: 1 };
      case 'app_info':
        return { version: '0.1.0', data_dir: 'data', packs_dir: 'packs', store_warnings: [], preload_problems: [] };
      case 'list_learners':
        return learners;
      case 'list_courses':
        return courses;
      case 'trace_startup':
        return null;
      default:
        throw { kind: 'not_found', message: `unexpected command ${cmd}` };
    }
  });
});

/** Starts the app once, as index.html does. */
async function boot() {
  if (q('#app')) return;
  document.body.innerHTML = '<div id="app"></div>';
  await import('./main');
  await vi.waitFor(() => expect(q('[data-learner-id="1"]')).not.toBeNull());
}

describe('the app shell', () => {
  it('follows the tutor area: a renamed learner keeps learning under the new name, an archived one is signed out', async () => {
    await boot();
    q<HTMLButtonElement>('[data-learner-id="1"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="course-library"]')).not.toBeNull());
    expect(q('[data-testid="signed-in-learner"]')?.textContent).toBe('Ada');

    // Renamed in the tutor area, then "Learn": the same learner, under the new name.
    learners = [{ id: 1, name: 'Ada Lovelace' }];
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="signed-in-learner"]')?.textContent).toBe('Ada Lovelace'));
    expect(q('[data-testid="course-library"]')).not.toBeNull();

    // Archived (or deleted) in the tutor area, then "Learn": no more practice under that name.
    learners = [{ id: 2, name: 'Grace' }];
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="learner-picker"]')).not.toBeNull());
    expect(q('[data-testid="signed-in-learner"]')).toBeNull();
    await vi.waitFor(() => expect(q('[data-learner-id="2"]')).not.toBeNull());
  });

  it('names "Switch" by what it does and says who is signed in', async () => {
    // Tabbing along the top bar, a screen reader said "Switch, button": switch what? The
    // learner's name beside it is no control, so the keyboard never reaches it.
    learners = [{ id: 1, name: 'Ada' }];
    await boot();
    (q<HTMLButtonElement>('[data-testid="switch-learner"]') ?? q<HTMLButtonElement>('[data-testid="nav-learn"]'))!.click();
    await vi.waitFor(() => expect(q('[data-learner-id="1"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-learner-id="1"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="switch-learner"]')).not.toBeNull());
    const button = q<HTMLButtonElement>('[data-testid="switch-learner"]')!;
    const name = button.getAttribute('aria-label') ?? '';
    // The visible word first (a voice command says what it sees: WCAG 2.5.3).
    expect(name.startsWith(button.textContent ?? '?')).toBe(true);
    expect(name.length).toBeGreaterThan((button.textContent ?? '').length);
    const described = (button.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent).join(' ');
    expect(described).toBe('Ada');
    button.click(); // signed out again, as the next test expects
    await vi.waitFor(() => expect(q('[data-testid="learner-picker"]')).not.toBeNull());
  });

  it('follows the tutor area: a course removed there sends the learner to the library, not to its map', async () => {
    learners = [{ id: 1, name: 'Ada' }];
    courses = [course];
    await boot();
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click(); // the picker again, with Ada
    await vi.waitFor(() => expect(q('[data-learner-id="1"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-learner-id="1"]')!.click();
    await vi.waitFor(() => expect(q('[data-pack-id="fractions"] [data-testid="open-course"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-pack-id="fractions"] [data-testid="open-course"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="course-map"]')).not.toBeNull());

    // Still installed: "Learn" goes back to its map.
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="course-map"]')).not.toBeNull());
    // Removed in the tutor area: "Learn" shows the library.
    courses = [];
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="course-library"]')).not.toBeNull());
    expect(q('[data-testid="course-map"]')).toBeNull();
  });
});

/** Ada signed in, on the library (wherever the previous test left the app). */
async function toLibrary() {
  learners = [{ id: 1, name: 'Ada' }];
  courses = [course];
  await boot();
  (q<HTMLButtonElement>('[data-testid="switch-learner"]') ?? q<HTMLButtonElement>('[data-testid="nav-learn"]'))!.click();
  await vi.waitFor(() => expect(q('[data-learner-id="1"]')).not.toBeNull());
  q<HTMLButtonElement>('[data-learner-id="1"]')!.click();
  await vi.waitFor(() => expect(q('[data-testid="course-library"]')).not.toBeNull());
}

async function toMap() {
  await toLibrary();
  await vi.waitFor(() => expect(q('[data-pack-id="fractions"] [data-testid="open-course"]')).not.toBeNull());
  q<HTMLButtonElement>('[data-pack-id="fractions"] [data-testid="open-course"]')!.click();
  await vi.waitFor(() => expect(q('[data-lesson-id="b"] [data-testid="practise-lesson"]')).not.toBeNull());
}

/** Lets pending promise callbacks and timers run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** "Learn" while a screen waits for the engine; the library must stay once the engine answers. */
async function learnWhileWaiting(release: () => void) {
  q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
  await vi.waitFor(() => expect(q('[data-testid="course-library"]')).not.toBeNull());
  release();
  await settle();
  expect(q('[data-testid="course-library"]')).not.toBeNull();
  expect(q('#main')?.getAttribute('data-testid')).toBeNull();
  expect(q('[data-testid="nav-learn"]')?.getAttribute('aria-current')).toBe('page');
}

describe('a new screen and the keyboard focus', () => {
  it('focuses the screen once it has drawn its frame, named by its heading', async () => {
    // The shell focused `main` while it was still empty, before the screen drew anything: a
    // screen reader said "main" and nothing of the course map or library now in it.
    learners = [{ id: 1, name: 'Ada' }];
    courses = [course];
    await boot();
    const main = q<HTMLElement>('#main')!;
    const heard: string[] = [];
    // What the screen is when it is given the focus (happy-dom fires no focus event on an
    // element that already has it, so the call itself is watched).
    const focus = main.focus.bind(main);
    main.focus = (options?: FocusOptions) => {
      const label = document.getElementById(main.getAttribute('aria-labelledby') ?? '');
      heard.push(label && main.contains(label) ? label.textContent ?? '' : '(no name)');
      focus(options);
    };
    (q<HTMLButtonElement>('[data-testid="switch-learner"]') ?? q<HTMLButtonElement>('[data-testid="nav-learn"]'))!.click();
    await vi.waitFor(() => expect(q('[data-learner-id="1"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-learner-id="1"]')!.click();
    await vi.waitFor(() => expect(q('[data-pack-id="fractions"] [data-testid="open-course"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-pack-id="fractions"] [data-testid="open-course"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="course-map"]')).not.toBeNull());
    await vi.waitFor(() => expect(heard.length).toBe(3));
    expect(heard[2]).toBe('Fractions');
    expect(heard.every((h) => h !== '(no name)'), heard.join(' | ')).toBe(true);
    expect(document.activeElement).toBe(main);
    // The page's title names the screen too (the document's name to a screen reader): it was
    // "Ladder" on every screen.
    expect(document.title).toBe('Fractions – Ladder');
  });
});

describe('a screen that waits for the engine never replaces the screen the learner went to meanwhile', () => {
  it('settings: "Learn" while the settings are being read', async () => {
    await toLibrary();
    const release = hold('admin_overview');
    const before = calls('admin_overview').length;
    q<HTMLButtonElement>('[data-testid="nav-settings"]')!.click();
    await vi.waitFor(() => expect(calls('admin_overview').length).toBe(before + 1));
    await learnWhileWaiting(release);
    expect(q('[data-testid="model-panel"]')).toBeNull();
  });

  it('settings: "Learn" while a new language is being saved (the screen is drawn again after it)', async () => {
    await toLibrary();
    q<HTMLButtonElement>('[data-testid="nav-settings"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="language-select"]')).not.toBeNull());
    const release = hold('set_language');
    const select = q<HTMLSelectElement>('[data-testid="language-select"]')!;
    select.value = 'en';
    select.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(calls('set_language')).toHaveLength(1));
    await learnWhileWaiting(release);
    expect(q('[data-testid="language-panel"]')).toBeNull();
  });

  it('tutor area: "Learn" while it is being read', async () => {
    await toLibrary();
    const release = hold('admin_overview');
    const before = calls('admin_overview').length;
    q<HTMLButtonElement>('[data-testid="nav-tutor"]')!.click();
    await vi.waitFor(() => expect(calls('admin_overview').length).toBe(before + 1));
    await learnWhileWaiting(release);
    expect(q('[data-testid="admin-error"]')).toBeNull();
  });

  it('PIN prompt: "Learn" while the PIN is being checked', async () => {
    await toLibrary();
    locked = true;
    q<HTMLButtonElement>('[data-testid="nav-tutor"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="tutor-lock"]')).not.toBeNull());
    const release = hold('unlock_tutor');
    q<HTMLInputElement>('[data-testid="unlock-pin"]')!.value = '1234';
    q<HTMLFormElement>('[data-testid="tutor-lock"]')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(calls('unlock_tutor')).toHaveLength(1));
    const before = calls('admin_overview').length;
    await learnWhileWaiting(release);
    // Nothing of the tutor area was asked for, let alone drawn.
    expect(calls('admin_overview')).toHaveLength(before);
  });
});

describe('practice started twice in a hurry', () => {
  /** "Practise" on lesson `id` of the map on screen. */
  const practise = (id: string) => q<HTMLButtonElement>(`[data-lesson-id="${id}"] [data-testid="practise-lesson"]`)!.click();
  /** Back to the course map with "Learn" (the course stays open). */
  async function backToMap() {
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
    await vi.waitFor(() => expect(q('[data-lesson-id="b"] [data-testid="practise-lesson"]')).not.toBeNull());
  }

  it('a session started for a lesson the learner left before it had started is ended when they practise another', async () => {
    await toMap();
    const release = hold('start_session');
    practise('a');
    await vi.waitFor(() => expect(calls('start_session')).toHaveLength(1));
    await backToMap();
    practise('b');
    await settle(); // the practice screen's code is there
    release(); // session 11 (lesson a) has started, for a screen the learner left
    await vi.waitFor(() => expect(q('[data-item-id="item-of-12"]')).not.toBeNull());
    expect(calls('start_session').map((a) => a.lesson)).toEqual(['a', 'b']);
    expect(calls('end_session')).toEqual([{ session: 11 }]);
    // The session on screen is the one the app keeps: "Switch" ends it.
    q<HTMLButtonElement>('[data-testid="switch-learner"]')!.click();
    await vi.waitFor(() => expect(calls('end_session')).toEqual([{ session: 11 }, { session: 12 }]));
  });

  it('the same lesson practised again before its session had started carries that session on', async () => {
    await toMap();
    const release = hold('start_session');
    practise('a');
    await vi.waitFor(() => expect(calls('start_session')).toHaveLength(1));
    await backToMap();
    practise('a');
    await settle();
    release();
    await vi.waitFor(() => expect(q('[data-item-id="item-of-11"]')).not.toBeNull());
    expect(calls('start_session')).toHaveLength(1);
    expect(calls('end_session')).toEqual([]);
  });

  it('a session whose start is answered after "Switch" is ended', async () => {
    await toMap();
    const release = hold('start_session');
    practise('a');
    await vi.waitFor(() => expect(calls('start_session')).toHaveLength(1));
    q<HTMLButtonElement>('[data-testid="switch-learner"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="learner-picker"]')).not.toBeNull());
    release();
    await vi.waitFor(() => expect(calls('end_session')).toEqual([{ session: 11 }]));
    expect(q('[data-testid="learner-picker"]')).not.toBeNull();
  });
});

describe('"End session" and a quick return', () => {
  it('a lesson practised again while its "End session" is being answered gets a new session', async () => {
    await toMap();
    q<HTMLButtonElement>('[data-lesson-id="a"] [data-testid="practise-lesson"]')!.click();
    await vi.waitFor(() => expect(q('[data-item-id="item-of-11"]')).not.toBeNull());
    const release = hold('end_session');
    q<HTMLButtonElement>('[data-testid="end-session"]')!.click();
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
    await vi.waitFor(() => expect(q('[data-lesson-id="a"] [data-testid="practise-lesson"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-lesson-id="a"] [data-testid="practise-lesson"]')!.click();
    await settle();
    release();
    await vi.waitFor(() => expect(q('[data-item-id="item-of-12"]')).not.toBeNull());
    expect(calls('end_session')).toEqual([{ session: 11 }]);
    expect(calls('next_step').map((a) => a.session)).toEqual([11, 12]);
  });
});
