/**
 * The language each installed pack's content is written in, for HTML `lang` on the pack's text
 * (titles, skill and lesson names, items, hints, feedback): a screen reader then says a Spanish
 * course's words with Spanish sounds under an English UI (WCAG 3.1.2). Known when the pack's
 * `pack.toml` declares exactly one language (`CourseInfo.languages`); a pack in several marks
 * the words of each itself (`<span lang="es">`, which the engine keeps). Filled by the screens
 * that receive a course (the library, the course map, practice).
 */
const languages = new Map<string, string>();

/** Remembers `course`'s content language (or forgets it when it declares none or several). */
export function rememberPackLanguage(course: { id: string; languages: string[] }): void {
  const [only, ...more] = course.languages;
  if (only !== undefined && more.length === 0) languages.set(course.id, only);
  else languages.delete(course.id);
}

/** The one language of `pack`'s content, or `undefined` (then the UI's language applies). */
export function packLanguage(pack: string): string | undefined {
  return languages.get(pack);
}
