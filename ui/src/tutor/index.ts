// The tutor area: per-learner and class progress reports, with exports.
//
// The report is ladder-report's HTML fragment, the same content as the HTML export, so the
// screen and the files match. How it is shown under the strict CSP (no inline script,
// `style-src 'self'`): the fragment has no script, no `style` attribute and no `<style>`
// element (its charts are SVG coloured with presentation attributes); its stylesheet is
// `report.css` here, bundled with the app's own CSS and kept byte-for-byte equal to
// `ladder_report::REPORT_CSS` by a Rust test. The fragment is parsed into an inert
// <template> and then moved into the page in `showReportHtml`, the one place this screen
// inserts HTML; docs/security.md explains why that is safe.

import '../admin.css';
import './report.css';
import {
  adminOverview,
  courseRoster,
  exportReport,
  learnerRoster,
  tutorChoices,
  tutorReport,
  type ExportFormat,
  type CourseRoster,
  type ReportQuery,
  type RosterEntry,
  type TutorChoices,
} from '../admin';
import { t, useLanguage } from '../admin-strings';
import { h, replace } from '../dom';
import { messageOf } from '../errors';
import { coursesPanel } from './courses';
import { exportFailure, learnersPanel } from './learners';
import { lockScreen } from './lock';
import { STAYS } from '../navigation';

const FORMATS: ExportFormat[] = ['html', 'pdf', 'csv', 'json'];
/** The recent-activity windows a tutor picks from (days; the first is the report's default). */
const RECENT_DAYS = [7, 14, 30];

/** What a redraw of the tutor area says: `notice` goes to the learner list's status line (what
 * the last change to a learner did); `unlocked`: the PIN was just accepted, and the focus (on the
 * PIN form, now gone) goes to the heading; `courseNotice` goes to the course list's status line
 * (what the last removal or return of a course did). */
interface Notices {
  notice?: string;
  unlocked?: boolean;
  courseNotice?: string;
}

/** Shows the tutor area in `root` (behind the tutor PIN when one is set), and draws it again
 * after a change, until `signal` says the learner went to another screen (`navigation.ts`): from
 * then on nothing is drawn into `root`, which holds that screen. */
export async function showTutor(root: HTMLElement, signal: AbortSignal = STAYS, notices: Notices = {}): Promise<void> {
  const { notice = '', unlocked = false, courseNotice = '' } = notices;
  if (signal.aborted) return;
  root.dataset.testid = 'tutor-screen';
  replace(root, h('p', { class: 'muted' }, t('common.loading')));
  const redraw = (n: Notices) => void showTutor(root, signal, n);
  let choices: TutorChoices;
  let roster: RosterEntry[];
  let courses: CourseRoster;
  try {
    const overview = await adminOverview();
    if (signal.aborted) return;
    useLanguage(overview.language);
    if (!overview.unlocked) {
      replace(root, lockScreen(() => redraw({ unlocked: true }), overview.data_dir));
      return;
    }
    [choices, roster, courses] = await Promise.all([tutorChoices(), learnerRoster(), courseRoster()]);
  } catch (e) {
    if (!signal.aborted) replace(root, errorBox(e));
    return;
  }
  if (signal.aborted) return;
  const head = h(
    'div',
    { class: 'screen-head' },
    h('div', {}, h('h1', { attrs: { tabindex: '-1' } }, t('tutor.title')), h('p', { class: 'lead' }, t('tutor.lead'))),
  );
  // Courses are managed with or without learners (a teacher prepares the device first).
  const coursesArea = coursesPanel(courses, (n) => redraw({ courseNotice: n }), courseNotice);
  // After a change in the course list the focus goes to the line that says what happened.
  const focusCourseNotice = () => {
    if (courseNotice) root.querySelector<HTMLElement>('[data-testid="courses-status"]')?.focus();
  };
  if (choices.learners.length === 0 && choices.archived.length === 0) {
    // After the last learner was deleted, the list's message stays in view.
    const said = notice ? h('p', { class: 'admin-status', attrs: { role: 'status', tabindex: '-1', 'data-testid': 'learners-status' } }, notice) : null;
    replace(root, h('div', { class: 'admin' }, head, h('p', { class: 'panel muted', attrs: { 'data-testid': 'tutor-empty' } }, t('tutor.noLearners')), said, coursesArea));
    said?.focus();
    focusCourseNotice();
    if (unlocked) root.querySelector<HTMLElement>('h1')?.focus();
    return;
  }

  const scope = h(
    'select',
    { attrs: { id: 'tutor-scope', 'data-testid': 'report-scope' } },
    h('option', { attrs: { value: 'learner' } }, t('tutor.scope.learner')),
    h('option', { attrs: { value: 'class' } }, t('tutor.scope.class')),
  );
  const learner = h(
    'select',
    { attrs: { id: 'tutor-learner', 'data-testid': 'report-learner' } },
    ...choices.learners.map((l) => h('option', { attrs: { value: String(l.id) } }, l.name)),
    choices.archived.length > 0
      ? h(
          'optgroup',
          { attrs: { label: t('tutor.archived'), 'data-testid': 'archived-learners' } },
          ...choices.archived.map((l) => h('option', { attrs: { value: String(l.id) } }, l.name)),
        )
      : null,
  );
  const course = h(
    'select',
    { attrs: { id: 'tutor-course', 'data-testid': 'report-course' } },
    h('option', { attrs: { value: '' } }, t('tutor.course.all')),
    ...choices.courses.map((c) => h('option', { attrs: { value: c.id } }, c.title)),
  );
  // How far back the report's "recent activity" line looks (a weekly, fortnightly or monthly
  // meeting).
  const recent = h(
    'select',
    { attrs: { id: 'tutor-recent', 'data-testid': 'report-recent' } },
    ...RECENT_DAYS.map((n) => h('option', { attrs: { value: String(n) } }, t('tutor.recent.days', { n }))),
  );
  const learnerField = h('div', { class: 'admin-field' }, h('label', { attrs: { for: 'tutor-learner' } }, t('tutor.learner')), learner);
  const show = h('button', { class: 'button primary', attrs: { type: 'submit', 'data-testid': 'report-show' } }, t('tutor.show'));
  const exports = FORMATS.map((f) =>
    h('button', { class: 'button', attrs: { type: 'button', 'data-format': f, 'data-testid': `export-${f}`, disabled: true } }, `${t('tutor.export')} ${f.toUpperCase()}`),
  );
  const note = h('p', { class: 'admin-status', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'export-status' } });
  const view = h('div', { class: 'tutor-report', attrs: { 'data-testid': 'report-view' } });
  // For screen readers: that the report is being built and then shown. The report itself is not
  // a live region, which would have it read out whole the moment it appears.
  const said = h('p', { class: 'sr-only', attrs: { role: 'status', 'data-testid': 'report-said' } });

  const query = (): ReportQuery => ({
    scope: scope.value === 'class' ? 'class' : 'learner',
    learner: scope.value === 'class' ? null : Number(learner.value),
    course: course.value || null,
    recent_days: Number(recent.value),
  });
  let shown: ReportQuery | null = null;

  const form = h(
    'form',
    { class: 'panel admin-panel tutor-controls', attrs: { 'data-testid': 'report-form' } },
    h('div', { class: 'admin-field' }, h('label', { attrs: { for: 'tutor-scope' } }, t('tutor.scope')), scope),
    learnerField,
    h('div', { class: 'admin-field' }, h('label', { attrs: { for: 'tutor-course' } }, t('tutor.course')), course),
    h('div', { class: 'admin-field' }, h('label', { attrs: { for: 'tutor-recent' } }, t('tutor.recent')), recent),
    h('div', { class: 'admin-field admin-field-end' }, show),
  );
  scope.addEventListener('change', () => {
    learnerField.hidden = scope.value === 'class';
  });
  // Once the choice differs from the report on screen, the exports (which write the report on
  // screen) wait for "Show report", so that a class report is never saved under one learner's
  // choice.
  for (const field of [scope, learner, course, recent]) {
    field.addEventListener('change', () => {
      if (!shown) return;
      const q = query();
      const same = q.scope === shown.scope && q.learner === shown.learner && q.course === shown.course && q.recent_days === shown.recent_days;
      for (const b of exports) b.disabled = !same;
      note.textContent = same ? '' : t('tutor.showToExport');
    });
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = query();
    show.disabled = true;
    // The report on screen is going: until the new one is shown (or if it fails) there is none
    // to export, so changing the choice back to the old one does not offer the old report's
    // exports under an error.
    shown = null;
    for (const b of exports) b.disabled = true;
    note.textContent = '';
    replace(view, h('p', { class: 'muted' }, t('tutor.loading')));
    said.textContent = t('tutor.loading');
    tutorReport(q)
      .then((r) => {
        showReportHtml(view, r.html);
        view.dataset.scope = q.scope;
        view.dataset.learners = r.learners.join(',');
        // The exports write this very report: its time and the history it counted go with them.
        shown = { ...q, as_of: { generated_ms: r.generated_ms, through: r.through, learners: r.learners } };
        for (const b of exports) b.disabled = false;
        said.textContent = t('tutor.shown');
      })
      .catch((e: unknown) => {
        said.textContent = '';
        replace(view, errorBox(e));
      })
      .finally(() => {
        show.disabled = false;
        keepFocus(show);
      });
  });
  for (const b of exports) {
    b.addEventListener('click', () => {
      if (!shown) return;
      b.disabled = true;
      exportReport(shown, b.dataset.format as ExportFormat)
        .then((r) => {
          note.textContent = r.files.length ? t('tutor.exported', { files: r.files.join(', ') }) : t('tutor.exportCancelled');
          note.dataset.files = String(r.files.length);
        })
        .catch((e: unknown) => note.replaceChildren(errorBox(exportFailure(e) ?? e)))
        .finally(() => {
          b.disabled = false;
          keepFocus(b);
        });
    });
  }

  replace(
    root,
    h(
      'div',
      { class: 'admin tutor' },
      head,
      form,
      h('div', { class: 'inline admin-actions tutor-exports', attrs: { 'data-testid': 'report-exports' } }, ...exports),
      note,
      said,
      view,
      learnersPanel(roster, (n) => redraw({ notice: n }), notice),
      coursesArea,
    ),
  );
  focusCourseNotice();
  // Drawn again after a change in the learner list: the focus goes to the line that says what
  // happened (the button that was pressed is gone), and a screen reader reads it.
  if (notice) root.querySelector<HTMLElement>('[data-testid="learners-status"]')?.focus();
  if (unlocked) root.querySelector<HTMLElement>('h1')?.focus();
}

/** Gives the focus back to `button` after it was disabled while it had it (the browser then
 * drops the focus to the page, and a keyboard user would start again from the top). */
export function keepFocus(button: HTMLElement): void {
  const active = document.activeElement;
  if (active === button || active === null || active === document.body) button.focus();
}

/** Puts a report fragment from ladder-report into `view`. Audited: the HTML is generated in
 * Rust by ladder-report with every learner and pack text escaped, and carries no script, event
 * handler, `style` attribute or remote URL; parsing it in an inert <template> runs nothing. As a
 * second guard, anything active that should never be there is dropped before it is inserted. */
export function showReportHtml(view: HTMLElement, html: string): void {
  const template = document.createElement('template');
  template.innerHTML = html;
  const fragment = template.content;
  for (const el of Array.from(fragment.querySelectorAll('script, style, iframe, object, embed, link, meta, base, form'))) {
    el.remove();
  }
  for (const el of Array.from(fragment.querySelectorAll('*'))) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith('on') || name === 'style' || ((name === 'href' || name === 'src' || name === 'xlink:href') && !value.startsWith('#'))) {
        el.removeAttribute(attr.name);
      }
    }
  }
  // The report's wide tables scroll sideways in a box (a class grid of many skills); the box
  // takes the focus so that the arrow keys can scroll it (WebKit does not make it focusable).
  // Each is named by the headings it sits under ("Fractions: Skills"): regions of one name
  // (a report of two courses has two skill tables) cannot be told apart in a list of regions.
  for (const box of Array.from(fragment.querySelectorAll<HTMLElement>('.lr-scroll'))) {
    box.tabIndex = 0;
    box.setAttribute('role', 'region');
    const title = headingsAbove(box).join(': ');
    box.setAttribute('aria-label', title ? t('tutor.wideTableOf', { title }) : t('tutor.wideTable'));
  }
  view.replaceChildren(fragment);
}

/** The texts of the headings `el` sits under, outermost first: the nearest heading before it,
 * then the nearest before that of a higher level, and so on. */
function headingsAbove(el: Element): string[] {
  const out: string[] = [];
  let level = 7;
  for (let n: Element | null = el; n; n = n.parentElement) {
    for (let p = n.previousElementSibling; p; p = p.previousElementSibling) {
      const m = /^H([1-6])$/.exec(p.tagName);
      if (m && Number(m[1]) < level) {
        level = Number(m[1]);
        out.unshift((p.textContent ?? '').replace(/\s+/g, ' ').trim());
      }
    }
  }
  return out.filter((t) => t !== '');
}

function errorBox(e: unknown): HTMLElement {
  const message = messageOf(e);
  return h('p', { class: 'error', attrs: { role: 'alert', 'data-testid': 'admin-error' } }, message);
}
