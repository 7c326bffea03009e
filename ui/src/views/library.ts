// The course library: the installed courses, and importing a `.ladderpack` or a pack folder. An
// import first asks the engine what it would change (`preview_pack`: the install's dry run, what
// its counts do not say, such as pictures, skills, lessons, likely renames, or an installed course
// a new one looks like, and the validator's warnings, from one reading of the pack) and shows
// that report; only "Install" applies it. A pack that does not validate shows the validator's
// problems, and a pack the store refuses says why, both in the UI's language (src-tauri
// commands.rs: preview_pack, install_pack, app_info).

import {
  ApiError,
  appInfo,
  choosePackFile,
  choosePackFolder,
  installPack,
  listCourses,
  previewPack,
  type CourseInfo,
  type LearnerInfo,
  type PackPreview,
  type PreloadProblem,
} from '../api';
import { h, replace, whileBusy } from '../dom';
import { formatCount } from '../admin-strings';
import { t } from '../learn-strings';
import { messageOf } from '../errors';
import { packLanguage, rememberPackLanguage } from '../packLanguage';

export interface LibraryOptions {
  learner: LearnerInfo;
  onOpen(course: CourseInfo): void;
}

export async function mountLibrary(container: HTMLElement, options: LibraryOptions): Promise<void> {
  const body = h('div', { attrs: { 'data-testid': 'library-body' } }, h('p', { class: 'muted' }, t('common.loading')));
  const importArea = h('div', { class: 'import-area', attrs: { 'data-testid': 'import-area' } });
  const preloadArea = h('div', { class: 'import-area' });
  const dataArea = h('div', { class: 'import-area' });
  const importButton = h(
    'button',
    { class: 'button', attrs: { type: 'button', 'data-testid': 'import-pack' } },
    t('library.import'),
  );
  // A teacher's pack folder (pack.toml and its files), as written, without building a
  // .ladderpack first.
  const importFolderButton = h(
    'button',
    { class: 'button subtle', attrs: { type: 'button', 'data-testid': 'import-pack-folder' } },
    t('library.importFolder'),
  );
  replace(
    container,
    h(
      'section',
      { class: 'library', attrs: { 'aria-labelledby': 'library-title', 'data-testid': 'course-library' } },
      h(
        'header',
        { class: 'screen-head' },
        h(
          'div',
          {},
          h('h1', { attrs: { id: 'library-title' } }, t('library.title')),
          h('p', { class: 'lead' }, t('library.learningAs'), h('strong', { attrs: { 'data-testid': 'current-learner' } }, options.learner.name)),
        ),
        h('div', { class: 'inline import-buttons' }, importButton, importFolderButton),
      ),
      importArea,
      dataArea,
      preloadArea,
      body,
    ),
  );
  // What the preload folder could not install (nothing when that cannot be read).
  void appInfo().then(
    (info) => {
      showStoreWarnings(dataArea, info.store_warnings);
      showPreloadProblems(preloadArea, info.preload_problems);
    },
    () => undefined,
  );

  const reload = async () => {
    try {
      renderCourses(body, await listCourses(), options);
    } catch (e) {
      replace(body, h('p', { class: 'error', attrs: { role: 'alert', 'data-testid': 'library-error' } }, messageOf(e)));
    }
  };
  importButton.addEventListener('click', () => {
    void runImport(importArea, importButton, reload, choosePackFile);
  });
  importFolderButton.addEventListener('click', () => {
    void runImport(importArea, importFolderButton, reload, choosePackFolder);
  });
  await reload();
}

function renderCourses(body: HTMLElement, courses: CourseInfo[], options: LibraryOptions): void {
  courses.forEach(rememberPackLanguage);
  if (courses.length === 0) {
    replace(body, h('p', { class: 'muted', attrs: { 'data-testid': 'no-courses' } }, t('library.empty')));
    return;
  }
  replace(
    body,
    h(
      'ul',
      { class: 'pack-grid' },
      ...courses.map((c) =>
        h(
          'li',
          {},
          h(
            'article',
            { class: 'pack-card', attrs: { 'data-pack-id': c.id } },
            h('h2', { class: 'pack-title', attrs: { lang: packLanguage(c.id) } }, c.title),
            h('p', { class: 'pack-description', attrs: { lang: packLanguage(c.id) } }, c.description),
            h(
              'p',
              { class: 'pack-counts small muted' },
              h('span', { attrs: { 'data-count': 'skills' } }, formatCount(c.skills)),
              t(c.skills === 1 ? 'library.counts.skills.one' : 'library.counts.skills.other'),
              h('span', { attrs: { 'data-count': 'lessons' } }, formatCount(c.lessons)),
              t(c.lessons === 1 ? 'library.counts.lessons.one' : 'library.counts.lessons.other'),
              h('span', { attrs: { 'data-count': 'items' } }, formatCount(c.items)),
              t(c.items === 1 ? 'library.counts.items.one' : 'library.counts.items.other', { version: c.version }),
            ),
            h(
              'button',
              {
                class: 'button primary',
                attrs: { type: 'button', 'data-testid': 'open-course', 'aria-label': t('library.openLabel', { title: c.title }) },
                on: { click: () => options.onOpen(c) },
              },
              t('library.open'),
            ),
          ),
        ),
      ),
    ),
  );
}

async function runImport(
  area: HTMLElement,
  button: HTMLButtonElement,
  reload: () => Promise<void>,
  choose: () => Promise<string | null>,
): Promise<void> {
  if (button.disabled) return;
  await whileBusy(button, async () => {
    try {
      const path = await choose();
      if (path === null) return;
      replace(area, h('p', { class: 'muted' }, t('import.checking')));
      showReport(area, path, await previewPack(path), reload, button);
    } catch (e) {
      showProblems(area, e, button);
    }
  });
}

/** The packs of the preload folder that were not installed, each with the validator's lines. */
/** What opening the database could not do (a file that cannot be written, a daily backup not
 * taken): said where everyone sees it, not first when an answer fails to save. The store says it
 * in English, marked as such in another language. */
function showStoreWarnings(area: HTMLElement, warnings: string[]): void {
  if (warnings.length === 0) return;
  replace(
    area,
    h(
      'div',
      { class: 'report bad', attrs: { role: 'alert', 'data-testid': 'store-warnings' } },
      h('h2', {}, t('library.storeWarnings')),
      h('ul', { class: 'problem-list' }, ...warnings.map((w) => h('li', { class: 'small' }, t('library.storeWarning', { detail: w })))),
    ),
  );
}

function showPreloadProblems(area: HTMLElement, problems: PreloadProblem[]): void {
  if (problems.length === 0) return;
  replace(
    area,
    h(
      'div',
      { class: 'report bad', attrs: { 'data-testid': 'preload-problems' } },
      h('h2', {}, t('library.preloadProblems')),
      h(
        'ul',
        { class: 'problem-list' },
        ...problems.map((p) =>
          h(
            'li',
            { attrs: { 'data-source': p.source } },
            h('strong', { class: 'mono small' }, p.source),
            h('ul', {}, ...problemLines(p.message).map((l) => h('li', { class: 'mono small' }, l))),
          ),
        ),
      ),
    ),
  );
}

/** The lines of a validator report (the engine's `pack` error lists one problem per line under
 * a header, which is dropped). The app writes the report in the UI's language, so the header is
 * English ("the pack is not valid:") or Spanish ("el paquete no es válido:"). */
export function problemLines(message: string): string[] {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.length > 1 && /not valid|no es válido/.test(lines[0] ?? '') ? lines.slice(1) : lines;
}

/** The report's buttons go with it: `back` (the import button) then gets the focus, so that a
 * keyboard learner is not left on the page's body. */
function showProblems(area: HTMLElement, e: unknown, back: HTMLElement): void {
  // A validator's report and a refused install already come in the UI's language (the app
  // writes them so); anything else (a pack file that cannot be read at all) gets the screens'
  // sentence for its kind.
  const report = (m: string) => /^(the pack is not valid|el paquete no es válido):/.test(m);
  const own = e instanceof ApiError && (e.command === 'preview_pack' || e.command === 'install_pack') && ((e.kind === 'pack' && report(e.message)) || e.kind === 'conflict');
  const message = own ? e.message : messageOf(e);
  const isPack = e instanceof ApiError && e.kind === 'pack';
  const close = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'close-problems' } }, t('common.close'));
  close.addEventListener('click', () => {
    replace(area);
    back.focus();
  });
  replace(
    area,
    h(
      'div',
      { class: 'report bad', attrs: { role: 'alert', 'data-testid': 'import-problems' } },
      h('h2', {}, isPack ? t('import.invalid') : t('import.failed')),
      h('ul', { class: 'problem-list' }, ...problemLines(message).map((l) => h('li', { class: 'mono small' }, l))),
      close,
    ),
  );
  close.focus();
}

function showReport(area: HTMLElement, path: string, preview: PackPreview, reload: () => Promise<void>, back: HTMLElement): void {
  const { diff, changes, warnings } = preview;
  const install = h('button', { class: 'button primary', attrs: { type: 'button', 'data-testid': 'confirm-install' } }, diff.from_version === null || diff.returning ? t('import.install') : t('import.update'));
  const cancel = h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'cancel-install' } }, t('common.cancel'));
  const noop = diff.from_version === diff.to_version && diff.added.length === 0 && diff.changed.length === 0 && diff.removed.length === 0 && !diff.meta_changed;
  const row = (n: number, key: 'added' | 'changed' | 'removed' | 'unchanged') =>
    h('li', { attrs: { 'data-diff': key } }, h('strong', {}, formatCount(n)), ` ${t(`import.${key}.${n === 1 ? 'one' : 'other'}`)}`);
  const withHistory = diff.removed_with_history.length;
  replace(
    area,
    h(
      'div',
      { class: 'report', attrs: { 'data-testid': 'import-report', 'data-pack': diff.pack } },
      h('h2', {}, diff.from_version === null
          ? t('import.newCourse', { pack: diff.title || diff.pack, version: diff.to_version })
          : diff.returning
            ? t('import.returnCourse', { pack: diff.title || diff.pack, version: diff.to_version })
            : t('import.updateCourse', { pack: diff.title || diff.pack, from: diff.from_version, to: diff.to_version })),
      h('p', { class: 'small muted mono' }, path),
      noop
        ? h('p', { attrs: { 'data-testid': 'import-noop' } }, t('import.noop'))
        : h(
            'ul',
            { class: 'diff-list' },
            row(diff.added.length, 'added'),
            row(diff.changed.length, 'changed'),
            row(diff.removed.length, 'removed'),
            row(diff.unchanged, 'unchanged'),
          ),
      changes.length > 0
        ? h(
            'ul',
            { class: 'diff-list', attrs: { 'data-testid': 'import-changes' } },
            ...changes.map((c) =>
              c.ids.length === 0
                ? h('li', {}, c.label)
                : h('li', {}, `${c.label} (${formatCount(c.ids.length)}): `, h('span', { class: 'mono small' }, c.ids.join(', '))),
            ),
          )
        : null,
      // What the validator would still have fixed, though the pack installs (an item without a
      // worked solution, an escape that ate a TeX command), as `ladder pack install` prints it:
      // each line says "warning:" (or "aviso:") after its place.
      warnings.length > 0
        ? h('ul', { class: 'problem-list', attrs: { 'data-testid': 'import-warnings' } }, ...warnings.map((w) => h('li', { class: 'mono small' }, w)))
        : null,
      // An update keeps the history (the engine never deletes answers on install): said here,
      // where a teacher decides.
      diff.from_version !== null && !noop
        ? h('p', { attrs: { 'data-testid': 'history-kept' } }, t(diff.returning ? 'import.historyBack' : 'import.historyAll'))
        : null,
      withHistory > 0
        ? h('p', { class: 'warning', attrs: { 'data-testid': 'removed-with-history' } }, t(withHistory === 1 ? 'import.historyKept.one' : 'import.historyKept.other', { count: withHistory }))
        : null,
      h('div', { class: 'actions' }, noop ? null : install, cancel),
    ),
  );
  cancel.addEventListener('click', () => {
    replace(area);
    back.focus();
  });
  install.addEventListener('click', () => {
    install.disabled = true;
    installPack(path, false)
      .then(async (done) => {
        replace(area, h('p', { class: 'success', attrs: { role: 'status', 'data-testid': 'import-done' } }, t('import.done', { pack: done.title || done.pack, version: done.to_version })));
        await reload();
        back.focus();
      })
      .catch((e: unknown) => showProblems(area, e, back));
  });
  (noop ? cancel : install).focus();
}
