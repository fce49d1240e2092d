//! A test world that is not circular (`niche gen --world confounded`, METHOD.md §3, checking the
//! method): each niche has a latent demand D, business B and traffic T in [0, 1] and a worth
//! W = D × B × T (truth.json), and the files show them only through what a crawl of real
//! platforms would show, with the confounders real exports carry.
//!
//! D sets the followers of the niche's accounts and their growth; T their engagement rate and
//! reach beyond their followers; B is what an hour of the work earns for an account of 10万
//! followers, r, as r ÷ (1 + r) against an hour's wage: it follows from the niche's latent money
//! level m (how often brands sponsor it and what they pay), its platforms' own prices and ad
//! revenue rates and the hours its format truly takes. The world's prices, ad rates and hours are
//! its own, not the reference's (the method assumes 2, 4 and 10 hours per image, short and long
//! video; here they take 3, 5 and 12). The confounders:
//!
//! - accounts crawled per niche unrelated to worth (a crawl takes what the search returns);
//! - platforms of different scale: Douyin accounts have more followers and views than Bilibili's,
//!   Xiaohongshu's fewer;
//! - engagement rate falling with account size, as every published tier table shows;
//! - post age: likes still coming in on the last days' posts at the crawl;
//! - 10万+ caps on likes, as Chinese apps show them;
//! - no sponsorship flag on Douyin rows (its search pages do not say);
//! - posting cadence and follower concentration unrelated to worth;
//! - rows in crawl order, accounts interleaved.
//!
//! Two niches are set: one with huge demand and traffic but no business (no sponsored post, no
//! price, on a platform that shares no ad revenue), and a small niche that pays well. Nothing here
//! reads the reference: the world's scales are its own.

use std::io::{self, Write};

use serde::Serialize;

use super::{date, datetime, Rng, START, WEEK};

/// What a niche is, in truth.
#[derive(Debug, Clone, Serialize)]
pub struct Latent {
    pub niche: String,
    pub demand: f64,
    pub business: f64,
    pub traffic: f64,
    /// The niche's money level: sponsored share 0.35 m, prices × e^(1.5 (m − 0.5)).
    pub money: f64,
    /// What an hour earns at 10万 followers ÷ an hour's wage (business = r ÷ (1 + r)).
    pub earnings_per_hour_ratio: f64,
    pub format: String,
    /// demand × business × traffic.
    pub worth: f64,
    pub accounts: usize,
    pub platform: String,
    pub second_platform: Option<String>,
    /// Why the niche is as it is, where it was set rather than drawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set: Option<&'static str>,
}

/// (name, follower scale, views per follower scale, engagement scale, price per 10k followers,
/// ad revenue per 1,000 views, an hour's wage), in the platform's currency.
type Economy = (&'static str, f64, f64, f64, f64, f64, f64);
const PLATFORMS: [Economy; 4] = [
    ("xiaohongshu", 0.7, 0.8, 1.2, 700.0, 0.0, 32.86),
    ("douyin", 3.0, 4.0, 1.5, 450.0, 1.0, 32.86),
    ("bilibili", 1.0, 1.5, 0.8, 1500.0, 4.0, 32.86),
    ("youtube", 1.5, 1.0, 0.6, 200.0, 2.5, 30.35),
];
/// Formats and the hours a post truly takes in this world.
const FORMATS: [(&str, f64); 3] = [("image", 3.0), ("short_video", 5.0), ("long_video", 12.0)];
/// Accounts are judged at this many followers (10万).
const AT_SCALE: f64 = 100_000.0;

fn platform(name: &str) -> Economy {
    PLATFORMS.iter().copied().find(|p| p.0 == name).unwrap_or(PLATFORMS[0])
}

/// Mean reach (views ÷ followers) of a niche with traffic `t` on a platform.
fn mean_reach(t: f64, v_scale: f64) -> f64 {
    0.3 * v_scale * (2.0 * (t - 0.5)).exp()
}

/// What an hour earns at 10万 followers ÷ an hour's wage, on one platform: sponsored posts at the
/// niche's share and price level, plus ad revenue on the views such an account gets.
fn earnings_ratio(money: f64, t: f64, economy: Economy, hours: f64) -> f64 {
    let (_, _, v_scale, _, price_10k, rpm, wage) = economy;
    let sponsored = 0.35 * money * price_10k * AT_SCALE / 10_000.0 * (1.5 * (money - 0.5)).exp();
    let ad = AT_SCALE * mean_reach(t, v_scale) * rpm / 1000.0;
    (sponsored + ad) / (wage * hours)
}

/// The niches of a world: `n` of them, `accounts` accounts shared out at random.
pub fn plan(seed: u64, n: usize, accounts: usize) -> Vec<Latent> {
    let n = n.max(2);
    let mut rng = Rng::new(seed ^ 0x0057_0A1D);
    let shares: Vec<f64> = (0..n).map(|_| 0.3 + 1.4 * rng.unit()).collect();
    let total: f64 = shares.iter().sum();
    (0..n)
        .map(|i| {
            let (mut d, mut m, mut t) = (0.1 + 0.8 * rng.unit(), 0.1 + 0.8 * rng.unit(), 0.1 + 0.8 * rng.unit());
            let mut main = PLATFORMS[rng.below(PLATFORMS.len())].0;
            let second = PLATFORMS[rng.below(PLATFORMS.len())].0;
            let format = FORMATS[rng.below(FORMATS.len())];
            let mut set = None;
            if i == 0 {
                (d, m, t) = (0.95, 0.0, 0.95);
                main = "xiaohongshu";
                set = Some("huge demand and traffic, no business: no sponsored post, no price, no ad revenue share");
            } else if i == 1 {
                (d, m, t) = (0.15, 0.95, 0.5);
                set = Some("a small niche that pays well");
            }
            let second = (second != main && i != 0).then(|| second.to_string());
            // Accounts: three in four on the main platform.
            let r = 0.75 * earnings_ratio(m, t, platform(main), format.1)
                + 0.25 * earnings_ratio(m, t, platform(second.as_deref().unwrap_or(main)), format.1);
            let b = r / (1.0 + r);
            Latent {
                niche: super::NAMES
                    .get(i)
                    .map_or_else(|| format!("niche-{}", i + 1), |s| s.to_string()),
                demand: d,
                business: b,
                traffic: t,
                money: m,
                earnings_per_hour_ratio: r,
                format: format.0.to_string(),
                worth: d * b * t,
                accounts: ((accounts as f64 * shares[i] / total).round() as usize).max(6),
                platform: main.to_string(),
                second_platform: second,
                set,
            }
        })
        .collect()
}

/// Write a world's accounts, posts (about `posts` of them, in crawl order) and snapshots.
pub fn write(
    seed: u64,
    world: &[Latent],
    posts: usize,
    weeks: u32,
    accounts_out: &mut dyn Write,
    posts_out: &mut dyn Write,
    snapshots_out: &mut dyn Write,
) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    writeln!(accounts_out, "account_id,name,platform,niche,followers,price_per_post")?;
    writeln!(snapshots_out, "account_id,date,followers")?;
    let total_accounts: usize = world.iter().map(|w| w.accounts).sum();
    let per_account = (posts as f64 / total_accounts.max(1) as f64).max(2.0);
    let span = f64::from(weeks.max(2)) * WEEK as f64;
    let crawl = START + span as i64;
    let mut rows: Vec<String> = Vec::new();
    let mut id = 0usize;
    let mut post_id = 0u64;
    for w in world {
        // Follower concentration is the niche's own, unrelated to its worth.
        let spread = 0.8 + 1.0 * rng.unit();
        let median = 3_000.0 * 100f64.powf(w.demand);
        let growth = -0.01 + 0.05 * w.demand;
        for k in 0..w.accounts {
            id += 1;
            let name = match (&w.second_platform, k % 4) {
                (Some(second), 3) => second.as_str(),
                _ => w.platform.as_str(),
            };
            let (platform, f_scale, v_scale, e_scale, price_10k, _, _) = platform(name);
            let followers = (f_scale * median * (spread * rng.normal()).exp())
                .clamp(300.0, 5e8)
                .round();
            let price = (w.money > 0.0 && rng.unit() < 0.7).then(|| {
                (price_10k * followers / 10_000.0 * (1.5 * (w.money - 0.5) + 0.3 * rng.normal()).exp()).round()
            });
            writeln!(
                accounts_out,
                "u{id},creator {id},{platform},{},{followers},{}",
                w.niche,
                price.map_or_else(String::new, |p| p.to_string())
            )?;
            for s in 0..=(weeks / 4) {
                let t = START + i64::from(s) * 4 * WEEK;
                let months_before = (crawl - t) as f64 / (crate::measure::stats::DAYS_PER_MONTH * 86_400.0);
                let f = followers * (1.0 + growth).powf(-months_before) * (0.02 * rng.normal()).exp();
                writeln!(snapshots_out, "u{id},{},{}", date(t), f.round())?;
            }
            // Engagement rate falls with size; traffic lifts it.
            let er = 0.03
                * e_scale
                * (followers / 10_000.0).powf(-0.2)
                * (1.6 * (w.traffic - 0.5) + 0.4 * rng.normal()).exp();
            let reach = mean_reach(w.traffic, v_scale) * (0.3 * rng.normal()).exp();
            let sponsored_share = 0.35 * w.money;
            let cadence_posts = (per_account * (0.3 + 1.4 * rng.unit())).round().max(2.0) as usize;
            for _ in 0..cadence_posts {
                post_id += 1;
                let at = START + (rng.unit() * span) as i64;
                let age_days = (crawl - at) as f64 / 86_400.0;
                // Likes still coming in: a post has most of its likes after a few days.
                let collected = 1.0 - (-age_days / 2.0).exp();
                let base = followers * er * (0.5 * rng.normal()).exp() * collected;
                let likes = base.round();
                let comments = (likes * 0.06 * (0.3 * rng.normal()).exp()).round();
                let shares = (likes * 0.04 * (0.3 * rng.normal()).exp()).round();
                let collects = (likes * 0.3 * (0.3 * rng.normal()).exp()).round();
                let views = (followers * reach * (0.6 * rng.normal()).exp() * collected)
                    .round()
                    .max(likes);
                let sponsored = rng.unit() < sponsored_share;
                let flag = if platform == "douyin" {
                    ""
                } else if sponsored {
                    "true"
                } else {
                    "false"
                };
                let likes_cell = if likes >= 100_000.0 {
                    "10万+".to_string()
                } else {
                    likes.to_string()
                };
                rows.push(format!(
                    "q{post_id},u{id},{},{likes_cell},{comments},{shares},{collects},{views},{flag},{},post {post_id}\n",
                    datetime(at),
                    w.format
                ));
            }
        }
    }
    Rng::new(seed ^ 0x00C7_A3B1).shuffle(&mut rows);
    writeln!(
        posts_out,
        "post_id,account_id,published_at,likes,comments,shares,collects,views,is_sponsored,format,title"
    )?;
    for r in rows {
        posts_out.write_all(r.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worth_is_the_product_and_the_set_niches_are_there() {
        let world = plan(3, 10, 600);
        assert_eq!(world.len(), 10);
        for w in &world {
            assert!((w.worth - w.demand * w.business * w.traffic).abs() < 1e-12);
        }
        assert_eq!(world[0].business, 0.0);
        assert!(world[0].demand > 0.9 && world[0].traffic > 0.9);
        assert!(world[1].demand < 0.2 && world[1].money > 0.9 && world[1].business > 0.5);
    }

    #[test]
    fn same_seed_same_bytes() {
        let run = || {
            let world = plan(5, 6, 120);
            let (mut a, mut p, mut s) = (Vec::new(), Vec::new(), Vec::new());
            write(5, &world, 2_000, 26, &mut a, &mut p, &mut s).unwrap();
            (a, p, s)
        };
        assert_eq!(run(), run());
    }
}
