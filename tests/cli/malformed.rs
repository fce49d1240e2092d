//! The malformed-input corpus (tests/fixtures/malformed/, written by its make.py, plus cases made
//! here that cannot be committed: a folder, a missing file, a 10-million-character field, an empty
//! workbook sheet). Every case must end in exit 1 with the file named and a next step, or exit 0
//! with a counted warning that names the file; never a panic. The outcomes are snapshotted: the
//! snapshot is the table of expected outcomes (docs/MALFORMED.md explains each).

use std::fmt::Write as _;

use super::support::{niche, scratch};

/// Files in the corpus and the exit code each must give.
const CORPUS: &[(&str, i32)] = &[
    ("all_followers_missing.csv", 0),
    ("all_followers_unreadable.csv", 1),
    ("banner_only.csv", 1),
    ("binary.csv", 1),
    ("bom_only.csv", 1),
    ("dates_before_2000.csv", 0),
    ("duplicate_ids_conflicting.csv", 0),
    ("empty.csv", 1),
    ("far_future_dates.csv", 0),
    ("header_only.csv", 1),
    ("header_only_crlf.csv", 1),
    ("html_table.xls", 1),
    ("html_table.xlsx", 1),
    ("json_empty_array.json", 1),
    ("json_nested_too_deep.json", 1),
    ("json_not_objects.json", 1),
    ("json_scalar.json", 1),
    ("json_truncated.json", 1),
    ("jsonl_bad_line.jsonl", 1),
    ("latin1.csv", 0),
    ("many_columns.csv", 0),
    ("mixed_encoding.csv", 0),
    ("nan_and_infinity.csv", 0),
    ("negative_counts.csv", 0),
    ("no_known_columns.csv", 1),
    ("no_niche_column.csv", 1),
    ("nul_in_a_cell.csv", 0),
    ("ole_header_garbage.xls", 1),
    ("overflowing_numbers.csv", 0),
    ("png_named_csv.csv", 1),
    ("ragged_long_rows.csv", 0),
    ("ragged_short_rows.csv", 0),
    ("semicolons_decimal_commas.csv", 1),
    ("stray_quote_blank_lines_after.csv", 0),
    ("stray_quote_last_line.csv", 0),
    ("total_row_only.csv", 1),
    ("unreadable_dates.csv", 1),
    ("unterminated_quote.csv", 1),
    ("utf16le_bom.csv", 0),
    ("utf16le_no_bom.csv", 1),
    ("whitespace_only.csv", 1),
    ("zip_header_garbage.xlsx", 1),
];

/// Check one outcome and describe it in a line for the snapshot.
fn outcome(name: &str, args: &[&str], want: i32, file_in_message: &str) -> String {
    let run = niche(args);
    assert!(!run.stderr.contains("panicked"), "{name} panicked:\n{}", run.stderr);
    assert_eq!(run.code, want, "{name}: stderr:\n{}", run.stderr);
    let first = run
        .stderr
        .lines()
        .find(|l| l.starts_with("error:") || l.starts_with("warning:"))
        .unwrap_or("");
    if want == 1 {
        assert!(
            run.stderr.contains(file_in_message),
            "{name}: the message must name the file:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("try:"),
            "{name}: the message must say what to try:\n{}",
            run.stderr
        );
    } else if !first.is_empty() {
        assert!(
            first.contains(file_in_message) || !first.contains(".csv"),
            "{name}: {first}"
        );
    }
    // Scratch paths differ between machines; keep the snapshot about the messages.
    let first = first.replace(env!("CARGO_TARGET_TMPDIR"), "$TMP");
    format!("{name}: exit {} | {}", run.code, first)
}

#[test]
fn every_malformed_input_gets_a_clear_answer() {
    let mut table = String::new();
    for (name, want) in CORPUS {
        let path = format!("tests/fixtures/malformed/{name}");
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&path).exists(),
            "{path} is missing"
        );
        let _ = writeln!(table, "{}", outcome(name, &["score", &path], *want, &path));
    }

    let dir = scratch("malformed");
    let huge = dir.join("ten_million_char_field.csv");
    let mut text = String::from("nickname,niche,followers\nann,food,");
    text.push_str(&"x".repeat(10_000_000));
    text.push_str("\nbo,food,100\n");
    std::fs::write(&huge, text).expect("write");
    let huge_s = huge.to_string_lossy().to_string();
    let _ = writeln!(
        table,
        "{}",
        outcome("ten_million_char_field.csv", &["score", &huge_s], 1, &huge_s)
    );

    let _ = writeln!(
        table,
        "{}",
        outcome("a folder", &["score", "tests/fixtures"], 1, "tests/fixtures")
    );
    let _ = writeln!(
        table,
        "{}",
        outcome("a missing file", &["score", "tests/fixtures/nope.csv"], 1, "nope.csv")
    );

    let empty_sheet = dir.join("empty_sheet.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet();
    book.save(&empty_sheet).expect("save");
    let es = empty_sheet.to_string_lossy().to_string();
    let _ = writeln!(table, "{}", outcome("empty_sheet.xlsx", &["score", &es], 1, &es));

    let _ = writeln!(
        table,
        "{}",
        outcome(
            "gbk read as utf-8",
            &["score", "tests/fixtures/gbk_wan_units.csv", "--encoding", "utf-8"],
            1,
            "gbk_wan_units.csv"
        )
    );

    // Every file of the corpus folder has its expected outcome here, and every case here its file.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "make.py")
        .collect();
    on_disk.sort();
    let listed: Vec<String> = CORPUS.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        on_disk, listed,
        "tests/fixtures/malformed/ and CORPUS list different files"
    );
    insta::assert_snapshot!("malformed_outcomes", table);
}

#[test]
fn a_file_without_read_permission_is_named() {
    // Root reads anything, so this case can only be shown for another user.
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    if is_root {
        return;
    }
    let dir = scratch("no_permission");
    let path = dir.join("locked.csv");
    std::fs::write(&path, "nickname,niche,followers\nann,food,1\n").expect("write");
    let status = std::process::Command::new("chmod")
        .args(["000", &path.to_string_lossy()])
        .status();
    assert!(status.is_ok_and(|s| s.success()));
    let run = niche(&["score", &path.to_string_lossy()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("locked.csv") && run.stderr.contains("permission"),
        "{}",
        run.stderr
    );
}

#[test]
fn docs_list_every_case_of_the_corpus() {
    let docs = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/MALFORMED.md"))
        .expect("docs/MALFORMED.md");
    for (name, _) in CORPUS {
        assert!(docs.contains(name), "docs/MALFORMED.md does not list {name}");
    }
}
