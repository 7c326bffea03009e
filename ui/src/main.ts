// The app shell: a header, the current screen, and a footer with the app's folders. Screens are
// plain functions that render into `main`; switching screens replaces its children.

import './styles.css';
import { appInfo, type Learner } from './api';
import { h, replace } from './dom';
import { mountLearnerPicker } from './views/learnerPicker';
import { mountLibrary } from './views/library';

function start(root: HTMLElement): void {
  const main = h('main', { class: 'content', attrs: { id: 'main', tabindex: '-1' } });
  const footer = h('footer', { class: 'footer', attrs: { 'data-testid': 'app-footer' } });
  replace(
    root,
    h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }), 'Ladder'),
    ),
    main,
    footer,
  );

  const showPicker = () => {
    void mountLearnerPicker(main, { onPick: showLibrary });
  };
  const showLibrary = (learner: Learner) => {
    void mountLibrary(main, { learner, onSwitchLearner: showPicker });
    main.focus();
  };

  showPicker();
  // The folders are for teachers and bug reports, not for learners: a tooltip, not the footer text.
  appInfo()
    .then((info) => {
      replace(footer, `Ladder ${info.version}`);
      footer.title = `Data: ${info.dataDir}\nPacks: ${info.packsDir}`;
    })
    .catch(() => replace(footer, 'Ladder'));
}

const root = document.getElementById('app');
if (root) start(root);
