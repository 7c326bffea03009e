// The tutor's learner list: rename a learner, archive one who has left (out of the picker,
// answers kept for reports), bring an archived learner back, or delete an archived learner for
// good. Every rule is checked in Rust (admin.rs and the engine): names stay unambiguous among
// the learners in the picker, only an archived learner can be deleted, and only under the name
// the tutor confirmed. This file draws the list and asks before deleting.

import { ApiError } from '../api';
import {
  archiveLearner,
  deleteLearner,
  exportLearnerData,
  renameLearner,
  unarchiveLearner,
  type RosterEntry,
} from '../admin';
import { counted, formatTime, formatVersions, t } from '../admin-strings';
import { h, whileBusy } from '../dom';
import { messageOf } from '../errors';
import { askInPlace } from '../confirm';

/** The panel; `redraw(notice)` draws the tutor area again after a change, with `notice` shown
 * in the panel's status line. */
export function learnersPanel(roster: RosterEntry[], redraw: (notice: string) => void, notice = ''): HTMLElement {
  // Focusable from script: after a change the area is drawn again and the focus is put here, so
  // that a keyboard user keeps their place and a screen reader reads what happened.
  const status = h('p', { class: 'admin-status', attrs: { role: 'status', 'aria-live': 'polite', tabindex: '-1', 'data-testid': 'learners-status' } }, notice);
  const active = roster.filter((l) => l.archived_ms === null);
  const archived = roster.filter((l) => l.archived_ms !== null);
  const ctx: RowContext = { status, redraw };
  return h(
    'section',
    { class: 'panel admin-panel tutor-learners', attrs: { 'data-testid': 'learners-panel' } },
    h('h2', {}, t('learners.title')),
    h('p', { class: 'muted' }, t('learners.lead')),
    h('h3', {}, t('learners.active')),
    active.length
      ? h('ul', { class: 'admin-list', attrs: { 'data-testid': 'learners-active' } }, ...active.map((l) => learnerRow(l, ctx)))
      : h('p', { class: 'muted' }, t('learners.noneActive')),
    h('h3', {}, t('learners.archived')),
    archived.length
      ? h('ul', { class: 'admin-list', attrs: { 'data-testid': 'learners-archived' } }, ...archived.map((l) => learnerRow(l, ctx)))
      : h('p', { class: 'muted', attrs: { 'data-testid': 'learners-archived-none' } }, t('learners.noneArchived')),
    status,
  );
}

interface RowContext {
  status: HTMLElement;
  redraw: (notice: string) => void;
}

function learnerRow(l: RosterEntry, ctx: RowContext): HTMLElement {
  const isArchived = l.archived_ms !== null;
  const answers = counted(l.answers, 'learners.answers.one', 'learners.answers.many');
  const facts = isArchived
    ? t('learners.factsArchived', { answers, when: formatTime(l.archived_ms ?? 0) })
    : l.last_active_ms === null
      ? t('learners.factsNew', { answers })
      : t('learners.facts', { answers, when: formatTime(l.last_active_ms) });
  // Every row has the same buttons: each is described by the learner's name, so that a screen
  // reader says whose "Rename" it is.
  const nameId = `learner-${l.id}-name`;
  const label = h('span', { class: 'tutor-learner-label' }, h('strong', { attrs: { id: nameId, 'data-testid': 'learner-name' } }, l.name), ' ', h('span', { class: 'muted' }, facts));
  const button = (key: Parameters<typeof t>[0], testid: string, extra = '') =>
    h('button', { class: `button${extra}`, attrs: { type: 'button', 'aria-describedby': nameId, 'data-testid': testid } }, t(key));
  const actions = h('span', { class: 'inline' });
  const row = h('li', { class: 'admin-row', attrs: { 'data-learner': String(l.id) } }, label, actions);

  // A refusal is said in the row it concerns (inside the rename field's form for a rename), not
  // on the panel's status line below the whole list, out of sight in a class of thirty; one at a
  // time, with the line of the last change emptied.
  const clearErrors = () =>
    row.closest('[data-testid="learners-panel"]')?.querySelectorAll('[data-testid="learners-error"]').forEach((old) => old.remove());
  const fail = (e: unknown, restore: () => void, where: HTMLElement = row) => {
    restore();
    clearErrors();
    ctx.status.replaceChildren();
    where.append(h('p', { class: 'error tutor-row-error', attrs: { id: `learner-${l.id}-error`, role: 'alert', 'data-testid': 'learners-error' } }, learnerError(e, l.name)));
  };

  // Everything stored about the learner, as JSON: for the learner or their family, or to keep
  // before a deletion (a deletion also deletes this file while it is unchanged).
  const exportData = button('learners.export', 'learner-export');
  // The buttons that wait (disabled meanwhile, which moves the browser's focus to the page) give
  // the focus back when they are done and still there (`whileBusy`): after a save dialog, or a
  // refusal; after a change the area is drawn again and the focus goes to the status line.
  exportData.addEventListener('click', () => {
    void whileBusy(exportData, () =>
      exportLearnerData(l.id)
        .then((r) => {
          clearErrors();
          ctx.status.replaceChildren(r.files.length ? t('learners.exported', { name: l.name, file: r.files.join(', ') }) : t('learners.exportCancelled'));
        })
        .catch((e: unknown) => fail(e, () => undefined)),
    );
  });

  if (!isArchived) {
    const rename = button('learners.rename', 'learner-rename');
    const archive = button('learners.archive', 'learner-archive');
    actions.append(rename, archive, exportData);
    rename.addEventListener('click', () => {
      const inputId = `learner-name-${l.id}`;
      const input = h('input', { attrs: { id: inputId, type: 'text', value: l.name, autocomplete: 'off', 'data-testid': 'learner-new-name' } });
      const save = h('button', { class: 'button primary', attrs: { type: 'submit', 'data-testid': 'learner-rename-save' } }, t('learners.save'));
      const cancel = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'learner-rename-cancel' } }, t('learners.cancel'));
      const form = h(
        'form',
        { class: 'admin-confirm tutor-rename', attrs: { 'data-testid': 'learner-rename-form' } },
        h('label', { attrs: { for: inputId } }, t('learners.newName', { name: l.name })),
        h('div', { class: 'inline' }, input, save, cancel),
      );
      actions.hidden = true;
      row.append(form);
      input.focus();
      input.select();
      const close = () => {
        form.remove();
        actions.hidden = false;
        rename.focus();
      };
      cancel.addEventListener('click', close);
      form.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') {
          ev.preventDefault();
          close();
        }
      });
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        if (save.disabled) return;
        void whileBusy(save, () =>
          renameLearner(l.id, input.value)
            .then((r) => ctx.redraw(t('learners.renamed', { old: l.name, name: r.name })))
            .catch((e: unknown) => {
              fail(e, () => undefined, form);
              // The field says it was refused, and why (the message in the form).
              input.setAttribute('aria-invalid', 'true');
              input.setAttribute('aria-describedby', `learner-${l.id}-error`);
            }),
        );
      });
    });
    archive.addEventListener('click', () => {
      void whileBusy(archive, () =>
        archiveLearner(l.id)
          .then(() => ctx.redraw(t('learners.archivedDone', { name: l.name })))
          .catch((e: unknown) => fail(e, () => undefined)),
      );
    });
    return row;
  }

  const back = button('learners.unarchive', 'learner-unarchive');
  const del = button('learners.delete', 'learner-delete');
  actions.append(back, exportData, del);
  back.addEventListener('click', () => {
    void whileBusy(back, () =>
      unarchiveLearner(l.id)
        .then(() => ctx.redraw(t('learners.unarchived', { name: l.name })))
        .catch((e: unknown) => fail(e, () => undefined)),
    );
  });
  del.addEventListener('click', () => {
    askInPlace({
      row,
      hide: actions,
      back: del,
      label: t('learners.delete'),
      question: t('learners.deleteConfirm', { name: l.name, answers: l.answers }),
      questionId: `learner-${l.id}-delete-question`,
      yes: t('learners.deleteYes'),
      no: t('learners.deleteNo'),
      testids: { dialog: 'learner-delete-dialog', yes: 'learner-delete-confirm', no: 'learner-delete-cancel' },
      onYes: (close) => {
        deleteLearner(l.id, l.name)
          .then((r) => {
            let text = t('learners.deleted', {
              name: r.name,
              events: counted(r.events_deleted, 'learners.records.one', 'learners.records.many'),
              backups: counted(r.backups_cleaned, 'learners.backups.one', 'learners.backups.many'),
            });
            if (r.unlearned?.versions.length) {
              text += ` ${t('learners.deletedModels', { versions: formatVersions(r.unlearned.versions) })}`;
            }
            if (r.warnings.length) text += ` ${t('learners.deleteWarnings', { warnings: r.warnings.join('; ') })}`;
            ctx.redraw(text);
          })
          .catch((e: unknown) => fail(e, close));
      },
    });
  });
  return row;
}

/** Why a change was refused, in the UI's language for the refusals a tutor meets (the engine
 * decides); anything else with the screens' sentence for its kind (errors.ts). */
export function learnerError(e: unknown, name: string): string {
  if (e instanceof ApiError) {
    if (e.command === 'rename_learner' && e.kind === 'conflict') return t('learners.nameTaken');
    if (e.command === 'rename_learner' && e.kind === 'bad_request') return t('learners.nameBad');
    if (e.command === 'unarchive_learner' && e.kind === 'conflict') return t('learners.unarchiveTaken', { name });
    if (e.command === 'delete_learner' && isTrainingBusy(e)) return t('learners.deleteTraining');
    const unsaved = exportFailure(e);
    if (unsaved) return unsaved;
    if (e.command === 'delete_learner' && e.reason === 'learner_renamed') return t('learners.deleteRenamed');
  }
  return messageOf(e);
}

/** An export (a report, a learner's data) whose file could not be written (a folder that cannot
 * be written to, a full disk: `store`; a path the system cannot use: `bad_request`), in the UI's
 * language with the system's reason after it; `null` for any other error. */
export function exportFailure(e: unknown): string | null {
  const exporting = e instanceof ApiError && (e.command === 'export_report' || e.command === 'export_learner_data');
  return exporting && (e.kind === 'store' || e.kind === 'bad_request') ? t('tutor.exportFailed', { detail: e.message }) : null;
}

/** A refusal because a training job reads the history (src-tauri/src/admin.rs: a deletion or a
 * restore waits for it; a job starts on its own after a practice session): its reason
 * `training_busy`. */
export function isTrainingBusy(e: unknown): boolean {
  return e instanceof ApiError && e.reason === 'training_busy';
}
