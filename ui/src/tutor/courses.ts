// The tutor's course list: remove a course this device no longer needs, or bring back one that
// was removed. The rules are the engine's (crates/ladder-engine: remove_course, course_roster,
// restore_course): a removal keeps every learner's answers and the preload folder leaves the
// course alone until it is brought back (from the preload folder) or imported again. This file
// draws the list and asks before removing.

import { ApiError } from '../api';
import { removeCourse, restoreCourse, type CourseEntry, type CourseRoster, type RemovedCourse } from '../admin';
import { counted, formatTime, t } from '../admin-strings';
import { askInPlace } from '../confirm';
import { h } from '../dom';
import { messageOf } from '../errors';

/** The panel; `redraw(notice)` draws the tutor area again after a change, with `notice` shown in
 * the panel's status line. */
export function coursesPanel(roster: CourseRoster, redraw: (notice: string) => void, notice = ''): HTMLElement {
  const status = h('p', { class: 'admin-status', attrs: { role: 'status', 'aria-live': 'polite', tabindex: '-1', 'data-testid': 'courses-status' } }, notice);
  const ctx: RowContext = { status, redraw };
  return h(
    'section',
    { class: 'panel admin-panel tutor-courses', attrs: { 'data-testid': 'courses-panel' } },
    h('h2', {}, t('courses.title')),
    h('p', { class: 'muted' }, t('courses.lead')),
    roster.preload_dir === null
      ? null
      : h('p', { class: 'muted small', attrs: { 'data-testid': 'courses-preload-dir' } }, t('courses.preloadDir'), h('span', { class: 'mono' }, roster.preload_dir)),
    h('h3', {}, t('courses.installed')),
    roster.installed.length
      ? h('ul', { class: 'admin-list', attrs: { 'data-testid': 'courses-installed' } }, ...roster.installed.map((c) => installedRow(c, ctx)))
      : h('p', { class: 'muted', attrs: { 'data-testid': 'courses-installed-none' } }, t('courses.noneInstalled')),
    h('h3', {}, t('courses.removed')),
    roster.removed.length
      ? h('ul', { class: 'admin-list', attrs: { 'data-testid': 'courses-removed' } }, ...roster.removed.map((c) => removedRow(c, ctx)))
      : h('p', { class: 'muted', attrs: { 'data-testid': 'courses-removed-none' } }, t('courses.noneRemoved')),
    status,
  );
}

interface RowContext {
  status: HTMLElement;
  redraw: (notice: string) => void;
}

const learnersWithAnswers = (n: number) => counted(n, 'courses.learners.one', 'courses.learners.many');
const people = (n: number) => counted(n, 'courses.people.one', 'courses.people.many');

/** A row's name, which describes each of its buttons (a screen reader says whose "Remove…" it
 * is). */
function label(id: string, title: string, facts: string): HTMLElement {
  return h('span', { class: 'tutor-learner-label' }, h('strong', { attrs: { id, 'data-testid': 'course-title' } }, title), ' ', h('span', { class: 'muted' }, facts));
}

function fail(ctx: RowContext, e: unknown, restore: () => void): void {
  restore();
  ctx.status.replaceChildren(h('span', { class: 'error', attrs: { role: 'alert', 'data-testid': 'courses-error' } }, courseError(e)));
}

function installedRow(c: CourseEntry, ctx: RowContext): HTMLElement {
  const nameId = `course-${c.id}-title`;
  const facts = t('courses.facts', {
    version: c.version,
    items: counted(c.items, 'courses.items.one', 'courses.items.many'),
    learners: learnersWithAnswers(c.learners_with_history),
  });
  const remove = h('button', { class: 'button', attrs: { type: 'button', 'aria-describedby': nameId, 'data-testid': 'course-remove' } }, t('courses.remove'));
  const actions = h('span', { class: 'inline' }, remove);
  const row = h('li', { class: 'admin-row', attrs: { 'data-course': c.id } }, label(nameId, c.title, facts), actions);
  remove.addEventListener('click', () => {
    askInPlace({
      row,
      hide: actions,
      back: remove,
      label: t('courses.remove'),
      question: `${t('courses.removeConfirm', { title: c.title })} ${
        c.learners_with_history ? t('courses.answersKept', { people: people(c.learners_with_history) }) : t('courses.noAnswers')
      }`,
      questionId: `course-${c.id}-remove-question`,
      yes: t('courses.removeYes'),
      no: t('courses.removeNo'),
      testids: { dialog: 'course-remove-dialog', yes: 'course-remove-confirm', no: 'course-remove-cancel' },
      onYes: (close) => {
        removeCourse(c.id)
          .then((r) =>
            ctx.redraw(
              r.learners_with_history
                ? t('courses.removedDone', { title: r.title, people: people(r.learners_with_history) })
                : t('courses.removedNoAnswers', { title: r.title }),
            ),
          )
          .catch((e: unknown) => (isGone(e) ? ctx.redraw(t('courses.gone')) : fail(ctx, e, close)));
      },
    });
  });
  return row;
}

function removedRow(c: RemovedCourse, ctx: RowContext): HTMLElement {
  const nameId = `course-${c.id}-title`;
  const when = formatTime(c.removed_ms);
  const facts = c.learners_with_history
    ? t('courses.factsRemoved', { version: c.version, when, people: people(c.learners_with_history) })
    : t('courses.factsRemovedNoAnswers', { version: c.version, when });
  const row = h('li', { class: 'admin-row', attrs: { 'data-course': c.id } }, label(nameId, c.title, facts));
  if (c.preload_version === null) {
    row.append(h('span', { class: 'muted small', attrs: { 'data-testid': 'course-import-to-restore' } }, t('courses.importToRestore')));
    return row;
  }
  // The version it would come back at, in sight and in the button's description (a title alone
  // reaches neither the keyboard nor a screen reader once aria-describedby is set).
  const offerId = `course-${c.id}-offer`;
  const offer = h('span', { class: 'muted small', attrs: { id: offerId, 'data-testid': 'course-offer' } }, t('courses.offered', { version: c.preload_version }));
  const back = h(
    'button',
    {
      class: 'button',
      attrs: { type: 'button', title: t('courses.restoreFrom', { version: c.preload_version }), 'aria-describedby': `${nameId} ${offerId}`, 'data-testid': 'course-restore' },
    },
    t('courses.restore'),
  );
  row.append(h('span', { class: 'inline' }, offer, back));
  back.addEventListener('click', () => {
    back.disabled = true;
    restoreCourse(c.id)
      .then((d) => ctx.redraw(t('courses.restored', { title: c.title, version: d.to_version })))
      .catch((e: unknown) =>
        fail(ctx, e, () => {
          // Disabling the focused button sent the focus to the page (WebKit): give it back, so a
          // keyboard user can try again or move on from here.
          back.disabled = false;
          back.focus();
        }),
      );
  });
  return row;
}

/** The course is not installed any more (removed by the CLI or another window meanwhile). */
function isGone(e: unknown): boolean {
  return e instanceof ApiError && e.command === 'remove_course' && e.kind === 'not_found';
}

/** Why a change was refused: a course the preload folder no longer has in the list's words,
 * anything else with the screens' sentence for its kind (errors.ts). */
export function courseError(e: unknown): string {
  if (e instanceof ApiError && e.command === 'restore_course' && e.kind === 'not_found') return t('courses.importToRestore');
  return messageOf(e);
}
