import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

import { invoke } from '@tauri-apps/api/core';
import type { ChangeLine, CourseInfo, CourseMap, LearnerInfo, PackDiff } from '../api';
import { initial, mountLearnerPicker } from './learnerPicker';
import { mountCourseMap } from './courseMap';
import { mountLibrary, problemLines } from './library';
import { useLanguage } from '../admin-strings';

const mockInvoke = vi.mocked(invoke);

/** A fake backend keyed by command name, standing in for the Rust side. */
function backend(handlers: Record<string, (args?: Record<string, unknown>) => unknown>) {
  mockInvoke.mockImplementation(async (cmd: string, args?: unknown) => {
    const handler = handlers[cmd];
    if (!handler) throw `unexpected command ${cmd}`;
    return handler(args as Record<string, unknown> | undefined);
  });
}

let container: HTMLElement;

beforeEach(() => {
  mockInvoke.mockReset();
  document.body.innerHTML = '';
  container = document.createElement('div');
  document.body.appendChild(container);
});

const q = <T extends Element>(sel: string) => container.querySelector<T>(sel);

describe('learner picker', () => {
  it('lists learners and picks one on click', async () => {
    backend({ list_learners: () => [{ id: 1, name: 'Ada' }] });
    const onPick = vi.fn();
    await mountLearnerPicker(container, { onPick });
    const button = q<HTMLButtonElement>('[data-learner-id="1"]');
    expect(button?.textContent).toContain('Ada');
    expect(q('[data-testid="learner-status"]')?.hasAttribute('hidden')).toBe(true);
    button?.click();
    expect(onPick).toHaveBeenCalledWith({ id: 1, name: 'Ada' });
  });

  it('says so when there are no learners', async () => {
    backend({ list_learners: () => [] });
    await mountLearnerPicker(container, { onPick: vi.fn() });
    expect(q('[data-testid="learner-status"]')?.textContent).toMatch(/No learners yet/);
  });

  it('creates a learner and shows it in the list', async () => {
    const learners: LearnerInfo[] = [];
    backend({
      list_learners: () => [...learners],
      add_learner: (args) => {
        const learner = { id: 7, name: String(args?.name).trim() };
        learners.push(learner);
        return learner;
      },
    });
    await mountLearnerPicker(container, { onPick: vi.fn() });
    const input = q<HTMLInputElement>('[data-testid="new-learner-name"]');
    if (!input) throw new Error('no input');
    input.value = ' Grace ';
    q<HTMLFormElement>('[data-testid="new-learner-form"]')?.dispatchEvent(
      new Event('submit', { cancelable: true, bubbles: true }),
    );
    await vi.waitFor(() => expect(q('[data-learner-id="7"]')).not.toBeNull());
    expect(q('[data-learner-id="7"]')?.textContent).toContain('Grace');
    expect(q('[data-learner-id="7"]')?.classList.contains('just-added')).toBe(true);
    expect(input.value).toBe('');
    expect(mockInvoke).toHaveBeenCalledWith('add_learner', { name: ' Grace ' });
    // A screen reader hears who was added (the list is not a live region).
    expect(q('[data-testid="learner-added"]')?.getAttribute('role')).toBe('status');
    expect(q('[data-testid="learner-added"]')?.textContent).toContain('Grace');
  });

  it('shows the message of a refused name', async () => {
    backend({
      list_learners: () => [],
      add_learner: () => {
        throw { kind: 'bad_request', message: 'a learner needs a name' };
      },
    });
    await mountLearnerPicker(container, { onPick: vi.fn() });
    q<HTMLFormElement>('[data-testid="new-learner-form"]')?.dispatchEvent(
      new Event('submit', { cancelable: true, bubbles: true }),
    );
    const error = q<HTMLElement>('[data-testid="learner-error"]');
    await vi.waitFor(() => expect(error?.hidden).toBe(false));
    // The refusals a learner meets are said in the UI's language, not the engine's English.
    expect(error?.textContent).toBe('Type a name first.');
    // The field says it too (as the tutor's rename does): a screen reader back in the field
    // hears what is wrong with it, not only once when the message appears.
    const input = q<HTMLInputElement>('[data-testid="new-learner-name"]');
    expect(input?.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(input?.getAttribute('aria-describedby') ?? '')).toBe(error);
  });

  it('says a taken or bad name in the UI language', async () => {
    let refusal = { kind: 'conflict', message: 'a learner is already called "Ana"' };
    backend({
      list_learners: () => [],
      add_learner: () => {
        throw refusal;
      },
    });
    useLanguage('es');
    try {
      await mountLearnerPicker(container, { onPick: vi.fn() });
      const input = q<HTMLInputElement>('[data-testid="new-learner-name"]');
      const error = q<HTMLElement>('[data-testid="learner-error"]');
      const submit = async (name: string) => {
        if (input) input.value = name;
        if (error) error.hidden = true;
        q<HTMLFormElement>('[data-testid="new-learner-form"]')?.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true }));
        await vi.waitFor(() => expect(error?.hidden).toBe(false));
        return error?.textContent;
      };
      expect(await submit('ana')).toContain('Ya hay un alumno con este nombre');
      refusal = { kind: 'bad_request', message: 'a learner\'s name cannot be empty' };
      expect(await submit('\u200b ')).toBe('Escribe primero un nombre.');
      refusal = { kind: 'bad_request', message: 'too long' };
      expect(await submit('x'.repeat(101))).toContain('100');
    } finally {
      useLanguage('en');
    }
  });

  it('takes the first letter of a name for the avatar', () => {
    expect(initial('ada')).toBe('A');
    expect(initial(' Élodie')).toBe('É');
    expect(initial('')).toBe('?');
  });
});

describe('course library', () => {
  const fractions: CourseInfo = {
    id: 'fractions',
    version: '1.0.0',
    title: 'Fractions',
    description: 'Parts of a whole.',
    skills: 10,
    lessons: 10,
    items: 133,
    languages: ['en'],
    text_language: 'en',
  };
  const diff: PackDiff = {
    pack: 'spanish-a1',
    title: 'Spanish A1',
    from_version: null,
    to_version: '1.0.0',
    added: ['a', 'b', 'c'],
    changed: [],
    removed: [],
    unchanged: 0,
    meta_changed: true,
    removed_with_history: [],
    returning: false,
  };

  it('shows each course with its counts and opens it', async () => {
    backend({ list_courses: () => [fractions] });
    const onOpen = vi.fn();
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen });
    expect(q('[data-testid="current-learner"]')?.textContent).toBe('Ada');
    const card = q('[data-pack-id="fractions"]');
    expect(card?.querySelector('.pack-title')?.textContent).toBe('Fractions');
    expect(card?.querySelector('[data-count="skills"]')?.textContent).toBe('10');
    expect(card?.querySelector('[data-count="items"]')?.textContent).toBe('133');
    card?.querySelector<HTMLButtonElement>('[data-testid="open-course"]')?.click();
    expect(onOpen).toHaveBeenCalledWith(fractions);
  });

  it("marks each card with the language of its course's text", async () => {
    // Spanish A1 is in two languages and names its text's (English); a pack in two that names
    // none gets no mark, and the UI's language applies.
    const spanish: CourseInfo = { ...fractions, id: 'spanish-a1', title: 'Spanish A1', languages: ['es', 'en'], text_language: 'en' };
    const unnamed: CourseInfo = { ...fractions, id: 'both', title: 'Both', languages: ['es', 'en'], text_language: null };
    backend({ list_courses: () => [spanish, unnamed] });
    useLanguage('es');
    try {
      await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
      expect(q('[data-pack-id="spanish-a1"] .pack-title')?.getAttribute('lang')).toBe('en');
      expect(q('[data-pack-id="spanish-a1"] .pack-description')?.getAttribute('lang')).toBe('en');
      expect(q('[data-pack-id="both"] .pack-title')?.hasAttribute('lang')).toBe(false);
    } finally {
      useLanguage('en');
    }
  });

  it('counts one skill, lesson or item in the singular, in English and Spanish', async () => {
    const tiny: CourseInfo = { ...fractions, id: 'tiny', skills: 1, lessons: 1, items: 1, languages: ['en'], text_language: 'en' };
    backend({ list_courses: () => [tiny, fractions] });
    const counts = (id: string) => q(`[data-pack-id="${id}"] .pack-counts`)?.textContent;
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    expect(counts('tiny')).toBe('1 skill · 1 lesson · 1 item · version 1.0.0');
    expect(counts('fractions')).toBe('10 skills · 10 lessons · 133 items · version 1.0.0');
    useLanguage('es');
    try {
      await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
      expect(counts('tiny')).toBe('1 habilidad · 1 lección · 1 ejercicio · versión 1.0.0');
      expect(counts('fractions')).toBe('10 habilidades · 10 lecciones · 133 ejercicios · versión 1.0.0');
    } finally {
      useLanguage('en');
    }
  });

  it('imports a pack: the dry-run report first, installing only on confirmation', async () => {
    const installed: CourseInfo[] = [fractions];
    const calls: unknown[] = [];
    backend({
      list_courses: () => [...installed],
      choose_pack_file: () => '/media/usb/spanish.ladderpack',
      preview_pack: (args) => {
        calls.push(['preview_pack', args]);
        return { diff, changes: [], warnings: [] };
      },
      install_pack: (args) => {
        calls.push(['install_pack', args]);
        installed.push({ ...fractions, id: 'spanish-a1', title: 'Spanish' });
        return diff;
      },
    });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
    await vi.waitFor(() => expect(q('[data-testid="import-report"]')).not.toBeNull());
    // One call for the whole report (the engine reads the pack once for it).
    expect(calls).toEqual([['preview_pack', { path: '/media/usb/spanish.ladderpack' }]]);
    expect(q('[data-diff="added"]')?.textContent).toContain('3');
    expect(q('[data-pack-id="spanish-a1"]')).toBeNull();
    q<HTMLButtonElement>('[data-testid="confirm-install"]')?.click();
    await vi.waitFor(() => expect(q('[data-pack-id="spanish-a1"]')).not.toBeNull());
    expect(calls).toEqual([
      ['preview_pack', { path: '/media/usb/spanish.ladderpack' }],
      ['install_pack', { path: '/media/usb/spanish.ladderpack', dry_run: false }],
    ]);
    expect(q('[data-testid="import-done"]')?.textContent).toBe('Installed Spanish A1 1.0.0.');
  });

  it('imports a pack folder as a teacher wrote it, through the same report', async () => {
    const calls: unknown[] = [];
    backend({
      list_courses: () => [fractions],
      choose_pack_folder: () => '/home/teacher/packs/spanish',
      preview_pack: (args) => {
        calls.push(args);
        return { diff, changes: [], warnings: [] };
      },
      install_pack: (args) => {
        calls.push(args);
        return diff;
      },
    });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    expect(q('[data-testid="import-pack-folder"]')?.textContent).toBe('Import a pack folder…');
    q<HTMLButtonElement>('[data-testid="import-pack-folder"]')?.click();
    await vi.waitFor(() => expect(q('[data-testid="import-report"]')).not.toBeNull());
    expect(calls).toEqual([{ path: '/home/teacher/packs/spanish' }]);
    q<HTMLButtonElement>('[data-testid="confirm-install"]')?.click();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toEqual({ path: '/home/teacher/packs/spanish', dry_run: false });
  });

  it('says that an update keeps every learner\'s history, and counts one item as one', async () => {
    const update: PackDiff = {
      ...diff, pack: 'fractions', title: 'Fractions', from_version: '1.0.0', to_version: '1.1.0', added: [], changed: ['meaning-001'],
      removed: ['meaning-012'], unchanged: 131, removed_with_history: ['meaning-012'],
    };
    backend({ list_courses: () => [fractions], choose_pack_file: () => '/media/usb/fractions.ladderpack', preview_pack: () => ({ diff: update, changes: [], warnings: [] }) });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
    await vi.waitFor(() => expect(q('[data-testid="import-report"]')).not.toBeNull());
    expect(q('[data-testid="history-kept"]')?.textContent).toBe("Every learner's answers so far are kept.");
    expect(q('[data-diff="changed"]')?.textContent).toBe('1 item changed');
    expect(q('[data-diff="unchanged"]')?.textContent).toBe('131 items unchanged');
    expect(q('[data-testid="removed-with-history"]')?.textContent).toBe(
      "1 removed item has learner history: it stays in each learner's log and export, but no longer counts toward mastery or reports.",
    );
    // A new course has no history to keep: no such line.
    backend({ list_courses: () => [fractions], choose_pack_file: () => '/media/usb/spanish.ladderpack', preview_pack: () => ({ diff, changes: [], warnings: [] }) });
    q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
    await vi.waitFor(() => expect(q('[data-testid="import-report"][data-pack="spanish-a1"]')).not.toBeNull());
    expect(q('[data-testid="history-kept"]')).toBeNull();
    expect(q('[data-diff="added"]')?.textContent).toBe('3 items added');
  });

  it('lists what the counts do not say: pictures, skills, renames, a course the new one looks like', async () => {
    const update: PackDiff = { ...diff, pack: 'fractions', title: 'Fractions', from_version: '1.0.0', to_version: '1.1.0', added: [], changed: [] };
    const lines: ChangeLine[] = [
      { label: 'pictures changed', ids: ['media/bar-3-8.svg', 'media/pie-1-4.svg'] },
      { label: 'renamed? half-001 -> half-one: the answers of 2 learners on half-001 no longer count toward half-one', ids: [] },
    ];
    backend({
      list_courses: () => [fractions],
      choose_pack_file: () => '/media/usb/fractions.ladderpack',
      preview_pack: (args) => {
        expect(args).toEqual({ path: '/media/usb/fractions.ladderpack' });
        return { diff: update, changes: lines, warnings: [] };
      },
    });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
    await vi.waitFor(() => expect(q('[data-testid="import-report"]')).not.toBeNull());
    const items = [...(q('[data-testid="import-changes"]')?.querySelectorAll('li') ?? [])].map((li) => li.textContent);
    expect(items).toEqual([
      'pictures changed (2): media/bar-3-8.svg, media/pie-1-4.svg',
      'renamed? half-001 -> half-one: the answers of 2 learners on half-001 no longer count toward half-one',
    ]);
    // Without them (none to say), the counts alone.
    backend({ list_courses: () => [fractions], choose_pack_file: () => '/media/usb/fractions.ladderpack', preview_pack: () => ({ diff: update, changes: [], warnings: [] }) });
    q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
    await vi.waitFor(() => expect(q('[data-testid="import-changes"]')).toBeNull());
    await vi.waitFor(() => expect(q('[data-testid="import-report"]')).not.toBeNull());
    expect(q('[data-diff="unchanged"]')).not.toBeNull();
  });

  it("shows the validator's warnings of a pack that installs, as ladder pack install prints them", async () => {
    const warning = 'lessons/01-half.toml:24:1: warning: item[2]: no worked solution: the hint ladder has no last rung';
    backend({
      list_courses: () => [fractions],
      choose_pack_folder: () => '/home/teacher/packs/halves',
      preview_pack: () => ({ diff, changes: [], warnings: [warning] }),
    });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    q<HTMLButtonElement>('[data-testid="import-pack-folder"]')?.click();
    await vi.waitFor(() => expect(q('[data-testid="import-report"]')).not.toBeNull());
    const lines = [...(q('[data-testid="import-warnings"]')?.querySelectorAll('li') ?? [])].map((li) => li.textContent);
    expect(lines).toEqual([warning]);
    expect(q('[data-testid="confirm-install"]')).not.toBeNull();
    // None: no list.
    backend({ list_courses: () => [fractions], choose_pack_folder: () => '/home/teacher/packs/halves', preview_pack: () => ({ diff, changes: [], warnings: [] }) });
    q<HTMLButtonElement>('[data-testid="import-pack-folder"]')?.click();
    await vi.waitFor(() => expect(q('[data-testid="import-warnings"]')).toBeNull());
    expect(q('[data-testid="import-report"]')).not.toBeNull();
  });

  it('says that a course removed earlier comes back with its answers, not that it is updated', async () => {
    const back: PackDiff = {
      ...diff, pack: 'fractions', title: 'Fractions', from_version: '1.0.0', to_version: '1.0.0', added: [], unchanged: 133, returning: true,
    };
    backend({ list_courses: () => [], choose_pack_file: () => '/media/usb/fractions.ladderpack', preview_pack: () => ({ diff: back, changes: [], warnings: [] }) });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
    await vi.waitFor(() => expect(q('[data-testid="import-report"]')).not.toBeNull());
    expect(q('[data-testid="import-report"] h2')?.textContent).toBe('Bring back Fractions 1.0.0 (removed from this device earlier)');
    expect(q('[data-testid="history-kept"]')?.textContent).toBe('The answers learners gave before the removal count again.');
    expect(q('[data-diff="unchanged"]')?.textContent).toBe('133 items unchanged');
    expect(q('[data-testid="confirm-install"]')?.textContent).toBe('Install');
  });

  it('shows the validator problems of a bad pack, one per line, and installs nothing', async () => {
    backend({
      list_courses: () => [fractions],
      choose_pack_file: () => '/tmp/bad.ladderpack',
      preview_pack: () => {
        throw { kind: 'pack', message: 'the pack is not valid:\npack.toml:1:1: id: missing\nlessons/a.toml: bad' };
      },
    });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
    await vi.waitFor(() => expect(q('[data-testid="import-problems"]')).not.toBeNull());
    const lines = Array.from(container.querySelectorAll('.problem-list li')).map((li) => li.textContent);
    expect(lines).toEqual(['pack.toml:1:1: id: missing', 'lessons/a.toml: bad']);
    expect(q('[data-testid="confirm-install"]')).toBeNull();
  });

  it('shows a refused import as the app wrote it, and other failures with the Spanish sentence for their kind', async () => {
    let error = { kind: 'conflict', message: 'la versión 1.0.0 de fractions ya está instalada con otro contenido o con otras imágenes: sube la versión del paquete (version en pack.toml) para instalar los cambios' };
    backend({
      list_courses: () => [fractions],
      choose_pack_file: () => '/tmp/fractions',
      preview_pack: () => {
        throw error;
      },
    });
    useLanguage('es');
    try {
      await mountLibrary(container, { learner: { id: 1, name: 'Ana' }, onOpen: vi.fn() });
      q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
      await vi.waitFor(() => expect(q('[data-testid="import-problems"]')).not.toBeNull());
      expect(q('[data-testid="import-problems"] h2')?.textContent).toBe('La importación ha fallado');
      expect(Array.from(container.querySelectorAll('.problem-list li')).map((li) => li.textContent)).toEqual([error.message]);
      q<HTMLButtonElement>('[data-testid="close-problems"]')?.click();
      error = { kind: 'store', message: 'database error: disk I/O error' };
      q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
      await vi.waitFor(() => expect(q('[data-testid="import-problems"]')).not.toBeNull());
      const line = container.querySelector('.problem-list li')?.textContent ?? '';
      expect(line).toMatch(/^No se han podido leer o guardar los datos en este equipo/);
      expect(line).toContain('Detalle (en inglés): database error: disk I/O error');
      // A pack file that cannot be read at all (no validator report to write in Spanish).
      q<HTMLButtonElement>('[data-testid="close-problems"]')?.click();
      error = { kind: 'pack', message: 'cannot read /media/usb/fracciones.ladderpack: Permission denied (os error 13)' };
      q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
      await vi.waitFor(() => expect(q('[data-testid="import-problems"]')).not.toBeNull());
      const unreadable = container.querySelector('.problem-list li')?.textContent ?? '';
      expect(unreadable).toMatch(/^El paquete de curso tiene un problema\. Detalle \(en inglés\): cannot read/);
    } finally {
      useLanguage('en');
    }
  });

  it('keeps the keyboard focus: on the problems\' Close, then back on the import button after Close, Cancel or Install', async () => {
    let bad = true;
    backend({
      list_courses: () => [fractions],
      choose_pack_file: () => '/media/usb/pack.ladderpack',
      preview_pack: () => {
        if (bad) throw { kind: 'pack', message: 'the pack is not valid:\npack.toml:1:1: id: missing' };
        return { diff, changes: [], warnings: [] };
      },
      install_pack: () => diff,
    });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    const importButton = q<HTMLButtonElement>('[data-testid="import-pack"]')!;
    const press = (b: HTMLButtonElement) => {
      b.focus();
      b.click();
    };
    press(importButton);
    await vi.waitFor(() => expect(q('[data-testid="import-problems"]')).not.toBeNull());
    const close = q<HTMLButtonElement>('[data-testid="close-problems"]')!;
    expect(document.activeElement).toBe(close);
    press(close);
    expect(q('[data-testid="import-problems"]')).toBeNull();
    expect(document.activeElement).toBe(importButton);

    bad = false;
    press(importButton);
    await vi.waitFor(() => expect(document.activeElement).toBe(q('[data-testid="confirm-install"]')));
    press(q<HTMLButtonElement>('[data-testid="cancel-install"]')!);
    expect(document.activeElement).toBe(importButton);

    press(importButton);
    await vi.waitFor(() => expect(document.activeElement).toBe(q('[data-testid="confirm-install"]')));
    press(q<HTMLButtonElement>('[data-testid="confirm-install"]')!);
    await vi.waitFor(() => expect(q('[data-testid="import-done"]')).not.toBeNull());
    expect(document.activeElement).toBe(importButton);
  });

  it('says which packs of the preload folder could not be installed, and why', async () => {
    backend({
      list_courses: () => [fractions],
      app_info: () => ({
        version: '0.1.0', data_dir: 'data', packs_dir: 'packs',
        store_warnings: [], preload_problems: [{ source: 'algebra.ladderpack', message: 'the pack is not valid:\nlessons/01.toml:3:1: item[0].answer: expected a number' }],
      }),
    });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    await vi.waitFor(() => expect(q('[data-testid="preload-problems"]')).not.toBeNull());
    const text = q('[data-testid="preload-problems"]')?.textContent ?? '';
    expect(text).toContain('could not be installed');
    expect(text).toContain('algebra.ladderpack');
    expect(text).toContain('lessons/01.toml:3:1: item[0].answer: expected a number');
    expect(q('[data-pack-id="fractions"]')).not.toBeNull();
  });

  it('says what opening the database could not do, in the UI language with the detail marked', async () => {
    const warning = 'the database file data/ladder.sqlite3 cannot be written: answers will not be saved';
    backend({
      list_courses: () => [fractions],
      app_info: () => ({ version: '0.1.0', data_dir: 'data', packs_dir: 'packs', preload_problems: [], store_warnings: [warning] }),
    });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    await vi.waitFor(() => expect(q('[data-testid="store-warnings"]')).not.toBeNull());
    const box = q('[data-testid="store-warnings"]');
    expect(box?.getAttribute('role')).toBe('alert');
    expect(box?.textContent).toContain('problem with its data folder');
    expect(box?.textContent).toContain(warning);
    expect(q('[data-pack-id="fractions"]')).not.toBeNull();
    useLanguage('es');
    try {
      container.replaceChildren();
      await mountLibrary(container, { learner: { id: 1, name: 'Ana' }, onOpen: vi.fn() });
      await vi.waitFor(() => expect(q('[data-testid="store-warnings"]')).not.toBeNull());
      expect(q('[data-testid="store-warnings"]')?.textContent).toContain(`Detalle (en inglés): ${warning}`);
    } finally {
      useLanguage('en');
    }
  });

  it('shows no preload notice when every preload pack was installed', async () => {
    backend({ list_courses: () => [fractions], app_info: () => ({ version: '0.1.0', data_dir: 'd', packs_dir: 'p', store_warnings: [], preload_problems: [] }) });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    await vi.waitFor(() => expect(mockInvoke).toHaveBeenCalledWith('app_info', expect.anything()));
    expect(q('[data-testid="preload-problems"]')).toBeNull();
  });

  it('does nothing when the file dialog is cancelled', async () => {
    backend({ list_courses: () => [], choose_pack_file: () => null });
    await mountLibrary(container, { learner: { id: 1, name: 'Ada' }, onOpen: vi.fn() });
    expect(q('[data-testid="no-courses"]')).not.toBeNull();
    q<HTMLButtonElement>('[data-testid="import-pack"]')?.click();
    await vi.waitFor(() => expect(q<HTMLButtonElement>('[data-testid="import-pack"]')?.disabled).toBe(false));
    expect(q('[data-testid="import-area"]')?.childElementCount).toBe(0);
    expect(mockInvoke).not.toHaveBeenCalledWith('preview_pack', expect.anything());
  });

  it('shows the validator problems in Spanish when the UI is in Spanish', async () => {
    // The app writes the report in the UI's language; the library shows it as it comes, each
    // line still pointing at its file, line:column and field.
    backend({
      list_courses: () => [fractions],
      choose_pack_folder: () => '/home/ana/fracciones',
      preview_pack: () => {
        throw {
          kind: 'pack',
          message:
            'el paquete no es válido:\n' +
            'lessons/01-half.toml:31:1: item[1].hint: campo desconocido `hint` (¿querías decir `hints`?)\n' +
            'lessons/01-half.toml:24:1: aviso: item[1]: sin pistas: un alumno atascado no recibe ninguna ayuda antes de la solución\n',
        };
      },
      app_info: () => ({
        version: '0.1.0', data_dir: 'data', packs_dir: 'packs',
        store_warnings: [], preload_problems: [{ source: 'algebra', message: 'el paquete no es válido:\nlessons/01.toml:3:1: item[0].answer: se esperaba un número, pero hay una cadena de texto' }],
      }),
    });
    useLanguage('es');
    try {
      await mountLibrary(container, { learner: { id: 1, name: 'Ana' }, onOpen: vi.fn() });
      await vi.waitFor(() => expect(q('[data-testid="preload-problems"]')).not.toBeNull());
      const preload = q('[data-testid="preload-problems"]')?.textContent ?? '';
      expect(preload).toContain('no se pudieron instalar');
      expect(preload).toContain('lessons/01.toml:3:1: item[0].answer: se esperaba un número, pero hay una cadena de texto');
      expect(preload).not.toContain('no es válido');

      q<HTMLButtonElement>('[data-testid="import-pack-folder"]')?.click();
      await vi.waitFor(() => expect(q('[data-testid="import-problems"]')).not.toBeNull());
      expect(q('[data-testid="import-problems"] h2')?.textContent).toBe('Este paquete no se puede instalar');
      const lines = Array.from(container.querySelectorAll('[data-testid="import-problems"] .problem-list li')).map((li) => li.textContent);
      expect(lines).toEqual([
        'lessons/01-half.toml:31:1: item[1].hint: campo desconocido `hint` (¿querías decir `hints`?)',
        'lessons/01-half.toml:24:1: aviso: item[1]: sin pistas: un alumno atascado no recibe ninguna ayuda antes de la solución',
      ]);
      expect(q<HTMLButtonElement>('[data-testid="close-problems"]')?.textContent).toBe('Cerrar');
      expect(q('[data-testid="confirm-install"]')).toBeNull();
    } finally {
      useLanguage('en');
    }
  });

  it('drops the Spanish header of a report as it drops the English one', () => {
    expect(problemLines('el paquete no es válido:\npack.toml:1:1: id: falta un campo obligatorio')).toEqual([
      'pack.toml:1:1: id: falta un campo obligatorio',
    ]);
  });

  it('keeps a one-line message whole', () => {
    expect(problemLines('cannot read /x: no such file')).toEqual(['cannot read /x: no such file']);
  });
});

describe('course map', () => {
  const map: CourseMap = {
    course: { id: 'fractions', version: '1.0.0', title: 'Fractions', description: 'd', skills: 2, lessons: 2, items: 20, languages: ['en'], text_language: 'en' },
    skills: [
      { id: 'meaning', name: 'Meaning', mastery: 0.8, uncertainty: 0.1, mastered: true, locked: false, locked_because: [], attempts: 6 },
      { id: 'line', name: 'Number line', mastery: 0.5, uncertainty: 0.3, mastered: false, locked: true, locked_because: ['Meaning'], attempts: 0 },
    ],
    lessons: [
      { id: 'meaning', title: 'What is a fraction?', status: 'mastered', skills: ['meaning'], items: 10, fixed_order: false, locked_because: [], intro_html: null },
      { id: 'line', title: 'On the line', status: 'locked', skills: ['line'], items: 10, fixed_order: false, locked_because: ['Meaning'], intro_html: null },
      {
        id: 'add', title: 'Adding', status: 'available', skills: ['line'], items: 4, fixed_order: false, locked_because: [],
        intro_html: '<p>Add <strong>tops</strong>: <span class="math">\\frac{1}{4}+\\frac{2}{4}</span></p>',
      },
    ],
    unlock_at: 0.8,
  };

  it('shows mastery with its interval, locks with reasons, and starts practice', async () => {
    backend({ course_map: () => map });
    const onPractice = vi.fn();
    await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: map.course, onPractice, onBack: vi.fn() });
    const meaning = q('[data-skill-id="meaning"]');
    expect(meaning?.getAttribute('data-state')).toBe('mastered');
    const meter = meaning?.querySelector('[role="meter"]');
    expect(meter?.getAttribute('aria-valuenow')).toBe('80');
    expect(meter?.getAttribute('aria-valuetext')).toBe('80%, likely between 70% and 90%');
    // A meter must have a name (ARIA): a screen reader moving by control heard "meter, 80%"
    // without the skill it measures.
    expect(meter?.getAttribute('aria-label')).toBe('Mastery of Meaning');
    const line = q('[data-skill-id="line"]');
    expect(line?.getAttribute('data-state')).toBe('locked');
    // Meaning reads mastered at 80% while Number line stays locked: the lock says the level a
    // prerequisite needs (the engine's `unlock_at`), which can be above the mastery line.
    expect(line?.textContent).toContain('Locked: needs Meaning at 80%');
    expect(q('[data-lesson-id="line"]')?.textContent).toContain('needs Meaning at 80%');
    expect(q('[data-testid="map-summary"]')?.textContent).toContain('1 of 2 skills mastered');
    const lockedLesson = q('[data-lesson-id="line"] button');
    expect(lockedLesson?.hasAttribute('disabled')).toBe(true);
    q<HTMLButtonElement>('[data-lesson-id="meaning"] button')?.click();
    expect(onPractice).toHaveBeenLastCalledWith('meaning');
    q<HTMLButtonElement>('[data-testid="practise-course"]')?.click();
    expect(onPractice).toHaveBeenLastCalledWith(null);
    // A lesson's introduction: shown open while the lesson is not begun, its maths typeset;
    // lessons without one show none.
    const intro = q<HTMLDetailsElement>('[data-lesson-id="add"] [data-testid="lesson-intro"]');
    expect(intro?.open).toBe(true);
    expect(intro?.querySelector('summary')?.textContent).toBe('Introduction');
    // Every lesson's "Introduction" read the same from the keyboard: its name says the lesson.
    expect(intro?.querySelector('summary')?.getAttribute('aria-label')).toBe('Introduction: Adding');
    expect(intro?.querySelector('strong')?.textContent).toBe('tops');
    expect(intro?.querySelector('.math')).not.toBeNull();
    expect(q('[data-lesson-id="meaning"] [data-testid="lesson-intro"]')).toBeNull();
  });

  it("marks a course's text with the language of its text, not when a pack in several names none", async () => {
    // A Spanish course under the English UI: a screen reader said its words with English sounds.
    const spanish: CourseMap = { ...map, course: { ...map.course, id: 'es-only', languages: ['es'], text_language: 'es' } };
    backend({ course_map: () => spanish });
    await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: spanish.course, onPractice: vi.fn(), onBack: vi.fn() });
    expect(q('#map-title')?.getAttribute('lang')).toBe('es');
    expect(q('[data-skill-id="meaning"] .skill-name')?.getAttribute('lang')).toBe('es');
    expect(q('[data-lesson-id="meaning"] .lesson-title')?.getAttribute('lang')).toBe('es');
    expect(q('[data-lesson-id="add"] [data-testid="lesson-intro"] .rich')?.getAttribute('lang')).toBe('es');
    // The UI's own words stay in the UI's language.
    expect(q('[data-testid="practise-course"]')?.hasAttribute('lang')).toBe(false);
    // In two languages, naming none: the pack marks its words itself; nothing is set for the whole.
    const both: CourseMap = { ...map, course: { ...map.course, id: 'es-only', languages: ['es', 'en'], text_language: null } };
    backend({ course_map: () => both });
    await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: both.course, onPractice: vi.fn(), onBack: vi.fn() });
    expect(q('#map-title')?.hasAttribute('lang')).toBe(false);
    expect(q('[data-skill-id="meaning"] .skill-name')?.hasAttribute('lang')).toBe(false);
  });

  it('marks the English text of a Spanish course explained in English as English under the Spanish UI', async () => {
    // Spanish A1 (`languages = ["es", "en"]`, `text_language = "en"`): its lesson titles and
    // skill names cannot carry a `<span lang>`, and under the Spanish UI a screen reader said
    // them with Spanish sounds. They are marked with the language of the pack's text; its
    // Spanish words keep their own marks inside.
    const course = { ...map.course, id: 'spanish-a1', title: 'Spanish A1 for English speakers', languages: ['es', 'en'], text_language: 'en' };
    const lessons = map.lessons.map((l) => (l.id === 'add' ? { ...l, intro_html: '<p>Say <span lang="es">hola</span> to greet.</p>' } : l));
    const spanishA1: CourseMap = { ...map, course, lessons };
    backend({ course_map: () => spanishA1 });
    useLanguage('es');
    try {
      await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course, onPractice: vi.fn(), onBack: vi.fn() });
      expect(q('#map-title')?.getAttribute('lang')).toBe('en');
      expect(q('#map-title')?.textContent).toBe('Spanish A1 for English speakers');
      expect(q('.lead')?.getAttribute('lang')).toBe('en');
      expect(q('[data-skill-id="meaning"] .skill-name')?.getAttribute('lang')).toBe('en');
      expect(q('[data-lesson-id="meaning"] .lesson-title')?.getAttribute('lang')).toBe('en');
      const intro = q('[data-lesson-id="add"] [data-testid="lesson-intro"] .rich');
      expect(intro?.getAttribute('lang')).toBe('en');
      expect(intro?.querySelector('span[lang="es"]')?.textContent).toBe('hola');
      // The UI's own words stay in the UI's language (the page's, Spanish).
      expect(q('[data-testid="practise-course"]')?.hasAttribute('lang')).toBe(false);
    } finally {
      useLanguage('en');
    }
  });

  it('does not round a skill just under the level a lock asks up to that level', async () => {
    // 0.7996 read "80%" beside "Locked: needs Meaning at 80%": the learner was told the level
    // was reached and the lesson stayed shut.
    const under: CourseMap = { ...map, skills: [{ ...map.skills[0]!, mastery: 0.7996, mastered: true }, map.skills[1]!] };
    backend({ course_map: () => under });
    await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: map.course, onPractice: vi.fn(), onBack: vi.fn() });
    const meaning = q('[data-skill-id="meaning"]');
    expect(meaning?.querySelector('[data-testid="skill-status"]')?.textContent).toMatch(/^79% ± 10/);
    expect(meaning?.querySelector('[role="meter"]')?.getAttribute('aria-valuenow')).toBe('79');
    expect(q('[data-skill-id="line"]')?.textContent).toContain('Locked: needs Meaning at 80%');
  });

  it('says why a skill the model rates high is not mastered yet: the latest answers', async () => {
    // The model is confident; two of the learner's last five answers were right, where four
    // count it mastered. No tick, and the line says what it takes.
    const doubtful: CourseMap = {
      ...map,
      skills: [
        { ...map.skills[0]!, mastery: 0.88, uncertainty: 0.06, mastered: false, attempts: 12, unconfirmed: { answers: 5, right: 2, needed: 4 } },
        map.skills[1]!,
      ],
    };
    backend({ course_map: () => doubtful });
    await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: map.course, onPractice: vi.fn(), onBack: vi.fn() });
    const meaning = q('[data-skill-id="meaning"]');
    expect(meaning?.getAttribute('data-state')).toBe('learning');
    expect(meaning?.querySelector('.node-dot')?.textContent).toBe('');
    expect(meaning?.querySelector('[data-testid="skill-status"]')?.textContent).toBe(
      '88% ± 6% · 12 answers so far · not yet mastered: 2 of your last 5 answers right, 4 needed',
    );
    useLanguage('es');
    try {
      await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: map.course, onPractice: vi.fn(), onBack: vi.fn() });
      expect(q('[data-skill-id="meaning"] [data-testid="skill-status"]')?.textContent).toBe(
        '88% ± 6% · 12 respuestas hasta ahora · aún no dominada: 2 de tus últimas 5 respuestas correctas, hacen falta 4',
      );
    } finally {
      useLanguage('en');
    }
  });

  it('counts a lesson of one item, and a course of one skill, in the singular', async () => {
    const one: CourseMap = { ...map, skills: [map.skills[0]!], lessons: [{ ...map.lessons[2]!, items: 1 }, map.lessons[0]!] };
    backend({ course_map: () => one });
    await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: map.course, onPractice: vi.fn(), onBack: vi.fn() });
    const line = (id: string) => q(`[data-lesson-id="${id}"] .small`)?.textContent;
    expect(line('add')).toBe('Not started · 1 item');
    expect(line('meaning')).toBe('Mastered · 10 items');
    expect(q('[data-testid="map-summary"]')?.textContent).toMatch(/^1 of 1 skill mastered\./);
    useLanguage('es');
    try {
      await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: map.course, onPractice: vi.fn(), onBack: vi.fn() });
      expect(line('add')).toBe('Sin empezar · 1 ejercicio');
      expect(q('[data-testid="map-summary"]')?.textContent).toMatch(/^1 de 1 habilidad dominada\./);
    } finally {
      useLanguage('en');
    }
  });

  it('offers no practice of a lesson without items', async () => {
    const empty: CourseMap = { ...map, lessons: [{ ...map.lessons[2]!, items: 0 }, map.lessons[0]!] };
    backend({ course_map: () => empty });
    await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: map.course, onPractice: vi.fn(), onBack: vi.fn() });
    expect(q('[data-lesson-id="add"] button')?.hasAttribute('disabled')).toBe(true);
    expect(q('[data-lesson-id="meaning"] button')?.hasAttribute('disabled')).toBe(false);
  });

  it('shows the engine error when the map cannot be built', async () => {
    backend({
      course_map: () => {
        throw { kind: 'not_found', message: 'no course with id fractions' };
      },
    });
    await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: map.course, onPractice: vi.fn(), onBack: vi.fn() });
    expect(q('[data-testid="map-error"]')?.textContent).toBe('no course with id fractions');
  });

  it('says an engine error in Spanish under the Spanish UI, the English detail after it', async () => {
    backend({
      course_map: () => {
        throw { kind: 'not_found', message: 'no course with id fractions' };
      },
    });
    useLanguage('es');
    try {
      await mountCourseMap(container, { learner: { id: 1, name: 'Ada' }, course: map.course, onPractice: vi.fn(), onBack: vi.fn() });
      expect(q('[data-testid="map-error"]')?.textContent).toBe(
        'Esto ya no está en este equipo (quizá se quitó el curso o el alumno): vuelve atrás y elige de nuevo. Detalle (en inglés): no course with id fractions',
      );
    } finally {
      useLanguage('en');
    }
  });
});
