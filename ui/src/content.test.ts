import { describe, expect, it, vi } from 'vitest';

import { mediaUrl, setPackHtml, texToText } from './content';

// The app's index.html has a doctype (standards mode); happy-dom's test document does not, and
// KaTeX, which checks when it loads, refuses to render in quirks mode. Hoisted above the imports.
vi.hoisted(() => {
  Object.defineProperty(document, 'compatMode', { value: 'CSS1Compat', configurable: true });
});

describe('pack content', () => {
  it('points pack images at the ladder-media scheme', () => {
    expect(mediaUrl('fractions', 'media/pie 3.svg', 'X11; Linux')).toBe('ladder-media://localhost/fractions%2Fmedia%2Fpie%203.svg');
    expect(mediaUrl('fractions', 'media/a.svg', 'Windows NT 10.0')).toBe('http://ladder-media.localhost/fractions%2Fmedia%2Fa.svg');
    const el = document.createElement('div');
    setPackHtml(el, '<p><img src="media/pie.svg" alt="a pie"></p>', 'fractions');
    const img = el.querySelector('img');
    expect(img?.getAttribute('src')).toMatch(/^(ladder-media:\/\/localhost|http:\/\/ladder-media\.localhost)\/fractions%2Fmedia%2Fpie\.svg$/);
    expect(img?.getAttribute('alt')).toBe('a pie');
  });

  it('shows pictures whose file names hold a space, an accent, & or brackets', () => {
    for (const [src, encoded] of [
      ['media/bar 1-2.svg', 'media%2Fbar%201-2.svg'],
      ['media/café.svg', 'media%2Fcaf%C3%A9.svg'],
      ['media/a&amp;b.svg', 'media%2Fa%26b.svg'],
      ['media/a(1).svg', 'media%2Fa(1).svg'],
    ]) {
      const el = document.createElement('div');
      setPackHtml(el, `<img src="${src}">`, 'p');
      expect(el.querySelector('img')?.getAttribute('src')).toBe(`ladder-media://localhost/p%2F${encoded}`);
    }
  });

  it('shows as text a formula that asks for a size beyond the cap either way', () => {
    for (const tex of ['\\rule[-1000em]{1em}{1em}', '\\raisebox{-1000em}{x}', 'a\\kern-1000em b', '\\hspace{-11em}', '\\kern 200pt', '\\rule{2in}{1cm}', '\\rule{1000em}{1000em}']) {
      const el = document.createElement('div');
      setPackHtml(el, `<p><span class="math">${tex}</span></p>`, 'p');
      const span = el.querySelector('span.math');
      expect(span?.classList.contains('math-error'), tex).toBe(true);
      expect(span?.textContent).toBe(tex);
    }
    // Ordinary sizes still typeset.
    for (const tex of ['a\\kern-0.5em b', '\\hspace{2em}x', '\\rule{1em}{0.4pt}', 'x_{12}', '3.5 \\times 2']) {
      const el = document.createElement('div');
      setPackHtml(el, `<p><span class="math">${tex}</span></p>`, 'p');
      expect(el.querySelector('span.math')?.classList.contains('math-error'), tex).toBe(false);
    }
  });

  it('drops image sources that are not plain pack paths', () => {
    for (const src of ['https://evil.example/x.png', '../secret.png', '/etc/x.png', 'data:image/png;base64,AA', 'media/../x.svg', 'media\\x.svg', 'media//x.svg', './x.svg', 'javascript:alert(1)', 'media/a%0a.svg'.replace('%0a', '\n')]) {
      const el = document.createElement('div');
      setPackHtml(el, `<img src="${src}">`, 'p');
      expect(el.querySelector('img')?.hasAttribute('src')).toBe(false);
    }
  });

  it('typesets math with KaTeX and leaves bad TeX readable', () => {
    const el = document.createElement('div');
    setPackHtml(el, '<p>Half is <span class="math">\\frac{1}{2}</span> and <span class="math">\\frac{</span>.</p>', 'p');
    const [good, bad] = Array.from(el.querySelectorAll('span.math'));
    expect(good?.querySelector('.katex')).not.toBeNull();
    expect(good?.querySelector('.katex-mathml')).not.toBeNull();
    expect(bad?.classList.contains('math-error')).toBe(true);
    expect(bad?.textContent).toBe('\\frac{');
  });

  it('keeps text as text', () => {
    const el = document.createElement('div');
    setPackHtml(el, '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>', 'p');
    expect(el.querySelector('script')).toBeNull();
    expect(el.textContent).toBe('<script>alert(1)</script>');
  });

  it('names each formula with a linear text, which a label or a description reads', () => {
    // A choice written only in maths ($\frac{1}{5}$) got the accessible name "1 5" from its
    // MathML (WebKit's computed label), which cannot be told from 15, 5 1 or 1/5, and axe-core
    // found no name at all; a radio's name, and a description, are flat text.
    const el = document.createElement('div');
    setPackHtml(el, '<p><span class="math">\\frac{1}{5}</span> or <span class="math">\\frac{x+1}{2} \\times 3</span></p>', 'p');
    const names = Array.from(el.querySelectorAll('math')).map((m) => m.getAttribute('aria-label'));
    expect(names).toEqual(['1/5', '(x+1)/2 × 3']);
  });

  it('writes TeX as linear text', () => {
    const cases: [string, string][] = [
      ['\\frac{1}{5}', '1/5'],
      ['\\displaystyle \\dfrac{3}{4}', '3/4'],
      ['\\frac{x+1}{2y}', '(x+1)/(2y)'],
      ['2\\frac{1}{3}', '2 1/3'],
      ['\\frac{1}{2} + \\frac{1}{3} = \\frac{5}{6}', '1/2 + 1/3 = 5/6'],
      ['3 \\times 4 \\div 2', '3 × 4 ÷ 2'],
      ['x^2 + y^{10}', 'x² + y¹⁰'],
      ['x^{n+1}', 'x^(n+1)'],
      ['a_1', 'a_1'],
      ['\\sqrt{16} \\le 5', '√16 ≤ 5'],
      ['\\sqrt{x+1}', '√(x+1)'],
      ['\\text{5 cm} \\cdot 2', '5 cm · 2'],
      ['\\left( \\frac{1}{2} \\right)', '(1/2)'],
      ['90^\\circ', '90°'],
      ['50\\%', '50%'],
      ['\\pi r^2', 'π r²'],
      ['\\frac12', '1/2'],
      ['\\alpha', 'alpha'],
    ];
    for (const [tex, text] of cases) expect(texToText(tex), tex).toBe(text);
  });
});
