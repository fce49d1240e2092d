//! The reference scales of method 2.0 (METHOD.md §3): the fixed yardsticks a niche's measures
//! are judged against, so a niche's score depends on its own rows and the reference alone.
//!
//! A reference is data (`datasets/reference/niche-2.0.toml` is built in; `--reference FILE` or a
//! niche.toml setting replaces it, and `niche reference build` fits one from a panel): per
//! platform, scales that map a measure to the share of the reference population below it, the
//! platform's money facts (ad revenue per 1,000 views, a sponsored post's price per 10,000
//! followers) and an hour's wage in its currency. Every value carries its source, date and
//! confidence; a platform without its own scale borrows its proxy's, and the result is marked
//! provisional.

use std::path::Path;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::{toml_error, Error, Result};

/// The built-in reference.
pub const BUILT_IN: &str = include_str!("../datasets/reference/niche-2.0.toml");
/// Where the built-in reference is kept in the repository (named in outputs).
pub const BUILT_IN_PATH: &str = "datasets/reference/niche-2.0.toml";

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
    #[serde(default, rename = "platform")]
    pub platforms: Vec<Platform>,
    #[serde(default, rename = "scale")]
    pub scales: Vec<Scale>,
    #[serde(default)]
    pub money: Vec<Money>,
    #[serde(default, rename = "wage")]
    pub wages: Vec<Wage>,
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
}

/// Proxies followed at most this deep (a loop in a file ends there).
const MAX_PROXIES: usize = 6;

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
                platforms: Vec::new(),
                scales: Vec::new(),
                money: Vec::new(),
                wages: Vec::new(),
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
                "a reference file as datasets/reference/niche-2.0.toml lays it out",
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
        Ok(r)
    }

    fn platform(&self, name: &str) -> Option<&Platform> {
        self.platforms.iter().find(|p| p.name == name)
    }

    /// The platforms to look in for `platform`'s values, itself first, then its proxies; each
    /// with whether it is a stand-in.
    fn chain<'a>(&'a self, platform: &'a str) -> Vec<(&'a str, bool)> {
        let mut out: Vec<(&str, bool)> = Vec::new();
        let mut at = Some(platform);
        if self.platform(platform).is_none() {
            // Not listed: its own scales, if a file has some, then the default's.
            out.push((platform, false));
            at = Some("*");
        }
        while let Some(name) = at {
            if out.len() > MAX_PROXIES || out.iter().any(|(n, _)| *n == name) {
                break;
            }
            out.push((name, !out.is_empty()));
            at = self.platform(name).and_then(|p| p.proxy.as_deref());
        }
        // Scales kept for every platform alike ("*") come last.
        if !out.iter().any(|(n, _)| *n == "*") {
            out.push(("*", false));
        }
        out
    }

    /// `x` of `measure` on `platform` (for an account with `followers`, where the scale depends on
    /// size) as the share of the reference population below it. `None` where no scale applies.
    pub fn place(&self, measure: &str, platform: &str, x: f64, followers: Option<f64>) -> Option<Placed> {
        if !x.is_finite() {
            return None;
        }
        for (name, stand_in) in self.chain(platform) {
            let fits = |s: &&Scale| {
                s.measure == measure
                    && s.platform == name
                    && s.tier
                        .is_none_or(|[lo, hi]| followers.is_some_and(|f| f >= lo && f < hi))
            };
            let scales: Vec<&Scale> = self.scales.iter().filter(fits).collect();
            if scales.is_empty() {
                continue;
            }
            let chosen = scales.iter().min_by(|a, b| outside(a, x).total_cmp(&outside(b, x)))?;
            return Some(Placed {
                share: share(chosen, x),
                provisional: stand_in || chosen.provisional,
            });
        }
        None
    }

    /// The money facts of `platform` (its own, else its proxies').
    pub fn money(&self, platform: &str) -> MoneyFacts {
        let chain = self.chain(platform);
        let currency = chain
            .iter()
            .find_map(|(n, _)| self.platform(n))
            .map_or_else(|| "USD".to_string(), |p| p.currency.clone());
        let mut out = MoneyFacts {
            wage_per_hour: self.wages.iter().find(|w| w.currency == currency).map(|w| w.per_hour),
            currency,
            ..MoneyFacts::default()
        };
        // Ad revenue is the platform's own programme: never borrowed from another platform.
        for m in self.money.iter().filter(|m| m.platform == platform) {
            if m.rpm.is_some() {
                out.rpm = m.rpm;
                out.rpm_short_video = m.rpm_short_video;
                out.min_followers = m.min_followers.unwrap_or(0.0);
                out.provisional |= m.provisional;
            }
        }
        // A price per 10k followers may be borrowed from a proxy in the same currency.
        for (name, stand_in) in &chain {
            let same_currency = self.platform(name).is_none_or(|p| p.currency == out.currency);
            if let Some(m) = self
                .money
                .iter()
                .find(|m| m.platform == *name && m.price_per_10k.is_some())
                .filter(|_| same_currency)
            {
                out.price_per_10k = m.price_per_10k;
                out.provisional |= *stand_in || m.provisional;
                break;
            }
        }
        out
    }
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

/// The share below `x` on one scale.
fn share(s: &Scale, x: f64) -> f64 {
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
            let (m, sd) = (s.median.unwrap_or(1.0), s.sigma.unwrap_or(1.0));
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
    fn a_broken_scale_is_refused_with_the_file_named() {
        let text = BUILT_IN.replace("median = 58358", "median = -1");
        let e = Reference::parse(&text, Path::new("mine.toml")).unwrap_err().to_string();
        assert!(e.contains("mine.toml") && e.contains("views_per_post"), "{e}");
    }
}
