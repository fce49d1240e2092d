//! What every chart shares: the embedded font, the colours, a canvas that measures and places
//! text and shapes in pixels, PNG encoding, and axis ticks.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::SCALE;
use crate::error::{Error, Result};

pub(in crate::report) const FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/NotoSansSC-GB2312.otf");
pub(super) const FONT: &str = "niche-sans";

pub(super) const INK: RGBColor = RGBColor(33, 37, 41);
pub(super) const MUTED: RGBColor = RGBColor(108, 117, 125);
pub(super) const GRID: RGBColor = RGBColor(222, 226, 230);
pub(super) const FACTOR_COLOURS: [RGBColor; 4] = [
    RGBColor(0, 114, 178), // demand: blue
    RGBColor(213, 94, 0),  // business: vermillion
    RGBColor(0, 158, 115), // traffic: green
    RGBColor(33, 37, 41),  // score: ink
];
pub(super) const SERIES: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
];

pub(super) fn register_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok {
        Ok(())
    } else {
        Err(internal("the embedded font could not be read"))
    }
}

pub(super) fn internal(message: impl std::fmt::Display) -> Error {
    Error::Internal {
        stage: "report (charts)",
        message: message.to_string(),
    }
}

/// A pixel canvas with the few primitives the charts use; every call propagates plotters' errors.
pub(super) struct Canvas<'a> {
    area: DrawingArea<BitMapBackend<'a>, Shift>,
}

#[derive(Clone, Copy)]
pub(super) enum Align {
    Left,
    Centre,
    Right,
}

impl Canvas<'_> {
    pub(super) fn style(size: u32, colour: &RGBColor, align: Align, vpos: VPos) -> TextStyle<'_> {
        let h = match align {
            Align::Left => HPos::Left,
            Align::Centre => HPos::Center,
            Align::Right => HPos::Right,
        };
        TextStyle::from((FONT, f64::from(size * SCALE)).into_font())
            .color(colour)
            .pos(Pos::new(h, vpos))
    }

    pub(super) fn at(x: i32, y: i32) -> (i32, i32) {
        (x * SCALE as i32, y * SCALE as i32)
    }

    /// Text with its vertical centre at `y`.
    pub(super) fn text(&self, s: &str, x: i32, y: i32, size: u32, colour: RGBColor, align: Align) -> Result<()> {
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
    pub(super) fn label(&self, s: &str, x: i32, y: i32, size: u32) -> Result<()> {
        let w = self.width(s, size) as i32;
        let h = size as i32 / 2 + 3;
        let (a, b) = (Self::at(x - 2, y - h), Self::at(x + w + 2, y + h));
        self.area
            .draw(&Rectangle::new([a, b], RGBAColor(255, 255, 255, 0.75).filled()))
            .map_err(internal)?;
        self.text(s, x, y, size, INK, Align::Left)
    }

    /// Width of the text in (unscaled) pixels.
    pub(super) fn width(&self, s: &str, size: u32) -> u32 {
        if s.is_empty() {
            return 0;
        }
        self.area
            .estimate_text_size(s, &Self::style(size, &INK, Align::Left, VPos::Center))
            .map_or(size * s.chars().count() as u32, |(w, _)| w.div_ceil(SCALE))
    }

    /// `s`, shortened with "…" until it fits in `max` pixels.
    pub(super) fn fit(&self, s: &str, size: u32, max: u32) -> String {
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

    pub(super) fn rect(&self, x0: i32, y0: i32, x1: i32, y1: i32, colour: RGBColor) -> Result<()> {
        self.area
            .draw(&Rectangle::new([Self::at(x0, y0), Self::at(x1, y1)], colour.filled()))
            .map_err(internal)
    }

    pub(super) fn line(&self, points: Vec<(i32, i32)>, colour: RGBColor, width: u32) -> Result<()> {
        let points: Vec<(i32, i32)> = points.into_iter().map(|(x, y)| Self::at(x, y)).collect();
        self.area
            .draw(&PathElement::new(points, colour.stroke_width(width * SCALE)))
            .map_err(internal)
    }

    pub(super) fn dot(&self, x: i32, y: i32, r: i32, colour: RGBColor) -> Result<()> {
        self.area
            .draw(&Circle::new(Self::at(x, y), r * SCALE as i32, colour.filled()))
            .map_err(internal)
    }

    pub(super) fn ring(&self, x: i32, y: i32, r: i32, colour: RGBColor) -> Result<()> {
        self.area
            .draw(&Circle::new(
                Self::at(x, y),
                r * SCALE as i32,
                colour.stroke_width(SCALE),
            ))
            .map_err(internal)
    }

    pub(super) fn title(&self, title: &str, subtitle: &str) -> Result<()> {
        self.text(title, 24, 22, 22, INK, Align::Left)?;
        self.text(subtitle, 24, 48, 14, MUTED, Align::Left)
    }

    /// The note at the foot of a chart `height` tall.
    pub(super) fn footnote(&self, note: &str, height: u32) -> Result<()> {
        self.text(note, 24, height as i32 - 18, 13, MUTED, Align::Left)
    }
}

/// Draw on a white canvas of the given layout size and return the PNG, at [`SCALE`] times the
/// size (sharp on high-density screens; the page shows it at the layout size).
pub(super) fn render(width: u32, height: u32, f: impl FnOnce(&Canvas) -> Result<()>) -> Result<Vec<u8>> {
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
pub(super) fn tint(c: RGBColor, t: f64) -> RGBColor {
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * t).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// A viridis-like ramp for values in [0, 1] (dark purple -> teal -> yellow).
pub(super) fn ramp(v: f64) -> RGBColor {
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
pub(super) fn on(c: RGBColor) -> RGBColor {
    let l = 0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2);
    if l > 140.0 {
        INK
    } else {
        WHITE
    }
}

/// About `n` round values (1, 2 or 5 × a power of ten apart) between `lo` and `hi`.
pub(super) fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
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
pub(super) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
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
