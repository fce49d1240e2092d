//! Values no real account can hold are counted and warned, never used: a follower count above
//! the people there are is not a follower count (METHOD.md §1, implausible values).

use super::support::{fixture, niche, niche_env, scratch};

#[test]
fn counts_beyond_any_real_account_are_warned_with_file_line_and_value_and_left_out() {
    let file = fixture("implausible_counts.csv");
    let run = niche(&["score", &file, "--format", "json", "--bootstrap", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // On standard error, even with --format json ...
    let followers = format!("warning: {file}:3: column \"粉丝数\" (followers): 1 value(s) above 1e10");
    assert!(run.stderr.contains(&followers), "{}", run.stderr);
    assert!(
        run.stderr.contains("line 3: \"99999999999999999999999亿\""),
        "{}",
        run.stderr
    );
    let likes = format!("warning: {file}:4: column \"平均点赞\" (avg_likes): 1 value(s) above 1e10");
    assert!(run.stderr.contains(&likes), "{}", run.stderr);
    // ... and in the JSON.
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("99999999999999999999999亿"), "{warnings}");
    let problems = &report["inputs"][0]["problems"];
    let of = |field: &str| {
        problems
            .as_array()
            .and_then(|p| p.iter().find(|p| p["field"] == field))
            .cloned()
    };
    assert_eq!(
        of("followers").map(|p| p["implausible"].clone()),
        Some(1.into()),
        "{problems}"
    );
    // The food niche's followers are ann's and cy's; bo's count is missing, not 10³¹.
    let food = report["niches"]
        .as_array()
        .and_then(|n| n.iter().find(|n| n["niche"] == "美食"))
        .cloned()
        .expect("the food niche");
    assert_eq!(food["followers_total"], 20_000.0, "{food}");
    assert_eq!(food["accounts_with_followers"], 2, "{food}");
}

#[test]
fn a_table_run_warns_the_same_way() {
    let run = niche(&["score", &fixture("implausible_counts.csv"), "--bootstrap", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("above 1e10 (more than any real account or post has)"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_fast_path_leaves_an_implausible_count_to_the_general_path() {
    let dir = scratch("implausible_fast");
    let posts = dir.join("posts.csv");
    let mut text = String::from("post_id,account_id,published_at,likes,comments,shares,collects,views\n");
    for i in 0..40 {
        let likes = if i == 17 {
            "20000000000".to_string()
        } else {
            (100 + i).to_string()
        };
        text.push_str(&format!(
            "p{i},a{},2026-03-{:02}T10:00:00,{likes},3,1,2,{}\n",
            i % 5,
            1 + i % 28,
            1000 + i
        ));
    }
    std::fs::write(&posts, text).expect("write");
    let accounts = dir.join("accounts.csv");
    std::fs::write(
        &accounts,
        "account_id,niche,followers\na0,x,100\na1,x,200\na2,y,300\na3,y,400\na4,y,500\n",
    )
    .expect("write");
    let (a, p) = (
        accounts.to_string_lossy().into_owned(),
        posts.to_string_lossy().into_owned(),
    );
    let args = ["score", "--format", "json", "--bootstrap", "20", a.as_str(), p.as_str()];
    let fast = niche_env(&args, &[("NICHE_TIMINGS", "1")]);
    let plain = niche_env(&args, &[("NICHE_FAST", "0")]);
    assert_eq!(fast.code, 0, "{}", fast.stderr);
    assert!(
        fast.stderr.contains("inputs read by: the general way"),
        "{}",
        fast.stderr
    );
    assert!(
        fast.stderr
            .contains("posts.csv:19: column \"likes\" (likes): 1 value(s) above 1e10"),
        "{}",
        fast.stderr
    );
    assert_eq!(fast.stdout, plain.stdout);
}
