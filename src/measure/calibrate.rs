//! Scales that are not exact, calibrated from the crawl (method 2.1, METHOD.md §3, calibration).
//!
//! Nothing is published by follower tier for most Chinese platforms: their scales are another
//! platform's, and an uncertain stand-in can be off by a factor of several. Where the inputs hold
//! a platform's accounts in two niches or more, the platform's own level is estimated from them
//! and combined with the reference's by their precisions (an empirical-Bayes, normal-normal
//! model on the log scale):
//!
//! - each account's value is read against the reference's scale for its size: its residual
//!   y = ln(value) − ln(the scale's median for its tier), so size goes through the tier curve;
//! - each niche's level is the median of its accounts' residuals; the platform's crawl level is
//!   the mean of its niches' levels (balanced: one big niche does not set it), with variance
//!   s² ÷ J, s² the niches' variance shrunk towards [`TAU0`]² by [`TAU0_WEIGHT`] pseudo-niches;
//! - the reference's level is the prior, N(0, u²), u the scale's uncertainty (its own and its
//!   proxy's, [`crate::reference::Reached::uncertainty`]); the calibrated shift is the posterior
//!   mean w × crawl level, w = u² ÷ (u² + s² ÷ J), and its SD √(w × s² ÷ J) is what every
//!   bootstrap resample draws for the platform and measure, shared by its niches;
//! - the spread (sigma) is scaled by the crawl's own, in units of the reference's (its niches'
//!   spread and their accounts'), weighted by degrees of freedom against [`SIGMA_PRIOR_DF`].
//!
//! An exact scale (uncertainty 0) is left as it is, and so is everything where the reference says
//! `calibrate = false` (a reference of your own): there a niche's numbers depend on its own rows
//! and the reference alone. Where a scale is calibrated, a niche depends on the other niches only
//! through its platform's scale, and the output says so.

use std::collections::BTreeMap;

use serde::Serialize;

use super::placed;
use super::stats;
use super::units::Unit;
use crate::reference::{Kind, Reference, Scale};

/// The measures a unit is placed on, each a candidate for calibration.
pub const MEASURES: [&str; 5] = [
    "followers",
    "engagement_rate",
    "engagement_rate_views",
    "views_per_follower",
    "views_per_post",
];

/// A niche counts towards a platform's level with at least this many accounts on it.
pub const MIN_NICHE_UNITS: usize = 3;
/// Niches needed before a platform is calibrated: with one, its level and the platform's cannot
/// be told apart.
pub const MIN_NICHES: usize = 2;
/// The spread of niche levels assumed before the crawl shows its own (SD of ln): niches of one
/// platform typically differ by a factor of e^0.5 = 1.65 in engagement or reach.
pub const TAU0: f64 = 0.5;
/// How many niches' worth of weight [`TAU0`] has against the crawl's own spread of niche levels.
pub const TAU0_WEIGHT: f64 = 2.0;
/// How far a stand-in's size curve may be off (SD of the slope of ln value in ln followers):
/// published tier tables fall from 0.2 (TikTok) to 0.7 (Instagram, nano to micro) per e-fold.
pub const SLOPE_PRIOR_SD: f64 = 0.3;
/// Degrees of freedom of a scale's own spread against the crawl's: few for another platform's
/// scale, more for the platform's own.
pub const SIGMA_PRIOR_DF: [f64; 2] = [12.0, 4.0];
/// Where an engagement scale counts other interactions than the inputs do, its level is unsure by
/// this much more (SD of ln; 1.35x): no conversion between the two is published.
pub const DEFINITION_UNCERTAINTY: f64 = 0.3;
/// How far a niche's level on one platform may differ from its level on another beyond
/// sampling (SD of ln; ×1.35): assumed, as a crawl holds too few niches on two platforms to say.
pub const OMEGA: f64 = 0.3;
/// The least spread of niches' own levels (SD of ln) the joint fit assumes, so niches that look
/// alike in one crawl still carry some of their own.
pub const TAU_FLOOR: f64 = 0.1;
/// The measure of a normal scale the crawl calibrates: monthly follower growth, the only one read
/// per account (the trends are a niche's own series).
pub const GROWTH: &str = "follower_growth_monthly";
/// An additive measure's residuals are read in units of this size, so the constants above (SDs
/// of ln for the other measures) hold for it too: niches of one platform typically differ by
/// [`TAU0`] × 0.02 = 1 point of monthly growth (a third of the reference's spread of accounts,
/// 3 points), a niche on two platforms by [`OMEGA`] × 0.02 = 0.6 of a point beyond sampling.
pub const GROWTH_UNIT: f64 = 0.02;
/// The confidence mark of a calibrated scale.
pub const CALIBRATED: &str = "C";

/// A placed value: (niche, value, followers for the tier).
type Placed<'a> = (&'a str, f64, Option<f64>);
/// An account's residual against its scale: (residual, the scale's spread, ln followers where the
/// scale depends on size).
type Residual = (f64, f64, Option<f64>);
/// Per niche, its accounts' residuals.
type ByNiche<'a> = BTreeMap<&'a str, Vec<Residual>>;

/// How one platform's scale for one measure was set: by the reference, the crawl or both.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Calibration {
    pub platform: String,
    pub measure: String,
    /// "reference", "crawl" or "reference and crawl": where the scale's level came from.
    pub source: String,
    /// The platform whose scale is the prior (the platform itself, or the proxy it borrows).
    pub reference_scale_of: String,
    /// Niches (with at least [`MIN_NICHE_UNITS`] accounts on the platform) and accounts the
    /// crawl's level was read from.
    pub niches: usize,
    pub accounts: usize,
    /// The crawl's level against the reference's scale (mean over niches of their accounts'
    /// median ln residual) and its standard error; `None` where the crawl was not used.
    pub crawl_shift: Option<f64>,
    pub crawl_sd: Option<f64>,
    /// How many of those niches are also on another platform calibrated for the measure: they
    /// say how the platforms differ (METHOD.md §3, calibration).
    pub shared_niches: usize,
    /// The prior's uncertainty (SD of ln) of the piece with the most weight on the crawl.
    pub prior_sd: f64,
    /// The weight on the crawl (0: the reference alone, 1: the crawl alone), of that piece.
    pub weight_on_crawl: f64,
    /// The shift applied (ln) and the factor it moves the scale by, e^shift.
    pub shift: f64,
    pub moved_by: f64,
    /// A scale of the value itself (monthly growth), not of its logarithm: `shift`, `crawl_shift`,
    /// `crawl_sd`, `prior_sd` and `uncertainty` are in the measure's own units and `moved_by` is 1.
    pub additive: bool,
    /// The scale's spread multiplied by this (1: unchanged).
    pub spread_factor: f64,
    /// For a measure that depends on size: the slope of ln(value) in ln(followers) added to the
    /// reference's size curve (within niches, so a niche of big accounts does not set it), and
    /// the followers it pivots on.
    pub size_slope: Option<f64>,
    pub size_pivot: Option<f64>,
    /// What stays unsure after calibration (SD of ln): each resample draws a shift of this size
    /// for every niche on the platform at once.
    pub uncertainty: f64,
    /// Why, in a sentence.
    pub note: String,
}

/// The reference a run uses: `base` with every uncertain scale of a platform in `units`
/// calibrated from them, and how each was set. `components` are the interactions the post
/// inputs count as engagement (none: no post inputs).
pub fn calibrate(units: &[Unit], base: &Reference, components: &[&str]) -> (Reference, Vec<Calibration>) {
    let mut out = base.clone();
    let mut records = Vec::new();
    // (platform, measure) -> the placed values: (niche, value, followers for the tier).
    let mut values: BTreeMap<(&str, &str), Vec<Placed<'_>>> = BTreeMap::new();
    for u in units {
        let on = placed::inputs(u);
        for (measure, x, f) in on.all() {
            if x > 0.0 && x.is_finite() {
                values
                    .entry((u.platform.as_str(), measure))
                    .or_default()
                    .push((u.niche.as_str(), x, f));
            }
        }
        // Growth is no account's placement (the niche's median is placed), but its platform's
        // level is calibrated as the others are; it may be 0 or below.
        if let Some(g) = u.follower_growth_monthly.filter(|g| g.is_finite() && u.is_account()) {
            values
                .entry((u.platform.as_str(), GROWTH))
                .or_default()
                .push((u.niche.as_str(), g, None));
        }
    }
    let mut calibrated: Vec<Scale> = Vec::new();
    let mut pending: Vec<Pending<'_>> = Vec::new();
    for ((platform, measure), list) in &values {
        let Some(reached) = base.reached(measure, platform) else {
            continue;
        };
        // An engagement scale that counts other interactions than the inputs is unsure by more.
        let differs = |s: &Scale| {
            !components.is_empty() && !s.components.is_empty() && measure.starts_with("engagement_rate") && {
                let mut a: Vec<&str> = s.components.iter().map(String::as_str).collect();
                let mut b: Vec<&str> = components.to_vec();
                a.sort_unstable();
                b.sort_unstable();
                a != b
            }
        };
        let prior = |s: &Scale| {
            let u = reached.uncertainty(s) / unit(s);
            if differs(s) {
                u.hypot(DEFINITION_UNCERTAINTY)
            } else {
                u
            }
        };
        let mut record = Calibration {
            platform: platform.to_string(),
            measure: measure.to_string(),
            source: "reference".into(),
            reference_scale_of: reached.from.clone(),
            additive: reached.pieces.iter().all(|s| s.kind == Kind::Normal),
            niches: 0,
            accounts: list.len(),
            crawl_shift: None,
            crawl_sd: None,
            shared_niches: 0,
            prior_sd: reached.pieces.iter().map(|s| prior(s)).fold(0.0, f64::max),
            weight_on_crawl: 0.0,
            shift: 0.0,
            moved_by: 1.0,
            spread_factor: 1.0,
            size_slope: None,
            size_pivot: None,
            uncertainty: 0.0,
            note: String::new(),
        };
        // A follower scale (knots) moves as a whole or not at all: only where the piece that
        // holds its middle is unsure (a doubtful tail beside an exact body widens intervals but
        // does not move the body).
        let knots_centre_exact = reached.pieces.iter().any(|s| s.kind == Kind::Knots)
            && reached
                .knots_quantile(0.5)
                .and_then(|m| reached.piece(m, None))
                .is_some_and(|s| prior(s) <= 0.0);
        if record.prior_sd <= 0.0 || knots_centre_exact {
            record.note = "the reference's own scale, taken as exact".into();
            records.push(record);
            continue;
        }
        // Residuals against the scale for each account's size, and standardised by the piece's
        // spread (for the spread's calibration).
        let centre = |s: &Scale, f: Option<f64>| match s.kind {
            Kind::Knots => reached.knots_quantile(0.5).filter(|c| *c > 0.0),
            Kind::Lognormal => Some(crate::reference::median_for(s, f)).filter(|c| *c > 0.0),
            Kind::Normal => Some(crate::reference::median_for(s, f)),
        };
        // (niche) -> (residual, its spread, ln followers where the scale depends on size)
        let mut raw: ByNiche<'_> = BTreeMap::new();
        for &(niche, x, f) in list {
            let Some(piece) = reached.piece(x, f) else { continue };
            // Accounts on an exact piece (a tier whose scale is published) say how unusual the
            // crawl is, not how far the unsure pieces are off: they are left out.
            if prior(piece) <= 0.0 {
                continue;
            }
            let Some(c) = centre(piece, f) else {
                continue;
            };
            let y = match piece.kind {
                Kind::Normal => (x - c) / unit(piece),
                Kind::Lognormal | Kind::Knots => (x / c).ln(),
            };
            raw.entry(niche).or_default().push((
                y,
                reached.spread(piece) / unit(piece),
                f.filter(|f| *f > 0.0).map(f64::ln),
            ));
        }
        // The size curve: where the measure depends on size and the scale is not exact, the
        // crawl's slope within niches, shrunk towards the reference's curve.
        let size = size_slope(&raw).filter(|_| base.calibrate);
        let mut by_niche: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
        for (niche, values) in &raw {
            for &(y, spread, lnf) in values {
                let y = match (size, lnf) {
                    (Some((b, pivot)), Some(lnf)) => y - b * (lnf - pivot.ln()),
                    _ => y,
                };
                by_niche.entry(niche).or_default().push((y, y / spread));
            }
        }
        let niches: Vec<(&str, Level)> = by_niche
            .iter()
            .filter(|(_, v)| v.len() >= MIN_NICHE_UNITS)
            .filter_map(|(n, v)| Some((*n, Level::of(v)?)))
            .collect();
        record.niches = niches.len();
        record.accounts = niches.iter().map(|(_, l)| l.n).sum();
        if !base.calibrate || niches.len() < MIN_NICHES {
            record.uncertainty = record.prior_sd;
            record.note = if !base.calibrate {
                "the reference as given (it says calibrate = false); its uncertainty widens the intervals".into()
            } else {
                format!(
                    "the reference alone: calibrating needs {MIN_NICHES} niches with {MIN_NICHE_UNITS} accounts on the platform, the crawl has {}; its uncertainty widens the intervals",
                    niches.len()
                )
            };
            records.push(record);
            continue;
        }
        let priors = reached.pieces.iter().map(|s| prior(s)).collect();
        let differs = reached.pieces.iter().map(|s| differs(s)).collect();
        let crawl = Crawl::of(&niches.iter().map(|(_, l)| l).collect::<Vec<_>>());
        pending.push(Pending {
            record,
            reached,
            priors,
            differs,
            niches,
            crawl,
            size,
        });
    }
    // The platforms' crawl levels, measure by measure, fitted together: a niche on two platforms
    // says how the two differ.
    let mut fitted: Vec<(f64, f64, usize)> = vec![(0.0, 0.0, 0); pending.len()];
    let measures: std::collections::BTreeSet<String> = pending.iter().map(|p| p.record.measure.clone()).collect();
    for m in measures {
        let at: Vec<usize> = (0..pending.len()).filter(|&i| pending[i].record.measure == m).collect();
        let levels: Vec<&[(&str, Level)]> = at.iter().map(|&i| pending[i].niches.as_slice()).collect();
        let between: Vec<f64> = at.iter().map(|&i| pending[i].crawl.between).collect();
        let priors: Vec<f64> = at.iter().map(|&i| pending[i].record.prior_sd).collect();
        for (k, fit) in joint_levels(&levels, &between, &priors).into_iter().enumerate() {
            fitted[at[k]] = fit;
        }
    }
    for (p, (crawl_shift, crawl_variance, shared)) in pending.into_iter().zip(fitted) {
        let Pending {
            mut record,
            reached,
            priors,
            differs,
            niches,
            crawl,
            size,
        } = p;
        let platform = record.platform.clone();
        record.crawl_shift = Some(crawl_shift);
        record.crawl_sd = Some(crawl_variance.sqrt());
        record.shared_niches = shared;
        // Each piece: its posterior shift, spread and uncertainty.
        let mut best: Option<(f64, f64, f64)> = None;
        let df0 = SIGMA_PRIOR_DF[usize::from(reached.stand_in)];
        let spread_factor = if reached.pieces.iter().any(|s| s.kind != Kind::Knots) {
            ((df0 + crawl.df * crawl.spread2) / (df0 + crawl.df)).sqrt()
        } else {
            1.0
        };
        for ((piece, &u), &differs) in reached.pieces.iter().zip(&priors).zip(&differs) {
            if u <= 0.0 {
                // Exact: kept, but the platform's own copy holds it (the others are its own now).
                let mut own = (*piece).clone();
                own.platform = platform.clone();
                calibrated.push(own);
                continue;
            }
            let w = u * u / (u * u + crawl_variance);
            let shift = w * crawl_shift;
            let sd = (w * crawl_variance).sqrt();
            if best.is_none_or(|b| w > b.0) {
                best = Some((w, shift, sd));
            }
            calibrated.push(shifted(
                piece,
                &platform,
                shift * unit(piece),
                spread_factor,
                size,
                sd * unit(piece),
                &format!(
                    "calibrated from the crawl ({} niches, {} accounts on {platform}) with {}'s scale as the prior: {}",
                    niches.len(),
                    record.accounts,
                    reached.from,
                    piece.source
                ),
                &format!(
                    "prior: the scale below, uncertainty {:.3}; the crawl's level {:+.3} ± {:.3} ({}); weight on the crawl {w:.2}; spread × {spread_factor:.2}{}",
                    u * unit(piece),
                    crawl_shift * unit(piece),
                    crawl_variance.sqrt() * unit(piece),
                    if piece.kind == Kind::Normal { "of the value" } else { "ln" },
                    piece.basis.as_deref().map(|b| format!("; the prior's basis: {b}")).unwrap_or_default()
                ),
                differs.then_some(components),
            ));
        }
        let (w, shift, sd) = best.unwrap_or((0.0, 0.0, record.prior_sd));
        record.weight_on_crawl = w;
        record.shift = shift;
        record.moved_by = shift.exp();
        record.spread_factor = spread_factor;
        record.size_slope = size.map(|s| s.0);
        record.size_pivot = size.map(|s| s.1);
        record.uncertainty = sd;
        record.source = if w < 0.05 {
            "reference"
        } else if w > 0.95 {
            "crawl"
        } else {
            "reference and crawl"
        }
        .into();
        record.note = format!(
            "{} scale moved {} towards the crawl's {} niches (weight {:.2}{}); a niche on {platform} now depends on the other niches there through this scale",
            if reached.from == "*" {
                "every platform's".to_string()
            } else {
                format!("{}'s", reached.from)
            },
            moved_label(record.additive, shift * unit(reached.pieces[0]), POINTS_A_MONTH),
            niches.len(),
            w,
            if shared > 0 {
                format!("; {shared} of them also on another calibrated platform, which sets how the two differ")
            } else {
                String::new()
            }
        );
        // The platform's own scales for the measure give way to the calibrated ones.
        out.scales
            .retain(|s| !(s.platform == platform && s.measure == record.measure));
        records.push(record);
    }
    out.scales.extend(calibrated);
    // The crawl's typical sponsored share, for niches whose exports carry no flag.
    if base.calibrate {
        out.sponsored_share = placed::crawl_share(units);
    }
    // An additive scale's numbers are of the value itself.
    for r in records.iter_mut().filter(|r| r.additive) {
        r.prior_sd *= GROWTH_UNIT;
        r.crawl_shift = r.crawl_shift.map(|x| x * GROWTH_UNIT);
        r.crawl_sd = r.crawl_sd.map(|x| x * GROWTH_UNIT);
        r.shift *= GROWTH_UNIT;
        r.uncertainty *= GROWTH_UNIT;
        r.moved_by = 1.0;
    }
    records.sort_by(|a, b| (&a.platform, &a.measure).cmp(&(&b.platform, &b.measure)));
    (out, records)
}

/// How the notes and the command line write points of monthly growth.
pub const POINTS_A_MONTH: &str = "pt/month";

/// How far a scale moved, as the reports say it: ×factor for a scale of ln(value), ± points of
/// monthly growth, written `unit`, for growth (`shift` in the scale's own units: ln, or the value).
pub fn moved_label(additive: bool, shift: f64, unit: &str) -> String {
    if additive {
        format!("{:+.1} {unit}", shift * 100.0)
    } else {
        format!("×{:.2}", shift.exp())
    }
}

/// How unsure a scale stays, as the reports say it: ×÷factor, or ± points of monthly growth.
pub fn uncertainty_label(additive: bool, sd: f64, unit: &str) -> String {
    if sd <= 0.0 {
        "—".to_string()
    } else if additive {
        format!("±{:.1} {unit}", sd * 100.0)
    } else {
        format!("×÷{:.2}", sd.exp())
    }
}

/// The units a scale's residuals are read in: ln for the log scales and knots, [`GROWTH_UNIT`]
/// for a normal one (its shifts are of the value itself).
fn unit(s: &Scale) -> f64 {
    if s.kind == Kind::Normal {
        GROWTH_UNIT
    } else {
        1.0
    }
}

/// A platform and measure the crawl can calibrate, between the two passes.
struct Pending<'a> {
    record: Calibration,
    reached: crate::reference::Reached<'a>,
    /// Per piece of the reached scale: its prior uncertainty, and whether it counts other
    /// interactions than the inputs.
    priors: Vec<f64>,
    differs: Vec<bool>,
    niches: Vec<(&'a str, Level)>,
    /// Its niches' spread, read once for the joint fit and the spread's calibration.
    crawl: Crawl,
    size: Option<(f64, f64)>,
}

/// A copy of `piece` as `platform`'s own, its level moved by e^shift and its spread scaled.
#[allow(clippy::too_many_arguments)]
fn shifted(
    piece: &Scale,
    platform: &str,
    shift: f64,
    spread_factor: f64,
    size: Option<(f64, f64)>,
    sd: f64,
    source: &str,
    basis: &str,
    components: Option<&[&str]>,
) -> Scale {
    let mut s = piece.clone();
    s.platform = platform.to_string();
    let factor = shift.exp();
    match s.kind {
        Kind::Knots => {
            for k in &mut s.knots {
                k[0] *= factor;
            }
        }
        Kind::Lognormal => {
            s.median = s.median.map(|m| m * factor);
            s.sigma = s.sigma.map(|x| x * spread_factor);
            if let Some((slope, pivot)) = size {
                s.slope = Some(s.slope.unwrap_or(0.0) + slope);
                s.pivot = Some(pivot);
            }
        }
        // (Its shift and `sd` are of the value itself.)
        Kind::Normal => {
            s.median = s.median.map(|m| m + shift);
            s.sigma = s.sigma.map(|x| x * spread_factor);
        }
    }
    s.provisional = true;
    s.uncertainty = Some(sd);
    s.confidence = CALIBRATED.to_string();
    s.source = source.to_string();
    s.basis = Some(basis.to_string());
    s.from_this_crawl = true;
    if let Some(c) = components {
        s.components = c.iter().map(|c| c.to_string()).collect();
    }
    s
}

/// The slope of the residuals in ln(followers) within niches (each niche's accounts centred on
/// their own means, so niches of big accounts do not set it), shrunk towards 0 (the reference's
/// own curve) by its precision against [`SLOPE_PRIOR_SD`]; with the followers it pivots on (the
/// mean over niches of their mean ln followers). `None` where the measure does not depend on size
/// or no niche has three accounts of known size.
fn size_slope(raw: &ByNiche<'_>) -> Option<(f64, f64)> {
    /// A niche's fit: its mean ln followers, mean residual, and its (ln followers, residual).
    struct Fit {
        mx: f64,
        my: f64,
        pts: Vec<(f64, f64)>,
    }
    let (mut sxy, mut sxx, mut centres) = (0.0, 0.0, Vec::new());
    let mut fits: Vec<Fit> = Vec::new();
    for values in raw.values() {
        let pts: Vec<(f64, f64)> = values.iter().filter_map(|&(y, _, x)| Some((x?, y))).collect();
        if pts.len() < MIN_NICHE_UNITS {
            continue;
        }
        let n = pts.len() as f64;
        let (mx, my) = (
            pts.iter().map(|p| p.0).sum::<f64>() / n,
            pts.iter().map(|p| p.1).sum::<f64>() / n,
        );
        sxy += pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>();
        sxx += pts.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>();
        centres.push(mx);
        fits.push(Fit { mx, my, pts });
    }
    if fits.is_empty() || sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let (mut rss, mut n) = (0.0, 0usize);
    for f in &fits {
        rss += f
            .pts
            .iter()
            .map(|p| (p.1 - f.my - slope * (p.0 - f.mx)).powi(2))
            .sum::<f64>();
        n += f.pts.len();
    }
    let dof = n.saturating_sub(fits.len() + 1).max(1) as f64;
    let variance = rss / dof / sxx;
    let w = SLOPE_PRIOR_SD.powi(2) / (SLOPE_PRIOR_SD.powi(2) + variance);
    let pivot = (centres.iter().sum::<f64>() / centres.len() as f64).exp();
    Some((w * slope, pivot))
}

/// One niche's level on a platform: the median of its accounts' residuals, their spread, and
/// the same standardised.
struct Level {
    n: usize,
    level: f64,
    /// Robust variance of the residuals, (1.4826 × MAD)².
    within: f64,
    /// Robust variance of the standardised residuals, (1.4826 × MAD)².
    within_z: f64,
    level_z: f64,
}

impl Level {
    fn of(values: &[(f64, f64)]) -> Option<Level> {
        let ys: Vec<f64> = values.iter().map(|v| v.0).collect();
        let zs: Vec<f64> = values.iter().map(|v| v.1).collect();
        let spread = |v: &[f64], m: f64| {
            let dev: Vec<f64> = v.iter().map(|x| (x - m).abs()).collect();
            stats::median(&dev).map(|mad| (1.4826 * mad).powi(2))
        };
        let level = stats::median(&ys)?;
        let level_z = stats::median(&zs)?;
        Some(Level {
            n: values.len(),
            level,
            within: spread(&ys, level)?,
            within_z: spread(&zs, level_z)?,
            level_z,
        })
    }
}

/// A platform's niches in the crawl: their spread, and the crawl's spread of accounts.
struct Crawl {
    /// The variance of the niches' levels, shrunk towards TAU0² by TAU0_WEIGHT pseudo-niches.
    between: f64,
    /// The crawl's spread of accounts in units of the reference's (its niches' and within them),
    /// squared, and its degrees of freedom.
    spread2: f64,
    df: f64,
}

impl Crawl {
    fn of(niches: &[&Level]) -> Crawl {
        let j = niches.len() as f64;
        let mean = |f: &dyn Fn(&Level) -> f64| niches.iter().map(|l| f(l)).sum::<f64>() / j;
        let var = |f: &dyn Fn(&Level) -> f64, m: f64| {
            niches.iter().map(|l| (f(l) - m).powi(2)).sum::<f64>() / (j - 1.0).max(1.0)
        };
        let level = mean(&|l| l.level);
        let between = var(&|l| l.level, level);
        let shrunk = ((j - 1.0) * between + TAU0_WEIGHT * TAU0 * TAU0) / (j - 1.0 + TAU0_WEIGHT);
        // The spread in the reference's units: the niches' levels' variance (less what their
        // medians' own noise adds) and the accounts' within them.
        let mean_z = mean(&|l| l.level_z);
        let noise = mean(&|l| std::f64::consts::FRAC_PI_2 * l.within_z / l.n as f64);
        let between_z = (var(&|l| l.level_z, mean_z) - noise).max(0.0);
        let within_z = mean(&|l| l.within_z);
        Crawl {
            between: shrunk,
            spread2: between_z + within_z,
            df: niches.iter().map(|l| l.n as f64).sum::<f64>() - j,
        }
    }
}

/// Each platform's level in the crawl for one measure, and its variance, fitted together with a
/// level of each niche's own: niche n's level on platform p is c_p + b_n + e, with b_n ~ N(0, τ²)
/// the same on every platform and e ~ N(0, s²), s² its median's sampling noise plus [`OMEGA`]².
/// A platform's level is read from its niches, balanced over them, and, where a niche is also on
/// another platform, from how the niche does there (so a platform whose crawled niches are all
/// strong is not judged strict when they are strong elsewhere too). The other platforms' priors
/// N(0, u²) take part; a platform's own prior is combined afterwards, piece by piece. With no niche
/// on two platforms this is the mean of a platform's niche levels, with variance (s² + τ²) ÷ J.
/// τ² + s² is the niches' spread within platforms (shrunk towards [`TAU0`]², as in [`Crawl`]).
/// `between`: each platform's [`Crawl::between`]. Returns, per platform: its level, the level's
/// variance, and how many of its niches are on another of these platforms.
fn joint_levels(platforms: &[&[(&str, Level)]], between: &[f64], priors: &[f64]) -> Vec<(f64, f64, usize)> {
    let k = platforms.len();
    // niche -> [(platform, level, noise variance)]
    let mut by_niche: BTreeMap<&str, Vec<(usize, f64, f64)>> = BTreeMap::new();
    for (p, niches) in platforms.iter().enumerate() {
        for (n, l) in niches.iter() {
            let noise = std::f64::consts::FRAC_PI_2 * l.within / l.n as f64 + OMEGA * OMEGA;
            by_niche.entry(n).or_default().push((p, l.level, noise));
        }
    }
    let between: f64 = between.iter().sum::<f64>() / k as f64;
    let count = by_niche.values().map(Vec::len).sum::<usize>() as f64;
    let noise = by_niche.values().flatten().map(|o| o.2).sum::<f64>() / count;
    let tau2 = (between - noise).max(TAU_FLOOR * TAU_FLOOR);
    // The normal equations for the platform levels, the niche levels integrated out.
    let mut a = vec![vec![0.0; k]; k];
    let mut v = vec![0.0; k];
    for obs in by_niche.values() {
        let total: f64 = obs.iter().map(|o| 1.0 / o.2).sum::<f64>() + 1.0 / tau2;
        let weighted: f64 = obs.iter().map(|o| o.1 / o.2).sum();
        for &(p, level, s2) in obs {
            a[p][p] += 1.0 / s2;
            v[p] += level / s2 - weighted / (s2 * total);
            for &(q, _, t2) in obs {
                a[p][q] -= 1.0 / (s2 * t2 * total);
            }
        }
    }
    (0..k)
        .map(|p| {
            let mut with_priors = a.clone();
            for (q, row) in with_priors.iter_mut().enumerate() {
                if q != p {
                    row[q] += 1.0 / (priors[q] * priors[q]);
                }
            }
            let unit: Vec<f64> = (0..k).map(|q| f64::from(u8::from(q == p))).collect();
            let shared = platforms[p].iter().filter(|(n, _)| by_niche[n].len() > 1).count();
            match (stats::solve(&with_priors, &v), stats::solve(&with_priors, &unit)) {
                (Some(level), Some(column)) => (level[p], column[p], shared),
                // (Not reached: every platform here has two niches or more, so the system is
                // positive definite.)
                _ => (0.0, f64::INFINITY, shared),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accounts of `niches` niches on `platform`, each niche's engagement per view at
    /// `level × e^(niche effect)`, spread ×e^(±0.5) within.
    fn crawl(platform: &str, level: f64, niches: usize, per_niche: usize) -> Vec<Unit> {
        let mut out = Vec::new();
        for j in 0..niches {
            let effect = (j as f64 - (niches as f64 - 1.0) / 2.0) * 0.3;
            for k in 0..per_niche {
                let within = ((k as f64 + 0.5) / per_niche as f64 - 0.5) * 1.0;
                out.push(Unit {
                    niche: format!("n{j}"),
                    platform: platform.into(),
                    account: Some(format!("{platform}-{j}-{k}")),
                    followers: Some(50_000.0),
                    er_views: Some(level * (effect + within).exp()),
                    ..Unit::default()
                });
            }
        }
        out
    }

    #[test]
    fn a_borrowed_scale_gives_way_to_the_crawl_and_an_exact_one_does_not() {
        let base = Reference::built_in();
        // Kuaishou borrows Douyin's, which borrows TikTok's (4.14% per view): the crawl says 1%.
        let units = crawl("kuaishou", 0.01, 6, 20);
        let (r, records) = calibrate(&units, &base, &[]);
        let rec = records
            .iter()
            .find(|c| c.platform == "kuaishou" && c.measure == "engagement_rate_views")
            .expect("a record");
        assert_eq!(rec.niches, 6);
        assert!(rec.weight_on_crawl > 0.9, "{rec:?}");
        let typical = r.typical("engagement_rate_views", "kuaishou", None).unwrap_or(0.0);
        assert!((typical / 0.01 - 1.0).abs() < 0.1, "{typical}");
        // A typical kuaishou niche now sits in the middle of its platform's scale.
        let mid = r
            .place("engagement_rate_views", "kuaishou", 0.01, None)
            .expect("placed");
        assert!((mid.share - 0.5).abs() < 0.05 && mid.probit_sd > 0.0, "{mid:?}");
        // Instagram's engagement per view is a stated scale (uncertainty 0): left as it is.
        let units = crawl("instagram", 0.05, 6, 20);
        let (r, records) = calibrate(&units, &base, &[]);
        let rec = records.iter().find(|c| c.platform == "instagram").expect("a record");
        assert_eq!(rec.source, "reference");
        assert_eq!(
            r.place("engagement_rate_views", "instagram", 0.05, None),
            base.place("engagement_rate_views", "instagram", 0.05, None)
        );
    }

    #[test]
    fn one_niche_is_not_enough_and_a_reference_of_your_own_is_used_as_it_is() {
        let base = Reference::built_in();
        let units = crawl("kuaishou", 0.01, 1, 40);
        let (r, records) = calibrate(&units, &base, &[]);
        assert_eq!(records[0].source, "reference");
        assert!(records[0].uncertainty > 0.0);
        assert_eq!(
            r.place("engagement_rate_views", "kuaishou", 0.01, None),
            base.place("engagement_rate_views", "kuaishou", 0.01, None)
        );
        let mut own = base.clone();
        own.calibrate = false;
        let units = crawl("kuaishou", 0.01, 6, 20);
        let (r, _) = calibrate(&units, &own, &[]);
        assert_eq!(
            r.place("engagement_rate_views", "kuaishou", 0.01, None),
            own.place("engagement_rate_views", "kuaishou", 0.01, None)
        );
    }

    #[test]
    fn a_platform_whose_niches_are_strong_elsewhere_too_is_not_judged_strict() {
        let base = Reference::built_in();
        // Kuaishou and Weibo are alike (1% per view): three strong niches are on both, three weak
        // ones on Weibo alone. Read platform by platform, Kuaishou's niches make its level 2.2%.
        let account = |platform: &str, niche: &str, k: usize, er: f64| Unit {
            niche: niche.into(),
            platform: platform.into(),
            account: Some(format!("{platform}-{niche}-{k}")),
            followers: Some(50_000.0),
            er_views: Some(er * (((k as f64 + 0.5) / 10.0 - 0.5) * 0.6).exp()),
            ..Unit::default()
        };
        let mut units = Vec::new();
        for (niche, effect) in [
            ("s1", 0.7),
            ("s2", 0.8),
            ("s3", 0.9),
            ("w1", -0.7),
            ("w2", -0.8),
            ("w3", -0.9),
        ] {
            let er = 0.01 * f64::exp(effect);
            for k in 0..10 {
                units.push(account("weibo", niche, k, er));
                if effect > 0.0 {
                    units.push(account("kuaishou", niche, k, er));
                }
            }
        }
        let (r, records) = calibrate(&units, &base, &[]);
        let typical = |p: &str| r.typical("engagement_rate_views", p, None).unwrap_or(f64::NAN);
        let (kuaishou, weibo) = (typical("kuaishou"), typical("weibo"));
        // Platform by platform the gap would be the strong niches' mean, ln 2.2 = 0.8; together,
        // with the niches' own levels shrunk (τ² from the crawl), less than half of it is left.
        let gap = (kuaishou / weibo).ln();
        assert!(gap.abs() < 0.4, "kuaishou {kuaishou}, weibo {weibo}");
        let shared: Vec<usize> = records
            .iter()
            .filter(|c| c.measure == "engagement_rate_views")
            .map(|c| c.shared_niches)
            .collect();
        assert_eq!(shared, vec![3, 3]);
    }

    /// Accounts of `niches` niches on `platform` growing `level` a month, each niche's own level
    /// `step` apart, spread ±1 point within.
    fn growing(platform: &str, level: f64, niches: usize, step: f64) -> Vec<Unit> {
        let mut out = Vec::new();
        for j in 0..niches {
            let effect = (j as f64 - (niches as f64 - 1.0) / 2.0) * step;
            for k in 0..12 {
                out.push(Unit {
                    niche: format!("n{j}"),
                    platform: platform.into(),
                    account: Some(format!("{platform}-{j}-{k}")),
                    follower_growth_monthly: Some(level + effect + ((k as f64 + 0.5) / 12.0 - 0.5) * 0.02),
                    ..Unit::default()
                });
            }
        }
        out
    }

    #[test]
    fn growth_borrowed_from_every_platform_gives_way_to_each_platforms_crawl() -> Result<(), String> {
        let base = Reference::built_in();
        let prior = base.typical(GROWTH, "douyin", None).ok_or("a growth scale")?;
        // Douyin's accounts shrink by half a point a month, Weibo's grow 3 points: the one scale
        // every platform borrows (1.69%) says neither.
        let mut units = growing("douyin", -0.005, 5, 0.004);
        units.extend(growing("weibo", 0.03, 4, 0.004));
        let (r, records) = calibrate(&units, &base, &[]);
        let typical = |p: &str| r.typical(GROWTH, p, None).unwrap_or(f64::NAN);
        let (douyin, weibo) = (typical("douyin"), typical("weibo"));
        assert!(douyin < prior - 0.01 && douyin > -0.01, "douyin {douyin}");
        assert!(weibo > prior + 0.005 && weibo < 0.035, "weibo {weibo}");
        let rec = records
            .iter()
            .find(|c| c.platform == "douyin" && c.measure == GROWTH)
            .ok_or("a record")?;
        // The record speaks the measure's own units: the shift is the typical growth's change.
        assert!(rec.additive && rec.moved_by == 1.0 && rec.niches == 5, "{rec:?}");
        assert!((prior + rec.shift - douyin).abs() < 1e-12, "{rec:?}");
        assert!(rec.uncertainty > 0.0 && rec.uncertainty < rec.prior_sd, "{rec:?}");
        assert_eq!(moved_label(true, -0.0123, POINTS_A_MONTH), "-1.2 pt/month");
        // A platform crawled in one niche keeps the common scale, and so does a platform without
        // any growth in the crawl.
        let (r, _) = calibrate(&growing("kuaishou", 0.05, 1, 0.0), &base, &[]);
        assert_eq!(r.typical(GROWTH, "kuaishou", None), Some(prior));
        assert_eq!(r.typical(GROWTH, "bilibili", None), Some(prior));
        Ok(())
    }

    #[test]
    fn one_big_niche_does_not_set_the_level() {
        let base = Reference::built_in();
        // Five niches of ten accounts at 1%, one of 2,000 accounts at 10%.
        let mut units = crawl("kuaishou", 0.01, 5, 10);
        for k in 0..2_000 {
            units.push(Unit {
                niche: "big".into(),
                platform: "kuaishou".into(),
                account: Some(format!("b{k}")),
                er_views: Some(0.1),
                ..Unit::default()
            });
        }
        let (_, records) = calibrate(&units, &base, &[]);
        let shift = records[0].crawl_shift.unwrap_or(f64::NAN);
        // The mean of six niche levels: ln(0.01/0.0414) five times and ln(0.1/0.0414) once.
        let want = (5.0 * (0.01f64 / 0.0414).ln() + (0.1f64 / 0.0414).ln()) / 6.0;
        assert!((shift - want).abs() < 0.05, "{shift} vs {want}");
    }
}
