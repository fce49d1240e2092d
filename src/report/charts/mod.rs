//! The report's charts, drawn with plotters into RGB buffers and encoded as PNG in memory.
//!
//! Text is drawn with an embedded subset of Noto Sans CJK SC (assets/fonts, OFL), registered with
//! plotters' `ab_glyph` backend, so Chinese renders the same on every machine without system
//! fonts. Layout is in pixels, by hand: each chart caps how many niches it shows (the ranking's
//! best, labelled as such) and measures text before placing it, so labels neither overlap nor clip.
//! Colours: Okabe–Ito for categories and a viridis-like ramp for values, both readable by people
//! with colour-blindness.

use plotters::prelude::*;

use super::lang::Lang;
use super::page::{Niche, Page};
use crate::error::Result;

mod concentration;
mod frame;

/// The font the charts embed, also embedded in the page as a web font.
pub(in crate::report) use frame::FONT_BYTES;
mod opportunity;
mod platforms;
mod ranking;
mod sensitivity;
mod trends;

use concentration::concentration;
use frame::*;
use opportunity::opportunity;
use platforms::platforms;
use ranking::ranking;
use sensitivity::sensitivity;
use trends::trends;

/// Layout width in CSS pixels; the PNG has [`SCALE`] times as many.
pub const WIDTH: u32 = 960;
/// Pixels per layout pixel in the PNG files.
pub const SCALE: u32 = 2;
/// Niches shown on an axis at most; the rest are in the tables.
pub const MAX_ROWS: usize = 20;

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

pub(super) enum Outcome {
    Drawn(Chart),
    Skipped(Skipped),
}

pub(super) fn shown(page: &Page) -> &[Niche] {
    &page.niches[..page.niches.len().min(MAX_ROWS)]
}

pub(super) fn showing_note(lang: Lang, shown: usize, total: usize) -> String {
    if shown < total {
        match lang {
            Lang::En => format!("The best {shown} of {total} niches by rank; all are in the tables."),
            Lang::Zh => format!("按排名显示前 {shown} 个（共 {total} 个赛道），全部见表格。"),
        }
    } else {
        String::new()
    }
}

pub(super) fn label_of(n: &Niche) -> String {
    let name = crate::text::sanitise_line(&n.niche);
    if n.low_evidence {
        format!("{}. {name} *", n.rank)
    } else {
        format!("{}. {name}", n.rank)
    }
}

pub(super) fn f2(v: f64) -> String {
    format!("{v:.2}")
}

pub(super) fn skip(name: &'static str, title: String, reason: &str) -> Outcome {
    Outcome::Skipped(Skipped {
        name,
        title,
        reason: reason.to_string(),
    })
}

pub(super) fn drawn(name: &'static str, title: String, alt: String, height: u32, png: Vec<u8>) -> Outcome {
    Outcome::Drawn(Chart {
        name,
        title,
        alt,
        width: WIDTH,
        height,
        png,
    })
}

#[cfg(test)]
mod tests {
    use super::trends::{day_number, rolling_median};
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
        // Niches of 1 to 100 accounts, as the opportunity chart pads them: ticks where they lie
        // (a range of 1-800 once showed only 200-800).
        assert!(close(log_ticks(-0.16, 2.16), &[1.0, 10.0, 100.0]));
        assert!(close(nice_ticks(0.33, 0.71, 5), &[0.4, 0.5, 0.6, 0.7]));
    }

    #[test]
    fn week_dates_read_back() {
        assert_eq!(day_number("1970-01-08"), Some(7));
        assert_eq!(day_number("nonsense"), None);
    }
}
