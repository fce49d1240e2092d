//! One niche's units prepared once for many bootstrap resamples.
//!
//! A resample draws n of the niche's n units with replacement. Instead of copying the drawn units
//! and re-measuring them (a sort per median per resample), the bootstrap counts how often each
//! unit was drawn and reads every measure off lists sorted once: a median (or a quantile) is the
//! value where the running count of draws passes it; a Gini weighs each unit by its count. The
//! multiset of drawn values is the same, so medians and quantiles are the same values
//! [`super::niche::measure`] would give on the drawn units; a Gini may differ from it in the last
//! bits (its sums add in another order). Only the measures that method 2.0's score and its
//! intervals use are computed (METHOD.md §3: the four placements on the reference, the Gini,
//! follower growth and the engagement trend); a test holds them to [`super::niche::measure`] with
//! every count at one.
//!
//! The bootstrap measures sixteen resamples of a niche at once ([`measure_side_by_side`]): each
//! unit's draw counts in the sixteen sit side by side, so one pass over a sorted list serves them
//! all. It gives the same bits as [`measure`] one resample at a time (a test holds them equal).
//!
//! Why one file of ~550 lines: each measure's resampled form sits beside the others it shares the
//! sorted lists and draw counts with, and the tests that hold them to [`super::niche::measure`]
//! need them together.

use super::niche::NicheMetrics;
use super::params::Params;
use super::stats;
use super::units::Unit;

/// Values ascending, and the unit each came from (kept apart: the walk reads units, not values).
#[derive(Default)]
struct Sorted {
    values: Vec<f64>,
    units: Vec<u32>,
}

impl Sorted {
    fn from_pairs(mut v: Vec<(f64, u32)>) -> Sorted {
        v.retain(|x| x.0.is_finite());
        // Units are distinct within a list: no two pairs are equal, so an unstable sort is exact.
        v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        Sorted {
            values: v.iter().map(|x| x.0).collect(),
            units: v.iter().map(|x| x.1).collect(),
        }
    }
}

pub struct Prepared {
    n: usize,
    gini_fallback: Sorted,
    growth: Sorted,
    followers_sorted: Sorted,
    /// Method 2.0's placements on the reference (see `super::placed`).
    followers_share: Sorted,
    er_share: Sorted,
    views_share: Sorted,
    value_ratio: Sorted,
    /// Per week with values: (week, that week's account-week values sorted).
    weeks: Vec<(i64, Sorted)>,
}

fn sorted(values: impl Iterator<Item = (Option<f64>, usize)>) -> Sorted {
    Sorted::from_pairs(values.filter_map(|(x, i)| Some((x?, i as u32))).collect())
}

impl Prepared {
    pub fn new<U: std::borrow::Borrow<Unit>>(units: &[U], _params: &Params) -> Prepared {
        let all = || units.iter().map(U::borrow).enumerate();
        let accounts = || all().filter(|(_, u)| u.is_account());
        let mut weeks: std::collections::BTreeMap<i64, Vec<(f64, u32)>> = std::collections::BTreeMap::new();
        for (i, u) in all() {
            for &(w, r) in &u.weekly {
                weeks.entry(w).or_default().push((r, i as u32));
            }
        }
        Prepared {
            n: units.len(),
            gini_fallback: sorted(
                accounts().map(|(i, u)| (u.engagement_total.or(u.engagement_per_post).filter(|x| *x >= 0.0), i)),
            ),
            growth: sorted(accounts().map(|(i, u)| (u.follower_growth_monthly, i))),
            followers_sorted: sorted(accounts().map(|(i, u)| (u.followers.filter(|f| *f >= 0.0), i))),
            followers_share: sorted(accounts().map(|(i, u)| (u.followers_share, i))),
            er_share: sorted(all().map(|(i, u)| (u.er_share, i))),
            views_share: sorted(all().map(|(i, u)| (u.views_share, i))),
            value_ratio: sorted(accounts().map(|(i, u)| (u.value_ratio, i))),
            weeks: weeks.into_iter().map(|(w, v)| (w, Sorted::from_pairs(v))).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
}

/// Units per span in [`median`]'s first pass. Most lists a bootstrap walks are short (a week's
/// accounts of one niche on one platform): with 16, a walk to the middle passes at most 16 units
/// after skipping spans (the many-pairs file's whole run 0.98× against 64; the same at 10M posts).
const SPAN: usize = 16;

/// Resamples measured together by [`measure_side_by_side`].
pub const LANES: usize = 16;

/// The median of the values drawn `counts[unit]` times each: one pass for how many were drawn in
/// each span of the list, then a walk to the middle that skips whole spans.
fn median(list: &Sorted, counts: &[u32]) -> Option<f64> {
    let spans: Vec<u64> = list
        .units
        .chunks(SPAN)
        .map(|span| span.iter().map(|&i| u64::from(counts[i as usize])).sum())
        .collect();
    walk(list, &spans, |i| u64::from(counts[i as usize]), None)
}

/// The medians of [`LANES`] resamples at once, `lanes[unit * LANES + lane]` holding how often
/// each unit was drawn in each: the span counts of every lane come from one pass over the list
/// that reads each unit's counts side by side (sixteen resamples in one 32-byte read, added in
/// vector registers), then each lane walks to its middle as [`median`] does. Same values as
/// [`median`] lane by lane; `spans` is a buffer reused between calls.
fn medians(list: &Sorted, lanes: &[u16], spans: &mut Vec<[u32; LANES]>) -> [Option<f64>; LANES] {
    quantiles(list, lanes, spans, None)
}

/// [`medians`] at fraction `q` of the drawn values (`None`: the median), per lane.
fn quantiles(list: &Sorted, lanes: &[u16], spans: &mut Vec<[u32; LANES]>, q: Option<f64>) -> [Option<f64>; LANES] {
    spans.clear();
    // (A span's draws fit 32 bits: sixteen counts of at most 2^16. The totals are added as the
    // spans are made, not read back from them lane by lane.)
    let mut totals = [0u64; LANES];
    for span in list.units.chunks(SPAN) {
        let mut sum = [0u32; LANES];
        for &i in span {
            let row = &lanes[i as usize * LANES..][..LANES];
            for (s, &c) in sum.iter_mut().zip(row) {
                *s += u32::from(c);
            }
        }
        for (t, &s) in totals.iter_mut().zip(&sum) {
            *t += u64::from(s);
        }
        spans.push(sum);
    }
    if totals.iter().any(|&t| t >= i32::MAX as u64) {
        // (Beyond the joint walk's counters: two billion draws in one list.)
        let mut lane_spans = Vec::with_capacity(spans.len());
        return std::array::from_fn(|l| {
            lane_spans.clear();
            lane_spans.extend(spans.iter().map(|s| u64::from(s[l])));
            walk(list, &lane_spans, |i| u64::from(lanes[i as usize * LANES + l]), q)
        });
    }
    walk_lanes(list, lanes, spans, &totals, q)
}

/// Where [`walk`] reads for `total` draws: the positions (0-based) of the drawn values in order,
/// the same one when exact, and the fraction between them for a quantile.
fn positions(total: u64, q: Option<f64>) -> (u64, u64, Option<f64>) {
    match q {
        None => ((total - 1) / 2, total / 2, None),
        Some(q) => {
            let at = q.clamp(0.0, 1.0) * (total - 1) as f64;
            (at.floor() as u64, at.ceil() as u64, Some(at - at.floor()))
        }
    }
}

/// [`walk`] for every lane at once: from the first span any lane's walk starts in, each unit's
/// draws are added to every lane's count side by side, and each lane counts the units where its
/// count has not yet passed its low and its high position. A count only grows, so those units
/// come first, and how many there are is where the lane's walk would stop: the values read are
/// the ones [`walk`] reads lane by lane. (Counting is integer arithmetic without a branch or a
/// flag, which the compiler does for several lanes at once; keeping the least unit past each
/// position instead takes a minimum of unsigned numbers, which 128-bit x86-64 has no instruction
/// for; BENCHMARKS.md, ninth session.) The counts are `i32`: every total is below 2^31
/// ([`quantiles`] walks the lanes one by one otherwise).
fn walk_lanes(
    list: &Sorted,
    lanes: &[u16],
    spans: &[[u32; LANES]],
    totals: &[u64; LANES],
    q: Option<f64>,
) -> [Option<f64>; LANES] {
    // A lane with no draws reads nothing: positions it never passes, and nothing to wait for.
    let mut lo = [i32::MAX; LANES];
    let mut hi = [i32::MAX; LANES];
    let mut frac = [None; LANES];
    for l in 0..LANES {
        if totals[l] > 0 {
            let (a, b, f) = positions(totals[l], q);
            (lo[l], hi[l], frac[l]) = (a as i32, b as i32, f);
        }
    }
    // The walk starts in the first span where some lane's count would pass its low position
    // (each lane's own walk starts there or later), with every lane's count of the spans before:
    // one pass over the spans for all the lanes.
    let mut seen = [0i32; LANES];
    let mut first = spans.len();
    for (s, span) in spans.iter().enumerate() {
        let passes = (0..LANES).fold(false, |any, l| any | (seen[l] + span[l] as i32 > lo[l]));
        if passes {
            first = s;
            break;
        }
        for (c, &n) in seen.iter_mut().zip(span) {
            *c += n as i32;
        }
    }
    if first == spans.len() {
        return [None; LANES];
    }
    // Per lane, the units walked where its count has not passed its low (high) position yet.
    let mut before_low = [0i32; LANES];
    let mut before_high = [0i32; LANES];
    // Where the walk may stop: every lane with draws past its high position.
    let stop: [i32; LANES] = std::array::from_fn(|l| if totals[l] == 0 { -1 } else { hi[l] });
    let start = first * SPAN;
    let mut walked = 0;
    for &i in &list.units[start..] {
        let row = &lanes[i as usize * LANES..][..LANES];
        for l in 0..LANES {
            seen[l] += i32::from(row[l]);
            // One where the count is at or below the position (seen − position − 1 is then
            // negative, its sign shifted down to −1), subtracted: no branch, no flag per lane.
            before_low[l] -= seen[l].wrapping_sub(lo[l]).wrapping_sub(1) >> 31;
            before_high[l] -= seen[l].wrapping_sub(hi[l]).wrapping_sub(1) >> 31;
        }
        walked += 1;
        if (start + walked) % SPAN == 0 && seen.iter().zip(&stop).all(|(s, h)| s > h) {
            break;
        }
    }
    // Where a lane's count passed a position: the unit after those before it (none where it
    // did not pass it in the units walked).
    let at = |before: i32| (before < walked as i32).then(|| start + before as usize);
    std::array::from_fn(|l| {
        if totals[l] == 0 {
            return None;
        }
        let (low_at, high_at) = (at(before_low[l])?, at(before_high[l])?);
        let (low, high) = (list.values[low_at], list.values[high_at]);
        Some(between(low, high, frac[l], lo[l] == hi[l]))
    })
}

/// The value read between the drawn values at the low and high positions ([`positions`]): the
/// quantile's interpolation, else the one value where they coincide, else their mean.
fn between(low: f64, high: f64, frac: Option<f64>, same: bool) -> f64 {
    match frac {
        Some(f) => low + (high - low) * f,
        None if same => high,
        None => (low + high) / 2.0,
    }
}

/// The median (`q` None) or the value at fraction `q` (as [`stats::quantile`] interpolates) from
/// the draws per span of [`SPAN`] units (`spans`) and per unit (`count`).
fn walk(list: &Sorted, spans: &[u64], count: impl Fn(u32) -> u64, q: Option<f64>) -> Option<f64> {
    let total: u64 = spans.iter().sum();
    if total == 0 {
        return None;
    }
    let (lo, hi, frac) = positions(total, q);
    let mut seen = 0u64;
    let mut start = 0;
    for (s, &n) in spans.iter().enumerate() {
        if seen + n > lo {
            start = s * SPAN;
            break;
        }
        seen += n;
    }
    let mut low = None;
    for (k, &i) in list.units.iter().enumerate().skip(start) {
        seen += count(i);
        if low.is_none() && seen > lo {
            low = Some(list.values[k]);
        }
        if seen > hi {
            let high = list.values[k];
            return low.map(|l| between(l, high, frac, lo == hi));
        }
    }
    None
}

/// What a resample's measures read from every unit of the niche (medians, sums, Ginis):
/// [`measure`] takes them from here, computed one resample at a time ([`Reads::of`]) or
/// [`LANES`] at a time ([`Reads::of_lanes`]), which give the same values. The fallbacks
/// (`gini_fallback`, `er_views`) are read only where their first choice (`gini_followers`,
/// `er_followers`) has no value, so they are computed only then and left `None` otherwise.
#[derive(Default, Clone)]
struct Reads {
    gini_followers: Option<f64>,
    gini_fallback: Option<f64>,
    growth: Option<f64>,
    head_followers_share: Option<f64>,
    /// How many follower shares were drawn (the head quantile's n).
    head_accounts: u64,
    er_share: Option<f64>,
    views_share: Option<f64>,
    value_ratio: Option<f64>,
    /// Per entry of [`Prepared::weeks`].
    weeks: Vec<Option<f64>>,
}

/// Where each median of [`Reads`] goes.
type Slot = fn(&mut Reads) -> &mut Option<f64>;

impl Reads {
    /// The sorted lists whose medians the measures read, each with its place in [`Reads`] (the
    /// weeks' medians and the fallback `er_views` apart): one list for both ways of reading them.
    fn median_lists(prep: &Prepared) -> [(&Sorted, Slot); 4] {
        [
            (&prep.growth, |r| &mut r.growth),
            (&prep.er_share, |r| &mut r.er_share),
            (&prep.views_share, |r| &mut r.views_share),
            (&prep.value_ratio, |r| &mut r.value_ratio),
        ]
    }

    fn of(prep: &Prepared, counts: &[u32]) -> Reads {
        let mut reads = Reads {
            gini_followers: gini(&prep.followers_sorted, counts),
            head_accounts: prep
                .followers_share
                .units
                .iter()
                .map(|&i| u64::from(counts[i as usize]))
                .sum(),
            head_followers_share: {
                let spans: Vec<u64> = prep
                    .followers_share
                    .units
                    .chunks(SPAN)
                    .map(|span| span.iter().map(|&i| u64::from(counts[i as usize])).sum())
                    .collect();
                walk(
                    &prep.followers_share,
                    &spans,
                    |i| u64::from(counts[i as usize]),
                    Some(super::placed::HEAD_QUANTILE),
                )
            },
            weeks: prep.weeks.iter().map(|(_, list)| median(list, counts)).collect(),
            ..Reads::default()
        };
        if reads.gini_followers.is_none() {
            reads.gini_fallback = gini(&prep.gini_fallback, counts);
        }
        for (list, slot) in Reads::median_lists(prep) {
            *slot(&mut reads) = median(list, counts);
        }
        reads
    }

    /// What each lane reads (see [`medians`], [`gini_lanes`]); the weekly medians only where
    /// `trend` asks for them.
    fn of_lanes(prep: &Prepared, lanes: &[u16], trend: Trend) -> [Reads; LANES] {
        let mut spans = Vec::new();
        let gini_followers = gini_lanes(&prep.followers_sorted, lanes);
        let gini_fallback = if gini_followers.iter().all(Option::is_some) {
            [None; LANES]
        } else {
            gini_lanes(&prep.gini_fallback, lanes)
        };
        let head = quantiles(
            &prep.followers_share,
            lanes,
            &mut spans,
            Some(super::placed::HEAD_QUANTILE),
        );
        // (`spans` holds that list's draws per span and lane.)
        let head_accounts: [u64; LANES] = std::array::from_fn(|l| spans.iter().map(|s| u64::from(s[l])).sum());
        let mut out: [Reads; LANES] = std::array::from_fn(|l| Reads {
            head_followers_share: head[l],
            head_accounts: head_accounts[l],
            gini_followers: gini_followers[l],
            gini_fallback: gini_fallback[l].filter(|_| gini_followers[l].is_none()),
            ..Reads::default()
        });
        for (list, slot) in Reads::median_lists(prep) {
            for (reads, m) in out.iter_mut().zip(medians(list, lanes, &mut spans)) {
                *slot(reads) = m;
            }
        }
        let wanted = match trend {
            Trend::Always => true,
            Trend::WhereNoGrowth => out.iter().any(|r| r.growth.is_none()),
            Trend::Never => false,
        };
        if wanted {
            // (Room for every week at once: grown a push at a time, each lane's list was
            // allocated four times per resample.)
            for reads in &mut out {
                reads.weeks.reserve_exact(prep.weeks.len());
            }
            for (_, list) in &prep.weeks {
                for (reads, m) in out.iter_mut().zip(medians(list, lanes, &mut spans)) {
                    reads.weeks.push(m);
                }
            }
        }
        out
    }
}

/// Whether a resample needs the engagement trend — its weekly medians and their Theil–Sen slope,
/// often the largest part of a resample's work (BENCHMARKS.md, issue 30): always where its own
/// interval is reported; otherwise only where the growth sub-factor falls back to it, i.e. where
/// the resample drew no account with a follower growth (and the niche has no demand signal).
/// Without it a resample's `engagement_trend_*` are `None`; nothing else changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Always,
    WhereNoGrowth,
    Never,
}

/// [`measure`] for up to [`LANES`] resamples of one niche at once, their counts side by side,
/// `lanes[unit * LANES + lane]` (the bootstrap writes them there directly; a Poisson count fits):
/// the medians, sums and Ginis, which are most of the work, are read for all of them in one pass
/// per list. The first `resamples` lanes are measured.
pub fn measure_side_by_side(
    prep: &Prepared,
    lanes: &[u16],
    resamples: usize,
    trend: Trend,
    params: &Params,
) -> Vec<NicheMetrics> {
    Reads::of_lanes(prep, lanes, trend)
        .iter()
        .take(resamples.min(LANES))
        .map(|m| measure_with(prep, m, params))
        .collect()
}

/// [`stats::gini`] of the values drawn `counts[unit]` times each (`list` holds only non-negative
/// values). A value drawn c times at positions p+1 … p+c adds c·(2p + c − n)·x.
fn gini(list: &Sorted, counts: &[u32]) -> Option<f64> {
    let n: u64 = list.units.iter().map(|&i| u64::from(counts[i as usize])).sum();
    // Two accounts, as the point estimate needs: one account drawn twice is not a field.
    let distinct = list.units.iter().filter(|&&i| counts[i as usize] > 0).count();
    if n < 2 || distinct < 2 {
        return None;
    }
    let mut total = 0.0;
    for (&x, &i) in list.values.iter().zip(&list.units) {
        total = add_times(total, x, counts[i as usize]);
    }
    if total <= 0.0 {
        return None;
    }
    let (mut p, mut weighted) = (0u64, 0.0);
    for (&x, &i) in list.values.iter().zip(&list.units) {
        let c = u64::from(counts[i as usize]);
        if c > 0 {
            weighted += c as f64 * ((2 * p + c) as f64 - n as f64) * x;
            p += c;
        }
    }
    Some(weighted / (n as f64 * total))
}

/// [`gini`] per lane, by the same additions in the same order. (Where a unit was not drawn,
/// +0.0 is added instead of nothing: the same, as the weighted sum starts at +0.0 and so is
/// never −0.0.) The counts, running counts and totals are kept as f64: each is a whole number
/// far below 2^53, so every one is exact and each term comes out as the integer formula's, bit
/// for bit, while the lanes' arithmetic stays in one type the compiler can do several lanes of
/// at once (integer-to-float conversions it cannot).
fn gini_lanes(list: &Sorted, lanes: &[u16]) -> [Option<f64>; LANES] {
    let row = |i: u32| &lanes[i as usize * LANES..][..LANES];
    let mut n = [0.0f64; LANES];
    let mut distinct = [0.0f64; LANES];
    let mut total = [0.0f64; LANES];
    for (&x, &i) in list.values.iter().zip(&list.units) {
        let row = row(i);
        // `add_times` lane by lane, without its branch: the rare counts above three (2% of a
        // Poisson(1)'s) are finished after.
        let mut over = false;
        for l in 0..LANES {
            let c = row[l];
            n[l] += f64::from(c);
            distinct[l] += f64::from(u8::from(c > 0));
            total[l] = add_up_to_three(total[l], x, u32::from(c));
            over |= c > 3;
        }
        if over {
            for l in 0..LANES {
                for _ in 3..row[l].max(3) {
                    total[l] += x;
                }
            }
        }
    }
    let mut p = [0.0f64; LANES];
    let mut weighted = [0.0f64; LANES];
    for (&x, &i) in list.values.iter().zip(&list.units) {
        let row = row(i);
        for l in 0..LANES {
            let c = f64::from(row[l]);
            let term = c * ((2.0 * p[l] + c) - n[l]) * x;
            weighted[l] += if row[l] > 0 { term } else { 0.0 };
            p[l] += c;
        }
    }
    std::array::from_fn(|l| {
        (n[l] >= 2.0 && distinct[l] >= 2.0 && total[l] > 0.0).then(|| weighted[l] / (n[l] * total[l]))
    })
}

/// `total + x + x + …` with `x` added `times` times, one addition at a time (so the sum is the
/// one adding the drawn units one by one gives). The usual 0 to 3 times are chosen among values
/// all computed (a select, not a branch the processor would mispredict).
#[inline(always)]
fn add_times(total: f64, x: f64, times: u32) -> f64 {
    let upto3 = add_up_to_three(total, x, times);
    if times > 3 {
        (3..times).fold(upto3, |t, _| t + x)
    } else {
        upto3
    }
}

/// [`add_times`] for at most three additions (`times` above 3 counts as 3): no branch, so a loop
/// over lanes of it runs several lanes at once; the rest of a larger count is added after.
#[inline(always)]
fn add_up_to_three(total: f64, x: f64, times: u32) -> f64 {
    let one = total + x;
    let two = one + x;
    let three = two + x;
    match times {
        0 => total,
        1 => one,
        2 => two,
        _ => three,
    }
}

/// The measures the score uses, for a resample given by how often each unit was drawn.
pub fn measure(prep: &Prepared, counts: &[u32], params: &Params) -> NicheMetrics {
    measure_with(prep, &Reads::of(prep, counts), params)
}

/// [`measure`], with what it reads from every unit given.
fn measure_with(prep: &Prepared, reads: &Reads, params: &Params) -> NicheMetrics {
    let (gini, gini_basis) = match reads.gini_followers {
        Some(g) => (Some(g), Some("followers")),
        None => match reads.gini_fallback {
            Some(g) => (Some(g), Some("engagement")),
            None => (None, None),
        },
    };
    let (trend, trend_monthly) = {
        // (Room for every week at once: grown as it filled, it was reallocated a few times per
        // resample.)
        let mut series: Vec<(f64, f64)> = Vec::with_capacity(reads.weeks.len());
        series.extend(
            prep.weeks
                .iter()
                .zip(&reads.weeks)
                .filter_map(|((w, _), m)| Some((*w as f64, (*m)?))),
        );
        if series.len() < params.min_trend_weeks {
            (None, None)
        } else {
            let slope = stats::theil_sen(&series);
            (slope.map(|s| s.exp() - 1.0), slope.map(stats::monthly_rate_of_weekly))
        }
    };
    NicheMetrics {
        gini,
        gini_basis,
        engagement_trend_weekly: trend,
        engagement_trend_monthly: trend_monthly,
        follower_growth_monthly: reads.growth,
        head_followers_share: reads.head_followers_share,
        head_accounts: reads.head_accounts,
        engagement_rate_share: reads.er_share,
        views_share: reads.views_share,
        value_ratio: reads.value_ratio,
        ..NicheMetrics::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::niche::Context;
    use crate::rng::Rng;

    /// The same measures by `niche::measure` on the drawn units.
    fn measure_drawn(units: &[Unit], counts: &[u32], ctx: Context, params: &Params, name: &str) -> NicheMetrics {
        let drawn: Vec<&Unit> = units
            .iter()
            .zip(counts)
            .flat_map(|(u, &k)| std::iter::repeat_n(u, k as usize))
            .collect();
        crate::measure::niche::measure(name, &drawn, ctx, params)
    }

    /// (below(scale) − shift) ÷ div, or None p_none percent of the time.
    fn maybe(rng: &mut Rng, p_none: usize, scale: usize, shift: f64, div: f64) -> Option<f64> {
        let value = (rng.below(scale) as f64 - shift) / div;
        (rng.below(100) >= p_none).then_some(value)
    }

    fn units(rng: &mut Rng, n: usize) -> Vec<Unit> {
        let mut out = (0..n)
            .map(|i| {
                let account = rng.below(10) > 0;
                let followers = maybe(rng, 10, 2_000_000, 0.0, 1.0).map(|f| f + i as f64 / 1e3);
                let engagement = maybe(rng, 5, 5_000, 0.0, 3.0);
                let weeks = rng.below(12);
                let weekly = (0..weeks)
                    .map(|_| {
                        let w = 2900 + rng.below(20) as i64;
                        (w, (rng.below(1000) as f64 - 500.0) / 250.0)
                    })
                    .collect();
                Unit {
                    niche: "n".into(),
                    platform: if i % 3 == 0 { "douyin" } else { "bilibili" }.into(),
                    account: account.then(|| format!("a{i}")),
                    followers: followers.filter(|_| account),
                    posts: (i % 50) as u64,
                    engagement_known: u64::from(engagement.is_some()),
                    engagement_total: engagement.map(|e| e * 7.0),
                    engagement_per_post: engagement,
                    engagement_max: engagement.map(|e| e * (1.0 + (i % 8) as f64)),
                    views_per_post: maybe(rng, 30, 90_000, 0.0, 1.0),
                    er_views: maybe(rng, 30, 1000, 0.0, 7919.0),
                    er_followers: match (engagement, followers) {
                        (Some(e), Some(f)) if f > 0.0 && account => Some(e / f),
                        _ => None,
                    },
                    posts_per_week: maybe(rng, 20, 300, 0.0, 13.0),
                    sponsored_known: (i % 20) as u64,
                    sponsored_yes: (i % 20).min(i % 3) as u64,
                    price: maybe(rng, 60, 40_000, 0.0, 1.0),
                    earnings_monthly: maybe(rng, 70, 90_000, 0.0, 1.0),
                    follower_growth_monthly: maybe(rng, 50, 200, 50.0, 1000.0),
                    weekly,
                    ..Unit::default()
                }
            })
            .collect::<Vec<Unit>>();
        crate::measure::placed::place(&mut out, &Params::default());
        out
    }

    fn fields(m: &NicheMetrics) -> Vec<(&'static str, Option<f64>)> {
        vec![
            ("gini", m.gini),
            ("engagement_trend_weekly", m.engagement_trend_weekly),
            ("engagement_trend_monthly", m.engagement_trend_monthly),
            ("follower_growth_monthly", m.follower_growth_monthly),
            ("head_followers_share", m.head_followers_share),
            ("head_accounts", Some(m.head_accounts as f64)),
            ("engagement_rate_share", m.engagement_rate_share),
            ("views_share", m.views_share),
            ("value_ratio", m.value_ratio),
        ]
    }

    /// Sums add in another order than on the drawn units: equal to the last few bits.
    const SUMS: [&str; 1] = ["gini"];

    const CTX: Context = Context {
        has_posts: true,
        accounts_known: true,
    };

    /// Every measure the same to the bit (and the same bases).
    fn assert_same_bits(a: &NicheMetrics, b: &NicheMetrics, what: &str) {
        assert_eq!(a.engagement_rate_basis, b.engagement_rate_basis, "{what}");
        assert_eq!(a.gini_basis, b.gini_basis, "{what}");
        for ((name, x), (_, y)) in fields(a).into_iter().zip(fields(b)) {
            assert_eq!(
                x.map(f64::to_bits),
                y.map(f64::to_bits),
                "{name} ({what}): {x:?} vs {y:?}"
            );
        }
    }

    /// [`measure_side_by_side`] of up to [`LANES`] resamples given one count list each.
    fn measure_lanes(
        prep: &Prepared,
        counts: &[Vec<u32>],
        params: &Params,
    ) -> Result<Vec<NicheMetrics>, std::num::TryFromIntError> {
        let mut lanes = vec![0u16; prep.n * LANES];
        for (l, c) in counts.iter().enumerate() {
            for (u, &k) in c.iter().enumerate() {
                lanes[u * LANES + l] = u16::try_from(k)?;
            }
        }
        Ok(measure_side_by_side(prep, &lanes, counts.len(), Trend::Always, params))
    }

    #[test]
    fn the_trend_is_left_out_only_where_the_score_cannot_read_it() {
        let params = Params::default();
        let mut rng = Rng::new(31);
        let trend = ["engagement_trend_weekly", "engagement_trend_monthly"];
        let (mut skipped, mut kept, mut trends) = (0, 0, 0);
        for round in 0..40 {
            let n = [3, 8, 40, 300][round % 4];
            let list = units(&mut rng, n);
            let prep = Prepared::new(&list, &params);
            // Sixteen resamples drawing each unit 0-2 times.
            let mut lanes = vec![0u16; n * LANES];
            for c in lanes.iter_mut() {
                *c = rng.below(3) as u16;
            }
            let always = measure_side_by_side(&prep, &lanes, LANES, Trend::Always, &params);
            let never = measure_side_by_side(&prep, &lanes, LANES, Trend::Never, &params);
            let fallback = measure_side_by_side(&prep, &lanes, LANES, Trend::WhereNoGrowth, &params);
            let some_lane_without_growth = always.iter().any(|m| m.follower_growth_monthly.is_none());
            trends += always.iter().filter(|m| m.engagement_trend_monthly.is_some()).count();
            for ((a, b), c) in always.iter().zip(&never).zip(&fallback) {
                for (((name, x), (_, y)), (_, z)) in fields(a).into_iter().zip(fields(b)).zip(fields(c)) {
                    let bits = |v: Option<f64>| v.map(f64::to_bits);
                    if trend.contains(&name) {
                        assert_eq!(y, None, "{name}: never computed");
                        // Computed for every lane where any lane's growth sub-factor needs it.
                        let want = if some_lane_without_growth { bits(x) } else { None };
                        assert_eq!(bits(z), want, "{name}");
                    } else {
                        assert_eq!(bits(x), bits(y), "{name}");
                        assert_eq!(bits(x), bits(z), "{name}");
                    }
                }
            }
            if some_lane_without_growth {
                kept += 1;
            } else {
                skipped += 1;
            }
        }
        // Both cases were met, and there were trends to leave out.
        assert!(
            skipped > 0 && kept > 0 && trends > 0,
            "skipped {skipped}, kept {kept}, trends {trends}"
        );
    }

    #[test]
    fn medians_by_counts_skip_spans_to_the_same_value() {
        let mut rng = Rng::new(5);
        for n in [1, 15, 16, 17, 63, 64, 65, 200, 1000, 5000] {
            let values: Vec<(f64, u32)> = (0..n).map(|i| (rng.below(300) as f64 / 7.0, i as u32)).collect();
            let list = Sorted::from_pairs(values.clone());
            for sparse in [1, 3, 50] {
                // Most units undrawn when sparse is large: long runs of zero counts.
                let counts: Vec<u32> = (0..n)
                    .map(|_| if rng.below(sparse) == 0 { rng.below(4) as u32 } else { 0 })
                    .collect();
                let drawn: Vec<f64> = values
                    .iter()
                    .flat_map(|&(x, i)| std::iter::repeat_n(x, counts[i as usize] as usize))
                    .collect();
                assert_eq!(
                    median(&list, &counts),
                    stats::median(&drawn),
                    "n = {n}, sparse = {sparse}"
                );
            }
        }
    }

    #[test]
    fn counts_give_what_measuring_the_drawn_units_gives() {
        let params = Params::default();
        let ctx = CTX;
        let mut rng = Rng::new(11);
        for round in 0..60 {
            let n = [0, 1, 2, 3, 7, 40, 300][round % 7];
            let list = units(&mut rng, n);
            let prep = Prepared::new(&list, &params);
            let ones = vec![1u32; n];
            let mut drawn = vec![0u32; n];
            for _ in 0..n {
                drawn[rng.below(n)] += 1;
            }
            for (counts, exact) in [(&ones, true), (&drawn, false)] {
                let fast = measure(&prep, counts, &params);
                let slow = measure_drawn(&list, counts, ctx, &params, "n");
                // A resample's Gini needs two distinct accounts (as the point estimate, over
                // distinct accounts, does); measuring drawn copies sees one account drawn twice as
                // two. Where the draw has fewer than two distinct accounts with followers, the
                // copies' Gini is not the resample's reference (it has none, or the fallback's).
                let distinct = |value: fn(&Unit) -> bool| {
                    list.iter()
                        .zip(counts.iter())
                        .filter(|(u, &c)| c > 0 && u.is_account() && value(u))
                        .count()
                };
                let few = distinct(|u| u.followers.is_some_and(|f| f >= 0.0)) < 2;
                if few {
                    assert_ne!(fast.gini_basis, Some("followers"));
                } else {
                    assert_eq!(fast.gini_basis, slow.gini_basis);
                }
                for ((name, a), (_, b)) in fields(&fast).into_iter().zip(fields(&slow)) {
                    if few && name == "gini" {
                        continue;
                    }
                    match (a, b) {
                        (Some(a), Some(b)) if !exact && SUMS.contains(&name) => {
                            assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{name}: {a} vs {b}")
                        }
                        _ => assert_eq!(
                            a.map(f64::to_bits),
                            b.map(f64::to_bits),
                            "{name} (n = {n}): {a:?} vs {b:?}"
                        ),
                    }
                }
            }
        }
    }

    #[test]
    fn adding_a_value_several_times_is_adding_it_once_at_a_time() {
        for (total, x) in [(0.0, 0.1), (1e16, 1.0), (-0.0, 0.0), (3.5, -2.25), (0.0, f64::INFINITY)] {
            for times in 0..12u32 {
                let one_by_one = (0..times).fold(total, |t, _| t + x);
                assert_eq!(
                    add_times(total, x, times).to_bits(),
                    one_by_one.to_bits(),
                    "{total} + {x} × {times}"
                );
            }
        }
    }

    #[test]
    fn resamples_measured_in_lanes_match_one_at_a_time_bit_for_bit() -> Result<(), std::num::TryFromIntError> {
        let params = Params::default();
        let mut rng = Rng::new(23);
        for round in 0..24 {
            let n = [1, 2, 5, 16, 17, 300, 1000][round % 7];
            let list = units(&mut rng, n);
            let prep = Prepared::new(&list, &params);
            // A full set of lanes and a partial one; some resamples draw sparsely (long runs of
            // undrawn units), one draws nothing at all, one draws a unit many times.
            let batch = if round % 2 == 0 { LANES } else { 5 };
            let counts: Vec<Vec<u32>> = (0..batch)
                .map(|l| {
                    let mut c = vec![0u32; n];
                    match l {
                        0 => {}
                        1 => c[n / 2] = 9,
                        _ => {
                            for _ in 0..n {
                                if l % 3 != 0 || rng.below(20) == 0 {
                                    c[rng.below(n)] += 1;
                                }
                            }
                        }
                    }
                    c
                })
                .collect();
            let together = measure_lanes(&prep, &counts, &params)?;
            assert_eq!(together.len(), batch);
            for (l, (c, t)) in counts.iter().zip(&together).enumerate() {
                assert_same_bits(t, &measure(&prep, c, &params), &format!("n = {n}, lane {l}"));
            }
        }
        Ok(())
    }
}
