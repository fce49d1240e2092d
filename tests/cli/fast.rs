//! The fast path for canonical post lists against the general path: the same report, byte for
//! byte, on every input it takes, and the general path for every input it cannot read exactly.

use std::fmt::Write as _;

use crate::support::{fixture, generate, generate_in_order, niche, niche_env, scratch};

/// `niche score --format json` on these files with the fast path allowed and with it turned off;
/// returns both outputs and whether the fast path read the posts.
fn both(files: &[&str]) -> (String, String, bool) {
    both_with(files, &[])
}

/// [`both`], the fast path's run with `env` too (e.g. `NICHE_FAST_BLOCK`).
fn both_with(files: &[&str], env: &[(&str, &str)]) -> (String, String, bool) {
    let mut args = vec!["score", "--format", "json", "--bootstrap", "50"];
    args.extend_from_slice(files);
    let mut fast_env = vec![("NICHE_TIMINGS", "1")];
    fast_env.extend_from_slice(env);
    let fast = niche_env(&args, &fast_env);
    let plain = niche_env(&args, &[("NICHE_FAST", "0"), ("NICHE_TIMINGS", "1")]);
    assert_eq!(fast.code, 0, "{}", fast.stderr);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert_eq!(
        way(&plain.stderr),
        "the general way",
        "NICHE_FAST=0 turns the fast path off"
    );
    let took = match way(&fast.stderr) {
        "the fast path" => true,
        "the general way" => false,
        other => panic!("unknown way {other:?}"),
    };
    (fast.stdout, plain.stdout, took)
}

/// The way a run says it read its inputs (`NICHE_TIMINGS` prints it once per run); a run that
/// says it zero or two times fails here.
fn way(stderr: &str) -> &str {
    let ways: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("inputs read by: "))
        .collect();
    assert_eq!(ways.len(), 1, "one 'inputs read by' line per run:\n{stderr}");
    ways[0]
}

#[test]
fn generated_data_reads_the_same_both_ways() {
    for (seed, accounts, posts) in [("1", "30", "1500"), ("7", "400", "40000"), ("99", "5", "60")] {
        let dir = generate(&format!("fast_gen_{seed}"), seed, accounts, posts);
        let path = |f: &str| dir.join(f).to_str().unwrap().to_string();
        for files in [
            vec![path("accounts.csv"), path("posts.csv")],
            vec![path("posts.csv"), path("accounts.csv"), path("snapshots.csv")],
        ] {
            let files: Vec<&str> = files.iter().map(String::as_str).collect();
            let (fast, plain, took) = both(&files);
            assert!(took, "the fast path reads `niche gen` output ({seed})");
            assert_eq!(fast, plain, "seed {seed}: the reports differ");
        }
    }
}

#[test]
fn rows_in_crawl_order_or_grouped_give_the_same_report_both_ways() {
    let mut reports = Vec::new();
    for order in ["crawl", "grouped"] {
        let dir = generate_in_order(&format!("order_{order}"), "7", "400", "40000", order);
        let path = |f: &str| dir.join(f).to_str().unwrap().to_string();
        let (accounts, posts) = (path("accounts.csv"), path("posts.csv"));
        let (fast, plain, took) = both(&[&accounts, &posts]);
        assert!(took, "the fast path reads {order} order");
        assert_eq!(fast, plain, "{order}: the two paths differ");
        reports.push(fast.replace(dir.to_str().unwrap(), "DIR"));
    }
    assert_eq!(reports[0], reports[1], "the row order changed the report");
}

#[test]
fn a_generated_messy_export_reads_the_same_both_ways_with_its_faults_counted() {
    let dir = scratch("messy_gen");
    let run = niche_env(
        &[
            "gen",
            "--force",
            "--seed",
            "7",
            "--accounts",
            "200",
            "--posts",
            "20000",
            "--layout",
            "messy",
            "--out",
            dir.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let posts = dir.join("posts.csv");
    let text = std::fs::read_to_string(&posts).expect("posts.csv");
    assert!(text.starts_with('\u{feff}'), "a byte order mark");
    assert!(text.contains("万,") && text.contains("k,"), "units");
    assert!(text.trim_end().ends_with("合计,,,,,,,,,,,,"));
    // Its duplicates and posts under two niches are settled by the fast path (in blocks of 64 KB
    // too, so that repeats fall in other blocks than their first rows) as the general path
    // settles them.
    let posts = posts.to_str().unwrap();
    let (fast, plain, took) = both(&[posts]);
    assert!(took, "the fast path reads the messy layout");
    assert_eq!(fast, plain, "the messy layout: the two paths differ");
    let (small_blocks, _, took) = both_with(&[posts], &[("NICHE_FAST_BLOCK", "65536")]);
    assert!(took);
    assert_eq!(small_blocks, plain, "the messy layout in 64 KB blocks");
    let report: serde_json::Value = serde_json::from_str(&fast).expect("JSON");
    let input = &report["inputs"][0];
    assert_eq!(input["skipped"]["total"], 1, "{input}");
    assert!(input["deduplicated"].as_u64().is_some_and(|d| d > 0), "{input}");
    assert!(
        fast.contains("filed under more than one niche"),
        "posts under two niches are counted"
    );
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).expect("truth")).expect("JSON");
    // Every planted niche is scored from the niche column, beside the few posts filed under 生活.
    let scored: Vec<&str> = report["niches"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["niche"].as_str())
        .collect();
    for planted in truth["planted"].as_array().into_iter().flatten() {
        let name = planted["niche"].as_str().unwrap_or_default();
        assert!(scored.contains(&name), "{name} missing from {scored:?}");
    }
}

#[test]
fn the_join_fixture_reads_the_same_both_ways() {
    let (a, p) = (fixture("join_accounts.csv"), fixture("join_posts.csv"));
    // As it is, it has a count written "abc": the general path's to count and report.
    let (fast, plain, took) = both(&[&a, &p]);
    assert!(!took);
    assert_eq!(fast, plain);
    // Without it: posts of an account missing from the list, an account without followers, a
    // post with no views and no sponsored flag, joined by the general path's own rules.
    let dir = scratch("fast_join");
    let clean = dir.join("join_posts.csv");
    std::fs::write(&clean, std::fs::read_to_string(&p).unwrap().replace("abc", "3")).unwrap();
    let (fast, plain, took) = both(&[&a, clean.to_str().unwrap()]);
    assert!(took);
    assert_eq!(fast, plain);
    assert!(fast.contains("have no row in the account list"), "{fast}");
    // Posts alone: no account list to join, so no niche: the same refusal both ways.
    let fast = niche_env(&["score", &p], &[]);
    let plain = niche_env(&["score", &p], &[("NICHE_FAST", "0")]);
    assert_eq!((fast.code, fast.stderr), (plain.code, plain.stderr));
}

/// Posts repeated across two post lists: the later file's rows are the duplicates, counted in its
/// report, whichever file comes first; a post of the first file under another niche in the
/// second is filed under both.
#[test]
fn posts_repeated_across_two_files_are_settled_as_the_general_path_settles_them() {
    let dir = generate("fast_two_files", "5", "80", "6000");
    let text = std::fs::read_to_string(dir.join("posts.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (header, body) = (lines[0], &lines[1..]);
    let keyword = |rows: &[&str], niche: &dyn Fn(usize) -> &'static str| {
        let rows: Vec<String> = rows
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{l},{}", niche(i)))
            .collect();
        format!("{header},keyword\n{}\n", rows.join("\n"))
    };
    // The second file: the last 2,000 rows, and 300 rows of the first file again (every tenth
    // of them under another niche).
    let first = keyword(&body[..4000], &|_| "AI工具");
    let mut again: Vec<&str> = body[4000..].to_vec();
    again.extend(&body[1000..1300]);
    let second = keyword(&again, &|i| {
        if i >= 2000 && i % 10 == 0 {
            "美妆护肤"
        } else {
            "AI工具"
        }
    });
    let (one, two) = (dir.join("one.csv"), dir.join("two.csv"));
    std::fs::write(&one, first).unwrap();
    std::fs::write(&two, second).unwrap();
    let accounts = dir.join("accounts.csv");
    let (a, one, two) = (accounts.to_str().unwrap(), one.to_str().unwrap(), two.to_str().unwrap());
    for files in [[a, one, two], [a, two, one]] {
        let (fast, plain, took) = both(&files);
        assert!(took);
        assert_eq!(fast, plain);
        let (small, _, _) = both_with(&files, &[("NICHE_FAST_BLOCK", "4096")]);
        assert_eq!(small, plain, "in 4 KB blocks");
        let report: serde_json::Value = serde_json::from_str(&fast).unwrap();
        let removed: Vec<u64> = (1..3)
            .map(|i| report["inputs"][i]["deduplicated"].as_u64().unwrap())
            .collect();
        assert_eq!(removed, vec![0, 270], "{files:?}: 270 rows repeat under the same niche");
        assert!(report["warnings"]
            .to_string()
            .contains("30 post(s) are filed under more than one niche"));
    }
}

#[test]
fn a_canonical_post_list_beside_one_in_another_layout_goes_the_general_way() {
    // The messy post list is read (and found to be a post list) beside the canonical one, whose
    // reading then stops; the general path reads both, the same report either way.
    let dir = generate("fast_beside_messy", "3", "20", "400");
    let (a, canonical) = (dir.join("accounts.csv"), dir.join("posts.csv"));
    let messy = fixture("join_posts.csv");
    for files in [
        [a.to_str().unwrap(), messy.as_str(), canonical.to_str().unwrap()],
        [a.to_str().unwrap(), canonical.to_str().unwrap(), messy.as_str()],
    ] {
        let (fast, plain, took) = both(&files);
        assert!(!took);
        assert_eq!(fast, plain);
    }
}

/// Edits of a generated post list: (name, edit, whether the fast path may take the result); the
/// report is the same either way.
#[test]
fn what_the_fast_path_cannot_read_exactly_goes_the_general_way() {
    let dir = generate("fast_variants", "3", "60", "3000");
    let original = std::fs::read_to_string(dir.join("posts.csv")).unwrap();
    let accounts = dir.join("accounts.csv").to_str().unwrap().to_string();
    let lines: Vec<&str> = original.lines().collect();
    let header = lines[0];
    let body = &lines[1..];
    let with = |rows: Vec<String>| format!("{header}\n{}\n", rows.join("\n"));
    let rows = || body.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    let edit_cell = |row: usize, col: usize, value: &str| {
        let mut r = rows();
        let mut cells: Vec<String> = r[row].split(',').map(str::to_string).collect();
        cells[col] = value.to_string();
        r[row] = cells.join(",");
        with(r)
    };
    // The rows with columns added at the end: `cells(i)` for row i.
    let with_columns = |names: &str, cells: &dyn Fn(usize) -> String| {
        let rows: Vec<String> = body
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{l},{}", cells(i)))
            .collect();
        format!("{header},{names}\n{}\n", rows.join("\n"))
    };
    let variants: Vec<(&str, String, bool)> = vec![
        ("crlf", with(rows()).replace('\n', "\r\n"), true),
        (
            "quoted title with a comma and quotes",
            edit_cell(5, 10, "\"tips, \"\"part\"\" 2\""),
            true,
        ),
        ("missing likes", edit_cell(7, 3, ""), true),
        ("missing date", edit_cell(8, 2, ""), true),
        ("title that reads as missing", edit_cell(9, 10, "N/A"), true),
        ("no final line break", with(rows()).trim_end().to_string(), true),
        // Repeats, settled by the general path's rules (the first row kept, the rest counted).
        (
            "a duplicate row",
            {
                let mut r = rows();
                r.push(r[3].clone());
                with(r)
            },
            true,
        ),
        (
            "a duplicate row with other counts and format",
            {
                let mut r = rows();
                let mut cells: Vec<String> = r[3].split(',').map(str::to_string).collect();
                cells[3] = "99999".to_string();
                cells[9] = "live".to_string();
                r.push(cells.join(","));
                with(r)
            },
            true,
        ),
        (
            "a duplicate dated before every post of its account",
            {
                let mut r = rows();
                let mut cells: Vec<String> = r[3].split(',').map(str::to_string).collect();
                cells[2] = "2024-01-01T00:00:00".to_string();
                r.push(cells.join(","));
                with(r)
            },
            true,
        ),
        (
            "a duplicate undated, kept before its dated twin",
            {
                let mut r = rows();
                let mut cells: Vec<String> = r[3].split(',').map(str::to_string).collect();
                cells[2] = String::new();
                r.insert(0, cells.join(","));
                with(r)
            },
            true,
        ),
        (
            "a post repeated under an account of its own",
            {
                let mut r = rows();
                let mut cells: Vec<String> = r[3].split(',').map(str::to_string).collect();
                cells[1] = "a_elsewhere".to_string();
                r.push(cells.join(","));
                with(r)
            },
            true,
        ),
        (
            "a post repeated under an unlisted account, beside another unlisted account's post",
            {
                let mut r: Vec<String> = body.iter().map(|l| format!("{l},AI工具")).collect();
                let mut cells: Vec<String> = body[3].split(',').map(str::to_string).collect();
                cells[1] = "a_elsewhere".to_string();
                r.push(format!("{},AI工具", cells.join(",")));
                cells[0] = "p_unlisted".to_string();
                cells[1] = "a_unlisted".to_string();
                r.push(format!("{},AI工具", cells.join(",")));
                format!("{header},keyword\n{}\n", r.join("\n"))
            },
            true,
        ),
        (
            "every post of an account twice, the twins later and dated apart",
            {
                let mut r = rows();
                let account = r[0].split(',').nth(1).unwrap().to_string();
                let twins: Vec<String> = r
                    .iter()
                    .filter(|l| l.split(',').nth(1) == Some(account.as_str()))
                    .enumerate()
                    .map(|(k, l)| {
                        let mut cells: Vec<String> = l.split(',').map(str::to_string).collect();
                        cells[2] = format!("2025-0{}-01T00:00:00", 1 + k % 9);
                        cells.join(",")
                    })
                    .collect();
                r.extend(twins);
                with(r)
            },
            true,
        ),
        (
            "the same post id on two platforms (two posts), and a duplicate on one",
            with_columns("platform", &|_| "douyin".to_string()) + &format!("{},xhs\n{},douyin\n", body[3], body[5]),
            true,
        ),
        // Cells the general path's rules read, which the fast path now asks them to read.
        ("wan units", edit_cell(4, 3, "1.2万"), true),
        (
            "a quoted count with a thousands comma",
            edit_cell(4, 3, "\"12,500\""),
            true,
        ),
        ("a lower bound", edit_cell(4, 3, "10万+"), false),
        ("a count beyond any account", edit_cell(4, 3, "99999999999"), false),
        ("a Chinese date", edit_cell(4, 2, "2026年03月01日10时00分00秒"), true),
        (
            "a date with an offset",
            edit_cell(4, 2, "2026-03-01T10:00:00+08:00"),
            true,
        ),
        ("a date before 2000", edit_cell(4, 2, "1999-03-01T10:00:00"), false),
        ("a negative count", edit_cell(4, 4, "-3"), false),
        (
            "a blank line",
            {
                let mut r = rows();
                r.insert(10, String::new());
                with(r)
            },
            false,
        ),
        (
            "a total row",
            {
                let mut r = rows();
                r.push("Total,,,9,9,9,9,9,,,".to_string());
                with(r)
            },
            true,
        ),
        (
            "total rows in the middle, one after a blank-looking cell",
            {
                let mut r = rows();
                r.insert(100, "合计：,,,9,9,9,9,9,,,".to_string());
                r.insert(2000, "\u{3000},小计,,9,9,9,9,9,,,".to_string());
                with(r)
            },
            true,
        ),
        // Where the general loader finds the header, with what it reads the text as.
        ("a byte order mark", format!("\u{feff}{}", with(rows())), true),
        (
            "a banner line above the header",
            format!("导出时间 2026-11-01 最多导出前一千条\n{}", with(rows())),
            true,
        ),
        (
            "Chinese headers",
            format!(
                "{}\n{}\n",
                header
                    .replace("post_id", "笔记ID")
                    .replace("account_id", "用户ID")
                    .replace("published_at", "发布时间")
                    .replace("likes", "点赞数"),
                body.join("\n")
            ),
            true,
        ),
        (
            "a column the fast path has no field for",
            format!(
                "{header},note\n{}\n",
                body.iter().map(|l| format!("{l},x")).collect::<Vec<_>>().join("\n")
            ),
            false,
        ),
        // A niche and a platform on each row, as crawls by keyword write them.
        (
            "a niche column",
            with_columns("source_keyword", &|i| {
                ["AI工具", "美妆护肤", "Travel vlog"][i % 3].to_string()
            }),
            true,
        ),
        (
            "niche and platform columns, and a column no field reads",
            with_columns("keyword,platform,note_url", &|i| {
                format!(
                    "{},{},https://x/{i}",
                    ["AI工具", "美妆护肤"][i % 2],
                    ["xhs", "douyin", "B站", ""][i % 4]
                )
            }),
            true,
        ),
        (
            "damaged text in a column no field reads",
            with_columns("keyword,note", &|i| {
                format!("AI工具,{}", if i == 7 { "mÃ¼zik" } else { "ok" })
            }),
            false,
        ),
        (
            "a row without a niche",
            with_columns("keyword", &|i| {
                if i == 9 {
                    String::new()
                } else {
                    "AI工具".to_string()
                }
            }),
            false,
        ),
        (
            "a post under two niches, and a duplicate under one of them",
            {
                let mut r: Vec<String> = body.iter().map(|l| format!("{l},AI工具")).collect();
                r.push(format!("{},美妆护肤", body[3]));
                r.push(format!("{},AI工具", body[3]));
                format!("{header},keyword\n{}\n", r.join("\n"))
            },
            true,
        ),
        ("a quoted line break", edit_cell(5, 10, "\"two\nlines\""), false),
        (
            "a short row",
            {
                let mut r = rows();
                r[6] = "p_short,a1".to_string();
                with(r)
            },
            false,
        ),
        ("mojibake", edit_cell(5, 10, "netd mÃ¼zik"), false),
        ("yes/no flags", edit_cell(5, 8, "yes"), true),
        ("是/否 flags", edit_cell(5, 8, "是"), true),
        ("a flag that is none", edit_cell(5, 8, "maybe"), false),
        (
            "a tags column",
            with_columns("tag_list", &|i| {
                ["#tips", "\"ootd,通勤\"", "", "-", "\"['a', 'b']\""][i % 5].to_string()
            }),
            true,
        ),
        (
            "tags on posts without a title",
            {
                let mut r = rows();
                for row in r.iter_mut().take(40) {
                    let mut cells: Vec<String> = row.split(',').map(str::to_string).collect();
                    cells[10] = String::new();
                    *row = cells.join(",");
                }
                let rows: Vec<String> = r.iter().enumerate().map(|(i, l)| format!("{l},#t{}", i % 4)).collect();
                format!("{header},tags\n{}\n", rows.join("\n"))
            },
            true,
        ),
        (
            "a price column (a field the fast path does not read)",
            with_columns("price", &|i| (i * 10).to_string()),
            false,
        ),
    ];
    for (name, text, fast_ok) in variants {
        let path = dir.join("variant.csv");
        std::fs::write(&path, &text).unwrap();
        let (fast, plain, took) = both(&[&accounts, path.to_str().unwrap()]);
        assert_eq!(took, fast_ok, "{name}: fast path taken = {took}");
        assert_eq!(fast, plain, "{name}: the reports differ");
        if fast_ok {
            // Read in blocks of 1 KB: rows and their repeats in other blocks than each other.
            let (small, _, _) = both_with(&[&accounts, path.to_str().unwrap()], &[("NICHE_FAST_BLOCK", "1024")]);
            assert_eq!(small, plain, "{name}: the reports differ in 1 KB blocks");
        }
        // The repeats this test plants are found (by the general path, which the fast one equals).
        let report: serde_json::Value = serde_json::from_str(&plain).expect("JSON");
        let removed = report["inputs"][1]["deduplicated"].as_u64().unwrap_or(0);
        let twice = report["warnings"].to_string().contains("more than one niche");
        if name.contains("duplicate") || name.contains("repeated") || name.contains("twice") {
            assert!(removed > 0, "{name}: no duplicate found");
        }
        assert_eq!(twice, name.contains("two niches"), "{name}: posts under two niches");
        if name.contains("unlisted") {
            let unmatched = "1 post(s) from 1 account(s) have no row in the account list";
            assert!(plain.contains(unmatched), "{name}: {plain}");
        }
    }
}

/// The general path reads a file's rows in runs of a few thousand on several threads and puts
/// what each run found back together in the file's order. A messy post list long enough for
/// several runs — CRLF line ends, a quoted line break, unreadable counts in several runs, a
/// duplicate of a row from an earlier run, a summary row, no niche column but a column that
/// could be one — gives the same report on one thread as on two or three, and its examples are
/// the first faults in the file's order.
#[test]
fn the_general_path_reads_runs_of_rows_on_any_number_of_threads_alike() {
    let dir = scratch("general_runs");
    let path = dir.join("posts.csv");
    let mut text = String::from("\u{feff}作品ID,账号,发布时间,点赞,评论,zone,标题\r\n");
    for i in 0..12_000 {
        let likes = match i {
            // Unreadable: two in the first run, then more in later runs.
            3 | 7 | 5_000 | 5_001 | 11_000 => "lots".to_string(),
            _ if i % 10 == 0 => format!("{}.{}万", i % 7 + 1, i % 10),
            _ => (i * 37 % 9_000).to_string(),
        };
        let title = if i == 4_500 {
            "\"two\r\nlines\"".to_string()
        } else {
            format!("post {i}")
        };
        let category = ["美妆", "美食", "旅行"][i % 3];
        writeln!(
            text,
            "p{i},acc{},2026-0{}-1{} 12:00,{likes},{},{category},{title}\r",
            i % 40,
            i % 9 + 1,
            i % 10,
            i % 13
        )
        .expect("text");
        if i == 9_000 {
            // The same post as row 10, again (a duplicate across runs).
            text.push_str("p10,acc10,2026-02-10 12:00,1.1万,10,美食,post 10\r\n");
        }
    }
    text.push_str("合计,,,99999,99,,\r\n");
    std::fs::write(&path, &text).expect("write");
    // The niches come from an account list.
    let accounts = dir.join("accounts.csv");
    let mut list = String::from("账号,领域,粉丝数\n");
    for a in 0..40 {
        writeln!(list, "acc{a},{},{}", ["美妆", "美食"][a % 2], 1_000 + a * 100).expect("text");
    }
    std::fs::write(&accounts, list).expect("write");
    let (path, accounts) = (
        path.to_string_lossy().into_owned(),
        accounts.to_string_lossy().into_owned(),
    );
    let run = |threads: &str| {
        let args = [
            "score",
            "--format",
            "json",
            "--bootstrap",
            "30",
            accounts.as_str(),
            path.as_str(),
        ];
        let out = niche_env(&args, &[("NICHE_THREADS", threads)]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let one = run("1");
    assert_eq!(one, run("2"), "two threads");
    assert_eq!(one, run("3"), "three threads");
    let report: serde_json::Value = serde_json::from_str(&one).expect("JSON");
    let input = &report["inputs"][1];
    assert_eq!(input["deduplicated"], 1, "{input}");
    assert_eq!(input["skipped"]["total"], 1, "{input}");
    assert_eq!(input["niche_suggestions"], serde_json::json!(["zone"]), "{input}");
    let likes = input["problems"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["field"] == "likes"))
        .unwrap_or_else(|| panic!("a likes problem in {input}"));
    assert_eq!(likes["unreadable"], 5, "{likes}");
    // Rows 3, 7 and 5,000 are on lines 5, 9 and 5,003 (the quoted line break in row 4,500
    // pushes later rows down a line).
    let lines: Vec<i64> = likes["examples"]
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["line"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(lines, vec![5, 9, 5_003], "{likes}");
}

/// With `NICHE_TIMINGS=1`, a post list the fast path does not start on says why.
#[test]
fn the_fast_path_says_why_it_did_not_start() {
    let run = niche_env(
        &[
            "score",
            "--format",
            "json",
            "--bootstrap",
            "0",
            "tests/fixtures/studio_total_row.csv",
        ],
        &[("NICHE_TIMINGS", "1")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "studio_total_row.csv goes the general way: its first lines hold ragged, blank or \"Total\" rows"
        ),
        "{}",
        run.stderr
    );
    // A quoted line break where the look at the file's start ends is named as what it is.
    let dir = scratch("fast_says_why");
    let mut text = String::from("post_id,account_id,likes,keyword,title\n");
    for i in 0..59 {
        text.push_str(&format!("p{i},a{},{i},AI工具,t\n", i % 5));
    }
    text.push_str("p59,a1,3,AI工具,\"two\nlines\"\n");
    for i in 60..200 {
        text.push_str(&format!("p{i},a{},{i},AI工具,t\n", i % 5));
    }
    std::fs::write(dir.join("posts.csv"), text).expect("write");
    let posts = dir.join("posts.csv").to_string_lossy().to_string();
    let run = niche_env(
        &["score", "--format", "json", "--bootstrap", "0", &posts],
        &[("NICHE_TIMINGS", "1")],
    );
    assert!(
        run.stderr
            .contains("goes the general way: a quoted line break in its first lines"),
        "{}",
        run.stderr
    );
    // A column named by --niche-column beside one whose name says niche is taken, not a panic
    // (a forced column counted as usable::MAX overflowed a comparison in debug builds).
    let forced = niche(&[
        "score",
        "--format",
        "json",
        "--bootstrap",
        "0",
        "--niche-column",
        "title",
        &posts,
    ]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced.stdout.contains("\"niche\": \"t\""),
        "the title column names the niche"
    );
}

/// A file too large for memory read whole is refused the general way, with its size and what to
/// do; a post list the fast path streams has no such limit. (`NICHE_MAX_FILE_BYTES` stands in for
/// the machine's free memory, so the test needs no large file.)
#[test]
fn only_files_read_whole_are_held_to_what_memory_holds() {
    let dir = generate("fast_no_size_limit", "4", "30", "2000");
    let posts = dir.join("posts.csv");
    let size = std::fs::metadata(&posts).unwrap().len();
    let limit = (size / 4).to_string();
    let env = [("NICHE_MAX_FILE_BYTES", limit.as_str()), ("NICHE_TIMINGS", "1")];
    let accounts = dir.join("accounts.csv");
    assert!(
        std::fs::metadata(&accounts).unwrap().len() < size / 4,
        "the account list fits"
    );
    let args = [
        "score",
        accounts.to_str().unwrap(),
        posts.to_str().unwrap(),
        "--bootstrap",
        "0",
        "--format",
        "json",
    ];
    let streamed = niche_env(&args, &env);
    assert_eq!(streamed.code, 0, "{}", streamed.stderr);
    assert_eq!(way(&streamed.stderr), "the fast path");
    // The same posts the general way (the fast path off) are read whole: refused.
    let env = [("NICHE_MAX_FILE_BYTES", limit.as_str()), ("NICHE_FAST", "0")];
    let whole = niche_env(&args, &env);
    assert_eq!(whole.code, 1, "{}", whole.stderr);
    assert!(
        whole.stderr.contains(posts.to_str().unwrap()) && whole.stderr.contains("GiB of memory"),
        "{}",
        whole.stderr
    );
    assert!(
        whole.stderr.contains("split it") && whole.stderr.contains("streamed"),
        "{}",
        whole.stderr
    );
    // Under the limit, the general way reads it.
    let env = [("NICHE_MAX_FILE_BYTES", "100000000000"), ("NICHE_FAST", "0")];
    assert_eq!(niche_env(&args, &env).code, 0);
}
