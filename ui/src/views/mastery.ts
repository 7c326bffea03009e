// A mastery meter: the predicted mastery as a bar, its uncertainty as a band around the bar's end
// (mastery ± one standard deviation, clipped to 0..100%), and optionally where it was before.

import { h } from '../dom';
import { t } from '../learn-strings';

/** The band drawn for `mastery` ± `sd`, in percent of the track, clipped to the track. */
export function band(mastery: number, sd: number): { from: number; to: number } {
  const clip = (x: number) => Math.min(100, Math.max(0, x * 100));
  return { from: clip(mastery - sd), to: clip(mastery + sd) };
}

/** `skill` names the meter ("Mastery of Fractions"): ARIA requires a meter to have a name, and
 * a screen reader moving from control to control would otherwise not say what it measures. */
export function masteryBar(skill: string, mastery: number, sd: number, before?: number): HTMLElement {
  const percent = Math.round(Math.min(1, Math.max(0, mastery)) * 100);
  const { from, to } = band(mastery, sd);
  const fill = h('span', { class: 'meter-fill' });
  fill.style.width = `${percent}%`;
  const interval = h('span', { class: 'meter-band' });
  interval.style.left = `${from}%`;
  interval.style.width = `${to - from}%`;
  const parts: HTMLElement[] = [fill, interval];
  if (before !== undefined) {
    const mark = h('span', { class: 'meter-before' });
    mark.style.left = `${Math.round(Math.min(1, Math.max(0, before)) * 100)}%`;
    parts.push(mark);
  }
  return h(
    'span',
    {
      class: 'meter',
      attrs: {
        role: 'meter',
        'aria-label': t('meter.label', { skill }),
        'aria-valuemin': '0',
        'aria-valuemax': '100',
        'aria-valuenow': String(percent),
        'aria-valuetext': t('meter.text', { percent, from: Math.round(from), to: Math.round(to) }),
        'data-mastery': mastery.toFixed(3),
      },
    },
    ...parts,
  );
}
