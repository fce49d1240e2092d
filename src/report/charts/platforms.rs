//! Niche × platform: each niche's score on each platform it is on.

use super::*;

pub(super) fn platforms(page: &Page, lang: Lang) -> Result<Outcome> {
    let title = lang.pick("Niche × platform", "赛道 × 平台").to_string();
    let rows = shown(page);
    let mut platforms: Vec<(String, usize)> = Vec::new();
    for n in &page.niches {
        for p in &n.by_platform {
            match platforms.iter_mut().find(|q| q.0 == p.platform) {
                Some(q) => q.1 += 1,
                None => platforms.push((p.platform.clone(), 1)),
            }
        }
    }
    platforms.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    platforms.truncate(8);
    if rows.is_empty() || platforms.is_empty() {
        return Ok(skip("platforms", title, lang.pick("no platform is known", "未知平台")));
    }
    // Pair scores are products of three factors and run small: colour against the best pair.
    let best = page
        .niches
        .iter()
        .flat_map(|n| n.by_platform.iter().filter_map(|p| p.score))
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let (top, row_h, label_w) = (110i32, 28i32, 230i32);
    let cell_w = ((WIDTH as i32 - label_w - 24) / platforms.len() as i32).min(140);
    let height = (top + row_h * rows.len() as i32 + 56) as u32;
    let png = render(WIDTH, height, |c| {
        c.title(
            &title,
            lang.pick(
                "Each niche scored on each platform against every niche–platform pair; colour relative to the best pair; * = low evidence.",
                "每个赛道在各平台上的得分（与所有赛道×平台组合比较），颜色相对最高组合；* 表示证据不足。",
            ),
        )?;
        for (j, (p, _)) in platforms.iter().enumerate() {
            let xc = label_w + cell_w * j as i32 + cell_w / 2;
            let name = c.fit(&crate::text::sanitise_line(&lang.platform(p)), 14, (cell_w - 6) as u32);
            c.text(&name, xc, top - 16, 14, INK, Align::Centre)?;
        }
        for (i, n) in rows.iter().enumerate() {
            let y0 = top + row_h * i as i32;
            let label = c.fit(&label_of(n), 15, (label_w - 24) as u32);
            c.text(
                &label,
                label_w - 14,
                y0 + row_h / 2,
                15,
                if n.low_evidence { MUTED } else { INK },
                Align::Right,
            )?;
            for (j, (p, _)) in platforms.iter().enumerate() {
                let x0 = label_w + cell_w * j as i32;
                let cell = n.by_platform.iter().find(|q| &q.platform == p);
                let (fill, text) = match cell {
                    Some(q) => match q.score {
                        Some(s) => (
                            ramp(s / best),
                            format!("{}{}", f2(s), if q.low_evidence { "*" } else { "" }),
                        ),
                        None => (RGBColor(233, 236, 239), "—".to_string()),
                    },
                    None => (WHITE, String::new()),
                };
                c.rect(x0 + 1, y0 + 1, x0 + cell_w - 1, y0 + row_h - 1, fill)?;
                c.text(&text, x0 + cell_w / 2, y0 + row_h / 2, 13, on(fill), Align::Centre)?;
                if cell.is_some_and(|q| Some(&q.platform) == n.start_on.as_ref()) && platforms.len() > 1 {
                    c.ring(x0 + 8, y0 + row_h / 2, 3, on(fill))?;
                }
            }
        }
        let mut foot = lang
            .pick("○ = the platform to start on.", "○ = 建议首发平台。")
            .to_string();
        let note = showing_note(lang, rows.len(), page.niches.len());
        if !note.is_empty() {
            foot = format!("{foot} {note}");
        }
        c.footnote(&foot, height)
    })?;
    let alt = rows
        .iter()
        .take(5)
        .map(|n| {
            format!(
                "{}: {}",
                crate::text::sanitise_line(&n.niche),
                crate::text::sanitise_line(&lang.platform(n.start_on.as_deref().unwrap_or_default()))
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(drawn("platforms", title, alt, height, png))
}
