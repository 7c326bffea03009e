// The app shell: a top bar with the navigation (Learn, Tutor, Settings) and the current learner,
// the current screen, and a footer. Screens are plain functions that render into `main`;
// switching screens replaces its children. Which screen shows is the only state kept here.
//
// The first page carries only what the learner picker, library and course map need. The practice
// screen (with KaTeX and its fonts), the tutor area and the settings are separate chunks, loaded
// when first opened: less script to parse before the picker can be used (docs/ui.md, "Start-up").

import './styles.css';
import { appInfo, endSession, listCourses, listLearners, type CourseInfo, type LearnerInfo } from './api';
import { onLanguageChange, useLanguage } from './admin-strings';
import { adminOverview } from './admin';
import { h, replace } from './dom';
import { t } from './learn-strings';
import { reportStartup } from './startup';
import { mountCourseMap } from './views/courseMap';
import { mountLearnerPicker } from './views/learnerPicker';
import { mountLibrary } from './views/library';
import { Navigation } from './navigation';
import type { OpenSession } from './practice/practice';

type Section = 'learn' | 'tutor' | 'settings';

function start(root: HTMLElement): void {
  const main = h('main', { class: 'content', attrs: { id: 'main', tabindex: '-1' } });
  const footer = h('footer', { class: 'footer', attrs: { 'data-testid': 'app-footer' } });
  const who = h('div', { class: 'who' });
  const navButton = (section: Section) =>
    h('button', { class: 'nav-item', attrs: { type: 'button', 'data-nav': section, 'data-testid': `nav-${section}` } });
  const nav = { learn: navButton('learn'), tutor: navButton('tutor'), settings: navButton('settings') };
  const navBar = h('nav', { class: 'nav' }, nav.learn, nav.tutor, nav.settings);
  const label = () => {
    nav.learn.textContent = t('app.nav.learn');
    nav.tutor.textContent = t('app.nav.tutor');
    nav.settings.textContent = t('app.nav.settings');
    navBar.setAttribute('aria-label', t('app.nav.label'));
    renderWho();
  };
  replace(
    root,
    h(
      'header',
      { class: 'topbar' },
      h('span', { class: 'brand' }, h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }), 'Ladder'),
      navBar,
      who,
    ),
    main,
    footer,
  );

  let learner: LearnerInfo | null = null;
  let course: CourseInfo | null = null;
  /** The practice session left without "End session", carried on when the learner comes back. */
  let open: OpenSession | null = null;
  /** The last practice screen's start: the next practice screen waits for it, so that a session
   * started for a screen the learner left is known before another starts (and carried on, or
   * ended, as one left after it began). */
  let starting: Promise<unknown> = Promise.resolve();

  const select = (section: Section) => {
    for (const [key, button] of Object.entries(nav)) {
      if (key === section) button.setAttribute('aria-current', 'page');
      else button.removeAttribute('aria-current');
    }
  };
  /** Which screen is current: each screen's signal aborts when another is shown, so that
   * nothing that arrives late (a chunk, an engine answer) replaces a newer screen
   * (`navigation.ts`). */
  const shown = new Navigation();
  /** A fresh screen: `main` emptied of the previous screen's attributes too. */
  const screen = (section: Section) => {
    const signal = shown.show();
    select(section);
    delete main.dataset.testid;
    main.removeAttribute('aria-labelledby');
    replace(main);
    window.scrollTo(0, 0);
    document.title = 'Ladder';
    // The focus goes to the screen once it has drawn its frame (screens draw it before their
    // first wait), named by its heading: focused while still empty, a screen reader said "main"
    // and nothing of what came into it. A control the screen focused meanwhile keeps it.
    // The page's title names the screen too ("Fractions – Ladder"): it is the document's name,
    // which a screen reader says when the window gets the focus.
    queueMicrotask(() => {
      if (signal.aborted) return;
      const heading = main.querySelector<HTMLElement>('h1[id]');
      const title = heading?.textContent?.trim();
      if (title) document.title = `${title} – Ladder`;
      const active = document.activeElement;
      if (active && active !== document.body && active !== main && main.contains(active)) return;
      if (heading) main.setAttribute('aria-labelledby', heading.id);
      main.focus({ preventScroll: true });
    });
    return main;
  };
  const renderWho = () => {
    if (!learner) return replace(who);
    replace(
      who,
      h('span', { class: 'avatar small', attrs: { 'aria-hidden': 'true' } }, Array.from(learner.name)[0]?.toLocaleUpperCase() ?? '?'),
      h('span', { attrs: { id: 'signed-in-learner', 'data-testid': 'signed-in-learner' } }, learner.name),
      // Named by what it does and described by who is signed in: tabbing along the top bar, a
      // screen reader said only "Switch" (the name beside it is no control).
      h(
        'button',
        {
          class: 'button subtle small',
          attrs: { type: 'button', 'data-testid': 'switch-learner', 'aria-label': t('app.switchLabel'), 'aria-describedby': 'signed-in-learner' },
          on: { click: showPicker },
        },
        t('app.switch'),
      ),
    );
  };

  function showPicker() {
    // Another learner takes the seat: the previous one's session ends where they left it.
    if (open) void endSession(open.session).catch(() => undefined);
    open = null;
    learner = null;
    course = null;
    renderWho();
    void mountLearnerPicker(screen('learn'), {
      onPick: (picked) => {
        learner = picked;
        renderWho();
        showLibrary();
      },
    }).then(() => reportStartup('picker interactive'));
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
    const current = learner;
    const previous = starting;
    const run = later(import('./practice/practice'), 'learn', async (mod, into, signal) => {
      await previous;
      if (signal.aborted) return;
      await mod.mountPractice(into, {
        learner: current,
        course: picked,
        lesson,
        open,
        signal,
        onOpen: (session) => {
          // Also told after the learner left the screen: the session is then kept as one left
          // open (carried on by "Practise" on its lesson, ended by another practice or
          // "Switch"), unless another learner took the seat meanwhile.
          if (learner?.id === session.learner) open = session;
          else void endSession(session.session).catch(() => undefined);
        },
        onEnded: (session) => {
          if (open?.session === session) open = null;
        },
        onEnding: (session, done) => {
          // Not to be carried on, and the next practice starts once the engine has ended it.
          if (open?.session === session) open = null;
          starting = Promise.all([starting, done]);
        },
        onDone: () => showMap(picked),
      });
    });
    starting = Promise.all([previous, run]);
  }
  /** Shows a screen whose code is a separate chunk, once it has loaded (if nothing else was shown
   * meanwhile); `mount` gets the screen's signal, which aborts once another screen is shown. */
  async function later<M>(chunk: Promise<M>, section: Section, mount: (mod: M, into: HTMLElement, signal: AbortSignal) => unknown) {
    const into = screen(section);
    const signal = shown.signal;
    try {
      const mod = await chunk;
      if (!signal.aborted) await mount(mod, into, signal);
    } catch (e) {
      if (!signal.aborted) replace(into, h('p', { class: 'error', attrs: { role: 'alert' } }, t('app.loadFailed', { message: String(e) })));
    }
  }

  nav.learn.addEventListener('click', () => void backToLearning());
  /** "Learn": back where the learner was, once the tutor area's changes are known: a learner
   * renamed there keeps learning under the new name, one archived or deleted there is signed
   * out (their practice would go on under a name the tutor removed, or fail with the engine's
   * "no learner with id …"); a course removed there sends the learner back to the library
   * instead of to its map, which could only say that it is gone. */
  async function backToLearning() {
    const current = learner;
    const signal = shown.signal;
    if (current) {
      const now = await listLearners().then(
        (all) => all.find((l) => l.id === current.id) ?? null,
        () => current, // cannot tell: carry on, the screen says what fails
      );
      if (signal.aborted || learner !== current) return; // another screen was chosen meanwhile
      learner = now;
      renderWho();
    }
    const was = course;
    if (learner && was) {
      const there = await listCourses().then(
        (all) => all.some((c) => c.id === was.id),
        () => true, // cannot tell: the map says what fails
      );
      if (signal.aborted || course !== was) return;
      if (!there) course = null;
    }
    if (!learner) showPicker();
    else if (course) showMap(course);
    else showLibrary();
  }
  nav.tutor.addEventListener('click', () => void later(import('./tutor/index'), 'tutor', (m, into, signal) => m.showTutor(into, signal)));
  nav.settings.addEventListener('click', () =>
    void later(import('./settings/index'), 'settings', (m, into, signal) => m.showSettings(into, signal)),
  );

  // The folders are for teachers and bug reports, not for learners: a tooltip, not the footer text.
  const info = appInfo().catch(() => null);
  const renderFooter = () =>
    void info.then((i) => {
      if (!i) return replace(footer, 'Ladder');
      replace(footer, t('app.footer', { version: i.version }));
      footer.title = t('app.footer.folders', { data: i.data_dir, packs: i.packs_dir });
    });
  onLanguageChange(() => {
    label();
    renderFooter();
  });
  label();
  renderFooter();
  showPicker();
}

/** Starts in the language the settings chose (English if that cannot be read: the picker then
 * shows what went wrong). */
async function boot(root: HTMLElement): Promise<void> {
  try {
    useLanguage((await adminOverview()).language);
  } catch {
    useLanguage('en');
  }
  start(root);
}

const root = document.getElementById('app');
if (root) void boot(root);
