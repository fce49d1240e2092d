//! A test world that can prove the method wrong (`niche gen --world confounded`, METHOD.md §3,
//! checking the method): each niche has a latent demand D, business B and traffic T in [0, 1]
//! and a worth W = D × B × T (truth.json), and the files show them only through what crawls of
//! real platforms would show, with the confounders real exports carry.
//!
//! Nothing here reads the reference, and every number the world runs on is drawn per seed from
//! a wide range of its own: each platform's follower scale, its engagement per view and reach
//! per follower and how both fall with size, its growth, its prices and ad revenue rates, which
//! columns its export carries (views or not, which interactions, sponsorship flags or not); what
//! advertisers pay per vertical; an hour's wage and the hours a post takes. Platform levels run
//! over a factor of ten or more, so in most seeds some platform sits 2-4× away from any fixed
//! yardstick. The only thing the world shares with published knowledge is the *order* of
//! advertiser value by vertical (finance above gaming for ads, beauty above comedy for sponsors),
//! and even that is blurred: each vertical's own multiplier is its tier's times a random factor.
//!
//! - D is how many people want such accounts and whether that is growing. It reaches the files
//!   through the followers of the niche's accounts (through the platform's own scale, and the
//!   crawl's own pull towards bigger or smaller accounts, which differs by niche) and their
//!   growth (around the platform's own). How openly the field is shared is the niche's own and
//!   not worth: a concentrated field has a bigger head, which flatters its audience.
//! - T sets response and reach: engagement per view and views per follower, each against its
//!   platform's own level and size curve, each with its own niche-level noise (a niche can be
//!   better at one than the other).
//! - B is what an hour of the work earns at 10万 followers and the platform's typical reach, as
//!   r ÷ (1 + r) against the world's hourly wage: sponsored posts (how often, at what price: the
//!   niche's money level m and its vertical) plus ad revenue (the platform's rate, the vertical's
//!   multiplier), over the hours its format truly takes.
//!
//! Confounders: accounts crawled per niche unrelated to worth; rows in crawl order, one file per
//! platform with that platform's own column names, interactions and date form; views missing on
//! the platforms whose crawls do not show them; sponsorship flags missing on some platforms;
//! likes still arriving on the last days' posts; 10万+ caps; prices for only some accounts; niche
//! names the method's keyword table may not know. Two niches are set: huge demand and traffic but
//! no money (no sponsored post, no price, on a platform that shares no ad revenue), and a small
//! niche that pays well.

use std::io::{self, Write};

use serde::Serialize;

use super::{date, Rng, START, WEEK};

/// One platform of the world, as drawn for the seed.
#[derive(Debug, Clone, Serialize)]
pub struct PlatformTruth {
    pub name: String,
    /// Followers of a typical account ÷ those of a typical account of a "neutral" platform.
    pub follower_scale: f64,
    /// Views per post ÷ followers of a typical account of 1万 followers, and its slope in
    /// ln(followers).
    pub reach: f64,
    pub reach_slope: f64,
    /// Interactions per view of a typical post, and its slope in ln(followers).
    pub per_view: f64,
    pub per_view_slope: f64,
    /// Views per post ÷ followers of a typical account of 10万 followers (what business is
    /// judged at).
    pub reach_at_scale: f64,
    /// Monthly follower growth of a typical account.
    pub growth: f64,
    /// A sponsored post's price per 10,000 followers, and the ad revenue per 1,000 views of a
    /// video (0: no programme), in CNY.
    pub price_per_10k: f64,
    pub rpm: f64,
    /// What its export carries.
    pub views_exported: bool,
    pub flags_exported: bool,
    pub interactions: Vec<&'static str>,
}

/// What advertisers pay per vertical in this world, and what work costs.
#[derive(Debug, Clone, Serialize)]
pub struct Economy {
    /// An hour's wage, CNY.
    pub wage: f64,
    /// Hours a post takes, per format.
    pub hours: Vec<(&'static str, f64)>,
    /// Per vertical: (name, ad multiplier, sponsor multiplier).
    pub verticals: Vec<(&'static str, f64, f64)>,
}

/// What a niche is, in truth.
#[derive(Debug, Clone, Serialize)]
pub struct Latent {
    pub niche: String,
    /// The vertical it truly is (its name may or may not say so).
    pub vertical: &'static str,
    /// How evenly the field shares its followers (0-1; not part of worth).
    pub openness: f64,
    pub demand: f64,
    pub business: f64,
    pub traffic: f64,
    /// The niche's money level m: sponsored share 0.4 m, prices × e^(m − 0.5).
    pub money: f64,
    /// What an hour earns at 10万 followers and typical reach ÷ an hour's wage (business =
    /// r ÷ (1 + r)).
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

/// A whole world.
#[derive(Debug, Clone, Serialize)]
pub struct World {
    pub economy: Economy,
    pub platforms: Vec<PlatformTruth>,
    pub niches: Vec<Latent>,
}

/// Niche names and the vertical each truly is, with the published tiers of that vertical (ad,
/// sponsor) the world's multipliers are drawn around. The last few have names the method's
/// keywords do not know.
const NICHES: [(&str, &str, u8, u8); 20] = [
    ("搞笑段子", "comedy", 4, 4),
    ("理财入门", "finance", 1, 2),
    ("AI工具", "tech", 2, 2),
    ("美妆护肤", "beauty", 3, 1),
    ("母婴育儿", "parenting", 3, 1),
    ("健身减脂", "fitness", 3, 3),
    ("职场成长", "career", 2, 2),
    ("游戏解说", "gaming", 4, 3),
    ("美食探店", "food", 3, 3),
    ("旅行攻略", "travel", 3, 3),
    ("数码测评", "tech", 2, 2),
    ("宠物日常", "pets", 3, 4),
    ("穿搭分享", "fashion", 3, 2),
    ("考研经验", "education", 2, 2),
    ("音乐翻唱", "music", 4, 4),
    ("汽车评测", "auto", 2, 2),
    ("情感树洞", "entertainment", 4, 4),
    ("手作小物", "art", 3, 3),
    ("城市漫游", "lifestyle", 3, 3),
    ("副业赚钱", "business", 1, 2),
];

/// The platforms a world draws from; xiaohongshu is always in (the no-money niche lives there).
const PLATFORM_POOL: [&str; 6] = [
    "xiaohongshu",
    "douyin",
    "kuaishou",
    "bilibili",
    "weibo",
    "wechat_channels",
];
/// Formats, and the range of hours a post truly takes in a world.
const FORMATS: [(&str, f64, f64); 3] = [
    ("image", 1.5, 5.0),
    ("short_video", 3.0, 8.0),
    ("long_video", 8.0, 20.0),
];
/// Business is judged at this many followers (10万).
const AT_SCALE: f64 = 100_000.0;

/// e^(uniform between ln lo and ln hi).
fn log_uniform(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    (lo.ln() + rng.unit() * (hi.ln() - lo.ln())).exp()
}

fn platform_truth(rng: &mut Rng, name: &str) -> PlatformTruth {
    let reach = log_uniform(rng, 0.05, 1.5);
    let reach_slope = -0.1 - 0.35 * rng.unit();
    let (views, interactions): (bool, Vec<&'static str>) = match name {
        "xiaohongshu" => (false, vec!["likes", "collects", "comments", "shares"]),
        "douyin" => (false, vec!["likes", "comments", "shares", "collects"]),
        "kuaishou" => (true, vec!["likes", "comments"]),
        "bilibili" => (true, vec!["likes", "comments", "shares", "collects"]),
        "weibo" => (false, vec!["likes", "comments", "shares"]),
        _ => (false, vec!["likes", "comments", "shares"]),
    };
    PlatformTruth {
        name: name.to_string(),
        follower_scale: log_uniform(rng, 0.25, 4.0),
        reach,
        reach_slope,
        per_view: log_uniform(rng, 0.01, 0.12),
        per_view_slope: -0.15 + 0.2 * rng.unit(),
        reach_at_scale: reach * 10f64.powf(reach_slope),
        growth: -0.01 + 0.04 * rng.unit(),
        price_per_10k: log_uniform(rng, 150.0, 2500.0),
        // Xiaohongshu and Weibo share no ad revenue with creators.
        rpm: if matches!(name, "xiaohongshu" | "weibo") {
            0.0
        } else {
            log_uniform(rng, 1.0, 10.0)
        },
        views_exported: views,
        // Xiaohongshu's crawl always shows 商业笔记 (the no-money niche is judged on it).
        flags_exported: name == "xiaohongshu" || rng.unit() < 0.5,
        interactions,
    }
}

/// The world of a seed: `n` niches, `accounts` accounts shared out at random.
pub fn plan(seed: u64, n: usize, accounts: usize) -> World {
    let n = n.clamp(2, NICHES.len());
    let mut rng = Rng::new(seed ^ 0x0057_0A1D);
    // Platforms: xiaohongshu and three of the rest.
    let mut pool: Vec<&str> = PLATFORM_POOL[1..].to_vec();
    rng.shuffle(&mut pool);
    let mut names = vec!["xiaohongshu"];
    names.extend(pool.into_iter().take(3));
    let platforms: Vec<PlatformTruth> = names.iter().map(|p| platform_truth(&mut rng, p)).collect();
    // What advertisers pay: each tier's centre drawn from the published range around it, each
    // vertical's multiplier its tier's times a factor of its own.
    let ad_centres = [
        log_uniform(&mut rng, 2.0, 6.0),
        log_uniform(&mut rng, 1.2, 3.0),
        log_uniform(&mut rng, 0.6, 1.5),
        log_uniform(&mut rng, 0.2, 0.8),
    ];
    let sponsor_centres = [
        log_uniform(&mut rng, 1.1, 2.0),
        log_uniform(&mut rng, 0.9, 1.6),
        log_uniform(&mut rng, 0.7, 1.2),
        log_uniform(&mut rng, 0.4, 0.9),
    ];
    let mut verticals: Vec<(&'static str, f64, f64)> = Vec::new();
    for &(_, v, ad, sp) in &NICHES {
        if !verticals.iter().any(|x| x.0 == v) {
            let a = ad_centres[usize::from(ad) - 1] * (0.35 * rng.normal()).exp();
            let s = sponsor_centres[usize::from(sp) - 1] * (0.25 * rng.normal()).exp();
            verticals.push((v, a, s));
        }
    }
    let economy = Economy {
        wage: 25.0 + 20.0 * rng.unit(),
        hours: FORMATS
            .iter()
            .map(|&(f, lo, hi)| (f, log_uniform(&mut rng, lo, hi)))
            .collect(),
        verticals,
    };
    let mut order: Vec<usize> = (2..NICHES.len()).collect();
    rng.shuffle(&mut order);
    let picked: Vec<usize> = [0, 1].into_iter().chain(order).take(n).collect();
    let shares: Vec<f64> = (0..n).map(|_| 0.3 + 1.4 * rng.unit()).collect();
    let total: f64 = shares.iter().sum();
    let niches = picked
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let (name, vertical, _, _) = NICHES[k];
            let mut draw = || 0.1 + 0.8 * rng.unit();
            let (mut parts, mut m) = ([draw(), draw(), draw()], draw());
            let mut main = platforms[rng.below(platforms.len())].name.clone();
            let second = platforms[rng.below(platforms.len())].name.clone();
            let format = FORMATS[rng.below(FORMATS.len())].0;
            let mut set = None;
            if i == 0 {
                (parts, m) = ([0.95, 0.5, 0.95], 0.0);
                main = "xiaohongshu".into();
                set = Some("huge demand and traffic, no business: no sponsored post, no price, on a platform that shares no ad revenue");
            } else if i == 1 {
                (parts, m) = ([0.15, 0.5, 0.5], 0.95);
                set = Some("a small niche that pays well");
            }
            let [d, openness, t] = parts;
            let second = (second != main && i != 0).then_some(second);
            let ratio = |p: &str| earnings_ratio(m, vertical, format, platform(&platforms, p), &economy);
            // Accounts: three in four on the main platform.
            let r = match &second {
                Some(s) => 0.75 * ratio(&main) + 0.25 * ratio(s),
                None => ratio(&main),
            };
            let b = r / (1.0 + r);
            Latent {
                niche: name.to_string(),
                vertical,
                openness,
                demand: d,
                business: b,
                traffic: t,
                money: m,
                earnings_per_hour_ratio: r,
                format: format.to_string(),
                worth: d * b * t,
                accounts: ((accounts as f64 * shares[i] / total).round() as usize).max(6),
                platform: main,
                second_platform: second,
                set,
            }
        })
        .collect();
    World {
        economy,
        platforms,
        niches,
    }
}

fn platform<'a>(platforms: &'a [PlatformTruth], name: &str) -> &'a PlatformTruth {
    platforms.iter().find(|p| p.name == name).unwrap_or(&platforms[0])
}

/// Sponsored share, and the price premium, of a niche with money level `m`.
fn sponsored_share(m: f64) -> f64 {
    0.4 * m
}
fn premium(m: f64) -> f64 {
    (m - 0.5).exp()
}

/// What an hour earns at 10万 followers and the platform's typical reach ÷ the world's wage.
fn earnings_ratio(m: f64, vertical: &str, format: &str, p: &PlatformTruth, e: &Economy) -> f64 {
    let (_, ad_mult, sponsor_mult) = e
        .verticals
        .iter()
        .copied()
        .find(|v| v.0 == vertical)
        .unwrap_or(("", 1.0, 1.0));
    let hours = e.hours.iter().find(|h| h.0 == format).map_or(4.0, |h| h.1);
    let sponsored = sponsored_share(m) * p.price_per_10k * AT_SCALE / 10_000.0 * sponsor_mult * premium(m);
    // Ad programmes pay for videos.
    let ad = if format == "image" {
        0.0
    } else {
        AT_SCALE * p.reach_at_scale * p.rpm * ad_mult / 1000.0
    };
    (sponsored + ad) / (e.wage * hours)
}

/// How a platform's crawl writes a post: its header and a row.
fn header(p: &PlatformTruth) -> String {
    let (id, account, time) = match p.name.as_str() {
        "xiaohongshu" => ("note_id", "user_id", "time"),
        "douyin" => ("aweme_id", "user_id", "create_time"),
        "kuaishou" => ("video_id", "user_id", "create_time"),
        "bilibili" => ("bvid", "mid", "pubdate"),
        "weibo" => ("note_id", "user_id", "create_date_time"),
        _ => ("视频id", "账号id", "发布时间"),
    };
    let mut cols: Vec<String> = vec![id.into(), account.into(), time.into()];
    for i in &p.interactions {
        cols.push(column(&p.name, i).into());
    }
    if p.views_exported {
        cols.push(
            if p.name == "bilibili" {
                "video_play_count"
            } else {
                "播放量"
            }
            .into(),
        );
    }
    if p.flags_exported {
        cols.push(
            if p.name == "xiaohongshu" {
                "商业笔记"
            } else {
                "是否商单"
            }
            .into(),
        );
    }
    cols.push("type".into());
    cols.push("title".into());
    cols.join(",")
}

fn column(platform: &str, interaction: &str) -> &'static str {
    match (platform, interaction) {
        ("wechat_channels", "likes") => "点赞",
        ("wechat_channels", "comments") => "评论",
        ("wechat_channels", "shares") => "转发",
        ("weibo", "shares") => "shared_count",
        ("weibo", "comments") => "comments_count",
        ("bilibili", "comments") => "video_comment",
        ("bilibili", "shares") => "video_share_count",
        ("bilibili", "collects") => "video_favorite_count",
        (_, "likes") => "liked_count",
        (_, "comments") => "comment_count",
        (_, "shares") => "share_count",
        _ => "collected_count",
    }
}

/// A time as each platform's crawl writes it.
fn when(platform: &str, t: i64) -> String {
    match platform {
        "xiaohongshu" | "kuaishou" => (t * 1000).to_string(),
        "douyin" | "bilibili" => t.to_string(),
        _ => super::datetime(t),
    }
}

/// Write a world's accounts and snapshots; each platform's posts (about `posts` in all, in crawl
/// order) come back as (platform, the file's text).
pub fn write(
    seed: u64,
    world: &World,
    posts: usize,
    weeks: u32,
    accounts_out: &mut dyn Write,
    snapshots_out: &mut dyn Write,
) -> io::Result<Vec<(String, String)>> {
    let mut rng = Rng::new(seed);
    writeln!(accounts_out, "account_id,nickname,platform,niche,fans,price")?;
    writeln!(snapshots_out, "account_id,date,followers")?;
    let total_accounts: usize = world.niches.iter().map(|w| w.accounts).sum();
    let per_account = (posts as f64 / total_accounts.max(1) as f64).max(2.0);
    let span = f64::from(weeks.max(2)) * WEEK as f64;
    let crawl = START + span as i64;
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); world.platforms.len()];
    let mut id = 0usize;
    let mut post_id = 0u64;
    for w in &world.niches {
        // An open field shares its followers evenly; a concentrated one has a big head. What the
        // crawl's search returns pulls each niche towards bigger or smaller accounts.
        let spread = 1.7 - 1.0 * w.openness + 0.1 * rng.normal();
        let pull = (0.35 * rng.normal()).exp();
        // A niche's reach and response each have a part of their own, beyond its traffic.
        let (reach_noise, response_noise) = (0.15 * rng.normal(), 0.15 * rng.normal());
        let median = 8_000.0 * pull * (4.6 * (w.demand - 0.5)).exp();
        let (_, _, sponsor_mult) = world
            .economy
            .verticals
            .iter()
            .copied()
            .find(|v| v.0 == w.vertical)
            .unwrap_or(("", 1.0, 1.0));
        for k in 0..w.accounts {
            id += 1;
            let name = match (&w.second_platform, k % 4) {
                (Some(second), 3) => second.as_str(),
                _ => w.platform.as_str(),
            };
            let pi = world.platforms.iter().position(|p| p.name == name).unwrap_or(0);
            let p = &world.platforms[pi];
            let followers = (p.follower_scale * median * (spread * rng.normal()).exp())
                .clamp(300.0, 5e8)
                .round();
            let price = (w.money > 0.0 && rng.unit() < 0.6).then(|| {
                (p.price_per_10k * followers / 10_000.0 * sponsor_mult * premium(w.money) * (0.3 * rng.normal()).exp())
                    .round()
            });
            writeln!(
                accounts_out,
                "u{id},creator {id},{},{},{followers},{}",
                p.name,
                w.niche,
                price.map_or_else(String::new, |p| p.to_string())
            )?;
            let growth = p.growth + 0.05 * (w.demand - 0.5) + 0.01 * rng.normal();
            for s in 0..=(weeks / 4) {
                let t = START + i64::from(s) * 4 * WEEK;
                let months_before = (crawl - t) as f64 / (crate::measure::stats::DAYS_PER_MONTH * 86_400.0);
                let f = followers * (1.0 + growth).powf(-months_before) * (0.02 * rng.normal()).exp();
                writeln!(snapshots_out, "u{id},{},{}", date(t), f.round())?;
            }
            // Reach and response: the platform's level and size curve, lifted by traffic.
            let size = (followers / 10_000.0).ln();
            let reach = p.reach
                * (p.reach_slope * size).exp()
                * (1.6 * (w.traffic - 0.5) + reach_noise + 0.45 * rng.normal()).exp();
            let per_view = p.per_view
                * (p.per_view_slope * size).exp()
                * (1.2 * (w.traffic - 0.5) + response_noise + 0.35 * rng.normal()).exp();
            let cadence_posts = (per_account * (0.3 + 1.4 * rng.unit())).round().max(2.0) as usize;
            for _ in 0..cadence_posts {
                post_id += 1;
                let at = START + (rng.unit() * span) as i64;
                let age_days = (crawl - at) as f64 / 86_400.0;
                // Likes still coming in: a post has most of its likes after a few days.
                let collected = 1.0 - (-age_days / 2.0).exp();
                let views = (followers * reach * (0.6 * rng.normal()).exp() * collected).round();
                let interactions = views * per_view * (0.3 * rng.normal()).exp();
                // Shares of the interactions: likes most, then collects, comments, shares.
                let mut cells = vec![format!("q{post_id}"), format!("u{id}"), when(&p.name, at)];
                for i in &p.interactions {
                    let part = match *i {
                        "likes" => 0.7,
                        "collects" => 0.15,
                        "comments" => 0.1,
                        _ => 0.05,
                    };
                    let x = (interactions * part * (0.2 * rng.normal()).exp()).round();
                    let capped = *i == "likes" && x >= 100_000.0 && matches!(p.name.as_str(), "xiaohongshu" | "douyin");
                    cells.push(if capped { "10万+".to_string() } else { x.to_string() });
                }
                if p.views_exported {
                    cells.push(views.to_string());
                }
                if p.flags_exported {
                    let sponsored = rng.unit() < sponsored_share(w.money);
                    cells.push(if sponsored { "是" } else { "否" }.to_string());
                }
                cells.push(w.format.clone());
                cells.push(format!("post {post_id}"));
                rows[pi].push(cells.join(","));
            }
        }
    }
    let mut shuffle = Rng::new(seed ^ 0x00C7_A3B1);
    let mut files = Vec::new();
    for (p, mut list) in world.platforms.iter().zip(rows) {
        if list.is_empty() {
            continue;
        }
        shuffle.shuffle(&mut list);
        let mut text = header(p);
        text.push('\n');
        for r in list {
            text.push_str(&r);
            text.push('\n');
        }
        files.push((p.name.clone(), text));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worth_is_the_product_and_the_set_niches_are_there() {
        let world = plan(3, 10, 600);
        assert_eq!(world.niches.len(), 10);
        for w in &world.niches {
            assert!((w.worth - w.demand * w.business * w.traffic).abs() < 1e-12);
        }
        let broke = &world.niches[0];
        assert_eq!(broke.business, 0.0);
        assert!(broke.demand > 0.9 && broke.traffic > 0.9 && broke.platform == "xiaohongshu");
        assert!(world.niches[1].demand < 0.2 && world.niches[1].money > 0.9);
        assert!(world
            .platforms
            .iter()
            .any(|p| p.name == "xiaohongshu" && p.flags_exported));
    }

    #[test]
    fn worlds_differ_by_seed_in_what_they_run_on() {
        let a = plan(1, 10, 400);
        let b = plan(2, 10, 400);
        assert_ne!(a.economy.wage, b.economy.wage);
        assert_ne!(a.platforms[0].per_view, b.platforms[0].per_view);
    }

    #[test]
    fn same_seed_same_bytes() {
        let run = || {
            let world = plan(5, 6, 120);
            let (mut a, mut s) = (Vec::new(), Vec::new());
            let posts = write(5, &world, 2_000, 26, &mut a, &mut s).unwrap();
            (a, s, posts)
        };
        let (a, s, posts) = run();
        assert_eq!((a.clone(), s.clone(), posts.clone()), run());
        assert!(
            !posts.is_empty() && posts.len() <= 4,
            "one post file per platform with posts"
        );
        assert!(posts.iter().all(|(_, text)| text.lines().count() > 10));
    }
}
