//! You against the niche (`--me`): your own export, in each creator-centre layout the loader
//! knows, read apart and set beside every niche; your account in the inputs never counted as a
//! competitor of itself.

use super::support::{fixture, niche, score_json, scratch};

const SAMPLE: [&str; 2] = ["datasets/sample/accounts.csv", "datasets/sample/posts.csv"];

/// Your standing on one measure in one niche.
fn standing<'a>(n: &'a serde_json::Value, measure: &str) -> Option<&'a serde_json::Value> {
    n["standings"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["measure"] == measure))
}

fn close(a: Option<f64>, b: f64, what: &str) {
    let a = a.unwrap_or_else(|| panic!("{what}: no value"));
    assert!((a - b).abs() < 1e-6 * b.abs().max(1.0), "{what}: {a} != {b}");
}

#[test]
fn your_own_export_in_each_creator_centre_layout_is_set_beside_every_niche() {
    let dir = scratch("me_layouts");
    let xhs = dir.join("笔记列表明细表.xlsx");
    super::formats::creator_centre(&xhs, false);
    let xhs = xhs.to_string_lossy().to_string();
    // (file, platform, your account as named, your typical post: the median over your posts of
    // likes + comments + shares + collects, posts per week between your first and last post).
    let cases: Vec<(String, &str, &str, f64, f64)> = vec![
        (
            xhs,
            "xiaohongshu",
            "笔记列表明细表.xlsx",
            317.0,
            2.0 / ((14.0 - 14_495.0 / 86_400.0) / 7.0),
        ),
        (
            fixture("me/douyin_works.csv"),
            "douyin",
            "douyin_works.csv",
            630.0,
            7.0 / 3.75,
        ),
        (
            fixture("me/bilibili_recent.csv"),
            "bilibili",
            "bilibili_recent.csv",
            113.0,
            7.0 / (7.0 + (47.0 * 60.0 + 39.0) / 86_400.0),
        ),
        (
            fixture("me/youtube_studio.csv"),
            "youtube",
            "youtube_studio.csv",
            795.5,
            0.5,
        ),
        (fixture("me/x_content.csv"), "x", "x_content.csv", 11.0, 7.0),
        (
            fixture("me/wechat_channels.csv"),
            "wechat_channels",
            "wechat_channels.csv",
            8.5,
            1.0,
        ),
        (fixture("me/instagram_insights.csv"), "instagram", "1784", 453.0, 1.0),
        (
            fixture("me/tiktok_studio.csv"),
            "tiktok",
            "tiktok_studio.csv",
            1261.0,
            1.0,
        ),
    ];
    for (file, platform, account, typical, cadence) in cases {
        let r = score_json(&[SAMPLE[0], SAMPLE[1], "--bootstrap", "0", "--me", &file]);
        let me = &r["me"];
        assert_eq!(me["platform"], platform, "{file}");
        assert_eq!(me["account"], account, "{file}");
        let niches = me["niches"].as_array().expect("niches");
        assert_eq!(
            niches.len(),
            r["niches"].as_array().map_or(0, Vec::len),
            "{file}: every niche"
        );
        for n in niches {
            assert_eq!(n["yours"], false, "{file}: a creator-centre export names no niche");
            close(
                standing(n, "posts_per_week").and_then(|s| s["yours"].as_f64()),
                cadence,
                &file,
            );
        }
        // Where the niche has accounts on your platform, your typical post against its breakouts.
        let same: Vec<&serde_json::Value> = niches.iter().filter(|n| n["other_platforms"] == false).collect();
        let sample_has = ["xiaohongshu", "douyin", "bilibili", "youtube"].contains(&platform);
        assert_eq!(!same.is_empty(), sample_has, "{file}");
        for n in same {
            close(n["your_typical_post"].as_f64(), typical, &file);
            assert!(n["breakout_bar"].as_f64().is_some(), "{file}");
        }
        // The file is listed with the inputs, as what it is.
        let listed = r["inputs"]
            .as_array()
            .and_then(|i| i.iter().find(|i| i["kind_reason"] == "your own posts (--me)"))
            .unwrap_or_else(|| panic!("{file} is not among the inputs"));
        assert_eq!(listed["platform"], platform);
        // No follower count in such an export: no tier, no rate on followers.
        assert!(me["followers"].is_null() && me["tier"].is_null(), "{file}");
    }
}

#[test]
fn your_follower_count_gives_your_rate_and_tier() {
    let r = score_json(&[
        SAMPLE[0],
        SAMPLE[1],
        "--bootstrap",
        "0",
        "--me",
        "tests/fixtures/me/douyin_works.csv",
        "--me-followers",
        "5000",
    ]);
    let me = &r["me"];
    assert_eq!(me["followers"], 5000.0);
    assert_eq!(me["tier"], "nano");
    let niches = me["niches"].as_array().expect("niches");
    let on_douyin = niches
        .iter()
        .find(|n| n["other_platforms"] == false)
        .expect("a niche with douyin accounts");
    // 630 per post on 5,000 followers.
    close(
        standing(on_douyin, "engagement_rate").and_then(|s| s["yours"].as_f64()),
        630.0 / 5000.0,
        "engagement rate",
    );
    assert!(standing(on_douyin, "views_per_follower").is_some());

    // Without it the table says what is missing and what gives it, and writes no "—" share.
    let without = niche(&[
        "score",
        SAMPLE[0],
        SAMPLE[1],
        "--bootstrap",
        "0",
        "--me",
        "tests/fixtures/me/douyin_works.csv",
    ]);
    assert_eq!(without.code, 0, "{}", without.stderr);
    assert!(
        without.stdout.contains("followers unknown") && without.stdout.contains("--me-followers N"),
        "{}",
        without.stdout
    );
    assert!(!without.stdout.contains("(— in your tier)"), "{}", without.stdout);
}

#[test]
fn what_cannot_be_your_export_is_refused_with_the_file_named() {
    let two = niche(&[
        "score",
        SAMPLE[0],
        SAMPLE[1],
        "--me",
        "tests/fixtures/me/two_accounts.csv",
    ]);
    assert_eq!(two.code, 1, "{}", two.stderr);
    assert!(
        two.stderr.contains("two_accounts.csv") && two.stderr.contains("2 accounts"),
        "{}",
        two.stderr
    );
    let empty = niche(&["score", SAMPLE[0], SAMPLE[1], "--me", "tests/fixtures/me/no_counts.csv"]);
    assert_eq!(empty.code, 1, "{}", empty.stderr);
    assert!(
        empty.stderr.contains("no_counts.csv") && empty.stderr.contains("engagement or views"),
        "{}",
        empty.stderr
    );
    let twice = niche(&[
        "score",
        SAMPLE[0],
        SAMPLE[1],
        "tests/fixtures/me/douyin_works.csv",
        "--me",
        "tests/fixtures/me/douyin_works.csv",
    ]);
    assert_eq!(twice.code, 1, "{}", twice.stderr);
    assert!(twice.stderr.contains("also one of the inputs"), "{}", twice.stderr);
    let missing = niche(&["score", SAMPLE[0], SAMPLE[1], "--me", "my_export.csv"]);
    assert_eq!(missing.code, 1, "{}", missing.stderr);
    assert!(missing.stderr.contains("no such file"), "{}", missing.stderr);
    for args in [
        vec!["--me-followers", "100"],
        vec!["--me", "u1001", "--me-followers", "100"],
        vec!["--me", "tests/fixtures/me/douyin_works.csv", "--me-followers=-5"],
    ] {
        let mut all = vec!["score", SAMPLE[0], SAMPLE[1]];
        all.extend(args.iter().copied());
        let run = niche(&all);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("--me"), "{args:?}: {}", run.stderr);
    }
}

/// Every niche measure with `--me u1001` is what it is with u1001's rows taken out of the files:
/// your account is in no niche's numbers, sponsored prior and style included. Only the answers
/// about you (question 3) differ.
#[test]
fn your_account_is_never_its_own_competitor() {
    let dir = scratch("me_not_a_competitor");
    let keep = |from: &str, to: &str, drop: &dyn Fn(&str) -> bool| {
        let text = std::fs::read_to_string(from).expect("sample");
        let kept: Vec<&str> = text.lines().filter(|l| !drop(l)).collect();
        assert!(kept.len() < text.lines().count(), "{from}: some rows are u1001's");
        std::fs::write(dir.join(to), kept.join("\n") + "\n").expect("write");
    };
    keep(SAMPLE[0], "accounts.csv", &|l| l.starts_with("u1001,"));
    keep(SAMPLE[1], "posts.csv", &|l| l.split(',').nth(1) == Some("u1001"));
    let without = score_json(&[
        &dir.join("accounts.csv").to_string_lossy(),
        &dir.join("posts.csv").to_string_lossy(),
        "--bootstrap",
        "20",
    ]);
    let with = score_json(&[SAMPLE[0], SAMPLE[1], "--bootstrap", "20", "--me", "u1001"]);
    let strip = |r: &serde_json::Value| -> Vec<serde_json::Value> {
        r["niches"]
            .as_array()
            .expect("niches")
            .iter()
            .map(|n| {
                let mut n = n.clone();
                n["questions"][2] = serde_json::Value::Null;
                n
            })
            .collect()
    };
    let (a, b) = (strip(&with), strip(&without));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "{}", x["niche"]);
    }
    assert!(
        a.iter().any(|n| n["style"].is_object()),
        "the sample's niches have a style to compare"
    );
}

#[test]
fn a_profile_names_you_and_me_replaces_it() {
    let dir = scratch("me_profile");
    std::fs::copy("tests/fixtures/me/douyin_works.csv", dir.join("mine.csv")).expect("copy");
    let profile = dir.join("profile.toml");
    std::fs::write(&profile, "hours_per_week = 8\nme = \"mine.csv\"\nme_followers = 5000\n").expect("write");
    let profile = profile.to_string_lossy().to_string();
    // The file is found beside the profile, wherever niche runs from.
    // The sample scored with the profile, and these flags beside it.
    let with = |more: &[&str]| {
        let mut args = vec![SAMPLE[0], SAMPLE[1], "--bootstrap", "0", "--profile", &profile];
        args.extend_from_slice(more);
        score_json(&args)
    };
    let r = with(&[]);
    assert_eq!(r["me"]["account"], "mine.csv");
    assert_eq!(r["me"]["followers"], 5000.0);
    let flag = with(&["--me", "u1001"]);
    assert_eq!(flag["me"]["account"], "u1001", "--me replaces the profile's");
    let followers = with(&["--me-followers", "800"]);
    assert_eq!(
        followers["me"]["followers"], 800.0,
        "--me-followers replaces the profile's"
    );
}
