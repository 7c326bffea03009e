// The PIN prompt in front of the tutor area and the settings screen. The check is made in Rust
// (`unlock_tutor`, argon2); the commands behind the lock refuse to run while it is locked, so
// this prompt is a convenience, not the protection.

import { unlockTutor } from '../admin';
import { t } from '../admin-strings';
import { h, whileBusy } from '../dom';
import { messageOf } from '../errors';

/** `path` quoted for the shell a tutor pastes the command into: in single quotes on Linux and
 * macOS (nothing inside is expanded, `$` and backquotes included; a `'` is closed, escaped and
 * reopened), in double quotes for a Windows path (`C:\…`), without a trailing backslash, which
 * would escape the closing quote there. */
export function quotePath(path: string): string {
  if (/^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')) {
    return `"${path.replace(/\\+$/, '')}"`;
  }
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

/** A PIN form; calls `onUnlocked` once the PIN is accepted. `dataDir` is the data folder, for
 * the way out of a forgotten PIN that a wrong PIN brings up (`ladder db clear-pin` on it:
 * docs/security.md; whoever can run it can read the database anyway). */
export function lockScreen(onUnlocked: () => void, dataDir?: string): HTMLElement {
  const input = h('input', {
    attrs: {
      id: 'tutor-pin',
      type: 'password',
      inputmode: 'numeric',
      autocomplete: 'off',
      'data-testid': 'unlock-pin',
    },
  });
  const submit = h('button', { class: 'button primary', attrs: { type: 'submit', 'data-testid': 'unlock-submit' } }, t('lock.submit'));
  const note = h('p', { class: 'admin-status', attrs: { role: 'alert', 'data-testid': 'unlock-error' } });
  // Hidden until a PIN is refused: a tutor who forgot it otherwise had no way out on screen.
  const forgotten = h(
    'p',
    { class: 'muted small', attrs: { id: 'tutor-pin-forgotten', hidden: true, 'data-testid': 'unlock-forgotten' } },
    t('lock.forgotten'),
    ' ',
    h('code', { class: 'mono' }, dataDir ? `ladder --data-dir ${quotePath(dataDir)} db clear-pin` : 'ladder db clear-pin'),
  );
  const form = h(
    'form',
    { class: 'panel admin-lock', attrs: { 'data-testid': 'tutor-lock' } },
    h('h1', {}, t('lock.title')),
    h('p', { class: 'lead' }, t('lock.lead')),
    h('label', { attrs: { for: 'tutor-pin' } }, t('lock.label')),
    h('div', { class: 'inline' }, input, submit),
    note,
    forgotten,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (submit.disabled) return;
    // `whileBusy`: "Unlock" pressed from the keyboard keeps the focus when the engine fails.
    void whileBusy(submit, () =>
      unlockTutor(input.value).then(
        (ok) => {
          if (ok) {
            onUnlocked();
          } else {
            note.textContent = t('lock.wrong');
            forgotten.hidden = false;
            input.setAttribute('aria-describedby', 'tutor-pin-forgotten');
            input.select();
          }
        },
        (e: unknown) => {
          note.textContent = messageOf(e);
        },
      ),
    );
  });
  queueMicrotask(() => input.focus());
  return form;
}
