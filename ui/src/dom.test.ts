import { describe, expect, it, vi } from 'vitest';
import { h, replace } from './dom';

describe('h', () => {
  it('sets class, attributes and children', () => {
    const el = h('button', { class: 'b', attrs: { type: 'button', 'data-x': '1', hidden: true, title: undefined } }, 'Go', 2);
    expect(el.className).toBe('b');
    expect(el.getAttribute('type')).toBe('button');
    expect(el.getAttribute('data-x')).toBe('1');
    expect(el.hasAttribute('hidden')).toBe(true);
    expect(el.hasAttribute('title')).toBe(false);
    expect(el.textContent).toBe('Go2');
  });

  it('inserts strings as text, never as markup', () => {
    const el = h('p', {}, '<img src=x onerror=alert(1)>');
    expect(el.children).toHaveLength(0);
    expect(el.textContent).toBe('<img src=x onerror=alert(1)>');
  });

  it('skips null, undefined and false children and wires events', () => {
    const onClick = vi.fn();
    const el = h('div', { on: { click: onClick } }, null, undefined, false, h('span'));
    expect(el.childNodes).toHaveLength(1);
    el.click();
    expect(onClick).toHaveBeenCalledOnce();
  });
});

describe('replace', () => {
  it('removes old children', () => {
    const el = h('div', {}, 'a', h('b'));
    replace(el, 'c');
    expect(el.textContent).toBe('c');
    expect(el.childNodes).toHaveLength(1);
  });
});
