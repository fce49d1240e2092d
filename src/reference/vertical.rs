//! Money per vertical (method 2.1, METHOD.md §3, business): advertisers do not pay every niche
//! alike. Ad revenue per view runs from finance at the top to gaming, entertainment and music at
//! the bottom; sponsorship per follower has another order (beauty and parenting first). The
//! reference holds both as tiers, each a multiplier of the platform's typical rate or price with a
//! 95% range ([`MoneyTier`]), and names the verticals ([`Vertical`]) by the words niches are
//! called by, in English and Chinese, and by the platforms' own category names. A niche's vertical
//! is found from its name ([`Reference::vertical_of`]), or set in the settings.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Reference;
use crate::error::{Error, Result};

/// On a platform whose file says nothing, the ad tiers' multipliers are raised to this power:
/// between TikTok's spread (finance ÷ entertainment about 2.5×, exponent 0.5) and YouTube
/// long-form's (6×, exponent 1), for want of a published one.
pub const DEFAULT_SPREAD: f64 = 0.75;

/// Which money a tier is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MoneyKind {
    /// Ad revenue per view (RPM).
    Ad,
    /// A sponsored post's price per follower.
    Sponsor,
}

/// One tier of advertiser value: its multiplier of the platform's typical rate (ad) or price
/// (sponsor), and the 95% range the sources allow. Tier 0 is a niche of no known vertical.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyTier {
    pub kind: MoneyKind,
    pub tier: u8,
    pub multiplier: f64,
    pub low: f64,
    pub high: f64,
    pub source: String,
    pub date: String,
    pub confidence: String,
    #[serde(default)]
    pub basis: Option<String>,
}

/// A vertical: its tier for ad revenue and for sponsorship, and the names niches go by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vertical {
    pub name: String,
    pub ad_tier: u8,
    pub sponsor_tier: u8,
    /// Words in a niche's name that say it is of this vertical (English words match whole
    /// words; Chinese ones anywhere in the name).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Platform category names (YouTube categories, B站 分区, 小红书/抖音 行业) that are this
    /// vertical, matched as the whole name.
    #[serde(default)]
    pub categories: Vec<String>,
    pub source: String,
}

/// A multiplier and how sure it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Multiplier {
    pub value: f64,
    /// The SD of ln(value): its 95% range ÷ (2 × 1.96), on the log scale.
    pub log_sd: f64,
}

impl MoneyTier {
    fn multiplier(&self) -> Multiplier {
        Multiplier {
            value: self.multiplier,
            log_sd: (self.high / self.low).ln() / (2.0 * 1.96),
        }
    }
}

/// Lower case, without spaces and punctuation (letters and digits of any script stay).
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a name, lower case (runs of ASCII letters and digits; other characters split).
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Whether `keyword` names `niche`: an ASCII keyword as whole words in order ("ai" is not in
/// "hair"; "real estate" is two words), any other anywhere in the squashed name.
fn names(keyword: &str, niche_words: &[String], niche_squashed: &str) -> bool {
    if keyword.is_ascii() {
        let kw = words(keyword);
        !kw.is_empty() && niche_words.windows(kw.len()).any(|w| w == kw.as_slice())
    } else {
        let k = squash(keyword);
        !k.is_empty() && niche_squashed.contains(&k)
    }
}

impl Reference {
    /// The vertical of a niche: `set` (a name from the settings) where given; else a vertical
    /// whose category names are the niche's name; else the vertical with the longest keyword in
    /// the name (the most specific), the first in the file on a tie. `None`: no vertical known.
    pub fn vertical_of(&self, niche: &str, set: Option<&str>) -> Option<&Vertical> {
        if let Some(name) = set {
            return self.verticals.iter().find(|v| v.name == name);
        }
        let squashed = squash(niche);
        if let Some(v) = self
            .verticals
            .iter()
            .find(|v| v.categories.iter().any(|c| squash(c) == squashed))
        {
            return Some(v);
        }
        let niche_words = words(niche);
        let mut best: Option<(&Vertical, usize)> = None;
        for v in &self.verticals {
            for k in &v.keywords {
                if names(k, &niche_words, &squashed) && best.is_none_or(|(_, len)| k.chars().count() > len) {
                    best = Some((v, k.chars().count()));
                }
            }
        }
        best.map(|(v, _)| v)
    }

    /// The tier of `kind` a vertical is in (tier 0 for none known), with its multiplier.
    pub fn tier_multiplier(&self, kind: MoneyKind, vertical: Option<&Vertical>) -> Option<Multiplier> {
        let tier = match (kind, vertical) {
            (_, None) => 0,
            (MoneyKind::Ad, Some(v)) => v.ad_tier,
            (MoneyKind::Sponsor, Some(v)) => v.sponsor_tier,
        };
        self.money_tiers
            .iter()
            .find(|t| t.kind == kind && t.tier == tier)
            .map(MoneyTier::multiplier)
    }

    /// The names of the verticals, for messages.
    pub fn vertical_names(&self) -> Vec<&str> {
        self.verticals.iter().map(|v| v.name.as_str()).collect()
    }
}

/// A reference's tiers and verticals hold together: multipliers inside their ranges, every
/// vertical's tiers present.
pub fn check(r: &Reference, path: &Path) -> Result<()> {
    for t in &r.money_tiers {
        let ok = t.low > 0.0 && t.low <= t.multiplier && t.multiplier <= t.high && t.high.is_finite();
        if !ok {
            return Err(Error::file(
                path,
                format!(
                    "the {:?} money tier {} has multiplier {} outside its range [{}, {}] (all must be above 0)",
                    t.kind, t.tier, t.multiplier, t.low, t.high
                ),
                "fix that tier's numbers",
            ));
        }
    }
    for v in &r.verticals {
        for (kind, tier) in [(MoneyKind::Ad, v.ad_tier), (MoneyKind::Sponsor, v.sponsor_tier)] {
            if !r.money_tiers.iter().any(|t| t.kind == kind && t.tier == tier) {
                return Err(Error::file(
                    path,
                    format!(
                        "vertical {:?} is in {kind:?} tier {tier}, which the file does not define",
                        v.name
                    ),
                    "add that [[money_tier]], or put the vertical in a tier the file has",
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn niches_find_their_vertical_by_category_and_keyword() {
        let r = Reference::built_in();
        let v = |n: &str| r.vertical_of(n, None).map(|v| v.name.as_str());
        assert_eq!(v("Personal finance"), Some("finance"));
        assert_eq!(v("理财入门"), Some("finance"));
        assert_eq!(v("AI工具"), Some("tech"));
        assert_eq!(v("Science & Technology"), Some("tech"));
        assert_eq!(v("美妆护肤"), Some("beauty"));
        assert_eq!(v("母婴育儿"), Some("parenting"));
        assert_eq!(v("Gaming"), Some("gaming"));
        assert_eq!(v("游戏解说"), Some("gaming"));
        assert_eq!(v("搞笑段子"), Some("comedy"));
        assert_eq!(v("Music"), Some("music"));
        // Whole words only: "ai" is not in "hair", "art" not in "smart".
        assert_ne!(v("Hair care"), Some("tech"));
        assert_eq!(v("Smartphones"), None);
        assert_eq!(v("something else entirely"), None);
        // The settings decide where they say.
        assert_eq!(
            r.vertical_of("something else entirely", Some("finance"))
                .map(|v| v.name.as_str()),
            Some("finance")
        );
    }

    #[test]
    fn ad_tiers_follow_the_published_order_and_sponsorship_its_own() {
        let r = Reference::built_in();
        let ad = |n: &str| {
            r.tier_multiplier(MoneyKind::Ad, r.vertical_of(n, None))
                .map(|m| m.value)
                .unwrap_or(f64::NAN)
        };
        let sponsor = |n: &str| {
            r.tier_multiplier(MoneyKind::Sponsor, r.vertical_of(n, None))
                .map(|m| m.value)
                .unwrap_or(f64::NAN)
        };
        assert!(ad("Finance") > ad("Education") && ad("Education") > ad("Howto & Style"));
        assert!(ad("Howto & Style") > ad("Gaming") && ad("Gaming") == ad("Music"));
        // Sponsorship: beauty first, gaming not at the bottom.
        assert!(sponsor("美妆护肤") > sponsor("Finance") && sponsor("Gaming") > sponsor("Comedy"));
        // No vertical known: the platform's typical rate, with a wide range.
        let unknown = r.tier_multiplier(MoneyKind::Ad, None).expect("tier 0");
        let known = r
            .tier_multiplier(MoneyKind::Ad, r.vertical_of("Finance", None))
            .expect("tier 1");
        assert_eq!(unknown.value, 1.0);
        assert!(unknown.log_sd > known.log_sd);
    }
}
