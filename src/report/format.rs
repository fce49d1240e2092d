//! Numbers written for people: counts with 万/亿 or K/M, shares as percents, scores to 3 places.

/// A count the way a reader of the language expects: 12,345 -> "1.2万" / "12.3K".
pub fn count(v: f64, zh: bool) -> String {
    let a = v.abs();
    if zh {
        if a >= 1e8 {
            return format!("{}亿", trim(v / 1e8, 1));
        }
        if a >= 1e4 {
            return format!("{}万", trim(v / 1e4, 1));
        }
    } else {
        if a >= 1e9 {
            return format!("{}B", trim(v / 1e9, 1));
        }
        if a >= 1e6 {
            return format!("{}M", trim(v / 1e6, 1));
        }
        if a >= 1e4 {
            return format!("{}K", trim(v / 1e3, 1));
        }
    }
    trim(v, if a < 10.0 && v.fract() != 0.0 { 2 } else { 0 })
}

/// A fraction as a percent: 0.0139 -> "1.39%".
pub fn percent(v: f64) -> String {
    let p = v * 100.0;
    let places = if p.abs() >= 10.0 { 1 } else { 2 };
    format!("{}%", trim(p, places))
}

/// An interval of values in [0, 1], compactly: (0.45, 0.66) -> ".45–.66".
pub fn interval(low: f64, high: f64) -> String {
    let short = |v: f64| {
        let s = format!("{v:.2}");
        s.strip_prefix('0').map_or(s.clone(), str::to_string)
    };
    format!("{}–{}", short(low), short(high))
}

/// A signed percent: 0.012 -> "+1.2%".
pub fn signed_percent(v: f64) -> String {
    if v >= 0.0 {
        format!("+{}", percent(v))
    } else {
        percent(v)
    }
}

/// A p-value as written in the page.
pub fn p_value(p: f64) -> String {
    if p < 0.01 {
        "p < 0.01".to_string()
    } else {
        format!("p = {p:.2}")
    }
}

/// A score to two places, or a dash when there is none.
pub fn score(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.2}"))
}

/// A factor or score in [0, 1] to three places.
pub fn unit(v: f64) -> String {
    format!("{v:.3}")
}

fn trim(v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The band a score falls in (METHOD.md §3, reading a score): 0 exactly zero (no money by the
/// evidence), 1 below 0.05, 2 below 0.125 × 1.5, 3 below 0.3, 4 from 0.3.
pub fn score_band(score: f64) -> u8 {
    if score <= 0.0 {
        0
    } else if score < 0.05 {
        1
    } else if score < 0.1875 {
        2
    } else if score < 0.3 {
        3
    } else {
        4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_bands_meet_at_their_stated_bounds() {
        assert_eq!(score_band(0.0), 0);
        assert_eq!(score_band(0.049), 1);
        assert_eq!(score_band(0.125), 2, "a typical account earning a wage is fair");
        assert_eq!(score_band(0.1875), 3);
        assert_eq!(score_band(0.3), 4);
    }

    #[test]
    fn counts_per_language() {
        assert_eq!(count(12_345.0, true), "1.2万");
        assert_eq!(count(12_345.0, false), "12.3K");
        assert_eq!(count(300_000_000.0, true), "3亿");
        assert_eq!(count(2_500_000.0, false), "2.5M");
        assert_eq!(count(950.0, false), "950");
        assert_eq!(count(2.5, false), "2.5");
    }

    #[test]
    fn percents_and_units() {
        assert_eq!(percent(0.0139), "1.39%");
        assert_eq!(percent(0.25), "25%");
        assert_eq!(unit(0.12345), "0.123");
        assert_eq!(interval(0.451, 0.66), ".45–.66");
        assert_eq!(interval(0.0, 1.0), ".00–1.00");
    }

    proptest::proptest! {
        /// What `count` writes, the parser reads back within the rounding `count` applies
        /// (one decimal of the unit: 5% of the shown value at most).
        #[test]
        fn counts_round_trip_through_the_parser(v in 0.0f64..1e12, zh in proptest::bool::ANY) {
            let text = count(v, zh);
            let back = match crate::normalise::value::parse_number(&text) {
                crate::normalise::value::Parsed::Number(n) => n.value,
                other => panic!("{text:?} did not parse: {other:?}"),
            };
            let tolerance = if v >= 1e4 { v * 0.05 } else { 0.5 };
            proptest::prop_assert!((back - v).abs() <= tolerance, "{v} -> {text:?} -> {back}");
        }

        /// Plain decimal text of any finite value parses to that value exactly.
        #[test]
        fn plain_numbers_round_trip(v in proptest::num::f64::NORMAL | proptest::num::f64::ZERO) {
            let text = format!("{v}");
            let parsed = crate::normalise::value::parse_number(&text);
            proptest::prop_assert_eq!(parsed, crate::normalise::value::Parsed::Number(crate::normalise::value::Number {
                value: v,
                censored: false,
                plain: true,
                unit: crate::normalise::value::Unit::None,
            }));
        }

        /// No text makes the number or date parser panic, and a number it returns is finite.
        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            if let crate::normalise::value::Parsed::Number(n) = crate::normalise::value::parse_number(&s) {
                proptest::prop_assert!(n.value.is_finite());
            }
            let _ = crate::normalise::date::parse_date(&s);
        }
    }
}
