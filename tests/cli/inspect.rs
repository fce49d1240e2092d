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
