// How an error reads on any screen. The engine writes its messages in English (docs/api.md); in
// another UI language a sentence in that language says what kind of problem it is and what to
// do, and the engine's message follows as the detail (`error.<kind>` in learn-strings.ts; in
// English the message alone). Screens that say a refusal in their own words (a taken name, a
// refused import) check for it first.

import { ApiError } from './api';
import { t } from './learn-strings';

export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return t(`error.${e.kind}`, { detail: e.message });
  return e instanceof Error ? e.message : String(e);
}
