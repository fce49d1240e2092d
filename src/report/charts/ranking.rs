//! The ranking: each niche's score with its interval, best first.

use super::*;

pub(super) fn ranking(page: &Page, lang: Lang) -> Result<Outcome> {
    let title = lang
        .pick("Ranking: demand × business × traffic", "排名：需求 × 商业 × 流量")
        .to_string();
    let rows = shown(page);
    if rows.is_empty() {
        return Ok(skip(
            "ranking",
            title,
            lang.pick("no niches in these inputs", "输入中没有赛道"),
        ));
    }
    let (top, row_h, label_w, right) = (96, 28, 230, 24);
    let height = top + row_h * rows.len() as u32 + 64;
    let keys = ["demand", "business", "traffic", "score"];
    let panel_gap = 16;
    let panel_w = (WIDTH as i32 - label_w - right - panel_gap * 3) / 4;
    let png = render(WIDTH, height, |c| {
        c.title(
            &title,
            lang.pick(
                "Each factor on its platform's scales, 0–1 (0.5: a niche of typical accounts of its platform); whiskers are 95% intervals.",
                "各因子按所在平台的尺度衡量（0–1，0.5 为由所在平台典型账号组成的赛道）；须线为 95% 区间。",
            ),
        )?;
        for (k, key) in keys.iter().enumerate() {
            let x0 = label_w + k as i32 * (panel_w + panel_gap);
            let x = |v: f64| x0 + (v.clamp(0.0, 1.0) * f64::from(panel_w)).round() as i32;
            c.text(
                &lang.factor(key),
                x0 + panel_w / 2,
                top as i32 - 18,
                16,
                FACTOR_COLOURS[k],
                Align::Centre,
            )?;
            let bottom = top as i32 + row_h as i32 * rows.len() as i32;
            for g in [0.0, 0.5, 1.0] {
                c.line(vec![(x(g), top as i32 - 6), (x(g), bottom)], GRID, 1)?;
                c.text(&format!("{g}"), x(g), bottom + 12, 12, MUTED, Align::Centre)?;
            }
            for (i, n) in rows.iter().enumerate() {
                let yc = top as i32 + row_h as i32 * i as i32 + row_h as i32 / 2;
                let value = match *key {
                    "demand" => n.demand,
                    "business" => n.business,
                    "traffic" => n.traffic,
                    _ => n.score,
                };
                let colour = FACTOR_COLOURS[k];
                match value {
                    Some(v) => {
                        c.rect(x(0.0), yc - 7, x(v).max(x(0.0) + 1), yc + 7, tint(colour, 0.72))?;
                        if let Some((lo, hi)) = n.interval(key) {
                            c.line(vec![(x(lo), yc), (x(hi), yc)], colour, 2)?;
                            c.line(vec![(x(lo), yc - 4), (x(lo), yc + 4)], colour, 1)?;
                            c.line(vec![(x(hi), yc - 4), (x(hi), yc + 4)], colour, 1)?;
                        }
                        c.dot(x(v), yc, 4, colour)?;
                    }
                    None => c.text("—", x(0.0) + 6, yc, 14, MUTED, Align::Left)?,
                }
            }
        }
        for (i, n) in rows.iter().enumerate() {
            let yc = top as i32 + row_h as i32 * i as i32 + row_h as i32 / 2;
            if i % 2 == 1 {
                c.rect(
                    8,
                    yc - row_h as i32 / 2,
                    label_w - 8,
                    yc + row_h as i32 / 2,
                    RGBColor(248, 249, 250),
                )?;
            }
            let colour = if n.low_evidence { MUTED } else { INK };
            let label = c.fit(&label_of(n), 15, (label_w - 24) as u32);
            c.text(&label, label_w - 14, yc, 15, colour, Align::Right)?;
        }
        let mut foot = Vec::new();
        if rows.iter().any(|n| n.low_evidence) {
            foot.push(
                lang.pick(
                    "* low evidence: fewer than 5 accounts or 20 posts.",
                    "* 证据不足：账号少于 5 个或内容少于 20 条。",
                )
                .to_string(),
            );
        }
        foot.push(showing_note(lang, rows.len(), page.niches.len()));
        c.footnote(foot.join(" ").trim(), height)
    })?;
    let alt = rows
        .iter()
        .take(5)
        .map(|n| format!("{} {}", label_of(n), n.score.map_or_else(|| "—".to_string(), f2)))
        .collect::<Vec<_>>()
        .join("; ");
    Ok(drawn("ranking", title, alt, height, png))
}
