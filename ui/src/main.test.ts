import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import type { CourseInfo, LearnerInfo } from './api';

const mockInvoke = vi.mocked(invoke);
const course: CourseInfo = { id: 'fractions', version: '1.0.0', title: 'Fractions', description: '', skills: 1, lessons: 1, items: 3 };
/** The learners in the picker: the test changes it as the tutor area would. */
let learners: LearnerInfo[] = [{ id: 1, name: 'Ada' }];
/** The installed courses: the test changes it as the tutor area's course list would. */
let courses: CourseInfo[] = [course];

const q = <T extends Element>(sel: string) => document.querySelector<T>(sel);

/** A fake backend (set before each test: the config restores mocks between tests). */
beforeEach(() => {
  mockInvoke.mockImplementation(async (cmd: string) => {
    switch (cmd) {
      case 'admin_overview':
        return { language: 'en' };
      case 'app_info':
        return { version: '0.1.0', data_dir: 'data', packs_dir: 'packs', preload_problems: [] };
      case 'list_learners':
        return learners;
      case 'list_courses':
        return courses;
      case 'trace_startup':
        return null;
      default:
        throw { kind: 'not_found', message: `unexpected command ${cmd}` };
    }
  });
});

/** Starts the app once, as index.html does. */
async function boot() {
  if (q('#app')) return;
  document.body.innerHTML = '<div id="app"></div>';
  await import('./main');
  await vi.waitFor(() => expect(q('[data-learner-id="1"]')).not.toBeNull());
}

describe('the app shell', () => {
  it('follows the tutor area: a renamed learner keeps learning under the new name, an archived one is signed out', async () => {
    await boot();
    q<HTMLButtonElement>('[data-learner-id="1"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="course-library"]')).not.toBeNull());
    expect(q('[data-testid="signed-in-learner"]')?.textContent).toBe('Ada');

    // Renamed in the tutor area, then "Learn": the same learner, under the new name.
    learners = [{ id: 1, name: 'Ada Lovelace' }];
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="signed-in-learner"]')?.textContent).toBe('Ada Lovelace'));
    expect(q('[data-testid="course-library"]')).not.toBeNull();

    // Archived (or deleted) in the tutor area, then "Learn": no more practice under that name.
    learners = [{ id: 2, name: 'Grace' }];
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="learner-picker"]')).not.toBeNull());
    expect(q('[data-testid="signed-in-learner"]')).toBeNull();
    await vi.waitFor(() => expect(q('[data-learner-id="2"]')).not.toBeNull());
  });

  it('follows the tutor area: a course removed there sends the learner to the library, not to its map', async () => {
    learners = [{ id: 1, name: 'Ada' }];
    courses = [course];
    await boot();
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click(); // the picker again, with Ada
    await vi.waitFor(() => expect(q('[data-learner-id="1"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-learner-id="1"]')!.click();
    await vi.waitFor(() => expect(q('[data-pack-id="fractions"] [data-testid="open-course"]')).not.toBeNull());
    q<HTMLButtonElement>('[data-pack-id="fractions"] [data-testid="open-course"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="course-map"]')).not.toBeNull());

    // Still installed: "Learn" goes back to its map.
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="course-map"]')).not.toBeNull());
    // Removed in the tutor area: "Learn" shows the library.
    courses = [];
    q<HTMLButtonElement>('[data-testid="nav-learn"]')!.click();
    await vi.waitFor(() => expect(q('[data-testid="course-library"]')).not.toBeNull());
    expect(q('[data-testid="course-map"]')).toBeNull();
  });
});
