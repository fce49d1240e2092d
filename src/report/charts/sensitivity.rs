//! How the pick depends on the weights: its score with each weight at ×0.5 and ×1.5 (a tornado).

use super::*;

pub(super) fn sensitivity(page: &Page, lang: Lang) -> Result<Outcome> {
    let title = lang
        .pick("How the pick depends on the weights", "权重对首选的影响")
        .to_string();
    let Some(pick) = page.pick().or_else(|| page.niches.first()) else {
        return Ok(skip(
            "sensitivity",
            title,
            lang.pick("no niches in these inputs", "输入中没有赛道"),
        ));
    };
    let Some(base) = pick.score else {
        return Ok(skip(
            "sensitivity",
            title,
            lang.pick("the pick has no score", "首选没有得分"),
        ));
    };
    let score_of = |list: &[(String, Option<f64>, usize)]| {
        list.iter()
            .find(|e| e.0 == pick.niche)
            .map(|e| (e.1.unwrap_or(base), e.2))
    };
    // (sub-factor, (score, rank) at ×0.5, (score, rank) at ×1.5, niches whose rank changes)
    type Bar<'a> = (&'a str, (f64, usize), (f64, usize), usize);
    let mut bars: Vec<Bar> = page
        .sensitivity
        .iter()
        .filter_map(|s| {
            Some((
                s.sub_factor.as_str(),
                score_of(&s.low)?,
                score_of(&s.high)?,
                s.rank_changes.len(),
            ))
        })
        .collect();
    if bars.is_empty() {
        return Ok(skip(
            "sensitivity",
            title,
            lang.pick("no sensitivity runs in this report", "本报告没有敏感性分析"),
        ));
    }
    bars.sort_by(|a, b| {
        let swing = |x: &Bar| (x.1 .0 - base).abs().max((x.2 .0 - base).abs());
        swing(b).total_cmp(&swing(a)).then(a.0.cmp(b.0))
    });
    let (top, row_h, label_w, right) = (100i32, 30i32, 230i32, 190i32);
    let height = (top + row_h * bars.len() as i32 + 70) as u32;
    let plot_w = WIDTH as i32 - label_w - right;
    let spread = bars
        .iter()
        .fold(0.0f64, |m, b| m.max((b.1 .0 - base).abs()).max((b.2 .0 - base).abs()))
        .max(0.01);
    let x = |v: f64| label_w + plot_w / 2 + ((v - base) / spread * f64::from(plot_w) / 2.0 * 0.9).round() as i32;
    let subtitle = match lang {
        Lang::En => format!(
            "{}'s score ({}) with each weight at ×0.5 and ×1.5; right: niches whose rank changes.",
            crate::text::sanitise_line(&pick.niche),
            f2(base)
        ),
        Lang::Zh => format!(
            "{} 的得分（{}）在各权重 ×0.5 与 ×1.5 时的变化；右侧：名次变化的赛道数。",
            crate::text::sanitise_line(&pick.niche),
            f2(base)
        ),
    };
    let png = render(WIDTH, height, |c| {
        let subtitle = c.fit(&subtitle, 14, WIDTH - 40);
        c.title(&title, &subtitle)?;
        c.rect(
            label_w + plot_w / 2 - 60,
            68,
            label_w + plot_w / 2 - 46,
            82,
            FACTOR_COLOURS[0],
        )?;
        c.text("×0.5", label_w + plot_w / 2 - 40, 75, 13, INK, Align::Left)?;
        c.rect(
            label_w + plot_w / 2 + 10,
            68,
            label_w + plot_w / 2 + 24,
            82,
            FACTOR_COLOURS[1],
        )?;
        c.text("×1.5", label_w + plot_w / 2 + 30, 75, 13, INK, Align::Left)?;
        let bottom = top + row_h * bars.len() as i32;
        c.line(vec![(x(base), top - 6), (x(base), bottom)], MUTED, 1)?;
        c.text(&f2(base), x(base), bottom + 12, 12, MUTED, Align::Centre)?;
        for end in [base - spread, base + spread] {
            c.text(&f2(end), x(end), bottom + 12, 12, MUTED, Align::Centre)?;
        }
        c.text(
            lang.pick("ranks changed", "名次变化"),
            WIDTH as i32 - 20,
            top - 14,
            13,
            MUTED,
            Align::Right,
        )?;
        for (i, (name, low, high, changes)) in bars.iter().enumerate() {
            let yc = top + row_h * i as i32 + row_h / 2;
            let label = c.fit(&lang.sub_factor(name), 15, (label_w - 24) as u32);
            c.text(&label, label_w - 14, yc, 15, INK, Align::Right)?;
            for (end, colour, dy) in [(low, FACTOR_COLOURS[0], -1), (high, FACTOR_COLOURS[1], 1)] {
                let (a, b) = (x(base).min(x(end.0)), x(base).max(x(end.0)));
                let (y0, y1) = if dy < 0 { (yc - 10, yc) } else { (yc, yc + 10) };
                c.rect(a, y0, b.max(a + 1), y1, colour)?;
            }
            let ranks = match (low.1, high.1) {
                (l, h) if l == pick.rank && h == pick.rank => String::new(),
                (l, h) => match lang {
                    Lang::En => format!(" (pick → #{l} / #{h})"),
                    Lang::Zh => format!("（首选 → 第{l}/第{h}）"),
                },
            };
            c.text(
                &format!("{changes}{ranks}"),
                WIDTH as i32 - 20,
                yc,
                13,
                INK,
                Align::Right,
            )?;
        }
        c.footnote(
            lang.pick(
                "A long bar means the pick's score leans on that weight; see the sensitivity table.",
                "条形越长，说明首选的得分越依赖该权重；详见敏感性表格。",
            ),
            height,
        )
    })?;
    let alt = bars
        .iter()
        .take(3)
        .map(|b| format!("{}: {} – {}", lang.sub_factor(b.0), f2(b.1 .0), f2(b.2 .0)))
        .collect::<Vec<_>>()
        .join("; ");
    Ok(drawn("sensitivity", title, alt, height, png))
}
