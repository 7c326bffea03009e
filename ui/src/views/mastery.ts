// A mastery meter: the predicted mastery as a bar, its uncertainty as a band around the bar's end
// (mastery ± one standard deviation, clipped to 0..100%), and optionally where it was before.

import { h } from '../dom';
import { t } from '../learn-strings';

/** The band drawn for `mastery` ± `sd`, in percent of the track, clipped to the track. */
export function band(mastery: number, sd: number): { from: number; to: number } {
  const clip = (x: number) => Math.min(100, Math.max(0, x * 100));
  return { from: clip(mastery - sd), to: clip(mastery + sd) };
}

/** `p` in whole percent, rounded, except that a figure under `line` (a level the screen names,
 * such as the one a locked lesson needs) never rounds up to it: 0.7996 reads 79% beside "needs
 * it at 80%", as the engine's reasons say it. */
export function shownPercent(p: number, line?: number): number {
  const percent = Math.round(Math.min(1, Math.max(0, p)) * 100);
  if (line === undefined || p >= line) return percent;
  return Math.min(percent, Math.ceil(line * 100 - 1e-6) - 1);
}

/** `skill` names the meter ("Mastery of Fractions"): ARIA requires a meter to have a name, and
 * a screen reader moving from control to control would otherwise not say what it measures.
 * `line`: a level the screen names, which the figure must not appear to reach ([`shownPercent`]). */
export function masteryBar(skill: string, mastery: number, sd: number, before?: number, line?: number): HTMLElement {
  const percent = shownPercent(mastery, line);
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
