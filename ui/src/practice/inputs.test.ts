import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { ItemView } from '../api';
import { choiceWidget, clozeWidget, numericWidget, orderWidget, textWidget, widgetFor } from './inputs';
import { packHtml } from '../content';
import { t } from '../learn-strings';

// KaTeX refuses to render in quirks mode, which happy-dom's test document is in (the app's page
// has a doctype); see content.test.ts.
vi.hoisted(() => {
  Object.defineProperty(document, 'compatMode', { value: 'CSS1Compat', configurable: true });
});

function item(over: Partial<ItemView>): ItemView {
  return {
    id: 'i1',
    kind: 'choice',
    lesson: 'l',
    skills: ['s'],
    prompt_html: '<p>Q</p>',
    choices: [],
    select_all: false,
    blanks: 0,
    unit: null,
    hint_levels: 2,
    has_solution: true,
    answer_language: null,
    ...over,
  };
}

const choices = [
  { position: 3, html: '<p>three</p>' },
  { position: 1, html: '<p>one</p>' },
  { position: 2, html: '<p>two</p>' },
];

function key(el: Element, k: string) {
  el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
}

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('choice', () => {
  it('single: radios in display order, the answer is the pack position', () => {
    const w = choiceWidget(item({ choices }), 'p');
    document.body.appendChild(w.element);
    const inputs = Array.from(w.element.querySelectorAll<HTMLInputElement>('input'));
    expect(inputs.map((i) => i.type)).toEqual(['radio', 'radio', 'radio']);
    expect(inputs.map((i) => i.labels?.[0]?.textContent)).toEqual(['three', 'one', 'two']);
    expect(w.value()).toBeNull();
    inputs[0]?.click();
    expect(w.value()).toEqual({ kind: 'choice', value: [3] });
    inputs[2]?.click();
    expect(w.value()).toEqual({ kind: 'choice', value: [2] });
    // Radios share a name, so the arrow keys move between them natively.
    expect(new Set(inputs.map((i) => i.name)).size).toBe(1);
  });

  it('select all: checkboxes, every checked position, sorted', () => {
    const w = choiceWidget(item({ choices, select_all: true }), 'p');
    document.body.appendChild(w.element);
    const inputs = Array.from(w.element.querySelectorAll<HTMLInputElement>('input'));
    expect(inputs.every((i) => i.type === 'checkbox')).toBe(true);
    inputs[0]?.click();
    inputs[1]?.click();
    expect(w.value()).toEqual({ kind: 'choice', value: [1, 3] });
    w.setDisabled(true);
    expect(inputs.every((i) => i.disabled)).toBe(true);
  });

  it('focuses the first option', () => {
    const w = choiceWidget(item({ choices }), 'p');
    document.body.appendChild(w.element);
    w.focus();
    expect(document.activeElement).toBe(w.element.querySelector('input'));
  });

  it('focuses the option already chosen, as Tab into the group does', () => {
    // After the last hint rung (or "Enter an answer first") the focus went to the first
    // option although the learner had chosen another: an arrow key or Space there then changed
    // the choice.
    const w = choiceWidget(item({ choices }), 'p');
    document.body.appendChild(w.element);
    const inputs = Array.from(w.element.querySelectorAll('input'));
    inputs[2]!.checked = true;
    w.focus();
    expect(document.activeElement).toBe(inputs[2]);
  });
});

describe('typed answers', () => {
  it('numeric: trimmed text, the unit shown, empty is no answer', () => {
    const w = numericWidget(item({ kind: 'numeric', unit: 'cm' }));
    document.body.appendChild(w.element);
    const input = w.element.querySelector('input');
    if (!input) throw new Error('no input');
    expect(w.element.textContent).toContain('cm');
    // Not the decimal keypad a touch keyboard shows for `inputmode=decimal`: it has no `/`, no
    // space and (on some) no minus, so `3/4`, `1 1/2` or `-2` could not be typed there.
    expect(input.getAttribute('inputmode')).not.toBe('decimal');
    expect(input.getAttribute('inputmode')).not.toBe('numeric');
    expect(w.value()).toBeNull();
    input.value = '  3/4 ';
    expect(w.value()).toEqual({ kind: 'text', value: '3/4' });
    input.value = '   ';
    expect(w.value()).toBeNull();
  });

  it('numeric: the box is described by its unit, which a screen reader otherwise never says', () => {
    const w = numericWidget(item({ kind: 'numeric', unit: 'square metres' }));
    document.body.appendChild(w.element);
    const input = w.element.querySelector('input');
    const id = input?.getAttribute('aria-describedby') ?? '';
    expect(id).not.toBe('');
    expect(document.getElementById(id)?.textContent).toBe('square metres');
    const none = numericWidget(item({ kind: 'numeric', unit: null }));
    expect(none.element.querySelector('input')?.hasAttribute('aria-describedby')).toBe(false);
  });

  it('text: what was typed', () => {
    const w = textWidget(item({ kind: 'text' }));
    const input = w.element.querySelector('input');
    if (!input) throw new Error('no input');
    input.value = 'denominator';
    expect(w.value()).toEqual({ kind: 'text', value: 'denominator' });
    w.setDisabled(true);
    expect(input.disabled).toBe(true);
  });

  it('no typed box checks or corrects the spelling (a red underline would give the answer away; autocorrect would change it)', () => {
    const boxes = [
      textWidget(item({ kind: 'text' })).element.querySelector('input'),
      numericWidget(item({ kind: 'numeric' })).element.querySelector('input'),
      ...Array.from(clozeWidget(item({ kind: 'cloze', blanks: 1 }), packHtml('div', '<p>A {{1}}.</p>', 'p', 'rich', true)).element.querySelectorAll('input')),
    ];
    expect(boxes).toHaveLength(3);
    for (const box of boxes) {
      expect(box?.getAttribute('spellcheck')).toBe('false');
      expect(box?.getAttribute('autocomplete')).toBe('off');
      expect(box?.getAttribute('autocapitalize')).toBe('off');
      expect(box?.getAttribute('autocorrect')).toBe('off');
    }
  });
});

describe('the language an answer is typed in', () => {
  // Spanish A1 is written in English and answered in Spanish: its boxes took the English of the
  // text around them (or the UI's language), so a screen reader said back the learner's
  // Spanish with English sounds, and the input method took it for English.
  it('marks the text box and every blank with the language the engine gives', () => {
    const text = textWidget(item({ kind: 'text', answer_language: 'es' }));
    expect(text.element.querySelector('input')?.getAttribute('lang')).toBe('es');
    // A blank outside any `<span lang>` of an English prompt, and one inside an English span.
    const prompt = packHtml('div', '<p lang="en">Complete: {{1}}, <span lang="en">then {{2}}</span>.</p>', 'p', 'rich prompt', true);
    const cloze = clozeWidget(item({ kind: 'cloze', blanks: 2, answer_language: 'es' }), prompt);
    document.body.appendChild(cloze.element);
    const blanks = Array.from(cloze.element.querySelectorAll<HTMLInputElement>('input'));
    expect(blanks.map((b) => b.getAttribute('lang'))).toEqual(['es', 'es']);
    // The prompt's own words keep their language.
    expect(cloze.element.querySelector('p')?.getAttribute('lang')).toBe('en');
    // An item answered in English in the same course.
    const english = widgetFor(item({ kind: 'text', answer_language: 'en' }), 'p', packHtml('div', '<p>What does perro mean?</p>', 'p'));
    expect(english.element.querySelector('input')?.getAttribute('lang')).toBe('en');
  });

  it('sets no language where the engine gives none: a number, or a pack that names none', () => {
    const boxes = [
      numericWidget(item({ kind: 'numeric', answer_language: null })).element.querySelector('input'),
      textWidget(item({ kind: 'text', answer_language: null })).element.querySelector('input'),
      ...Array.from(clozeWidget(item({ kind: 'cloze', blanks: 1 }), packHtml('div', '<p>A {{1}}.</p>', 'p', 'rich', true)).element.querySelectorAll('input')),
    ];
    expect(boxes).toHaveLength(3);
    for (const box of boxes) expect(box?.hasAttribute('lang')).toBe(false);
  });
});

describe('cloze', () => {
  it('puts a box at each {{n}} in the sentence and returns the blanks in order', () => {
    const prompt = document.createElement('div');
    prompt.innerHTML = '<p>Cut into {{1}} parts, take <em>{{2}}</em>.</p>';
    const w = clozeWidget(item({ kind: 'cloze', blanks: 2 }), prompt);
    const boxes = Array.from(prompt.querySelectorAll<HTMLInputElement>('input[data-blank]'));
    expect(boxes.map((b) => b.dataset.blank)).toEqual(['1', '2']);
    expect(prompt.textContent).not.toContain('{{');
    expect(boxes[1]?.parentElement?.tagName).toBe('EM');
    expect(w.value()).toBeNull();
    if (boxes[1]) boxes[1].value = ' 2 ';
    expect(w.value()).toBeNull();
    if (boxes[0]) boxes[0].value = '4';
    expect(w.value()).toEqual({ kind: 'cloze', value: ['4', '2'] });
    w.markBlanks?.([true, false]);
    expect(boxes[0]?.classList.contains('right')).toBe(true);
    expect(boxes[1]?.classList.contains('wrong')).toBe(true);
    expect(boxes[1]?.getAttribute('aria-invalid')).toBe('true');
  });

  it('puts a box where a blank sits inside maths, and sends nothing while a blank is empty', () => {
    const prompt = packHtml(
      'div',
      '<p>Fill in: <span class="math">\\frac{1}{2} = \\frac{ {{1}} }{6}</span> and {{2}}.</p>',
      'p',
      'rich prompt',
      true,
    );
    const w = clozeWidget(item({ kind: 'cloze', blanks: 2 }), prompt);
    const boxes = Array.from(prompt.querySelectorAll<HTMLInputElement>('input[data-blank]'));
    expect(boxes.map((b) => b.dataset.blank)).toEqual(['1', '2']);
    // The first box is inside the typeset formula (KaTeX's visible HTML, not its MathML).
    expect(boxes[0]?.closest('.katex-html')).not.toBeNull();
    expect(boxes[0]?.closest('.ladder-blank-1')).not.toBeNull();
    expect(prompt.querySelector('.extra-blanks')).toBeNull();
    expect(w.value()).toBeNull();
    expect(w.incomplete?.()).toBe(false);
    if (boxes[1]) boxes[1].value = '3';
    expect(w.value()).toBeNull();
    expect(w.incomplete?.()).toBe(true);
    if (boxes[0]) boxes[0].value = ' 3 ';
    expect(w.value()).toEqual({ kind: 'cloze', value: ['3', '3'] });
  });

  it('tabs through blanks in their numbers\' order, also where KaTeX writes them the other way', () => {
    const prompt = packHtml('div', '<p><span class="math">\\frac{ {{1}} }{ {{2}} }</span></p>', 'p', 'rich prompt', true);
    const before = document.createElement('button');
    const after = document.createElement('button');
    document.body.append(before, prompt, after);
    clozeWidget(item({ kind: 'cloze', blanks: 2 }), prompt);
    const [one, two] = [1, 2].map((n) => prompt.querySelector<HTMLInputElement>(`input[data-blank="${n}"]`));
    // KaTeX puts the denominator first in the page.
    const order = Array.from(prompt.querySelectorAll<HTMLInputElement>('input[data-blank]')).map((b) => b.dataset.blank);
    expect(order).toEqual(['2', '1']);
    const tab = (el: HTMLElement | null | undefined, shiftKey = false) => {
      const event = new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true });
      el?.dispatchEvent(event);
      return event.defaultPrevented;
    };
    one?.focus();
    expect(tab(one)).toBe(true);
    expect(document.activeElement).toBe(two);
    expect(tab(two)).toBe(true);
    expect(document.activeElement).toBe(after);
    two?.focus();
    expect(tab(two, true)).toBe(true);
    expect(document.activeElement).toBe(one);
    expect(tab(one, true)).toBe(true);
    expect(document.activeElement).toBe(before);
    before.remove();
    prompt.remove();
    after.remove();
  });

  it('goes back from blank to blank on the Shift+Tab WebKitGTK sends, and on to "Why this?"', () => {
    // On Linux, Shift+Tab is the key ISO_Left_Tab, which WebKitGTK reports as key "Unidentified"
    // (code "Tab", keyCode 9): the blanks' own order was not applied backwards, and Shift+Tab
    // from blank 2 of a fraction jumped over blank 1. And going back past the first blank
    // skipped the item's "Why this?" (a summary, not in the list of focusable elements).
    const prompt = packHtml('div', '<p><span class="math">\\frac{ {{1}} }{ {{2}} }</span></p>', 'p', 'rich prompt', true);
    const end = document.createElement('button');
    const why = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'Why this?';
    why.appendChild(summary);
    document.body.append(end, why, prompt);
    clozeWidget(item({ kind: 'cloze', blanks: 2 }), prompt);
    const [one, two] = [1, 2].map((n) => prompt.querySelector<HTMLInputElement>(`input[data-blank="${n}"]`));
    const backTab = (el: HTMLElement | null | undefined) => {
      const event = new KeyboardEvent('keydown', { key: 'Unidentified', code: 'Tab', keyCode: 9, shiftKey: true, bubbles: true, cancelable: true });
      el?.dispatchEvent(event);
      return event.defaultPrevented;
    };
    two?.focus();
    expect(backTab(two)).toBe(true);
    expect(document.activeElement).toBe(one);
    expect(backTab(one)).toBe(true);
    expect(document.activeElement).toBe(summary);
    end.remove();
    why.remove();
    prompt.remove();
  });

  it('enters the blanks of a fraction at blank 1 with Tab and at the last blank with Shift+Tab', () => {
    // KaTeX writes the denominator first: Tab from "Why this?" went to blank 2, and Shift+Tab
    // from "Check" to blank 1, then on out of the formula, leaving the other blank behind.
    const prompt = packHtml('div', '<p><span class="math">\\frac{ {{1}} }{ {{2}} }</span></p>', 'p', 'rich prompt', true);
    const why = document.createElement('details');
    const summary = document.createElement('summary');
    why.appendChild(summary);
    const check = document.createElement('button');
    document.body.append(why, prompt, check);
    clozeWidget(item({ kind: 'cloze', blanks: 2 }), prompt);
    const [one, two] = [1, 2].map((n) => prompt.querySelector<HTMLInputElement>(`input[data-blank="${n}"]`));
    const press = (el: HTMLElement, shiftKey: boolean) => {
      const event = new KeyboardEvent('keydown', shiftKey
        ? { key: 'Unidentified', code: 'Tab', keyCode: 9, shiftKey, bubbles: true, cancelable: true }
        : { key: 'Tab', code: 'Tab', keyCode: 9, bubbles: true, cancelable: true });
      el.dispatchEvent(event);
      return event.defaultPrevented;
    };
    summary.focus();
    expect(press(summary, false)).toBe(true);
    expect(document.activeElement).toBe(one);
    check.focus();
    expect(press(check, true)).toBe(true);
    expect(document.activeElement).toBe(two);
    // Tab elsewhere is left to the browser.
    expect(press(check, false)).toBe(false);
    why.remove();
    prompt.remove();
    check.remove();
  });

  it('keeps the blanks of a formula out of KaTeX\'s aria-hidden layout, which a screen reader skips', () => {
    // KaTeX marks its visual layout aria-hidden (a screen reader reads its MathML copy): the
    // boxes placed there were hidden from screen readers, focus and all.
    const prompt = packHtml('div', '<p>Write <span class="math">\\frac{ {{1}} }{ {{2}} } = 0.75</span></p>', 'p', 'rich prompt', true);
    document.body.append(prompt);
    clozeWidget(item({ kind: 'cloze', blanks: 2 }), prompt);
    const boxes = Array.from(prompt.querySelectorAll<HTMLInputElement>('input[data-blank]'));
    expect(boxes.length).toBe(2);
    for (const box of boxes) {
      expect(box.closest('[aria-hidden="true"]'), box.dataset.blank).toBeNull();
      expect(box.closest('.katex-html')).not.toBeNull();
    }
    // The rest of the layout stays hidden (the MathML says it): no text is read twice.
    const html = prompt.querySelector('.katex-html');
    const walker = document.createTreeWalker(html as Node, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if ((n.textContent ?? '').trim() === '') continue;
      expect(n.parentElement?.closest('[aria-hidden="true"]'), n.textContent ?? '').not.toBeNull();
    }
    expect(prompt.querySelector('.katex-mathml')?.closest('[aria-hidden="true"]')).toBeNull();
    prompt.remove();
  });

  it('keeps pack TeX from using HTML extensions itself', () => {
    const el = packHtml('div', '<p><span class="math">\\htmlClass{evil}{x} \\htmlId{a}{y}</span></p>', 'p', 'rich', true);
    expect(el.querySelector('.evil')).toBeNull();
    expect(el.querySelector('#a')).toBeNull();
  });

  it('adds boxes for blanks the prompt does not show', () => {
    const prompt = document.createElement('div');
    prompt.innerHTML = '<p>Only {{1}} here.</p>';
    const w = clozeWidget(item({ kind: 'cloze', blanks: 2 }), prompt);
    expect(prompt.querySelectorAll('input').length).toBe(2);
    expect(w.value()).toBeNull();
  });
});

describe('order', () => {
  const order = () => {
    const w = orderWidget(item({ kind: 'order', choices }), 'p');
    document.body.appendChild(w.element);
    const rows = () => Array.from(w.element.querySelectorAll<HTMLLIElement>('li'));
    return { w, rows };
  };

  it('starts in display order', () => {
    const { w } = order();
    expect(w.value()).toEqual({ kind: 'order', value: [3, 1, 2] });
  });

  it('moves entries with the up and down buttons', () => {
    const { w, rows } = order();
    rows()[1]?.querySelector<HTMLButtonElement>('[data-testid=order-up]')?.click();
    expect(w.value()).toEqual({ kind: 'order', value: [1, 3, 2] });
    rows()[1]?.querySelector<HTMLButtonElement>('[data-testid=order-down]')?.click();
    expect(w.value()).toEqual({ kind: 'order', value: [1, 2, 3] });
    // At the ends nothing moves.
    rows()[0]?.querySelector<HTMLButtonElement>('[data-testid=order-up]')?.click();
    expect(w.value()).toEqual({ kind: 'order', value: [1, 2, 3] });
  });

  it('moves the focused entry with the arrow keys and keeps focus on it', () => {
    const { w, rows } = order();
    const first = rows()[0];
    if (!first) throw new Error('no rows');
    first.focus();
    key(first, 'ArrowDown');
    expect(w.value()).toEqual({ kind: 'order', value: [1, 3, 2] });
    expect(document.activeElement).toBe(first);
    key(first, 'ArrowDown');
    expect(w.value()).toEqual({ kind: 'order', value: [1, 2, 3] });
    key(first, 'ArrowUp');
    expect(w.value()).toEqual({ kind: 'order', value: [1, 3, 2] });
    expect(rows().every((r) => r.tabIndex === 0)).toBe(true);
  });

  it('keeps the focus on a move button pressed from the keyboard, so pressing it again moves on', () => {
    // Enter on "Move up" put the focus on the entry: a second Enter did nothing, and a keyboard
    // learner had to Tab back to the button for every place.
    const { w, rows } = order();
    const up = rows()[2]?.querySelector<HTMLButtonElement>('[data-testid=order-up]');
    if (!up) throw new Error('no button');
    up.focus();
    up.click();
    expect(w.value()).toEqual({ kind: 'order', value: [3, 2, 1] });
    expect(document.activeElement).toBe(up);
    up.click();
    expect(w.value()).toEqual({ kind: 'order', value: [2, 3, 1] });
    expect(document.activeElement).toBe(up);
    // At the top nothing moves, and the focus stays.
    up.click();
    expect(w.value()).toEqual({ kind: 'order', value: [2, 3, 1] });
    expect(document.activeElement).toBe(up);
  });

  it('checks the answer on Enter on a focused entry, as Enter does in the other widgets', () => {
    const { w, rows } = order();
    const form = document.createElement('form');
    form.appendChild(w.element);
    document.body.appendChild(form);
    let submitted = 0;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submitted += 1;
    });
    const first = rows()[0];
    if (!first) throw new Error('no rows');
    first.focus();
    key(first, 'ArrowDown');
    key(first, 'Enter');
    expect(submitted).toBe(1);
    expect(w.value()).toEqual({ kind: 'order', value: [1, 3, 2] });
    // Enter on a move button moves (the button's own click), it does not check.
    key(rows()[0]?.querySelector('[data-testid=order-up]') as Element, 'Enter');
    expect(submitted).toBe(1);
  });

  it('names each entry by its text alone, not by its move buttons too', () => {
    // A focused entry was an unnamed list item: read from its content it said "three Move up
    // Move down".
    const { rows } = order();
    for (const row of rows()) {
      const label = document.getElementById(row.getAttribute('aria-labelledby') ?? '');
      expect(label?.textContent).toBe(row.querySelector('.order-text')?.textContent);
    }
  });

  it('says which entry each move button moves', () => {
    // Every button was only "Move up" / "Move down": a screen reader user tabbing through the
    // list could not tell which entry a button would move.
    const { rows } = order();
    for (const row of rows()) {
      const entry = row.querySelector('.order-text')?.textContent;
      for (const button of Array.from(row.querySelectorAll('button'))) {
        const ids = (button.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
        const described = ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
        expect(described, button.getAttribute('aria-label') ?? '').toBe(entry);
      }
    }
  });

  it('tells how to move an entry when the entry gets the focus', () => {
    // An entry is a list item that the arrow keys move: a screen reader said "one, list item"
    // and nothing of the keys; the help line above the list was linked to nothing.
    const { w, rows } = order();
    document.body.append(w.element);
    for (const row of rows()) {
      const ids = (row.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
      const described = ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      expect(described).toContain(t('input.orderHelp'));
    }
  });

  it('does not move when disabled', () => {
    const { w, rows } = order();
    w.setDisabled(true);
    const first = rows()[0];
    if (!first) throw new Error('no rows');
    key(first, 'ArrowDown');
    expect(w.value()).toEqual({ kind: 'order', value: [3, 1, 2] });
    expect(rows().every((r) => !r.draggable)).toBe(true);
  });
});

describe('widgetFor', () => {
  it('describes the answer by the question, so that a screen reader says it when the answer gets the focus', () => {
    // Each new item puts the focus on its answer: a screen reader said only "Your answer" (or
    // "Choose one answer"), never the question, which the learner then had to go and find.
    const said = (el: Element | null | undefined) =>
      (el?.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
    for (const over of [{ kind: 'text' }, { kind: 'numeric', unit: 'cm' }, { kind: 'choice', choices }, { kind: 'order', choices }] as Partial<ItemView>[]) {
      document.body.innerHTML = '';
      const prompt = packHtml('div', '<p>How long is the bar?</p>', 'p', 'rich prompt');
      const w = widgetFor(item(over), 'p', prompt);
      document.body.append(prompt, w.element);
      if (over.kind === 'choice') continue; // named by the question instead: the test below
      const described = w.element.querySelector('input[type=text], ol') ?? w.element;
      expect(said(described), String(over.kind)).toContain('How long is the bar?');
      if (over.unit) expect(said(described)).toContain('cm');
    }
  });

  it('says the question where the focus lands when a new item appears', () => {
    // The list to order was described by the question, but the focus goes to its first entry,
    // which was described only by how to move it: the question was not said.
    const ids = (el: Element | null | undefined, attr: string) =>
      (el?.getAttribute(attr) ?? '').split(' ').filter(Boolean).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    for (const over of [{ kind: 'text' }, { kind: 'numeric', unit: 'cm' }, { kind: 'choice', choices }, { kind: 'order', choices }] as Partial<ItemView>[]) {
      document.body.innerHTML = '';
      const prompt = packHtml('div', '<p>How long is the bar?</p>', 'p', 'rich prompt');
      const w = widgetFor(item(over), 'p', prompt);
      document.body.append(prompt, w.element);
      w.focus();
      const focused = document.activeElement;
      expect(focused, String(over.kind)).not.toBe(document.body);
      const said = `${ids(focused, 'aria-describedby')} ${ids(focused?.closest('fieldset'), 'aria-labelledby')}`;
      expect(said, String(over.kind)).toContain('How long is the bar?');
    }
  });

  it('names a group of options by the question, as a legend would, so that entering the group says it', () => {
    // The group was named "Choose one answer" and only described by the question: the focus
    // goes to an option, and a screen reader that says the name of the group it enters, not its
    // description (Orca, VoiceOver), never said the question.
    const named = (el: Element | null | undefined) =>
      (el?.getAttribute('aria-labelledby') ?? '')
        .split(' ')
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
    for (const selectAll of [false, true]) {
      document.body.innerHTML = '';
      const prompt = packHtml('div', '<p>Which are even?</p>', 'p', 'rich prompt');
      const w = widgetFor(item({ kind: 'choice', choices, select_all: selectAll }), 'p', prompt);
      document.body.append(prompt, w.element);
      const group = w.element.closest('fieldset');
      expect(named(group)).toBe(`Which are even? ${selectAll ? t('input.chooseAll') : t('input.chooseOne')}`);
      // Not said twice: the question is the name, not also the description.
      expect(group?.hasAttribute('aria-describedby')).toBe(false);
    }
  });

  it('picks the widget by kind', () => {
    const prompt = document.createElement('div');
    expect(widgetFor(item({ kind: 'choice', choices }), 'p', prompt).element.dataset.testid).toBe('answer-choice');
    expect(widgetFor(item({ kind: 'numeric' }), 'p', prompt).element.querySelector('[data-testid=answer-input]')).not.toBeNull();
    expect(widgetFor(item({ kind: 'order', choices }), 'p', prompt).element.querySelector('[data-testid=answer-order]')).not.toBeNull();
    expect(widgetFor(item({ kind: 'cloze', blanks: 1 }), 'p', prompt).element).toBe(prompt);
    expect(widgetFor(item({ kind: 'text' }), 'p', prompt).element.querySelector('input')).not.toBeNull();
  });
});
