// Generated from the Rust wire types by `UPDATE_TS_BINDINGS=1 cargo test -p ladder-app bindings`
// (src-tauri/src/bindings.rs). Do not edit: change the Rust types and regenerate.
/* eslint-disable */

export type ErrorKind = "bad_request" | "unknown_command" | "not_found" | "conflict" | "store" | "pack" | "model" | "internal";

export type Reason = "learner_not_found" | "course_not_found" | "lesson_not_found" | "session_not_found" | "learner_name_taken" | "learner_archived" | "lesson_locked" | "lesson_empty" | "lesson_removed" | "nothing_to_practise" | "session_ended" | "no_item_on_screen" | "item_done" | "item_removed" | "item_changed" | "no_more_hints" | "no_solution" | "training_busy" | "learner_renamed" | "learner_not_archived" | "tutor_locked" | "model_changed";

export type ReasonValues = { 
/**
 * The id that was asked for and is not there.
 */
id?: string, 
/**
 * A learner's name.
 */
name?: string, 
/**
 * The course: its title, or its id where only the id is known (`lesson_not_found`).
 */
course?: string, 
/**
 * The lesson: its title, or its id where the lesson is gone (`lesson_removed`).
 */
lesson?: string, 
/**
 * The skills, by name, a locked lesson needs first.
 */
needs?: Array<string>, 
/**
 * The level (0 to 1) those skills must reach.
 */
at?: number, 
/**
 * An item's id.
 */
item?: string, 
/**
 * A session's id.
 */
session?: number, };

export type WireError = { kind: ErrorKind, reason?: Reason, values?: ReasonValues, message: string, };

export type PolicyKind = "adaptive" | "fixed-order" | "bkt-mastery" | "random";

export type HintDecision = "none" | "offer" | "show";

export type Answer = { "kind": "choice", "value": Array<number> } | { "kind": "text", "value": string } | { "kind": "cloze", "value": Array<string> } | { "kind": "order", "value": Array<number> };

export type PackDiff = { pack: string, title: string, from_version: string | null, to_version: string, added: Array<string>, changed: Array<string>, removed: Array<string>, unchanged: number, meta_changed: boolean, removed_with_history: Array<string>, returning: boolean, };

export type ChangeLine = { label: string, ids: Array<string>, };

export type LearnerInfo = { id: number, name: string, };

export type CourseInfo = { id: string, version: string, title: string, description: string, skills: number, lessons: number, items: number, 
/**
 * The languages of the pack's content, as its `pack.toml` declares them (BCP 47 tags, in
 * its order).
 */
languages: Array<string>, 
/**
 * The language the pack's own text is written in: `pack.toml`'s `text_language`, else its
 * only language; `null` for a pack in several languages that names none. A front end
 * marks the pack's text with it (HTML `lang`: titles, names, descriptions, items), so a
 * screen reader says it with that language's sounds under a UI in another language; words
 * in another language inside it carry their own mark (`<span lang="es">`).
 */
text_language: string | null, };

export type SkillView = { id: string, name: string, 
/**
 * Predicted success now on a typical item of the skill (0..1): with the forgetting since it
 * was last practised, so a skill left for long reads lower.
 */
mastery: number, 
/**
 * Standard deviation of `mastery`.
 */
uncertainty: number, 
/**
 * The model is confident the skill is mastered, and it has not faded below the review line.
 */
mastered: boolean, locked: boolean, 
/**
 * Names of the prerequisites still missing (empty when unlocked).
 */
locked_because: Array<string>, 
/**
 * First answers given on the skill.
 */
attempts: number, 
/**
 * Set when the model is confident the skill is mastered but the learner's latest answers
 * on it do not back it yet (`Settings::mastery_recent_share`), so it is not counted
 * mastered: what those answers were and what it takes.
 */
unconfirmed?: Unconfirmed, };

export type Unconfirmed = { 
/**
 * The latest answers on the skill that count (at most 5; a right answer given after the
 * worked solution does not).
 */
answers: number, 
/**
 * How many of them were right (with or without hints).
 */
right: number, 
/**
 * How many of them must be right for the skill to count as mastered.
 */
needed: number, };

export type LessonStatus = "locked" | "available" | "in_progress" | "mastered";

export type LessonView = { id: string, title: string, status: LessonStatus, skills: Array<string>, items: number, fixed_order: boolean, 
/**
 * Why it is locked: "needs Equivalent fractions".
 */
locked_because: Array<string>, 
/**
 * The lesson's introduction (the pack's `intro`), rendered and sanitised like an item's
 * prompt; `None` when the lesson has none.
 */
intro_html: string | null, };

export type CourseMap = { course: CourseInfo, skills: Array<SkillView>, lessons: Array<LessonView>, 
/**
 * The mastery (0..1) a prerequisite must reach before the skills built on it unlock: the
 * engine's `prerequisite_threshold` (or `unlock_threshold` when higher). It can be above the
 * mastery line, so a skill may read mastered while a skill built on it is still locked;
 * the map says this level with every lock.
 */
unlock_at: number, };

export type SessionInfo = { session: number, learner: number, course: string, lesson: string | null, policy: PolicyKind, };

export type SkillProgress = { id: string, name: string, 
/**
 * First answers on the skill in the session, and the right ones of them (not counting a
 * right answer after the worked solution).
 */
answers: number, right: number, 
/**
 * The course map's figure when the session began, and now.
 */
before: number, after: number, uncertainty: number, mastered_before: boolean, mastered: boolean, 
/**
 * As [`SkillView::unconfirmed`], now.
 */
unconfirmed?: Unconfirmed, };

export type ChoiceView = { 
/**
 * The 1-based position in the pack's list: what an answer refers to.
 */
position: number, html: string, };

export type ItemView = { id: string, 
/**
 * `choice`, `numeric`, `text`, `cloze` or `order`.
 */
kind: string, lesson: string, skills: Array<string>, prompt_html: string, 
/**
 * Choice options or order entries, in display order (shuffled when the pack asks).
 */
choices: Array<ChoiceView>, 
/**
 * Choice items: more than one option is correct ("select all").
 */
select_all: boolean, 
/**
 * Cloze items: how many blanks (`{{1}}` .. `{{n}}` in the prompt).
 */
blanks: number, 
/**
 * Numeric items: the unit shown after the box.
 */
unit: string | null, 
/**
 * Rungs of the hint ladder (hints, then the worked solution).
 */
hint_levels: number, 
/**
 * The ladder ends in a worked solution (`view_solution` is refused without one, so a
 * front end offers no "show the solution" for such an item).
 */
has_solution: boolean, 
/**
 * Text and cloze items: the language the learner types the answer in (BCP 47), the
 * item's `answer_language`, else the pack's, else the language of the pack's text. A front
 * end marks the answer boxes with it (HTML `lang`), so that a screen reader says back what
 * the learner types with that language's sounds (Spanish answers in a Spanish course
 * explained in English). `null` for choice, order and numeric items, whose learner types
 * no words (a number's box keeps the UI's language), and when the pack names no language.
 */
answer_language: string | null, };

export type HintView = { 
/**
 * 1-based rung.
 */
level: number, 
/**
 * Rungs in all.
 */
of: number, html: string, 
/**
 * This rung is the worked solution.
 */
is_solution: boolean, };

export type Step = { session: number, 
/**
 * 1-based number of this item in the session.
 */
number: number, item: ItemView, 
/**
 * Why this item, in one sentence.
 */
reason: string, 
/**
 * Predicted probability of a right first answer.
 */
predicted: number, hint: HintDecision, 
/**
 * Rungs already seen (after a restart, so the screen can be rebuilt).
 */
hints_shown: Array<HintView>, 
/**
 * Answers already given to this item.
 */
answers: number, 
/**
 * The item was already answered right (or skipped): ask for the next step.
 */
resolved: boolean, 
/**
 * Items of the session answered so far, and how many of them right the first time, as
 * the session summary counts them (a front end that carries a session on after a restart
 * starts its counts from these).
 */
session_answered: number, session_correct_first: number, };

export type SkillChange = { id: string, name: string, 
/**
 * The skill's figure as the course map gives it ([`SkillView::mastery`]) just before the
 * answer and just after it.
 */
before: number, after: number, uncertainty: number, mastered: boolean, 
/**
 * Whether it was mastered just before the answer (as the course map gave it then).
 */
mastered_before: boolean, };

export type AnswerResult = { correct: boolean, 
/**
 * The pack's feedback for this answer, as HTML.
 */
feedback_html: string | null, 
/**
 * Cloze items: per-blank results.
 */
blanks: Array<boolean>, 
/**
 * The item's skills, before and after.
 */
mastery: Array<SkillChange>, 
/**
 * Other skills of the course that the answer took over or under the mastery line (the
 * learner's ability is shared: an answer on one skill moves the others' figures too), in
 * course order: a skill that is no longer mastered, or is now, is said so.
 */
also: Array<SkillChange>, 
/**
 * Whether a hint is now offered, or shown (`hint_shown`).
 */
hint: HintDecision, hint_shown: HintView | null, 
/**
 * Wrong answers so far on this item.
 */
wrong_answers: number, };

export type SessionSummary = { session: number, items: number, answered: number, correct_first: number, skipped: number, hints: number, duration_s: number, 
/**
 * The skills practised in the session (a first answer on one of their items), in course
 * order: where each stood when the session began and where it stands now. Empty when the
 * course was removed meanwhile.
 */
skills: Array<SkillProgress>, };

export type MasterySummary = { learner: number, course: string, skills: Array<SkillView>, mastered: number, total: number, 
/**
 * First answers on the course.
 */
answers: number, };

export type SkipResult = { skipped: boolean, };

export type PreloadProblem = { 
/**
 * The folder or file name inside the preload folder.
 */
source: string, message: string, };

export type PreloadReport = { 
/**
 * Packs installed or upgraded, with what changed.
 */
installed: Array<PackDiff>, 
/**
 * Packs already installed at the same or a newer version, and courses a tutor removed on
 * this device ([`crate::Engine::course_roster`]).
 */
skipped: Array<string>, problems: Array<PreloadProblem>, };

export type AppInfo = { version: string, data_dir: string, 
/**
 * The preload folder.
 */
packs_dir: string, 
/**
 * The packs of the preload folder that could not be installed when the engine was opened
 * (a pack that does not validate or cannot be read), with why: the library shows them, so
 * a teacher who prepared the folder learns what went wrong (they were only printed to
 * stderr).
 */
preload_problems: Array<PreloadProblem>, 
/**
 * What opening the database could not do but did not need (a database file that cannot be
 * written, a daily backup that could not be taken: `Store::startup_warnings`, in English):
 * the library shows them, so that nobody learns of it only when an answer fails to save.
 */
store_warnings: Array<string>, };

export type Command = { "command": "list_learners", "params": Record<symbol, never> } | { "command": "add_learner", "params": { name: string, } } | { "command": "list_courses", "params": Record<symbol, never> } | { "command": "install_pack", "params": { path: string, dry_run: boolean, } } | { "command": "course_map", "params": { learner: number, course: string, } } | { "command": "start_session", "params": { learner: number, course: string, lesson: string | null, policy: PolicyKind | null, 
/**
 * Carry on the learner's open session on the course from the same sitting, as the
 * desktop app does ([`Engine::resume_session`]); a new session when there is none.
 */
resume?: boolean, } } | { "command": "next_step", "params": { session: number, } } | { "command": "submit_answer", "params": { session: number, answer: Answer, latency_ms: number, } } | { "command": "request_hint", "params": { session: number, } } | { "command": "view_solution", "params": { session: number, } } | { "command": "skip", "params": { session: number, } } | { "command": "end_session", "params": { session: number, } } | { "command": "mastery_summary", "params": { learner: number, course: string, } };

/** The result type of each command the app offers. */
export interface CommandResults {
  app_info: AppInfo;
  choose_pack_file: string | null;
  choose_pack_folder: string | null;
  list_learners: Array<LearnerInfo>;
  add_learner: LearnerInfo;
  list_courses: Array<CourseInfo>;
  install_pack: PackDiff;
  preview_pack: { diff: PackDiff, changes: Array<ChangeLine>, warnings: Array<string> };
  course_map: CourseMap;
  start_session: SessionInfo;
  next_step: Step;
  submit_answer: AnswerResult;
  request_hint: HintView;
  view_solution: HintView;
  skip: SkipResult;
  end_session: SessionSummary;
  mastery_summary: MasterySummary;
}
