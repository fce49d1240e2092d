//! Engagement trends: each niche's weekly engagement relative to its accounts' typical post,
//! smoothed; with demand signals, the niche's search index beside it as a thin line.

use super::*;

/// Days since 1970-01-01 of an ISO date (the trend series' week starts).
pub(super) fn day_number(date: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    Some((d - epoch).num_days())
}

/// The trend chart shows at most the last two years.
pub(super) const WINDOW_DAYS: i64 = 728;
/// Weeks further apart than this are not joined by a line.
pub(super) const GAP_DAYS: i64 = 56;

/// A centred rolling median over `k` points, to show the direction through weekly noise.
pub(super) fn rolling_median(values: &[f64], k: usize) -> Vec<f64> {
    let half = k / 2;
    (0..values.len())
        .map(|i| {
            let lo = i.saturating_sub(half);
            let hi = (i + half + 1).min(values.len());
            let mut w = values[lo..hi].to_vec();
            w.sort_by(f64::total_cmp);
            w[w.len() / 2]
        })
        .collect()
}

pub(super) fn trends(page: &Page, lang: Lang) -> Result<Outcome> {
    let title = lang.pick("Engagement trend", "互动趋势").to_string();
    // The last two years of the run's dates: older weeks in crawled lists are few and far apart.
    let last = page
        .niches
        .iter()
        .flat_map(|n| n.weekly_trend.iter().filter_map(|(d, _)| day_number(d)))
        .max()
        .unwrap_or(0);
    let window_start = last - WINDOW_DAYS;
    let series: Vec<(&Niche, Vec<(i64, f64)>)> = page
        .niches
        .iter()
        .filter(|n| !n.low_evidence)
        .filter_map(|n| {
            let pts: Vec<(i64, f64)> = n
                .weekly_trend
                .iter()
                .filter_map(|(d, v)| Some((day_number(d)?, *v)))
                .filter(|p| p.0 >= window_start && p.1.is_finite() && p.1 > 0.0)
                .collect();
            (pts.len() >= 4).then_some((n, pts))
        })
        .take(6)
        .collect();
    if series.is_empty() {
        return Ok(skip(
            "trends",
            title,
            lang.pick(
                "no niche with enough evidence has four or more weeks of dated posts",
                "没有证据充足且有四周以上带日期内容的赛道",
            ),
        ));
    }
    let height = 520u32;
    let (left, right, top, bottom) = (70i32, 250i32, 80i32, 60i32);
    let plot_w = WIDTH as i32 - left - right;
    let plot_h = height as i32 - top - bottom;
    let (d0, d1) = series
        .iter()
        .flat_map(|s| s.1.iter().map(|p| p.0))
        .fold((i64::MAX, i64::MIN), |(a, b), d| (a.min(d), b.max(d)));
    let d1 = d1.max(d0 + 7);
    let smoothed: Vec<Vec<(i64, f64)>> = series
        .iter()
        .map(|(_, pts)| {
            let logs: Vec<f64> = pts.iter().map(|p| p.1.log2()).collect();
            pts.iter().map(|p| p.0).zip(rolling_median(&logs, 5)).collect()
        })
        .collect();
    // Demand signals (`--signals`), relative to their median reading, as thin lines in the
    // niche's colour, within the same dates.
    let searches: Vec<Vec<(i64, f64)>> = series
        .iter()
        .map(|(n, _)| {
            n.search_series
                .iter()
                .filter_map(|(d, v)| Some((day_number(d)?, *v)))
                .filter(|p| p.0 >= d0 && p.0 <= d1 && p.1.is_finite() && p.1 > 0.0)
                .map(|(d, v)| (d, v.log2()))
                .collect()
        })
        .collect();
    let any_search = searches.iter().any(|s| s.len() >= 2);
    let span = smoothed
        .iter()
        .chain(&searches)
        .flatten()
        .fold(1.0f64, |m, p| m.max(p.1.abs()))
        .min(4.0)
        .ceil();
    let x = |d: i64| left + ((d - d0) as f64 / (d1 - d0) as f64 * f64::from(plot_w)).round() as i32;
    let y = |l: f64| top + plot_h / 2 - (l.clamp(-span, span) / span * f64::from(plot_h) / 2.0).round() as i32;
    let png = render(WIDTH, height, |c| {
        c.title(
            &title,
            if any_search {
                lang.pick(
                    "Engagement relative to each account's typical post (×1 = typical), 5-week rolling median; thin lines: searches (your demand signal) relative to their median.",
                    "相对各账号常规内容的互动倍数（×1 为常规水平），5 周滚动中位数；细线：搜索热度（你提供的需求指数）相对其中位数。",
                )
            } else {
                lang.pick(
                    "Engagement relative to each account's typical post (×1 = typical), 5-week rolling median; up to the last two years.",
                    "相对各账号常规内容的互动倍数（×1 为常规水平），5 周滚动中位数；最多显示最近两年。",
                )
            },
        )?;
        let mut l = -span;
        while l <= span + 1e-9 {
            c.line(
                vec![(left, y(l)), (left + plot_w, y(l))],
                if l == 0.0 { MUTED } else { GRID },
                1,
            )?;
            let label = if l >= 0.0 {
                format!("×{}", 2f64.powf(l))
            } else {
                format!("×{}", f2(2f64.powf(l)).trim_end_matches('0'))
            };
            c.text(&label, left - 8, y(l), 12, MUTED, Align::Right)?;
            l += 1.0;
        }
        // Month ticks: about six, at first days of months.
        let months = ((d1 - d0) / 30).max(1);
        let step = (months / 6).max(1);
        let mut t = d0;
        let mut last_month = -1i64;
        let mut k = 0i64;
        while t <= d1 {
            let Some((yy, mm, _)) = crate::civil::date_of(t) else {
                break;
            };
            let ym = yy * 12 + i64::from(mm);
            if ym != last_month {
                if k % step == 0 {
                    c.line(vec![(x(t), top + plot_h), (x(t), top + plot_h + 5)], MUTED, 1)?;
                    c.text(
                        &format!("{yy}-{mm:02}"),
                        x(t),
                        top + plot_h + 16,
                        12,
                        MUTED,
                        Align::Centre,
                    )?;
                }
                k += 1;
                last_month = ym;
            }
            t += 1;
        }
        for (i, pts) in smoothed.iter().enumerate() {
            // A gap of more than eight weeks breaks the line rather than bridging it.
            for run in pts.chunk_by(|a, b| b.0 - a.0 <= GAP_DAYS) {
                let line: Vec<(i32, i32)> = run.iter().map(|p| (x(p.0), y(p.1))).collect();
                if line.len() == 1 {
                    c.dot(line[0].0, line[0].1, 2, SERIES[i % SERIES.len()])?;
                } else {
                    c.line(line, SERIES[i % SERIES.len()], 2)?;
                }
            }
        }
        for (i, pts) in searches.iter().enumerate() {
            if pts.len() >= 2 {
                let line: Vec<(i32, i32)> = pts.iter().map(|p| (x(p.0), y(p.1))).collect();
                c.line(line, SERIES[i % SERIES.len()], 1)?;
            }
        }
        for (i, (n, _)) in series.iter().enumerate() {
            let ly = top + 10 + i as i32 * 40;
            let lx = left + plot_w + 24;
            c.rect(lx, ly - 2, lx + 18, ly + 2, SERIES[i % SERIES.len()])?;
            let label = c.fit(&label_of(n), 14, (right - 56) as u32);
            c.text(&label, lx + 26, ly, 14, INK, Align::Left)?;
            let trend = match n.engagement_trend_monthly {
                Some(t) => format!(
                    "{}{:.1}% / {}{}",
                    if t >= 0.0 { "+" } else { "" },
                    t * 100.0,
                    lang.pick("month", "月"),
                    n.trend_p_value.map_or_else(String::new, |p| if p < 0.01 {
                        ", p < 0.01".to_string()
                    } else {
                        format!(", p = {}", f2(p))
                    })
                ),
                None => "—".to_string(),
            };
            c.text(&trend, lx + 26, ly + 17, 12, MUTED, Align::Left)?;
        }
        Ok(())
    })?;
    let alt = series
        .iter()
        .map(|(n, _)| {
            format!(
                "{}: {}{}",
                crate::text::sanitise_line(&n.niche),
                n.engagement_trend_monthly
                    .map_or_else(|| "—".to_string(), |t| format!("{:+.1}%/mo", t * 100.0)),
                n.search_trend_monthly
                    .map_or_else(String::new, |t| format!(", searches {:+.1}%/mo", t * 100.0))
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(drawn("trends", title, alt, height, png))
}
