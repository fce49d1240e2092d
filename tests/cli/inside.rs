//! A look inside a niche: its breakout posts and the accounts behind it, in the report, as JSON
//! (`niche show --format json`) and on the terminal (`niche show`).

use std::path::PathBuf;

use super::support::{niche, scratch};

/// Accounts of one niche on xiaohongshu, each with posts near its own typical engagement, and
/// three planted breakouts: a small account's post at 12× its typical post, a mid account's at
/// 6×, and the biggest account's at 3× (the most engagement of all, but not the most above its
/// own). Rows come interleaved across accounts, as a crawl returns them; one title is hostile.
fn planted(name: &str) -> (PathBuf, [String; 3]) {
    let dir = scratch(name);
    // (account, followers, typical engagement)
    let accounts = [
        ("a1", 3_000.0, 40.0),
        ("a2", 8_000.0, 90.0),
        ("a3", 20_000.0, 300.0),
        ("a4", 60_000.0, 700.0),
        ("a5", 150_000.0, 2_000.0),
        ("a6", 400_000.0, 9_000.0),
        ("a7", 900_000.0, 30_000.0),
    ];
    let mut list = String::from("account_id,nickname,platform,niche,followers\n");
    for (a, f, _) in accounts {
        list.push_str(&format!("{a},name of {a},xiaohongshu,手工皮具,{f}\n"));
    }
    std::fs::write(dir.join("accounts.csv"), list).unwrap();
    // Note ids in Xiaohongshu's form (24 hex digits), so the posts link to the platform.
    let id = |k: usize| format!("65{k:022x}");
    let planted = [(0usize, 12.0), (2, 6.0), (6, 3.0)];
    let mut rows: Vec<String> = Vec::new();
    let mut k = 0usize;
    for round in 0..9 {
        for (i, (a, _, typical)) in accounts.iter().enumerate() {
            k += 1;
            // Ordinary posts within ±10% of the account's typical post; the fifth round holds the
            // planted ones.
            let (times, title) = match planted.iter().find(|p| p.0 == i).filter(|_| round == 4) {
                Some(&(_, t)) => (t, format!("planted {a} <b>爆文</b>")),
                None => (
                    0.9 + 0.025 * ((round * 7 + i * 3) % 9) as f64,
                    format!("ordinary post {k}"),
                ),
            };
            let engagement = (typical * times).round();
            let comments = (engagement / 10.0).round();
            rows.push(format!(
                "{},{a},2026-0{}-{:02} 12:00:00,{},{comments},\"{title}\"",
                id(k),
                7 + round / 4,
                1 + (round * 3 + i) % 27,
                engagement - comments
            ));
        }
    }
    let mut posts = String::from("note_id,user_id,time,liked_count,comment_count,title\n");
    posts.push_str(&rows.join("\n"));
    posts.push('\n');
    std::fs::write(dir.join("posts.csv"), posts).unwrap();
    let planted_ids = planted.map(|(i, _)| id(4 * accounts.len() + i + 1));
    (dir, planted_ids)
}

fn files(dir: &std::path::Path) -> [String; 2] {
    ["accounts.csv", "posts.csv"].map(|f| dir.join(f).to_string_lossy().to_string())
}

#[test]
fn the_breakout_posts_are_the_planted_ones_in_order() {
    let (dir, planted) = planted("inside_json");
    let [a, p] = files(&dir);
    let run = niche(&["show", "手工皮具", &a, &p, "--format", "json", "--bootstrap", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let n: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let posts = n["top_posts"].as_array().unwrap();
    let ids: Vec<&str> = posts.iter().map(|p| p["post_id"].as_str().unwrap()).collect();
    assert_eq!(
        ids[..3],
        planted.iter().map(String::as_str).collect::<Vec<_>>()[..],
        "{ids:?}"
    );
    // Their standing against the account's typical post (the median of its nine posts).
    let times: Vec<f64> = posts.iter().map(|p| p["times_typical"].as_f64().unwrap()).collect();
    for (got, want) in times.iter().zip([12.0, 6.0, 3.0]) {
        assert!((got / want - 1.0).abs() < 0.12, "{times:?}");
    }
    // The rest are ordinary posts, at most 10% above their account's typical one, in order.
    assert_eq!(posts.len(), 10);
    assert!(times[3..].iter().all(|t| *t <= 1.13), "{times:?}");
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    // What a breakout post carries: account, counts, title as written, date, link.
    let first = &posts[0];
    assert_eq!(first["account"], "a1");
    assert_eq!(first["platform"], "xiaohongshu");
    assert_eq!(
        first["title"], "planted a1 爆文",
        "markup left out, as style reads titles"
    );
    assert_eq!(first["account_name"], "name of a1", "from the account list");
    assert_eq!(first["engagement"].as_f64(), Some(480.0));
    assert_eq!(first["comments"].as_f64(), Some(48.0));
    assert_eq!(first["published"], "2026-08-13");
    assert_eq!(
        first["link"].as_str(),
        Some(format!("https://www.xiaohongshu.com/explore/{}", planted[0]).as_str())
    );
    // The head is the biggest account (the top tenth of seven, rounded up), its best post the
    // planted one.
    let accounts = n["top_accounts"].as_array().unwrap();
    assert_eq!(accounts[0]["role"], "head");
    assert_eq!(accounts[0]["account"], "a7");
    assert_eq!(accounts[0]["name"], "name of a7");
    assert_eq!(accounts[0]["best_post"]["post_id"], planted[2].as_str());
    assert_eq!(accounts.iter().filter(|a| a["role"] == "head").count(), 1);
}

#[test]
fn the_report_shows_the_breakouts_as_text_and_show_prints_them() {
    let (dir, planted) = planted("inside_report");
    let [a, p] = files(&dir);
    let out = dir.join("report");
    let run = niche(&["score", &a, &p, "--bootstrap", "0", "--report", &out.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Breakout posts") && html.contains("Accounts to look at"));
    assert!(html.contains("planted a1 爆文"), "the title without its markup");
    assert!(!html.contains("<b>爆文") && !html.contains("&lt;b&gt;爆文"));
    assert!(html.contains(&format!("href=\"https://www.xiaohongshu.com/explore/{}\"", planted[0])));
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} not on the page"));
    assert!(at("planted a1") < at("planted a3") && at("planted a3") < at("planted a7"));
    // Sortable without a script: the engagement order's rows (the second body) put the biggest
    // account's planted post, the most engagement of all, first.
    assert!(!html.contains("<script"));
    assert!(html.contains("type=\"radio\""));
    let by_engagement = &html[at("<tbody class=\"o1\">")..];
    let by_engagement = &by_engagement[..by_engagement.find("</tbody>").unwrap()];
    let row = |s: &str| {
        by_engagement
            .find(s)
            .unwrap_or_else(|| panic!("{s} not in the engagement order"))
    };
    assert!(row("planted a7") < row("planted a3") && row("planted a3") < row("planted a1"));

    let shown = niche(&["show", "手工皮具", &a, &p, "--bootstrap", "0"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let line = |s: &str| {
        shown
            .stdout
            .find(s)
            .unwrap_or_else(|| panic!("{s} not in: {}", shown.stdout))
    };
    assert!(line("planted a1") < line("planted a3") && line("planted a3") < line("planted a7"));
    let first = shown.stdout.lines().find(|l| l.contains("planted a1")).unwrap();
    assert!(
        first.starts_with("   1.") && first.contains("× ") && first.contains("480 eng"),
        "{first}"
    );
    assert!(shown.stdout.contains("head     name of a7"), "{}", shown.stdout);
}

#[test]
fn show_names_the_nearest_niche_when_none_matches() {
    let (dir, _) = planted("inside_unknown");
    let [a, p] = files(&dir);
    let run = niche(&["show", "手工", &a, &p, "--bootstrap", "0"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no niche is named \"手工\""), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean \"手工皮具\"?"), "{}", run.stderr);
    let csv = niche(&["show", "手工皮具", &a, &p, "--format", "csv"]);
    assert_eq!(csv.code, 1);
    assert!(csv.stderr.contains("--format json"), "{}", csv.stderr);
}

#[test]
fn an_account_is_shown_against_its_niche_with_its_best_and_worst_posts() {
    let (dir, planted) = planted("inside_account");
    let [a, p] = files(&dir);
    let run = niche(&["account", "a1", &a, &p, "--format", "json", "--bootstrap", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let me: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(me["account"], "a1");
    let here = me["niches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["yours"] == true)
        .unwrap();
    assert_eq!(here["niche"], "手工皮具");
    let best = here["your_best_posts"].as_array().unwrap();
    assert_eq!(best[0]["post_id"], planted[0].as_str());
    assert!(best[0]["times_typical"].as_f64().unwrap() > 10.0);
    // The worst: the ordinary posts furthest below its typical one (0.9× is the lowest planted).
    let worst = here["your_worst_posts"].as_array().unwrap();
    assert_eq!(best.len() + worst.len(), 6);
    assert!(
        worst.iter().all(|p| p["times_typical"].as_f64().unwrap() < 1.0),
        "{worst:?}"
    );
    // Its standings among the niche's other six accounts.
    let er = here["standings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["measure"] == "engagement_rate")
        .unwrap();
    assert!(er["percentile"].as_f64().is_some());

    let text = niche(&["account", "a1", &a, &p, "--bootstrap", "0"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("In 手工皮具"), "{}", text.stdout);
    let best_line = text.stdout.lines().position(|l| l.contains("its best posts")).unwrap();
    assert!(
        text.stdout.lines().nth(best_line + 1).unwrap().contains("planted a1"),
        "{}",
        text.stdout
    );

    let unknown = niche(&["account", "a99", &a, &p, "--bootstrap", "0"]);
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("a99"), "{}", unknown.stderr);
}

#[test]
fn show_sets_your_best_posts_beside_the_breakouts() {
    let (dir, _) = planted("inside_me");
    let [a, p] = files(&dir);
    let run = niche(&["show", "手工皮具", &a, &p, "--me", "a3", "--bootstrap", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let at = run.stdout.find("Your best posts here").expect("your posts listed");
    let after = &run.stdout[at..];
    assert!(after.lines().nth(1).unwrap().contains("planted a3"), "{}", run.stdout);
    // Your account is not among the niche's breakouts: it is measured apart.
    let breakouts = &run.stdout[..at];
    assert!(!breakouts.contains("planted a3"), "{}", run.stdout);
    assert!(breakouts.contains("planted a1"));
}

#[test]
fn a_setting_lists_more_or_fewer_breakout_posts() {
    let (dir, planted) = planted("inside_setting");
    let [a, p] = files(&dir);
    for (setting, want) in [("0", 63), ("2", 2)] {
        let config = dir.join(format!("top_{setting}.toml"));
        std::fs::write(&config, format!("[measure]\ntop_posts = {setting}\n")).unwrap();
        let run = niche(&[
            "show",
            "手工皮具",
            &a,
            &p,
            "--format",
            "json",
            "--bootstrap",
            "0",
            "--config",
            &config.to_string_lossy(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let n: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let posts = n["top_posts"].as_array().unwrap();
        assert_eq!(posts.len(), want, "top_posts = {setting}");
        assert_eq!(posts[0]["post_id"], planted[0].as_str());
    }
}
