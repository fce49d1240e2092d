//! What the HTML page and the charts are drawn from: `report.json`, read back.
//!
//! `niche score --report` writes the [`super::ScoreReport`] view model as `report.json` and then
//! renders the page from that JSON, exactly as `niche report` does later; so a page can always be
//! re-rendered from its folder alone, and what the page shows is what the JSON holds. These types
//! own their text and name only the fields the page uses: unknown fields are ignored and missing
//! ones take their empty value, so a hand-edited or older report.json still renders.

use std::collections::BTreeMap;

pub use super::questions::Answer;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Page {
    pub method_version: String,
    pub inputs: Vec<Input>,
    pub warnings: Vec<Warning>,
    pub notes: Vec<String>,
    pub engagement_components: Vec<String>,
    pub engagement_rate_basis: Option<String>,
    pub measures_used: BTreeMap<String, Vec<String>>,
    pub reference: ReferenceUsed,
    /// How each platform's scale was set (method 2.1).
    pub calibration: Vec<Calibration>,
    pub robustness: Option<Robustness>,
    /// Your account against each niche (`--me`).
    pub me: Option<Me>,
    pub weights: BTreeMap<String, f64>,
    pub bootstrap: Bootstrap,
    pub niches: Vec<Niche>,
    pub sensitivity: Vec<Sensitivity>,
    pub profile: Option<Value>,
    /// Written by `niche run` when an earlier run exists: niches whose rank or score changed.
    pub since_last_run: Option<Vec<Change>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReferenceUsed {
    pub name: String,
    pub date: String,
    pub origin: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Calibration {
    pub platform: String,
    pub measure: String,
    pub source: String,
    pub reference_scale_of: String,
    pub niches: usize,
    pub accounts: usize,
    pub shift: f64,
    pub additive: bool,
    pub uncertainty: f64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Me {
    pub account: String,
    pub platform: String,
    pub followers: Option<f64>,
    pub tier: Option<String>,
    pub niches: Vec<MeInNiche>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MeInNiche {
    pub niche: String,
    pub yours: bool,
    pub other_platforms: bool,
    pub accounts: usize,
    pub standings: Vec<MeStanding>,
    pub breakout_bar: Option<f64>,
    pub your_typical_post: Option<f64>,
    pub accounts_with_breakouts: Option<usize>,
    pub your_best_posts: Option<Vec<crate::measure::breakouts::TopPost>>,
    pub your_worst_posts: Option<Vec<crate::measure::breakouts::TopPost>>,
    pub your_engagement_trend_monthly: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MeStanding {
    pub measure: String,
    pub yours: f64,
    pub percentile: Option<f64>,
    pub tier_percentile: Option<f64>,
    pub mid_tier_median: Option<f64>,
    pub head_median: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Robustness {
    pub draws: usize,
    pub top_pick: String,
    pub top_pick_stays: f64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Change {
    pub niche: String,
    pub before: Option<Standing>,
    pub after: Option<Standing>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Standing {
    pub rank: usize,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Bootstrap {
    pub resamples: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Input {
    pub path: String,
    pub format: String,
    pub encoding: String,
    pub kind: Option<String>,
    pub platform: String,
    pub rows_read: usize,
    pub skipped: Skipped,
    pub deduplicated: usize,
    pub deduplicated_conflicting: usize,
    pub rows_used: usize,
    pub rows_without_niche: usize,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Skipped {
    pub banner: usize,
    pub total: usize,
    pub blank: usize,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Problem {
    pub column: String,
    pub unreadable: usize,
    pub negative: usize,
    pub implausible: usize,
    pub censored: usize,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Warning {
    pub path: Option<String>,
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Niche {
    pub rank: usize,
    pub niche: String,
    pub platforms: Vec<String>,
    pub accounts: Option<u64>,
    pub posts: Option<u64>,
    pub accounts_with_followers: u64,
    pub followers_total: Option<f64>,
    pub top10_follower_share: Option<f64>,
    pub gini: Option<f64>,
    pub tiers: [u64; 4],
    pub weekly_trend: Vec<(String, f64)>,
    /// The demand signal relative to its median reading (`--signals`).
    pub search_series: Vec<(String, f64)>,
    pub search_trend_monthly: Option<f64>,
    pub engagement_trend_monthly: Option<f64>,
    pub trend_p_value: Option<f64>,
    pub style: Option<Style>,
    pub top_posts: Option<Vec<crate::measure::breakouts::TopPost>>,
    pub top_accounts: Vec<crate::measure::leaders::Leader>,
    pub low_evidence: bool,
    pub demand: Option<f64>,
    pub business: Option<f64>,
    pub traffic: Option<f64>,
    pub score: Option<f64>,
    pub score_ceiling: Option<f64>,
    pub provisional: Vec<String>,
    pub intervals: BTreeMap<String, Interval>,
    pub p_first: Option<f64>,
    pub p_above_next: Option<f64>,
    pub next_niche: Option<String>,
    pub rank_interval: Option<(usize, usize)>,
    pub evidence: Vec<Evidence>,
    pub by_platform: Vec<PlatformScore>,
    pub start_on: Option<String>,
    pub personal: Option<Personal>,
    pub questions: Vec<Answer>,
}

impl Niche {
    /// The 95% interval of a factor or the score, when the bootstrap gave one.
    pub fn interval(&self, key: &str) -> Option<(f64, f64)> {
        let i = self.intervals.get(key)?;
        Some((i.low?, i.high?))
    }
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(default)]
pub struct Interval {
    pub low: Option<f64>,
    pub high: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Evidence {
    pub factor: String,
    pub sub_factor: String,
    pub measure: String,
    pub value: Option<f64>,
    pub scale: Option<f64>,
    pub weight: f64,
    pub provisional: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PlatformScore {
    pub platform: String,
    pub accounts: Option<u64>,
    pub posts: Option<u64>,
    pub low_evidence: bool,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Personal {
    pub fit: f64,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Style {
    pub posts: u64,
    pub top_posts: u64,
    pub traits: Vec<Lift>,
    pub tags: Vec<Lift>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Lift {
    pub name: String,
    pub share_top: f64,
    pub share_all: f64,
    pub lift: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Sensitivity {
    pub sub_factor: String,
    pub weight: f64,
    pub low: Vec<(String, Option<f64>, usize)>,
    pub high: Vec<(String, Option<f64>, usize)>,
    pub rank_changes: Vec<String>,
}

impl Page {
    /// The niche the report recommends: the best-ranked one with a score and enough evidence.
    pub fn pick(&self) -> Option<&Niche> {
        self.niches.iter().find(|n| n.score.is_some() && !n.low_evidence)
    }

    /// The best personal pick, with a profile.
    pub fn personal_pick(&self) -> Option<&Niche> {
        self.profile.as_ref()?;
        self.niches
            .iter()
            .filter(|n| !n.low_evidence)
            .filter_map(|n| Some((n, n.personal.as_ref()?.score?)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.rank.cmp(&a.0.rank)))
            .map(|(n, _)| n)
    }
}

/// Read a report.json; a fault points at its line and column (serde_json counts both from 1).
pub fn parse(bytes: &[u8], path: &std::path::Path) -> crate::error::Result<Page> {
    use crate::error::{DataFault, Error, Location};
    serde_json::from_slice(bytes).map_err(|e| {
        let text = String::from_utf8_lossy(bytes);
        let snippet = text.lines().nth(e.line().saturating_sub(1)).map(str::to_string);
        Error::Data(Box::new(DataFault {
            location: Location {
                path: path.to_path_buf(),
                line: e.line(),
                column: Some(e.column().max(1)),
                column_name: None,
                snippet,
                span: 1,
            },
            value: None,
            message: format!("not a report this version can read: {e}"),
            expected: Some("the report.json that `niche score --report DIR` writes".to_string()),
            hint: "re-run `niche score ... --report DIR` to write a fresh report.json".to_string(),
        }))
    })
}
