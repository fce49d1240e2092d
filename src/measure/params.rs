//! The settings the measures read ([`Params`]): tiers, the head, breakouts, evidence floors,
//! money and hours, the reference scales, your account. Below every measure that reads them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Thresholds the measures use; METHOD.md gives the defaults and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Params {
    /// Chinese tiers (新红): 素人 < b₀ ≤ 初级 < b₁ ≤ 腰部 < b₂ ≤ 头部.
    pub tier_bounds: [f64; 3],
    /// Global tiers: nano < b₀ ≤ micro < b₁ ≤ mid < b₂ ≤ macro < b₃ ≤ mega.
    pub global_tier_bounds: [f64; 4],
    /// The head of a niche: this fraction of its accounts, rounded up.
    pub head_fraction: f64,
    /// Accounts below this many followers are "small" for breakout odds.
    pub small_account_max: f64,
    /// A breakout post has at least this multiple of the niche's median engagement per post.
    pub breakout_multiple: f64,
    /// Breakout posts listed per niche (`top_posts`; 0: all of them).
    pub top_posts: usize,
    /// Weeks with posts needed before a trend is measured.
    pub min_trend_weeks: usize,
    /// Below these a niche is flagged low-evidence.
    pub min_accounts: u64,
    pub min_posts: u64,
    /// Chinese tier bounds for particular platforms, overriding `tier_bounds`.
    pub platform_tier_bounds: BTreeMap<String, [f64; 3]>,
    /// USD per 1,000 views, [low, high], per platform; "default" for the rest.
    pub cpm: BTreeMap<String, [f64; 2]>,
    /// Hours to make one post, per canonical format; "default" for unknown formats.
    pub hours: BTreeMap<String, f64>,
    /// The reference scales a niche is judged against (method 2.0).
    pub reference: crate::reference::Reference,
    /// Your account (`--me`: an id or name in the inputs): measured apart, never a competitor.
    pub me: Option<String>,
    /// Your follower count (`--me-followers`), for an export of your own (`--me FILE`), which
    /// does not state it.
    pub me_followers: Option<f64>,
    /// A niche's vertical where the settings set it (niche name -> vertical name), for the
    /// money per vertical (method 2.1).
    pub verticals: BTreeMap<String, String>,
}

impl Params {
    pub(crate) fn tiers_for(&self, platform: &str) -> &[f64; 3] {
        self.platform_tier_bounds.get(platform).unwrap_or(&self.tier_bounds)
    }

    /// The Chinese tier of an account of `followers` on `platform`: 0 素人, 1 初级, 2 腰部, 3 头部.
    pub(crate) fn tier_of(&self, platform: &str, followers: f64) -> usize {
        self.tiers_for(platform).iter().filter(|&&b| followers >= b).count()
    }

    /// Whether an account is 腰部 (mid-tier) on its platform.
    pub(crate) fn is_mid_tier(&self, u: &super::Unit) -> bool {
        u.followers.is_some_and(|f| self.tier_of(&u.platform, f) == 2)
    }

    /// The head of `accounts`: the top `head_fraction` of those with followers (rounded up), by
    /// followers, ties by account.
    pub(crate) fn head_by_followers<'u>(&self, accounts: &[&'u super::Unit]) -> Vec<&'u super::Unit> {
        let mut by_followers: Vec<&super::Unit> = accounts.iter().copied().filter(|u| u.followers.is_some()).collect();
        by_followers.sort_by(|a, b| {
            b.followers
                .unwrap_or(0.0)
                .total_cmp(&a.followers.unwrap_or(0.0))
                .then(a.account.cmp(&b.account))
        });
        let k = ((self.head_fraction * by_followers.len() as f64).ceil() as usize).min(by_followers.len());
        by_followers.truncate(k);
        by_followers
    }

    pub(super) fn cpm_for(&self, platform: &str) -> Option<[f64; 2]> {
        self.cpm.get(platform).or_else(|| self.cpm.get("default")).copied()
    }

    pub(crate) fn hours_for(&self, format: &str) -> Option<f64> {
        self.hours.get(format).or_else(|| self.hours.get("default")).copied()
    }

    /// Hours to make one post, averaged over a mix of (format, posts) with the hours per format;
    /// the default format's hours where no post has a format. `None` where no format of the mix
    /// has hours.
    pub(crate) fn hours_per_post<'a>(&self, formats: impl IntoIterator<Item = (&'a str, u64)>) -> Option<f64> {
        let (mut posts, mut with_hours, mut hours) = (0u64, 0.0f64, 0.0f64);
        for (format, n) in formats {
            posts += n;
            if let Some(h) = self.hours_for(format) {
                with_hours += n as f64;
                hours += n as f64 * h;
            }
        }
        if posts == 0 {
            return self.hours_for("default");
        }
        (with_hours > 0.0).then(|| hours / with_hours)
    }
}

impl Default for Params {
    fn default() -> Self {
        Params {
            tier_bounds: [5_000.0, 50_000.0, 500_000.0],
            global_tier_bounds: [10_000.0, 50_000.0, 500_000.0, 1_000_000.0],
            head_fraction: 0.1,
            small_account_max: 10_000.0,
            breakout_multiple: 3.0,
            top_posts: super::breakouts::TOP_POSTS,
            min_trend_weeks: 4,
            min_accounts: 5,
            min_posts: 20,
            platform_tier_bounds: BTreeMap::new(),
            // The lowest category band of a published YouTube CPM table (entertainment, $5–12);
            // Upfluence's industry default of $6.50 lies inside it. An estimate; override per platform.
            cpm: [("default".to_string(), [5.0, 12.0])].into_iter().collect(),
            // Assumed hours to make one post; a profile or config should replace them.
            hours: [
                ("image", 2.0),
                ("short_video", 4.0),
                ("long_video", 10.0),
                ("text", 1.5),
                ("default", 3.0),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            reference: crate::reference::Reference::built_in(),
            me: None,
            me_followers: None,
            verticals: BTreeMap::new(),
        }
    }
}
