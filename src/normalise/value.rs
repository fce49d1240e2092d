//! Cell text -> numbers and flags, as people and exporters write them.
//!
//! Accepted: plain and scientific numbers (`3407.0`, `2.28E+11`), thousands commas (`12,500`),
//! unit suffixes in either case (`1.2万`, `3亿`, `1.5w`, `3.3k`, `475.8m`, `29.0b`, `2千`),
//! lower bounds (`10万+`, `>1000`: the value is kept and flagged censored), percentages (`1.39%`),
//! star ratings (`3.5星`), seconds (`15.20秒`), clock durations (`0:00:41`, `45:4`), ordinals
//! (`5,000th`) and a leading currency sign (`¥5,000`). Missing-value markers (`""`, `nan`, `-`,
//! `--`, `null`, `None`, `#NAME?`, `未知` ...) are missing, never zero.

/// A cell as a reader takes it (a count, a date, a flag): the value, or why there is none. The
/// one rule per kind of cell that both ways of reading a post list follow ([`read_amount`],
/// [`super::date::read_date`], [`read_flag`]); the general path counts and reports every kind of
/// fault, the fast path takes `Missing` and `Read` and leaves the file to the general path on
/// anything else.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading<T> {
    /// Empty or a missing-value marker.
    Missing,
    Read(T),
    /// A number below zero where a count or amount is meant.
    Negative,
    /// A value no real account can hold (beyond the field's ceiling), or a date outside 2000–2099.
    Implausible,
    /// Text that is not a value of this kind.
    Unreadable,
}

/// A count or an amount (no `%`, 星 or 秒: those are rates and durations, not counts): its value
/// and whether it is a lower bound (`10万+`). Above `ceiling` it is implausible.
pub fn read_amount(cell: &str, ceiling: Option<f64>) -> Reading<(f64, bool)> {
    match parse_number(cell) {
        Parsed::Missing => Reading::Missing,
        Parsed::Number(n) if n.unit != Unit::None => Reading::Unreadable,
        Parsed::Number(n) if ceiling.is_some_and(|max| n.value > max) => Reading::Implausible,
        Parsed::Number(n) if n.value >= 0.0 => Reading::Read((n.value, n.censored)),
        Parsed::Number(_) => Reading::Negative,
        Parsed::Invalid => Reading::Unreadable,
    }
}

/// A whole count written with `.` between groups of three digits (`891.298`, `1.234.567`, as
/// European exports write thousands): its value (891298). `None` for any other text. Whether a
/// column's `891.298` is thousands or a decimal is the column's to say
/// ([`super::mapping::dot_thousands`]); a count is a whole number, so in a count column where no
/// value has another decimal part, it is thousands.
pub fn grouped_thousands(cell: &str) -> Option<f64> {
    let b = trim(cell).as_bytes();
    let first = b.iter().position(|&c| c == b'.')?;
    let groups = &b[first..];
    let well_formed = (1..=3).contains(&first)
        && b[..first].iter().all(u8::is_ascii_digit)
        && groups.len() % 4 == 0
        && groups
            .chunks(4)
            .all(|g| g[0] == b'.' && g[1..].iter().all(u8::is_ascii_digit));
    if !well_formed {
        return None;
    }
    let plain: Vec<u8> = b.iter().copied().filter(|&c| c != b'.').collect();
    digits(&plain)
}

/// A yes/no cell ([`parse_flag`]).
pub fn read_flag(cell: &str) -> Reading<bool> {
    match parse_flag(cell) {
        Flag::Yes => Reading::Read(true),
        Flag::No => Reading::Read(false),
        Flag::Missing => Reading::Missing,
        Flag::Invalid => Reading::Unreadable,
    }
}

/// What a number cell held.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parsed {
    /// Empty or a missing-value marker.
    Missing,
    Number(Number),
    /// Text that is not a number; counted and reported, never read as zero.
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub value: f64,
    /// The cell gave a lower bound (`10万+`): the true value is at least `value`.
    pub censored: bool,
    /// Written as a plain number, with no unit suffix, so no precision was lost to rounding.
    pub plain: bool,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    None,
    /// Written with `%`; the value is the fraction (1.39% -> 0.0139).
    Percent,
    /// A star rating (`3.5星`).
    Stars,
    /// A duration; the value is in seconds.
    Seconds,
}

const MISSING: [&str; 22] = [
    "",
    "nan",
    "nan%",
    "none",
    "null",
    "nil",
    "na",
    "n/a",
    "#n/a",
    "#name?",
    "#value!",
    "#div/0!",
    "#ref!",
    "#num!",
    "-",
    "--",
    "—",
    "——",
    "未知",
    "暂无",
    "无",
    "undefined",
];

/// The first bytes (lower-cased) of the missing-value markers.
const MISSING_STARTS: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < MISSING.len() {
        if let Some(b) = MISSING[i].as_bytes().first() {
            t[b.to_ascii_lowercase() as usize] = true;
        }
        i += 1;
    }
    t
};

/// Whether the text is a missing-value marker.
pub fn is_missing(raw: &str) -> bool {
    // The usual cell answers at once: nothing to trim at either end, and longer than any marker
    // or starting with a byte no marker starts with.
    let b = raw.as_bytes();
    if let (Some(&first), Some(&last)) = (b.first(), b.last()) {
        let plain = |b: u8| b.is_ascii_graphic() && b != b'"' && b != b'\'';
        // A character that `trim` takes off starts with one of these lead bytes when it is not
        // ASCII (U+0085, U+00A0, U+1680, U+2000-U+205F, U+3000, U+FEFF).
        let starts_plain = plain(first) || (first >= 0x80 && !matches!(first, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF));
        let ends_plain = plain(last) || (last >= 0x80 && raw.chars().next_back().is_some_and(|c| !trimmed(c)));
        if starts_plain && ends_plain && (b.len() > 10 || !MISSING_STARTS[usize::from(first.to_ascii_lowercase())]) {
            return false;
        }
    }
    let s = trim(raw);
    s.len() <= 10 && MISSING.iter().any(|m| m.eq_ignore_ascii_case(s))
}

/// `str::trim`, without its cost for the usual cell that has nothing to trim.
pub fn tidy(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

fn trim(raw: &str) -> &str {
    // Most cells have nothing to trim: looking at their first and last characters says so.
    match (raw.chars().next(), raw.chars().next_back()) {
        (Some(a), Some(z)) if !trimmed(a) && !trimmed(z) => raw,
        (None, _) => raw,
        _ => raw.trim_matches(trimmed),
    }
}

/// Characters [`trim`] takes off the ends of a cell.
fn trimmed(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}' || c == '"' || c == '\''
}

/// Read a number written any of the ways listed in the module docs.
pub fn parse_number(raw: &str) -> Parsed {
    let s = trim(raw);
    // The usual counts, plain digits and digits with a multiplier (`1.2万`, `3.4k`), are read
    // without looking for the signs and units below.
    if let Some(v) = digits(s.as_bytes()) {
        return number(v, false, true, Unit::None);
    }
    match scaled_digits(s.as_bytes()) {
        Some(v) => number(v, false, false, Unit::None),
        None => parse_written(s),
    }
}

/// Digits, a decimal part or none, and one of the multipliers ([`MULTIPLIERS`]): `1.2万`, `3k`,
/// as [`parse_written`] reads them (the same number parsed, times the same multiplier).
pub(super) fn scaled_digits(b: &[u8]) -> Option<f64> {
    let (body, multiplier) = MULTIPLIERS
        .iter()
        .find_map(|(suffix, m)| b.strip_suffix(suffix.as_bytes()).map(|body| (body, *m)))?;
    let int_end = body.iter().position(|d| !d.is_ascii_digit()).unwrap_or(body.len());
    let decimals = body.get(int_end..).unwrap_or_default();
    let well_formed = (1..=15).contains(&int_end)
        && (decimals.is_empty()
            || (decimals.len() >= 2
                && decimals.len() <= 10
                && decimals[0] == b'.'
                && decimals[1..].iter().all(u8::is_ascii_digit)));
    if !well_formed {
        return None;
    }
    let v: f64 = std::str::from_utf8(body).ok()?.parse().ok()?;
    Some(v * multiplier)
}

/// At most 15 ASCII digits (so exact as an `f64`), as a number.
pub(super) fn digits(b: &[u8]) -> Option<f64> {
    if b.is_empty() || b.len() > 15 {
        return None;
    }
    let mut ok = true;
    let mut n = 0i64;
    for &d in b {
        let digit = d.wrapping_sub(b'0');
        ok &= digit < 10;
        n = n.wrapping_mul(10).wrapping_add(i64::from(digit));
    }
    ok.then_some(n as f64)
}

/// [`parse_number`] for a trimmed cell that is not plain digits.
fn parse_written(s: &str) -> Parsed {
    if is_missing(s) {
        return Parsed::Missing;
    }
    let mut s = s;
    let mut censored = false;
    for prefix in ["≥", ">=", ">", "超过"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start();
            censored = true;
        }
    }
    if let Some(rest) = s.strip_suffix('+') {
        s = rest.trim_end();
        censored = true;
    }
    if let Some(rest) = s.strip_suffix("以上") {
        s = rest.trim_end();
        censored = true;
    }

    if let Some(rest) = s.strip_suffix(['%', '％']) {
        return match plain_number(rest.trim_end()) {
            Some(v) => number(v / 100.0, censored, true, Unit::Percent),
            None if is_missing(rest) => Parsed::Missing,
            None => Parsed::Invalid,
        };
    }
    if let Some(rest) = s.strip_suffix('星') {
        return plain_number(rest.trim_end()).map_or(Parsed::Invalid, |v| number(v, censored, true, Unit::Stars));
    }
    if let Some(rest) = s.strip_suffix('秒') {
        return plain_number(rest.trim_end()).map_or(Parsed::Invalid, |v| number(v, censored, true, Unit::Seconds));
    }
    if s.contains(':') {
        return clock_duration(s).map_or(Parsed::Invalid, |v| number(v, censored, true, Unit::Seconds));
    }

    // Currency signs and words around amounts.
    let s = s.trim_start_matches(['$', '¥', '￥', '€', '£']).trim();
    let s = s
        .strip_suffix("元")
        .or_else(|| s.strip_suffix("RMB"))
        .or_else(|| s.strip_suffix("USD"))
        .or_else(|| s.strip_suffix("CNY"))
        .map_or(s, str::trim_end);

    let (body, multiplier) = split_multiplier(s);
    let body = body.trim_end();
    let body = strip_ordinal(body);
    match plain_number(body) {
        Some(v) => number(v * multiplier, censored, multiplier == 1.0, Unit::None),
        None => Parsed::Invalid,
    }
}

fn number(value: f64, censored: bool, plain: bool, unit: Unit) -> Parsed {
    if value.is_finite() {
        Parsed::Number(Number {
            value,
            censored,
            plain,
            unit,
        })
    } else {
        Parsed::Invalid
    }
}

/// Multipliers written after a number, and what they multiply by.
const MULTIPLIERS: [(&str, f64); 11] = [
    ("亿", 1e8),
    ("万", 1e4),
    ("千", 1e3),
    ("w", 1e4),
    ("W", 1e4),
    ("k", 1e3),
    ("K", 1e3),
    ("m", 1e6),
    ("M", 1e6),
    ("b", 1e9),
    ("B", 1e9),
];

fn split_multiplier(s: &str) -> (&str, f64) {
    // Every suffix ends in a letter or a CJK character: a number that ends in a digit has none.
    if s.as_bytes().last().is_some_and(u8::is_ascii_digit) {
        return (s, 1.0);
    }
    for (suffix, mult) in MULTIPLIERS {
        if let Some(body) = s.strip_suffix(suffix) {
            // "1.2万" but not "万" alone, and not a word that merely ends in "m".
            if body.trim_end().ends_with(|c: char| c.is_ascii_digit() || c == '.') {
                return (body, mult);
            }
        }
    }
    (s, 1.0)
}

fn strip_ordinal(s: &str) -> &str {
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(body) = s.strip_suffix(suffix) {
            if body.ends_with(|c: char| c.is_ascii_digit()) {
                return body;
            }
        }
    }
    s
}

/// A decimal number with optional sign, thousands commas in valid places, and exponent.
fn plain_number(s: &str) -> Option<f64> {
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | 'e' | 'E' | '+' | '-'))
    {
        return None;
    }
    if !s.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let cleaned;
    let s = if s.contains(',') {
        if !valid_thousands(s) {
            return None;
        }
        cleaned = s.replace(',', "");
        cleaned.as_str()
    } else {
        s
    };
    s.parse::<f64>().ok()
}

/// "12,500" and "1,234,567.5" are thousands; "1,2" and "12,50" are not.
fn valid_thousands(s: &str) -> bool {
    let unsigned = s.trim_start_matches(['-', '+']);
    let int_part = unsigned.split(['.', 'e', 'E']).next().unwrap_or_default();
    let mut groups = int_part.split(',');
    let Some(first) = groups.next() else {
        return false;
    };
    if first.is_empty() || first.len() > 3 {
        return false;
    }
    groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit())) && !unsigned[int_part.len()..].contains(',')
}

/// `h:mm:ss`, `m:ss` (seconds may be unpadded, as in `45:4`) -> seconds.
fn clock_duration(s: &str) -> Option<f64> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut total = 0.0;
    for (i, part) in parts.iter().enumerate() {
        let v: f64 = if i + 1 == parts.len() {
            part.parse().ok()?
        } else {
            f64::from(part.parse::<u32>().ok()?)
        };
        if v < 0.0 || (i > 0 && v >= 60.0) {
            return None;
        }
        total = total * 60.0 + v;
    }
    Some(total)
}

/// What a yes/no cell held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Missing,
    Yes,
    No,
    Invalid,
}

pub fn parse_flag(raw: &str) -> Flag {
    let s = trim(raw);
    if is_missing(s) {
        return Flag::Missing;
    }
    // Most cells are a word of the lists as written (all lower case already).
    match flag_word(s) {
        Flag::Invalid if s.is_ascii() => flag_word(&s.to_ascii_lowercase()),
        Flag::Invalid => flag_word(&s.to_lowercase()),
        word => word,
    }
}

/// A lower-cased flag word's meaning.
fn flag_word(lower: &str) -> Flag {
    match lower {
        "true" | "t" | "yes" | "y" | "1" | "1.0" | "是" | "有" | "商单" | "商业笔记" | "广告" | "sponsored" | "ad"
        | "paid" | "合作" | "x" | "✓" | "√" => Flag::Yes,
        "false" | "f" | "no" | "n" | "0" | "0.0" | "否" | "非商单" | "非商业笔记" | "organic" | "非广告" => {
            Flag::No
        }
        _ => Flag::Invalid,
    }
}

/// `word` with its ASCII letters upper-cased where `upper` says so (for tests of case-blind
/// matching).
#[cfg(test)]
pub(crate) fn mixed_case(word: &str, upper: &[bool]) -> String {
    word.chars()
        .zip(upper.iter().chain(std::iter::repeat(&false)))
        .map(|(c, &u)| if u { c.to_ascii_uppercase() } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_thousands_are_digits_in_threes_between_dots() {
        assert_eq!(grouped_thousands("891.298"), Some(891_298.0));
        assert_eq!(grouped_thousands(" 1.234.567 "), Some(1_234_567.0));
        for not in [
            "1234.567", "1.23", "1.2345", ".123", "1.234,5", "12", "1.2万", "1..234", "1.234.",
        ] {
            assert_eq!(grouped_thousands(not), None, "{not}");
        }
    }
    use proptest::prelude::*;

    proptest! {
        /// Plain digits read at once are what the full reading makes of them.
        #[test]
        fn digits_read_as_written_numbers(cell in "[ 0-9]{0,18}|[0-9]{1,16}[0-9a-z万,.+%]?") {
            prop_assert_eq!(parse_number(&cell), parse_written(trim(&cell)), "{:?}", cell);
        }

        /// Digits with a multiplier are read at once, as the full reading reads them.
        #[test]
        fn scaled_digits_read_as_written_numbers(
            cell in "[0-9]{1,9}(\\.[0-9]{1,4})?(万|亿|千|w|W|k|K|m|M|b|B)",
        ) {
            let fast = scaled_digits(cell.as_bytes()).map(|v| number(v, false, false, Unit::None));
            prop_assert_eq!(fast, Some(parse_written(&cell)), "{:?}", cell);
        }

        /// Any other cell read at once is what the full reading makes of it (most are left to it).
        #[test]
        fn scaled_digits_agree_or_step_aside(cell in "[0-9.,+ a-z万亿Ww]{0,8}") {
            if let Some(v) = scaled_digits(cell.as_bytes()) {
                prop_assert_eq!(number(v, false, false, Unit::None), parse_written(trim(&cell)), "{:?}", cell);
            }
        }

        /// Words of the flag lists as written are read without lower-casing, as lower-cased.
        #[test]
        fn flags_as_written_read_as_lower_cased(
            word in "(?i)(true|t|yes|y|1|1\\.0|是|有|商单|广告|sponsored|ad|paid|x|✓|false|f|no|n|0|否|非商单|organic|非广告|maybe|Ｙ|K)",
            pad in "[ \u{3000}]{0,1}",
        ) {
            let cell = format!("{pad}{word}{pad}");
            let s = trim(&cell);
            let slow = if is_missing(s) { Flag::Missing } else { flag_word(&s.to_lowercase()) };
            prop_assert_eq!(parse_flag(&cell), slow, "{:?}", cell);
        }

        /// Looking at the ends first never changes what `str::trim` takes off.
        #[test]
        fn tidy_is_str_trim(cell in "[ \t\u{3000}\u{00A0}a1万\"]{0,6}") {
            prop_assert_eq!(tidy(&cell), cell.trim());
        }

        /// Looking at the ends first never changes what is trimmed.
        #[test]
        fn trim_is_trim_matches(cell in "[ \t\u{3000}\u{FEFF}\"'a1万]{0,6}") {
            prop_assert_eq!(trim(&cell), cell.trim_matches(trimmed));
        }

        /// The quick answer for plain cells is the full rule's answer.
        #[test]
        fn missing_is_the_trimmed_list_lookup(
            marker in proptest::sample::select(MISSING.to_vec()),
            upper in proptest::collection::vec(any::<bool>(), 12),
            pad in "[ \"'\t\u{FEFF}\u{3000}\u{00A0}\u{2003}\u{1680}]{0,2}",
            tail in "[ \"'\t\u{FEFF}\u{3000}\u{00A0}\u{2003}\u{0085}]{0,2}",
            other in "[a-zA-Z0-9#/!?%\u{2014}\u{65E0}\u{7F8E}\u{3001}\u{00A0}\u{2003}\u{FEFF} \"']{0,12}",
            use_marker: bool,
        ) {
            let cased = mixed_case(marker, &upper);
            let text = if use_marker { format!("{pad}{cased}{tail}") } else { other };
            let s = trim(&text);
            let slow = s.len() <= 10 && MISSING.iter().any(|m| m.eq_ignore_ascii_case(s));
            prop_assert_eq!(is_missing(&text), slow, "{:?}", text);
        }
    }

    #[test]
    fn markers_padded_with_any_space_are_missing() {
        let pads = [
            " ", "\t", "\u{0085}", "\u{00A0}", "\u{1680}", "\u{2003}", "\u{205F}", "\u{3000}", "\u{FEFF}", "'",
        ];
        for m in MISSING {
            for p in pads {
                assert!(is_missing(&format!("{p}{m}")), "{p:?}{m:?}");
                assert!(is_missing(&format!("{m}{p}")), "{m:?}{p:?}");
            }
        }
    }

    fn value(s: &str) -> Option<f64> {
        match parse_number(s) {
            Parsed::Number(n) => Some(n.value),
            _ => None,
        }
    }

    fn approx(s: &str, want: f64) {
        let got = value(s).unwrap_or(f64::NAN);
        assert!(
            (got - want).abs() <= want.abs() * 1e-12,
            "{s:?}: got {got}, want {want}"
        );
    }

    #[test]
    fn chinese_and_latin_unit_suffixes_in_either_case() {
        approx("1.2万", 12_000.0);
        approx("3亿", 300_000_000.0);
        approx("1.5w", 15_000.0);
        approx("1.5W", 15_000.0);
        approx("3.3k", 3_300.0);
        approx("0.89k", 890.0);
        approx("8K", 8_000.0);
        approx("475.8m", 475_800_000.0);
        approx("409.8M", 409_800_000.0);
        approx("29.0b", 29_000_000_000.0);
        approx("1.2B", 1_200_000_000.0);
        approx("2千", 2_000.0);
        approx(" 1.2 万 ", 12_000.0);
    }

    #[test]
    fn plain_forms() {
        approx("3407.0", 3407.0);
        approx("477900000.00", 477_900_000.0);
        approx("2.28E+11", 2.28e11);
        approx("1.64e11", 1.64e11);
        approx("12,500", 12_500.0);
        approx("1,234,567.5", 1_234_567.5);
        approx("0", 0.0);
        approx("-3", -3.0);
        approx("\"15,000\"", 15_000.0);
    }

    #[test]
    fn thousands_commas_must_sit_in_thousands_places() {
        assert_eq!(parse_number("1,2"), Parsed::Invalid);
        assert_eq!(parse_number("12,50"), Parsed::Invalid);
        assert_eq!(parse_number("1234,567"), Parsed::Invalid);
    }

    #[test]
    fn lower_bounds_are_flagged_censored_not_made_equal() {
        for s in ["10万+", "10w+", "1000+", ">1000", "≥5万", "10万以上"] {
            match parse_number(s) {
                Parsed::Number(n) => assert!(n.censored, "{s}"),
                other => panic!("{s}: {other:?}"),
            }
        }
        approx("10万+", 100_000.0);
        match parse_number("12") {
            Parsed::Number(n) => assert!(!n.censored),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn percent_stars_seconds_and_clock_durations() {
        let unit = |s: &str| match parse_number(s) {
            Parsed::Number(n) => Some((n.value, n.unit)),
            _ => None,
        };
        assert_eq!(unit("1.39%"), Some((0.0139, Unit::Percent)));
        assert_eq!(unit("100%"), Some((1.0, Unit::Percent)));
        assert_eq!(unit("3.5星"), Some((3.5, Unit::Stars)));
        assert_eq!(unit("15.20秒"), Some((15.2, Unit::Seconds)));
        assert_eq!(unit("0:00:41"), Some((41.0, Unit::Seconds)));
        assert_eq!(unit("45:4"), Some((2704.0, Unit::Seconds)));
        assert_eq!(unit("2:8"), Some((128.0, Unit::Seconds)));
        assert_eq!(unit("1:02:03"), Some((3723.0, Unit::Seconds)));
        assert_eq!(parse_number("NaN%"), Parsed::Missing);
        assert_eq!(parse_number("1:75"), Parsed::Invalid);
    }

    #[test]
    fn ordinals_and_currency() {
        approx("1st", 1.0);
        approx("2nd", 2.0);
        approx("5,000th", 5000.0);
        approx("¥5,000", 5000.0);
        approx("$1.2k", 1200.0);
        approx("3000元", 3000.0);
    }

    #[test]
    fn missing_markers_are_missing_never_zero() {
        for s in [
            "", " ", "nan", "NaN", "-", "--", "-- ", "null", "None", "#NAME?", "未知", "N/A", "#N/A", "—",
        ] {
            assert_eq!(parse_number(s), Parsed::Missing, "{s:?}");
        }
    }

    #[test]
    fn text_and_non_finite_numbers_are_invalid() {
        for s in [
            "abc", "inf", "infinity", "1e999", "12abc", "万", "m", "1.2.3", "--5x", "e5",
        ] {
            assert_eq!(parse_number(s), Parsed::Invalid, "{s:?}");
        }
    }

    #[test]
    fn flags() {
        assert_eq!(parse_flag("True"), Flag::Yes);
        assert_eq!(parse_flag("是"), Flag::Yes);
        assert_eq!(parse_flag("1"), Flag::Yes);
        assert_eq!(parse_flag("False"), Flag::No);
        assert_eq!(parse_flag("否"), Flag::No);
        assert_eq!(parse_flag(""), Flag::Missing);
        assert_eq!(parse_flag("maybe"), Flag::Invalid);
    }
}
