//! The method's uncertainty, settings and profile, through the command line.

use super::support::{niche, score_json, scratch};

const SAMPLE: [&str; 2] = ["datasets/sample/accounts.csv", "datasets/sample/posts.csv"];

fn with(extra: &[&str]) -> serde_json::Value {
    let mut args: Vec<&str> = SAMPLE.to_vec();
    args.extend_from_slice(extra);
    score_json(&args)
}

#[test]
fn every_factor_and_score_has_an_interval_around_it_and_the_seed_decides_it() {
    let a = with(&["--bootstrap", "60", "--seed", "1"]);
    let b = with(&["--bootstrap", "60", "--seed", "1"]);
    let c = with(&["--bootstrap", "60", "--seed", "2"]);
    assert_eq!(a, b, "same seed, same output");
    assert_ne!(
        a["niches"][0]["intervals"], c["niches"][0]["intervals"],
        "another seed, other resamples"
    );
    for n in a["niches"].as_array().expect("niches") {
        for key in ["demand", "business", "traffic", "score"] {
            let Some(point) = n[key].as_f64() else { continue };
            let i = &n["intervals"][key];
            let (lo, hi) = (
                i["low"].as_f64().unwrap_or(f64::NAN),
                i["high"].as_f64().unwrap_or(f64::NAN),
            );
            assert!(
                lo <= hi && (0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi),
                "{key}: {i}"
            );
            // Never stretched: a point outside its interval is there only with the bias named.
            assert!(
                (lo <= point && point <= hi) || i["bias"].is_number(),
                "{key} {point} lies inside its interval {i}, or the bias is reported"
            );
        }
        let p = n["p_first"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&p));
        for pair in n["by_platform"].as_array().expect("by_platform") {
            let Some(point) = pair["score"].as_f64() else { continue };
            let i = &pair["intervals"]["score"];
            let (lo, hi) = (
                i["low"].as_f64().unwrap_or(f64::NAN),
                i["high"].as_f64().unwrap_or(f64::NAN),
            );
            assert!(lo <= point && point <= hi, "niche × platform {point} inside {i}");
        }
    }
    let first_place: f64 = a["niches"]
        .as_array()
        .expect("niches")
        .iter()
        .filter_map(|n| n["p_first"].as_f64())
        .sum();
    assert!(
        (first_place - 1.0).abs() < 1e-9,
        "exactly one niche is first in each resample: {first_place}"
    );
}

#[test]
fn a_niche_of_fewer_than_five_accounts_gets_no_interval_and_says_why() {
    let r = score_json(&["tests/fixtures/crawler_posts_bom_crlf.csv", "--bootstrap", "50"]);
    let niches = r["niches"].as_array().expect("niches");
    assert!(!niches.is_empty());
    for n in niches {
        let accounts = n["accounts"].as_u64().unwrap_or(0);
        if accounts < 5 {
            assert!(
                n["intervals"].as_object().is_some_and(|m| m.is_empty()),
                "{}: {}",
                n["niche"],
                n["intervals"]
            );
            assert!(
                n["interval_note"].as_str().is_some_and(|s| s.contains("fewer than 5")),
                "{n}"
            );
        }
    }
}

#[test]
fn a_niche_crawled_later_leaves_another_niches_trend_as_it_was() {
    // The sample, and the sample with one AI工具 post published four weeks after every other post:
    // AI工具's crawl is later, so its latest week moves; 搞笑段子's trend does not.
    let dir = scratch("post_age_per_niche");
    let posts = std::fs::read_to_string("datasets/sample/posts.csv").expect("posts");
    let later =
        posts.clone() + "n99999,u1001,AI工具1号,一条晚发的笔记,2026-09-01 20:00:00,354,790,46,40,,false,\"AI工具\"\n";
    std::fs::write(dir.join("posts.csv"), later).expect("write");
    let before = score_json(&[
        "datasets/sample/accounts.csv",
        "datasets/sample/posts.csv",
        "--bootstrap",
        "0",
    ]);
    let after = score_json(&[
        "datasets/sample/accounts.csv",
        &dir.join("posts.csv").to_string_lossy(),
        "--bootstrap",
        "0",
    ]);
    let trend = |r: &serde_json::Value, n: &str| super::support::niche_named(r, n)["weekly_trend"].clone();
    assert_eq!(trend(&before, "搞笑段子"), trend(&after, "搞笑段子"));
    assert!(trend(&before, "搞笑段子").as_array().is_some_and(|w| w.len() >= 4));
    assert_ne!(trend(&before, "AI工具"), trend(&after, "AI工具"), "its own cut moved");
}

#[test]
fn no_bootstrap_means_no_intervals_rather_than_made_up_ones() {
    let r = with(&["--bootstrap", "0"]);
    let n = &r["niches"][0];
    assert!(
        n["intervals"].as_object().is_some_and(|m| m.is_empty()),
        "{}",
        n["intervals"]
    );
    assert!(n["p_above_next"].is_null());
}

#[test]
fn sensitivity_moves_each_weight_both_ways() {
    let r = with(&["--bootstrap", "0"]);
    let s = r["sensitivity"].as_array().expect("sensitivity");
    assert!(s.len() >= 5, "one entry per weighted sub-factor with evidence");
    for entry in s {
        assert_eq!(
            entry["low"].as_array().map(Vec::len),
            r["niches"].as_array().map(Vec::len)
        );
        assert_eq!(
            entry["high"].as_array().map(Vec::len),
            r["niches"].as_array().map(Vec::len)
        );
    }
}

#[test]
fn a_config_file_changes_the_weights_and_a_bad_key_names_its_line() {
    let dir = scratch("config");
    let only_traffic = dir.join("traffic.toml");
    // All demand and business weight on one sub-factor each; traffic decided by reach alone.
    std::fs::write(
        &only_traffic,
        "[weights]\nengagement_rate = 0\nreach_per_post = 1\n[bootstrap]\nresamples = 0\n",
    )
    .expect("write");
    let r = with(&["--config", &only_traffic.to_string_lossy()]);
    assert_eq!(r["weights"]["engagement_rate"], 0.0);
    for n in r["niches"].as_array().expect("niches") {
        let reach = n["evidence"]
            .as_array()
            .and_then(|e| e.iter().find(|e| e["sub_factor"] == "reach_per_post"))
            .cloned();
        if let Some(p) = reach.and_then(|e| e["scale"].as_f64()) {
            assert_eq!(
                n["traffic"].as_f64(),
                Some(p),
                "traffic is reach alone for {}",
                n["niche"]
            );
        }
    }
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[weights]\naudience = 0.4\n\n[bootstrap]\nresample = 10\n").expect("write");
    let run = niche(&["score", SAMPLE[0], SAMPLE[1], "--config", &bad.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("bad.toml:5"), "{}", run.stderr);
    assert!(run.stderr.contains("niche config"), "{}", run.stderr);
    let defaults = niche(&["config"]);
    assert_eq!(defaults.code, 0);
    assert!(defaults.stdout.contains("[weights]") && defaults.stdout.contains("audience = 0.5"));
}

#[test]
fn a_profile_adds_a_personal_score_and_answers_question_three() {
    let dir = scratch("profile");
    let path = dir.join("me.toml");
    std::fs::write(
        &path,
        "hours_per_week = 6\nplatforms = [\"小红书\"]\nchannels = [\"consulting\"]\n[niche.\"AI工具\"]\nskill = 0.9\ninterest = 0.9\n",
    )
    .expect("write");
    let r = with(&["--bootstrap", "0", "--profile", &path.to_string_lossy()]);
    let ai = r["niches"]
        .as_array()
        .and_then(|n| n.iter().find(|n| n["niche"] == "AI工具"))
        .cloned()
        .expect("AI工具");
    let personal = &ai["personal"];
    assert_eq!(personal["skill"], 0.9);
    assert_eq!(
        personal["platform_fit"], 1.0,
        "AI工具 starts on xiaohongshu, which the profile uses"
    );
    assert!(personal["score"].as_f64().is_some());
    assert!(personal["score_interval"].is_null(), "no bootstrap, no interval");
    let with_boot = with(&["--bootstrap", "50", "--profile", &path.to_string_lossy()]);
    for n in with_boot["niches"].as_array().expect("niches") {
        let p = &n["personal"];
        if let (Some(s), Some(lo), Some(hi)) = (
            p["score"].as_f64(),
            p["score_interval"][0].as_f64(),
            p["score_interval"][1].as_f64(),
        ) {
            assert!(
                lo <= s && s <= hi,
                "personal {s} inside [{lo}, {hi}] for {}",
                n["niche"]
            );
        } else {
            assert!(p["score"].is_null(), "a personal score has an interval: {p}");
        }
    }
    let q3 = &ai["questions"][2];
    assert_eq!(q3["id"], 3);
    assert_eq!(q3["evidence"], true);
    let q6 = &ai["questions"][5];
    assert_eq!(q6["facts"]["your_channels"], serde_json::json!(["consulting"]));

    let table = niche(&[
        "score",
        SAMPLE[0],
        SAMPLE[1],
        "--bootstrap",
        "0",
        "--profile",
        &path.to_string_lossy(),
    ]);
    assert!(
        table.stdout.contains("personal") && table.stdout.contains("your pick:"),
        "{}",
        table.stdout
    );

    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[niche.\"AI工具\"]\nskill = 9\n").expect("write");
    let run = niche(&["score", SAMPLE[0], SAMPLE[1], "--profile", &bad.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("between 0 and 1"), "{}", run.stderr);
}

#[test]
fn without_a_profile_question_three_says_no_evidence() {
    let r = with(&["--bootstrap", "0"]);
    for n in r["niches"].as_array().expect("niches") {
        let q = n["questions"].as_array().expect("questions");
        assert_eq!(q.len(), 10);
        assert_eq!(q[2]["evidence"], false);
        assert_eq!(q[0]["evidence"], true);
    }
}

#[test]
fn every_niche_names_a_platform_to_start_on() {
    let r = with(&["--bootstrap", "0"]);
    for n in r["niches"].as_array().expect("niches") {
        let start = n["start_on"].as_str().unwrap_or_default();
        assert!(
            n["platforms"].as_array().is_some_and(|p| p.iter().any(|x| x == start)),
            "{}",
            n["niche"]
        );
        assert!(n["by_platform"].as_array().is_some_and(|p| !p.is_empty()));
    }
}

#[test]
fn the_bootstrap_gives_the_same_bytes_on_one_thread_and_on_many() {
    let run = |threads: &str| {
        let out = crate::support::command()
            .args(["score", "--format", "json", "--bootstrap", "40", SAMPLE[0], SAMPLE[1]])
            .env("NICHE_THREADS", threads)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("runs");
        assert!(out.status.success());
        out.stdout
    };
    let one = run("1");
    assert_eq!(one, run("3"));
    assert_eq!(one, run("8"));
}

#[test]
fn a_profile_with_an_unknown_key_names_its_line() {
    let dir = scratch("profile_syntax");
    let path = dir.join("me.toml");
    std::fs::write(&path, "hours_per_week = 6\nfavourite_colour = \"red\"\n").expect("write");
    let run = niche(&["score", SAMPLE[0], SAMPLE[1], "--profile", &path.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("me.toml:2:"), "{}", run.stderr);
    assert!(run.stderr.contains("examples/profile.toml"), "{}", run.stderr);
}

#[test]
fn a_reference_file_is_named_in_the_output_and_a_broken_one_names_its_line() {
    let dir = scratch("reference_file");
    let good = dir.join("mine.toml");
    let built_in = std::fs::read_to_string("datasets/reference/niche-2.1.toml").expect("built-in");
    std::fs::write(
        &good,
        built_in.replace("name = \"niche reference 2.1\"", "name = \"my panel\""),
    )
    .expect("write");
    let r = with(&["--bootstrap", "0", "--reference", &good.to_string_lossy()]);
    assert_eq!(r["reference"]["name"], "my panel");
    assert_eq!(r["reference"]["origin"], good.to_string_lossy().as_ref());
    let default = with(&["--bootstrap", "0"]);
    assert_eq!(default["reference"]["origin"], "datasets/reference/niche-2.1.toml");
    assert_eq!(
        r["niches"][0]["score"], default["niches"][0]["score"],
        "the same scales give the same scores"
    );
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\ndate = \"y\"\n[[scale]]\nmeasure = 3\n").expect("write");
    let run = niche(&["score", SAMPLE[0], SAMPLE[1], "--reference", &bad.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("bad.toml:4"), "{}", run.stderr);
}

#[test]
fn no_money_evidence_is_unknown_business_not_the_middle() {
    let r = score_json(&["tests/fixtures/no_money_columns.csv"]);
    for n in r["niches"].as_array().expect("niches") {
        assert!(n["business"].is_null() && n["score"].is_null(), "{}", n["niche"]);
        let (d, t) = (
            n["demand"].as_f64().expect("demand"),
            n["traffic"].as_f64().expect("traffic"),
        );
        let ceiling = n["score_ceiling"].as_f64().expect("a ceiling");
        assert!((ceiling - d * t).abs() < 1e-12);
        assert_eq!(n["intervals"]["business"]["low"], 0.0);
        assert_eq!(n["intervals"]["business"]["high"], 1.0);
        let hint = &n["questions"][4];
        assert_eq!(hint["id"], 5);
    }
    let table = niche(&["score", "tests/fixtures/no_money_columns.csv"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(
        table.stdout.contains("? (.00–1.00)") && table.stdout.contains("≤ "),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("business unknown: 2 niche(s)"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("Add sponsored flags"), "{}", table.stdout);
}

#[test]
fn your_account_is_set_beside_the_niches_and_never_its_own_competitor() {
    let without = with(&["--bootstrap", "0"]);
    let r = with(&["--bootstrap", "0", "--me", "u1001"]);
    let accounts = |report: &serde_json::Value| {
        report["niches"]
            .as_array()
            .and_then(|n| n.iter().find(|n| n["niche"] == "AI工具"))
            .and_then(|n| n["accounts"].as_u64())
    };
    assert_eq!(
        accounts(&r),
        accounts(&without).map(|a| a - 1),
        "you are not a competitor"
    );
    let me = &r["me"];
    assert_eq!(me["account"], "u1001");
    assert_eq!(me["platform"], "xiaohongshu");
    let niches = me["niches"].as_array().expect("niches");
    assert_eq!(niches.len(), r["niches"].as_array().map_or(0, Vec::len), "every niche");
    let ai = niches.iter().find(|n| n["niche"] == "AI工具").expect("AI工具");
    assert_eq!(ai["yours"], true);
    assert_eq!(ai["other_platforms"], false);
    let standings = ai["standings"].as_array().expect("standings");
    assert!(standings.iter().any(|s| s["measure"] == "engagement_rate"));
    for s in standings {
        let p = s["percentile"].as_f64().expect("a percentile");
        assert!((0.0..=1.0).contains(&p), "{s}");
    }
    // Question 3 (where is my advantage) is answered from your account.
    let q3 = r["niches"]
        .as_array()
        .and_then(|n| n.iter().find(|n| n["niche"] == "AI工具"))
        .map(|n| n["questions"][2].clone())
        .expect("question 3");
    assert_eq!(q3["evidence"], true, "{q3}");
    assert!(q3["facts"]["your_engagement_above"].as_f64().is_some(), "{q3}");
    // Its breakout posts against your typical post.
    let bar = ai["breakout_bar"].as_f64().expect("a breakout bar");
    let typical = ai["your_typical_post"].as_f64().expect("your typical post");
    assert!(bar > 0.0 && typical > 0.0);
    assert!(ai["accounts_with_breakouts"].as_u64().is_some_and(|k| k <= 11));
    // A niche on other platforms is compared only on measures that cross platforms.
    let finance = niches
        .iter()
        .find(|n| n["niche"] == "Personal finance")
        .expect("finance");
    assert_eq!(finance["other_platforms"], true);
    assert!(finance["standings"]
        .as_array()
        .expect("standings")
        .iter()
        .all(|s| s["measure"] != "engagement_rate" && s["measure"] != "views_per_follower"));
    assert!(
        finance["breakout_bar"].is_null(),
        "engagement is not compared across platforms"
    );

    // By name, as the account list writes it.
    let by_name = with(&["--bootstrap", "0", "--me", "AI工具1号"]);
    assert_eq!(by_name["me"]["account"], "u1001");
    let table = niche(&["score", SAMPLE[0], SAMPLE[1], "--bootstrap", "0", "--me", "u1001"]);
    assert!(table.stdout.contains("you: u1001 on xiaohongshu"), "{}", table.stdout);
    let missing = niche(&["score", SAMPLE[0], SAMPLE[1], "--me", "nobody"]);
    assert_eq!(missing.code, 1, "{}", missing.stderr);
    assert!(missing.stderr.contains("\"nobody\""), "{}", missing.stderr);
}

#[test]
fn demand_signals_set_each_niches_growth_in_both_layouts() {
    let r = with(&[
        "--bootstrap",
        "20",
        "--signals",
        "tests/fixtures/signals_baidu.csv",
        "--signals",
        "tests/fixtures/signals_google_trends.csv",
    ]);
    let niche_of = |name: &str| {
        r["niches"]
            .as_array()
            .and_then(|n| n.iter().find(|n| n["niche"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("{name}"))
    };
    // Long layout (百度指数-style rows): +5% a week, −3% a week.
    let ai = niche_of("AI工具");
    let monthly = ai["search_trend_monthly"].as_f64().expect("a trend");
    assert!((monthly - (1.05f64.powf(30.44 / 7.0) - 1.0)).abs() < 0.01, "{monthly}");
    let growth = ai["evidence"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["sub_factor"] == "growth"))
        .cloned()
        .expect("growth");
    assert_eq!(growth["measure"], "search_trend_monthly", "signals come first");
    assert!(niche_of("健身减脂")["search_trend_monthly"]
        .as_f64()
        .is_some_and(|t| t < 0.0));
    // Google Trends layout: the terms are the headers; `<1` is left out, not read as zero.
    let travel = niche_of("Travel vlog");
    assert_eq!(travel["search_trend_points"], 11);
    assert!(travel["search_trend_monthly"].as_f64().is_some_and(|t| t < 0.0));
    assert!(niche_of("Personal finance")["search_trend_monthly"]
        .as_f64()
        .is_some_and(|t| t > 0.0));
    // A niche without a signal keeps its other growth measure.
    assert!(niche_of("美妆护肤")["search_trend_monthly"].is_null());
    // What was not used is said, as a warning (on the terminal too).
    let warnings = r["warnings"].to_string();
    assert!(
        warnings.contains("区块链") && warnings.contains("match no niche"),
        "{warnings}"
    );
    assert!(
        warnings.contains("signals_baidu.csv") && warnings.contains("not a date"),
        "{warnings}"
    );
    // Given among the other files, without --signals, both layouts are known by their columns
    // and used alike.
    let undeclared = with(&[
        "--bootstrap",
        "20",
        "tests/fixtures/signals_baidu.csv",
        "tests/fixtures/signals_google_trends.csv",
    ]);
    assert_eq!(undeclared["niches"], r["niches"]);
    let kinds: Vec<(String, String)> = undeclared["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| (i["path"].as_str().unwrap_or("").to_string(), i["kind"].to_string()))
        .collect();
    assert!(
        kinds
            .iter()
            .filter(|(p, _)| p.contains("signals_"))
            .all(|(_, k)| k == "\"signals\""),
        "{kinds:?}"
    );
    let inspect = niche(&["inspect", "tests/fixtures/signals_google_trends.csv"]);
    assert!(
        inspect.stdout.contains("kind:      demand signals"),
        "{}",
        inspect.stdout
    );
    // A file that is not one names itself.
    let bad = niche(&["score", SAMPLE[0], SAMPLE[1], "--signals", "tests/fixtures/empty.csv"]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("empty.csv"), "{}", bad.stderr);
}

#[test]
fn the_example_profile_reads_and_scores_the_sample() {
    // examples/profile.toml, which README and the profile error point people to, is a profile
    // that works: every niche gets a personal score, the stated ones as stated, the account it
    // names set beside the niches.
    let r = with(&["--bootstrap", "0", "--profile", "examples/profile.toml"]);
    let niches = r["niches"].as_array().expect("niches");
    assert!(niches.iter().all(|n| n["personal"]["score"].as_f64().is_some()), "{r}");
    let ai = niches.iter().find(|n| n["niche"] == "AI工具").expect("AI工具");
    assert_eq!(ai["personal"]["skill"], 0.8);
    assert_eq!(ai["personal"]["interest"], 0.9);
    assert_eq!(r["me"]["account"], "u1001");
}

#[test]
fn names_that_match_no_niche_are_warned_on_the_terminal_with_the_nearest() {
    let dir = scratch("names_nearest");
    // A profile naming 美妆 (the niche is 美妆护肤), and a signal for "Personal finanse".
    let profile = dir.join("me.toml");
    std::fs::write(&profile, "[niche.\"美妆\"]\nskill = 0.9\n").expect("write");
    let signals = dir.join("signals.csv");
    std::fs::write(
        &signals,
        "keyword,date,index\nPersonal finanse,2026-01-05,10\nPersonal finanse,2026-02-05,12\n",
    )
    .expect("write");
    let run = niche(&[
        "score",
        SAMPLE[0],
        SAMPLE[1],
        "--bootstrap",
        "0",
        "--profile",
        &profile.to_string_lossy(),
        "--signals",
        &signals.to_string_lossy(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("[niche.\"美妆\"] names no niche") && run.stderr.contains("did you mean \"美妆护肤\"?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\"Personal finanse\" match no niche")
            && run.stderr.contains("did you mean \"Personal finance\"?"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains(" 0 warning(s)"), "{}", run.stdout);
    // A platform niche does not know, and an account that is not there.
    let run = niche(&[
        "score",
        SAMPLE[0],
        SAMPLE[1],
        "--bootstrap",
        "0",
        "--platform",
        "xiaohongshuu",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean \"xiaohongshu\"?"), "{}", run.stderr);
    let run = niche(&["score", SAMPLE[0], SAMPLE[1], "--bootstrap", "0", "--me", "u10O1"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean \"u1001\"?"), "{}", run.stderr);
}
