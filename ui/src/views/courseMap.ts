// The course map: the skills as a path in course order, each with its predicted mastery and
// uncertainty, what locks it, and the lessons with their status. Everything shown comes from the
// engine's `course_map`; the screen only lays it out.

import { courseMap, type CourseInfo, type CourseMap, type LearnerInfo, type LessonView, type SkillView } from '../api';
import { packHtml } from '../content';
import { h, replace } from '../dom';
import { t, type LearnKey } from '../learn-strings';
import { messageOf } from '../errors';
import { masteryBar, shownPercent } from './mastery';
import { packLanguage, rememberPackLanguage } from '../packLanguage';

export interface CourseMapOptions {
  learner: LearnerInfo;
  course: CourseInfo;
  onPractice(lesson: string | null): void;
  onBack(): void;
}

export async function mountCourseMap(container: HTMLElement, options: CourseMapOptions): Promise<void> {
  rememberPackLanguage(options.course);
  const body = h('div', { class: 'map-body' }, h('p', { class: 'muted' }, t('common.loading')));
  const practise = h(
    'button',
    { class: 'button primary', attrs: { type: 'button', 'data-testid': 'practise-course' } },
    t('map.practise'),
  );
  practise.addEventListener('click', () => options.onPractice(null));
  replace(
    container,
    h(
      'section',
      { class: 'course-map', attrs: { 'data-testid': 'course-map', 'data-course': options.course.id, 'aria-labelledby': 'map-title' } },
      h(
        'header',
        { class: 'screen-head' },
        h(
          'div',
          {},
          h('h1', { attrs: { id: 'map-title', lang: packLanguage(options.course.id) } }, options.course.title),
          h('p', { class: 'lead', attrs: { lang: packLanguage(options.course.id) } }, options.course.description),
        ),
        h(
          'div',
          { class: 'actions' },
          h('button', { class: 'button', attrs: { type: 'button', 'data-testid': 'back-to-library' }, on: { click: () => options.onBack() } }, t('map.allCourses')),
          practise,
        ),
      ),
      body,
    ),
  );
  try {
    renderMap(body, await courseMap(options.learner.id, options.course.id), options);
  } catch (e) {
    replace(body, h('p', { class: 'error', attrs: { role: 'alert', 'data-testid': 'map-error' } }, messageOf(e)));
  }
}

function renderMap(body: HTMLElement, map: CourseMap, options: CourseMapOptions): void {
  const mastered = map.skills.filter((s) => s.mastered).length;
  replace(
    body,
    h(
      'p',
      { class: 'map-summary', attrs: { 'data-testid': 'map-summary' } },
      t(map.skills.length === 1 ? 'map.summary.one' : 'map.summary.other', { mastered, total: map.skills.length }),
    ),
    h(
      'div',
      { class: 'map-columns' },
      h(
        'div',
        {},
        h('h2', {}, t('map.skills')),
        h('ol', { class: 'skill-path', attrs: { 'data-testid': 'skill-path' } }, ...map.skills.map((s) => skillNode(s, map.unlock_at, options.course.id))),
      ),
      h(
        'div',
        {},
        h('h2', {}, t('map.lessons')),
        h('ul', { class: 'lesson-list', attrs: { 'data-testid': 'lesson-list' } }, ...map.lessons.map((l) => lessonRow(l, map.unlock_at, options))),
      ),
    ),
  );
}

function skillNode(skill: SkillView, unlockAt: number, course: string): HTMLElement {
  const state = skill.mastered ? 'mastered' : skill.locked ? 'locked' : skill.attempts > 0 ? 'learning' : 'open';
  const status = skill.mastered
    ? t('map.skill.mastered')
    : skill.locked
      ? t('map.skill.locked', { skills: skill.locked_because.join(', '), level: Math.round(unlockAt * 100) })
      : skill.unconfirmed
        ? `${t(skill.attempts === 1 ? 'map.skill.answers.one' : 'map.skill.answers.other', { count: skill.attempts })} · ${t('map.skill.unconfirmed', { ...skill.unconfirmed })}`
        : skill.attempts > 0
          ? t(skill.attempts === 1 ? 'map.skill.answers.one' : 'map.skill.answers.other', { count: skill.attempts })
          : t('map.skill.ready');
  return h(
    'li',
    { class: `skill-node ${state}`, attrs: { 'data-skill-id': skill.id, 'data-state': state } },
    h('span', { class: 'node-dot', attrs: { 'aria-hidden': 'true' } }, skill.mastered ? '✓' : ''),
    h(
      'div',
      { class: 'node-body' },
      h('p', { class: 'skill-name', attrs: { lang: packLanguage(course) } }, skill.name),
      masteryBar(skill.name, skill.mastery, skill.uncertainty, undefined, unlockAt),
      h(
        'p',
        { class: 'small muted', attrs: { 'data-testid': 'skill-status' } },
        t('map.skill.line', { mastery: shownPercent(skill.mastery, unlockAt), sd: Math.round(skill.uncertainty * 100), status }),
      ),
    ),
  );
}

const LESSON_STATUS: Record<LessonView['status'], LearnKey> = {
  locked: 'map.lesson.locked',
  available: 'map.lesson.available',
  in_progress: 'map.lesson.in_progress',
  mastered: 'map.lesson.mastered',
};

function lessonRow(lesson: LessonView, unlockAt: number, options: CourseMapOptions): HTMLElement {
  const locked = lesson.status === 'locked';
  // A lesson without items (the validator only warns) has nothing to practise: the engine
  // refuses to start it, so the button is not offered.
  const empty = lesson.items === 0;
  const button = h(
    'button',
    {
      class: 'button small',
      attrs: { type: 'button', disabled: locked || empty, 'data-testid': 'practise-lesson', 'aria-label': t('map.practiseLabel', { title: lesson.title }) },
    },
    t('map.practise'),
  );
  button.addEventListener('click', () => options.onPractice(lesson.id));
  return h(
    'li',
    { class: `lesson-row ${lesson.status}`, attrs: { 'data-lesson-id': lesson.id, 'data-status': lesson.status } },
    h(
      'div',
      { class: 'lesson-head' },
      h('p', { class: 'lesson-title', attrs: { lang: packLanguage(options.course.id) } }, lesson.title),
      h(
        'p',
        { class: 'small muted' },
        t(lesson.items === 1 ? 'map.lesson.items.one' : 'map.lesson.items.other', { status: t(LESSON_STATUS[lesson.status]), count: lesson.items }),
        locked && lesson.locked_because.length > 0 ? t('map.lesson.needs', { skills: lesson.locked_because.join(', '), level: Math.round(unlockAt * 100) }) : '',
      ),
    ),
    // Before the button in the page's order (the keyboard reaches the introduction first), under
    // the title and the button on screen, the card's whole width: beside the button it ran in a
    // narrow column with the button floating in the middle of its text.
    lesson.intro_html ? lessonIntro(lesson, lesson.intro_html, options.course.id) : null,
    button,
  );
}

/** The lesson's introduction from the pack, folded away except for a lesson not begun yet. */
function lessonIntro(lesson: LessonView, html: string, pack: string): HTMLElement {
  const details = h(
    'details',
    { class: 'lesson-intro', attrs: { 'data-testid': 'lesson-intro' } },
    // Named with the lesson: from the keyboard every lesson's "Introduction" read the same.
    h('summary', { attrs: { 'aria-label': t('map.lesson.introLabel', { title: lesson.title }) } }, t('map.lesson.intro')),
    packHtml('div', html, pack),
  );
  details.open = lesson.status === 'available';
  return details;
}
