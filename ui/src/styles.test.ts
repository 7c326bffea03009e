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

  it("draw the course list's group headings as the learner list's, below the panel's heading", () => {
    expect(sheet('admin.css')).toMatch(/\.tutor-learners h3, \.tutor-courses h3 \{[^}]*font-size: [\d.]+rem/);
  });
});
