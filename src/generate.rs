//! Synthetic exports with planted truth, for tests and benchmarks (`niche gen`).
//!
//! Each niche gets planted properties: follower level and concentration, engagement rate, weekly
//! trend, sponsored share, price per 10k followers, cadence, platform mix and format mix. Every
//! property is spread evenly over the niches and the niches are shuffled independently per
//! property (seeded), so the orders are known and unrelated to each other: a method that measures
//! a property well recovers its order. Same seed and sizes, same bytes.
//!
//! Files, in the canonical layout:
//! - `accounts.csv`: account_id, name, platform, niche, followers, price_per_post, created_at
//! - `posts.csv`: post_id, account_id, published_at, likes, comments, shares, collects, views,
//!   is_sponsored, format, title
//! - `snapshots.csv`: account_id, date, followers (four-weekly)
//! - `truth.json`: the planted properties per niche

pub mod world;

use std::io::{self, Write};

use serde::Serialize;

pub use crate::rng::Rng;

/// What the generated files plant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum World {
    /// Each measure planted per niche and spread evenly (tests that a measure is recovered, and
    /// the benchmarks' data).
    #[default]
    Measures,
    /// A latent demand, business and traffic per niche, seen only through realistic confounders
    /// ([`world`]): tests that the score ranks niches by what they are worth.
    Confounded,
}

/// The order of the post rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// As a search crawl or a merged export gives them: accounts interleaved (a seeded shuffle of
    /// the rows; the values are those of the grouped order).
    #[default]
    Crawl,
    /// Each account's posts together, accounts one after another.
    Grouped,
}

/// The layout of posts.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// The canonical layout (METHOD.md §1), which the fast path reads.
    #[default]
    Canonical,
    /// A crawler's or dashboard's export: a byte order mark, a banner row above Chinese headers,
    /// counts in 万 and k (rounded as such exports round them), 是/否 flags, a niche and platform
    /// on every row, tags on some, a `--` for some missing likes, some rows twice, some posts
    /// filed under a second niche (生活), and a 合计 row at the end.
    Messy,
}

/// How much to generate.
#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    pub niches: usize,
    pub accounts: usize,
    pub posts: usize,
    pub weeks: u32,
    pub order: Order,
    pub layout: Layout,
    /// Platforms per niche: up to 2 (the default) each niche is on a main platform and perhaps a
    /// second of [`PLATFORMS`]; 3 to 7 puts it on that many of those and [`MORE_PLATFORMS`], so
    /// a crawl has many niche × platform pairs (the bootstrap measures each pair).
    pub platforms_per_niche: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            seed: 42,
            niches: 8,
            accounts: 400,
            posts: 20_000,
            weeks: 26,
            order: Order::Crawl,
            layout: Layout::Canonical,
            platforms_per_niche: 2,
        }
    }
}

/// What was planted in one niche.
#[derive(Debug, Clone, Serialize)]
pub struct Planted {
    pub niche: String,
    /// Median followers of the niche's accounts.
    pub followers_median: f64,
    /// Standard deviation of log followers: higher is more concentrated.
    pub concentration: f64,
    /// Typical engagement per post as a share of followers.
    pub engagement_rate: f64,
    /// Growth of engagement per week (0.02 = +2% a week).
    pub trend_weekly: f64,
    pub sponsored_share: f64,
    /// Price per sponsored post per 10,000 followers.
    pub price_per_10k: f64,
    /// Posts per week of a typical account.
    pub cadence: f64,
    /// (platform, share of accounts).
    pub platforms: Vec<(String, f64)>,
    /// (format, share of posts).
    pub formats: Vec<(String, f64)>,
}

const NAMES: [&str; 16] = [
    "AI工具",
    "美妆护肤",
    "职场成长",
    "母婴育儿",
    "健身减脂",
    "Personal finance",
    "Travel vlog",
    "游戏解说",
    "美食探店",
    "数码测评",
    "English learning",
    "Home decor",
    "宠物日常",
    "读书分享",
    "Street photography",
    "穿搭",
];
const PLATFORMS: [&str; 4] = ["xiaohongshu", "douyin", "bilibili", "youtube"];
/// The platforms beyond [`PLATFORMS`] a niche is also on with `platforms_per_niche` above 2.
const MORE_PLATFORMS: [&str; 3] = ["kuaishou", "weibo", "instagram"];
const FORMATS: [&str; 3] = ["image", "short_video", "long_video"];
/// 2026-01-05, a Monday.
const START: i64 = 1_767_571_200;
const WEEK: i64 = 7 * 86_400;

/// `n` values from `lo` to `hi`, evenly spaced, in a seeded random order.
fn spread(rng: &mut Rng, n: usize, lo: f64, hi: f64) -> Vec<f64> {
    let mut v: Vec<f64> = (0..n)
        .map(|i| {
            if n == 1 {
                (lo + hi) / 2.0
            } else {
                lo + (hi - lo) * i as f64 / (n - 1) as f64
            }
        })
        .collect();
    rng.shuffle(&mut v);
    v
}

/// The planted properties of every niche.
pub fn plan(config: &Config) -> Vec<Planted> {
    let n = config.niches.max(1);
    let mut rng = Rng::new(config.seed ^ 0x005E_ED0F_7A11);
    let followers = spread(&mut rng, n, 8_000.0, 120_000.0);
    let concentration = spread(&mut rng, n, 0.6, 2.0);
    let er = spread(&mut rng, n, 0.01, 0.08);
    let trend = spread(&mut rng, n, -0.03, 0.04);
    let sponsored = spread(&mut rng, n, 0.02, 0.4);
    let price = spread(&mut rng, n, 200.0, 2_000.0);
    let cadence = spread(&mut rng, n, 0.5, 6.0);
    (0..n)
        .map(|i| {
            let main = PLATFORMS[rng.below(PLATFORMS.len())];
            let second = PLATFORMS[rng.below(PLATFORMS.len())];
            let mut platforms = vec![(main.to_string(), 0.75)];
            if second == main {
                platforms[0].1 = 1.0;
            } else {
                platforms.push((second.to_string(), 0.25));
            }
            let many = config.platforms_per_niche.min(PLATFORMS.len() + MORE_PLATFORMS.len());
            if many > 2 {
                // The main platform and others drawn without repeats: 40% on the main, the rest
                // shared evenly.
                let mut pool: Vec<&str> = PLATFORMS
                    .iter()
                    .chain(&MORE_PLATFORMS)
                    .copied()
                    .filter(|p| *p != main)
                    .collect();
                platforms = vec![(main.to_string(), 0.4)];
                for _ in 1..many {
                    let p = pool.swap_remove(rng.below(pool.len()));
                    platforms.push((p.to_string(), 0.6 / (many - 1) as f64));
                }
            }
            let mut formats: Vec<(String, f64)> = FORMATS.iter().map(|f| (f.to_string(), 0.2 + rng.unit())).collect();
            let total: f64 = formats.iter().map(|f| f.1).sum();
            for f in &mut formats {
                f.1 /= total;
            }
            Planted {
                niche: NAMES
                    .get(i)
                    .map_or_else(|| format!("niche-{}", i + 1), |s| s.to_string()),
                followers_median: followers[i],
                concentration: concentration[i],
                engagement_rate: er[i],
                trend_weekly: trend[i],
                sponsored_share: sponsored[i],
                price_per_10k: price[i],
                cadence: cadence[i],
                platforms,
                formats,
            }
        })
        .collect()
}

struct Account {
    id: usize,
    niche: usize,
    platform: usize,
    followers: f64,
    posts: usize,
}

/// Write the accounts, posts and snapshots of a plan to three writers.
pub fn write(
    config: &Config,
    planted: &[Planted],
    accounts_out: &mut dyn Write,
    posts_out: &mut dyn Write,
    snapshots_out: &mut dyn Write,
) -> io::Result<()> {
    let mut rng = Rng::new(config.seed);
    let n_accounts = config.accounts.max(planted.len());
    let mut accounts = Vec::with_capacity(n_accounts);
    let mut weights = Vec::with_capacity(n_accounts);
    for id in 0..n_accounts {
        let niche = id % planted.len();
        let p = &planted[niche];
        let platform = rng.pick(&p.platforms);
        let followers = (p.followers_median * (p.concentration * rng.normal()).exp())
            .clamp(200.0, 2e8)
            .round();
        weights.push(p.cadence * (0.4 * rng.normal()).exp());
        accounts.push(Account {
            id,
            niche,
            platform,
            followers,
            posts: 0,
        });
    }
    // Posts are shared out by cadence, largest remainders last, so the total is exact.
    let total_weight: f64 = weights.iter().sum();
    let mut assigned = 0;
    for (a, w) in accounts.iter_mut().zip(&weights) {
        a.posts = (config.posts as f64 * w / total_weight).floor() as usize;
        assigned += a.posts;
    }
    for i in 0..config.posts.saturating_sub(assigned) {
        accounts[i % n_accounts].posts += 1;
    }

    writeln!(
        accounts_out,
        "account_id,name,platform,niche,followers,price_per_post,created_at"
    )?;
    match config.layout {
        Layout::Canonical => writeln!(
            posts_out,
            "post_id,account_id,published_at,likes,comments,shares,collects,views,is_sponsored,format,title"
        )?,
        Layout::Messy => write!(
            posts_out,
            "\u{feff}导出时间 2026-11-01 最多导出前一千万条\n笔记ID,用户ID,领域,平台,标题,发布时间,点赞数,评论数,分享数,收藏数,播放量,是否广告,话题\n"
        )?,
    }
    // The messy layout's own choices (units, duplicates ...) have their own seed, so the values
    // drawn for the posts are the same in both layouts.
    let mut messy = Rng::new(config.seed ^ 0x3E55);
    writeln!(snapshots_out, "account_id,date,followers")?;
    let weeks = f64::from(config.weeks.max(1));
    let mut post_id = 0u64;
    // In crawl order the post rows are kept (one string, each row's start), then written shuffled.
    let mut rows = String::new();
    let mut starts: Vec<usize> = Vec::new();
    for a in &accounts {
        let p = &planted[a.niche];
        let platform = &p.platforms[a.platform].0;
        let price = (p.price_per_10k * a.followers / 10_000.0).round();
        let created = START - (rng.unit() * 3.0 * 365.0) as i64 * 86_400;
        writeln!(
            accounts_out,
            "a{},creator {},{platform},{},{},{price},{}",
            a.id,
            a.id,
            p.niche,
            a.followers,
            date(created)
        )?;
        for k in 0..=(config.weeks / 4) {
            let t = START + i64::from(k) * 4 * WEEK;
            // Followers grow with the niche's trend, with a little noise.
            let f = a.followers * (1.0 + p.trend_weekly).powf(f64::from(k * 4) - weeks) * (0.02 * rng.normal()).exp();
            writeln!(snapshots_out, "a{},{},{}", a.id, date(t), f.round())?;
        }
        for _ in 0..a.posts {
            post_id += 1;
            let offset = (rng.unit() * weeks * WEEK as f64) as i64;
            let week = offset as f64 / WEEK as f64;
            let sponsored = rng.unit() < p.sponsored_share;
            let base = a.followers * p.engagement_rate * (1.0 + p.trend_weekly).powf(week) * (0.5 * rng.normal()).exp();
            let likes = base.round();
            let collects = (likes * 0.3 * (0.3 * rng.normal()).exp()).round();
            let comments = (likes * 0.06 * (0.3 * rng.normal()).exp()).round();
            let shares = (likes * 0.04 * (0.3 * rng.normal()).exp()).round();
            let views = (likes * 15.0 * (0.3 * rng.normal()).exp()).round();
            let format = &p.formats[rng.pick(&p.formats)].0;
            let row = match config.layout {
                Layout::Canonical => format!(
                    "p{post_id},a{},{},{likes},{comments},{shares},{collects},{views},{sponsored},{format},post {post_id}\n",
                    a.id,
                    datetime(START + offset)
                ),
                Layout::Messy => {
                    let likes = if messy.unit() < 0.01 {
                        "--".to_string()
                    } else {
                        messy_count(&mut messy, likes)
                    };
                    let mut counts = vec![likes];
                    for v in [comments, shares, collects, views] {
                        counts.push(messy_count(&mut messy, v));
                    }
                    let counts = counts.join(",");
                    let tags = if messy.unit() < 0.3 { format!("#{} #日常", p.niche) } else { String::new() };
                    let flag = if sponsored { "是" } else { "否" };
                    let (head, tail) = (
                        format!("p{post_id},a{}", a.id),
                        format!("{platform},post {post_id},{},{counts},{flag},{tags}\n", datetime(START + offset)),
                    );
                    let mut row = format!("{head},{},{tail}", p.niche);
                    if messy.unit() < 0.005 {
                        row = row.repeat(2);
                    }
                    if messy.unit() < 0.002 {
                        row.push_str(&format!("{head},生活,{tail}"));
                    }
                    row
                }
            };
            match config.order {
                Order::Grouped => posts_out.write_all(row.as_bytes())?,
                Order::Crawl => {
                    starts.push(rows.len());
                    rows.push_str(&row);
                }
            }
        }
    }
    if config.order == Order::Crawl {
        starts.push(rows.len());
        let mut order: Vec<usize> = (0..starts.len() - 1).collect();
        Rng::new(config.seed ^ 0x00C7_A3B1).shuffle(&mut order);
        for i in order {
            posts_out.write_all(&rows.as_bytes()[starts[i]..starts[i + 1]])?;
        }
    }
    if config.layout == Layout::Messy {
        writeln!(posts_out, "合计,,,,,,,,,,,,")?;
    }
    Ok(())
}

/// A count as an export writes it: 1.2万 from ten thousand, sometimes 3.4k from a thousand.
fn messy_count(rng: &mut Rng, v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.1}万", v / 10_000.0)
    } else if v >= 1_000.0 && rng.unit() < 0.3 {
        format!("{:.1}k", v / 1_000.0)
    } else {
        format!("{v}")
    }
}

fn date(t: i64) -> String {
    crate::civil::day_text(t.div_euclid(86_400))
}

fn datetime(t: i64) -> String {
    let s = t.rem_euclid(86_400);
    format!("{}T{:02}:{:02}:{:02}", date(t), s / 3600, (s % 3600) / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(START), "2026-01-05");
        assert_eq!(datetime(START + 3600 + 61), "2026-01-05T01:01:01");
        assert_eq!(date(951_782_400), "2000-02-29");
    }

    #[test]
    fn same_seed_same_bytes_and_exact_post_count() {
        let config = Config {
            posts: 1_000,
            accounts: 50,
            ..Config::default()
        };
        let run = || {
            let (mut a, mut p, mut s) = (Vec::new(), Vec::new(), Vec::new());
            write(&config, &plan(&config), &mut a, &mut p, &mut s).unwrap();
            (a, p, s)
        };
        let first = run();
        assert_eq!(first, run());
        let lines = String::from_utf8(first.1).unwrap().lines().count();
        assert_eq!(lines, 1_001);
    }

    #[test]
    fn crawl_order_is_the_grouped_rows_with_accounts_interleaved() {
        let posts = |order| {
            let config = Config {
                posts: 2_000,
                accounts: 60,
                order,
                ..Config::default()
            };
            let (mut a, mut p, mut s) = (Vec::new(), Vec::new(), Vec::new());
            write(&config, &plan(&config), &mut a, &mut p, &mut s).unwrap();
            String::from_utf8(p).unwrap()
        };
        let (crawl, grouped) = (posts(Order::Crawl), posts(Order::Grouped));
        let account = |line: &str| line.split(',').nth(1).unwrap_or_default().to_string();
        // Times the account changes from one row to the next.
        let changes = |text: &str| {
            let accounts: Vec<String> = text.lines().skip(1).map(account).collect();
            accounts.windows(2).filter(|w| w[0] != w[1]).count()
        };
        assert_eq!(changes(&grouped), 59, "grouped: one change per account boundary");
        assert!(changes(&crawl) > 1_500, "crawl order interleaves: {}", changes(&crawl));
        let sorted = |text: &str| {
            let mut lines: Vec<&str> = text.lines().collect();
            lines.sort_unstable();
            lines.join("\n")
        };
        assert_eq!(sorted(&crawl), sorted(&grouped), "the same rows, header included");
        assert_eq!(crawl.lines().next(), grouped.lines().next());
    }

    #[test]
    fn planted_properties_are_spread_and_shuffled() {
        let p = plan(&Config::default());
        assert_eq!(p.len(), 8);
        let mut trends: Vec<f64> = p.iter().map(|n| n.trend_weekly).collect();
        trends.sort_by(f64::total_cmp);
        assert!((trends[0] + 0.03).abs() < 1e-12 && (trends[7] - 0.04).abs() < 1e-12);
    }
}
