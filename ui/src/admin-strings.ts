// The words of the settings screen and the tutor area, one catalogue per UI language.
//
// Adding a language: copy the `en` table, translate every value (TypeScript refuses a table with
// a missing or extra key), add it to `CATALOGUES`, and add its tag to `LANGUAGES` in
// crates/ladder-engine/src/admin.rs (the Rust side refuses tags it does not list; a vitest test
// checks the two lists agree through the fixture file). `{name}` placeholders are filled by `t`.

const en = {
  'settings.title': 'Settings',
  'settings.lead': 'The learner model, training, backups, language and the tutor PIN of this device.',
  'model.title': 'Learner model',
  'model.predictor': 'Model in use',
  'model.device': 'Runs on',
  'model.version': 'Active version',
  'model.version.none': 'none trained on this device yet',
  'model.trainedThrough': 'Trained through',
  'model.trainedThrough.never': 'not trained on this device',
  'model.heldBack': 'Held-back AUC',
  'model.events': 'Events logged',
  'device.cpu': 'CPU',
  'device.gpu': 'GPU ({name})',
  'predictor.transformer': 'Transformer (trained)',
  'predictor.transformer.bundled': 'Transformer: the default model that came with Ladder',
  'predictor.transformer.device': 'Transformer: fine-tuned on this device',
  'predictor.online-logistic': 'Built-in estimate (no trained model)',
  'training.trainNow': 'Train now',
  'training.cancel': 'Cancel',
  'training.cancelling': 'Cancelling…',
  'training.running': 'Training ({phase}): {percent}%',
  'training.phase.loading': 'reading the history',
  'training.phase.training': 'epoch {epoch} of {epochs}',
  'training.phase.evaluating': 'comparing on held-back answers',
  'training.phase.saving': 'saving the new model',
  'training.trigger.session_end': 'Started after a practice session.',
  'training.outcome.improved': 'The new model is better on held-back answers and is now in use.',
  'training.outcome.kept_current': 'The new model was not better; the current one stays.',
  'training.outcome.cancelled': 'Training was cancelled; nothing changed.',
  'training.outcome.not_enough_data': 'Not enough answers yet to train; nothing changed.',
  'training.outcome.failed': 'Training failed.',
  'data.title': 'Data folder',
  'data.lead': 'Learners, their history, installed packs, trained models and backups live here.',
  'data.open': 'Open folder',
  'data.copy': 'Copy path',
  'data.copied': 'Path copied.',
  'data.copyFailed': 'Could not copy: select the path and copy it by hand.',
  'backups.title': 'Backups',
  'backups.lead': 'A backup is taken every day at start-up; the 3 newest, and the newest of each of the last 7 days and 4 weeks, are kept.',
  'backups.none': 'No backups yet.',
  'backups.now': 'Back up now',
  'backups.taken': 'Backup taken: {name}',
  'backups.restore': 'Restore…',
  'backups.confirm': 'Replace all current data with the backup of {when}? Everything recorded since then is set aside (kept in the data folder, not deleted).',
  'backups.confirmYes': 'Restore this backup',
  'backups.confirmNo': 'Keep current data',
  'backups.restored': 'Restored the backup {name}: {who}. The previous database was kept at {kept}.',
  'backups.restoredNoPrevious': 'Restored the backup {name}: {who}.',
  'backups.pinSet': 'The restored data has a tutor PIN: the one set when that backup was made.',
  'backups.damaged': 'Damaged, cannot be restored: {problem}',
  'backups.pinGone': 'The restored data has no tutor PIN: set one again below.',
  'count.learner': '1 learner',
  'count.learners': '{n} learners',
  'language.title': 'Language',
  'language.label': 'Language of the app',
  'language.name.en': 'English',
  'language.name.es': 'Español',
  'pin.title': 'Tutor PIN',
  'pin.lead.set': 'A PIN protects the tutor area and these settings.',
  'pin.lead.unset': 'No PIN is set: anyone using this device can open the tutor area and settings.',
  'pin.current': 'Current PIN',
  'pin.new': 'New PIN (4 or more characters)',
  'pin.set': 'Set PIN',
  'pin.change': 'Change PIN',
  'pin.clear': 'Remove PIN',
  'pin.saved': 'PIN saved.',
  'pin.savedOpen': 'PIN saved. The tutor area stays open until you press Lock now or restart Ladder.',
  'pin.cleared': 'PIN removed.',
  'pin.lock': 'Lock now',
  'pin.tooShort': 'A PIN needs at least 4 characters.',
  'pin.wrongCurrent': 'The current PIN is not right: type it in the Current PIN field.',
  'lock.title': 'Tutor PIN',
  'lock.lead': 'This area is for tutors. Enter the tutor PIN to continue.',
  'lock.label': 'PIN',
  'lock.submit': 'Unlock',
  'lock.wrong': 'That PIN is not right.',
  'tutor.title': 'Tutor',
  'tutor.lead': 'Progress reports: what each learner knows, what they struggle with, what to do next.',
  'tutor.scope': 'Report',
  'tutor.scope.learner': 'One learner',
  'tutor.scope.class': 'Whole class',
  'tutor.learner': 'Learner',
  'tutor.course': 'Course',
  'tutor.course.all': 'All courses',
  'tutor.show': 'Show report',
  'tutor.archived': 'Archived learners',
  'tutor.noLearners': 'No learners yet: reports appear once someone has practised.',
  'tutor.export': 'Export',
  'tutor.exported': 'Saved: {files}',
  'tutor.exportCancelled': 'Export cancelled.',
  'tutor.showToExport': 'The choice above has changed: press Show report, then export.',
  'tutor.loading': 'Building the report…',
  'learners.title': 'Learners',
  'learners.lead': 'Rename a learner, or archive one who has left: they leave the picker and their answers stay in reports. An archived learner can be brought back, or deleted for good. Export data saves everything stored about a learner as one JSON file.',
  'learners.active': 'In the picker',
  'learners.archived': 'Archived',
  'learners.noneActive': 'No learners in the picker.',
  'learners.noneArchived': 'No archived learners.',
  'learners.answers.one': '1 answer',
  'learners.answers.many': '{n} answers',
  'learners.facts': '{answers}, last practice {when}',
  'learners.factsNew': '{answers}, has not practised yet',
  'learners.factsArchived': '{answers}, archived {when}',
  'learners.rename': 'Rename',
  'learners.newName': 'New name for {name}',
  'learners.save': 'Save',
  'learners.cancel': 'Cancel',
  'learners.renamed': '{old} is now called {name}.',
  'learners.nameTaken': 'A learner in the picker already has this name (ignoring capitals): choose another.',
  'learners.nameBad': 'Use a name of 1 to 100 characters, without control characters.',
  'learners.archive': 'Archive',
  'learners.archivedDone': '{name} is archived: out of the picker, every answer kept.',
  'learners.unarchive': 'Bring back',
  'learners.unarchived': '{name} is back in the picker.',
  'learners.unarchiveTaken': 'A learner in the picker is also named {name}: rename one of them first.',
  'learners.delete': 'Delete…',
  'learners.deleteConfirm': 'Delete {name} for good? Their answers ({answers}) and everything else about them are erased from this device and from its backups. This cannot be undone.',
  'learners.deleteYes': 'Delete for good',
  'learners.deleteNo': 'Keep',
  'learners.deleted': '{name} was deleted: {events}, {backups}.',
  'learners.records.one': '1 record erased',
  'learners.records.many': '{n} records erased',
  'learners.backups.one': '1 backup cleaned',
  'learners.backups.many': '{n} backups cleaned',
  'learners.deleteWarnings': 'Not cleaned: {warnings}',
  'learners.export': 'Export data',
  'learners.exported': "Saved everything stored about {name}: {file}",
  'learners.exportCancelled': 'Export cancelled.',
  'common.loading': 'Loading…',
} as const;

export type StringKey = keyof typeof en;
type Catalogue = Record<StringKey, string>;

const es: Catalogue = {
  'settings.title': 'Ajustes',
  'settings.lead': 'El modelo del alumno, el entrenamiento, las copias de seguridad, el idioma y el PIN de tutor de este equipo.',
  'model.title': 'Modelo del alumno',
  'model.predictor': 'Modelo en uso',
  'model.device': 'Se ejecuta en',
  'model.version': 'Versión activa',
  'model.version.none': 'aún no entrenado en este equipo',
  'model.trainedThrough': 'Entrenado hasta',
  'model.trainedThrough.never': 'no entrenado en este equipo',
  'model.heldBack': 'AUC en respuestas reservadas',
  'model.events': 'Eventos registrados',
  'device.cpu': 'CPU',
  'device.gpu': 'GPU ({name})',
  'predictor.transformer': 'Transformer (entrenado)',
  'predictor.transformer.bundled': 'Transformer: el modelo por defecto que trae Ladder',
  'predictor.transformer.device': 'Transformer: ajustado en este equipo',
  'predictor.online-logistic': 'Estimación integrada (sin modelo entrenado)',
  'training.trainNow': 'Entrenar ahora',
  'training.cancel': 'Cancelar',
  'training.cancelling': 'Cancelando…',
  'training.running': 'Entrenando ({phase}): {percent} %',
  'training.phase.loading': 'leyendo el historial',
  'training.phase.training': 'época {epoch} de {epochs}',
  'training.phase.evaluating': 'comparando con respuestas reservadas',
  'training.phase.saving': 'guardando el modelo nuevo',
  'training.trigger.session_end': 'Iniciado tras una sesión de práctica.',
  'training.outcome.improved': 'El modelo nuevo es mejor con las respuestas reservadas y ya está en uso.',
  'training.outcome.kept_current': 'El modelo nuevo no era mejor; se mantiene el actual.',
  'training.outcome.cancelled': 'Entrenamiento cancelado; no ha cambiado nada.',
  'training.outcome.not_enough_data': 'Aún no hay respuestas suficientes para entrenar; no ha cambiado nada.',
  'training.outcome.failed': 'El entrenamiento ha fallado.',
  'data.title': 'Carpeta de datos',
  'data.lead': 'Aquí se guardan los alumnos, su historial, los paquetes instalados, los modelos y las copias.',
  'data.open': 'Abrir carpeta',
  'data.copy': 'Copiar ruta',
  'data.copied': 'Ruta copiada.',
  'data.copyFailed': 'No se pudo copiar: seleccione la ruta y cópiela a mano.',
  'backups.title': 'Copias de seguridad',
  'backups.lead': 'Se hace una copia cada día al iniciar; se guardan las 3 más recientes y la más reciente de cada uno de los últimos 7 días y 4 semanas.',
  'backups.none': 'Aún no hay copias.',
  'backups.now': 'Hacer copia ahora',
  'backups.taken': 'Copia hecha: {name}',
  'backups.restore': 'Restaurar…',
  'backups.confirm': '¿Sustituir todos los datos actuales por la copia del {when}? Lo registrado desde entonces se aparta (se guarda en la carpeta de datos, no se borra).',
  'backups.confirmYes': 'Restaurar esta copia',
  'backups.confirmNo': 'Mantener los datos actuales',
  'backups.restored': 'Copia {name} restaurada: {who}. La base de datos anterior se guardó en {kept}.',
  'backups.restoredNoPrevious': 'Copia {name} restaurada: {who}.',
  'backups.pinSet': 'Los datos restaurados tienen un PIN de tutor: el que había cuando se hizo esa copia.',
  'backups.damaged': 'Dañada, no se puede restaurar: {problem}',
  'backups.pinGone': 'Los datos restaurados no tienen PIN de tutor: vuelve a ponerlo abajo.',
  'count.learner': '1 alumno',
  'count.learners': '{n} alumnos',
  'language.title': 'Idioma',
  'language.label': 'Idioma de la aplicación',
  'language.name.en': 'English',
  'language.name.es': 'Español',
  'pin.title': 'PIN de tutor',
  'pin.lead.set': 'Un PIN protege el área de tutor y estos ajustes.',
  'pin.lead.unset': 'No hay PIN: cualquiera que use este equipo puede abrir el área de tutor y los ajustes.',
  'pin.current': 'PIN actual',
  'pin.new': 'PIN nuevo (4 caracteres o más)',
  'pin.set': 'Poner PIN',
  'pin.change': 'Cambiar PIN',
  'pin.clear': 'Quitar PIN',
  'pin.saved': 'PIN guardado.',
  'pin.savedOpen': 'PIN guardado. El área del tutor sigue abierta hasta que pulses Bloquear ahora o reinicies Ladder.',
  'pin.cleared': 'PIN quitado.',
  'pin.lock': 'Bloquear ahora',
  'pin.tooShort': 'Un PIN necesita al menos 4 caracteres.',
  'pin.wrongCurrent': 'El PIN actual no es correcto: escríbelo en el campo PIN actual.',
  'lock.title': 'PIN de tutor',
  'lock.lead': 'Esta área es para tutores. Introduzca el PIN de tutor para continuar.',
  'lock.label': 'PIN',
  'lock.submit': 'Desbloquear',
  'lock.wrong': 'Ese PIN no es correcto.',
  'tutor.title': 'Tutor',
  'tutor.lead': 'Informes de progreso: qué sabe cada alumno, dónde se atasca y qué hacer después.',
  'tutor.scope': 'Informe',
  'tutor.scope.learner': 'Un alumno',
  'tutor.scope.class': 'Toda la clase',
  'tutor.learner': 'Alumno',
  'tutor.course': 'Curso',
  'tutor.course.all': 'Todos los cursos',
  'tutor.show': 'Ver informe',
  'tutor.archived': 'Alumnos archivados',
  'tutor.noLearners': 'Aún no hay alumnos: los informes aparecen cuando alguien ha practicado.',
  'tutor.export': 'Exportar',
  'tutor.exported': 'Guardado: {files}',
  'tutor.exportCancelled': 'Exportación cancelada.',
  'tutor.showToExport': 'La selección ha cambiado: pulsa Ver informe y después exporta.',
  'tutor.loading': 'Preparando el informe…',
  'learners.title': 'Alumnos',
  'learners.lead': 'Cambia el nombre de un alumno o archiva a quien se haya ido: deja de aparecer en la lista de inicio y sus respuestas siguen en los informes. Un alumno archivado se puede recuperar o borrar para siempre. Exportar datos guarda todo lo que hay sobre un alumno en un archivo JSON.',
  'learners.active': 'En la lista de inicio',
  'learners.archived': 'Archivados',
  'learners.noneActive': 'No hay alumnos en la lista de inicio.',
  'learners.noneArchived': 'No hay alumnos archivados.',
  'learners.answers.one': '1 respuesta',
  'learners.answers.many': '{n} respuestas',
  'learners.facts': '{answers}, última práctica {when}',
  'learners.factsNew': '{answers}, aún no ha practicado',
  'learners.factsArchived': '{answers}, archivado {when}',
  'learners.rename': 'Cambiar nombre',
  'learners.newName': 'Nuevo nombre para {name}',
  'learners.save': 'Guardar',
  'learners.cancel': 'Cancelar',
  'learners.renamed': '{old} ahora se llama {name}.',
  'learners.nameTaken': 'Ya hay un alumno con este nombre en la lista de inicio (sin distinguir mayúsculas): elige otro.',
  'learners.nameBad': 'Usa un nombre de 1 a 100 caracteres, sin caracteres de control.',
  'learners.archive': 'Archivar',
  'learners.archivedDone': '{name} está archivado: fuera de la lista de inicio, con todas sus respuestas.',
  'learners.unarchive': 'Recuperar',
  'learners.unarchived': '{name} vuelve a estar en la lista de inicio.',
  'learners.unarchiveTaken': 'Otro alumno de la lista de inicio también se llama {name}: cambia el nombre de uno de los dos primero.',
  'learners.delete': 'Borrar…',
  'learners.deleteConfirm': '¿Borrar a {name} para siempre? Sus respuestas ({answers}) y todo lo demás sobre este alumno se borran de este equipo y de sus copias de seguridad. No se puede deshacer.',
  'learners.deleteYes': 'Borrar para siempre',
  'learners.deleteNo': 'Conservar',
  'learners.deleted': 'Se ha borrado a {name}: {events}, {backups}.',
  'learners.records.one': '1 registro borrado',
  'learners.records.many': '{n} registros borrados',
  'learners.backups.one': '1 copia limpiada',
  'learners.backups.many': '{n} copias limpiadas',
  'learners.deleteWarnings': 'Sin limpiar: {warnings}',
  'learners.export': 'Exportar datos',
  'learners.exported': 'Guardado todo lo que hay sobre {name}: {file}',
  'learners.exportCancelled': 'Exportación cancelada.',
  'common.loading': 'Cargando…',
};

export const CATALOGUES: Record<string, Catalogue> = { en, es };

let current: Catalogue = en;
let currentTag = 'en';

const listeners: Array<() => void> = [];

/** Switches the strings (unknown tags fall back to English) and the document's `lang`; tells
 * the `onLanguageChange` listeners when the language changed. */
export function useLanguage(tag: string): void {
  const before = currentTag;
  currentTag = tag in CATALOGUES ? tag : 'en';
  current = CATALOGUES[currentTag] ?? en;
  if (typeof document !== 'undefined') document.documentElement.lang = currentTag;
  if (currentTag !== before) for (const listener of listeners) listener();
}

/** Calls `listener` after every change of language (the top bar relabels itself). */
export function onLanguageChange(listener: () => void): void {
  listeners.push(listener);
}

export function language(): string {
  return currentTag;
}

/** The string `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  const template = current[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** "1 answer" / "5 answers": `one` for a count of 1, else `many` with `{n}` filled. */
export function counted(n: number, one: StringKey, many: StringKey): string {
  return n === 1 ? t(one) : t(many, { n });
}

/** A time for people, in the current language. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(currentTag, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A size for people (kB or MB). */
export function formatSize(bytes: number): string {
  return bytes >= 1_000_000
    ? `${(bytes / 1_000_000).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1000))} kB`;
}
