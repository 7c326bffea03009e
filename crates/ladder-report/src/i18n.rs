//! Every fixed word and sentence a report writes, in each [`Language`] it is written in.
//!
//! The renderers (HTML, PDF, CSV) and the builder (stall evidence, "who needs help" reasons)
//! take their text from here and from nowhere else, so that a report's screen and its exports
//! are in one language. Text that comes from elsewhere is not translated: learner names, pack
//! text (course, skill and answer text) and the engine policy's reason for the next focus.
//!
//! A sentence with figures is a template with named placeholders (`{n}`), filled by [`fill`] in
//! one pass (a value that itself holds `{n}`, such as a learner's name, is left alone). Both
//! languages of an entry sit side by side in [`catalogue!`], and a test checks that they use the
//! same placeholders.

use std::fmt::Display;

/// The language a report is written in: the engine's (`ladder_engine::Language`), so that a
/// report and the engine's sentences in it (the next focus's reason) cannot disagree on which
/// languages exist. Dates stay ISO (`2025-11-08`) and numbers keep one format (`72%`) in every
/// language; English is the default, and the language of reports made before languages existed.
pub use ladder_engine::Language;

/// A language's report catalogue.
pub(crate) trait Text {
    fn text(self) -> &'static Catalogue;
}

impl Text for Language {
    fn text(self) -> &'static Catalogue {
        match self {
            Language::En => &EN,
            Language::Es => &ES,
        }
    }
}

/// Every fixed piece of text of a language's report catalogue: each entry cut at its
/// placeholders, trimmed. For checks that a rendering holds no word of another language.
pub trait FixedStrings {
    fn fixed_strings(self) -> Vec<&'static str>;
}

impl FixedStrings for Language {
    fn fixed_strings(self) -> Vec<&'static str> {
        let mut out = Vec::new();
        for (_, template) in self.text().entries() {
            let mut rest = template;
            while !rest.is_empty() {
                let (piece, after) = match rest.find('{') {
                    Some(k) => {
                        let close = rest[k..].find('}').map_or(rest.len(), |c| k + c + 1);
                        (&rest[..k], &rest[close..])
                    }
                    None => (rest, ""),
                };
                let piece = piece.trim();
                if !piece.is_empty() {
                    out.push(piece);
                }
                rest = after;
            }
        }
        out
    }
}

/// A template with its placeholders replaced: `{name}` by the value paired with `name`. One
/// pass over the template, so values are never searched for placeholders; an unknown
/// placeholder is kept as written (a test checks that none is).
pub(crate) fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(k) = rest.find('{') {
        out.push_str(&rest[..k]);
        let after = &rest[k + 1..];
        match after.find('}').map(|c| (&after[..c], &after[c + 1..])) {
            Some((name, tail)) => {
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(&value.to_string()),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Declares the catalogue: one field per entry, its English and its Spanish side by side.
macro_rules! catalogue {
    ($($(#[$doc:meta])* $name:ident: $en:literal, $es:literal;)*) => {
        /// The fixed text of reports in one language (see the module documentation).
        pub(crate) struct Catalogue {
            $($(#[$doc])* pub $name: &'static str,)*
        }

        const EN: Catalogue = Catalogue { $($name: $en,)* };
        const ES: Catalogue = Catalogue { $($name: $es,)* };

        impl Catalogue {
            /// Every entry: its name and text.
            pub(crate) fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($name), self.$name),)*]
            }
        }
    };
}

catalogue! {
    // ----- titles and the header
    title_learner: "Progress report: {name}", "Informe de progreso: {name}";
    title_class_one: "Class report: 1 learner", "Informe de la clase: 1 alumno";
    title_class_many: "Class report: {n} learners", "Informe de la clase: {n} alumnos";
    made: "Made {when} · times in {zone} · learner model: {model}",
        "Generado el {when} · horario de {zone} · modelo del alumno: {model}";
    /// The zone of the above when the computer's could not be found (`{zone}`: UTC).
    zone_not_found: "{zone} (this computer's time zone was not found)",
        "{zone} (no se encontró la zona horaria de este equipo)";
    /// The group of a class report (names separated by semicolons, since names may hold commas).
    learners_list: "Learners: {names}", "Alumnos: {names}";
    learners_none: "Learners: none", "Alumnos: ninguno";
    no_practice: "No practice on any installed course yet.",
        "Todavía no hay práctica en ningún curso instalado.";
    /// Under the header when courses with history are not installed (removed, history kept).
    left_out: "Left out, as not installed on this device (the answers on them are kept, and come back when the course is installed again): {courses}.",
        "Quedan fuera, por no estar instalados en este dispositivo (sus respuestas se conservan y vuelven al instalar de nuevo el curso): {courses}.";
    /// After the course's title.
    course_version: "({id}, version {version})", "({id}, versión {version})";

    // ----- a learner's totals
    first_answers: "First answers", "Primeras respuestas";
    right_first_time: "Right first time", "Correctas a la primera";
    accuracy: "Accuracy", "Acierto";
    items_attempted: "Items attempted", "Ejercicios intentados";
    /// "13 of 133" (items), "75% of 4" (a grid cell: accuracy of how many first answers).
    of_total: "{n} of {total}", "{n} de {total}";
    answers_with_retries: "Answers (with retries)", "Respuestas (con reintentos)";
    hints_by_level: "Hints by level", "Pistas por nivel";
    hints_none: "none", "ninguna";
    hint_level: "L{level}: {count}", "N{level}: {count}";
    solutions_viewed: "Solutions viewed", "Soluciones vistas";
    answers_after_help: "Answers after help", "Respuestas tras ayuda";
    skips: "Skips", "Saltados";
    sessions: "Sessions", "Sesiones";
    time_on_task: "Time on task", "Tiempo de trabajo";
    active: "Active", "Actividad";
    active_span: "{from} to {to}", "del {from} al {to}";
    day_streak: "Day streak (now / best)", "Días seguidos (act./máx.)";
    right_in_a_row: "Right in a row (now / best)", "Aciertos seguidos (act./máx.)";
    /// Column headers of the PDF's totals table.
    figure: "Figure", "Dato";
    value: "Value", "Valor";

    // ----- recent activity (the last days before the report was made)
    /// The heading of the recent block, and the class grid's column of it.
    /// One day: the window is yesterday and today (whole days of the report's time zone).
    recent_heading_one: "Since yesterday", "Desde ayer";
    recent_heading_many: "Last {days} days", "Últimos {days} días";
    recent_none_one: "No practice since yesterday.", "Sin práctica desde ayer.";
    recent_none_many: "No practice in the last {days} days.",
        "Sin práctica en los últimos {days} días.";
    /// Instead of the above for a course the learner, or everyone in the group, never answered
    /// on: "no practice in the last 7 days" would say that there was some before.
    recent_never_learner: "No answers on this course yet.",
        "Todavía no hay respuestas en este curso.";
    recent_never_group: "Nobody in this group has answered on this course yet.",
        "Nadie de este grupo ha respondido todavía en este curso.";
    recent_first_answers_one: "1 first answer", "1 primera respuesta";
    recent_first_answers_many: "{n} first answers", "{n} primeras respuestas";
    recent_right: "{accuracy} right", "{accuracy} de acierto";
    /// After the above when some of those first answers came after help.
    recent_after_help: "{n} of them after a hint or the solution",
        "{n} de ellas tras una pista o la solución";
    recent_sessions_one: "1 session", "1 sesión";
    recent_sessions_many: "{n} sessions", "{n} sesiones";
    /// Skill names follow.
    recent_practised: "practised: {skills}", "habilidades practicadas: {skills}";
    recent_newly_mastered: "newly mastered: {skills}", "recién dominadas: {skills}";
    /// A class: how many of its learners gave a first answer in the window.
    recent_learners: "learners who practised: {active} of {n}",
        "alumnos que practicaron: {active} de {n}";
    recent_mastered_count_one: "1 skill newly mastered", "1 habilidad recién dominada";
    recent_mastered_count_many: "{n} skills newly mastered", "{n} habilidades recién dominadas";

    // ----- the next focus
    next_focus: "Next recommended focus", "Próximo objetivo recomendado";
    /// After the skill's name; the policy's reason (in the engine's English) follows.
    focus_item: "(item {item}, predicted {predicted})",
        "(ejercicio {item}, acierto previsto {predicted})";
    /// Before the focus when it is the item on the learner's screen (an open session shows it,
    /// not yet answered right): a tutor reading the report in the lesson sees the learner's
    /// question, not the one after it.
    focus_on_screen: "On the learner's screen now (shown {time}, session still open):",
        "En la pantalla del alumno ahora (mostrado el {time}, sesión aún abierta):";
    nothing_to_practise: "Nothing to practise in this course.",
        "No hay nada que practicar en este curso.";

    // ----- skills
    skills: "Skills", "Habilidades";
    skill: "Skill", "Habilidad";
    /// Right first answers (a count).
    right: "Right", "Correctas";
    mastery: "Mastery", "Dominio";
    recall_now: "Recall now", "Recuerdo ahora";
    recall: "Recall", "Recuerdo";
    mastered: "Mastered", "Dominada";
    last_practised: "Last practised", "Última práctica";
    practised: "Practised", "Practicada";
    over_time: "Over time", "Evolución";
    yes: "yes", "sí";
    no: "no", "no";
    /// The "Mastered" cell of a skill the model is confident of whose latest answers do not
    /// back it yet (`SkillRow::unconfirmed`).
    not_yet: "not yet", "aún no";
    unconfirmed_lead: "“Not yet”: the model is confident, but the learner's latest answers on the skill do not back it yet:",
        "«Aún no»: el modelo está seguro, pero las últimas respuestas del alumno en la habilidad aún no lo respaldan:";
    unconfirmed_detail: "{right} of the last {answers} answers right, {needed} needed",
        "{right} de las últimas {answers} respuestas correctas, hacen falta {needed}";
    /// First answers, in the PDF's narrow columns: the heading on two lines.
    answers_short: "First\nanswers", "Primeras\nresp.";
    mastery_over_time: "Mastery over time (after each session)",
        "Evolución del dominio (tras cada sesión)";

    // ----- skills that may stall
    may_stall: "Skills that may stall", "Habilidades que pueden estancarse";
    no_stalls: "None: no skill shows wheel-spinning, falling recall or mastery in doubt.",
        "Ninguna: ninguna habilidad muestra atasco, recuerdo en descenso ni dominio dudoso.";
    wheel_spinning: "Wheel-spinning", "Atasco";
    falling_recall: "Falling recall", "Recuerdo en descenso";
    /// A falling estimate of a skill that never reached the mastery line.
    falling_mastery: "Falling mastery", "Dominio en descenso";
    answers_disagree: "Mastery in doubt", "Dominio dudoso";
    /// The CSV's `stalled` cell (English: the JSON's code, as it always was).
    csv_wheel_spinning: "wheel_spinning", "atasco";
    csv_falling_recall: "falling_recall", "recuerdo en descenso";
    csv_answers_disagree: "answers_disagree", "dominio dudoso";
    evidence_wheel_spinning:
        "{attempts} first answers, {accuracy} right, mastery {mastery}: not mastered after {min} or more tries.",
        "{attempts} primeras respuestas, {accuracy} de acierto, dominio {mastery}: sin dominar tras {min} intentos o más.";
    /// After the above when some of those first answers came after help.
    evidence_after_help: "{n} of them after a hint or the solution.",
        "{n} de ellas tras una pista o la solución.";
    evidence_fading:
        "Predicted recall now {recall}, below the review level {review}; mastery was {peak} (last practised {date}).",
        "Recuerdo previsto ahora {recall}, por debajo del nivel de repaso {review}; el dominio llegó a {peak} (última práctica: {date}).";
    evidence_fall: "Predicted mastery fell from {peak} to {now} over the last sessions.",
        "El dominio previsto bajó de {peak} a {now} en las últimas sesiones.";
    evidence_disagree:
        "Shown mastered ({mastery}), but only {credited} of its last {n} first answers earned credit: the estimate may be wrong; watch this skill.",
        "Se muestra dominada ({mastery}), pero solo {credited} de sus últimas {n} primeras respuestas sumaron: la estimación puede estar equivocada; conviene vigilarla.";

    // ----- calibration
    calibration_heading: "Can the predictions be trusted?", "¿Son fiables las predicciones?";
    /// The calibration sentence: what was counted (by the count: "1 first answers" is wrong in
    /// English, "las 1 primeras respuestas" in Spanish), then [`Catalogue::calibration_details`].
    calibration_learner_one: "Predicted against observed success on this learner's only first answer given without help",
        "Acierto previsto frente al observado en la única primera respuesta sin ayuda de este alumno";
    calibration_learner_many: "Predicted against observed success on this learner's {total} first answers given without help",
        "Acierto previsto frente al observado en las {total} primeras respuestas sin ayuda de este alumno";
    calibration_class_one: "Predicted against observed success on the class's only first answer given without help",
        "Acierto previsto frente al observado en la única primera respuesta sin ayuda de la clase";
    calibration_class_many: "Predicted against observed success on the class's {total} first answers given without help",
        "Acierto previsto frente al observado en las {total} primeras respuestas sin ayuda de la clase";
    /// After the above. The Spanish names its counts ("predichas al responder: 1"), so that
    /// they agree with any number.
    calibration_details:
        "({recorded} predicted at answer time, {replayed} replayed from the answers before). Calibration error {ece}, Brier score {brier}. Dots on the dashed line mean the predictions were right on average.",
        "(predichas al responder: {recorded}; recalculadas con las respuestas anteriores: {replayed}). Error de calibración {ece}, puntuación de Brier {brier}. Si los puntos quedan sobre la línea discontinua, las predicciones acertaron de media.";
    /// After the calibration sentence when some first answers came after help: the prediction
    /// is of success without help, so those answers are not counted.
    calibration_left_out_one:
        "1 first answer given after a hint or the worked solution is left out: the predictions are of success without help.",
        "Queda fuera 1 primera respuesta dada tras una pista o la solución: las predicciones son de acierto sin ayuda.";
    calibration_left_out_many:
        "{n} first answers given after a hint or the worked solution are left out: the predictions are of success without help.",
        "Quedan fuera {n} primeras respuestas dadas tras una pista o la solución: las predicciones son de acierto sin ayuda.";
    /// Instead of the chart when every first answer came after help.
    calibration_all_helped_learner_one:
        "The only first answer of this learner came after a hint or the worked solution, and the predictions are of success without help: there is nothing to check them against yet.",
        "La única primera respuesta de este alumno llegó tras una pista o la solución, y las predicciones son de acierto sin ayuda: todavía no hay con qué comprobarlas.";
    calibration_all_helped_learner_many:
        "All {n} first answers of this learner came after a hint or the worked solution, and the predictions are of success without help: there is nothing to check them against yet.",
        "Las {n} primeras respuestas de este alumno llegaron todas tras una pista o la solución, y las predicciones son de acierto sin ayuda: todavía no hay con qué comprobarlas.";
    calibration_all_helped_class_one:
        "The only first answer of the class came after a hint or the worked solution, and the predictions are of success without help: there is nothing to check them against yet.",
        "La única primera respuesta de la clase llegó tras una pista o la solución, y las predicciones son de acierto sin ayuda: todavía no hay con qué comprobarlas.";
    calibration_all_helped_class_many:
        "All {n} first answers of the class came after a hint or the worked solution, and the predictions are of success without help: there is nothing to check them against yet.",
        "Las {n} primeras respuestas de la clase llegaron todas tras una pista o la solución, y las predicciones son de acierto sin ayuda: todavía no hay con qué comprobarlas.";
    nothing_to_calibrate:
        "No first answers yet, so there is nothing to check the predictions against.",
        "Todavía no hay primeras respuestas con las que comprobar las predicciones.";
    predicted: "Predicted", "Predicción";
    /// First answers in a calibration bin.
    answers: "Answers", "Respuestas";
    mean_predicted: "Mean predicted", "Media predicha";
    observed: "Observed", "Observado";
    bin_range: "{from} to {to}", "de {from} a {to}";

    // ----- charts
    chart_skills: "Mastery and accuracy per skill", "Dominio y acierto por habilidad";
    legend_mastery: "predicted mastery ± sd", "dominio previsto ± DE";
    legend_accuracy: "accuracy (first answers)", "acierto (primeras respuestas)";
    chart_sparkline: "Predicted mastery after each session", "Dominio previsto tras cada sesión";
    chart_calibration: "Predicted and observed success", "Acierto previsto y observado";
    axis_predicted: "predicted success", "acierto previsto";
    axis_observed: "observed success", "acierto observado";

    // ----- a class
    learners_and_skills: "Learners and skills", "Alumnos y habilidades";
    no_learners: "No learners in this group.", "No hay alumnos en este grupo.";
    grid_note_html:
        "Each cell: predicted mastery, then accuracy of the first answers and how many. Green: mastered; an orange frame: the skill may stall.",
        "Cada celda: dominio previsto y, debajo, acierto en las primeras respuestas y cuántas son. Verde: dominada; marco naranja: la habilidad puede estancarse.";
    grid_note_pdf:
        "Each cell: predicted mastery / accuracy of the first answers (count). * mastered, ! may stall.",
        "Cada celda: dominio previsto / acierto en las primeras respuestas (cuántas). * dominada, ! puede estancarse.";
    /// The PDF's legend of the grid's numbered skill columns.
    skills_legend: "Skills: {list}", "Habilidades: {list}";
    learner: "Learner", "Alumno";
    need_help: "Learners who need help now", "Alumnos que necesitan ayuda ahora";
    nobody: "Nobody: no stalled skill and no run of wrong answers.",
        "Nadie: ninguna habilidad estancada ni rachas de errores.";
    /// A learner report's header line on a learner archived when it was made.
    archived_learner:
        "Archived on {date}: out of practice until brought back; their answers are kept.",
        "En el archivo desde el {date}: no practica hasta que se le recupere; sus respuestas se conservan.";
    /// A class's list of learners: one archived when the report was made.
    archived_name: "{name} (archived)", "{name} (en el archivo)";
    reason_stuck: "stuck on {skill}: {evidence}", "se atasca en {skill}: {evidence}";
    reason_losing: "losing {skill}: {evidence}", "va olvidando {skill}: {evidence}";
    reason_slipping: "slipping on {skill}: {evidence}", "retrocede en {skill}: {evidence}";
    reason_doubt: "mastery of {skill} in doubt: {evidence}", "dominio dudoso de {skill}: {evidence}";
    /// A learner who answered on the course before the recent window and not in it; `{none}`
    /// is `recent_none_one` or `recent_none_many`.
    reason_absent: "{none} Last first answer on {date}.", "{none} Última primera respuesta el {date}.";
    /// Instead of one `reason_doubt` per skill when several skills of a learner are in doubt.
    reason_doubt_many:
        "mastery of {count} skills in doubt: shown mastered ({mastery}), but fewer than half of the last {n} first answers on each earned credit: the estimates may be wrong; watch {skills}.",
        "dominio dudoso de {count} habilidades: se muestran dominadas ({mastery}), pero menos de la mitad de las últimas {n} primeras respuestas de cada una sumaron: las estimaciones pueden estar equivocadas; conviene vigilar {skills}.";
    reason_recent: "{right} of the last {n} first answers right.",
        "Acertó {right} de sus últimas {n} primeras respuestas.";
    /// Instead of the above when some of those right answers came after help: each kind of
    /// right answer, and how much it counted (a hint: the credit mastery gives it; the
    /// solution: none).
    reason_recent_hinted:
        "{right} of the last {n} first answers right without help, {hinted} after a hint (counted at {credit}).",
        "Acertó {right} de sus últimas {n} primeras respuestas sin ayuda y {hinted} tras una pista (al {credit}).";
    reason_recent_solved:
        "{right} of the last {n} first answers right without help, {solved} after the worked solution (not counted).",
        "Acertó {right} de sus últimas {n} primeras respuestas sin ayuda y {solved} tras ver la solución (sin contar).";
    reason_recent_hinted_solved:
        "{right} of the last {n} first answers right without help, {hinted} after a hint (counted at {credit}), {solved} after the worked solution (not counted).",
        "Acertó {right} de sus últimas {n} primeras respuestas sin ayuda, {hinted} tras una pista (al {credit}) y {solved} tras ver la solución (sin contar).";
    /// A learner who skipped at least half of their last questions (never fewer than 3).
    reason_skips: "Skipped {skipped} of the last {n} questions.",
        "Se saltó {skipped} de sus últimas {n} preguntas.";
    hardest_items: "Hardest items", "Ejercicios más difíciles";
    no_hard_items: "No item was answered wrong first time or needed a hint.",
        "Ningún ejercicio se falló a la primera ni necesitó pistas.";
    item: "Item", "Ejercicio";
    learners: "Learners", "Alumnos";
    wrong_first: "Wrong first", "Mal a la primera";
    hints: "Hints", "Pistas";
    common_wrong_answers: "Common wrong answers", "Errores frecuentes";
    /// A picked choice or order entry whose position the item does not have.
    option_n: "option {n}", "opción {n}";

    // ----- the PDF's footer
    page_of: "Page {page} of {pages}", "Página {page} de {pages}";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(template: &str) -> Vec<String> {
        let mut out: Vec<String> = template
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_entry_has_the_same_placeholders_in_every_language() {
        let en = EN.entries();
        for lang in Language::ALL {
            let other = lang.text().entries();
            assert_eq!(other.len(), en.len());
            for ((name, a), (_, b)) in en.iter().zip(&other) {
                assert!(!b.trim().is_empty(), "{name} is empty in {lang:?}");
                assert_eq!(placeholders(a), placeholders(b), "{name} in {lang:?}: {b}");
            }
        }
    }

    #[test]
    fn templates_are_filled_in_one_pass() {
        let t = Language::Es.text();
        assert_eq!(fill(t.title_learner, &[("name", &"Ana")]), "Informe de progreso: Ana");
        // A value holding a placeholder's name is not filled again.
        assert_eq!(
            fill("{a} and {b}", &[("a", &"{b}"), ("b", &2)]),
            "{b} and 2",
            "values are not templates"
        );
        assert_eq!(fill("{missing} {", &[]), "{missing} {");
        assert_eq!(fill(EN.page_of, &[("page", &1), ("pages", &3)]), "Page 1 of 3");
        assert_eq!(fill(ES.page_of, &[("page", &1), ("pages", &3)]), "Página 1 de 3");
    }

    #[test]
    fn tags_name_the_languages() {
        assert_eq!(Language::from_tag("es"), Some(Language::Es));
        assert_eq!(Language::from_tag("EN"), Some(Language::En));
        assert_eq!(Language::from_tag("fr"), None);
        assert_eq!(Language::default(), Language::En);
        assert_eq!(Language::tags(), "en, es");
        assert_eq!(serde_json::to_string(&Language::Es).expect("json"), "\"es\"");
        let pieces = Language::En.fixed_strings();
        assert!(pieces.contains(&"Progress report:") && pieces.contains(&"Page"), "{pieces:?}");
        assert!(!pieces.iter().any(|p| p.contains('{')), "{pieces:?}");
    }
}
