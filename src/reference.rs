//! The reference scales of method 2.1 (METHOD.md §3): the yardsticks a niche's measures are
//! judged against.
//!
//! A reference is data (`datasets/reference/niche-2.1.toml` is built in; `--reference FILE` or a
//! niche.toml setting replaces it, and `niche reference build` fits one from a panel): per
//! platform, scales that map a measure to the share of the reference population below it, the
//! platform's money facts (ad revenue per 1,000 views, a sponsored post's price per 10,000
//! followers), an hour's wage in its currency, and how much advertisers pay per vertical
//! ([`vertical`]). Every value carries its source, date, confidence and (where it is not exact) an
//! uncertainty; a platform without its own scale borrows its proxy's, and the result is marked
//! provisional. Where the reference allows it (`calibrate`), an uncertain scale is calibrated from
//! the crawl itself (`crate::measure::calibrate`).

pub mod vertical;

use std::path::Path;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::{toml_error, Error, Result};

/// The built-in reference.
pub const BUILT_IN: &str = include_str!("../datasets/reference/niche-2.1.toml");
/// Where the built-in reference is kept in the repository (named in outputs).
pub const BUILT_IN_PATH: &str = "datasets/reference/niche-2.1.toml";

/// One reference, as its file holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub name: String,
    pub date: String,
    /// Where it was read from: the built-in path or the file given (set on reading; not written
    /// by [`Reference::to_toml`]).
    #[serde(default)]
    pub origin: String,
    /// Calibrate the scales that are not exact (uncertainty above 0) from the crawl (method 2.1,
    /// METHOD.md §3): the built-in reference does; a reference of your own (fitted by `niche
    /// reference build`, or saved calibrated) is used as it is, so a niche depends on its own
    /// rows and the file alone.
    #[serde(default)]
    pub calibrate: bool,
    #[serde(default, rename = "platform")]
    pub platforms: Vec<Platform>,
    #[serde(default, rename = "scale")]
    pub scales: Vec<Scale>,
    #[serde(default)]
    pub money: Vec<Money>,
    #[serde(default, rename = "wage")]
    pub wages: Vec<Wage>,
    /// What advertisers pay by vertical, as tiers ([`vertical`]).
    #[serde(default, rename = "money_tier")]
    pub money_tiers: Vec<vertical::MoneyTier>,
    #[serde(default, rename = "vertical")]
    pub verticals: Vec<vertical::Vertical>,
    /// The crawl's typical sponsored share (method 2.1, METHOD.md §3, business), standing in
    /// where a niche's exports carry no sponsorship flag: set by calibration from the crawl, kept
    /// in a saved calibrated reference (so a niche scored against it depends on its own rows).
    #[serde(default)]
    pub sponsored_share: Option<CrawlShare>,
}

/// The median of the niches' pooled sponsored shares, over the niches whose posts carry flags.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrawlShare {
    pub share: f64,
    /// The SD of ln share over those niches: how far a niche's share may lie from the median.
    pub log_sd: f64,
    /// How many niches it was read from.
    pub niches: usize,
}

/// What a value is and where it comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    pub name: String,
    pub currency: String,
    /// The platform whose scales stand in where this one has none.
    #[serde(default)]
    pub proxy: Option<String>,
    #[serde(default)]
    pub why: Option<String>,
    /// How far the proxy's scales may be from this platform's, as the SD of a log shift (added to
    /// a borrowed scale's own uncertainty); [`DEFAULT_PROXY_UNCERTAINTY`] when absent.
    #[serde(default)]
    pub proxy_uncertainty: Option<f64>,
    /// What the platform's own numbers count as engagement (its usual 互动量), for the record.
    #[serde(default)]
    pub engagement: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// (value, share) points joined straight in log(value).
    Knots,
    /// ln(value) normal with `median` and `sigma`.
    Lognormal,
    /// value normal with mean `median` and `sigma`.
    Normal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub measure: String,
    pub platform: String,
    /// [low, high) followers this scale is for; all accounts when absent.
    #[serde(default)]
    pub tier: Option<[f64; 2]>,
    pub kind: Kind,
    #[serde(default)]
    pub knots: Vec<[f64; 2]>,
    #[serde(default)]
    pub median: Option<f64>,
    #[serde(default)]
    pub sigma: Option<f64>,
    pub definition: String,
    pub source: String,
    pub date: String,
    pub confidence: String,
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub provisional: bool,
    /// How far the scale's centre may be off: the SD of a shift of ln(value) (of the value itself
    /// for a normal scale). Absent: 0 for a scale that is not provisional (it is exact), else the
    /// default of its confidence ([`default_uncertainty`]).
    #[serde(default)]
    pub uncertainty: Option<f64>,
    /// The interactions an engagement scale counts (likes, comments, shares, collects), where its
    /// source says.
    #[serde(default)]
    pub components: Vec<String>,
    /// A lognormal whose median moves with the account's size: median × (followers ÷ pivot) ^
    /// slope (a scale calibrated from a crawl, whose size curve is the crawl's).
    #[serde(default)]
    pub slope: Option<f64>,
    #[serde(default)]
    pub pivot: Option<f64>,
    /// Calibrated from the crawl of this run (never read from or written to a file): a niche
    /// placed on it depends on the other niches of its platform.
    #[serde(skip)]
    pub from_this_crawl: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub platform: String,
    /// The creator's ad revenue per 1,000 views in the platform's currency (0: none is shared).
    #[serde(default)]
    pub rpm: Option<f64>,
    /// The same for short videos, where it differs.
    #[serde(default)]
    pub rpm_short_video: Option<f64>,
    /// Followers needed before ad revenue is shared.
    #[serde(default)]
    pub min_followers: Option<f64>,
    /// A sponsored post's price per 10,000 followers.
    #[serde(default)]
    pub price_per_10k: Option<f64>,
    /// How far the verticals' ad revenue spreads on this platform: each ad tier's multiplier is
    /// raised to this power (1: as on YouTube long-form, where the tiers were read).
    #[serde(default)]
    pub vertical_spread: Option<f64>,
    /// The SD of ln(value) (rate or price); absent: as for a scale.
    #[serde(default)]
    pub uncertainty: Option<f64>,
    pub source: String,
    pub date: String,
    pub confidence: String,
    #[serde(default)]
    pub basis: Option<String>,
    #[serde(default)]
    pub provisional: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wage {
    pub currency: String,
    pub per_hour: f64,
    pub source: String,
    pub date: String,
    pub confidence: String,
    #[serde(default)]
    pub basis: Option<String>,
}

/// A measure placed on a scale: the share of the reference population below it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub share: f64,
    /// The scale used was provisional, or another platform's.
    pub provisional: bool,
    /// How far the scale may be off, on the probit scale of the share (its uncertainty ÷ its
    /// spread): the SD of the shift each bootstrap resample draws for the platform and measure,
    /// shared by every niche placed on it. 0 for an exact scale.
    pub probit_sd: f64,
    /// The scale was calibrated from this run's crawl.
    pub calibrated: bool,
}

/// A platform's money facts, each `None` where the reference does not know it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MoneyFacts {
    pub currency: String,
    pub rpm: Option<f64>,
    pub rpm_short_video: Option<f64>,
    pub min_followers: f64,
    pub price_per_10k: Option<f64>,
    pub wage_per_hour: Option<f64>,
    pub provisional: bool,
    /// SD of ln(rate) and of ln(price) (0 where exact).
    pub rpm_uncertainty: f64,
    pub price_uncertainty: f64,
    /// The power each ad tier's multiplier is raised to on this platform.
    pub vertical_spread: f64,
}

/// Proxies followed at most this deep (a loop in a file ends there).
const MAX_PROXIES: usize = 6;

/// How far another platform's scale may be from this one's where the reference does not say (the
/// SD of a log shift): e, a factor of 2.7 either way at one SD. Published engagement levels of
/// one tier differ 1.3-12× between platforms (reference-scales.md §1).
pub const DEFAULT_PROXY_UNCERTAINTY: f64 = 1.0;

/// The uncertainty of a provisional scale or money fact whose file states none, by its
/// confidence: S (a reputable report) 0.25, F (fitted from one public list) 0.3, anything else
/// (S?, D, an assumption) 0.5: factors of 1.3, 1.35 and 1.65 at one SD.
pub fn default_uncertainty(confidence: &str) -> f64 {
    match confidence.trim() {
        "S" => 0.25,
        "F" => 0.3,
        _ => 0.5,
    }
}

impl Default for Reference {
    fn default() -> Self {
        Reference::built_in()
    }
}

impl Reference {
    /// The built-in reference. It is checked by a test; were it ever unreadable, the reference
    /// would be empty and every measure on it unknown, never a guess.
    pub fn built_in() -> Reference {
        match Reference::parse(BUILT_IN, Path::new(BUILT_IN_PATH)) {
            Ok(r) => r,
            Err(_) => Reference {
                name: "empty (the built-in reference could not be read)".into(),
                date: String::new(),
                origin: BUILT_IN_PATH.into(),
                calibrate: false,
                platforms: Vec::new(),
                scales: Vec::new(),
                money: Vec::new(),
                wages: Vec::new(),
                money_tiers: Vec::new(),
                verticals: Vec::new(),
                sponsored_share: None,
            },
        }
    }

    /// A reference file (`--reference FILE`).
    pub fn load(path: &Path) -> Result<Reference> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Reference::parse(&text, path)
    }

    /// The reference as a file (`niche reference build` writes it).
    /// (Every field is always serialised, as the stage cache's format needs; the file leaves out
    /// what is empty.)
    pub fn to_toml(&self) -> Result<String> {
        fn tidy(v: serde_json::Value) -> Option<serde_json::Value> {
            use serde_json::Value;
            match v {
                Value::Null | Value::Bool(false) => None,
                Value::String(s) if s.is_empty() => None,
                Value::Array(a) if a.is_empty() => None,
                Value::Array(a) => Some(Value::Array(a.into_iter().filter_map(tidy).collect())),
                Value::Object(o) => Some(Value::Object(
                    o.into_iter().filter_map(|(k, v)| Some((k, tidy(v)?))).collect(),
                )),
                other => Some(other),
            }
        }
        let fail = |e: String| {
            Error::usage(
                format!("the reference could not be written as TOML: {e}"),
                "report this as a bug",
            )
        };
        let mut value = serde_json::to_value(self).map_err(|e| fail(e.to_string()))?;
        if let Some(o) = value.as_object_mut() {
            o.remove("origin");
        }
        let value = tidy(value).unwrap_or_default();
        toml::to_string(&value).map_err(|e| fail(e.to_string()))
    }

    fn parse(text: &str, path: &Path) -> Result<Reference> {
        let mut r: Reference = toml::from_str(text).map_err(|e| {
            toml_error(
                path,
                text,
                &e,
                "a reference file as datasets/reference/niche-2.1.toml lays it out",
                "start from the built-in one, or make one with `niche reference build`",
            )
        })?;
        r.origin = path.display().to_string();
        for s in &r.scales {
            let ok = match s.kind {
                Kind::Knots => {
                    s.knots.len() >= 2
                        && s.knots
                            .windows(2)
                            .all(|w| w[0][0] > 0.0 && w[1][0] > w[0][0] && w[1][1] >= w[0][1])
                        && s.knots.iter().all(|k| (0.0..=1.0).contains(&k[1]))
                }
                Kind::Lognormal => s.median.is_some_and(|m| m > 0.0) && s.sigma.is_some_and(|x| x > 0.0),
                Kind::Normal => s.median.is_some_and(f64::is_finite) && s.sigma.is_some_and(|x| x > 0.0),
            };
            if !ok {
                return Err(Error::file(
                    path,
                    format!(
                        "the {:?} scale of {} on {} is not usable (knots must rise in value and share, shares in 0-1; a lognormal needs median > 0 and sigma > 0)",
                        s.kind, s.measure, s.platform
                    ),
                    "fix that scale's numbers",
                ));
            }
        }
        let bad_uncertainty = r
            .scales
            .iter()
            .map(|s| (s.uncertainty, format!("the {} scale on {}", s.measure, s.platform)))
            .chain(
                r.money
                    .iter()
                    .map(|m| (m.uncertainty, format!("the money facts of {}", m.platform))),
            )
            .chain(
                r.platforms
                    .iter()
                    .map(|p| (p.proxy_uncertainty, format!("platform {}", p.name))),
            )
            .find(|(u, _)| u.is_some_and(|u| !u.is_finite() || u < 0.0));
        if let Some((u, what)) = bad_uncertainty {
            return Err(Error::file(
                path,
                format!(
                    "{what} has uncertainty {} (it must be a number of 0 or more: the SD of a log shift)",
                    u.unwrap_or(f64::NAN)
                ),
                "fix that uncertainty, or leave it out to take the default of its confidence",
            ));
        }
        vertical::check(&r, path)?;
        Ok(r)
    }

    fn platform(&self, name: &str) -> Option<&Platform> {
        self.platforms.iter().find(|p| p.name == name)
    }

    /// The platforms to look in for `platform`'s values, itself first, then its proxies; each
    /// with whether it is a stand-in and the uncertainty (SD of a log shift) the hops to it add.
    fn chain<'a>(&'a self, platform: &'a str) -> Vec<(&'a str, bool, f64)> {
        let mut out: Vec<(&str, bool, f64)> = Vec::new();
        let mut at = Some(platform);
        // Variance added so far by the hops taken.
        let mut hops: f64 = 0.0;
        if self.platform(platform).is_none() {
            // Not listed: its own scales, if a file has some, then the default's ("*", whose
            // proxy's uncertainty is that of any unlisted platform).
            out.push((platform, false, 0.0));
            at = Some("*");
        }
        while let Some(name) = at {
            if out.len() > MAX_PROXIES || out.iter().any(|(n, ..)| *n == name) {
                break;
            }
            // Scales written for "*" are for every platform alike: nobody's stand-in.
            out.push((name, !out.is_empty() && name != "*", hops.sqrt()));
            let listed = self.platform(name);
            hops += listed
                .and_then(|p| p.proxy_uncertainty)
                .unwrap_or(DEFAULT_PROXY_UNCERTAINTY)
                .powi(2);
            at = listed.and_then(|p| p.proxy.as_deref());
        }
        // Scales kept for every platform alike ("*") come last; they are nobody's stand-in.
        if !out.iter().any(|(n, ..)| *n == "*") {
            out.push(("*", false, 0.0));
        }
        out
    }

    /// The scales `platform` is judged on for `measure`: those of the first platform of its chain
    /// (itself, then its proxies) that has any.
    pub fn reached(&self, measure: &str, platform: &str) -> Option<Reached<'_>> {
        self.chain(platform).into_iter().find_map(|(name, stand_in, hops)| {
            let pieces: Vec<&Scale> = self
                .scales
                .iter()
                .filter(|s| s.measure == measure && s.platform == name)
                .collect();
            (!pieces.is_empty()).then(|| Reached {
                from: name.to_string(),
                stand_in,
                hops,
                pieces,
            })
        })
    }

    /// `x` of `measure` on `platform` (for an account with `followers`, where the scale depends on
    /// size) as the share of the reference population below it. `None` where no scale applies.
    pub fn place(&self, measure: &str, platform: &str, x: f64, followers: Option<f64>) -> Option<Placed> {
        self.reached(measure, platform)?.place(x, followers)
    }

    /// The value at the middle of `measure`'s scale on `platform` for an account of `followers`
    /// (where it depends on size): the typical account's value.
    pub fn typical(&self, measure: &str, platform: &str, followers: Option<f64>) -> Option<f64> {
        let reached = self.reached(measure, platform)?;
        let chosen = reached.piece(1.0, followers)?;
        match chosen.kind {
            Kind::Lognormal | Kind::Normal => Some(median_for(chosen, followers)),
            Kind::Knots => reached.knots_quantile(0.5),
        }
    }

    /// A typical field of `n` accounts of `platform`: the followers at the `n` evenly spaced
    /// shares (i + ½) ÷ n of its follower scale (pieces joined). `None` without a follower scale.
    pub fn followers_field(&self, platform: &str, n: usize) -> Option<Vec<f64>> {
        let knots = self.reached("followers", platform)?.joined_knots();
        (0..n)
            .map(|i| quantile_of_knots(&knots, (i as f64 + 0.5) / n as f64))
            .collect()
    }

    /// The money facts of `platform` (its own, else its proxies').
    pub fn money(&self, platform: &str) -> MoneyFacts {
        let chain = self.chain(platform);
        let currency = chain
            .iter()
            .find_map(|(n, ..)| self.platform(n))
            .map_or_else(|| "USD".to_string(), |p| p.currency.clone());
        let mut out = MoneyFacts {
            wage_per_hour: self.wages.iter().find(|w| w.currency == currency).map(|w| w.per_hour),
            currency,
            vertical_spread: vertical::DEFAULT_SPREAD,
            ..MoneyFacts::default()
        };
        let uncertainty = |m: &Money| {
            m.uncertainty.unwrap_or(if m.provisional {
                default_uncertainty(&m.confidence)
            } else {
                0.0
            })
        };
        // Ad revenue is the platform's own programme: never borrowed from another platform.
        for m in self.money.iter().filter(|m| m.platform == platform) {
            if m.rpm.is_some() {
                out.rpm = m.rpm;
                out.rpm_short_video = m.rpm_short_video;
                out.min_followers = m.min_followers.unwrap_or(0.0);
                out.provisional |= m.provisional;
                out.rpm_uncertainty = uncertainty(m);
            }
            if let Some(spread) = m.vertical_spread {
                out.vertical_spread = spread;
            }
        }
        // A price per 10k followers may be borrowed from a proxy in the same currency.
        for (name, stand_in, hops) in &chain {
            let same_currency = self.platform(name).is_none_or(|p| p.currency == out.currency);
            if let Some(m) = self
                .money
                .iter()
                .find(|m| m.platform == *name && m.price_per_10k.is_some())
                .filter(|_| same_currency)
            {
                out.price_per_10k = m.price_per_10k;
                out.provisional |= *stand_in || m.provisional;
                out.price_uncertainty = uncertainty(m).hypot(*hops);
                break;
            }
        }
        out
    }
}

/// The scales one platform is judged on for one measure, and where they come from.
#[derive(Debug, Clone)]
pub struct Reached<'a> {
    /// The platform whose scales these are (the platform itself, or a proxy).
    pub from: String,
    /// Another platform's scales.
    pub stand_in: bool,
    /// The uncertainty (SD of a log shift) the proxies add.
    pub hops: f64,
    /// Its pieces (follower tiers, or a body and a tail).
    pub pieces: Vec<&'a Scale>,
}

impl Reached<'_> {
    /// [`Reference::place`] on these scales: for a caller that places many values of one measure
    /// on one platform and looks its scales up once.
    pub fn place(&self, x: f64, followers: Option<f64>) -> Option<Placed> {
        let (chosen, u) = self.chosen(x, followers)?;
        Some(Placed {
            share: share(chosen, x, followers),
            provisional: self.provisional(chosen, u),
            probit_sd: u / self.spread(chosen),
            calibrated: chosen.from_this_crawl,
        })
    }

    /// [`Reached::place`]'s share and whether it is provisional, and nothing else: what a score
    /// reads in each of a bootstrap's resamples, where the spread [`Reached::place`] also works
    /// out (for knots, every piece's knots joined and read twice) would be thrown away.
    pub fn share_of(&self, x: f64, followers: Option<f64>) -> Option<(f64, bool)> {
        let (chosen, u) = self.chosen(x, followers)?;
        Some((share(chosen, x, followers), self.provisional(chosen, u)))
    }

    /// The piece `x` is placed on ([`Reached::piece`]) and its [`Reached::uncertainty`]; `None`
    /// for a value that is not finite.
    fn chosen(&self, x: f64, followers: Option<f64>) -> Option<(&Scale, f64)> {
        if !x.is_finite() {
            return None;
        }
        let chosen = self.piece(x, followers)?;
        Some((chosen, self.uncertainty(chosen)))
    }

    /// A placement is provisional on another platform's scales, on a provisional piece, or on
    /// one that may be off (uncertainty `u` above zero).
    fn provisional(&self, piece: &Scale, u: f64) -> bool {
        self.stand_in || piece.provisional || u > 0.0
    }

    /// The piece for `x` of an account with `followers`: among the pieces for its size, the one
    /// whose range holds `x`, else the nearest.
    pub fn piece(&self, x: f64, followers: Option<f64>) -> Option<&Scale> {
        self.pieces
            .iter()
            .copied()
            .filter(|s| {
                s.tier
                    .is_none_or(|[lo, hi]| followers.is_some_and(|f| f >= lo && f < hi))
            })
            .min_by(|a, b| outside(a, x).total_cmp(&outside(b, x)))
    }

    /// How far a piece may be off: its own uncertainty and the proxies', as the SD of a shift of
    /// ln(value) (of the value, for a normal scale).
    pub fn uncertainty(&self, piece: &Scale) -> f64 {
        let own = piece.uncertainty.unwrap_or(if piece.provisional {
            default_uncertainty(&piece.confidence)
        } else {
            0.0
        });
        own.max(0.0).hypot(self.hops)
    }

    /// The spread of a piece in the units its uncertainty is in: sigma, or for knots the
    /// interquartile range of ln(value) of the pieces joined ÷ 1.349 (a normal's).
    pub fn spread(&self, piece: &Scale) -> f64 {
        let sd = match piece.kind {
            Kind::Lognormal | Kind::Normal => piece.sigma.unwrap_or(1.0),
            Kind::Knots => match (self.knots_quantile(0.25), self.knots_quantile(0.75)) {
                (Some(a), Some(b)) if a > 0.0 && b > a => (b / a).ln() / 1.349,
                _ => 1.0,
            },
        };
        if sd.is_finite() && sd > 0.0 {
            sd
        } else {
            1.0
        }
    }

    /// The knots of every knots piece, joined in value order (a later piece's knots from where
    /// the earlier one ends).
    fn joined_knots(&self) -> Vec<[f64; 2]> {
        let mut pieces: Vec<&Scale> = self.pieces.iter().copied().filter(|s| s.kind == Kind::Knots).collect();
        pieces.sort_by(|a, b| {
            let first = |s: &Scale| s.knots.first().map_or(0.0, |k| k[0]);
            first(a).total_cmp(&first(b))
        });
        let mut out: Vec<[f64; 2]> = Vec::new();
        for p in pieces {
            for k in &p.knots {
                if out.last().is_none_or(|last| k[0] > last[0] && k[1] >= last[1]) {
                    out.push(*k);
                }
            }
        }
        out
    }

    /// The value below which a share `q` of the population lies, on the joined knots.
    pub fn knots_quantile(&self, q: f64) -> Option<f64> {
        quantile_of_knots(&self.joined_knots(), q)
    }
}

/// The value below which a share `q` lies on knots (value, share), log-linear between them.
fn quantile_of_knots(k: &[[f64; 2]], q: f64) -> Option<f64> {
    let (first, last) = (*k.first()?, *k.last()?);
    if q <= first[1] {
        return Some(first[0]);
    }
    if q >= last[1] {
        return Some(last[0]);
    }
    let i = k.partition_point(|p| p[1] < q).clamp(1, k.len() - 1);
    let (a, b) = (k[i - 1], k[i]);
    if b[1] <= a[1] {
        return Some(a[0]);
    }
    let t = (q - a[1]) / (b[1] - a[1]);
    Some((a[0].ln() + t * (b[0].ln() - a[0].ln())).exp())
}

/// How far `x` lies outside the range a scale's knots cover, in log terms (0 inside it, and for
/// scales that are not knots): of the pieces of a scale (a body and a tail), the one that holds
/// `x`, else the nearest, is used.
fn outside(s: &Scale, x: f64) -> f64 {
    // (Zero and below count as the smallest positive value: the lowest piece is the nearest.)
    let x = x.max(f64::MIN_POSITIVE);
    match (s.kind, s.knots.first(), s.knots.last()) {
        (Kind::Knots, Some(first), Some(last)) => (first[0] / x).ln().max(0.0) + (x / last[0]).ln().max(0.0),
        (Kind::Knots, _, _) => f64::INFINITY,
        _ => 0.0,
    }
}

/// A scale's median for an account of `followers`: its median, moved along its size curve where
/// it has one.
pub fn median_for(s: &Scale, followers: Option<f64>) -> f64 {
    let m = s.median.unwrap_or(1.0);
    match (s.slope, s.pivot, followers.filter(|f| *f > 0.0)) {
        (Some(b), Some(p), Some(f)) if p > 0.0 => m * (f / p).powf(b),
        _ => m,
    }
}

/// The share below `x` on one scale, for an account of `followers`.
pub fn share(s: &Scale, x: f64, followers: Option<f64>) -> f64 {
    match s.kind {
        Kind::Knots => {
            let k = &s.knots;
            let (first, last) = (k[0], k[k.len() - 1]);
            if x <= first[0] {
                return first[1];
            }
            if x >= last[0] {
                return last[1];
            }
            let i = k.partition_point(|p| p[0] <= x).clamp(1, k.len() - 1);
            let (a, b) = (k[i - 1], k[i]);
            let t = (x.ln() - a[0].ln()) / (b[0].ln() - a[0].ln());
            a[1] + t * (b[1] - a[1])
        }
        Kind::Lognormal | Kind::Normal => {
            let (m, sd) = (median_for(s, followers), s.sigma.unwrap_or(1.0));
            let z = if s.kind == Kind::Lognormal {
                if x <= 0.0 {
                    return 0.0;
                }
                (x.ln() - m.ln()) / sd
            } else {
                (x - m) / sd
            };
            Normal::standard().cdf(z)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_reference_reads_and_every_value_names_its_source() {
        let r = Reference::parse(BUILT_IN, Path::new(BUILT_IN_PATH)).unwrap();
        assert!(r.scales.len() >= 10 && r.money.len() >= 5 && r.wages.len() == 2);
        for s in &r.scales {
            assert!(
                !s.source.is_empty() && !s.date.is_empty() && !s.definition.is_empty(),
                "{s:?}"
            );
        }
        for m in &r.money {
            assert!(!m.source.is_empty() && !m.date.is_empty(), "{m:?}");
        }
    }

    #[test]
    fn method_md_lists_every_built_in_scale() {
        let method = include_str!("../METHOD.md");
        for s in &Reference::built_in().scales {
            let row = format!("| {} | {} |", s.platform, s.measure);
            assert!(method.contains(&row), "METHOD.md §3 has no row for {row}");
        }
    }

    #[test]
    fn knots_interpolate_in_log_and_tiers_choose_the_scale() {
        let r = Reference::built_in();
        let at = |x: f64| r.place("followers", "instagram", x, None).unwrap();
        assert!((at(10_000.0).share - 0.815).abs() < 1e-12);
        assert!(!at(10_000.0).provisional);
        let mid = at((10_000.0f64 * 50_000.0).sqrt()).share;
        assert!((mid - (0.815 + 0.959) / 2.0).abs() < 1e-9, "{mid}");
        // The tail piece is provisional and keeps rising.
        assert!(at(5e7).share > at(5e6).share && at(5e6).provisional);
        // Beyond both pieces: the nearest one's end.
        assert_eq!(at(0.0).share, 0.0);
        assert_eq!(at(500.0).share, 0.0);
        assert!(at(5e9).share > 0.9999 && at(5e9).provisional);
        // The same engagement rate is better for a bigger account.
        let small = r.place("engagement_rate", "instagram", 0.01, Some(5_000.0)).unwrap();
        let big = r
            .place("engagement_rate", "instagram", 0.01, Some(5_000_000.0))
            .unwrap();
        assert!(big.share > small.share);
        assert!(r.place("engagement_rate", "instagram", 0.01, None).is_none());
    }

    #[test]
    fn a_share_alone_is_the_placements_share_and_provisional_flag() {
        // Every scale of every platform (own, borrowed, unknown), at values below, inside and
        // above its pieces, with and without followers: `share_of` is `place` without the spread.
        let r = Reference::built_in();
        let mut platforms: Vec<&str> = r.scales.iter().map(|s| s.platform.as_str()).collect();
        platforms.extend(["xiaohongshu", "myspace"]);
        let values = [
            0.0,
            1e-4,
            0.02,
            0.5,
            3.0,
            700.0,
            12_345.0,
            4e6,
            9e9,
            f64::NAN,
            f64::INFINITY,
        ];
        let mut compared = 0;
        for s in &r.scales {
            for platform in &platforms {
                let Some(reached) = r.reached(&s.measure, platform) else {
                    continue;
                };
                for x in values {
                    for followers in [None, Some(2_000.0), Some(3e6)] {
                        let placed = reached.place(x, followers).map(|p| (p.share.to_bits(), p.provisional));
                        let alone = reached.share_of(x, followers).map(|(s, p)| (s.to_bits(), p));
                        assert_eq!(placed, alone, "{} on {platform} at {x} ({followers:?})", s.measure);
                        compared += usize::from(placed.is_some());
                    }
                }
            }
        }
        assert!(compared > 500, "{compared} placements compared");
    }

    #[test]
    fn platforms_without_a_scale_borrow_one_provisionally() {
        let r = Reference::built_in();
        let own = r.place("views_per_post", "bilibili", 1635.0, None).unwrap();
        assert!((own.share - 0.5).abs() < 1e-9);
        let proxied = r.place("followers", "xiaohongshu", 10_000.0, None).unwrap();
        assert!(proxied.provisional && (proxied.share - 0.815).abs() < 1e-12);
        let unknown = r.place("followers", "myspace", 10_000.0, None).unwrap();
        assert!(unknown.provisional);
        // Money: ad revenue is never borrowed; a price is, in the same currency only.
        assert_eq!(r.money("douyin").rpm, None);
        assert_eq!(r.money("xiaohongshu").rpm, Some(0.0));
        assert_eq!(r.money("kuaishou").price_per_10k, Some(450.0));
        assert_eq!(r.money("kuaishou").currency, "CNY");
        assert!(r.money("kuaishou").provisional);
        assert!(r.money("bilibili").wage_per_hour.is_some());
    }

    #[test]
    fn every_platform_the_loader_names_has_an_entry_or_a_stated_proxy() {
        use crate::normalise::fields::{platform_name, LAYOUTS};
        let r = Reference::built_in();
        let raw = [
            "小红书",
            "抖音",
            "B站",
            "微博",
            "快手",
            "知乎",
            "YouTube",
            "Instagram",
            "TikTok",
            "Twitter",
            "视频号",
            "公众号",
            "wechat",
        ];
        let names: Vec<String> = raw
            .iter()
            .filter_map(|p| platform_name(p))
            .chain(LAYOUTS.iter().map(|l| l.1.to_string()))
            .collect();
        for name in names {
            let entry = r
                .platform(&name)
                .unwrap_or_else(|| panic!("{name} has no [[platform]] entry"));
            assert!(
                entry.proxy.is_some() || r.scales.iter().any(|s| s.platform == name),
                "{name} has neither scales nor a proxy"
            );
            assert!(
                entry.proxy.is_none() || entry.why.is_some() || name == "instagram",
                "{name}'s proxy says why"
            );
        }
    }

    #[test]
    fn a_broken_scale_is_refused_with_the_file_named() {
        let text = BUILT_IN.replace("median = 58358", "median = -1");
        let e = Reference::parse(&text, Path::new("mine.toml")).unwrap_err().to_string();
        assert!(e.contains("mine.toml") && e.contains("views_per_post"), "{e}");
    }
}
