// How an error reads on any screen. A refusal with a reason (docs/api.md, "Reasons": a locked
// lesson, a session already ended, no more hints, ...) is said in the UI's language from its
// reason and values (`refusal.<reason>` in learn-strings.ts), without the engine's English
// sentence. Any other error is said by its kind: the engine writes its messages in English, so
// in another UI language a sentence in that language says what kind of problem it is and what to
// do, and the engine's message follows as the detail (`error.<kind>`; in English the message
// alone). Screens that say a refusal in their own words (a taken name, a refused import) check
// for it first.

import { ApiError, type Reason, type ReasonValues } from './api';
import { formatList } from './admin-strings';
import { t, type LearnKey } from './learn-strings';

export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.reason ? refusalText(e.reason, e.values) : t(`error.${e.kind}`, { detail: e.message });
  return e instanceof Error ? e.message : String(e);
}

/** A refusal in the UI's language. The key is typed: TypeScript refuses a reason that has no
 * `refusal.<reason>` string. */
export function refusalText(reason: Reason, values: ReasonValues): string {
  const key: LearnKey = `refusal.${reason}`;
  const vars: Record<string, string | number> = {};
  for (const name of ['id', 'name', 'course', 'lesson', 'item'] as const) {
    const value = values[name];
    if (value !== undefined) vars[name] = value;
  }
  if (values.needs) vars.needs = formatList(values.needs);
  // A level as a whole percentage, as the course map writes it ("at 80%").
  if (values.at !== undefined) vars.at = Math.round(values.at * 100);
  // An id, not a quantity: never "12.345".
  if (values.session !== undefined) vars.session = String(values.session);
  return t(key, vars);
}
