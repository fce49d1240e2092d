//! Small statistics on plain slices: median, Gini, top share, Theil–Sen slope.
//! Each function says what it returns for too little data (None), never a made-up number.

/// The median; the mean of the two middle values for an even count. None for no values.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
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
    let mut slopes = Vec::with_capacity(points.len() * points.len().saturating_sub(1) / 2);
    for (i, &(x1, y1)) in points.iter().enumerate() {
        for &(x2, y2) in &points[i + 1..] {
            if x2 != x1 {
                slopes.push((y2 - y1) / (x2 - x1));
            }
        }
    }
    median(&slopes)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
