// The app shell: a top bar with the navigation (Learn, Tutor, Settings) and the current learner,
// the current screen, and a footer. Screens are plain functions that render into `main`;
// switching screens replaces its children. Which screen shows is the only state kept here.

import './styles.css';
import { appInfo, type CourseInfo, type LearnerInfo } from './api';
import { h, replace } from './dom';
import { mountPractice } from './practice/practice';
import { showSettings } from './settings/index';
import { showTutor } from './tutor/index';
import { mountCourseMap } from './views/courseMap';
import { mountLearnerPicker } from './views/learnerPicker';
import { mountLibrary } from './views/library';

type Section = 'learn' | 'tutor' | 'settings';

function start(root: HTMLElement): void {
  const main = h('main', { class: 'content', attrs: { id: 'main', tabindex: '-1' } });
  const footer = h('footer', { class: 'footer', attrs: { 'data-testid': 'app-footer' } });
  const who = h('div', { class: 'who' });
  const navButton = (section: Section, label: string) =>
    h('button', { class: 'nav-item', attrs: { type: 'button', 'data-nav': section, 'data-testid': `nav-${section}` } }, label);
  const nav = {
    learn: navButton('learn', 'Learn'),
    tutor: navButton('tutor', 'Tutor'),
    settings: navButton('settings', 'Settings'),
  };
  replace(
    root,
    h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }), 'Ladder'),
      h('nav', { class: 'nav', attrs: { 'aria-label': 'Main' } }, nav.learn, nav.tutor, nav.settings),
      who,
    ),
    main,
    footer,
  );

  let learner: LearnerInfo | null = null;
  let course: CourseInfo | null = null;

  const select = (section: Section) => {
    for (const [key, button] of Object.entries(nav)) {
      if (key === section) button.setAttribute('aria-current', 'page');
      else button.removeAttribute('aria-current');
    }
  };
  /** A fresh screen: `main` emptied of the previous screen's attributes too. */
  const screen = (section: Section) => {
    select(section);
    delete main.dataset.testid;
    replace(main);
    window.scrollTo(0, 0);
    main.focus({ preventScroll: true });
    return main;
  };
  const renderWho = () => {
    if (!learner) return replace(who);
    replace(
      who,
      h('span', { class: 'avatar small', attrs: { 'aria-hidden': 'true' } }, Array.from(learner.name)[0]?.toLocaleUpperCase() ?? '?'),
      h('span', { attrs: { 'data-testid': 'signed-in-learner' } }, learner.name),
      h('button', { class: 'button subtle small', attrs: { type: 'button', 'data-testid': 'switch-learner' }, on: { click: showPicker } }, 'Switch'),
    );
  };

  function showPicker() {
    learner = null;
    course = null;
    renderWho();
    void mountLearnerPicker(screen('learn'), {
      onPick: (picked) => {
        learner = picked;
        renderWho();
        showLibrary();
      },
    });
  }
  function showLibrary() {
    if (!learner) return showPicker();
    const current = learner;
    course = null;
    void mountLibrary(screen('learn'), { learner: current, onOpen: showMap });
  }
  function showMap(picked: CourseInfo) {
    if (!learner) return showPicker();
    course = picked;
    void mountCourseMap(screen('learn'), {
      learner,
      course: picked,
      onPractice: (lesson) => showPractice(picked, lesson),
      onBack: showLibrary,
    });
  }
  function showPractice(picked: CourseInfo, lesson: string | null) {
    if (!learner) return showPicker();
    void mountPractice(screen('learn'), { learner, course: picked, lesson, onDone: () => showMap(picked) });
  }

  nav.learn.addEventListener('click', () => {
    if (!learner) showPicker();
    else if (course) showMap(course);
    else showLibrary();
  });
  nav.tutor.addEventListener('click', () => void showTutor(screen('tutor')));
  nav.settings.addEventListener('click', () => void showSettings(screen('settings')));

  showPicker();
  // The folders are for teachers and bug reports, not for learners: a tooltip, not the footer text.
  appInfo()
    .then((info) => {
      replace(footer, `Ladder ${info.version}`);
      footer.title = `Data: ${info.data_dir}\nPreload packs: ${info.packs_dir}`;
    })
    .catch(() => replace(footer, 'Ladder'));
}

const root = document.getElementById('app');
if (root) start(root);
