//! The accounts behind a niche (METHOD.md §2, accounts to look at): its head (头部, the top
//! `head_fraction` by followers, a tenth by default) and the mid-tier (腰部) accounts that do better than accounts of their size on
//! their platform, in engagement rate and in reach, both where both are known.

use serde::{Deserialize, Serialize};

use super::breakouts::TopPost;
use super::params::Params;
use super::units::Unit;

/// Accounts listed per role.
pub const SHOWN: usize = 10;

/// One account to look at, as report.json's `niches[].top_accounts` gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leader {
    pub account: String,
    /// Its name, where the account list or its posts give one beside the id.
    pub name: Option<String>,
    pub platform: String,
    /// `head` (the top `head_fraction` by followers) or `mid_tier_outperformer` (腰部, above the platform's
    /// typical account of its size in engagement rate and reach).
    pub role: String,
    pub followers: Option<f64>,
    pub follower_growth_monthly: Option<f64>,
    pub posts_per_week: Option<f64>,
    /// Its typical engagement per post (the median over its posts).
    pub engagement_per_post: Option<f64>,
    /// Its engagement rate and reach as shares of the platform's accounts of its size below it.
    pub engagement_rate_share: Option<f64>,
    pub views_share: Option<f64>,
    /// Sponsored posts ÷ posts whose flag is known.
    pub sponsored_share: Option<f64>,
    pub price: Option<f64>,
    /// Its post with the most engagement (a report run's: the others keep no titles).
    pub best_post: Option<TopPost>,
}

pub const HEAD: &str = "head";
pub const MID_OUTPERFORMER: &str = "mid_tier_outperformer";

/// A niche's head and its mid-tier accounts that outperform their size, from its units.
pub fn of(units: &[Unit], params: &Params) -> Vec<Leader> {
    let accounts: Vec<&Unit> = units.iter().filter(|u| u.account.is_some()).collect();
    let mut head = params.head_by_followers(&accounts);
    head.truncate(SHOWN);
    let mut out: Vec<Leader> = head.iter().map(|u| leader(u, HEAD)).collect();
    // 腰部 accounts above their size on every placement they have (at least one), the head's
    // left out (listed once).
    let mut mid: Vec<(f64, &Unit)> = accounts
        .iter()
        .copied()
        .filter(|u| !head.iter().any(|h| std::ptr::eq(*h, *u)))
        .filter(|u| params.is_mid_tier(u))
        .filter_map(|u| {
            let shares: Vec<f64> = [u.er_share, u.views_share].into_iter().flatten().collect();
            (!shares.is_empty() && shares.iter().all(|&s| s > 0.5))
                .then(|| (shares.iter().sum::<f64>() / shares.len() as f64, u))
        })
        .collect();
    mid.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.account.cmp(&b.1.account)));
    out.extend(mid.into_iter().take(SHOWN).map(|(_, u)| leader(u, MID_OUTPERFORMER)));
    out
}

fn leader(u: &Unit, role: &str) -> Leader {
    Leader {
        account: u.account.clone().unwrap_or_default(),
        name: None,
        platform: u.platform.clone(),
        role: role.to_string(),
        followers: u.followers,
        follower_growth_monthly: u.follower_growth_monthly,
        posts_per_week: u.posts_per_week,
        engagement_per_post: u.engagement_per_post,
        engagement_rate_share: u.er_share,
        views_share: u.views_share,
        sponsored_share: (u.sponsored_known > 0).then(|| u.sponsored_yes as f64 / u.sponsored_known as f64),
        price: u.price,
        best_post: None,
    }
}
