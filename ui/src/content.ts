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

/** The URL of a pack media file (`media/pie.svg`) as the webview fetches it. */
export function mediaUrl(pack: string, path: string, userAgent = navigator.userAgent): string {
  const encoded = encodeURIComponent(`${pack}/${path}`);
  // WebView2 (Windows) serves custom schemes as http://<scheme>.localhost.
  return /Windows/.test(userAgent)
    ? `http://ladder-media.localhost/${encoded}`
    : `ladder-media://localhost/${encoded}`;
}

/** A pack-relative path, as the sanitiser keeps it: no scheme, not absolute, no `..`. */
function isPackPath(src: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(src) && !src.split('/').includes('..');
}

/** Typesets every `.math` span of `root` (display math for `.math-display`). A formula KaTeX
 * cannot parse stays as its TeX source, marked with `math-error`. */
export function renderMath(root: ParentNode): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('span.math'))) {
    const tex = el.textContent ?? '';
    const display = el.classList.contains('math-display');
    try {
      // Inline math in display style: fractions at full size, readable for young learners.
      katex.render(display ? tex : `\\displaystyle ${tex}`, el, {
        displayMode: display,
        throwOnError: true,
        output: 'htmlAndMathml',
        trust: false,
        maxExpand: 200,
      });
    } catch {
      el.textContent = tex;
      el.classList.add('math-error');
    }
  }
}

/** Fills `el` with sanitised item HTML of `pack`: images resolved, math typeset. */
export function setPackHtml(el: HTMLElement, html: string, pack: string): void {
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
  renderMath(fragment);
  el.replaceChildren(fragment);
}

/** An element holding pack HTML. */
export function packHtml<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  html: string,
  pack: string,
  className = 'rich',
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  setPackHtml(el, html, pack);
  return el;
}
