// The settings screen: the learner model and "Train now", the data folder, backups and restore,
// the UI language, and the tutor PIN. Everything it shows comes from admin.ts; it decides
// nothing itself (the PIN check, the restore and training all happen in Rust).

import '../admin.css';
import {
  adminOverview,
  backupNow,
  cancelTraining,
  clearTutorPin,
  listBackups,
  lockTutor,
  modelOverview,
  openDataFolder,
  restoreBackup,
  rollbackModel,
  setLanguage,
  setTutorPin,
  startTraining,
  watchTraining,
  type AdminOverview,
  type BackupView,
  type ModelOverview,
  type RestoreView,
  type RunningJob,
  type TrainingEvent,
  type TrainingResult,
} from '../admin';
import { counted, formatCount, formatList, formatSize, formatTime, formatVersions, language, t, useLanguage, type StringKey } from '../admin-strings';
import { h, replace, whileBusy } from '../dom';
import { messageOf } from '../errors';
import { ApiError } from '../api';
import { keepFocus } from '../tutor/index';
import { isTrainingBusy } from '../tutor/learners';
import { askInPlace } from '../confirm';
import { lockScreen } from '../tutor/lock';
import { STAYS } from '../navigation';

/** What a redraw of the screen should say: a PIN change, a restore, and whether the tutor area
 * had a PIN before a restore (a restore brings back the PIN of its backup, or none). */
interface Notices {
  pin?: string;
  /** A restore's answer: said once the screen is drawn again, in the language of the restored
   * data (a backup from before a change of language brings its own). */
  restored?: RestoreView;
  hadPin?: boolean;
  /** The language was just changed: the focus goes back to its field. */
  language?: boolean;
  /** The PIN was just accepted: the focus (on the PIN form, now gone) goes to the heading. */
  unlocked?: boolean;
}

/** Shows the settings screen in `root` (behind the tutor PIN when one is set), and draws it
 * again after a change, until `signal` says the learner went to another screen
 * (`navigation.ts`): from then on nothing is drawn into `root`, which holds that screen. */
export async function showSettings(root: HTMLElement, signal: AbortSignal = STAYS, notices: Notices = {}): Promise<void> {
  if (signal.aborted) return;
  root.dataset.testid = 'settings-screen';
  replace(root, h('p', { class: 'muted' }, t('common.loading')));
  let overview: AdminOverview;
  try {
    overview = await adminOverview();
  } catch (e) {
    if (!signal.aborted) replace(root, errorBox(e));
    return;
  }
  if (signal.aborted) return;
  useLanguage(overview.language);
  const redraw = (n: Notices) => void showSettings(root, signal, n);
  if (!overview.unlocked) {
    replace(root, lockScreen(() => redraw({ unlocked: true }), overview.data_dir));
    return;
  }
  const modelPanel = h('section', { class: 'panel admin-panel', attrs: { 'data-testid': 'model-panel' } });
  const backupsPanel = h('section', { class: 'panel admin-panel', attrs: { 'data-testid': 'backups-panel' } });
  replace(
    root,
    h(
      'div',
      { class: 'admin' },
      h('div', { class: 'screen-head' }, h('div', {}, h('h1', { attrs: { tabindex: '-1' } }, t('settings.title')), h('p', { class: 'lead' }, t('settings.lead')))),
      modelPanel,
      dataPanel(overview),
      backupsPanel,
      languagePanel(overview, () => redraw({ language: true })),
      pinPanel(overview, (n) => redraw(n ?? {})),
    ),
  );
  await Promise.all([fillModel(modelPanel), fillBackups(backupsPanel, overview.has_pin, redraw)]);
  if (signal.aborted) return;
  // The screen was drawn again after a change: the focus goes to the line that says what
  // happened (or back to the language field), not to the top of the page.
  const focus = (testid: string) => root.querySelector<HTMLElement>(`[data-testid="${testid}"]`)?.focus();
  if (notices.pin) {
    root.querySelector('[data-testid="pin-status"]')?.replaceChildren(notices.pin);
    focus('pin-status');
  }
  if (notices.restored) {
    const r = notices.restored;
    const who = learnersPhrase(r.learners);
    let text = r.previous_kept_at
      ? t('backups.restored', { name: r.restored_from, who, kept: r.previous_kept_at })
      : t('backups.restoredNoPrevious', { name: r.restored_from, who });
    if (notices.hadPin !== undefined && notices.hadPin !== overview.has_pin) {
      text += ` ${t(overview.has_pin ? 'backups.pinSet' : 'backups.pinGone')}`;
    }
    root.querySelector('[data-testid="backup-status"]')?.replaceChildren(text);
    focus('backup-status');
  }
  if (notices.language) focus('language-select');
  if (notices.unlocked) root.querySelector<HTMLElement>('h1')?.focus();
}

/** "1 learner", "5 learners" in the current language. */
function learnersPhrase(n: number): string {
  return n === 1 ? t('count.learner') : t('count.learners', { n });
}

/** A wrong current PIN, in the UI's language (the only `bad_request` of a PIN change or removal
 * once the new PIN's length was checked here); anything else as the engine wrote it. */
function pinError(e: unknown): unknown {
  if (e instanceof ApiError && e.kind === 'bad_request' && (e.command === 'set_tutor_pin' || e.command === 'clear_tutor_pin')) {
    return new Error(t('pin.wrongCurrent'));
  }
  return e;
}

function errorBox(e: unknown): HTMLElement {
  const message = messageOf(e);
  return h('p', { class: 'error', attrs: { role: 'alert', 'data-testid': 'admin-error' } }, message);
}

function status(testid: string): HTMLElement {
  // Focusable from script: the focus is put on it when the panel around it is drawn again.
  return h('p', { class: 'admin-status', attrs: { role: 'status', 'aria-live': 'polite', tabindex: '-1', 'data-testid': testid } });
}

function fieldRow(label: string, value: string, testid: string): HTMLElement {
  return h('div', {}, h('dt', {}, label), h('dd', { attrs: { 'data-testid': testid } }, value));
}

// ----- the model and training --------------------------------------------------------------

/** The model in use, in words: for the transformer, whether it is the bundled default or a
 * model fine-tuned on this device (`active` is the device's active version, if any). */
function predictorName(p: string, active: boolean): string {
  if (p === 'transformer') return t(active ? 'predictor.transformer.device' : 'predictor.transformer.bundled');
  const key = `predictor.${p}` as StringKey;
  const text = t(key);
  return text === key ? p : text;
}

function deviceName(d: string): string {
  return d === 'cpu' ? t('device.cpu') : t('device.gpu', { name: d });
}

function heldBackAuc(metrics: unknown): string | null {
  const auc = (metrics as { held_back?: { auc?: unknown } } | null)?.held_back?.auc;
  // Three decimals, written as the UI's language writes numbers (0,731 in Spanish).
  return typeof auc === 'number' ? auc.toLocaleString(language(), { minimumFractionDigits: 3, maximumFractionDigits: 3 }) : null;
}

/** A finished job's figures from its report (the engine's `JobReport`), in the UI's language:
 * the held-back log loss and AUC of the current and the new model, or, with too little data, the
 * answers there were. `null` when the report has neither (a failure). */
function trainingFigures(r: TrainingResult): string | null {
  interface Figures {
    answers: number;
    /** null when the held-back answers were all right or all wrong (nothing to rank). */
    auc: number | null;
    log_loss: number;
  }
  /** With `up_to_date`: the newest model (in use, or rolled back from), which no answer came after. */
  interface Current {
    version: number;
    train_answers: number | null;
    created_ms: number;
    rolled_back?: boolean;
  }
  const report = r.report as {
    before?: Figures | null;
    after?: Figures | null;
    train_answers?: unknown;
    stopping_answers?: unknown;
    held_back_answers?: unknown;
    /** With `not_enough_data`: what a job needs of each kind. */
    needs?: { train_answers: number; stopping_answers: number; held_back_answers: number } | null;
    current?: Current | null;
  } | null;
  const n = (x: number) => x.toLocaleString(language(), { minimumFractionDigits: 4, maximumFractionDigits: 4 });
  const { before, after } = report ?? {};
  if (before && after) {
    const losses = { answers: after.answers, lossBefore: n(before.log_loss), lossAfter: n(after.log_loss) };
    if (typeof before.auc !== 'number' || typeof after.auc !== 'number') return t('training.figures.noAuc', losses);
    return t('training.figures', { ...losses, aucBefore: n(before.auc), aucAfter: n(after.auc) });
  }
  // Set only when the outcome is `up_to_date`.
  const current = report?.current;
  if (current) {
    const when = formatTime(current.created_ms);
    const trained =
      typeof current.train_answers === 'number'
        ? t('training.figures.upToDate', { version: current.version, answers: counted(current.train_answers, 'training.train.one', 'training.train.many'), when })
        : t('training.figures.upToDateNoCount', { version: current.version, when });
    return current.rolled_back ? `${trained} ${t('training.figures.rolledBack')}` : trained;
  }
  if (r.outcome === 'not_enough_data' && typeof report?.train_answers === 'number' && typeof report.held_back_answers === 'number') {
    // Held back: those that choose the epoch and those that compare the models, together.
    const stopping = typeof report.stopping_answers === 'number' ? report.stopping_answers : 0;
    const few = t('training.figures.few', {
      train: counted(report.train_answers, 'training.train.one', 'training.train.many'),
      held: counted(report.held_back_answers + stopping, 'training.held.one', 'training.held.many'),
    });
    // How far off training is, in the same words (a learner read "not enough" without a figure).
    const needs = report.needs;
    if (!needs) return few;
    const needed = t('training.figures.needs', {
      train: counted(needs.train_answers, 'training.train.one', 'training.train.many'),
      held: counted(needs.held_back_answers + needs.stopping_answers, 'training.held.one', 'training.held.many'),
    });
    return `${few} ${needed}`;
  }
  return null;
}

/** What going back to the previous model does, in words: the button, the question, and what is
 * said once it is done (`to` null: the default model that came with Ladder). */
function rollbackWords(from: number, to: number | null): { button: string; question: string; done: string } {
  return to === null
    ? { button: t('model.rollbackDefault'), question: t('model.rollbackConfirmDefault', { from }), done: t('model.rolledBackDefault', { from }) }
    : { button: t('model.rollback', { version: to }), question: t('model.rollbackConfirm', { from, to }), done: t('model.rolledBack', { from, to }) };
}

async function fillModel(panel: HTMLElement, said?: string): Promise<void> {
  let overview: ModelOverview;
  try {
    overview = await modelOverview();
  } catch (e) {
    replace(panel, h('h2', {}, t('model.title')), errorBox(e));
    return;
  }
  const m = overview.model;
  const fields = h(
    'dl',
    { class: 'admin-fields' },
    fieldRow(t('model.predictor'), predictorName(m.predictor, m.active !== null), 'model-predictor'),
    fieldRow(t('model.device'), deviceName(m.device), 'model-device'),
    // With none in use, whether versions were trained here (and gone back from) or never.
    fieldRow(t('model.version'), m.active ? `#${m.active.id} (${m.active.checkpoint})` : m.versions > 0 ? counted(m.versions, 'model.version.noneInUse.one', 'model.version.noneInUse.many') : t('model.version.none'), 'model-version'),
    fieldRow(
      t('model.trainedThrough'),
      // A fine-tuned version whose last answer is gone (its learner deleted), or that the
      // registry no longer has (removed as old while it still runs), was trained all the same.
      m.active?.trained_through_ms != null
        ? formatTime(m.active.trained_through_ms)
        : t(m.active ? 'model.trainedThrough.unknown' : m.versions > 0 ? 'model.trainedThrough.notInUse' : 'model.trainedThrough.never'),
      'model-trained-through',
    ),
    fieldRow(t('model.events'), formatCount(m.events), 'model-events'),
  );
  const auc = m.active ? heldBackAuc(m.active.metrics) : null;
  if (auc) fields.append(fieldRow(t('model.heldBack'), auc, 'model-auc'));
  // Learners fine-tuned on their own (`ladder train --learner`) run that model, not the one above.
  if (m.own.length > 0) fields.append(fieldRow(t('model.own'), formatList(m.own.map((o) => o.name)), 'model-own'));

  // Named, so that a screen reader says what the bar measures, not only a percentage.
  const bar = h('progress', { class: 'admin-progress', attrs: { max: '1', value: '0', 'aria-label': t('training.progress'), 'data-testid': 'training-progress' } });
  const line = status('training-status');
  const result = status('training-result');
  const trainButton = h('button', { class: 'button primary', attrs: { type: 'button', 'data-testid': 'train-now' } }, t('training.trainNow'));
  // Going back to the model before the one in use: offered only when there is one to leave.
  const back = m.rollback;
  const words = back ? rollbackWords(back.from, back.to) : null;
  const rollbackButton = words ? h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'model-rollback' } }, words.button) : null;
  const modelNote = status('model-status');
  const cancelButton = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'train-cancel' } }, t('training.cancel'));
  const progressBox = h('div', { class: 'admin-training', attrs: { hidden: true } }, bar, cancelButton);

  const showRunning = (r: RunningJob) => {
    progressBox.hidden = false;
    trainButton.disabled = true;
    // Refused while a job runs (it would compare its model with the one left): not offered.
    if (rollbackButton) rollbackButton.disabled = true;
    bar.value = r.fraction;
    cancelButton.disabled = r.cancelling;
    const phase =
      r.phase === 'training' && r.epochs > 0
        ? t('training.phase.training', { epoch: r.epoch + 1, epochs: r.epochs })
        : t(`training.phase.${r.phase}` as StringKey);
    line.textContent = r.cancelling
      ? t('training.cancelling')
      : t('training.running', { phase, percent: Math.round(r.fraction * 100) });
    if (r.trigger === 'session_end') line.textContent += ` ${t('training.trigger.session_end')}`;
  };
  const showResult = (r: TrainingResult) => {
    progressBox.hidden = true;
    trainButton.disabled = false;
    if (rollbackButton) rollbackButton.disabled = false;
    // Disabled while it had the focus ("Train now" pressed from the keyboard): give it back.
    if (trainButton.isConnected) keepFocus(trainButton);
    line.textContent = '';
    result.dataset.outcome = r.outcome;
    result.dataset.trigger = r.trigger;
    // The outcome in the UI's language; its figures on a line of their own, in the UI's language
    // too (the engine's English sentence only for a failure, which has none), and nothing more
    // for a cancel, whose sentence already says everything.
    // The engine's sentence is English: marked as such in another UI language, as errors are.
    const said = trainingFigures(r) ?? (r.message ? t('training.detail', { detail: r.message }) : null);
    const details = r.outcome === 'cancelled' || !said ? null : h('small', { class: 'training-details' }, said);
    // Models set aside before the job began (a learner deleted outside the app since).
    const versions = (r.report as { unlearned?: { versions?: unknown } } | null)?.unlearned?.versions;
    const unlearned = Array.isArray(versions) && versions.length > 0
      ? h('small', { class: 'training-details' }, t('training.unlearned', { versions: formatVersions(versions) }))
      : null;
    // A job the app ran by itself after a session says so: a learner opening Settings read its
    // outcome as if they had asked for it.
    const trigger = r.trigger === 'session_end'
      ? h('small', { class: 'training-details', attrs: { 'data-testid': 'training-trigger' } }, t('training.trigger.session_end'))
      : null;
    result.replaceChildren(
      t(`training.outcome.${r.outcome}` as StringKey),
      ...(unlearned ? [unlearned] : []),
      ...(details ? [details] : []),
      ...(trigger ? [trigger] : []),
    );
  };
  let heard = false;
  const onEvent = (e: TrainingEvent) => {
    if (!panel.isConnected) return;
    heard = true;
    if (e.event === 'progress') {
      showRunning(e);
    } else {
      showResult(e);
      // The active version may have changed: redraw the figures (and keep the result shown).
      void modelOverview().then((o) => {
        if (panel.isConnected && o.model.active?.id !== m.active?.id) void fillModel(panel);
      });
    }
  };
  trainButton.addEventListener('click', () => {
    trainButton.disabled = true;
    result.textContent = '';
    startTraining(onEvent).catch((e: unknown) => {
      trainButton.disabled = false;
      keepFocus(trainButton);
      result.replaceChildren(errorBox(e));
    });
  });
  cancelButton.addEventListener('click', () => {
    cancelButton.disabled = true;
    void cancelTraining();
  });
  const actions = h('div', { class: 'inline admin-actions' }, trainButton, ...(rollbackButton ? [rollbackButton] : []));
  if (back && words && rollbackButton) {
    rollbackButton.addEventListener('click', () => {
      askInPlace({
        row: actions,
        hide: rollbackButton,
        back: rollbackButton,
        label: words.button,
        question: words.question,
        questionId: 'rollback-question',
        yes: t('model.rollbackYes'),
        no: t('model.rollbackNo'),
        testids: { dialog: 'rollback-dialog', yes: 'rollback-confirm', no: 'rollback-cancel' },
        onYes: (close) => {
          rollbackModel(back.from, back.to)
            // Drawn again: the version in use now, and what going back from it would do.
            .then(() => fillModel(panel, words.done))
            .catch((e: unknown) => {
              if (e instanceof ApiError && e.reason === 'model_changed') {
                // What the screen offered is no longer what going back does: show what is.
                void fillModel(panel, t('model.rollbackChanged'));
                return;
              }
              close();
              modelNote.replaceChildren(errorBox(isTrainingBusy(e) ? new Error(t('model.rollbackTraining')) : e));
            });
        },
      });
    });
  }

  replace(
    panel,
    h('h2', {}, t('model.title')),
    fields,
    actions,
    modelNote,
    progressBox,
    line,
    result,
  );
  if (said) {
    modelNote.textContent = said;
    modelNote.focus();
  }
  if (overview.training.last) showResult(overview.training.last);
  if (overview.training.running) showRunning(overview.training.running);
  // Follow a job that starts later too (one begins in the background after each session). A job
  // that ended between `modelOverview` and this subscription sends no more events: the status
  // read after subscribing has it, so show that unless an event came first.
  void watchTraining(onEvent)
    .then((now) => {
      if (!panel.isConnected || heard) return;
      if (now.last) showResult(now.last);
      if (now.running) showRunning(now.running);
    })
    .catch(() => undefined);
}

// ----- the data folder ---------------------------------------------------------------------

function dataPanel(o: AdminOverview): HTMLElement {
  const note = status('data-status');
  const path = h('code', { class: 'admin-path', attrs: { 'data-testid': 'data-dir' } }, o.data_dir);
  const copy = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'copy-data-dir' } }, t('data.copy'));
  const open = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'open-data-dir' } }, t('data.open'));
  copy.addEventListener('click', () => {
    const done = () => (note.textContent = t('data.copied'));
    const failed = () => {
      note.textContent = t('data.copyFailed');
      const range = document.createRange();
      range.selectNodeContents(path);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
    };
    if (navigator.clipboard?.writeText) {
      navigator.clipboard.writeText(o.data_dir).then(done, failed);
    } else {
      failed();
    }
  });
  open.addEventListener('click', () => {
    openDataFolder().catch((e: unknown) => note.replaceChildren(errorBox(e)));
  });
  return h(
    'section',
    { class: 'panel admin-panel', attrs: { 'data-testid': 'data-panel' } },
    h('h2', {}, t('data.title')),
    h('p', { class: 'muted' }, t('data.lead')),
    path,
    h('div', { class: 'inline admin-actions' }, open, copy),
    note,
  );
}

// ----- backups -----------------------------------------------------------------------------

async function fillBackups(panel: HTMLElement, hadPin: boolean, afterRestore: (n: Notices) => void): Promise<void> {
  let backups: BackupView[];
  try {
    backups = await listBackups();
  } catch (e) {
    replace(panel, h('h2', {}, t('backups.title')), errorBox(e));
    return;
  }
  const note = status('backup-status');
  const take = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'backup-now' } }, t('backups.now'));
  take.addEventListener('click', () => {
    // A refusal (a full disk) gives the focus back to the button (`whileBusy`); a backup draws
    // the panel again and puts it on the line that names the backup.
    void whileBusy(take, () =>
      backupNow()
        .then(async (b) => {
          await fillBackups(panel, hadPin, afterRestore);
          const said = panel.querySelector<HTMLElement>('[data-testid="backup-status"]');
          said?.replaceChildren(t('backups.taken', { name: b.name }));
          said?.focus();
        })
        .catch((e: unknown) => {
          note.replaceChildren(errorBox(e));
        }),
    );
  });
  const list = backups.length
    ? h(
        'ul',
        { class: 'admin-list', attrs: { 'data-testid': 'backup-list' } },
        ...backups.map((b) => backupRow(b, note, hadPin, afterRestore)),
      )
    : h('p', { class: 'muted', attrs: { 'data-testid': 'backup-list-empty' } }, t('backups.none'));
  replace(
    panel,
    h('h2', {}, t('backups.title')),
    h('p', { class: 'muted' }, t('backups.lead')),
    list,
    h('div', { class: 'inline admin-actions' }, take),
    note,
  );
}

function backupRow(b: BackupView, note: HTMLElement, hadPin: boolean, afterRestore: (n: Notices) => void): HTMLElement {
  const when = formatTime(b.taken_ms);
  const restore = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'restore-backup' } }, t('backups.restore'));
  // A damaged backup is listed (it is a file in the folder) but says why, and offers no restore.
  const damaged = b.problem ? h('span', { class: 'error small', attrs: { 'data-testid': 'backup-damaged' } }, t('backups.damaged', { problem: b.problem })) : null;
  const row = h(
    'li',
    { class: 'admin-row', attrs: { 'data-backup': b.name } },
    h('span', {}, h('strong', {}, when), ' ', h('span', { class: 'muted' }, formatSize(b.size_bytes)), ...(damaged ? [' ', damaged] : [])),
    ...(damaged ? [] : [restore]),
  );
  restore.addEventListener('click', () => {
    askInPlace({
      row,
      hide: restore,
      back: restore,
      label: t('backups.restore'),
      question: t('backups.confirm', { when }),
      questionId: `restore-question-${b.name}`,
      yes: t('backups.confirmYes'),
      no: t('backups.confirmNo'),
      testids: { dialog: 'restore-dialog', yes: 'restore-confirm', no: 'restore-cancel' },
      onYes: (close) => {
        restoreBackup(b.name)
          .then((r) => {
            // The whole screen is drawn again: the restored data brings its own PIN, language
            // and model, not only its backups.
            afterRestore({ restored: r, hadPin });
          })
          .catch((e: unknown) => {
            close();
            restore.focus();
            note.replaceChildren(errorBox(isTrainingBusy(e) ? new Error(t('backups.restoreTraining')) : e));
          });
      },
    });
  });
  return row;
}

// ----- language ----------------------------------------------------------------------------

function languagePanel(o: AdminOverview, redraw: () => void): HTMLElement {
  const select = h('select', { attrs: { id: 'admin-language', 'data-testid': 'language-select' } });
  for (const tag of o.languages) {
    const key = `language.name.${tag}` as StringKey;
    const label = t(key);
    select.append(h('option', { attrs: { value: tag, selected: tag === o.language } }, label === key ? tag : label));
  }
  const note = status('language-status');
  select.addEventListener('change', () => {
    setLanguage(select.value)
      .then((tag) => {
        useLanguage(tag);
        redraw();
      })
      .catch((e: unknown) => {
        // Not changed: the list shows the language still in use again.
        select.value = o.language;
        note.replaceChildren(errorBox(e));
      });
  });
  return h(
    'section',
    { class: 'panel admin-panel', attrs: { 'data-testid': 'language-panel' } },
    h('h2', {}, t('language.title')),
    h('label', { attrs: { for: 'admin-language' } }, t('language.label')),
    ' ',
    select,
    note,
  );
}

// ----- the tutor PIN -----------------------------------------------------------------------

function pinInput(id: string, testid: string): HTMLInputElement {
  return h('input', {
    attrs: { id, type: 'password', inputmode: 'numeric', autocomplete: 'off', 'data-testid': testid },
  });
}

function pinPanel(o: AdminOverview, redraw: (n?: Notices) => void): HTMLElement {
  const note = status('pin-status');
  const current = pinInput('admin-pin-current', 'pin-current');
  const next = pinInput('admin-pin-new', 'pin-new');
  const save = h('button', { class: 'button primary', attrs: { type: 'submit', 'data-testid': 'pin-save' } }, o.has_pin ? t('pin.change') : t('pin.set'));
  const form = h(
    'form',
    { class: 'admin-form' },
    o.has_pin ? h('label', { attrs: { for: 'admin-pin-current' } }, t('pin.current')) : null,
    o.has_pin ? current : null,
    h('label', { attrs: { for: 'admin-pin-new' } }, t('pin.new')),
    next,
    h('div', { class: 'inline admin-actions' }, save),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    // The engine checks the PIN; a PIN that is too short is said before asking it, and its
    // refusals are said in the UI's language.
    if (Array.from(next.value.trim()).length < 4) {
      note.replaceChildren(errorBox(new Error(t('pin.tooShort'))));
      next.focus();
      return;
    }
    setTutorPin(next.value, o.has_pin ? current.value : null)
      .then(() => {
        redraw({ pin: t('pin.savedOpen') });
      })
      .catch((e: unknown) => note.replaceChildren(errorBox(pinError(e))));
  });
  const extra: HTMLElement[] = [];
  if (o.has_pin) {
    const clear = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'pin-clear' } }, t('pin.clear'));
    clear.addEventListener('click', () => {
      clearTutorPin(current.value)
        .then(() => redraw({ pin: t('pin.cleared') }))
        .catch((e: unknown) => note.replaceChildren(errorBox(pinError(e))));
    });
    const lock = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'pin-lock' } }, t('pin.lock'));
    lock.addEventListener('click', () => {
      void lockTutor().then(() => redraw());
    });
    extra.push(h('div', { class: 'inline admin-actions' }, clear, lock));
  }
  return h(
    'section',
    { class: 'panel admin-panel', attrs: { 'data-testid': 'pin-panel', 'data-has-pin': String(o.has_pin) } },
    h('h2', {}, t('pin.title')),
    h('p', { class: 'muted' }, o.has_pin ? t('pin.lead.set') : t('pin.lead.unset')),
    form,
    ...extra,
    note,
  );
}
