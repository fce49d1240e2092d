//! Demand signals measured per niche (METHOD.md §2, `search_trend_monthly`): the trend of a
//! niche's search or topic index, its keyword matched to the niche's name.

use super::{stats, Metrics};
use crate::normalise::signals::Signals;

/// Readings a trend needs.
pub const MIN_POINTS: usize = 4;

/// Set each niche's `search_trend_monthly` from the signals whose keyword is its name (case and
/// surrounding spaces aside): the Theil–Sen slope of ln(value) per day, as e^(30.44·slope) − 1.
/// Returns notes (the niches with too few readings) and the keywords that match no niche.
pub fn apply(metrics: &mut Metrics, signals: &Signals, file: &str) -> (Vec<String>, Vec<String>) {
    let key = |s: &str| s.trim().to_lowercase();
    let mut notes = Vec::new();
    let mut matched: Vec<bool> = vec![false; signals.rows.len()];
    for n in &mut metrics.niches {
        let name = key(&n.niche);
        let points: Vec<(f64, f64)> = signals
            .rows
            .iter()
            .enumerate()
            .filter(|(_, s)| key(&s.keyword) == name)
            .filter_map(|(i, s)| {
                matched[i] = true;
                (s.value > 0.0).then(|| (s.day as f64, s.value.ln()))
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        n.search_trend_points = points.len() as u64;
        if points.len() < MIN_POINTS {
            notes.push(format!(
                "{file}: the demand signal of {} has {} reading(s); a trend needs {MIN_POINTS}",
                crate::text::sanitise_line(&n.niche),
                points.len()
            ));
            continue;
        }
        n.search_trend_monthly = stats::theil_sen(&points).map(stats::monthly_rate);
        // The readings relative to their median, in date order, for the trend chart.
        let logs: Vec<f64> = points.iter().map(|p| p.1).collect();
        if let Some(mid) = stats::median(&logs) {
            let mut series: Vec<(i64, f64)> = points.iter().map(|p| (p.0 as i64, (p.1 - mid).exp())).collect();
            series.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            n.search_series = series;
        }
    }
    let mut unmatched: Vec<String> = signals
        .rows
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|(s, _)| s.keyword.clone())
        .collect();
    unmatched.sort_unstable();
    unmatched.dedup();
    (notes, unmatched)
}
