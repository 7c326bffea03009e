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

  it("draw the course list's group headings as the learner list's, below the panel's heading", () => {
    expect(sheet('admin.css')).toMatch(/\.tutor-learners h3, \.tutor-courses h3 \{[^}]*font-size: [\d.]+rem/);
  });
});
