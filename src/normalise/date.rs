//! Cell text -> a point in time (seconds since 1970-01-01 UTC).
//!
//! Each form is matched explicitly; nothing is guessed by a reader. Accepted:
//! epoch seconds (10 digits) and milliseconds (13 digits); ISO dates and date-times with `T` or a
//! space, optional fractional seconds and `Z`, `+08:00` or `+0800` offsets; `2026/06/23`;
//! `2026年06月25日12时01分35秒` and `2026年06月25日 16:41:25`; `Sun, Dec 14, 2025` and
//! `Jan 6, 2024`; US `09/15/2026 18:00` and `8/23/2022`; `2026-09-18 12:00 +0000`.
//! A time without an offset is taken as written (no time-zone shift); weekly measures do not
//! depend on the hour.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::value::is_missing;

/// Dates outside [2000-01-01, 2100-01-01) are read but treated as missing: no platform in scope
/// predates 2000, and a date beyond 2099 is a typo or a placeholder.
pub const EARLIEST: i64 = 946_684_800;
pub const LATEST: i64 = 4_102_444_800;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParsedDate {
    Missing,
    At(i64),
    Invalid,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date cell as a reader takes it: a moment in 2000–2099 ([`EARLIEST`]..[`LATEST`]); outside
/// it, implausible (a year mistyped, or a timestamp in other units).
pub fn read_date(cell: &str) -> super::value::Reading<i64> {
    use super::value::Reading;
    match parse_date(cell) {
        ParsedDate::At(t) if !(EARLIEST..LATEST).contains(&t) => Reading::Implausible,
        ParsedDate::At(t) => Reading::Read(t),
        ParsedDate::Missing => Reading::Missing,
        ParsedDate::Invalid => Reading::Unreadable,
    }
}

pub fn parse_date(raw: &str) -> ParsedDate {
    let s = raw.trim().trim_matches('"');
    if is_missing(s) {
        return ParsedDate::Missing;
    }
    // The usual export writes ISO dates: read those directly (the same value `parse_inner` gives,
    // as a test holds) before trying every other form.
    if let Some(t) = strict_iso(s.as_bytes()) {
        return ParsedDate::At(t);
    }
    parse_inner(s).map_or(ParsedDate::Invalid, ParsedDate::At)
}

/// `YYYY-MM-DD`, or with `THH:MM:SS` / ` HH:MM:SS`, between [`EARLIEST`] and [`LATEST`], as
/// seconds since 1970 (no time-zone shift); `None` for anything else, including these forms with
/// a month, day or time out of range. Used by [`parse_date`] and by the fast path
/// ([`super::fast`]), so both read such dates alike.
pub(crate) fn strict_iso(b: &[u8]) -> Option<i64> {
    if !(b.len() == 10 || b.len() == 19) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter()
            .try_fold(0i64, |n, d| d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0')))
    };
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let mut t = crate::civil::days_of(y, u32::try_from(m).ok()?, u32::try_from(d).ok()?)? * 86_400;
    if b.len() == 19 {
        if !matches!(b[10], b'T' | b' ') || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if h > 23 || mi > 59 || s > 59 {
            return None;
        }
        t += h * 3600 + mi * 60 + s;
    }
    (EARLIEST..LATEST).contains(&t).then_some(t)
}

fn parse_inner(s: &str) -> Option<i64> {
    if s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return epoch(s);
    }
    if s.contains('年') {
        return chinese(s);
    }
    let lower = s.to_ascii_lowercase();
    if MONTHS.iter().any(|m| lower.contains(m)) {
        return month_name(&lower);
    }
    // Split off a trailing offset: "Z", "+08:00", "+0800", " +0000".
    let (body, offset) = split_offset(s);
    let (date_part, time_part) = match body.find(['T', ' ']) {
        Some(i) => (&body[..i], body[i + 1..].trim()),
        None => (body, ""),
    };
    let date = if date_part.contains('-') {
        ymd(date_part, '-')?
    } else if date_part.contains('/') {
        let first = date_part.split('/').next()?;
        if first.len() == 4 {
            ymd(date_part, '/')?
        } else {
            mdy(date_part)?
        }
    } else {
        return None;
    };
    let time = if time_part.is_empty() {
        NaiveTime::MIN
    } else {
        clock(time_part)?
    };
    Some(NaiveDateTime::new(date, time).and_utc().timestamp() - offset)
}

fn epoch(s: &str) -> Option<i64> {
    let int = s.split('.').next()?;
    if s.matches('.').count() > 1 || int.is_empty() {
        return None;
    }
    let v: i64 = int.parse().ok()?;
    // 10 digits: seconds (2001-2286); 13 digits: milliseconds. Anything else is not a timestamp.
    match int.len() {
        9 | 10 => Some(v),
        12 | 13 => Some(v.div_euclid(1000)),
        _ => None,
    }
}

fn ymd(s: &str, sep: char) -> Option<NaiveDate> {
    let mut it = s.split(sep);
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if it.next().is_some() || !(1000..=9999).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

fn mdy(s: &str) -> Option<NaiveDate> {
    let mut it = s.split('/');
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    let y_text = it.next()?;
    if it.next().is_some() || y_text.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y_text.parse().ok()?, m, d)
}

/// `12:00`, `12:00:05`, `12:00:05.123`.
fn clock(s: &str) -> Option<NaiveTime> {
    let mut it = s.split(':');
    let h: u32 = it.next()?.trim().parse().ok()?;
    let m: u32 = it.next()?.trim().parse().ok()?;
    let sec: f64 = match it.next() {
        Some(v) => v.trim().parse().ok()?,
        None => 0.0,
    };
    if it.next().is_some() || !(0.0..61.0).contains(&sec) {
        return None;
    }
    NaiveTime::from_hms_opt(h, m, sec.floor() as u32)
}

/// Returns the body and the offset east of UTC in seconds.
fn split_offset(s: &str) -> (&str, i64) {
    let s = s.trim();
    if let Some(body) = s
        .strip_suffix('Z')
        .or_else(|| s.strip_suffix(" UTC"))
        .or_else(|| s.strip_suffix(" GMT"))
    {
        return (body.trim_end(), 0);
    }
    // An offset sign comes after the time, so look only after a ':' (or after a space for "+0000").
    if let Some(pos) = s.rfind(['+', '-']) {
        let after_time = s[..pos].contains(':') || s[..pos].ends_with(' ');
        let digits: String = s[pos + 1..].chars().filter(char::is_ascii_digit).collect();
        let shape_ok = s[pos + 1..].chars().all(|c| c.is_ascii_digit() || c == ':');
        if after_time && shape_ok && digits.len() == 4 {
            let hours: i64 = digits[..2].parse().unwrap_or(0);
            let minutes: i64 = digits[2..].parse().unwrap_or(0);
            let sign = if &s[pos..=pos] == "-" { -1 } else { 1 };
            return (s[..pos].trim_end(), sign * (hours * 3600 + minutes * 60));
        }
    }
    (s, 0)
}

/// `2026年06月25日12时01分35秒`, `2026年06月25日 16:41:25`, `2026年6月3日`, `%Y年%m月%d日20时`.
fn chinese(s: &str) -> Option<i64> {
    let (y, rest) = s.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let (d, rest) = rest.split_once('日')?;
    let date = NaiveDate::from_ymd_opt(y.trim().parse().ok()?, m.trim().parse().ok()?, d.trim().parse().ok()?)?;
    let rest = rest.trim();
    let time = if rest.is_empty() {
        NaiveTime::MIN
    } else if rest.contains(':') {
        clock(rest)?
    } else {
        let (h, rest) = rest.split_once('时')?;
        let (mi, rest) = rest.split_once('分').unwrap_or(("0", rest));
        let sec = rest.trim().trim_end_matches('秒');
        let sec = if sec.is_empty() { "0" } else { sec };
        NaiveTime::from_hms_opt(h.trim().parse().ok()?, mi.trim().parse().ok()?, sec.parse().ok()?)?
    };
    Some(NaiveDateTime::new(date, time).and_utc().timestamp())
}

/// `sun, dec 14, 2025`, `dec 14, 2025`, `jan 6, 2024 10:00`, `14 dec 2025` (lower-cased).
fn month_name(s: &str) -> Option<i64> {
    let words: Vec<&str> = s
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let mut month = None;
    let mut year = None;
    let mut day = None;
    let mut time = NaiveTime::MIN;
    for w in words {
        if let Some(i) = MONTHS.iter().position(|m| w.starts_with(m)) {
            month = Some(i as u32 + 1);
        } else if w.contains(':') {
            time = clock(w)?;
        } else if let Ok(n) = w.parse::<u32>() {
            if w.len() == 4 {
                year = Some(n as i32);
            } else if w.len() <= 2 {
                day = Some(n);
            } else {
                return None;
            }
        } else if w == "am" || w == "pm" {
            // 12-hour clocks: only "pm" moves the hour.
            if w == "pm" && time.hour() < 12 {
                time += chrono::Duration::hours(12);
            }
        }
        // Weekday names and other words are ignored.
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    Some(NaiveDateTime::new(date, time).and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// ISO dates read directly are what the full parser makes of them (in range or not:
        /// what the direct reading refuses goes to the full parser anyway).
        #[test]
        fn iso_dates_read_directly_as_the_full_parser_reads_them(
            y in 1990i64..2110, m in 0i64..14, d in 0i64..33, h in 0i64..25, mi in 0i64..61, s in 0i64..61, form in 0..3
        ) {
            let text = match form {
                0 => format!("{y:04}-{m:02}-{d:02}"),
                1 => format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}"),
                _ => format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}"),
            };
            if let Some(t) = strict_iso(text.as_bytes()) {
                prop_assert_eq!(parse_inner(&text), Some(t), "{}", text);
            }
        }
    }

    fn at(s: &str) -> i64 {
        match parse_date(s) {
            ParsedDate::At(t) => t,
            other => panic!("{s:?}: {other:?}"),
        }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, mi, s))
            .map(|dt| dt.and_utc().timestamp())
            .unwrap_or(i64::MIN)
    }

    #[test]
    fn iso_forms() {
        assert_eq!(at("2022-08-23"), utc(2022, 8, 23, 0, 0, 0));
        assert_eq!(at("2026-06-25 12:01:35"), utc(2026, 6, 25, 12, 1, 35));
        assert_eq!(at("2026-06-25T12:01:35"), utc(2026, 6, 25, 12, 1, 35));
        assert_eq!(at("2026-06-25T12:01:35.250Z"), utc(2026, 6, 25, 12, 1, 35));
        assert_eq!(at("2026-06-25T20:01:35+08:00"), utc(2026, 6, 25, 12, 1, 35));
        assert_eq!(at("2026-06-25T20:01:35+0800"), utc(2026, 6, 25, 12, 1, 35));
        assert_eq!(at("2026-09-18 12:00 +0000"), utc(2026, 9, 18, 12, 0, 0));
        assert_eq!(at("2026-09-18 12:00 -0500"), utc(2026, 9, 18, 17, 0, 0));
        assert_eq!(at("2026/06/23"), utc(2026, 6, 23, 0, 0, 0));
        assert_eq!(at("2026/6/3 8:05"), utc(2026, 6, 3, 8, 5, 0));
    }

    #[test]
    fn epochs_in_seconds_and_milliseconds() {
        assert_eq!(at("1756802858"), 1_756_802_858);
        assert_eq!(at("1756802858123"), 1_756_802_858);
        assert_eq!(at("1756802858.0"), 1_756_802_858);
        assert_eq!(parse_date("12345"), ParsedDate::Invalid);
    }

    #[test]
    fn chinese_forms() {
        assert_eq!(at("2026年06月25日12时01分35秒"), utc(2026, 6, 25, 12, 1, 35));
        assert_eq!(at("2026年06月03日 16:41:25"), utc(2026, 6, 3, 16, 41, 25));
        assert_eq!(at("2026年6月3日"), utc(2026, 6, 3, 0, 0, 0));
        assert_eq!(at("2025年12月01日20时"), utc(2025, 12, 1, 20, 0, 0));
    }

    #[test]
    fn month_names_and_us_order() {
        assert_eq!(at("Sun, Dec 14, 2025"), utc(2025, 12, 14, 0, 0, 0));
        assert_eq!(at("Jan 6, 2024"), utc(2024, 1, 6, 0, 0, 0));
        assert_eq!(at("14 December 2025"), utc(2025, 12, 14, 0, 0, 0));
        assert_eq!(at("09/15/2026 18:00"), utc(2026, 9, 15, 18, 0, 0));
        assert_eq!(at("8/23/2022"), utc(2022, 8, 23, 0, 0, 0));
    }

    #[test]
    fn missing_and_invalid() {
        assert_eq!(parse_date(""), ParsedDate::Missing);
        assert_eq!(parse_date("nan"), ParsedDate::Missing);
        assert_eq!(parse_date("-"), ParsedDate::Missing);
        assert_eq!(parse_date("2026-02-30"), ParsedDate::Invalid);
        assert_eq!(parse_date("13/45/2026"), ParsedDate::Invalid);
        assert_eq!(parse_date("yesterday"), ParsedDate::Invalid);
        assert_eq!(parse_date("Lifetime"), ParsedDate::Invalid);
    }
}
