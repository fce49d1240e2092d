//! Workbooks: written here with rust_xlsxwriter in the shapes of real exports, then read back.

use rust_xlsxwriter::Workbook;

use super::support::{niche, scratch};

/// A Xiaohongshu creator-centre note list: a merged banner row above the header, Chinese dates.
pub(super) fn creator_centre(path: &std::path::Path, with_niche: bool) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("笔记列表明细表").expect("name");
    sheet.write_string(0, 0, "最多导出排序后前1000条笔记").expect("cell");
    let mut header = vec![
        "笔记标题",
        "首次发布时间",
        "体裁",
        "曝光",
        "观看量",
        "点赞",
        "评论",
        "收藏",
        "涨粉",
        "分享",
    ];
    if with_niche {
        header.push("赛道");
    }
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).expect("cell");
    }
    // title, published, format, then 曝光 观看量 点赞 评论 收藏 涨粉 分享, then the niche.
    type Row = (&'static str, &'static str, &'static str, [f64; 7], &'static str);
    let rows: [Row; 3] = [
        (
            "通勤穿搭一周不重样",
            "2026年06月25日12时01分35秒",
            "图文",
            [12000.0, 3400.0, 210.0, 12.0, 88.0, 5.0, 7.0],
            "穿搭",
        ),
        (
            "平价粉底实测",
            "2026年07月02日20时15分00秒",
            "视频",
            [30000.0, 9000.0, 800.0, 40.0, 300.0, 20.0, 15.0],
            "美妆",
        ),
        (
            "油皮夏天底妆",
            "2026年07月09日08时00分00秒",
            "视频",
            [5000.0, 1500.0, 90.0, 3.0, 25.0, 1.0, 2.0],
            "美妆",
        ),
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        sheet.write_string(r, 0, row.0).expect("cell");
        sheet.write_string(r, 1, row.1).expect("cell");
        sheet.write_string(r, 2, row.2).expect("cell");
        for (c, v) in row.3.iter().enumerate() {
            sheet.write_number(r, c as u16 + 3, *v).expect("cell");
        }
        if with_niche {
            sheet.write_string(r, 10, row.4).expect("cell");
        }
    }
    book.save(path).expect("save");
}

#[test]
fn an_xlsx_with_a_banner_row_is_read_from_its_real_header() {
    let dir = scratch("xlsx_banner");
    let path = dir.join("笔记列表明细表.xlsx");
    creator_centre(&path, true);
    let run = niche(&["score", "--format", "json", &path.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let input = &v["inputs"][0];
    assert_eq!(input["header_line"], 2);
    assert_eq!(input["skipped"]["banner"], 1);
    assert_eq!(input["kind"], "posts");
    assert_eq!(input["platform"], "xiaohongshu");
    let beauty = v["niches"]
        .as_array()
        .and_then(|n| n.iter().find(|n| n["niche"] == "美妆"))
        .cloned()
        .expect("美妆");
    assert_eq!(beauty["posts"], 2);
    // likes + comments + collects + shares: (800+40+300+15) + (90+3+25+2).
    assert_eq!(beauty["engagement_total"], 1155.0 + 120.0);
    // 观看量 (views) is preferred over 曝光 (impressions).
    assert_eq!(beauty["median_views_per_post"], (9000.0 + 1500.0) / 2.0);
}

#[test]
fn an_xlsx_without_a_niche_column_asks_for_one() {
    let dir = scratch("xlsx_no_niche");
    let path = dir.join("notes.xlsx");
    creator_centre(&path, false);
    let run = niche(&["score", &path.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("--niche-column"), "{}", run.stderr);
    let run = niche(&["score", &path.to_string_lossy(), "--sheet", "Sheet9"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("笔记列表明细表"), "{}", run.stderr);
}

#[test]
fn a_file_named_xlsx_that_is_not_a_zip_is_read_as_what_it_is() {
    let dir = scratch("fake_xlsx");
    let path = dir.join("export.xlsx");
    std::fs::write(&path, "niche,followers\nfood,100\nfood,200\n").expect("write");
    let run = niche(&["score", "--format", "json", &path.to_string_lossy()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("delimited text"));
}
