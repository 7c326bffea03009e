// The start-up trace's UI half: tells the shell when the learner picker first became usable, so
// `LADDER_TRACE_STARTUP=1` can time a start up to what a learner sees (src-tauri/src/startup.rs).
// The command does nothing when the trace is off; a failure here never affects the app.

import { invoke } from '@tauri-apps/api/core';

let reported = false;

/** Reports `mark` once the page has painted what it just rendered (the first call only). */
export function reportStartup(mark: string): void {
  if (reported) return;
  reported = true;
  // A requestAnimationFrame callback runs just before the next paint; a task queued from it runs
  // after that paint.
  const send = () =>
    setTimeout(() => {
      invoke('trace_startup', { mark, page_ms: performance.now() }).catch(() => undefined);
    }, 0);
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(send);
  else send();
}
