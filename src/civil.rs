//! Calendar dates as days since 1970-01-01 (proleptic Gregorian), in one place, by chrono: the
//! reading of dates (normalise), the weeks of a trend (measure), the charts' axes (report) and the
//! generator all count days the same way.

use chrono::{Datelike, NaiveDate};

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

/// The civil date (year, month, day) of a day counted from 1970-01-01; `None` outside the years
/// chrono represents (about ±262,000).
pub fn date_of(days: i64) -> Option<(i64, u32, u32)> {
    let ce = i32::try_from(days.checked_add(UNIX_EPOCH_FROM_CE)?).ok()?;
    let d = NaiveDate::from_num_days_from_ce_opt(ce)?;
    Some((i64::from(d.year()), d.month(), d.day()))
}

/// Days from 1970-01-01 to a civil date; `None` for a date that does not exist (2026-02-30).
pub fn days_of(year: i64, month: u32, day: u32) -> Option<i64> {
    let d = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some(i64::from(d.num_days_from_ce()) - UNIX_EPOCH_FROM_CE)
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01; outside chrono's years (no date read from a
/// file is: dates are checked when read), the day number itself.
pub fn day_text(days: i64) -> String {
    match date_of(days) {
        Some((y, m, d)) => format!("{y:04}-{m:02}-{d:02}"),
        None => format!("day {days}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(date_of(0), Some((1970, 1, 1)));
        assert_eq!(date_of(-1), Some((1969, 12, 31)));
        assert_eq!(date_of(11_016), Some((2000, 2, 29)));
        assert_eq!(days_of(2026, 1, 5), Some(20_458));
        assert_eq!(days_of(2026, 2, 29), None);
        assert_eq!(day_text(11_016), "2000-02-29");
        assert_eq!(date_of(i64::MAX), None);
        assert_eq!(day_text(i64::MAX), format!("day {}", i64::MAX));
    }

    proptest::proptest! {
        #[test]
        fn days_and_dates_are_inverse(days in -1_000_000i64..1_000_000) {
            let (y, m, d) = date_of(days).ok_or_else(|| proptest::test_runner::TestCaseError::fail("in range"))?;
            proptest::prop_assert_eq!(days_of(y, m, d), Some(days));
        }
    }
}
