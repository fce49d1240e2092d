//! Head and long tail: the share of each niche's accounts in each follower tier, and the top tenth's share of followers.

use super::*;

pub(super) fn concentration(page: &Page, lang: Lang) -> Result<Outcome> {
    let title = lang
        .pick("Head and long tail: accounts per tier", "头部与长尾：各层级账号占比")
        .to_string();
    let rows: Vec<&Niche> = page
        .niches
        .iter()
        .filter(|n| n.accounts_with_followers > 0)
        .take(MAX_ROWS)
        .collect();
    if rows.is_empty() {
        return Ok(skip(
            "concentration",
            title,
            lang.pick("no follower counts in these inputs", "输入中没有粉丝数"),
        ));
    }
    let (top, row_h, label_w, right) = (100i32, 28i32, 230i32, 150i32);
    let height = (top + row_h * rows.len() as i32 + 56) as u32;
    let bar_w = WIDTH as i32 - label_w - right;
    let colours = [
        RGBColor(204, 229, 255),
        RGBColor(120, 180, 230),
        RGBColor(0, 114, 178),
        RGBColor(0, 60, 110),
    ];
    let png = render(WIDTH, height, |c| {
        c.title(
            &title,
            lang.pick(
                "Share of each niche's accounts in each follower tier; right: the top tenth's share of followers.",
                "各赛道账号按粉丝层级的占比；右侧：前 10% 账号占全部粉丝的比例。",
            ),
        )?;
        let mut lx = label_w;
        for (i, name) in lang.tiers().iter().enumerate() {
            c.rect(lx, 66, lx + 14, 80, colours[i])?;
            c.text(name, lx + 20, 73, 13, INK, Align::Left)?;
            lx += 28 + c.width(name, 13) as i32;
        }
        c.text(
            lang.pick("top 10% share", "前10%粉丝占比"),
            WIDTH as i32 - 20,
            top - 14,
            13,
            MUTED,
            Align::Right,
        )?;
        for (i, n) in rows.iter().enumerate() {
            let yc = top + row_h * i as i32 + row_h / 2;
            let total: u64 = n.tiers.iter().sum();
            let label = c.fit(&label_of(n), 15, (label_w - 24) as u32);
            c.text(
                &label,
                label_w - 14,
                yc,
                15,
                if n.low_evidence { MUTED } else { INK },
                Align::Right,
            )?;
            if total == 0 {
                c.text("—", label_w + 4, yc, 14, MUTED, Align::Left)?;
                continue;
            }
            let mut x0 = label_w;
            for (t, &k) in n.tiers.iter().enumerate() {
                let share = k as f64 / total as f64;
                let x1 = x0 + (share * f64::from(bar_w)).round() as i32;
                if x1 > x0 {
                    c.rect(x0, yc - 10, x1, yc + 10, colours[t])?;
                    let txt = format!("{:.0}%", share * 100.0);
                    if x1 - x0 > c.width(&txt, 12) as i32 + 6 {
                        c.text(&txt, (x0 + x1) / 2, yc, 12, on(colours[t]), Align::Centre)?;
                    }
                }
                x0 = x1;
            }
            let top10 = n
                .top10_follower_share
                .map_or_else(|| "—".to_string(), |s| format!("{:.0}%", s * 100.0));
            c.text(&top10, WIDTH as i32 - 20, yc, 14, INK, Align::Right)?;
        }
        c.footnote(showing_note(lang, rows.len(), page.niches.len()).trim(), height)
    })?;
    let alt = rows
        .iter()
        .take(5)
        .map(|n| {
            let total: u64 = n.tiers.iter().sum::<u64>().max(1);
            format!(
                "{}: {:.0}% {}",
                crate::text::sanitise_line(&n.niche),
                n.tiers[3] as f64 * 100.0 / total as f64,
                lang.tiers()[3]
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(drawn("concentration", title, alt, height, png))
}
