import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import type { CourseInfo, HintView, SkillChange, SkillProgress, Step } from '../api';
import type { OpenSession } from './practice';
import { mountPractice } from './practice';
import { useLanguage } from '../admin-strings';
import { LEARN_CATALOGUES, t } from '../learn-strings';

const mockInvoke = vi.mocked(invoke);
const course: CourseInfo = { id: 'fractions', version: '1.0.0', title: 'Fractions', description: '', skills: 1, lessons: 1, items: 3, languages: ['en'], text_language: 'en' };
const learner = { id: 1, name: 'Ada' };

/** The fake engine's items: a three-rung ladder, the last rung the worked solution; `solution`
 * false makes it two hints and no solution. */
let solution = true;
/** The next skip is followed by one `next_step` that fails (a store error), as a full disk does. */
let failNextStep = false;
let nextStepFails = false;
/** The next answer, hint or skip is refused because the course was updated while the item was
 * on screen (the engine's conflict with its reason, `item_changed` or `item_removed`); the item
 * is then shown again as it is now. */
let updatedOnScreen: 'item_changed' | 'item_removed' | false = false;
/** `end_session` answers once this settles (a slow engine). */
let endSessionGate: Promise<void> | null = null;
/** The skills `end_session` says the session practised. */
let summarySkills: SkillProgress[] = [];
/** The other skills `submit_answer` says the answer took over or under the mastery line. */
let answerAlso: SkillChange[] = [];
/** `submit_answer` and `start_session` answer once these settle. */
let submitGate: Promise<void> | null = null;
let startGate: Promise<void> | null = null;
/** A promise the test settles, and the function that settles it. */
function gate(): [Promise<void>, () => void] {
  let open = () => undefined as void;
  const p = new Promise<void>((resolve) => (open = resolve));
  return [p, open];
}
/** Fields of the fake engine's items that a test changes (a typed item in another language). */
let itemOver: Partial<Step['item']> = {};
const step = (number: number): Step => ({
  session: 5,
  number,
  item: {
    id: `item-${number}`, kind: 'choice', lesson: 'meaning', skills: ['meaning'], prompt_html: '<p>Which is half?</p>',
    choices: [{ position: 1, html: '<p>1/2</p>' }, { position: 2, html: '<p>1/3</p>' }],
    select_all: false, blanks: 0, unit: null, hint_levels: solution ? 3 : 2, has_solution: solution, answer_language: null,
    ...itemOver,
  },
  reason: 'practising meaning', predicted: 0.5, hint: 'none', hints_shown: [], answers: 0, resolved: false,
  session_answered: 0, session_correct_first: 0,
});

const rung = (level: number): HintView => ({ level, of: 3, html: `<p>rung ${level}</p>`, is_solution: level === 3 });

/** A fake engine: sessions numbered from 5, items numbered from 1, a three-rung ladder (the last
 * the solution); `next_step` shows the item on screen again until it is answered, as the engine
 * does. */
function backend() {
  let item = 0;
  let hints = 0;
  let answered = true;
  let session = 4;
  const ended = new Set<number>();
  mockInvoke.mockImplementation(async (cmd: string, args?: unknown) => {
    const params = (args ?? {}) as { session?: number; lesson?: string | null };
    switch (cmd) {
      case 'start_session':
        if (startGate) await startGate;
        session += 1;
        return { session, learner: 1, course: 'fractions', lesson: params.lesson ?? null, policy: 'adaptive' };
      case 'next_step':
        if (ended.has(params.session ?? 0)) {
          throw { kind: 'conflict', reason: 'session_ended', values: { session: params.session }, message: `session ${params.session} has ended` };
        }
        if (nextStepFails) {
          nextStepFails = false;
          throw { kind: 'store', message: 'disk I/O error' };
        }
        if (answered) {
          item += 1;
          hints = 0;
          answered = false;
        }
        return { ...step(item), session: params.session ?? 0 };
      case 'submit_answer': {
        if (submitGate) await submitGate;
        if (updatedOnScreen) {
          const reason = updatedOnScreen;
          updatedOnScreen = false;
          // Worded unlike any message the engine ever sent: the screen goes by the reason.
          throw { kind: 'conflict', reason, values: { item: `item-${item}` }, message: `item-${item} is not as it was` };
        }
        // Position 2 is wrong (a hint is then offered), anything else right.
        const wrong = JSON.stringify((args as { answer?: unknown }).answer) === JSON.stringify({ kind: 'choice', value: [2] });
        answered = !wrong;
        return { correct: !wrong, feedback_html: null, blanks: [], mastery: [], also: answerAlso, hint: wrong ? 'offer' : 'none', hint_shown: null, wrong_answers: wrong ? 1 : 0 };
      }
      case 'end_session':
        if (endSessionGate) await endSessionGate;
        ended.add(params.session ?? 0);
        return { session: params.session, items: 1, answered: 1, correct_first: 1, skipped: 0, hints: 0, duration_s: 10, skills: summarySkills };
      case 'request_hint':
        hints += 1;
        return rung(hints);
      case 'view_solution':
        hints = 3;
        return rung(3);
      case 'skip':
        // The engine refuses a second skip of the same item: it is done.
        if (answered) throw { kind: 'conflict', reason: 'item_done', message: 'this item is done: ask for the next step' };
        answered = true;
        if (failNextStep) {
          failNextStep = false;
          nextStepFails = true;
        }
        return { skipped: true };
      default:
        throw `unexpected command ${cmd}`;
    }
  });
}

let root: HTMLElement;
beforeEach(() => {
  solution = true;
  itemOver = {};
  updatedOnScreen = false;
  failNextStep = false;
  nextStepFails = false;
  endSessionGate = null;
  summarySkills = [];
  answerAlso = [];
  submitGate = null;
  startGate = null;
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

  it('names the last rung "Show the worked solution" when it is one', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    const hint = q<HTMLButtonElement>('[data-testid="request-hint"]')!;
    expect(hint.textContent).toBe('Hint');
    hint.click();
    await vi.waitFor(() => expect(hint.textContent).toBe('Next hint (2 of 3)'));
    hint.click();
    await vi.waitFor(() => expect(hint.textContent).toBe('Show the worked solution'));
    // Without a solution the last rung is a hint like the others.
    solution = false;
    mockInvoke.mockReset();
    backend();
    root.replaceChildren();
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    const second = q<HTMLButtonElement>('[data-testid="request-hint"]')!;
    second.click();
    await vi.waitFor(() => expect(second.textContent).toBe('Next hint (2 of 2)'));
  });

  it('says which other skills an answer took over or under the mastery line', async () => {
    answerAlso = [
      { id: 'line', name: 'Number line', before: 0.81, after: 0.74, uncertainty: 0.1, mastered: false, mastered_before: true },
      { id: 'equiv', name: 'Equivalent fractions', before: 0.74, after: 0.8, uncertainty: 0.1, mastered: true, mastered_before: false },
    ];
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    q<HTMLInputElement>('[data-testid="answer-choice"] input[value="2"]')!.click();
    submit();
    await vi.waitFor(() => expect(q('[data-testid="also-changed"]')).not.toBeNull());
    const lines = Array.from(root.querySelectorAll('[data-testid="also-changed"] li')).map((li) => li.textContent);
    expect(q('[data-testid="also-changed"] p')?.textContent).toBe('This answer also moved:');
    expect(lines).toEqual(['Number line 81% → 74% · no longer mastered', 'Equivalent fractions 74% → 80% · mastered now']);
    // None: no such part.
    answerAlso = [];
    q<HTMLInputElement>('[data-testid="answer-choice"] input[value="1"]')!.click();
    submit();
    await vi.waitFor(() => expect(q<HTMLElement>('[data-testid="feedback"]')?.dataset.correct).toBe('true'));
    expect(q('[data-testid="also-changed"]')).toBeNull();
  });

  it('says that a right answer given with the worked solution open earns no credit', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    q<HTMLButtonElement>('[data-testid="view-solution"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="worked-solution"]')).not.toBeNull());
    q<HTMLInputElement>('[data-testid="answer-choice"] input[value="1"]')!.click();
    submit();
    await vi.waitFor(() => expect(q<HTMLElement>('[data-testid="feedback"]')?.dataset.correct).toBe('true'));
    expect(q('[data-testid="no-credit"]')?.textContent).toBe(
      'The worked solution was open, so this answer earns no mastery credit: try the next one on your own.',
    );
  });

  it('says nothing of credit for a right answer given without the worked solution, hints or not', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    q<HTMLButtonElement>('[data-testid="request-hint"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="hint-rung"]')).not.toBeNull());
    q<HTMLInputElement>('[data-testid="answer-choice"] input[value="1"]')!.click();
    submit();
    await vi.waitFor(() => expect(q<HTMLElement>('[data-testid="feedback"]')?.dataset.correct).toBe('true'));
    expect(q('[data-testid="no-credit"]')).toBeNull();
  });

  it('offers the next hint, not "a hint", after a wrong answer once a rung is on screen', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    q<HTMLButtonElement>('[data-testid="request-hint"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="hint-rung"]')).not.toBeNull());
    q<HTMLInputElement>('[data-testid="answer-choice"] input[value="2"]')!.click();
    submit();
    await vi.waitFor(() => expect(q('[data-testid="verdict"]')).not.toBeNull());
    const offer = q<HTMLElement>('[data-testid="hint-offer"]')!;
    expect(offer.hidden).toBe(false);
    expect(offer.textContent).toBe('Still stuck? The next hint is ready when you want it.');
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

const calls = (cmd: string) => mockInvoke.mock.calls.filter(([c]) => c === cmd).map(([, a]) => a as Record<string, unknown>);
const submit = () =>
  q<HTMLFormElement>('[data-testid="item-card"]')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));

describe('practice: leaving and coming back', () => {
  it('carries on a session left without ending it: the same item and the same counts', async () => {
    let open: OpenSession | null = null;
    const onOpen = (s: OpenSession) => {
      open = s;
    };
    const onEnded = (session: number) => {
      if (open?.session === session) open = null;
    };
    await mountPractice(root, { learner, course, lesson: null, open, onOpen, onEnded, onDone: vi.fn() });
    q<HTMLInputElement>('[data-testid="answer-choice"] input')!.click();
    submit();
    await vi.waitFor(() => expect(q('[data-testid="verdict"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-testid="next-item"]')!.click();
    await vi.waitFor(() => expect(q('[data-item-id="item-2"]')).not.toBeNull());
    // The learner goes to the course map, then presses "Practise" again.
    root.innerHTML = '';
    await mountPractice(root, { learner, course, lesson: null, open, onOpen, onEnded, onDone: vi.fn() });
    expect(calls('start_session')).toHaveLength(1);
    expect(calls('end_session')).toHaveLength(0);
    expect(q('[data-item-id="item-2"]')).not.toBeNull();
    expect(q('[data-testid="session-progress"]')?.textContent).toContain('1 right first time of 1 answered');
    // "End session" ends it for good: the next practice is a new session.
    q<HTMLButtonElement>('[data-testid="end-session"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="session-summary"]')).not.toBeNull());
    expect(open).toBeNull();
  });

  it('ends the session left on another lesson and starts a new one', async () => {
    const left: OpenSession = { learner: 1, course: 'fractions', lesson: 'meaning', session: 3, tally: { answered: 2, right: 1 } };
    const onOpen = vi.fn();
    await mountPractice(root, { learner, course, lesson: null, open: left, onOpen, onDone: vi.fn() });
    expect(calls('end_session')).toEqual([{ session: 3 }]);
    expect(calls('start_session')).toHaveLength(1);
    expect(onOpen).toHaveBeenLastCalledWith(expect.objectContaining({ session: 5, lesson: null, tally: { answered: 0, right: 0 } }));
    expect(q('[data-testid="session-progress"]')?.textContent).toContain('0 right first time of 0 answered');
  });

  it('ends an open session whose next step the engine refuses, then starts a new one', async () => {
    // Carried on, but refused (its lesson removed by an upgrade, the learner archived, a store
    // error): the app ends it rather than leave it open in the engine.
    const carried: OpenSession = { learner: 1, course: 'fractions', lesson: null, session: 3, tally: { answered: 2, right: 1 } };
    nextStepFails = true;
    const onEnded = vi.fn();
    await mountPractice(root, { learner, course, lesson: null, open: carried, onEnded, onDone: vi.fn() });
    expect(calls('end_session')).toEqual([{ session: 3 }]);
    expect(onEnded).toHaveBeenCalledWith(3);
    expect(calls('start_session')).toHaveLength(1);
    expect(q('[data-testid="item-card"]')).not.toBeNull();
  });

  it('starts a new session when the one left has ended meanwhile', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    q<HTMLButtonElement>('[data-testid="end-session"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="session-summary"]')).not.toBeNull());
    const stale: OpenSession = { learner: 1, course: 'fractions', lesson: null, session: 5, tally: { answered: 0, right: 0 } };
    await mountPractice(root, { learner, course, lesson: null, open: stale, onDone: vi.fn() });
    expect(calls('start_session')).toHaveLength(2);
    // The session whose next step was refused is ended, not left open in the engine.
    expect(calls('end_session')).toEqual([{ session: 5 }, { session: 5 }]);
    expect(q('[data-testid="practice-error"]')?.hasAttribute('hidden')).toBe(true);
    expect(q('[data-testid="item-card"]')).not.toBeNull();
  });
});

describe('practice: a session the app carried on after a restart', () => {
  it('the summary says what each skill practised did: its figure then and now, and whether it is mastered', async () => {
    summarySkills = [
      { id: 'meaning', name: 'What a fraction means', answers: 4, right: 4, before: 0.42, after: 0.88, uncertainty: 0.08, mastered_before: false, mastered: true },
      { id: 'line', name: 'Number line', answers: 1, right: 1, before: 0.8, after: 0.82, uncertainty: 0.1, mastered_before: true, mastered: true },
      {
        id: 'equiv', name: 'Equivalent fractions', answers: 6, right: 3, before: 0.5, after: 0.9, uncertainty: 0.07, mastered_before: false, mastered: false,
        unconfirmed: { answers: 5, right: 2, needed: 4 },
      },
    ];
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    await vi.waitFor(() => expect(q('[data-testid="item-card"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-testid="end-session"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="summary-skills"]')).not.toBeNull());
    const line = (id: string) => q(`[data-testid="summary-skills"] [data-skill="${id}"] [data-testid="skill-progress"]`)?.textContent;
    expect(q('#summary-skills-title')?.textContent).toBe('Skills you practised');
    expect(line('meaning')).toBe('42% → 88% · 4 of 4 right first time · mastered now');
    expect(line('line')).toBe('80% → 82% · 1 of 1 right first time · mastered');
    expect(line('equiv')).toBe('50% → 90% · 3 of 6 right first time · not yet mastered: 2 of your last 5 answers right, 4 needed');
    expect(q('[data-skill="meaning"] [role="meter"]')?.getAttribute('aria-valuenow')).toBe('88');
    expect(q('[data-testid="summary-skills-note"]')?.textContent).toBe('A figure also moves with your answers on the other skills.');
  });

  it('a session that answered nothing has no list of skills', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    await vi.waitFor(() => expect(q('[data-testid="item-card"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-testid="end-session"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="session-summary"]')).not.toBeNull());
    expect(q('[data-testid="summary-skills"]')).toBeNull();
  });

  it("starts the header's counts from the engine's, as the summary counts them", async () => {
    mockInvoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'start_session') return { session: 9, learner: 1, course: 'fractions', lesson: null, policy: 'adaptive' };
      if (cmd === 'next_step') return { ...step(6), session: 9, session_answered: 5, session_correct_first: 3 };
      throw `unexpected command ${cmd}`;
    });
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    expect(q('[data-testid="session-progress"]')?.textContent).toBe('Item 6 · 3 right first time of 5 answered');
  });
});

describe('practice: after a right answer', () => {
  it('no longer says "try again" or offers a hint once a retry is right', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    const notice = q('[data-testid="answer-notice"]')!;
    const offer = q<HTMLElement>('[data-testid="hint-offer"]')!;
    submit(); // nothing chosen yet
    expect(notice.textContent).toBe('Enter an answer first.');
    q<HTMLInputElement>('[data-testid="answer-choice"] input[data-position="2"]')!.click();
    submit();
    await vi.waitFor(() => expect(q('[data-testid="feedback"]')?.getAttribute('data-correct')).toBe('false'));
    expect(notice.textContent).toBe('Try again, take a hint, or move on.');
    expect(offer.hidden).toBe(false);
    q<HTMLInputElement>('[data-testid="answer-choice"] input[data-position="1"]')!.click();
    submit();
    await vi.waitFor(() => expect(q('[data-testid="feedback"]')?.getAttribute('data-correct')).toBe('true'));
    expect(notice.textContent).toBe('');
    expect(offer.hidden).toBe(true);
  });

  it('drops "Enter an answer first" once an answer is sent', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    submit();
    expect(q('[data-testid="answer-notice"]')?.textContent).toBe('Enter an answer first.');
    q<HTMLInputElement>('[data-testid="answer-choice"] input[data-position="1"]')!.click();
    submit();
    await vi.waitFor(() => expect(q('[data-testid="verdict"]')).not.toBeNull());
    expect(q('[data-testid="answer-notice"]')?.textContent).toBe('');
  });
});

describe('practice: the course updated while an item is on screen', () => {
  it.each(['item_changed', 'item_removed'] as const)('fetches the next step and says why, instead of leaving a refusal with no way on (%s)', async (reason) => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    updatedOnScreen = reason;
    q<HTMLInputElement>('[data-testid="answer-choice"] input[data-position="1"]')!.click();
    submit();
    const error = q('[data-testid="practice-error"]')!;
    await vi.waitFor(() => expect(error.hasAttribute('hidden')).toBe(false));
    expect(error.textContent).toBe(
      'The course was updated while that question was on screen, so what you just did was not counted: here is the next step.',
    );
    // The item is drawn again, as it is now: no verdict, the answer to give again, nothing counted.
    expect(q('[data-item-id="item-1"]')).not.toBeNull();
    expect(q('[data-testid="verdict"]')).toBeNull();
    expect(q<HTMLInputElement>('[data-testid="answer-choice"] input[data-position="1"]')!.checked).toBe(false);
    expect(q('[data-testid="session-progress"]')?.textContent).toContain('of 0 answered');
    q<HTMLInputElement>('[data-testid="answer-choice"] input[data-position="1"]')!.click();
    submit();
    await vi.waitFor(() => expect(q('[data-testid="feedback"]')?.getAttribute('data-correct')).toBe('true'));
    expect(error.hasAttribute('hidden')).toBe(true);
  });

  it('shows any other refusal as it is, in the UI language', async () => {
    useLanguage('es');
    try {
      await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
      q<HTMLButtonElement>('[data-testid="skip-item"]')!.click();
      await vi.waitFor(() => expect(q('[data-item-id="item-2"]')).not.toBeNull());
      mockInvoke.mockImplementationOnce(async () => {
        throw { kind: 'conflict', reason: 'item_done', message: 'this item is done: ask for the next step' };
      });
      q<HTMLInputElement>('[data-testid="answer-choice"] input[data-position="1"]')!.click();
      submit();
      const error = q('[data-testid="practice-error"]')!;
      await vi.waitFor(() => expect(error.hasAttribute('hidden')).toBe(false));
      expect(error.textContent).toBe(LEARN_CATALOGUES.es!['refusal.item_done']);
      expect(q('[data-item-id="item-2"]')).not.toBeNull();
    } finally {
      useLanguage('en');
    }
  });

  it('goes by the reason, not by the wording: a message that reads like an update is not one', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    mockInvoke.mockImplementationOnce(async () => {
      throw { kind: 'conflict', reason: 'learner_archived', values: { name: 'Ada' }, message: 'the item on screen, "x", was removed by a pack upgrade' };
    });
    q<HTMLInputElement>('[data-testid="answer-choice"] input[data-position="1"]')!.click();
    submit();
    const error = q('[data-testid="practice-error"]')!;
    await vi.waitFor(() => expect(error.hasAttribute('hidden')).toBe(false));
    expect(error.textContent).toBe(t('refusal.learner_archived', { name: 'Ada' }));
    expect(mockInvoke.mock.calls.filter(([cmd]) => cmd === 'next_step')).toHaveLength(1);
  });
});

describe('practice: scrolling to the feedback', () => {
  it('scrolls to the feedback once the hint offer above it is shown (it pushed the feedback below the window)', async () => {
    const offerShownAtScroll: boolean[] = [];
    const scroll = vi.fn(function (this: HTMLElement) {
      if (this.dataset.testid === 'feedback') offerShownAtScroll.push(!q<HTMLElement>('[data-testid="hint-offer"]')!.hidden);
    });
    const before = HTMLElement.prototype.scrollIntoView;
    HTMLElement.prototype.scrollIntoView = scroll;
    try {
      await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
      q<HTMLInputElement>('[data-testid="answer-choice"] input[data-position="2"]')!.click();
      submit();
      await vi.waitFor(() => expect(q('[data-testid="feedback"]')?.getAttribute('data-correct')).toBe('false'));
    } finally {
      HTMLElement.prototype.scrollIntoView = before;
    }
    expect(offerShownAtScroll).toEqual([true]);
  });
});

describe('practice: an item without a worked solution', () => {
  it('offers the hints but no "Show the worked solution" (the engine refuses it)', async () => {
    solution = false;
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    expect(q<HTMLButtonElement>('[data-testid="request-hint"]')!.hidden).toBe(false);
    expect(q<HTMLButtonElement>('[data-testid="view-solution"]')!.hidden).toBe(true);
  });
});

describe('practice: a screen left while the engine works', () => {
  it('the summary of "End session" does not replace the screen the learner went to meanwhile', async () => {
    let answer = () => undefined as void;
    endSessionGate = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const onEnded = vi.fn();
    const left = new AbortController();
    await mountPractice(root, { learner, course, lesson: null, signal: left.signal, onEnded, onDone: vi.fn() });
    q<HTMLButtonElement>('[data-testid="end-session"]')!.click();
    // The learner goes to the course map (the shell aborts the screen's signal and draws another).
    left.abort();
    const map = document.createElement('section');
    map.dataset.testid = 'course-map';
    root.replaceChildren(map);
    answer();
    await vi.waitFor(() => expect(calls('end_session')).toHaveLength(1));
    await vi.waitFor(() => expect(onEnded).toHaveBeenLastCalledWith(5));
    expect(q('[data-testid="session-summary"]')).toBeNull();
    expect(q('[data-testid="course-map"]')).toBe(map);
  });
});

describe('practice: "End session" while the engine works', () => {
  it('an end pressed while an answer is being checked is kept, said on the button, and done once the answer is back', async () => {
    let answer: () => void;
    [submitGate, answer] = gate();
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    q<HTMLInputElement>('[data-testid="answer-choice"] input')!.click();
    submit();
    await vi.waitFor(() => expect(calls('submit_answer')).toHaveLength(1));
    const end = q<HTMLButtonElement>('[data-testid="end-session"]')!;
    end.focus();
    end.click();
    // Not lost: the button says the session is ending, keeps the focus (it is not disabled,
    // which would drop the focus), and a second press sends nothing more.
    expect(end.textContent).toBe('Ending the session…');
    expect(end.getAttribute('aria-disabled')).toBe('true');
    expect(end.disabled).toBe(false);
    expect(document.activeElement).toBe(end);
    end.click();
    expect(calls('end_session')).toHaveLength(0);
    answer!();
    await vi.waitFor(() => expect(q('[data-testid="session-summary"]')).not.toBeNull());
    expect(calls('end_session')).toEqual([{ session: 5 }]);
  });

  it('an end pressed while the session is starting ends it once it has started', async () => {
    let started: () => void;
    [startGate, started] = gate();
    const onOpen = vi.fn();
    const onEnded = vi.fn();
    const mounted = mountPractice(root, { learner, course, lesson: null, onOpen, onEnded, onDone: vi.fn() });
    await vi.waitFor(() => expect(calls('start_session')).toHaveLength(1));
    q<HTMLButtonElement>('[data-testid="end-session"]')!.click();
    started!();
    await mounted;
    await vi.waitFor(() => expect(q('[data-testid="session-summary"]')).not.toBeNull());
    expect(calls('end_session')).toEqual([{ session: 5 }]);
    expect(onEnded).toHaveBeenLastCalledWith(5);
  });

  it('after an end the engine refused, the button is "End session" again', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    mockInvoke.mockImplementationOnce(async () => {
      throw { kind: 'store', message: 'disk I/O error' };
    });
    const end = q<HTMLButtonElement>('[data-testid="end-session"]')!;
    end.click();
    await vi.waitFor(() => expect(q('[data-testid="practice-error"]')?.hasAttribute('hidden')).toBe(false));
    expect(end.textContent).toBe('End session');
    expect(end.hasAttribute('aria-disabled')).toBe(false);
    end.click();
    await vi.waitFor(() => expect(q('[data-testid="session-summary"]')).not.toBeNull());
  });
});

describe('practice: an engine error in the middle of a session', () => {
  it('after a skip whose next item could not be fetched, "Next item" tries again (Skip was refused as done)', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    expect(q('[data-item-id="item-1"]')).not.toBeNull();
    failNextStep = true;
    const skipButton = q<HTMLButtonElement>('[data-testid="skip-item"]')!;
    skipButton.focus();
    skipButton.click();
    await vi.waitFor(() => expect(q('[data-testid="practice-error"]')?.hasAttribute('hidden')).toBe(false));
    expect(q('[data-testid="practice-error"]')?.textContent).toContain('disk I/O error');
    // The item is skipped: no second skip, no answer; the way on is "Next item", which has the
    // focus (the pressed button is gone).
    expect(skipButton.hidden).toBe(true);
    expect(q<HTMLButtonElement>('[data-testid="check-answer"]')!.hidden).toBe(true);
    const next = q<HTMLButtonElement>('[data-testid="next-item"]')!;
    expect(next.hidden).toBe(false);
    expect(document.activeElement).toBe(next);
    next.click();
    await vi.waitFor(() => expect(q('[data-item-id="item-2"]')).not.toBeNull());
    expect(q('[data-testid="practice-error"]')?.hasAttribute('hidden')).toBe(true);
  });
});

describe('practice: what a screen reader hears', () => {
  /** The live regions in the page now (a region hidden when its text arrives is not read out:
   * it must be there, shown, beforehand). */
  const liveRegions = () =>
    Array.from(root.querySelectorAll<HTMLElement>('[aria-live], [role="status"], [role="alert"]')).filter((el) => !el.closest('[hidden]'));
  const heard = (regions: HTMLElement[], text: string) => regions.some((r) => r.isConnected && (r.textContent ?? '').includes(text));

  it('the summary with its button: the button that has the focus is described by the counts', async () => {
    // "End session" put the focus on "Back to the course map": a screen reader said the button
    // and nothing of the summary around it.
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    await vi.waitFor(() => expect(q('[data-testid="item-card"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-testid="end-session"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="session-summary"]')).not.toBeNull());
    const done = q<HTMLButtonElement>('[data-testid="summary-done"]');
    expect(document.activeElement).toBe(done);
    const said = (done?.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    expect(said).toContain('Session complete');
    expect(said).toContain('right first time');
    expect(said).toContain('answered');
    // The engine counts every rung seen, the ones shown unasked after wrong answers too: "hints
    // taken" told a learner who asked for none that they had taken some.
    expect(said).toContain('hints seen');
    expect(said).not.toContain('taken');
  });

  it('the verdict, the hint offered after a wrong answer and each hint rung', async () => {
    await mountPractice(root, { learner, course, lesson: null, onDone: vi.fn() });
    let regions = liveRegions();
    q<HTMLInputElement>('[data-testid="answer-choice"] input[value="2"]')!.click();
    submit();
    await vi.waitFor(() => expect(q('[data-testid="verdict"]')).not.toBeNull());
    expect(heard(regions, 'Not quite')).toBe(true);
    expect(heard(regions, 'A hint is ready')).toBe(true);
    regions = liveRegions();
    q<HTMLButtonElement>('[data-testid="request-hint"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="hint-rung"]')).not.toBeNull());
    expect(heard(regions, 'rung 1')).toBe(true);
    regions = liveRegions();
    q<HTMLInputElement>('[data-testid="answer-choice"] input[value="1"]')!.click();
    submit();
    await vi.waitFor(() => expect(q<HTMLElement>('[data-testid="feedback"]')?.dataset.correct).toBe('true'));
    expect(heard(regions, 'Right!')).toBe(true);
  });
});

describe('practice: the language of a typed answer', () => {
  // Spanish A1: its text is English (`text_language = "en"`) and its learners type Spanish
  // (`answer_language = "es"`). Under the English UI and the Spanish one alike, the box is
  // marked Spanish and the prompt around it English.
  const spanishA1: CourseInfo = { ...course, id: 'spanish-a1', title: 'Spanish A1 for English speakers', languages: ['es', 'en'], text_language: 'en' };

  for (const ui of ['en', 'es'] as const) {
    it(`marks the answer box with the language the answer is typed in, not the text's (${ui} UI)`, async () => {
      itemOver = { kind: 'text', choices: [], prompt_html: '<p>Say in Spanish: <strong>My name is Ana.</strong></p>', answer_language: 'es' };
      useLanguage(ui);
      try {
        await mountPractice(root, { learner, course: spanishA1, lesson: null, onDone: vi.fn() });
        await vi.waitFor(() => expect(q('[data-testid="answer-input"]')).not.toBeNull());
        expect(q('[data-testid="answer-input"]')?.getAttribute('lang')).toBe('es');
        expect(q('[data-testid="item-prompt"]')?.getAttribute('lang')).toBe('en');
      } finally {
        useLanguage('en');
      }
    });
  }

  it('marks every blank of a cloze item, and a number\'s box not at all', async () => {
    itemOver = { kind: 'cloze', choices: [], blanks: 2, prompt_html: '<p>I am from Colombia: <span lang="es"><em>Yo {{1}} de Colombia, pero ahora {{2}} en Madrid.</em></span></p>', answer_language: 'es' };
    await mountPractice(root, { learner, course: spanishA1, lesson: null, onDone: vi.fn() });
    await vi.waitFor(() => expect(root.querySelectorAll('[data-testid="answer-blank"]')).toHaveLength(2));
    const blanks = Array.from(root.querySelectorAll('[data-testid="answer-blank"]'));
    expect(blanks.map((b) => b.getAttribute('lang'))).toEqual(['es', 'es']);

    itemOver = { kind: 'numeric', choices: [], answer_language: null };
    mockInvoke.mockReset();
    backend();
    root.replaceChildren();
    await mountPractice(root, { learner, course: spanishA1, lesson: null, onDone: vi.fn() });
    await vi.waitFor(() => expect(q('[data-testid="answer-input"]')).not.toBeNull());
    expect(q('[data-testid="answer-input"]')?.hasAttribute('lang')).toBe(false);
  });
});

describe('practice: the session ended elsewhere', () => {
  // Another window or a `serve` client carried the learner's practice on elsewhere, which ended
  // this session as left open: every action here is refused with `session_ended`.
  const endedElsewhere = { kind: 'conflict', reason: 'session_ended', values: { session: 5 }, message: 'session 5 has ended' };

  it('"End session" goes back instead of refusing again and again', async () => {
    const onDone = vi.fn();
    const onEnded = vi.fn();
    await mountPractice(root, { learner, course, lesson: null, onEnded, onDone });
    await vi.waitFor(() => expect(q('[data-item-id="item-1"]')).not.toBeNull());
    mockInvoke.mockImplementationOnce(async () => {
      throw endedElsewhere;
    });
    q<HTMLButtonElement>('[data-testid="end-session"]')!.click();
    await vi.waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    expect(onEnded).toHaveBeenCalledWith(5);
  });

  it('an answer refused so says why, and the button then goes back', async () => {
    const onDone = vi.fn();
    await mountPractice(root, { learner, course, lesson: null, onDone });
    mockInvoke.mockImplementationOnce(async () => {
      throw endedElsewhere;
    });
    q<HTMLInputElement>('[data-testid="answer-choice"] input[data-position="1"]')!.click();
    submit();
    const error = q('[data-testid="practice-error"]')!;
    await vi.waitFor(() => expect(error.hasAttribute('hidden')).toBe(false));
    expect(error.textContent).toBe(t('refusal.session_ended'));
    const end = q<HTMLButtonElement>('[data-testid="end-session"]')!;
    expect(end.textContent).toBe(t('practice.back'));
    const calls = mockInvoke.mock.calls.length;
    end.click();
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(mockInvoke.mock.calls.length).toBe(calls);
  });
});
