/**
 * The language each installed pack's own text is written in, for HTML `lang` on the pack's text
 * (titles, skill and lesson names, descriptions, items, hints, feedback): a screen reader then
 * says a Spanish course's words with Spanish sounds under an English UI, and the English titles
 * of a Spanish course explained in English with English sounds under a Spanish UI (WCAG 3.1.2).
 * The engine gives it as `CourseInfo.text_language`: the pack's `text_language`, else its only
 * language; none for a pack in several languages that names none. Words in another language
 * inside that text carry their own mark (`<span lang="es">`, which the engine keeps). Filled by
 * the screens that receive a course (the library, the course map, practice).
 */
const languages = new Map<string, string>();

/** Remembers the language of `course`'s text (or forgets it when the course has none). */
export function rememberPackLanguage(course: { id: string; text_language: string | null }): void {
  if (course.text_language) languages.set(course.id, course.text_language);
  else languages.delete(course.id);
}

/** The language of `pack`'s text, or `undefined` (then the UI's language applies). */
export function packLanguage(pack: string): string | undefined {
  return languages.get(pack);
}
