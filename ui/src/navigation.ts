// One screen at a time: the shell (main.ts) draws every screen into one shared container, its
// `main` element. Each screen it shows gets an AbortSignal that is aborted as soon as the shell
// shows another one (`Navigation.show`). A screen that waits for the engine and then draws into
// the container (the settings, the tutor area and its PIN prompt, a redraw after a change, the
// practice summary) checks `signal.aborted` first and, when it was left, draws nothing: an
// answer that comes late never replaces the screen the learner went to meanwhile.
//
// A screen that draws its frame into the container before its first wait, and afterwards only
// fills its own elements (the picker, the library, the course map), needs no check: once left,
// its elements are out of the page and what it writes into them is not seen.

/** The signal of a screen shown outside the shell (a unit test): it is never left. */
export const STAYS: AbortSignal = new AbortController().signal;

/** The shell's screens in turn: the current one's signal, aborted when the next is shown. */
export class Navigation {
  private current = new AbortController();

  /** A new screen is shown: the previous one is left. Returns the new screen's signal. */
  show(): AbortSignal {
    this.current.abort();
    this.current = new AbortController();
    return this.current.signal;
  }

  /** The signal of the screen shown now. */
  get signal(): AbortSignal {
    return this.current.signal;
  }
}
