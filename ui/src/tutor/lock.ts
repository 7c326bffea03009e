// The PIN prompt in front of the tutor area and the settings screen. The check is made in Rust
// (`unlock_tutor`, argon2); the commands behind the lock refuse to run while it is locked, so
// this prompt is a convenience, not the protection.

import { unlockTutor } from '../admin';
import { t } from '../admin-strings';
import { h } from '../dom';
import { messageOf } from '../errors';

/** A PIN form; calls `onUnlocked` once the PIN is accepted. */
export function lockScreen(onUnlocked: () => void): HTMLElement {
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
  const form = h(
    'form',
    { class: 'panel admin-lock', attrs: { 'data-testid': 'tutor-lock' } },
    h('h1', {}, t('lock.title')),
    h('p', { class: 'lead' }, t('lock.lead')),
    h('label', { attrs: { for: 'tutor-pin' } }, t('lock.label')),
    h('div', { class: 'inline' }, input, submit),
    note,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    unlockTutor(input.value)
      .then((ok) => {
        submit.disabled = false;
        if (ok) {
          onUnlocked();
        } else {
          note.textContent = t('lock.wrong');
          input.select();
        }
      })
      .catch((e: unknown) => {
        submit.disabled = false;
        note.textContent = messageOf(e);
      });
  });
  queueMicrotask(() => input.focus());
  return form;
}
