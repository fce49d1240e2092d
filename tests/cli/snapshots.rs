//! Snapshots of whole outputs: review every change to them as a change to what users see.

use super::support::{fixture, niche};

#[test]
fn score_json_of_joined_accounts_and_posts() {
    let run = niche(&[
        "score",
        "--format",
        "json",
        &fixture("join_accounts.csv"),
        &fixture("join_posts.csv"),
        &fixture("snapshots.csv"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("score_join_json", run.stdout);
}

#[test]
fn score_table_of_the_crawler_fixture() {
    let run = niche(&["score", &fixture("crawler_posts_bom_crlf.csv")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("score_crawler_table", run.stdout);
    insta::assert_snapshot!("score_crawler_warnings", run.stderr);
}

#[test]
fn error_message_for_an_unreadable_column() {
    let run = niche(&["score", &fixture("unreadable_followers.csv")]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("error_unreadable_followers", run.stderr);
}

/// report.json is the view model of `--format json` with the posts' details a report run keeps
/// (`top_posts`, the accounts' `best_post`); with those set aside, it is held to the same snapshot.
#[test]
fn report_json_of_joined_accounts_and_posts() {
    let dir = super::support::scratch("snapshot_report_json").join("report");
    let run = niche(&[
        "score",
        &fixture("join_accounts.csv"),
        &fixture("join_posts.csv"),
        &fixture("snapshots.csv"),
        "--report",
        &dir.to_string_lossy(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = std::fs::read_to_string(dir.join("report.json")).expect("report.json");
    insta::assert_snapshot!("report_join_json", json);
    let without = super::support::without_post_details(serde_json::from_str(&json).expect("JSON"));
    let plain = niche(&[
        "score",
        &fixture("join_accounts.csv"),
        &fixture("join_posts.csv"),
        &fixture("snapshots.csv"),
        "--format",
        "json",
    ]);
    let plain: serde_json::Value = serde_json::from_str(&plain.stdout).expect("JSON");
    assert_eq!(without, plain);
}
