// A yes/no question asked in place, inside a list row, instead of a modal: the tutor area's
// "Delete…" and the settings' "Restore…" ask this way.

import { h } from './dom';

export interface InPlaceQuestion {
  /** The row the question goes into. */
  row: HTMLElement;
  /** What the question replaces while it is open (the row's button or buttons). */
  hide: HTMLElement;
  /** Where the focus goes back when the answer is "no". */
  back: HTMLElement;
  label: string;
  question: string;
  /** The question paragraph's id, unique on the page (the dialog is described by it). */
  questionId: string;
  yes: string;
  no: string;
  testids: { dialog: string; yes: string; no: string };
  /** Runs on "yes" with both buttons disabled; `close` removes the question, shows `hide` again
   * and puts the focus back on `back` (for a failure: on success the screen is usually drawn
   * again). */
  onYes(close: () => void): void;
}

/** Opens the question: `hide` is hidden, "no" has the focus, Escape answers "no" (not while "yes"
 * runs), as closing a dialog does. */
export function askInPlace(q: InPlaceQuestion): void {
  const yes = h('button', { class: 'button danger', attrs: { type: 'button', 'data-testid': q.testids.yes } }, q.yes);
  const no = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': q.testids.no } }, q.no);
  const ask = h(
    'div',
    { class: 'admin-confirm', attrs: { role: 'alertdialog', 'aria-label': q.label, 'aria-describedby': q.questionId, 'data-testid': q.testids.dialog } },
    h('p', { attrs: { id: q.questionId } }, q.question),
    h('div', { class: 'inline' }, yes, no),
  );
  const close = () => {
    // Closed after a failed "yes" (its button was disabled, so the browser had moved the focus
    // to the page's body) or with the focus still inside: it goes back to `back`, not the page.
    const active = document.activeElement;
    const lost = active === null || active === document.body || ask.contains(active);
    ask.remove();
    q.hide.hidden = false;
    if (lost) q.back.focus();
  };
  q.hide.hidden = true;
  q.row.append(ask);
  no.focus();
  no.addEventListener('click', () => {
    close();
    q.back.focus();
  });
  ask.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !no.disabled) {
      ev.preventDefault();
      no.click();
    }
  });
  yes.addEventListener('click', () => {
    yes.disabled = true;
    no.disabled = true;
    q.onYes(close);
  });
}
