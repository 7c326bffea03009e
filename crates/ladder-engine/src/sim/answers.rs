//! Raw answers a simulated student gives: right ones and wrong ones, for every item kind, in the
//! same form a front end sends (`ladder_core::Answer`), so that they go through real grading.

use ladder_core::{Answer, Blank, Item, ItemKind};

fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// An answer the item accepts.
pub fn right(item: &Item) -> Answer {
    match &item.kind {
        ItemKind::Choice { correct, .. } => Answer::Choice(correct.clone()),
        ItemKind::Numeric(n) => Answer::Text(number(n.answer)),
        ItemKind::Text(t) => Answer::Text(t.answers.first().cloned().unwrap_or_default()),
        ItemKind::Cloze { blanks } => Answer::Cloze(
            blanks
                .iter()
                .map(|b| match b {
                    Blank::Numeric(n) => number(n.answer),
                    Blank::Text(t) => t.answers.first().cloned().unwrap_or_default(),
                })
                .collect(),
        ),
        ItemKind::Order { order } => Answer::Order((1..=order.len()).collect()),
    }
}

/// An answer the item refuses (`variant` picks among wrong answers).
pub fn wrong(item: &Item, variant: usize) -> Answer {
    match &item.kind {
        ItemKind::Choice { choices, correct, .. } => {
            let wrong: Vec<usize> = (1..=choices.len()).filter(|p| !correct.contains(p)).collect();
            if wrong.is_empty() {
                // Every choice is right (a select-all item): one of them alone is wrong.
                Answer::Choice(correct.iter().copied().take(1).collect())
            } else {
                Answer::Choice(vec![wrong[variant % wrong.len()]])
            }
        }
        ItemKind::Numeric(n) => Answer::Text(number(n.answer + n.tolerance + 1.0 + variant as f64)),
        ItemKind::Text(_) => Answer::Text(format!("no idea {variant}")),
        ItemKind::Cloze { blanks } => Answer::Cloze(
            blanks
                .iter()
                .map(|b| match b {
                    Blank::Numeric(n) => number(n.answer + n.tolerance + 1.0 + variant as f64),
                    Blank::Text(_) => format!("no idea {variant}"),
                })
                .collect(),
        ),
        ItemKind::Order { order } => {
            // Reversed: wrong whenever the entries differ (an order of one entry cannot be wrong).
            Answer::Order((1..=order.len()).rev().collect())
        }
    }
}
