// The one audited place where teacher content (pack Markdown) reaches the page.
//
// The HTML comes from Rust already rendered and sanitised (ladder-pack's allow-list: no script,
// no event handler, no link, no remote URL). Here it is parsed into an inert <template> and
// moved into the page; then pack-relative images are pointed at the `ladder-media:` scheme
// (which the CSP's img-src allows) and `<span class="math">` TeX is typeset with KaTeX, bundled
// locally. KaTeX builds DOM nodes itself (no HTML strings), so its styles are set through the
// CSSOM, which the CSP's `style-src 'self'` allows.

import katex from 'katex';
import 'katex/dist/katex.min.css';
import { packLanguage } from './packLanguage';

/** The URL of a pack media file (`media/pie.svg`) as the webview fetches it. */
export function mediaUrl(pack: string, path: string, userAgent = navigator.userAgent): string {
  const encoded = encodeURIComponent(`${pack}/${path}`);
  // WebView2 (Windows) serves custom schemes as http://<scheme>.localhost.
  return /Windows/.test(userAgent)
    ? `http://ladder-media.localhost/${encoded}`
    : `ladder-media://localhost/${encoded}`;
}

/** A pack-relative path, as the sanitiser keeps it (the file's name as the pack lists it, which
 * may hold a space, an accented letter, `&` or `(`): no scheme, not absolute, no `.` or `..`
 * part, no backslash or control character. `mediaUrl` encodes it. */
export function isPackPath(src: string): boolean {
  const parts = src.split('/');
  return (
    src.length > 0 &&
    !src.startsWith('/') &&
    !/[:\\\u0000-\u001f\u007f]/.test(src) &&
    !parts.includes('..') &&
    !parts.includes('.') &&
    !parts.includes('')
  );
}

/** The class KaTeX gives the place of cloze blank `n` written inside maths. */
export const blankClass = (n: number) => `ladder-blank-${n}`;

/** Only the blank placeholders that `renderMath` itself writes are trusted (`\\htmlClass` with a
 * `ladder-blank-N` class); every other HTML extension in pack TeX stays refused. */
function trustBlanks(context: { command: string; class?: string }): boolean {
  return context.command === '\\htmlClass' && /^ladder-blank-\d+$/.test(context.class ?? '');
}

/** Typesets every `.math` span of `root` (display math for `.math-display`). A formula KaTeX
 * cannot parse stays as its TeX source, marked with `math-error`. With `blanks`, a cloze blank
 * `{{N}}` inside maths becomes an empty placeholder of class `ladder-blank-N` (KaTeX would
 * otherwise read it as a TeX group and print N), where the cloze widget puts its box. */
/** About how many em each TeX unit KaTeX reads is (a generous, not exact, table). */
const EM_PER_UNIT: Record<string, number> = {
  em: 1, ex: 0.45, mu: 1 / 18, pt: 0.1, bp: 0.1, px: 0.1, pc: 1.2, dd: 0.11, cc: 1.3, nd: 0.11, nc: 1.3,
  mm: 0.3, cm: 2.9, in: 7.3, sp: 0.000002,
};

/** The most any size written in pack TeX may be, in em, either way: KaTeX's `maxSize` caps only
 * positive sizes, and a negative one (`\\kern-1000em`, `\\raisebox{-1000em}{x}`) would push the
 * answer controls off the page or lay a formula over them. */
const MAX_TEX_EM = 10;

/** Whether `tex` writes a size larger than [`MAX_TEX_EM`] either way. */
export function texTooLarge(tex: string): boolean {
  for (const m of tex.matchAll(/(\d*\.?\d+)\s*(em|ex|mu|pt|bp|px|pc|dd|cc|nd|nc|mm|cm|in|sp)(?![a-z])/gi)) {
    const em = Number(m[1]) * (EM_PER_UNIT[m[2]!.toLowerCase()] ?? 1);
    if (em > MAX_TEX_EM) return true;
  }
  return false;
}

/** TeX commands written as one symbol in the linear text (`\times` → ×). */
const TEX_SYMBOLS: Record<string, string> = {
  times: ' × ', div: ' ÷ ', cdot: ' · ', pm: ' ± ', mp: ' ∓ ', le: ' ≤ ', leq: ' ≤ ', ge: ' ≥ ',
  geq: ' ≥ ', ne: ' ≠ ', neq: ' ≠ ', approx: ' ≈ ', lt: ' < ', gt: ' > ', equiv: ' ≡ ', to: ' → ',
  rightarrow: ' → ', Rightarrow: ' ⇒ ', infty: '∞', pi: 'π', degree: '°', circ: '∘', cdots: '…',
  ldots: '…', dots: '…', '%': '%', $: '$', '&': '&', '#': '#', _: '_', '{': '{', '}': '}',
  ',': ' ', ';': ' ', ':': ' ', '!': '', ' ': ' ', quad: ' ', qquad: ' ', '\\': ' ',
};
/** Commands that only change the look: their argument (or nothing) is read. */
const TEX_STYLE = new Set(['text', 'textbf', 'textit', 'textrm', 'mathrm', 'mathbf', 'mathit', 'mathsf', 'boldsymbol', 'operatorname', 'mbox']);
const TEX_SILENT = new Set(['displaystyle', 'textstyle', 'scriptstyle', 'left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'limits', 'nolimits']);
const SUPERSCRIPT: Record<string, string> = {
  0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹', '+': '⁺', '-': '⁻',
};

/** A linear text of a TeX formula, as a label or a description reads it when it flattens the
 * formula to a string (a choice's radio, an item's question describing its answer box):
 * `\frac{1}{5}` is "1/5", `x^2` "x²", `\sqrt{x+1}` "√(x+1)". KaTeX's MathML alone gave
 * "1 5", which cannot be told from 15 or 5/1. Commands it does not know are read by name. */
export function texToText(tex: string): string {
  let i = 0;
  const spaces = () => {
    while (i < tex.length && /\s/.test(tex[i]!)) i++;
  };
  const command = (): string => {
    i++; // the backslash
    const m = /^[a-zA-Z]+/.exec(tex.slice(i));
    const name = m ? m[0] : (tex[i] ?? '');
    i += name.length;
    return name;
  };
  // One argument: a {group} or a single token.
  const argument = (): string => {
    spaces();
    if (tex[i] === '{') {
      i++;
      const text = sequence('}');
      i++;
      return text;
    }
    return token();
  };
  // A part that reads as one unit in a fraction or a power: a number or one letter.
  const unit = (text: string) => {
    const t = text.trim().replace(/\s+/g, ' ');
    return /^(\d+([.,]\d+)?|\p{L})$/u.test(t) ? t : `(${t})`;
  };
  const token = (): string => {
    const c = tex[i];
    if (c === undefined) return '';
    if (c === '{') return argument();
    if (c === '^') {
      i++;
      spaces();
      if (tex.startsWith('\\circ', i)) {
        i += 5;
        return '°';
      }
      const sup = argument().trim();
      return [...sup].every((ch) => SUPERSCRIPT[ch]) ? [...sup].map((ch) => SUPERSCRIPT[ch]).join('') : `^${unit(sup)}`;
    }
    if (c === '_') {
      i++;
      return `_${unit(argument())}`;
    }
    if (c !== '\\') {
      i++;
      return c;
    }
    const name = command();
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
      const top = argument();
      const bottom = argument();
      return ` ${unit(top)}/${unit(bottom)} `;
    }
    if (name === 'sqrt') {
      spaces();
      let index = '';
      if (tex[i] === '[') {
        const end = tex.indexOf(']', i);
        index = end < 0 ? '' : texToText(tex.slice(i + 1, end));
        i = end < 0 ? tex.length : end + 1;
      }
      const root = index === '3' ? '∛' : index === '4' ? '∜' : index ? `${index}√` : '√';
      return `${root}${unit(argument())}`;
    }
    if (TEX_STYLE.has(name)) return argument();
    if (TEX_SILENT.has(name)) {
      spaces();
      // `\left.` writes no delimiter.
      if ((name === 'left' || name === 'right') && tex[i] === '.') i++;
      return '';
    }
    return TEX_SYMBOLS[name] ?? ` ${name} `;
  };
  const sequence = (end?: string): string => {
    let out = '';
    while (i < tex.length && tex[i] !== end) out += token();
    return out;
  };
  return sequence()
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .trim();
}

export function renderMath(root: ParentNode, blanks = false): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('span.math'))) {
    const source = el.textContent ?? '';
    let tex = source;
    if (blanks) {
      tex = tex.replace(/\{\{(\d+)\}\}/g, (_, n: string) => `\\htmlClass{${blankClass(Number(n))}}{\\phantom{0000}}`);
    }
    const display = el.classList.contains('math-display');
    try {
      if (texTooLarge(tex)) throw new Error('a size beyond the cap');
      // Inline math in display style: fractions at full size, readable for young learners.
      katex.render(display ? tex : `\\displaystyle ${tex}`, el, {
        displayMode: display,
        throwOnError: true,
        output: 'htmlAndMathml',
        trust: trustBlanks,
        strict: (code: string) => (code === 'htmlExtension' ? 'ignore' : 'warn'),
        maxExpand: 200,
        // A size the pack's TeX gives (`\\rule{1e5em}{1e5em}`) is capped, so that a formula cannot
        // cover the screen.
        maxSize: MAX_TEX_EM,
      });
      // Named with its linear text where the formula is read as flat text (a choice's label, a
      // question describing its answer box). Not for a formula holding cloze blanks: its boxes
      // are read one by one, each with its own name.
      if (tex === source) el.querySelector('math')?.setAttribute('aria-label', texToText(source));
    } catch {
      el.textContent = tex;
      el.classList.add('math-error');
    }
  }
}

/** Fills `el` with sanitised item HTML of `pack`: images resolved, math typeset (with `blanks`,
 * cloze blanks inside maths kept as placeholders: see `renderMath`). */
export function setPackHtml(el: HTMLElement, html: string, pack: string, blanks = false): void {
  const template = document.createElement('template');
  // Audited: `html` is the engine's sanitised rendering of pack Markdown (see above).
  template.innerHTML = html;
  const fragment = template.content;
  for (const img of Array.from(fragment.querySelectorAll('img'))) {
    const src = img.getAttribute('src') ?? '';
    if (isPackPath(src)) {
      img.setAttribute('src', mediaUrl(pack, src));
    } else {
      img.removeAttribute('src');
    }
    img.setAttribute('loading', 'lazy');
    if (!img.hasAttribute('alt')) img.setAttribute('alt', '');
  }
  renderMath(fragment, blanks);
  el.replaceChildren(fragment);
  const lang = packLanguage(pack);
  if (lang) el.lang = lang;
  else el.removeAttribute('lang');
}

/** An element holding pack HTML. */
export function packHtml<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  html: string,
  pack: string,
  className = 'rich',
  blanks = false,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  setPackHtml(el, html, pack, blanks);
  return el;
}
