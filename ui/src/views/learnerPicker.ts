// The learner picker: who is using the app. Lists the learners and adds new ones. Validation
// (empty, too long, duplicate) is the engine's job; this screen shows what it says.

import { ApiError, addLearner, listLearners, type LearnerInfo } from '../api';
import { h, replace, whileBusy } from '../dom';
import { messageOf } from '../errors';
import { t } from '../learn-strings';

export interface LearnerPickerOptions {
  onPick(learner: LearnerInfo): void;
}

/** Renders the picker into `container`; resolves once the list has loaded (or failed). */
export async function mountLearnerPicker(
  container: HTMLElement,
  options: LearnerPickerOptions,
): Promise<void> {
  const list = h('ul', { class: 'learner-list', attrs: { 'data-testid': 'learner-list' } });
  const status = h('p', { class: 'muted', attrs: { 'data-testid': 'learner-status' } }, t('common.loading'));
  // Says which learner was just added (a screen reader hears it; the list is not a live region).
  const added = h('p', { class: 'muted small', attrs: { role: 'status', 'data-testid': 'learner-added' } });
  const error = h('p', {
    class: 'error',
    attrs: { id: 'new-learner-error', role: 'alert', 'data-testid': 'learner-error', hidden: true },
  });
  const input = h('input', {
    attrs: {
      id: 'new-learner-name',
      name: 'name',
      type: 'text',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: t('picker.placeholder'),
      'data-testid': 'new-learner-name',
    },
  });
  const submit = h(
    'button',
    { class: 'button primary', attrs: { type: 'submit', 'data-testid': 'create-learner' } },
    t('picker.add'),
  );
  const form = h(
    'form',
    { class: 'new-learner', attrs: { 'data-testid': 'new-learner-form', novalidate: true } },
    h('label', { attrs: { for: 'new-learner-name' } }, t('picker.newLabel')),
    h('div', { class: 'inline' }, input, submit),
  );

  const showError = (message: string | null, aboutName = false) => {
    error.hidden = message === null;
    error.textContent = message ?? '';
    // A refused name marks the field, described by the refusal: a screen reader back in it
    // hears what is wrong (a list that failed to load is not the field's fault).
    if (!aboutName) {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    } else {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', error.id);
    }
  };

  const render = (learners: LearnerInfo[], highlight?: number) => {
    status.hidden = learners.length > 0;
    status.textContent = t('picker.empty');
    replace(
      list,
      ...learners.map((learner) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              class: learner.id === highlight ? 'learner just-added' : 'learner',
              attrs: { type: 'button', 'data-learner-id': String(learner.id) },
              on: { click: () => options.onPick(learner) },
            },
            h('span', { class: 'avatar', attrs: { 'aria-hidden': 'true' } }, initial(learner.name)),
            h('span', { class: 'name' }, learner.name),
          ),
        ),
      ),
    );
  };

  const reload = async (highlight?: number) => {
    try {
      render(await listLearners(), highlight);
      showError(null);
    } catch (e) {
      status.hidden = true;
      showError(messageOf(e));
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    added.textContent = '';
    void whileBusy(submit, () =>
      addLearner(input.value)
        .then(async (learner) => {
          input.value = '';
          await reload(learner.id);
          added.textContent = t('picker.added', { name: learner.name });
        })
        .catch((e: unknown) => {
          showError(nameError(e, input.value), true);
          input.focus();
        }),
    );
  });

  replace(
    container,
    h(
      'section',
      { class: 'panel picker', attrs: { 'aria-labelledby': 'picker-title', 'data-testid': 'learner-picker' } },
      h('h1', { attrs: { id: 'picker-title' } }, t('picker.title')),
      h('p', { class: 'lead' }, t('picker.lead')),
      list,
      status,
      form,
      added,
      error,
    ),
  );
  await reload();
}

/** The first letter of a name, for the avatar. */
export function initial(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? first.toLocaleUpperCase() : '?';
}

/** Why a new name was refused, in the UI's language for the refusals a learner meets (the
 * engine decides; its English message stays for anything else). */
function nameError(e: unknown, typed: string): string {
  if (e instanceof ApiError && e.command === 'add_learner') {
    if (e.kind === 'conflict') return t('picker.nameTaken');
    if (e.kind === 'bad_request') {
      const visible = typed.replace(/[\s\u200B-\u200D\u2060\uFEFF\u180E]/g, '');
      return t(visible === '' ? 'picker.nameEmpty' : 'picker.nameBad');
    }
  }
  return messageOf(e);
}
