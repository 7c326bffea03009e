// The course library: the packs available to the chosen learner, with their size at a glance.

import { listPacks, type Learner, type Library, type PackSummary } from '../api';
import { h, replace } from '../dom';
import { messageOf } from './learnerPicker';

export interface LibraryOptions {
  learner: Learner;
  onSwitchLearner(): void;
}

/** Renders the library into `container`; resolves once the packs have loaded (or failed). */
export async function mountLibrary(container: HTMLElement, options: LibraryOptions): Promise<void> {
  const body = h('div', { attrs: { 'data-testid': 'library-body' } }, h('p', { class: 'muted' }, 'Loading…'));
  replace(
    container,
    h(
      'section',
      { class: 'panel library', attrs: { 'aria-labelledby': 'library-title', 'data-testid': 'course-library' } },
      h(
        'header',
        { class: 'screen-head' },
        h(
          'div',
          {},
          h('h1', { attrs: { id: 'library-title' } }, 'Course library'),
          h(
            'p',
            { class: 'lead' },
            'Learning as ',
            h('strong', { attrs: { 'data-testid': 'current-learner' } }, options.learner.name),
          ),
        ),
        h(
          'button',
          {
            class: 'button',
            attrs: { type: 'button', 'data-testid': 'switch-learner' },
            on: { click: () => options.onSwitchLearner() },
          },
          'Switch learner',
        ),
      ),
      body,
    ),
  );

  try {
    renderLibrary(body, await listPacks());
  } catch (e) {
    replace(
      body,
      h('p', { class: 'error', attrs: { role: 'alert', 'data-testid': 'library-error' } }, messageOf(e)),
    );
  }
}

function renderLibrary(body: HTMLElement, library: Library): void {
  const packs =
    library.packs.length > 0
      ? h('ul', { class: 'pack-grid', attrs: { 'data-testid': 'pack-list' } }, ...library.packs.map(packCard))
      : h('p', { class: 'muted', attrs: { 'data-testid': 'no-packs' } }, `No course packs found in ${library.packsDir}.`);
  const problems =
    library.problems.length > 0 &&
    h(
      'div',
      { class: 'problems', attrs: { role: 'status', 'data-testid': 'pack-problems' } },
      h('h2', {}, 'Packs that could not be loaded'),
      h(
        'ul',
        {},
        ...library.problems.map((p) => h('li', {}, h('strong', {}, p.folder), ': ', p.message)),
      ),
    );
  replace(body, packs, problems);
}

export function packCard(pack: PackSummary): HTMLLIElement {
  return h(
    'li',
    { class: 'pack-card', attrs: { 'data-pack-id': pack.id } },
    h('h2', { class: 'pack-title' }, pack.title),
    h(
      'p',
      { class: 'pack-meta' },
      h('code', {}, pack.id),
      ` · version ${pack.version}`,
      pack.languages.length > 0 && ` · ${pack.languages.join(', ')}`,
    ),
    h('p', { class: 'pack-desc' }, pack.description),
    h(
      'dl',
      { class: 'counts' },
      count('Skills', pack.skillCount, 'skills'),
      count('Lessons', pack.lessonCount, 'lessons'),
      count('Items', pack.itemCount, 'items'),
    ),
  );
}

function count(label: string, value: number, key: string): HTMLDivElement {
  return h('div', {}, h('dt', {}, label), h('dd', { attrs: { 'data-count': key } }, value));
}
