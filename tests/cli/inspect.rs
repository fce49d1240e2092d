//! `niche inspect`: what was recognised, shown to a person and to scripts.

use super::support::{fixture, niche};

#[test]
fn inspect_shows_kind_encoding_mapping_and_problems() {
    let run = niche(&["inspect", &fixture("gbk_wan_units.csv"), &fixture("join_posts.csv")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    for needle in [
        "encoding:  GBK (detected)",
        "kind:      account list",
        "followers     <- \"粉丝数\"",
        "niche         <- \"所属领域\"",
        "kind:      post list: it has a post id column (\"post_id\")",
        "comments (\"comments\"): 1 unreadable, out of 7 value(s); e.g. line 7: \"abc\"",
        "lower bound",
    ] {
        assert!(out.contains(needle), "expected {needle:?} in:\n{out}");
    }
}

#[test]
fn inspect_json_lists_every_input() {
    let run = niche(&[
        "inspect",
        "--format",
        "json",
        &fixture("tabs_named_csv.csv"),
        &fixture("crawler.jsonl"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["inputs"].as_array().map(Vec::len), Some(2));
    assert_eq!(v["inputs"][0]["format"], "delimited text, tab-separated");
    assert_eq!(v["inputs"][1]["platform"], "douyin");
    assert_eq!(v["method_version"], niche::method::METHOD_VERSION);
}

#[test]
fn duplicate_headers_choose_the_precise_column() {
    let dir = super::support::scratch("dup_headers");
    let path = dir.join("smi.csv");
    std::fs::write(
        &path,
        "Rank,name,Category_1,followers,followers,Eng. (Avg.),Eng. (Avg.)\n1,ann,Music,409.8M,409812345,17.8M,17800000\n2,bo,Music,1.2K,1234,10,10\n",
    )
    .expect("write");
    let run = niche(&["score", "--format", "json", &path.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["niches"][0]["followers_total"], 409_812_345.0 + 1_234.0);
    let followers = v["inputs"][0]["columns"]
        .as_array()
        .and_then(|c| c.iter().find(|m| m["field"] == "followers"))
        .cloned();
    assert_eq!(followers.map(|f| f["index"].clone()), Some(serde_json::json!(4)));
}

#[test]
fn completions_and_the_man_page_come_from_the_commands_definitions() {
    for (shell, mark) in [
        ("bash", "_niche()"),
        ("zsh", "#compdef niche"),
        ("fish", "complete -c niche"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = super::support::niche(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(
            run.stdout.contains(mark),
            "{shell}: {}",
            &run.stdout[..run.stdout.len().min(300)]
        );
        // Every subcommand and an option of score are offered.
        for word in ["score", "inspect", "reference", "min-accounts"] {
            assert!(run.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    // The bash script is valid bash.
    let bash = super::support::niche(&["completions", "bash"]);
    let script = super::support::scratch("completions").join("niche.bash");
    std::fs::write(&script, &bash.stdout).expect("write");
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("bash");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let bad = super::support::niche(&["completions", "tcsh"]);
    assert_eq!(bad.code, 1, "an unknown shell is a usage error: {}", bad.stderr);
    assert!(
        bad.stderr.contains("tcsh") && bad.stderr.contains("zsh"),
        "{}",
        bad.stderr
    );

    let man = super::support::niche(&["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH niche"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("score") && man.stdout.contains("completions"));
}

#[test]
fn bilibili_api_field_names_are_read_as_a_post_list() {
    let f = fixture("bilibili_api_fields.csv");
    let run = niche(&["inspect", "--format", "json", &f]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let input = &v["inputs"][0];
    assert_eq!(input["kind"], "posts");
    assert_eq!(input["platform"], "bilibili");
    let column = |field: &str| {
        input["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["field"] == field)
            .map(|c| c["column"].as_str().unwrap().to_string())
    };
    for (field, column_name) in [
        ("post_id", "bvid"),
        ("account_id", "mid"),
        ("account_name", "owner"),
        ("followers", "fans"),
        ("views", "view"),
        ("comments", "reply"),
        ("collects", "favorite"),
        ("likes", "like"),
        ("published_at", "pubdate"),
    ] {
        assert_eq!(column(field).as_deref(), Some(column_name), "{field}");
    }
    // Epoch seconds and C's ctime (`Sat Nov  9 11:00:59 2019`) are both dates.
    assert!(
        input["problems"].as_array().unwrap().is_empty(),
        "{}",
        input["problems"]
    );
    // Scored with the category as its niche: the posts link to their videos.
    let shown = niche(&[
        "show",
        "游戏",
        &f,
        "--niche-column",
        "tname",
        "--format",
        "json",
        "--bootstrap",
        "0",
    ]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let n: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    let links: Vec<&str> = n["top_posts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["link"].as_str())
        .collect();
    assert!(
        links.contains(&"https://www.bilibili.com/video/BV1xx411c7mD"),
        "{links:?}"
    );
    assert_eq!(n["top_posts"][0]["account_name"], "UP主甲");
}

#[test]
fn placeholder_cells_are_counted_as_missing_not_zero() {
    let dir = super::support::scratch("inspect_missing");
    let path = dir.join("channels.csv");
    std::fs::write(
        &path,
        "channel,category,subscribers,views\na,music,1200,50000\nb,music,--,3000\nc,games,-,4000\nd,games,N/A,100\ne,games,,200\n",
    )
    .unwrap();
    let p = path.to_string_lossy().to_string();
    let run = niche(&["inspect", &p, "--niche-column", "category"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("missing:   followers 4 (blank or a marker"),
        "{}",
        run.stdout
    );
    let json = niche(&["inspect", &p, "--niche-column", "category", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["inputs"][0]["missing"]["followers"], 4);
    assert!(v["inputs"][0]["missing"].get("views").is_none());
}
