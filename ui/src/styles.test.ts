// The stylesheets' text sizes. A reader's larger text (200%: the root font size doubled, as the
// end-to-end tests set it) scales only sizes given in rem or em: a size in pixels stays small.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const sheet = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');
const SHEETS = ['styles.css', 'admin.css'];

describe('stylesheets', () => {
  it('give every text size in rem or em, so that 200% text scales all of it', () => {
    for (const name of SHEETS) {
      const inPixels = sheet(name)
        .split('\n')
        .filter((line) => /font(-size)?\s*:[^;]*\d+px/.test(line));
      expect(inPixels, name).toEqual([]);
    }
  });

  it("size the round boxes holding a letter in em, so that at 200% text the letter stays inside", () => {
    // The learner's initial in the picker and the top bar: 36 and 28 pixels around a letter of
    // 1rem and 0.85rem, so at 200% text the letter hung out of its circle.
    const css = sheet('styles.css');
    for (const rule of [/\n\.avatar \{[^}]*\}/, /\n\.avatar\.small \{[^}]*\}/, /\n\.node-dot \{[^}]*\}/]) {
      const block = css.match(rule)?.[0] ?? '';
      expect(block, String(rule)).toMatch(/width: [\d.]+em/);
      expect(block, String(rule)).toMatch(/height: [\d.]+em/);
    }
  });

  it('let a field and its button wrap onto two lines before the field shrinks away', () => {
    // At 200% text in Spanish the learner picker's name field showed "Nombre o" of its
    // placeholder beside "Añadir alumno", and "Desbloquear" stuck out of the PIN lock's card.
    const css = sheet('styles.css');
    expect(css.match(/\n\.inline \{[^}]*\}/)?.[0] ?? '').toMatch(/flex-wrap: wrap/);
    expect(css.match(/\n\.inline > input \{[^}]*\}/)?.[0] ?? '').toMatch(/min-width: min\([\d.]+em, 100%\)/);
  });

  it("style the PIN lock's field as the settings' fields, so its text grows at 200% too", () => {
    // The lock is not inside `.admin`: its field kept the browser's 13-pixel text and 1-pixel
    // padding, and on a line of its own it was a 21-pixel sliver.
    const rule = sheet('admin.css').match(/\n([^{}\n]*\.admin-lock input\[type='password'\][^{}\n]*) \{[^}]*\}/)?.[0] ?? '';
    expect(rule).toMatch(/font: inherit/);
    expect(rule).toMatch(/padding: /);
  });

  it("draw the course list's group headings as the learner list's, below the panel's heading", () => {
    expect(sheet('admin.css')).toMatch(/\.tutor-learners h3, \.tutor-courses h3 \{[^}]*font-size: [\d.]+rem/);
  });
});
