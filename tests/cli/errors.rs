//! What a user can get wrong: exit 1 (bad data) or 2 (bad usage), a message naming the file, and
//! what to try. Never a panic.

use super::support::{fixture, niche, scratch};

fn assert_clean_failure(run: &super::support::Run, code: i32, needles: &[&str]) {
    assert_eq!(run.code, code, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    for n in needles {
        assert!(run.stderr.contains(n), "expected {n:?} in:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("try:"), "no next step in:\n{}", run.stderr);
}

#[test]
fn an_empty_file_says_so() {
    let run = niche(&["score", &fixture("empty.csv")]);
    assert_clean_failure(&run, 1, &["empty.csv", "empty"]);
}

#[test]
fn a_header_without_rows_says_so() {
    let run = niche(&["score", &fixture("header_only.csv")]);
    assert_clean_failure(&run, 1, &["header_only.csv", "no data rows"]);
}

#[test]
fn no_niche_column_names_the_flag_and_suggests_only_a_column_about_the_subject() {
    // Its one categorical column is a country: where accounts are, never what they are about.
    let run = niche(&["score", &fixture("no_niche.csv")]);
    assert_clean_failure(
        &run,
        1,
        &["no_niche.csv", "no column names the niche", "--niche-column"],
    );
    assert!(
        !run.stderr.contains("\"country\""),
        "a country is no niche: {}",
        run.stderr
    );
    // Where no column could be one, niches named by keywords are the way on.
    assert!(run.stderr.contains("--niche 语音生成=TTS,配音"), "{}", run.stderr);
    // ... the flag still does what it says, for a user who wants countries compared.
    let run = niche(&["score", &fixture("no_niche.csv"), "--niche-column", "country"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("CN"));
    // A column about the subject is suggested; a grade (Social Blade's A++, A+ …) is not.
    let dir = super::support::scratch("niche_hint");
    let path = dir.join("channels.csv");
    std::fs::write(
        &path,
        "nickname,followers,content,Grade\nann,1200,beauty,A+\nbo,3400,food,A\ncy,560,beauty,A+\ndi,890,food,B\n",
    )
    .expect("write");
    let run = niche(&["score", &path.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("--niche-column \"content\""), "{}", run.stderr);
    assert!(!run.stderr.contains("\"Grade\""), "{}", run.stderr);
}

#[test]
fn an_unreadable_number_column_points_at_the_cell_with_a_caret() {
    let run = niche(&["score", &fixture("unreadable_followers.csv")]);
    assert_clean_failure(
        &run,
        1,
        &[
            "unreadable_followers.csv:2:10",
            "\"followers\"",
            "\"lots\"",
            "^^^^",
            "--map followers=",
        ],
    );
    assert!(run.stderr.contains("2 | ann,food,lots"), "{}", run.stderr);
}

#[test]
fn a_missing_file_and_a_folder_are_data_errors() {
    let run = niche(&["score", "tests/fixtures/does_not_exist.csv"]);
    assert_clean_failure(&run, 1, &["does_not_exist.csv"]);
    let run = niche(&["score", "tests/fixtures"]);
    assert_clean_failure(&run, 1, &["folder"]);
}

#[test]
fn an_html_page_saved_as_xls_is_named_for_what_it_is() {
    let run = niche(&["score", &fixture("html_saved_as.xls")]);
    assert_clean_failure(&run, 1, &["html_saved_as.xls", "HTML"]);
}

#[test]
fn a_broken_json_file_points_at_the_line() {
    let dir = scratch("broken_json");
    let path = dir.join("cut.json");
    std::fs::write(
        &path,
        "[\n{\"note_id\": \"a\", \"liked_count\": 1},\n{\"note_id\": \"b\", \"liked_count\": \n",
    )
    .expect("write");
    let run = niche(&["score", &path.to_string_lossy()]);
    assert_clean_failure(&run, 1, &["cut.json:4", "JSON"]);
}

#[test]
fn usage_errors_exit_2() {
    let run = niche(&["score"]);
    assert_clean_failure(&run, 1, &["no input files"]);
    let run = niche(&["score", &fixture("join_accounts.csv"), "--map", "followers"]);
    assert_clean_failure(&run, 1, &["FIELD=COLUMN"]);
    let run = niche(&["score", &fixture("join_accounts.csv"), "--map", "fans_total=x"]);
    assert_clean_failure(&run, 1, &["no field named"]);
    let run = niche(&["score", &fixture("join_accounts.csv"), "--niche-column", "nope"]);
    assert_clean_failure(&run, 1, &["no input has a column named \"nope\"", "\"niche\""]);
    let run = niche(&["score", &fixture("join_accounts.csv"), "--encoding", "klingon"]);
    assert_clean_failure(&run, 1, &["klingon"]);
    let run = niche(&["score", "--format", "yaml", &fixture("join_accounts.csv")]);
    assert_eq!(run.code, 1);
}

#[test]
fn an_unrecognisable_file_names_the_flags_to_declare_it() {
    let dir = scratch("unrecognisable");
    let path = dir.join("mystery.csv");
    std::fs::write(&path, "alpha,beta\n1,2\n").expect("write");
    let run = niche(&["score", &path.to_string_lossy()]);
    assert_clean_failure(&run, 1, &["mystery.csv", "--accounts", "--posts", "--map"]);
}

#[test]
fn a_forced_encoding_that_does_not_fit_is_reported_not_hidden() {
    let run = niche(&[
        "score",
        &fixture("gbk_wan_units.csv"),
        "--encoding",
        "utf-8",
        "--niche-column",
        "所属领域",
    ]);
    // Read as UTF-8, the GBK header is garbage, so the niche column cannot be found.
    assert_eq!(run.code, 1, "{}", run.stderr);
}
