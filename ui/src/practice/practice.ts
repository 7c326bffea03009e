// The practice screen: one item at a time, as the engine chooses it. The screen shows what the
// engine returns (the item, why it was chosen, the hint decision, the grade, the feedback, the
// mastery change) and sends what the learner does. It decides nothing itself.

import {
  ApiError,
  endSession,
  nextStep,
  requestHint,
  skip,
  startSession,
  submitAnswer,
  viewSolution,
  type AnswerResult,
  type CourseInfo,
  type HintView,
  type LearnerInfo,
  type SessionSummary,
  type SkillProgress,
  type Step,
} from '../api';
import { packHtml } from '../content';
import { h, replace } from '../dom';
import { formatCount } from '../admin-strings';
import { t } from '../learn-strings';
import { messageOf } from '../errors';
import { widgetFor, type AnswerWidget } from './inputs';
import { masteryBar } from '../views/mastery';
import { STAYS } from '../navigation';
import { packLanguage, rememberPackLanguage } from '../packLanguage';

export interface PracticeOptions {
  learner: LearnerInfo;
  course: CourseInfo;
  /** Practise one lesson, or the course (`null`). */
  lesson: string | null;
  /** The session a learner left earlier without ending it (the app keeps it while it runs): it
   * is carried on when it is the same learner, course and lesson, and ended otherwise. */
  open?: OpenSession | null;
  /** Aborted once the shell shows another screen (`navigation.ts`): nothing more is drawn. */
  signal?: AbortSignal;
  /** Told of the session this screen runs once it has started or been carried on, also when the
   * learner left the screen before that: the app, not this screen, then decides whether it is
   * kept open (to be carried on) or ended. */
  onOpen?(open: OpenSession): void;
  /** Told that a session is over for the app: ended here, or found gone when carried on. */
  onEnded?(session: number): void;
  /** Told when "End session" is pressed on a running session, with a promise that settles once
   * the engine has answered the end: the session is no longer one to carry on, and a new
   * practice waits for the end before it starts (or the engine would carry it on). */
  onEnding?(session: number, done: Promise<void>): void;
  onDone(): void;
}

/** A session not ended yet, and the header's counts so far. */
export interface OpenSession {
  learner: number;
  course: string;
  lesson: string | null;
  session: number;
  tally: { answered: number; right: number };
}

/** The session is over for the engine although this screen still shows it: ended elsewhere (a
 * `serve` client or another window carried the learner's practice on and ended it as left open),
 * or gone (a backup restored). */
const endedElsewhere = (e: unknown) => e instanceof ApiError && (e.reason === 'session_ended' || e.reason === 'session_not_found');

/** Starts a session and runs it in `container` until the learner ends it. */
export async function mountPractice(container: HTMLElement, options: PracticeOptions): Promise<void> {
  rememberPackLanguage(options.course);
  const { learner, course } = options;
  const signal = options.signal ?? STAYS;
  const pack = course.id;
  const progress = h('p', { class: 'progress-text', attrs: { 'data-testid': 'session-progress' } });
  const stage = h('div', { class: 'stage' });
  const error = h('p', { class: 'error', attrs: { role: 'alert', hidden: true, 'data-testid': 'practice-error' } });
  const endButton = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'end-session' } }, t('practice.end'));
  const screen = h(
    'section',
    { class: 'practice', attrs: { 'data-testid': 'practice', 'aria-labelledby': 'practice-title' } },
    h(
      'header',
      { class: 'practice-head' },
      h('div', {}, h('h1', { attrs: { id: 'practice-title', lang: packLanguage(course.id) } }, course.title), progress),
      endButton,
    ),
    error,
    stage,
  );
  replace(container, screen);
  const showError = (e: unknown) => {
    error.hidden = false;
    error.textContent = messageOf(e);
    if (endedElsewhere(e)) {
      // Nothing more can be done in it, "End session" included: the button goes back.
      if (session !== null) options.onEnded?.(session);
      failed = true;
      endLabel(false);
      endButton.textContent = t('practice.back');
    }
  };

  // "End session" is never lost: pressed while the engine is still answering (the start, an
  // answer, a hint, a skip), it is kept and done once that answer is back. Meanwhile the button
  // says so and is marked unavailable with aria-disabled, not disabled, which would take the
  // keyboard focus away; nothing else is sent.
  let session: number | null = null;
  let busy = false;
  let endAsked = false;
  let failed = false;
  /** Settles the promise given to `onEnding`, once the engine answered the end. */
  let endDone = () => undefined as void;
  const endLabel = (ending: boolean) => {
    endButton.textContent = t(ending ? 'practice.ending' : 'practice.end');
    if (ending) endButton.setAttribute('aria-disabled', 'true');
    else endButton.removeAttribute('aria-disabled');
  };
  const finish = async () => {
    if (session === null || busy) return; // again once the session has started / the answer is back
    const ending = session;
    busy = true;
    error.hidden = true;
    try {
      const summary = await endSession(ending);
      options.onEnded?.(ending);
      // The learner went to another screen while the engine ended the session: it stays.
      if (signal.aborted) return;
      renderSummary(container, summary, course, options.onDone);
    } catch (e) {
      endAsked = false;
      endLabel(false);
      if (endedElsewhere(e)) {
        // Already over for the engine: nothing to sum up, and nothing to end again.
        options.onEnded?.(ending);
        if (!signal.aborted) options.onDone();
        return;
      }
      showError(e);
    } finally {
      busy = false;
      endDone();
    }
  };
  endButton.addEventListener('click', () => {
    if (failed) return options.onDone();
    if (endAsked) return;
    endAsked = true;
    endLabel(true);
    if (session !== null) options.onEnding?.(session, new Promise<void>((resolve) => (endDone = resolve)));
    void finish();
  });

  // Leaving the screen (the navigation, another course) does not end the session: coming back
  // to the same practice carries it on, with the item that was on screen if it was not answered.
  const left = options.open ?? null;
  let open =
    left && left.learner === learner.id && left.course === course.id && left.lesson === options.lesson ? left : null;
  if (left && !open) {
    // Ended before the new one starts: the engine would otherwise close it as "left open".
    await endSession(left.session).catch(() => undefined);
    options.onEnded?.(left.session);
  }
  let first: Step | null = null;
  if (open) {
    try {
      first = await nextStep(open.session);
    } catch {
      // Refused (its lesson gone in an upgrade) or gone meanwhile (a restored backup): ended, so
      // that the engine does not keep it open, and a new session below.
      await endSession(open.session).catch(() => undefined);
      options.onEnded?.(open.session);
      open = null;
    }
  }
  // A session from `startSession` may be one the app carried on after a restart: its header
  // counts then start from the engine's, not from 0.
  let countsFromEngine = false;
  if (!open) {
    try {
      const started = await startSession(learner.id, course.id, options.lesson);
      open = { learner: learner.id, course: course.id, lesson: options.lesson, session: started.session, tally: { answered: 0, right: 0 } };
      countsFromEngine = true;
    } catch (e) {
      failed = true;
      showError(e);
      endLabel(false);
      endButton.textContent = t('practice.back');
      return;
    }
  }
  options.onOpen?.(open);
  // Left before the session was known: the app keeps it or ends it (`onOpen`); nothing to draw.
  if (signal.aborted) return;
  const id = open.session;
  session = id;
  const tally = open.tally;
  if (endAsked) {
    // "End session" was pressed while the session was starting.
    await finish();
    return;
  }
  const guard = async (work: () => Promise<void>) => {
    if (busy || endAsked) return;
    busy = true;
    error.hidden = true;
    try {
      await work();
    } catch (e) {
      showError(e);
    } finally {
      busy = false;
    }
    if (endAsked) await finish();
  };

  // The course was updated while an item was on screen (another program installed a new
  // version that removed the item or changed what the learner sees of it): the engine takes no
  // answer, hint or skip for it and says so (a `conflict` with the reason `item_removed` or
  // `item_changed`, docs/api.md). The learner is not left with a refusal and no way on: the next
  // step is fetched (the item as it is now, or the next one) and a line says why the screen
  // changed.
  const updatedMeanwhile = (e: unknown) =>
    e instanceof ApiError && (e.reason === 'item_removed' || e.reason === 'item_changed');
  const onItem = (work: () => Promise<void>) =>
    guard(async () => {
      try {
        await work();
      } catch (e) {
        if (!updatedMeanwhile(e)) throw e;
        show(await nextStep(id));
        error.hidden = false;
        error.textContent = t('practice.courseUpdated');
      }
    });

  const show = (step: Step) => {
    progress.textContent = t('practice.progress', { number: step.number, right: tally.right, answered: tally.answered });
    // The header counts as the session summary does: each item once, at its first answer, and
    // right only when that first answer was (a retry after a wrong answer or the solution is not).
    let counted = false;
    renderStep(stage, step, pack, {
      submit: (answer, latency, widget, view) =>
        onItem(async () => {
          const result = await submitAnswer(id, answer, latency);
          if (!counted) {
            counted = true;
            tally.answered += 1;
            if (result.correct) tally.right += 1;
          }
          progress.textContent = t('practice.progress', { number: step.number, right: tally.right, answered: tally.answered });
          view.showResult(result, widget);
        }),
      hint: (view) =>
        onItem(async () => {
          view.addHint(await requestHint(id));
        }),
      solution: (view) =>
        onItem(async () => {
          view.addHint(await viewSolution(id));
        }),
      skip: (view) =>
        onItem(async () => {
          await skip(id);
          // Skipped for good (the engine refuses a second skip or an answer): if the next item
          // cannot be fetched, "Next item" is the way on.
          view.skipped();
          show(await nextStep(id));
        }),
      next: () =>
        guard(async () => {
          show(await nextStep(id));
        }),
    });
  };
  const resumed = first;
  await guard(async () => {
    const step = resumed ?? (await nextStep(id));
    if (countsFromEngine) {
      tally.answered = step.session_answered;
      tally.right = step.session_correct_first;
    }
    show(step);
  });
}

interface StepView {
  showResult(result: AnswerResult, widget: AnswerWidget): void;
  addHint(hint: HintView): void;
  /** The item was skipped: only "Next item" is left. */
  skipped(): void;
}

interface StepActions {
  submit(answer: NonNullable<ReturnType<AnswerWidget['value']>>, latencyMs: number, widget: AnswerWidget, view: StepView): Promise<void>;
  hint(view: StepView): Promise<void>;
  solution(view: StepView): Promise<void>;
  skip(view: StepView): Promise<void>;
  next(): Promise<void>;
}

function renderStep(stage: HTMLElement, step: Step, pack: string, actions: StepActions): void {
  const item = step.item;
  const shownAt = performance.now();
  const prompt = packHtml('div', item.prompt_html, pack, 'rich prompt', item.kind === 'cloze');
  prompt.setAttribute('data-testid', 'item-prompt');
  const widget = widgetFor(item, pack, prompt);
  const hints = h('ol', { class: 'hints', attrs: { 'data-testid': 'hints' } });
  const feedback = h('div', { class: 'feedback', attrs: { 'data-testid': 'feedback', hidden: true } });
  const notice = h('p', { class: 'muted small', attrs: { 'data-testid': 'answer-notice', 'aria-live': 'polite' } });
  let levelsSeen = 0;
  // The worked solution was open: a right answer then earns no credit, and the feedback says so.
  let solutionSeen = false;
  let attempts = 0;
  let solved = step.resolved;

  const check = h('button', { class: 'button primary', attrs: { type: 'submit', 'data-testid': 'check-answer' } }, t('practice.check'));
  const hintButton = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'request-hint' } });
  const solutionButton = h('button', { class: 'button subtle', attrs: { type: 'button', 'data-testid': 'view-solution' } }, t('practice.solution'));
  const skipButton = h('button', { class: 'button subtle', attrs: { type: 'button', 'data-testid': 'skip-item' } }, t('practice.skip'));
  const nextButton = h('button', { class: 'button primary', attrs: { type: 'button', 'data-testid': 'next-item', hidden: true } }, t('practice.next'));
  const offer = h('p', { class: 'hint-offer', attrs: { 'data-testid': 'hint-offer', hidden: true } }, t('practice.offer'));

  const updateHintButton = () => {
    const left = item.hint_levels - levelsSeen;
    hintButton.hidden = left <= 0 || solved;
    // A shortcut to the ladder's last rung, when that rung is a worked solution.
    solutionButton.hidden = !item.has_solution || left <= 1 || solved;
    // The last rung, when it is the worked solution, is called so ("Next hint (3 of 3)" showed
    // the solution).
    hintButton.textContent =
      item.has_solution && left === 1
        ? t('practice.solution')
        : levelsSeen === 0
          ? t('practice.hint')
          : t('practice.nextHint', { level: levelsSeen + 1, of: item.hint_levels });
  };
  // The item is done (answered right, or skipped): nothing left to try or to ask for, so the
  // notice ("Try again…", "Enter an answer first") and a hint offer go, and "Next item" is left.
  const done = (w: AnswerWidget, focusNext: boolean) => {
    solved = true;
    notice.textContent = '';
    offer.hidden = true;
    w.setDisabled(true);
    check.hidden = true;
    skipButton.hidden = true;
    nextButton.hidden = false;
    nextButton.className = 'button primary';
    nextButton.textContent = t('practice.next');
    updateHintButton();
    if (focusNext) nextButton.focus();
  };
  const view: StepView = {
    addHint(hint) {
      // A keyboard learner who just used the last rung's button would be left on a hidden
      // button (the focus falls to the page's body): the answer gets the focus instead, without
      // scrolling the rung just shown out of view.
      const active = document.activeElement;
      const fromButton = active === hintButton || active === solutionButton;
      levelsSeen = Math.max(levelsSeen, hint.level);
      solutionSeen ||= hint.is_solution;
      offer.hidden = true;
      const li = h(
        'li',
        { class: hint.is_solution ? 'hint solution' : 'hint', attrs: { 'data-testid': hint.is_solution ? 'worked-solution' : 'hint-rung', 'data-level': String(hint.level) } },
        h('p', { class: 'hint-label' }, hint.is_solution ? t('practice.workedSolution') : t('practice.hintOf', { level: hint.level, of: hint.of })),
        packHtml('div', hint.html, pack),
      );
      hints.appendChild(li);
      updateHintButton();
      li.scrollIntoView?.({ block: 'nearest' });
      if (fromButton && (active as HTMLElement).hidden) widget.focus({ preventScroll: true });
    },
    skipped() {
      done(widget, document.activeElement === skipButton);
    },
    showResult(result, w) {
      feedback.hidden = false;
      feedback.className = result.correct ? 'feedback right' : 'feedback wrong';
      feedback.dataset.correct = String(result.correct);
      attempts += 1;
      feedback.dataset.attempt = String(attempts);
      replace(
        feedback,
        h('p', { class: 'verdict', attrs: { 'data-testid': 'verdict' } }, result.correct ? t('practice.right') : t('practice.wrong')),
        result.feedback_html ? packHtml('div', result.feedback_html, pack, 'rich feedback-text') : null,
        result.correct && solutionSeen
          ? h('p', { class: 'small', attrs: { 'data-testid': 'no-credit' } }, t('practice.noCredit'))
          : null,
        result.blanks.length > 0
          ? h('p', { class: 'small', attrs: { 'data-testid': 'blank-results' } }, result.blanks.map((ok, i) => t('practice.blank', { n: i + 1, verdict: t(ok ? 'practice.blank.right' : 'practice.blank.wrong') })).join(' · '))
          : null,
        result.mastery.length > 0
          ? h(
              'ul',
              { class: 'mastery-changes', attrs: { 'data-testid': 'mastery-changes' } },
              ...result.mastery.map((m) =>
                h(
                  'li',
                  { attrs: { 'data-skill': m.id } },
                  h('span', { class: 'skill-name', attrs: { lang: packLanguage(pack) } }, m.name),
                  masteryBar(m.name, m.after, m.uncertainty, m.before),
                  h('span', { class: 'small muted' }, `${pct(m.before)} → ${pct(m.after)}${m.mastered ? t('practice.masteredMark') : ''}`),
                ),
              ),
            )
          : null,
        // Skills of other questions that this answer took over or under the mastery line (the
        // learner's ability is shared): a mastered skill fell silently before.
        result.also.length > 0
          ? h(
              'div',
              { class: 'also-changed', attrs: { 'data-testid': 'also-changed' } },
              h('p', { class: 'small' }, t('practice.also')),
              h(
                'ul',
                { class: 'mastery-changes' },
                ...result.also.map((m) =>
                  h(
                    'li',
                    { class: 'small', attrs: { 'data-skill': m.id } },
                    h('span', { attrs: { lang: packLanguage(pack) } }, m.name),
                    ` ${pct(m.before)} → ${pct(m.after)} · ${t(m.mastered ? 'practice.also.gained' : 'practice.also.lost')}`,
                  ),
                ),
              ),
            )
          : null,
      );
      w.markBlanks?.(result.blanks);
      // The offer sits above the feedback: shown after the scroll, it pushed the feedback's end
      // (the mastery change) below the window.
      if (!result.hint_shown && result.hint === 'offer') {
        // Once a rung is on screen, what is ready is the next one.
        offer.textContent = t(levelsSeen > 0 ? 'practice.offerNext' : 'practice.offer');
        offer.hidden = false;
      }
      if (result.correct) {
        done(w, true);
      } else {
        notice.textContent = t('practice.tryAgain');
        nextButton.hidden = false;
        nextButton.className = 'button';
        nextButton.textContent = t('practice.moveOn');
      }
      feedback.scrollIntoView?.({ block: 'nearest' });
      if (result.hint_shown) view.addHint(result.hint_shown);
    },
  };

  const form = h(
    'form',
    { class: 'item-card', attrs: { 'data-testid': 'item-card', 'data-item-id': item.id, 'data-kind': item.kind, novalidate: true } },
    h(
      'div',
      { class: 'item-meta' },
      h('span', { class: 'chip' }, kindLabel(item.kind, item.select_all)),
      h('details', { class: 'why', attrs: { 'data-testid': 'why-this' } }, h('summary', {}, t('practice.why')), h('p', { attrs: { 'data-testid': 'reason' } }, step.reason)),
    ),
    item.kind === 'cloze' ? null : prompt,
    widget.element,
    notice,
    h('div', { class: 'actions' }, check, nextButton, hintButton, solutionButton, skipButton),
    // What a screen reader reads out after an answer or a hint (the verdict, the pack's
    // feedback, a hint offered, each rung shown) is in one live region that is in the page from
    // the start: a region that appears together with its text, as the feedback box (hidden until
    // the first answer) and the hint list (not displayed while empty) did, is not read out. It
    // takes no box of its own (`display: contents`), so the card's layout is unchanged.
    h('div', { class: 'practice-live', attrs: { 'aria-live': 'polite', 'data-testid': 'practice-live' } }, offer, feedback, hints),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (solved) return;
    const answer = widget.value();
    if (answer === null) {
      notice.textContent = t(widget.incomplete?.() ? 'practice.fillEveryBlank' : 'practice.enterFirst');
      widget.focus();
      return;
    }
    void actions.submit(answer, performance.now() - shownAt, widget, view);
  });
  hintButton.addEventListener('click', () => void actions.hint(view));
  solutionButton.addEventListener('click', () => void actions.solution(view));
  skipButton.addEventListener('click', () => void actions.skip(view));
  nextButton.addEventListener('click', () => void actions.next());

  replace(stage, form);
  for (const hint of step.hints_shown) view.addHint(hint);
  if (step.hint === 'offer' && step.hints_shown.length === 0) offer.hidden = false;
  if (step.hint === 'show' && step.hints_shown.length === 0 && item.hint_levels > 0) void actions.hint(view);
  if (solved) {
    widget.setDisabled(true);
    check.hidden = true;
    nextButton.hidden = false;
  }
  updateHintButton();
  widget.focus();
}

function kindLabel(kind: string, selectAll: boolean): string {
  switch (kind) {
    case 'choice':
      return selectAll ? t('kind.choice.all') : t('kind.choice.one');
    case 'numeric':
      return t('kind.numeric');
    case 'cloze':
      return t('kind.cloze');
    case 'order':
      return t('kind.order');
    default:
      return t('kind.text');
  }
}

export function pct(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/** A skill practised in the session: its figure then and now, its first answers, and whether
 * it is mastered now (for the first time), or what it still takes when the model is confident
 * and the latest answers are not. */
function progressLine(k: SkillProgress, pack: string): HTMLElement {
  const parts = [
    `${pct(k.before)} → ${pct(k.after)}`,
    t(k.answers === 1 ? 'summary.skill.answer' : 'summary.skill.answers', { right: k.right, answers: k.answers }),
  ];
  if (k.mastered) parts.push(t(k.mastered_before ? 'summary.skill.mastered' : 'summary.skill.newlyMastered'));
  else if (k.unconfirmed) parts.push(t('map.skill.unconfirmed', { ...k.unconfirmed }));
  return h(
    'li',
    { attrs: { 'data-skill': k.id, 'data-mastered': String(k.mastered) } },
    h('span', { class: 'skill-name', attrs: { lang: packLanguage(pack) } }, k.name),
    masteryBar(k.name, k.after, k.uncertainty, k.before),
    h('span', { class: 'small muted', attrs: { 'data-testid': 'skill-progress' } }, parts.join(' · ')),
  );
}

function renderSummary(container: HTMLElement, s: SessionSummary, course: CourseInfo, onDone: () => void): void {
  // The button gets the focus: described by the summary, a screen reader says the counts with it
  // (else it said only "Back to the course map").
  const back = h(
    'button',
    { class: 'button primary', attrs: { type: 'button', 'data-testid': 'summary-done', 'aria-describedby': 'summary-title summary-lead summary-stats' } },
    t('summary.done'),
  );
  back.addEventListener('click', onDone);
  const minutes = Math.max(1, Math.round(s.duration_s / 60));
  const stat = (label: string, value: number | string, key: string) =>
    h('div', { class: 'stat', attrs: { 'data-stat': key } }, h('span', { class: 'stat-value' }, typeof value === 'number' ? formatCount(value) : value), h('span', { class: 'stat-label' }, label));
  replace(
    container,
    h(
      'section',
      { class: 'panel summary', attrs: { 'data-testid': 'session-summary', 'aria-labelledby': 'summary-title' } },
      h('h1', { attrs: { id: 'summary-title' } }, t('summary.title')),
      h('p', { class: 'lead', attrs: { id: 'summary-lead' } }, t('summary.lead', { course: course.title })),
      h(
        'div',
        { class: 'stats', attrs: { id: 'summary-stats' } },
        stat(t('summary.items'), s.items, 'items'),
        stat(t('summary.answered'), s.answered, 'answered'),
        stat(t('summary.correctFirst'), s.correct_first, 'correct_first'),
        stat(t('summary.hints'), s.hints, 'hints'),
        stat(t('summary.skipped'), s.skipped, 'skipped'),
        stat(minutes === 1 ? t('summary.minute') : t('summary.minutes'), s.duration_s < 60 ? '<1' : minutes, 'minutes'),
      ),
      s.skills.length > 0
        ? h(
            'section',
            { class: 'summary-skills', attrs: { 'data-testid': 'summary-skills', 'aria-labelledby': 'summary-skills-title' } },
            h('h2', { attrs: { id: 'summary-skills-title' } }, t('summary.skills')),
            h('ul', { class: 'mastery-changes' }, ...s.skills.map((k) => progressLine(k, course.id))),
            // A skill answered wrong can still rise: answers on other skills move it too.
            h('p', { class: 'small muted', attrs: { 'data-testid': 'summary-skills-note' } }, t('summary.skills.note')),
          )
        : null,
      h('div', { class: 'actions' }, back),
    ),
  );
  back.focus();
}
