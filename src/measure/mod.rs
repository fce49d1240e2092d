//! Stage 3: [`Tables`] -> [`Metrics`]: per-account and per-niche numbers. Pure: no I/O.
//!
//! Posts, gathered per account by the reading stage ([`PostSet`]), are aggregated per (niche,
//! platform, account) into [`Unit`]s (the account list and snapshots are read from their Polars
//! frames), so no post-sized join is ever built; each niche is then measured from its units alone
//! ([`niche::measure`]), which is also what the bootstrap resamples. Every measure is `None` where the inputs hold no
//! evidence for it; METHOD.md defines each one.

pub mod breakouts;
pub mod calibrate;
pub mod fit_reference;
pub mod inside;
pub mod leaders;
pub mod me;
pub mod niche;
pub mod params;
pub mod placed;
pub mod resample;
pub mod signals;
pub mod stats;
pub mod style;
pub mod units;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::normalise::posts::PostSet;
pub use niche::{Context, NicheMetrics};
pub use params::Params;
pub use units::Unit;

use crate::error::Result;
use crate::normalise::fields::Field;
use crate::normalise::mapping::Kind;
use crate::normalise::Tables;

/// Chinese tier names, in the order of [`NicheMetrics::tiers`].
pub const TIER_NAMES: [&str; 4] = ["素人 nano", "初级 micro", "腰部 mid", "头部 head"];
/// Global tier names, in the order of [`NicheMetrics::global_tiers`].
pub const GLOBAL_TIER_NAMES: [&str; 5] = ["nano", "micro", "mid", "macro", "mega"];

/// The measured niches, and the units behind them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Metrics {
    pub niches: Vec<NicheMetrics>,
    /// Every unit, grouped by niche in the order of `niches`.
    pub units: Vec<Vec<Unit>>,
    /// The interaction counts that engagement sums, as present in the inputs.
    #[serde(deserialize_with = "crate::statics::list")]
    pub engagement_components: Vec<crate::statics::Label>,
    pub context: Context,
    pub params: Params,
    /// Your account's units (`--me`), one per niche it posts in, taken out of the niches.
    #[serde(default)]
    pub me: Vec<Unit>,
    /// How each platform's scale for each measure was set: the reference, the crawl or both
    /// (method 2.1; `params.reference` is the calibrated reference).
    #[serde(default)]
    pub calibration: Vec<calibrate::Calibration>,
    /// Your account's posts at both ends, per niche (`--me` with an account of the inputs, in a run
    /// that keeps the posts' titles; `None` otherwise).
    #[serde(default)]
    pub me_posts: Option<Vec<breakouts::OwnPosts>>,
}

/// Where the units' post numbers come from: the posts themselves, or the units step already
/// done (by an engine running [`crate::exchange::sql`]).
pub enum FromPostsOf<'a> {
    Posts(&'a PostSet),
    Units {
        posts_read: usize,
        units: Vec<units::FromPosts>,
        style: &'a BTreeMap<String, style::StyleCounts>,
    },
}

/// Measure every niche.
pub fn compute(tables: &Tables, params: &Params) -> Result<Metrics> {
    let from_store;
    let posts = match &tables.post_set {
        Some(set) => set,
        None => {
            let t = crate::timing::Timer::start("  posts by unit");
            from_store = PostSet::from_store(&tables.posts);
            t.done();
            &from_store
        }
    };
    compute_from(tables, params, FromPostsOf::Posts(posts))
}

/// Measure every niche from the account list and snapshots of `tables` and the units' post
/// numbers from `source`.
pub fn compute_from(tables: &Tables, params: &Params, mut source: FromPostsOf<'_>) -> Result<Metrics> {
    let posts_read = match &source {
        FromPostsOf::Posts(set) => set.rows,
        FromPostsOf::Units { posts_read, .. } => *posts_read,
    };
    let context = Context {
        has_posts: posts_read > 0,
        accounts_known: tables.accounts.height() > 0
            || tables.has(Kind::Posts, Field::AccountId)
            || tables.has(Kind::Posts, Field::AccountName),
    };
    let mut by_niche: BTreeMap<String, Vec<Unit>> = BTreeMap::new();
    let t = crate::timing::Timer::start("  units");
    let built = match &mut source {
        FromPostsOf::Posts(set) => units::build(tables, set)?,
        FromPostsOf::Units { units, .. } => units::build_with(tables, std::mem::take(units))?,
    };
    let (mut me, mut built) = me::take(built, tables, params)?;
    let engagement_components: Vec<&'static str> = [
        (Field::Likes, "likes"),
        (Field::Comments, "comments"),
        (Field::Shares, "shares"),
        (Field::Collects, "collects"),
    ]
    .into_iter()
    .filter(|(f, _)| tables.has(Kind::Posts, *f))
    .map(|(_, n)| n)
    .collect();
    // Method 2.1: the scales that are not exact, calibrated from the crawl (your own account
    // left out: you are not your own yardstick); every later step reads the calibrated reference.
    let (reference, calibration) = calibrate::calibrate(&built, &params.reference, &engagement_components);
    let mut params = params.clone();
    params.reference = reference;
    let params = &params;
    placed::place(&mut built, params);
    placed::place_beside(&mut me, &built, params);
    t.done();
    for u in built {
        by_niche.entry(u.niche.clone()).or_default().push(u);
    }
    let t = crate::timing::Timer::start("  niches");
    let multi = &tables.posts_in_other_niches;
    let by_niche: Vec<(String, Vec<Unit>)> = by_niche.into_iter().collect();
    let mut niches = crate::par::map(&by_niche, |(name, list)| {
        let refs: Vec<&Unit> = list.iter().collect();
        niche::measure(name, &refs, context, params)
    });
    for m in &mut niches {
        m.posts_in_other_niches = multi.get(&m.niche).copied().unwrap_or(0);
    }
    let units: Vec<Vec<Unit>> = by_niche.into_iter().map(|(_, list)| list).collect();
    t.done();
    let t = crate::timing::Timer::start("  style");
    let mut styles = match &source {
        FromPostsOf::Posts(set) => style::compute(set, &units),
        FromPostsOf::Units { style, .. } => style::from_counts(style),
    };
    t.done();
    let t = crate::timing::Timer::start("  breakouts and leaders");
    let inside = inside::of(tables, &units, &me, params);
    t.done();
    let (mut top_posts, mut top_accounts) = (inside.top_posts, inside.top_accounts);
    for m in &mut niches {
        m.style = styles.remove(&m.niche);
        m.top_posts = top_posts.as_mut().map(|b| b.remove(&m.niche).unwrap_or_default());
        m.top_accounts = top_accounts.remove(&m.niche).unwrap_or_default();
    }
    Ok(Metrics {
        niches,
        units,
        engagement_components,
        context,
        params: params.clone(),
        me,
        calibration,
        me_posts: inside.me_posts,
    })
}
