//! The report's charts, drawn with plotters into RGB buffers and encoded as PNG in memory.
//!
//! Text is drawn with an embedded subset of Noto Sans CJK SC (assets/fonts, OFL), registered with
//! plotters' `ab_glyph` backend, so Chinese renders the same on every machine without system
//! fonts. Layout is in pixels, by hand: each chart caps how many niches it shows (the ranking's
//! best, labelled as such) and measures text before placing it, so labels neither overlap nor clip.
//! Colours: Okabe–Ito for categories and a viridis-like ramp for values, both readable by people
//! with colour-blindness.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::lang::Lang;
use super::page::{Niche, Page};
use crate::error::{Error, Result};

const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-GB2312.otf");
const FONT: &str = "niche-sans";

/// Layout width in CSS pixels; the PNG has [`SCALE`] times as many.
pub const WIDTH: u32 = 960;
/// Pixels per layout pixel in the PNG files.
pub const SCALE: u32 = 2;
/// Niches shown on an axis at most; the rest are in the tables.
pub const MAX_ROWS: usize = 20;

const INK: RGBColor = RGBColor(33, 37, 41);
const MUTED: RGBColor = RGBColor(108, 117, 125);
const GRID: RGBColor = RGBColor(222, 226, 230);
const FACTOR_COLOURS: [RGBColor; 4] = [
    RGBColor(0, 114, 178), // demand: blue
    RGBColor(213, 94, 0),  // business: vermillion
    RGBColor(0, 158, 115), // traffic: green
    RGBColor(33, 37, 41),  // score: ink
];
const SERIES: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
];

/// One chart: its file name, caption, alternative text and PNG bytes.
#[derive(Debug, Clone)]
pub struct Chart {
    pub name: &'static str,
    pub title: String,
    /// What the chart shows, in words, for screen readers and when images are off.
    pub alt: String,
    /// Layout size in CSS pixels; the PNG is [`SCALE`] times as large.
    pub width: u32,
    pub height: u32,
    pub png: Vec<u8>,
}

/// A chart that could not be drawn from these inputs, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub name: &'static str,
    pub title: String,
    pub reason: String,
}

pub struct Charts {
    pub drawn: Vec<Chart>,
    pub skipped: Vec<Skipped>,
}

/// Every chart the page shows, in page order.
pub fn draw(page: &Page, lang: Lang) -> Result<Charts> {
    register_font()?;
    let mut charts = Charts {
        drawn: Vec::new(),
        skipped: Vec::new(),
    };
    type Drawer = fn(&Page, Lang) -> Result<Outcome>;
    let drawers: [Drawer; 6] = [ranking, opportunity, concentration, trends, platforms, sensitivity];
    for drawer in drawers {
        match drawer(page, lang)? {
            Outcome::Drawn(c) => charts.drawn.push(c),
            Outcome::Skipped(s) => charts.skipped.push(s),
        }
    }
    Ok(charts)
}

enum Outcome {
    Drawn(Chart),
    Skipped(Skipped),
}

fn register_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok {
        Ok(())
    } else {
        Err(internal("the embedded font could not be read"))
    }
}

fn internal(message: impl std::fmt::Display) -> Error {
    Error::Internal {
        stage: "report (charts)",
        message: message.to_string(),
    }
}

/// A pixel canvas with the few primitives the charts use; every call propagates plotters' errors.
struct Canvas<'a> {
    area: DrawingArea<BitMapBackend<'a>, Shift>,
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Centre,
    Right,
}

impl Canvas<'_> {
    fn style(size: u32, colour: &RGBColor, align: Align, vpos: VPos) -> TextStyle<'_> {
        let h = match align {
            Align::Left => HPos::Left,
            Align::Centre => HPos::Center,
            Align::Right => HPos::Right,
        };
        TextStyle::from((FONT, f64::from(size * SCALE)).into_font())
            .color(colour)
            .pos(Pos::new(h, vpos))
    }

    fn at(x: i32, y: i32) -> (i32, i32) {
        (x * SCALE as i32, y * SCALE as i32)
    }

    /// Text with its vertical centre at `y`.
    fn text(&self, s: &str, x: i32, y: i32, size: u32, colour: RGBColor, align: Align) -> Result<()> {
        if s.is_empty() {
            return Ok(());
        }
        self.area
            .draw(&Text::new(
                s.to_string(),
                Self::at(x, y),
                Self::style(size, &colour, align, VPos::Center),
            ))
            .map_err(internal)
    }

    /// Text on a translucent white box, for labels that sit over marks.
    fn label(&self, s: &str, x: i32, y: i32, size: u32) -> Result<()> {
        let w = self.width(s, size) as i32;
        let h = size as i32 / 2 + 3;
        let (a, b) = (Self::at(x - 2, y - h), Self::at(x + w + 2, y + h));
        self.area
            .draw(&Rectangle::new([a, b], RGBAColor(255, 255, 255, 0.75).filled()))
            .map_err(internal)?;
        self.text(s, x, y, size, INK, Align::Left)
    }

    /// Width of the text in (unscaled) pixels.
    fn width(&self, s: &str, size: u32) -> u32 {
        if s.is_empty() {
            return 0;
        }
        self.area
            .estimate_text_size(s, &Self::style(size, &INK, Align::Left, VPos::Center))
            .map_or(size * s.chars().count() as u32, |(w, _)| w.div_ceil(SCALE))
    }

    /// `s`, shortened with "…" until it fits in `max` pixels.
    fn fit(&self, s: &str, size: u32, max: u32) -> String {
        if self.width(s, size) <= max {
            return s.to_string();
        }
        let chars: Vec<char> = s.chars().collect();
        let mut n = chars.len();
        while n > 1 {
            n -= 1;
            let t: String = chars[..n].iter().collect::<String>() + "…";
            if self.width(&t, size) <= max {
                return t;
            }
        }
        "…".to_string()
    }

    fn rect(&self, x0: i32, y0: i32, x1: i32, y1: i32, colour: RGBColor) -> Result<()> {
        self.area
            .draw(&Rectangle::new([Self::at(x0, y0), Self::at(x1, y1)], colour.filled()))
            .map_err(internal)
    }

    fn line(&self, points: Vec<(i32, i32)>, colour: RGBColor, width: u32) -> Result<()> {
        let points: Vec<(i32, i32)> = points.into_iter().map(|(x, y)| Self::at(x, y)).collect();
        self.area
            .draw(&PathElement::new(points, colour.stroke_width(width * SCALE)))
            .map_err(internal)
    }

    fn dot(&self, x: i32, y: i32, r: i32, colour: RGBColor) -> Result<()> {
        self.area
            .draw(&Circle::new(Self::at(x, y), r * SCALE as i32, colour.filled()))
            .map_err(internal)
    }

    fn ring(&self, x: i32, y: i32, r: i32, colour: RGBColor) -> Result<()> {
        self.area
            .draw(&Circle::new(
                Self::at(x, y),
                r * SCALE as i32,
                colour.stroke_width(SCALE),
            ))
            .map_err(internal)
    }

    fn title(&self, title: &str, subtitle: &str) -> Result<()> {
        self.text(title, 24, 22, 22, INK, Align::Left)?;
        self.text(subtitle, 24, 48, 14, MUTED, Align::Left)
    }
}

/// Draw on a white canvas of the given layout size and return the PNG, at [`SCALE`] times the
/// size (sharp on high-density screens; the page shows it at the layout size).
fn render(width: u32, height: u32, f: impl FnOnce(&Canvas) -> Result<()>) -> Result<Vec<u8>> {
    let (width, height) = (width * SCALE, height * SCALE);
    let mut buf = vec![255u8; width as usize * height as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut buf, (width, height)).into_drawing_area();
        let canvas = Canvas { area };
        f(&canvas)?;
        canvas.area.present().map_err(internal)?;
    }
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(internal)?;
        w.write_image_data(&buf).map_err(internal)?;
        w.finish().map_err(internal)?;
    }
    Ok(png)
}

/// Mix a colour with white: `t` = 0 is the colour, 1 is white.
fn tint(c: RGBColor, t: f64) -> RGBColor {
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * t).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// A viridis-like ramp for values in [0, 1] (dark purple -> teal -> yellow).
fn ramp(v: f64) -> RGBColor {
    const STOPS: [(f64, [f64; 3]); 5] = [
        (0.0, [68.0, 1.0, 84.0]),
        (0.25, [59.0, 82.0, 139.0]),
        (0.5, [33.0, 145.0, 140.0]),
        (0.75, [94.0, 201.0, 98.0]),
        (1.0, [253.0, 231.0, 37.0]),
    ];
    let v = if v.is_finite() { v.clamp(0.0, 1.0) } else { 0.0 };
    let i = STOPS.iter().position(|s| s.0 >= v).unwrap_or(4).max(1);
    let (a, b) = (STOPS[i - 1], STOPS[i]);
    let t = (v - a.0) / (b.0 - a.0);
    let c = |k: usize| (a.1[k] + (b.1[k] - a.1[k]) * t).round() as u8;
    RGBColor(c(0), c(1), c(2))
}

/// Black or white, whichever reads better on `c`.
fn on(c: RGBColor) -> RGBColor {
    let l = 0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2);
    if l > 140.0 {
        INK
    } else {
        WHITE
    }
}

fn shown(page: &Page) -> &[Niche] {
    &page.niches[..page.niches.len().min(MAX_ROWS)]
}

fn showing_note(lang: Lang, shown: usize, total: usize) -> String {
    if shown < total {
        match lang {
            Lang::En => format!("The best {shown} of {total} niches by rank; all are in the tables."),
            Lang::Zh => format!("按排名显示前 {shown} 个（共 {total} 个赛道），全部见表格。"),
        }
    } else {
        String::new()
    }
}

fn label_of(n: &Niche) -> String {
    let name = crate::text::sanitise_line(&n.niche);
    if n.low_evidence {
        format!("{}. {name} *", n.rank)
    } else {
        format!("{}. {name}", n.rank)
    }
}

fn f2(v: f64) -> String {
    format!("{v:.2}")
}

// ---------------------------------------------------------------- 1. ranking

fn ranking(page: &Page, lang: Lang) -> Result<Outcome> {
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
                "Each factor is a niche's standing among the niches here, 0–1; whiskers are 95% intervals.",
                "各因子为该赛道在本次赛道中的相对位置（0–1）；须线为 95% 区间。",
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
        c.text(foot.join(" ").trim(), 24, height as i32 - 18, 13, MUTED, Align::Left)
    })?;
    let alt = rows
        .iter()
        .take(5)
        .map(|n| format!("{} {}", label_of(n), n.score.map_or_else(|| "—".to_string(), f2)))
        .collect::<Vec<_>>()
        .join("; ");
    Ok(drawn("ranking", title, alt, height, png))
}

fn skip(name: &'static str, title: String, reason: &str) -> Outcome {
    Outcome::Skipped(Skipped {
        name,
        title,
        reason: reason.to_string(),
    })
}

fn drawn(name: &'static str, title: String, alt: String, height: u32, png: Vec<u8>) -> Outcome {
    Outcome::Drawn(Chart {
        name,
        title,
        alt,
        width: WIDTH,
        height,
        png,
    })
}

// ---------------------------------------------------------------- 2. opportunity map

fn opportunity(page: &Page, lang: Lang) -> Result<Outcome> {
    let title = lang.pick("Opportunity map", "机会地图").to_string();
    // Competition: accounts in the niche, else posts (crawled post lists name no accounts).
    let by_accounts = page.niches.iter().any(|n| n.accounts.is_some_and(|a| a > 0));
    let competition = |n: &Niche| -> Option<f64> {
        let v = if by_accounts { n.accounts } else { n.posts }?;
        (v > 0).then_some(v as f64)
    };
    let points: Vec<(&Niche, f64, f64)> = page
        .niches
        .iter()
        .filter_map(|n| Some((n, competition(n)?, n.demand?)))
        .collect();
    if points.len() < 2 {
        return Ok(skip(
            "opportunity",
            title,
            lang.pick(
                "fewer than two niches have both a demand score and a count of competitors",
                "同时有需求得分和竞争数量的赛道少于两个",
            ),
        ));
    }
    let height = 600u32;
    let (left, right, top, bottom) = (80i32, 150i32, 80i32, 70i32);
    // Both axes zoom to the data with a margin: the factors are percentile means and crowd the
    // middle. The shaded quarter is above the median demand and below the median competition.
    let logs: Vec<f64> = points.iter().map(|p| p.1.log10()).collect();
    let (lo, hi) = logs
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let pad = ((hi - lo) * 0.08).max(0.15);
    let (lo, hi) = (lo - pad, hi + pad);
    let (dlo, dhi) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.2), b.max(p.2)));
    let dpad = ((dhi - dlo) * 0.1).max(0.05);
    let (dlo, dhi) = ((dlo - dpad).max(0.0), (dhi + dpad).min(1.0));
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let comp_median = median(points.iter().map(|p| p.1).collect());
    let demand_median = median(points.iter().map(|p| p.2).collect());
    let plot_w = WIDTH as i32 - left - right;
    let plot_h = height as i32 - top - bottom;
    let x = |v: f64| left + ((v.log10() - lo) / (hi - lo) * f64::from(plot_w)).round() as i32;
    let y = |v: f64| top + plot_h - ((v - dlo) / (dhi - dlo) * f64::from(plot_h)).round() as i32;
    let x_label = if by_accounts {
        lang.pick("accounts competing (log scale) →", "竞争账号数（对数刻度）→")
    } else {
        lang.pick("posts in the niche (log scale) →", "赛道内容数（对数刻度）→")
    };
    let png = render(WIDTH, height, |c| {
        c.title(
            &title,
            lang.pick(
                "Up and to the left: more demand, fewer competitors. Bubble size: business; colour: traffic.",
                "越靠左上：需求越高、竞争越少。气泡大小：商业；颜色：流量。",
            ),
        )?;
        c.rect(left, top, x(comp_median), y(demand_median), RGBColor(230, 242, 252))?;
        for g in nice_ticks(dlo, dhi, 5) {
            c.line(vec![(left, y(g)), (left + plot_w, y(g))], GRID, 1)?;
            c.text(&format!("{g:.2}"), left - 8, y(g), 12, MUTED, Align::Right)?;
        }
        for v in log_ticks(lo, hi) {
            c.line(vec![(x(v), top), (x(v), top + plot_h)], GRID, 1)?;
            c.text(&lang.count(v), x(v), top + plot_h + 14, 12, MUTED, Align::Centre)?;
        }
        c.label(
            lang.pick(
                "above-median demand, below-median rivals",
                "需求高于中位数、对手少于中位数",
            ),
            left + 8,
            top + 14,
            13,
        )?;
        c.line(vec![(left, top + plot_h), (left + plot_w, top + plot_h)], MUTED, 1)?;
        c.line(vec![(left, top), (left, top + plot_h)], MUTED, 1)?;
        c.text(x_label, left + plot_w, top + plot_h + 38, 14, INK, Align::Right)?;
        c.text(
            lang.pick("demand ↑", "需求 ↑"),
            left - 8,
            top - 14,
            14,
            INK,
            Align::Right,
        )?;
        // Big bubbles first, so small ones stay visible on top.
        let mut order: Vec<&(&Niche, f64, f64)> = points.iter().collect();
        order.sort_by(|a, b| b.0.business.unwrap_or(0.0).total_cmp(&a.0.business.unwrap_or(0.0)));
        let radius = |n: &Niche| 4 + (n.business.unwrap_or(0.0).clamp(0.0, 1.0).sqrt() * 18.0).round() as i32;
        for (n, comp, demand) in &order {
            let colour = n.traffic.map_or(RGBColor(200, 200, 200), ramp);
            c.dot(x(*comp), y(*demand), radius(n), colour)?;
            c.ring(x(*comp), y(*demand), radius(n), WHITE)?;
        }
        // Labels for the best-ranked niches: the first place around the bubble that is free of
        // other labels and bubbles; else the one covering least bubble area; never over a label.
        type Boxed = (i32, i32, i32, i32);
        let overlap = |a: &Boxed, b: &Boxed| {
            let w = (a.2.min(b.2) - a.0.max(b.0)).max(0);
            let h = (a.3.min(b.3) - a.1.max(b.1)).max(0);
            w * h
        };
        let bubbles: Vec<(Boxed, &str)> = points
            .iter()
            .map(|(n, comp, demand)| {
                let (px, py, r) = (x(*comp), y(*demand), radius(n));
                ((px - r, py - r, px + r, py + r), n.niche.as_str())
            })
            .collect();
        let mut taken: Vec<Boxed> = Vec::new();
        let mut by_rank: Vec<&(&Niche, f64, f64)> = points.iter().collect();
        by_rank.sort_by_key(|p| p.0.rank);
        for (n, comp, demand) in by_rank.into_iter().take(10) {
            let (px, py, r) = (x(*comp), y(*demand), radius(n));
            let label = c.fit(&label_of(n), 13, 170);
            let w = c.width(&label, 13) as i32;
            let candidates = [
                (px + r + 4, py - 8),
                (px - r - 4 - w, py - 8),
                (px - w / 2, py - r - 20),
                (px - w / 2, py + r + 4),
                (px + r, py - r - 16),
                (px + r, py + r),
                (px - r - w, py - r - 16),
                (px - r - w, py + r),
            ];
            let best = candidates
                .iter()
                .map(|&(lx, ly)| (lx, ly, lx + w, ly + 16))
                .filter(|bx| bx.0 >= 4 && bx.2 <= left + plot_w + 30 && bx.1 >= top - 10 && bx.3 <= top + plot_h + 4)
                .filter(|bx| taken.iter().all(|t| overlap(bx, t) == 0))
                .enumerate()
                .min_by_key(|(i, bx)| {
                    let covered: i32 = bubbles
                        .iter()
                        .filter(|(_, name)| *name != n.niche)
                        .map(|(b, _)| overlap(bx, b))
                        .sum();
                    (covered, *i)
                })
                .map(|(_, bx)| bx);
            if let Some(bx) = best {
                c.label(&label, bx.0, bx.1 + 8, 13)?;
                taken.push(bx);
            }
        }
        // Legend: the traffic ramp.
        let lx = left + plot_w + 40;
        c.text(&lang.factor("traffic"), lx, top + 6, 13, INK, Align::Left)?;
        for i in 0..=100 {
            let v = f64::from(i) / 100.0;
            let yy = top + 24 + ((1.0 - v) * 160.0) as i32;
            c.rect(lx, yy, lx + 16, yy + 2, ramp(v))?;
        }
        c.text("1", lx + 22, top + 26, 12, MUTED, Align::Left)?;
        c.text("0", lx + 22, top + 184, 12, MUTED, Align::Left)?;
        c.text(&lang.factor("business"), lx, top + 220, 13, INK, Align::Left)?;
        for (i, b) in [0.1, 0.5, 1.0].iter().enumerate() {
            let r = 4 + (f64::sqrt(*b) * 18.0).round() as i32;
            let yy = top + 250 + i as i32 * 46;
            c.ring(lx + 22, yy, r, MUTED)?;
            c.text(&format!("{b}"), lx + 48, yy, 12, MUTED, Align::Left)?;
        }
        Ok(())
    })?;
    let alt = match lang {
        Lang::En => format!("{} niches by demand (up) and competitors (right).", points.len()),
        Lang::Zh => format!("{} 个赛道：纵轴需求，横轴竞争数量。", points.len()),
    };
    Ok(drawn("opportunity", title, alt, height, png))
}

/// About `n` round values (1, 2 or 5 × a power of ten apart) between `lo` and `hi`.
fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let raw = (hi - lo) / n.max(1) as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return vec![lo];
    }
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut v = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while v <= hi + step * 1e-9 && out.len() < 50 {
        out.push((v / step).round() * step);
        v += step;
    }
    out
}

/// Values 1, 2, 5 × powers of ten inside [10^lo, 10^hi] (exponents); only powers of ten when
/// the range spans more than two decades.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let multiples: &[f64] = if hi - lo > 2.0 { &[1.0] } else { &[1.0, 2.0, 5.0] };
    let mut out = Vec::new();
    let mut e = lo.floor() as i32;
    while f64::from(e) <= hi.ceil() && out.len() < 50 {
        for m in multiples {
            let v = m * 10f64.powi(e);
            let l = v.log10();
            if l >= lo && l <= hi {
                out.push(v);
            }
        }
        e += 1;
    }
    if out.len() < 3 {
        // A narrow range (10 to 14 accounts, say): round values on a plain scale read better.
        return nice_ticks(10f64.powf(lo), 10f64.powf(hi), 4)
            .into_iter()
            .filter(|v| *v > 0.0)
            .collect();
    }
    out
}

// ---------------------------------------------------------------- 3. head and long tail

fn concentration(page: &Page, lang: Lang) -> Result<Outcome> {
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
        c.text(
            showing_note(lang, rows.len(), page.niches.len()).trim(),
            24,
            height as i32 - 18,
            13,
            MUTED,
            Align::Left,
        )
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

// ---------------------------------------------------------------- 4. engagement trends

/// Days since 1970-01-01 of an ISO date (the trend series' week starts).
fn day_number(date: &str) -> Option<i64> {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    Some((d - epoch).num_days())
}

/// The trend chart shows at most the last two years.
const WINDOW_DAYS: i64 = 728;
/// Weeks further apart than this are not joined by a line.
const GAP_DAYS: i64 = 56;

/// A centred rolling median over `k` points, to show the direction through weekly noise.
fn rolling_median(values: &[f64], k: usize) -> Vec<f64> {
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

fn trends(page: &Page, lang: Lang) -> Result<Outcome> {
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
    let span = smoothed
        .iter()
        .flatten()
        .fold(1.0f64, |m, p| m.max(p.1.abs()))
        .min(4.0)
        .ceil();
    let x = |d: i64| left + ((d - d0) as f64 / (d1 - d0) as f64 * f64::from(plot_w)).round() as i32;
    let y = |l: f64| top + plot_h / 2 - (l.clamp(-span, span) / span * f64::from(plot_h) / 2.0).round() as i32;
    let png = render(WIDTH, height, |c| {
        c.title(
            &title,
            lang.pick(
                "Engagement relative to each account's typical post (×1 = typical), 5-week rolling median; up to the last two years.",
                "相对各账号常规内容的互动倍数（×1 为常规水平），5 周滚动中位数；最多显示最近两年。",
            ),
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
                "{}: {}",
                crate::text::sanitise_line(&n.niche),
                n.engagement_trend_monthly
                    .map_or_else(|| "—".to_string(), |t| format!("{:+.1}%/mo", t * 100.0))
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(drawn("trends", title, alt, height, png))
}

// ---------------------------------------------------------------- 5. niche × platform heatmap

fn platforms(page: &Page, lang: Lang) -> Result<Outcome> {
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
            let name = c.fit(&crate::text::sanitise_line(p), 14, (cell_w - 6) as u32);
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
        c.text(&foot, 24, height as i32 - 18, 13, MUTED, Align::Left)
    })?;
    let alt = rows
        .iter()
        .take(5)
        .map(|n| {
            format!(
                "{}: {}",
                crate::text::sanitise_line(&n.niche),
                crate::text::sanitise_line(n.start_on.as_deref().unwrap_or_default())
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(drawn("platforms", title, alt, height, png))
}

// ---------------------------------------------------------------- 6. sensitivity tornado

fn sensitivity(page: &Page, lang: Lang) -> Result<Outcome> {
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
        c.text(
            &f2(base - spread),
            x(base - spread),
            bottom + 12,
            12,
            MUTED,
            Align::Centre,
        )?;
        c.text(
            &f2(base + spread),
            x(base + spread),
            bottom + 12,
            12,
            MUTED,
            Align::Centre,
        )?;
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
        c.text(
            lang.pick(
                "A long bar means the pick's score leans on that weight; see the sensitivity table.",
                "条形越长，说明首选的得分越依赖该权重；详见敏感性表格。",
            ),
            24,
            height as i32 - 18,
            13,
            MUTED,
            Align::Left,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_ends_and_contrast() {
        assert_eq!(ramp(0.0), RGBColor(68, 1, 84));
        assert_eq!(ramp(1.0), RGBColor(253, 231, 37));
        assert_eq!(ramp(f64::NAN), RGBColor(68, 1, 84));
        assert_eq!(on(ramp(0.0)), WHITE);
        assert_eq!(on(ramp(1.0)), INK);
    }

    #[test]
    fn rolling_median_keeps_length_and_drops_spikes() {
        let v = [1.0, 1.0, 9.0, 1.0, 1.0];
        assert_eq!(rolling_median(&v, 5), vec![1.0, 1.0, 1.0, 1.0, 1.0]);
        assert_eq!(rolling_median(&[], 5), Vec::<f64>::new());
    }

    #[test]
    fn ticks_are_round_and_inside() {
        let close = |a: Vec<f64>, b: &[f64]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9);
        assert!(close(log_ticks(0.85, 1.75), &[10.0, 20.0, 50.0]));
        assert!(close(log_ticks(0.5, 4.2), &[10.0, 100.0, 1000.0, 10000.0]));
        assert!(close(log_ticks(0.85, 1.296), &[10.0, 15.0]));
        assert!(close(nice_ticks(0.33, 0.71, 5), &[0.4, 0.5, 0.6, 0.7]));
    }

    #[test]
    fn week_dates_read_back() {
        assert_eq!(day_number("1970-01-08"), Some(7));
        assert_eq!(day_number("nonsense"), None);
    }
}
