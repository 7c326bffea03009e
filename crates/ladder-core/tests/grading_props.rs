//! Properties of answer reading that must hold for any input, not only the examples.

use ladder_core::grading::{normalize_text, parse_number};
use ladder_core::Accents;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever a learner types, reading it as a number never panics.
    #[test]
    fn parse_number_accepts_any_text(s in ".{0,40}", fractions in any::<bool>()) {
        let _ = parse_number(&s, fractions, Some("cm"));
        let _ = parse_number(&s, fractions, None);
    }

    /// A decimal printed with up to 6 places reads back as itself, with a decimal comma too.
    #[test]
    fn printed_decimals_read_back(units in -1_000_000i64..1_000_000, places in 0u32..7) {
        let x = units as f64 / 10f64.powi(places as i32);
        let text = format!("{x:.*}", places as usize);
        let read = parse_number(&text, false, None);
        prop_assert!(read.is_some_and(|r| (r - x).abs() < 1e-9), "{} read as {:?}", text, read);
        let comma = text.replace('.', ",");
        prop_assert_eq!(parse_number(&comma, false, None), read);
    }

    /// `n/d` reads as n divided by d whenever fractions are allowed, and never otherwise.
    #[test]
    fn fractions_read_as_quotients(n in 0u32..10_000, d in 1u32..10_000) {
        let text = format!("{n} / {d}");
        let read = parse_number(&text, true, None);
        prop_assert!(read.is_some_and(|r| (r - f64::from(n) / f64::from(d)).abs() < 1e-12));
        prop_assert_eq!(parse_number(&text, false, None), None);
    }

    /// An invisible character typed or pasted anywhere changes nothing in how an answer reads.
    #[test]
    fn invisible_characters_never_count(
        s in "\\PC{0,20}",
        at in 0usize..21,
        which in 0usize..5,
        strict in any::<bool>(),
    ) {
        let accents = if strict { Accents::Strict } else { Accents::Ignore };
        let invisible = ['\u{200B}', '\u{00AD}', '\u{FEFF}', '\u{2060}', '\u{200E}'][which];
        let mut chars: Vec<char> = s.chars().collect();
        chars.insert(at.min(chars.len()), invisible);
        let with: String = chars.into_iter().collect();
        prop_assert_eq!(normalize_text(&with, false, accents), normalize_text(&s, false, accents));
        prop_assert_eq!(parse_number(&with, true, None), parse_number(&s, true, None));
    }

    /// Normalising twice changes nothing, under every setting.
    #[test]
    fn normalisation_is_idempotent(s in "\\PC{0,30}", case_sensitive in any::<bool>(), strict in any::<bool>()) {
        let accents = if strict { Accents::Strict } else { Accents::Ignore };
        let once = normalize_text(&s, case_sensitive, accents);
        prop_assert_eq!(normalize_text(&once, case_sensitive, accents), once.clone());
        prop_assert_eq!(once.trim(), once.as_str());
    }
}
