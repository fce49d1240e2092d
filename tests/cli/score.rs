//! `niche score`: counts match a hand count, messy shapes score, outputs are well formed.

use super::support::{fixture, niche, niche_named, score_json};

#[test]
fn joined_accounts_and_posts_match_the_hand_count() {
    let r = score_json(&[&fixture("join_accounts.csv"), &fixture("join_posts.csv")]);
    assert_eq!(r["method_version"], niche::method::METHOD_VERSION);
    let food = niche_named(&r, "food");
    // a1 (10,000) and a2 (50,000); posts p1 135, p2 270, p3 1,350 (likes+comments+shares+collects).
    assert_eq!(food["accounts"], 2);
    assert_eq!(food["posts"], 3);
    assert_eq!(food["followers_total"], 60000.0);
    assert_eq!(food["engagement_total"], 1755.0);
    // The median over accounts of each account's median post: a1 median(135, 270), a2 1,350.
    assert_eq!(food["median_engagement_per_post"], (202.5 + 1350.0) / 2.0);
    // p2 of p1..p3 is sponsored.
    assert_eq!(food["sponsored_share"], 1.0 / 3.0);
    // a1: median(135, 270) / 10,000 = 0.02025; a2: 1,350 / 50,000 = 0.027; median of the two.
    assert_eq!(food["engagement_rate"], (0.02025 + 0.027) / 2.0);
    assert_eq!(food["engagement_rate_basis"], "followers");

    let travel = niche_named(&r, "travel");
    // a3 (2,000) and a4 (followers missing: not zero, not counted); p6's comments are "abc", so its
    // engagement is unknown and left out of the total, while the post still counts.
    assert_eq!(travel["accounts"], 2);
    assert_eq!(travel["posts"], 3);
    assert_eq!(travel["followers_total"], 2000.0);
    assert_eq!(travel["accounts_with_followers"], 1);
    assert_eq!(travel["engagement_total"], 155.0);
    assert_eq!(travel["sponsored_share"], 0.0);

    let warnings = r["warnings"].to_string();
    assert!(warnings.contains("could not be read"), "{warnings}");
    assert!(warnings.contains("line 7"), "{warnings}");
    assert!(
        warnings.contains("1 post(s) from 1 account(s) have no row in the account list"),
        "{warnings}"
    );
}

#[test]
fn crawler_posts_with_bom_and_crlf_count_duplicates_and_multi_niche_posts() {
    let r = score_json(&[&fixture("crawler_posts_bom_crlf.csv")]);
    let input = &r["inputs"][0];
    assert_eq!(input["encoding"], "UTF-8 with BOM");
    assert_eq!(input["kind"], "posts");
    assert_eq!(input["platform"], "xiaohongshu");
    assert_eq!(input["rows_read"], 6);
    assert_eq!(input["deduplicated"], 1);
    let beauty = niche_named(&r, "美妆");
    // n1 (1.2万 + 3000 + 200 + 50), n3 (10万+ + 5000 + 900 + 300), n4 has comments "nan": unknown.
    assert_eq!(beauty["posts"], 3);
    assert_eq!(beauty["accounts"], 2);
    assert_eq!(beauty["engagement_total"], 15_250.0 + 106_200.0);
    assert_eq!(beauty["censored_values"], 1);
    assert_eq!(beauty["posts_in_other_niches"], 1);
    // Crawler output has no follower counts: follower measures are unavailable, not zero.
    assert!(beauty["followers_total"].is_null());
    assert!(beauty["top10_follower_share"].is_null());
    assert_eq!(beauty["engagement_rate"], serde_json::Value::Null);
    let skincare = niche_named(&r, "护肤");
    assert_eq!(skincare["posts"], 1);
    assert!(r["warnings"].to_string().contains("more than one niche"));
}

#[test]
fn gbk_account_list_with_wan_units_reads_every_form() {
    let r = score_json(&[&fixture("gbk_wan_units.csv")]);
    assert_eq!(r["inputs"][0]["encoding"], "GBK");
    let beauty = niche_named(&r, "美妆");
    // 1.2万 + 10万+ ; 未知 is missing, not zero.
    assert_eq!(beauty["accounts"], 3);
    assert_eq!(beauty["followers_total"], 112_000.0);
    assert_eq!(beauty["accounts_with_followers"], 2);
    assert_eq!(beauty["censored_values"], 1);
    // 3000, ￥12,000 and 1500: median 3000.
    assert_eq!(beauty["price_per_post_median"], 3000.0);
    let fitness = niche_named(&r, "健身");
    assert_eq!(fitness["followers_total"], 43_000.0);
    assert_eq!(r["inputs"][0]["platform"], "(per row)");
    assert_eq!(fitness["platforms"], serde_json::json!(["douyin"]));
}

#[test]
fn a_tab_separated_file_named_csv_is_sniffed() {
    let r = score_json(&[&fixture("tabs_named_csv.csv")]);
    assert!(r["inputs"][0]["format"].as_str().unwrap_or_default().contains("tab"));
    let music = niche_named(&r, "Music");
    // "-- " subscribers is missing; "1,234,567" views parse with thousands commas.
    assert_eq!(music["followers_total"], 18_752_951.0);
    assert_eq!(music["accounts"], 2);
}

#[test]
fn a_studio_export_skips_its_total_row() {
    let r = score_json(&[&fixture("studio_total_row.csv")]);
    assert_eq!(r["inputs"][0]["skipped"]["total"], 1);
    let finance = niche_named(&r, "Finance");
    assert_eq!(finance["posts"], 2);
    assert_eq!(finance["median_views_per_post"], 13_750.0);
    assert!(finance["accounts"].is_null(), "the export names no accounts");
}

#[test]
fn json_lines_and_json_arrays_are_read() {
    let r = score_json(&[&fixture("crawler.jsonl")]);
    assert_eq!(r["inputs"][0]["format"], "JSON lines");
    let food = niche_named(&r, "美食");
    assert_eq!(food["posts"], 2);
    assert_eq!(
        food["engagement_total"],
        15_000.0 + 88.0 + 12.0 + 300.0 + 2_000.0 + 10.0 + 3.0 + 90.0
    );
    let r = score_json(&[&fixture("crawler.json")]);
    assert_eq!(r["inputs"][0]["format"], "JSON array of objects");
    assert_eq!(niche_named(&r, "穿搭")["posts"], 2);
}

#[test]
fn niches_are_sorted_by_score_and_factors_stay_in_the_unit_interval() {
    let r = score_json(&["datasets/sample/accounts.csv", "datasets/sample/posts.csv"]);
    let niches = r["niches"].as_array().expect("niches");
    assert!(niches.len() >= 6);
    let scores: Vec<f64> = niches.iter().filter_map(|n| n["score"].as_f64()).collect();
    assert_eq!(
        scores.len(),
        niches.len(),
        "every sample niche has evidence for all three factors"
    );
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    for n in niches {
        for f in ["demand", "business", "traffic", "score"] {
            let v = n[f].as_f64().unwrap_or(-1.0);
            assert!((0.0..=1.0).contains(&v), "{f} = {v}");
        }
        let product = n["demand"].as_f64().unwrap_or(0.0)
            * n["business"].as_f64().unwrap_or(0.0)
            * n["traffic"].as_f64().unwrap_or(0.0);
        assert!((product - n["score"].as_f64().unwrap_or(-1.0)).abs() < 1e-12);
    }
}

#[test]
fn the_sample_recovers_its_planted_trends() {
    // make_sample plants +4%/week for AI工具 and −3%/week for 健身减脂.
    let r = score_json(&["datasets/sample/accounts.csv", "datasets/sample/posts.csv"]);
    let ai = niche_named(&r, "AI工具")["engagement_trend_weekly"]
        .as_f64()
        .unwrap_or(f64::NAN);
    let fitness = niche_named(&r, "健身减脂")["engagement_trend_weekly"]
        .as_f64()
        .unwrap_or(f64::NAN);
    assert!(ai > 0.02, "AI工具 trend {ai}");
    assert!(fitness < 0.0, "健身减脂 trend {fitness}");
}

#[test]
fn the_table_lines_up_chinese_and_english_names() {
    let run = niche(&["score", "datasets/sample/accounts.csv", "datasets/sample/posts.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().take_while(|l| !l.is_empty()).collect();
    assert!(lines.len() >= 4);
    // The "demand" column starts at the same display column on every row.
    let col = |l: &str| l.find(" 0.").map(|i| unicode_width::UnicodeWidthStr::width(&l[..=i]));
    let first = col(lines[2]);
    assert!(first.is_some(), "no factor column in {}", lines[2]);
    for l in &lines[2..] {
        assert_eq!(col(l), first, "misaligned row: {l}");
    }
    assert!(run
        .stdout
        .contains(&format!("method {}", niche::method::METHOD_VERSION)));
    assert!(run.stdout.contains("top pick:"));
}

#[test]
fn csv_output_has_a_header_and_one_row_per_niche_and_neutralises_formulas() {
    let run = niche(&["score", "--format", "csv", &fixture("hostile_names.csv")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(&headers[1], "niche");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().any(|r| r[1].starts_with("'=cmd")), "{rows:?}");
}

#[test]
fn hostile_text_is_escaped_in_the_terminal() {
    let run = niche(&["score", &fixture("hostile_names.csv")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains('\u{202e}'), "a bidi override reached the terminal");
}

#[test]
fn output_files_are_written_and_inputs_never_overwritten() {
    let dir = super::support::scratch("output");
    let out = dir.join("new folder").join("scores.json");
    let out_s = out.to_string_lossy().to_string();
    let run = niche(&[
        "score",
        &fixture("join_accounts.csv"),
        "--format",
        "json",
        "--output",
        &out_s,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("json");
    assert_eq!(written["method_version"], niche::method::METHOD_VERSION);

    let input = dir.join("in.csv");
    std::fs::copy(fixture("join_accounts.csv"), &input).expect("copy");
    let before = std::fs::read(&input).expect("read");
    let input_s = input.to_string_lossy().to_string();
    let run = niche(&["score", &input_s, "--output", &input_s]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("never writes over its inputs"), "{}", run.stderr);
    assert_eq!(std::fs::read(&input).expect("read"), before);
}

#[test]
fn runs_are_byte_identical() {
    let args = [
        "score",
        "--format",
        "json",
        "datasets/sample/accounts.csv",
        "datasets/sample/posts.csv",
    ];
    let a = niche(&args);
    let b = niche(&args);
    assert_eq!(a.code, 0);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn top_shortens_the_table_and_min_accounts_leaves_niches_out() {
    let sample = ["datasets/sample/accounts.csv", "datasets/sample/posts.csv"];
    let full = niche(&[&["score", "--bootstrap", "0"], &sample[..]].concat());
    let short = niche(&[&["score", "--bootstrap", "0", "--top", "3"], &sample[..]].concat());
    assert_eq!(short.code, 0, "{}", short.stderr);
    let rows = |out: &str| {
        out.lines()
            .skip(2)
            .take_while(|l| !l.is_empty() && !l.starts_with('…'))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (all, top) = (rows(&full.stdout), rows(&short.stdout));
    assert_eq!(all.len(), 9, "{}", full.stdout);
    // The first three rows as they were (the widths may differ with fewer rows).
    let squeeze = |l: &String| l.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        top.iter().map(squeeze).collect::<Vec<_>>(),
        all[..3].iter().map(squeeze).collect::<Vec<_>>()
    );
    assert!(
        short.stdout.contains("… 6 more niche(s) below rank 3"),
        "{}",
        short.stdout
    );
    assert!(short.stdout.contains("top pick:"));
    // The JSON keeps every niche.
    let json = niche(
        &[
            &["score", "--bootstrap", "0", "--top", "3", "--format", "json"],
            &sample[..],
        ]
        .concat(),
    );
    let r: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(r["niches"].as_array().map(Vec::len), Some(9));

    // The sample's niches have 10 to 14 accounts: with at least 12, four stay, and the notes say so.
    let r = score_json(&[&["--min-accounts", "12", "--bootstrap", "0"], &sample[..]].concat());
    let kept: Vec<u64> = r["niches"]
        .as_array()
        .expect("niches")
        .iter()
        .filter_map(|n| n["accounts"].as_u64())
        .collect();
    assert_eq!(kept.len(), 4, "{kept:?}");
    assert!(kept.iter().all(|&a| a >= 12), "{kept:?}");
    assert!(
        r.to_string()
            .contains("--min-accounts 12: 5 niche(s) with fewer accounts left out"),
        "{}",
        r["notes"]
    );
}

#[test]
fn a_missing_file_is_named_once_with_the_systems_words_once() {
    let run = niche(&["score", "tests/fixtures/no-such-file.csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("tests/fixtures/no-such-file.csv"), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("No such file or directory").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn thousands_written_with_dots_are_read_as_thousands_and_decimal_counts_are_warned() {
    let dir = super::support::scratch("dot_thousands");
    // A ';' account list written the European way: 891.298 followers is 891,298.
    let eu = dir.join("accounts_eu.csv");
    std::fs::write(
        &eu,
        "account;niche;followers;avg likes\na0;food;891.298;8.412\na1;food;1.234.567;12\na2;food;12.500;7\n",
    )
    .expect("write");
    let run = niche(&["score", "--bootstrap", "0", "--format", "json", &eu.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(
        niche_named(&r, "food")["followers_total"],
        891_298.0 + 1_234_567.0 + 12_500.0
    );
    assert!(
        run.stderr.contains("accounts_eu.csv:2:")
            && run.stderr.contains("column \"followers\"")
            && run.stderr.contains("\"891.298\"")
            && run.stderr.contains("read as thousands (891298)"),
        "names the file, line, column and value: {}",
        run.stderr
    );
    // The average beside them is written the same way.
    assert!(run.stderr.contains("column \"avg likes\""), "{}", run.stderr);

    // Where the column also holds other decimals, '.' is a decimal point: read as written, and a
    // count with a decimal part is warned, never silently taken.
    let mixed = dir.join("posts_mixed.csv");
    std::fs::write(
        &mixed,
        "post_id,account,niche,likes,comments,date\np1,a0,food,891.298,5,2026-01-05\np2,a0,food,1234.5,3,2026-01-06\np3,a1,food,7,2,2026-01-07\n",
    )
    .expect("write");
    let run = niche(&[
        "score",
        "--bootstrap",
        "0",
        "--format",
        "json",
        &mixed.to_string_lossy(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let r: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let total = niche_named(&r, "food")["engagement_total"].as_f64().unwrap_or(f64::NAN);
    assert!(
        (total - (891.298 + 5.0 + 1234.5 + 3.0 + 7.0 + 2.0)).abs() < 1e-6,
        "{total}"
    );
    assert!(
        run.stderr
            .contains("column \"likes\" (likes): 2 value(s) have a decimal part")
            && run.stderr.contains("posts_mixed.csv:2:"),
        "{}",
        run.stderr
    );

    // A comma file whose likes write thousands with '.': the same reading on either path.
    let posts = dir.join("posts_dots.csv");
    std::fs::write(
        &posts,
        "post_id,account,niche,likes,comments,date\np1,a0,food,1.234,5,2026-01-05\np2,a0,food,12,3,2026-01-06\np3,a1,tech,7,2,2026-01-07\n",
    )
    .expect("write");
    let r = score_json(&["--bootstrap", "0", &posts.to_string_lossy()]);
    assert_eq!(niche_named(&r, "food")["engagement_total"], 1254.0);
}

#[test]
fn xlsx_needs_a_file_and_a_csv_file_carries_excels_mark() {
    let sample = ["datasets/sample/accounts.csv", "datasets/sample/posts.csv"];
    let run = niche(&[&["score", "--bootstrap", "0", "--format", "xlsx"], &sample[..]].concat());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("--output"), "{}", run.stderr);
    let dir = super::support::scratch("xlsx_out");
    let book = dir.join("scores.xlsx");
    let book_s = book.to_string_lossy().to_string();
    let run = niche(
        &[
            &["score", "--bootstrap", "0", "--format", "xlsx", "--output", &book_s],
            &sample[..],
        ]
        .concat(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(&book).expect("written");
    assert!(bytes.starts_with(b"PK"), "a workbook is a zip file");
    // No clock in it: the document's dates are fixed, so the same run gives the same bytes.
    let props = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('docProps/core.xml').decode())",
            &book_s,
        ])
        .output()
        .expect("python3 reads the workbook's zip");
    let props = String::from_utf8_lossy(&props.stdout);
    assert!(
        props.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2000-01-01T00:00:00Z"),
        "{props}"
    );
    let again = dir.join("again.xlsx");
    let again_s = again.to_string_lossy().to_string();
    let run = niche(
        &[
            &["score", "--bootstrap", "0", "--format", "xlsx", "--output", &again_s],
            &sample[..],
        ]
        .concat(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read(&again).expect("written"), bytes, "byte for byte");
    let csv = dir.join("scores.csv");
    let csv_s = csv.to_string_lossy().to_string();
    let run = niche(
        &[
            &["score", "--bootstrap", "0", "--format", "csv", "--output", &csv_s],
            &sample[..],
        ]
        .concat(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read(&csv).expect("written").starts_with(b"\xEF\xBB\xBF"),
        "the sample's names are Chinese"
    );
}

#[test]
fn niches_named_by_keywords_file_a_crawl_without_a_niche_column() {
    let dir = super::support::scratch("keyword_niches");
    let posts = dir.join("search.csv");
    std::fs::write(
        &posts,
        "note_id,user_id,title,tag_list,liked_count,comment_count,time\n\
         n1,u1,3个免费TTS工具,工具,120,4,2026-08-01\n\
         n2,u1,AI<em class=\"keyword\">配音</em>教程,,300,9,2026-08-03\n\
         n3,u2,Suno写歌,,80,2,2026-08-05\n\
         n4,u2,rain sounds,sleep,50,1,2026-08-06\n\
         n5,u3,attstation review,,40,0,2026-08-07\n",
    )
    .unwrap();
    let p = posts.to_string_lossy().to_string();
    let args = [
        "score",
        &p,
        "--platform",
        "xiaohongshu",
        "--bootstrap",
        "0",
        "--format",
        "json",
        "--niche",
        "语音生成=TTS，配音、语音合成",
        "--niche",
        "音乐生成=音乐,Suno,写歌",
        "--niche",
        "AI 产品=AI",
        "--niche",
        "冥想=meditation",
    ];
    let run = niche(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let posts_in = |name: &str| super::support::niche_named(&report, name)["posts"].as_u64();
    // n2 is in two niches (配音 and AI); TTS inside "attstation" is not the keyword.
    assert_eq!(posts_in("语音生成"), Some(2));
    assert_eq!(posts_in("音乐生成"), Some(1));
    assert_eq!(posts_in("AI 产品"), Some(1));
    assert_eq!(report["niches"].as_array().unwrap().len(), 3);
    let input = &report["inputs"][0];
    assert_eq!(input["rows_without_niche"], 2);
    assert_eq!(input["niches_by_keyword"]["冥想"], 0);
    assert!(run.stderr.contains("--niche \"冥想\""), "{}", run.stderr);

    let none = niche(&["score", &p, "--niche", "冥想=meditation"]);
    assert_eq!(none.code, 1);
    assert!(
        none.stderr
            .contains("no post or account without a niche column has a --niche keyword"),
        "{}",
        none.stderr
    );
    let malformed = niche(&["score", &p, "--niche", "语音生成"]);
    assert_eq!(malformed.code, 1);
    assert!(
        malformed.stderr.contains("--niche NAME=KEYWORD"),
        "{}",
        malformed.stderr
    );
}

#[test]
fn niches_named_by_keywords_file_accounts_by_their_bio() {
    let dir = super::support::scratch("keyword_niches_bio");
    let accounts = dir.join("accounts.csv");
    let posts = dir.join("posts.csv");
    std::fs::write(
        &accounts,
        "account_id,account_name,followers,个人简介\n\
         a1,Alice,12000,AI 配音 教程\n\
         a2,Bob,50000,Suno 写歌 | 配音\n\
         a3,Cara,3000,日常\n\
         a4,Dan,8000,配音演员\n",
    )
    .unwrap();
    std::fs::write(
        &posts,
        "post_id,account_id,title,tags,published_at,likes,comments\n\
         p1,a1,TTS 教程,,2026-10-01,120,4\n\
         p2,a1,日常vlog,,2026-10-03,30,1\n\
         p3,a2,新歌,,2026-10-02,900,40\n\
         p4,a3,随便拍拍,,2026-10-02,10,0\n",
    )
    .unwrap();
    let (a, p) = (
        accounts.to_string_lossy().to_string(),
        posts.to_string_lossy().to_string(),
    );
    let run = niche(&[
        "score",
        &a,
        &p,
        "--bootstrap",
        "0",
        "--format",
        "json",
        "--platform",
        "xiaohongshu",
        "--niche",
        "语音生成=TTS,配音",
        "--niche",
        "音乐生成=Suno,写歌",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let niche_of = |name: &str| super::support::niche_named(&report, name).clone();
    // a1 and a4 by their bios (a4 has no posts: an account the posts alone would not find); a2
    // names both niches' keywords and goes under the first given; a3's bio holds none.
    let voice = niche_of("语音生成");
    assert_eq!(voice["accounts"], 3, "{voice}");
    assert_eq!(voice["followers_total"], 12000.0 + 50000.0 + 8000.0);
    // p2 holds no keyword and takes its account's niche, as from an account list's niche column.
    assert_eq!(voice["posts"], 3, "{voice}");
    assert_eq!(report["inputs"][0]["niches_by_keyword"]["语音生成"], 3);
    assert_eq!(report["inputs"][0]["niches_by_keyword"]["音乐生成"], 0);
    assert_eq!(report["inputs"][0]["rows_without_niche"], 1);
}
