//! Writes the bundled sample in `datasets/sample/`: an account list with Chinese headers and 万
//! units, and a post list in a crawler's layout. Deterministic (seeded), so the files in the repo
//! are exactly what this program writes: `cargo run --example make_sample`.
//!
//! Each niche has planted properties (audience size, concentration, engagement rate, weekly trend,
//! sponsorship, price, cadence), so the ranking the tool prints can be checked against them.
//! Titles vary (numbers, questions, emoji, length) and posts carry tags; in each niche, posts
//! tagged with its first word and titles with a number do better, so the report's style section
//! has something to find. One niche (搞笑段子) has no sponsored post and no price on a platform
//! that shares no ad revenue: method 2.0 scores it 0 for business. `snapshots.csv` holds each
//! account's followers every four weeks (growing with the niche's trend), and `signals.csv` a
//! weekly search index per niche, as 百度指数 exporters write it (`--signals`).

use std::fmt::Write as _;

use niche::rng::Rng;

struct Niche {
    name: &'static str,
    platform: &'static str,
    accounts: u64,
    /// Median followers, and the spread of log followers (concentration).
    followers: f64,
    spread: f64,
    /// Engagement per post as a share of followers.
    er: f64,
    /// Growth of engagement per week (0.03 = +3%/week).
    trend: f64,
    sponsored: f64,
    /// Price per sponsored post per 10k followers, in yuan.
    price_per_10k: f64,
    /// Posts per week.
    cadence: f64,
    collect_ratio: f64,
    words: &'static [&'static str],
}

const NICHES: &[Niche] = &[
    Niche {
        name: "AI工具",
        platform: "xiaohongshu",
        accounts: 12,
        followers: 30_000.0,
        spread: 1.0,
        er: 0.045,
        trend: 0.04,
        sponsored: 0.28,
        price_per_10k: 900.0,
        cadence: 5.0,
        collect_ratio: 1.4,
        words: &["AI工具", "效率神器", "ChatGPT", "提示词", "自动化"],
    },
    Niche {
        name: "美妆护肤",
        platform: "xiaohongshu",
        accounts: 14,
        followers: 80_000.0,
        spread: 1.9,
        er: 0.02,
        trend: -0.005,
        sponsored: 0.35,
        price_per_10k: 1200.0,
        cadence: 5.0,
        collect_ratio: 0.8,
        words: &["护肤", "粉底", "口红试色", "敏感肌", "平价好物"],
    },
    Niche {
        name: "职场成长",
        platform: "xiaohongshu",
        accounts: 11,
        followers: 25_000.0,
        spread: 1.1,
        er: 0.03,
        trend: 0.01,
        sponsored: 0.12,
        price_per_10k: 600.0,
        cadence: 2.5,
        collect_ratio: 1.2,
        words: &["面试", "简历", "升职", "沟通", "副业"],
    },
    Niche {
        name: "母婴育儿",
        platform: "douyin",
        accounts: 12,
        followers: 60_000.0,
        spread: 1.3,
        er: 0.025,
        trend: 0.0,
        sponsored: 0.4,
        price_per_10k: 1500.0,
        cadence: 4.0,
        collect_ratio: 0.6,
        words: &["辅食", "早教", "宝宝睡眠", "孕期", "育儿"],
    },
    Niche {
        name: "健身减脂",
        platform: "douyin",
        accounts: 12,
        followers: 50_000.0,
        spread: 1.5,
        er: 0.018,
        trend: -0.03,
        sponsored: 0.15,
        price_per_10k: 700.0,
        cadence: 6.0,
        collect_ratio: 0.7,
        words: &["减脂餐", "跟练", "马甲线", "跑步", "体态"],
    },
    Niche {
        name: "Personal finance",
        platform: "youtube",
        accounts: 10,
        followers: 120_000.0,
        spread: 1.2,
        er: 0.012,
        trend: 0.015,
        sponsored: 0.3,
        price_per_10k: 1800.0,
        cadence: 1.5,
        collect_ratio: 0.3,
        words: &["index funds", "budget", "FIRE", "credit score", "taxes"],
    },
    Niche {
        name: "Travel vlog",
        platform: "youtube",
        accounts: 10,
        followers: 90_000.0,
        spread: 1.4,
        er: 0.015,
        trend: -0.01,
        sponsored: 0.08,
        price_per_10k: 500.0,
        cadence: 1.0,
        collect_ratio: 0.2,
        words: &["Japan", "road trip", "hostel", "budget travel", "Iceland"],
    },
    Niche {
        name: "游戏解说",
        platform: "bilibili",
        accounts: 11,
        followers: 150_000.0,
        spread: 2.0,
        er: 0.03,
        trend: 0.0,
        sponsored: 0.06,
        price_per_10k: 400.0,
        cadence: 5.0,
        collect_ratio: 0.4,
        words: &["原神", "攻略", "速通", "新手教学", "剧情解析"],
    },
    Niche {
        name: "搞笑段子",
        platform: "xiaohongshu",
        accounts: 10,
        followers: 120_000.0,
        spread: 1.2,
        er: 0.06,
        trend: 0.01,
        sponsored: 0.0,
        price_per_10k: 0.0,
        cadence: 4.0,
        collect_ratio: 0.3,
        words: &["搞笑", "段子", "日常", "沙雕", "整活"],
    },
];

/// Week 0 starts on Monday 2026-07-06; 16 weeks of posts.
const START: i64 = 1_783_296_000;
const WEEKS: f64 = 16.0;

fn wan(v: f64) -> String {
    if v >= 10_000.0 {
        let s = format!("{:.1}", v / 10_000.0);
        format!("{}万", s.trim_end_matches(".0"))
    } else {
        format!("{}", v.round() as u64)
    }
}

fn iso(t: i64) -> String {
    let secs = t.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:00",
        niche::civil::day_text(t.div_euclid(86_400)),
        secs / 3600,
        (secs % 3600) / 60
    )
}

fn main() -> std::io::Result<()> {
    let mut rng = Rng::new(20_261_129);
    let mut accounts = String::from("账号ID,账号昵称,平台,领域,粉丝数,报价(元)\n");
    let mut posts = String::from(
        "note_id,user_id,nickname,title,time,liked_count,collected_count,comment_count,share_count,views,is_sponsored,tag_list\n",
    );
    // Snapshots and signals draw from their own generator, so the accounts and posts are the
    // same with or without them.
    let mut side = Rng::new(20_261_206);
    let mut snapshots = String::from("account_id,date,followers\n");
    let mut signals = String::from("keyword,type,date,index\n");
    let mut post_no = 0u64;
    for (ni, n) in NICHES.iter().enumerate() {
        for a in 0..n.accounts {
            let id = format!("u{}{:03}", ni + 1, a + 1);
            let nick = format!("{}{}号", n.words[(a as usize) % n.words.len()], a + 1);
            let followers = (n.followers * (n.spread * rng.normal()).exp())
                .clamp(800.0, 5e7)
                .round();
            let price = if n.price_per_10k <= 0.0 || rng.unit() < 0.15 {
                "-".to_string()
            } else {
                format!(
                    "¥{}",
                    ((n.price_per_10k * followers / 10_000.0) / 100.0).round() as u64 * 100
                )
            };
            writeln!(
                accounts,
                "{id},{nick},{},{},{},{price}",
                n.platform,
                n.name,
                wan(followers)
            )
            .ok();
            // Followers every four weeks, ending at the listed count, growing with the trend.
            for k in 0..=4 {
                let weeks_before = f64::from(16 - 4 * k);
                let f = followers * (1.0 + n.trend / 2.0).powf(-weeks_before) * (0.01 * side.normal()).exp();
                writeln!(
                    snapshots,
                    "{id},{},{}",
                    iso(START + i64::from(4 * k) * 7 * 86_400)
                        .split(' ')
                        .next()
                        .unwrap_or(""),
                    f.round()
                )
                .ok();
            }

            let count = (n.cadence * WEEKS * (0.6 + 0.8 * rng.unit()) / 4.0).round().max(3.0) as u64;
            for _ in 0..count {
                post_no += 1;
                let t = START + (rng.unit() * WEEKS * 7.0 * 86_400.0) as i64;
                let week = (t - START) as f64 / (7.0 * 86_400.0);
                // Tags: one to three of the niche's words; the first word does better.
                let mut tags: Vec<&str> = (0..1 + rng.below(3))
                    .map(|_| n.words[rng.below(n.words.len())])
                    .collect();
                tags.sort_unstable();
                tags.dedup();
                let style = rng.below(5);
                let lift = if tags.contains(&n.words[0]) { 1.8 } else { 1.0 } * if style == 0 { 1.4 } else { 1.0 };
                let base = followers * n.er * lift * (1.0 + n.trend).powf(week) * (0.6 * rng.normal()).exp();
                let likes = base.max(0.0).round();
                let collects = (likes * n.collect_ratio * (0.3 * rng.normal()).exp()).round();
                let comments = (likes * 0.08 * (0.4 * rng.normal()).exp()).round();
                let shares = (likes * 0.05 * (0.5 * rng.normal()).exp()).round();
                let views = if n.platform == "xiaohongshu" {
                    String::new()
                } else {
                    wan((likes * (12.0 + 8.0 * rng.unit())).round())
                };
                let sponsored = if rng.unit() < n.sponsored { "true" } else { "false" };
                let word = n.words[rng.below(n.words.len())];
                let title = match style {
                    0 => format!("{}个{word}技巧", 3 + rng.below(8)),
                    1 => format!("{word}到底值不值得？"),
                    2 => format!("{word}✨今日分享"),
                    3 => format!("{word}：从入门到放弃的完整记录，看完少走三个月弯路，建议收藏慢慢看"),
                    _ => format!("{word}｜日常记录"),
                };
                writeln!(
                    posts,
                    "n{post_no:05},{id},{nick},{title},{},{},{},{},{},{views},{sponsored},\"{}\"",
                    iso(t),
                    wan(likes),
                    collects,
                    comments,
                    shares,
                    tags.join(",")
                )
                .ok();
            }
        }
    }
    // A weekly search index per niche, moving with the niche's trend.
    for n in NICHES {
        let level = n.followers / 10.0;
        for w in 0..WEEKS as i64 {
            let v = level * (1.0 + n.trend).powf(w as f64) * (0.05 * side.normal()).exp();
            let day = iso(START + w * 7 * 86_400);
            writeln!(
                signals,
                "{},all,{},{}",
                n.name,
                day.split(' ').next().unwrap_or(""),
                v.round()
            )
            .ok();
        }
    }
    std::fs::create_dir_all("datasets/sample")?;
    std::fs::write("datasets/sample/snapshots.csv", snapshots)?;
    std::fs::write("datasets/sample/signals.csv", signals)?;
    std::fs::write("datasets/sample/accounts.csv", accounts)?;
    std::fs::write("datasets/sample/posts.csv", posts)?;
    println!("wrote datasets/sample/accounts.csv, posts.csv, snapshots.csv and signals.csv");
    Ok(())
}
