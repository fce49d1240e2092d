//! Small statistics on plain slices: median, Gini, top share, Theil–Sen slope, a small linear
//! solve.
//! Each function says what it returns for too little data (None), never a made-up number.

/// The median; the mean of the two middle values for an even count. None for no values.
pub fn median(values: &[f64]) -> Option<f64> {
    median_mut(&mut values.iter().copied().filter(|x| x.is_finite()).collect())
}

/// The median of `values`, reordering them (and dropping non-finite ones): the same value as
/// [`median`], without a copy. The middle value is found by selection, not a full sort; equal
/// values under `f64::total_cmp` have the same bits, so the result is the sorted list's middle.
pub fn median_mut(values: &mut Vec<f64>) -> Option<f64> {
    values.retain(|x| x.is_finite());
    median_of_finite(values)
}

/// [`median_mut`] of values that are all finite, reordering them.
pub fn median_of_finite(values: &mut [f64]) -> Option<f64> {
    // Selected by integer keys that order as `f64::total_cmp` does (the comparison is then one
    // instruction instead of a few), the keys held in the values' own bits meanwhile.
    for x in values.iter_mut() {
        *x = f64::from_bits(order_key(x.to_bits()));
    }
    let median = median_of_keys(values);
    for x in values.iter_mut() {
        *x = f64::from_bits(order_key(x.to_bits()));
    }
    median
}

/// The median of finite values each held as its [`order_key`] (in an `f64`'s bits), reordering
/// them: the sorted list's middle value, or the mean of its two middle values.
fn median_of_keys(keys: &mut [f64]) -> Option<f64> {
    let n = keys.len();
    if n == 0 {
        return None;
    }
    let key = |x: &f64| x.to_bits() as i64;
    let value = |k: i64| f64::from_bits(order_key(k as u64));
    let (lower, mid, _) = keys.select_nth_unstable_by_key(n / 2, key);
    let mid = value(key(mid));
    match (n % 2 == 0).then(|| lower.iter().map(key).max()).flatten() {
        None => Some(mid),
        Some(below) => Some((value(below) + mid) / 2.0),
    }
}

/// The bits of a float turned into an integer that orders, read as `i64`, as `f64::total_cmp`
/// orders the floats (negative floats have their other bits flipped); its own inverse.
fn order_key(bits: u64) -> u64 {
    bits ^ ((((bits as i64) >> 63) as u64) >> 1)
}

/// Gini coefficient of non-negative values: 0 when all are equal, towards 1 when one holds all.
/// Uses G = Σ (2i − n − 1) x₍ᵢ₎ / (n Σ x) over the ascending values. None for fewer than two
/// values or a zero total.
pub fn gini(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite() && *x >= 0.0).collect();
    let n = v.len();
    if n < 2 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let total: f64 = v.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let weighted: f64 = v
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n as f64 - 1.0) * x)
        .sum();
    Some(weighted / (n as f64 * total))
}

/// The share of the total held by the largest ⌈fraction × n⌉ values. None for no values or a
/// zero total.
pub fn top_share(values: &[f64], fraction: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite() && *x >= 0.0).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = v.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let k = ((fraction * v.len() as f64).ceil() as usize).clamp(1, v.len());
    Some(v[..k].iter().sum::<f64>() / total)
}

/// The Theil–Sen slope: the median of the slopes between every pair of points with distinct x.
/// None for fewer than two distinct x values.
pub fn theil_sen(points: &[(f64, f64)]) -> Option<f64> {
    // Every slope first, in one loop without a branch (a pair with equal x divides by zero and
    // comes out infinite or NaN, so dropping the slopes that are not finite drops those pairs
    // too; a weekly series has distinct weeks, so the drop is rarely needed), then each turned
    // into its order key for the selection of their median, never restored: the bootstrap takes
    // a slope per resample.
    let mut keys = Vec::with_capacity(points.len() * points.len().saturating_sub(1) / 2);
    for (i, &(x1, y1)) in points.iter().enumerate() {
        keys.extend(points[i + 1..].iter().map(|&(x2, y2)| (y2 - y1) / (x2 - x1)));
    }
    if !keys.iter().all(|k| k.is_finite()) {
        keys.retain(|k| k.is_finite());
    }
    for k in &mut keys {
        *k = f64::from_bits(order_key(k.to_bits()));
    }
    median_of_keys(&mut keys)
}

/// Herfindahl–Hirschman index of the shares of a total, on the 0–10,000 scale
/// (Σ (100 · xᵢ / Σx)²): below 1,500 is competitive, above 2,500 concentrated. None for no values
/// or a zero total.
pub fn hhi(values: &[f64]) -> Option<f64> {
    let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite() && *x >= 0.0).collect();
    let total: f64 = v.iter().sum();
    if v.is_empty() || total <= 0.0 {
        return None;
    }
    Some(v.iter().map(|x| (100.0 * x / total).powi(2)).sum())
}

/// The Mann–Kendall trend test on a series in time order: S = Σᵢ<ⱼ sign(yⱼ − yᵢ), its variance
/// corrected for ties, z with the continuity correction, and the two-sided p-value from the normal
/// distribution. None for fewer than three values.
pub fn mann_kendall(series: &[f64]) -> Option<MannKendall> {
    use statrs::distribution::{ContinuousCDF, Normal};
    let n = series.len();
    if n < 3 {
        return None;
    }
    let mut s = 0i64;
    for i in 0..n {
        for j in i + 1..n {
            s += match series[j].total_cmp(&series[i]) {
                std::cmp::Ordering::Greater => 1,
                std::cmp::Ordering::Less => -1,
                std::cmp::Ordering::Equal => 0,
            };
        }
    }
    let mut sorted = series.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut ties = 0.0;
    let mut run = 1usize;
    for k in 1..=n {
        if k < n && sorted[k] == sorted[k - 1] {
            run += 1;
        } else {
            let t = run as f64;
            ties += t * (t - 1.0) * (2.0 * t + 5.0);
            run = 1;
        }
    }
    let nf = n as f64;
    let variance = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0;
    if variance <= 0.0 {
        return Some(MannKendall { s, z: 0.0, p: 1.0 });
    }
    let z = match s.cmp(&0) {
        std::cmp::Ordering::Greater => (s as f64 - 1.0) / variance.sqrt(),
        std::cmp::Ordering::Less => (s as f64 + 1.0) / variance.sqrt(),
        std::cmp::Ordering::Equal => 0.0,
    };
    let normal = Normal::new(0.0, 1.0).ok()?;
    let p = (2.0 * (1.0 - normal.cdf(z.abs()))).clamp(0.0, 1.0);
    Some(MannKendall { s, z, p })
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannKendall {
    pub s: i64,
    pub z: f64,
    pub p: f64,
}

/// Days in a month (365.25 / 12).
pub const DAYS_PER_MONTH: f64 = 30.44;

/// A slope of ln(x) per day as a rate per month: e^(30.44 · slope) − 1.
pub fn monthly_rate(log_slope_per_day: f64) -> f64 {
    (log_slope_per_day * DAYS_PER_MONTH).exp() - 1.0
}

/// A slope of ln(x) per week as a rate per month: e^(30.44 / 7 · slope) − 1.
pub fn monthly_rate_of_weekly(log_slope_per_week: f64) -> f64 {
    (log_slope_per_week * DAYS_PER_MONTH / 7.0).exp() - 1.0
}

/// The value at fraction `q` of the sorted values, interpolating linearly between neighbours.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    quantiles(values, [q])[0]
}

/// [`quantile`] at each of `qs`, from one sort of the values.
pub fn quantiles<const N: usize>(values: &[f64], qs: [f64; N]) -> [Option<f64>; N] {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    qs.map(|q| quantile_of_sorted(&v, q))
}

/// [`quantile`] of finite values already sorted ascending.
fn quantile_of_sorted(v: &[f64], q: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    Some(v[lo] + (v[hi] - v[lo]) * (pos - lo as f64))
}

/// The x with `a` x = `b`, for a small square system (a few platforms), by Gaussian elimination
/// with partial pivoting; `None` where `a` is singular. (No linear-algebra crate is in the lock;
/// this is the one place the method solves a system.)
pub fn solve(a: &[Vec<f64>], b: &[f64]) -> Option<Vec<f64>> {
    let n = b.len();
    let mut m: Vec<Vec<f64>> = a
        .iter()
        .zip(b)
        .map(|(row, &y)| row.iter().copied().chain([y]).collect())
        .collect();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| m[i][col].abs().total_cmp(&m[j][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        let (upper, lower) = m.split_at_mut(col + 1);
        let top = &upper[col];
        for row in lower.iter_mut() {
            let f = row[col] / top[col];
            for (x, t) in row.iter_mut().zip(top).skip(col) {
                *x -= f * t;
            }
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let tail: f64 = (row + 1..n).map(|k| m[row][k] * x[k]).sum();
        x[row] = (m[row][n] - tail) / m[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_by_selection_are_the_middle_of_the_sorted_values_bit_for_bit() {
        // The definition: sort the finite values (by `total_cmp`, so −0.0 before +0.0), take the
        // middle one or the mean of the middle two.
        let sorted_median = |values: &[f64]| -> Option<f64> {
            let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
            v.sort_by(f64::total_cmp);
            let n = v.len();
            match n {
                0 => None,
                _ if n % 2 == 1 => Some(v[n / 2]),
                _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
            }
        };
        let mut rng = crate::rng::Rng::new(7);
        for n in 0..60 {
            let values: Vec<f64> = (0..n)
                .map(|k| match k % 9 {
                    0 => f64::NAN,
                    1 => 3.0,
                    2 => -0.0,
                    3 => 0.0,
                    4 => f64::INFINITY,
                    _ => (rng.below(1000) as f64) / 7.0 - 50.0,
                })
                .collect();
            let want = sorted_median(&values).map(f64::to_bits);
            let mut copy = values.clone();
            assert_eq!(median_mut(&mut copy).map(f64::to_bits), want, "{values:?}");
            assert_eq!(median(&values).map(f64::to_bits), want, "{values:?}");
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn gini_of_equal_and_concentrated() {
        assert_eq!(gini(&[5.0, 5.0, 5.0, 5.0]), Some(0.0));
        // One of four holds everything: (n-1)/n = 0.75.
        let g = gini(&[0.0, 0.0, 0.0, 10.0]).unwrap_or(f64::NAN);
        assert!((g - 0.75).abs() < 1e-12, "{g}");
        // 1,2,3,4: G = (−3·1 −1·2 +1·3 +3·4)/(4·10) = 10/40.
        let g = gini(&[4.0, 1.0, 3.0, 2.0]).unwrap_or(f64::NAN);
        assert!((g - 0.25).abs() < 1e-12, "{g}");
        assert_eq!(gini(&[3.0]), None);
        assert_eq!(gini(&[0.0, 0.0]), None);
    }

    #[test]
    fn top_share_rounds_the_head_up() {
        // 10% of 5 accounts rounds up to 1 account.
        assert_eq!(top_share(&[60.0, 10.0, 10.0, 10.0, 10.0], 0.1), Some(0.6));
        // 10% of 20 is 2 accounts.
        let mut v = vec![1.0; 18];
        v.extend([41.0, 41.0]);
        assert_eq!(top_share(&v, 0.1), Some(82.0 / 100.0));
        assert_eq!(top_share(&[], 0.1), None);
    }

    #[test]
    fn theil_sen_ignores_one_outlier() {
        let mut pts: Vec<(f64, f64)> = (0..10).map(|i| (f64::from(i), 2.0 * f64::from(i) + 1.0)).collect();
        pts[5].1 = 1000.0;
        assert_eq!(theil_sen(&pts), Some(2.0));
        assert_eq!(theil_sen(&[(1.0, 1.0), (1.0, 5.0)]), None);
    }

    #[test]
    fn hhi_of_equal_and_monopoly() {
        assert_eq!(hhi(&[1.0, 1.0, 1.0, 1.0]), Some(2500.0));
        assert_eq!(hhi(&[5.0]), Some(10_000.0));
        assert_eq!(hhi(&[]), None);
    }

    #[test]
    fn mann_kendall_matches_a_hand_computation() {
        // 1, 2, 3, 4, 5: S = 10, Var = 5·4·15/18 = 16.667, z = 9/4.082 = 2.205, p = 0.0275.
        let mk = mann_kendall(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!(mk.s, 10);
        assert!((mk.z - 2.2045).abs() < 1e-3, "{mk:?}");
        assert!((mk.p - 0.0275).abs() < 1e-3, "{mk:?}");
        let flat = mann_kendall(&[3.0, 3.0, 3.0, 3.0]).unwrap();
        assert_eq!(flat.p, 1.0);
        assert_eq!(mann_kendall(&[1.0, 2.0]), None);
        let down = mann_kendall(&[5.0, 4.0, 4.0, 2.0, 1.0]).unwrap();
        assert!(down.s < 0 && down.z < 0.0);
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.5), Some(3.0));
        assert_eq!(quantile(&[1.0, 2.0], 0.25), Some(1.25));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn solve_finds_x_and_refuses_a_singular_system() {
        // 2x + y = 5, x + 3y = 10: x = 1, y = 3 (a zero pivot first, so rows must swap).
        let a = vec![vec![0.0, 1.0, 1.0], vec![2.0, 1.0, 0.0], vec![1.0, 3.0, 0.0]];
        let x = solve(&a, &[3.0, 5.0, 10.0]).expect("solvable");
        for (got, want) in x.iter().zip([1.0, 3.0, 0.0]) {
            assert!((got - want).abs() < 1e-12, "{x:?}");
        }
        assert_eq!(solve(&[vec![1.0, 2.0], vec![2.0, 4.0]], &[1.0, 2.0]), None);
    }
}
