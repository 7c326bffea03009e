// One answer widget per item kind. A widget only collects what the learner entered and turns it
// into the engine's `Answer`; whether it is right is decided in Rust. Every widget works with the
// keyboard alone: radios and checkboxes natively, text boxes natively, and the ordering list with
// its move buttons or Alt+Arrow keys on a focused entry (it also accepts drag and drop).

import type { Answer, ItemView } from '../api';
import { blankClass, packHtml } from '../content';
import { t } from '../learn-strings';
import { h } from '../dom';

export interface AnswerWidget {
  readonly element: HTMLElement;
  /** The learner's answer, or `null` when nothing has been entered yet. */
  value(): Answer | null;
  /** Moves focus to the first control (`preventScroll` keeps the page where it is). */
  focus(options?: FocusOptions): void;
  setDisabled(disabled: boolean): void;
  /** Cloze: marks each blank right or wrong (from the engine's per-blank results). */
  markBlanks?(results: boolean[]): void;
  /** Cloze: some blanks are filled and some are still empty. */
  incomplete?(): boolean;
}

/** Every box an answer is typed into: no spelling check (a red underline would tell the learner
 * a word is wrong before "Check"), no autocorrection or capitals added by the system (they would
 * change the answer), no suggestions from earlier answers. */
const TYPED = { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off', autocorrect: 'off' } as const;

/** The language a box's answer is typed in, as HTML `lang`: the engine's
 * `ItemView.answer_language` (the item's, else the pack's, else the language of the pack's text),
 * so that a screen reader says back the learner's Spanish with Spanish sounds in a Spanish course
 * explained in English, and the keyboard and input method can follow it. None when the engine
 * gives none (the box then takes the language around it). */
const answerLang = (item: Pick<ItemView, 'answer_language'>) => ({ lang: item.answer_language ?? undefined });

let uid = 0;
const nextId = (prefix: string) => `${prefix}-${++uid}`;

/** Multiple choice: radios for one answer, checkboxes when several are right ("select all"). */
export function choiceWidget(item: ItemView, pack: string): AnswerWidget {
  const name = nextId('choice');
  const type = item.select_all ? 'checkbox' : 'radio';
  const inputs: HTMLInputElement[] = [];
  const options = item.choices.map((choice, i) => {
    const id = `${name}-${i}`;
    const input = h('input', {
      attrs: { type, id, name, value: String(choice.position), 'data-position': String(choice.position) },
    });
    inputs.push(input);
    return h(
      'label',
      { class: 'option', attrs: { for: id, 'data-testid': 'choice-option' } },
      input,
      packHtml('span', choice.html, pack, 'rich option-text'),
    );
  });
  const element = h(
    'fieldset',
    { class: 'choices', attrs: { 'data-testid': 'answer-choice' } },
    h('legend', { class: 'sr-only', attrs: { id: `${name}-legend` } }, item.select_all ? t('input.chooseAll') : t('input.chooseOne')),
    item.select_all ? h('p', { class: 'muted small' }, t('input.selectAll')) : null,
    ...options,
  );
  return {
    element,
    value() {
      const picked = inputs.filter((i) => i.checked).map((i) => Number(i.value));
      return picked.length === 0 ? null : { kind: 'choice', value: picked.sort((a, b) => a - b) };
    },
    // The option chosen, as Tab into the group goes there: on the first one, an arrow key or
    // Space would change the learner's choice.
    focus: (options) => (inputs.find((i) => i.checked) ?? inputs[0])?.focus(options),
    setDisabled(disabled) {
      for (const i of inputs) i.disabled = disabled;
    },
  };
}

/** A number (or fraction) typed into one box, with the unit after it. */
export function numericWidget(item: ItemView): AnswerWidget {
  // The unit, shown after the box, describes it too: a screen reader would otherwise say only
  // "Your answer" and leave the learner to guess whether "square metres" is wanted.
  const unit = item.unit ? h('span', { class: 'unit', attrs: { id: nextId('unit') } }, item.unit) : null;
  // The full keyboard on a touch screen: its decimal keypad (`inputmode=decimal`) has no `/`, no
  // space and sometimes no minus, so `3/4`, `1 1/2` or `-2` could not be typed.
  const input = h('input', {
    class: 'answer-box',
    attrs: {
      type: 'text',
      ...TYPED,
      // The engine gives a number no language (it is typed alike in every one): the box keeps
      // the UI's. Set all the same when given, so that the screen holds no rule of its own.
      ...answerLang(item),
      'aria-label': t('input.yourAnswer'),
      'aria-describedby': unit?.id,
      'data-testid': 'answer-input',
    },
  });
  const element = h('div', { class: 'typed-answer' }, input, unit);
  return textLike(element, input);
}

/** A short text answer, in the language the item's answers are typed in. */
export function textWidget(item: Pick<ItemView, 'answer_language'>): AnswerWidget {
  const input = h('input', {
    class: 'answer-box wide',
    attrs: {
      type: 'text',
      ...TYPED,
      ...answerLang(item),
      'aria-label': t('input.yourAnswer'),
      'data-testid': 'answer-input',
    },
  });
  return textLike(h('div', { class: 'typed-answer' }, input), input);
}

function textLike(element: HTMLElement, input: HTMLInputElement): AnswerWidget {
  return {
    element,
    value() {
      const text = input.value.trim();
      return text === '' ? null : { kind: 'text', value: text };
    },
    focus: (options) => input.focus(options),
    setDisabled(disabled) {
      input.disabled = disabled;
    },
  };
}

/** Blanks inside the prompt: each `{{n}}` of `prompt` becomes a box, in the language the item's
 * answers are typed in (a box in a Spanish sentence of an English prompt is Spanish whether or
 * not the pack marked the sentence). Blanks the prompt does not show (a pack error the validator
 * would normally catch) are added after it. The prompt element itself is the widget's element,
 * so the boxes sit in the sentence. */
export function clozeWidget(item: ItemView, prompt: HTMLElement): AnswerWidget {
  const boxes: HTMLInputElement[] = [];
  for (let n = 1; n <= item.blanks; n++) {
    boxes.push(
      h('input', {
        class: 'blank',
        attrs: {
          type: 'text',
          ...TYPED,
          ...answerLang(item),
          size: '6',
          'aria-label': t('input.blank', { n }),
          'data-blank': String(n),
          'data-testid': 'answer-blank',
        },
      }),
    );
  }
  const placed = new Set<number>();
  const walker = document.createTreeWalker(prompt, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
  for (const text of texts) {
    const parts = (text.data ?? '').split(/\{\{(\d+)\}\}/);
    if (parts.length === 1) continue;
    const frag = document.createDocumentFragment();
    parts.forEach((part, i) => {
      if (i % 2 === 0) {
        if (part) frag.appendChild(document.createTextNode(part));
        return;
      }
      const n = Number(part);
      const box = boxes[n - 1];
      if (box && !placed.has(n)) {
        placed.add(n);
        frag.appendChild(box);
      } else {
        frag.appendChild(document.createTextNode(`{{${part}}}`));
      }
    });
    text.replaceWith(frag);
  }
  // Blanks inside maths: `renderMath` left a placeholder of class `ladder-blank-N` in the
  // typeset formula; the box goes there.
  boxes.forEach((box, i) => {
    if (placed.has(i + 1)) return;
    const spot = prompt.querySelector<HTMLElement>(`.${blankClass(i + 1)}`);
    if (!spot) return;
    placed.add(i + 1);
    box.classList.add('in-math');
    spot.replaceChildren(box);
  });
  for (const box of boxes) exposeInLayout(box);
  // Tab follows the blanks' numbers, not the page's order: in a typeset fraction KaTeX writes
  // the denominator before the numerator, so {{1}}/{{2}} would otherwise be visited 2, 1.
  boxes.forEach((box, i) => {
    box.addEventListener('keydown', (event) => {
      if (!isTab(event) || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.shiftKey ? boxes[i - 1] ?? beyondBlanks(boxes, -1) : boxes[i + 1] ?? beyondBlanks(boxes, 1);
      if (!target) return;
      event.preventDefault();
      target.focus();
    });
  });
  // And into the blanks from outside: Tab lands on blank 1, Shift+Tab on the last blank, not on
  // the one KaTeX happened to write first or last. The listener is the document's (the key is
  // pressed on "Why this?" or "Check"); it goes at the first key once the prompt is out of the
  // page (the screen puts it in the page at once, before any key can be pressed).
  const doc = prompt.ownerDocument;
  const enter = (event: KeyboardEvent) => {
    if (!prompt.isConnected) {
      doc.removeEventListener('keydown', enter, true);
      return;
    }
    if (boxes.length < 2 || !isTab(event) || event.altKey || event.ctrlKey || event.metaKey) return;
    const from = event.target as HTMLElement | null;
    if (!from || boxes.includes(from as HTMLInputElement)) return;
    const all = focusables(doc);
    const at = all.indexOf(from);
    if (at < 0) return;
    const next = all[at + (event.shiftKey ? -1 : 1)];
    const entry = event.shiftKey ? boxes[boxes.length - 1] : boxes[0];
    if (!next || !entry || next === entry || !boxes.includes(next as HTMLInputElement)) return;
    event.preventDefault();
    entry.focus();
  };
  doc.addEventListener('keydown', enter, true);
  const extra = boxes.filter((_, i) => !placed.has(i + 1));
  if (extra.length > 0) prompt.appendChild(h('p', { class: 'extra-blanks' }, ...extra));
  prompt.dataset.testid = 'answer-cloze';
  return {
    element: prompt,
    // An answer with a blank left empty is not sent (it would count as a wrong attempt).
    value() {
      const values = boxes.map((b) => b.value.trim());
      return values.some((v) => v === '') ? null : { kind: 'cloze', value: values };
    },
    incomplete: () => boxes.some((b) => b.value.trim() === '') && boxes.some((b) => b.value.trim() !== ''),
    focus: (options) => (boxes.find((b) => b.value.trim() === '') ?? boxes[0])?.focus(options),
    setDisabled(disabled) {
      for (const b of boxes) b.disabled = disabled;
    },
    markBlanks(results) {
      boxes.forEach((b, i) => {
        const ok = results[i];
        b.classList.toggle('right', ok === true);
        b.classList.toggle('wrong', ok === false);
        b.setAttribute('aria-invalid', ok === false ? 'true' : 'false');
      });
    },
  };
}

/** Put entries in order: drag and drop, the ↑/↓ buttons, or Alt+ArrowUp/ArrowDown (also plain
 * ArrowUp/ArrowDown) on a focused entry. The answer lists the pack positions in the order shown. */
export function orderWidget(item: ItemView, pack: string): AnswerWidget {
  const list = h('ol', { class: 'order-list', attrs: { 'data-testid': 'answer-order' } });
  const status = h('p', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });
  // How to move an entry, said with each entry when it gets the focus: to a screen reader an
  // entry is a list item, which nothing says the arrow keys move.
  const help = h('p', { class: 'muted small', attrs: { id: nextId('order-help') } }, t('input.orderHelp'));
  let disabled = false;
  let dragged: HTMLLIElement | null = null;
  const rows = () => Array.from(list.children) as HTMLLIElement[];

  /** Moves `row` by `delta` places. The focus goes back to `pressed` (the move button,
   * so that pressing it again moves the entry on), else to the row (an arrow key on it): moving
   * an element takes the focus away from what is inside it. */
  const move = (row: HTMLLIElement, delta: number, pressed?: HTMLElement) => {
    if (disabled) return;
    const all = rows();
    const from = all.indexOf(row);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= all.length) return;
    const target = all[to];
    if (!target) return;
    if (delta < 0) list.insertBefore(row, target);
    else list.insertBefore(row, target.nextSibling);
    (pressed ?? row).focus();
    status.textContent = t('input.moved', { place: to + 1, count: all.length });
  };

  for (const choice of item.choices) {
    // Each button is described by its entry ("Move up", "three"), or every one would read the
    // same and a screen reader user could not tell which entry it moves.
    const text = packHtml('span', choice.html, pack, 'rich order-text');
    text.id = nextId('order-entry');
    const button = (label: string, testid: string, arrow: string) =>
      h('button', { class: 'icon-button', attrs: { type: 'button', 'aria-label': label, 'aria-describedby': text.id, 'data-testid': testid } }, arrow);
    const up = button(t('input.moveUp'), 'order-up', '↑');
    const down = button(t('input.moveDown'), 'order-down', '↓');
    const row: HTMLLIElement = h(
      'li',
      {
        class: 'order-row',
        // Named by its text: read from its content it also said its buttons ("three Move up
        // Move down").
        attrs: {
          tabindex: '0',
          draggable: 'true',
          'aria-labelledby': text.id,
          'aria-describedby': help.id,
          'data-position': String(choice.position),
        },
      },
      h('span', { class: 'grip', attrs: { 'aria-hidden': 'true' } }, '⋮⋮'),
      text,
      h('span', { class: 'order-buttons' }, up, down),
    );
    up.addEventListener('click', () => move(row, -1, up));
    down.addEventListener('click', () => move(row, 1, down));
    row.addEventListener('keydown', (event) => {
      if (event.target !== row) return;
      // Enter checks the answer, as it does in a text box or on an option (an entry is no form
      // control, so the form would not hear it).
      if (event.key === 'Enter' && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
        event.preventDefault();
        row.closest('form')?.requestSubmit();
        return;
      }
      if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
        event.preventDefault();
        move(row, event.key === 'ArrowUp' ? -1 : 1);
      }
    });
    row.addEventListener('dragstart', (event) => {
      if (disabled) return event.preventDefault();
      dragged = row;
      row.classList.add('dragging');
      event.dataTransfer?.setData('text/plain', String(choice.position));
    });
    row.addEventListener('dragend', () => {
      row.classList.remove('dragging');
      dragged = null;
    });
    row.addEventListener('dragover', (event) => {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      const all = rows();
      if (all.indexOf(dragged) < all.indexOf(row)) list.insertBefore(dragged, row.nextSibling);
      else list.insertBefore(dragged, row);
    });
    row.addEventListener('drop', (event) => event.preventDefault());
    list.appendChild(row);
  }
  const element = h(
    'div',
    { class: 'order' },
    help,
    list,
    status,
  );
  return {
    element,
    value: () => ({ kind: 'order', value: rows().map((r) => Number(r.dataset.position)) }),
    focus: (options) => rows()[0]?.focus(options),
    setDisabled(d) {
      disabled = d;
      for (const b of Array.from(list.querySelectorAll('button'))) b.disabled = d;
      for (const r of rows()) r.draggable = !d;
    },
  };
}

/** KaTeX marks its visual layout `aria-hidden` (a screen reader reads its MathML copy), and
 * nothing inside an aria-hidden element can be exposed again: a blank placed there was hidden
 * from screen readers, focus and all. The layout that holds `box` is unhidden, and every part
 * of it that holds no blank is hidden instead, so the formula is still read once. Called once
 * every blank is in place (a layout already unhidden is left as it is). */
function exposeInLayout(box: HTMLElement): void {
  const layout = box.closest<HTMLElement>('.katex-html[aria-hidden="true"]');
  if (!layout) return;
  layout.removeAttribute('aria-hidden');
  const hideAround = (el: Element) => {
    for (const child of Array.from(el.children)) {
      if (child.tagName === 'INPUT') continue;
      if (child.querySelector('input')) hideAround(child);
      else child.setAttribute('aria-hidden', 'true');
    }
  };
  hideAround(layout);
}

/** The Tab key, also with Shift: on Linux that is the key ISO_Left_Tab, which WebKitGTK reports
 * as key "Unidentified" (its code is still "Tab", its keyCode 9). */
function isTab(event: KeyboardEvent): boolean {
  return event.key === 'Tab' || event.code === 'Tab' || event.keyCode === 9;
}

/** The elements Tab visits, in page order (`details > summary`: the item's "Why this?", just
 * before the prompt). */
function focusables(doc: Document): HTMLElement[] {
  return Array.from(
    doc.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], details > summary, [tabindex]:not([tabindex="-1"])'),
  ).filter((el) => !(el as HTMLInputElement).disabled && !el.closest('[hidden], [inert]') && el.getAttribute('aria-hidden') !== 'true');
}

/** The focusable element just after the last blank in page order (`direction` 1) or just
 * before the first (-1), skipping the blanks themselves; `undefined` to let the browser decide. */
function beyondBlanks(boxes: HTMLInputElement[], direction: 1 | -1): HTMLElement | undefined {
  const doc = boxes[0]?.ownerDocument;
  if (!doc) return undefined;
  const focusable = focusables(doc);
  const positions = boxes.map((b) => focusable.indexOf(b)).filter((k) => k >= 0);
  if (positions.length === 0) return undefined;
  const edge = direction === 1 ? Math.max(...positions) : Math.min(...positions);
  for (let k = edge + direction; k >= 0 && k < focusable.length; k += direction) {
    const el = focusable[k];
    if (el && !boxes.includes(el as HTMLInputElement)) return el;
  }
  return undefined;
}

/** The widget for an item's kind. `prompt` is the rendered prompt (cloze puts its boxes there). */
export function widgetFor(item: ItemView, pack: string, prompt: HTMLElement): AnswerWidget {
  switch (item.kind) {
    case 'choice':
      return namedBy(choiceWidget(item, pack), prompt);
    case 'numeric':
      return askedBy(numericWidget(item), prompt, 'input');
    case 'cloze':
      return clozeWidget(item, prompt);
    case 'order':
      // The list, and each entry, which is where the focus lands (then how to move it).
      return askedBy(orderWidget(item, pack), prompt, 'ol, li.order-row');
    default:
      return askedBy(textWidget(item), prompt, 'input');
  }
}

/** A group of options is named by the question, then its legend ("Which are even? Choose every
 * right answer"), as a legend holding the question would name it: the focus goes to an option,
 * and screen readers say the name of a group the focus enters, not always its description. */
function namedBy(widget: AnswerWidget, prompt: HTMLElement): AnswerWidget {
  const group = widget.element.closest('fieldset') ?? widget.element.querySelector('fieldset');
  const legend = group?.querySelector('legend');
  if (!group || !legend) return widget;
  if (!prompt.id) prompt.id = nextId('prompt');
  group.setAttribute('aria-labelledby', `${prompt.id} ${legend.id}`);
  return widget;
}

/** Each item puts the focus on its answer, and a screen reader then says the answer's name
 * ("Your answer"), not the question: the answer (the box, the list to order) is described by the
 * prompt, first. Blanks sit in the prompt's sentence itself; a group of options is named by it
 * (`namedBy`). */
function askedBy(widget: AnswerWidget, prompt: HTMLElement, selector: string): AnswerWidget {
  const found = widget.element.matches(selector) ? [widget.element] : Array.from(widget.element.querySelectorAll(selector));
  if (found.length === 0) return widget;
  if (!prompt.id) prompt.id = nextId('prompt');
  for (const el of found) {
    const rest = el.getAttribute('aria-describedby');
    el.setAttribute('aria-describedby', rest ? `${prompt.id} ${rest}` : prompt.id);
  }
  return widget;
}
