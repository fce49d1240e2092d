//! Demand signals (`--signals FILE`, METHOD.md §1): a search or topic index over time — 百度指数,
//! 巨量算数, 微信指数, 小红书 topic heat, Google Trends — as (keyword, day, value) rows.
//!
//! Two layouts are read:
//! - **long**: a keyword column (keyword, term, 关键词, 词 …), a date column and a value column
//!   (index, value, 搜索指数, 指数, 热度, interest …), one row per keyword and day, as community
//!   exporters of 百度指数 write it;
//! - **Google Trends** `multiTimeline.csv`: a banner line (`Category: All categories`), a blank
//!   line, then a header `Week,<term>: (<geo>)[,…]` and one row per week, one column per term;
//!   `<1` (below one) is read as missing.
//!
//! Rows whose date or value cannot be read are counted and warned about, never read as zero.

use std::path::Path;

use super::date::{parse_date, ParsedDate};
use super::fields::squash;
use super::value::{parse_number, Parsed};
use crate::error::{Error, Result};
use crate::load::{RawRow, RawTable};

/// One reading of a keyword's index.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub keyword: String,
    /// Days since 1970-01-01.
    pub day: i64,
    pub value: f64,
}

/// The readings of a file, and how many rows could not be read (with the first such line).
#[derive(Debug, Clone, Default)]
pub struct Signals {
    pub rows: Vec<Signal>,
    pub unreadable: usize,
    pub first_unreadable: Option<(usize, String)>,
}

const KEYWORD: &[&str] = &[
    "keyword",
    "term",
    "word",
    "query",
    "关键词",
    "关键字",
    "搜索词",
    "词",
    "话题",
];
const DATE: &[&str] = &["date", "day", "week", "month", "time", "日期", "时间", "周", "月份"];
const VALUE: &[&str] = &[
    "index",
    "value",
    "searchindex",
    "interest",
    "搜索指数",
    "指数",
    "综合指数",
    "热度",
    "热度值",
    "搜索热度",
];

/// Whether a header (as the loader found it) is a demand-signal layout, and why: a keyword, a date
/// and a value column (the long layout), or a date column followed only by Google Trends' term
/// columns (`term: (geo)`). Asked only of files whose columns say nothing else.
pub fn recognise(headers: &[String]) -> Option<String> {
    let named = |names: &[&str]| headers.iter().find(|h| names.contains(&squash(h).as_str()));
    let date = named(DATE)?;
    if let (Some(k), Some(v)) = (named(KEYWORD), named(VALUE)) {
        return Some(format!(
            "it has a keyword ({k:?}), a date ({date:?}) and an index ({v:?}) and no account or post columns"
        ));
    }
    let terms: Vec<&String> = headers.iter().filter(|h| *h != date).collect();
    let trends = !terms.is_empty() && terms.iter().all(|h| h.contains(": (") && h.ends_with(')'));
    trends.then(|| {
        format!(
            "it has a date ({date:?}) and Google Trends term columns ({:?} …)",
            terms[0]
        )
    })
}

/// Read a demand-signal file, by the loader every input goes through (its encoding, separator,
/// quoted cells, and the banner above Google Trends' header are the loader's to read).
pub fn read(path: &Path) -> Result<Signals> {
    let options = crate::load::ReadOptions {
        encoding: None,
        sheet: None,
        known_header: super::fields::is_known_header,
    };
    from_table(&crate::load::read(path, &options)?)
}

/// The readings of a loaded demand-signal table.
pub fn from_table(table: &RawTable) -> Result<Signals> {
    let path = &table.path;
    let header = &table.headers;
    let find = |names: &[&str]| header.iter().position(|h| names.contains(&squash(h).as_str()));
    let Some(date_col) = find(DATE) else {
        return Err(Error::file(
            path,
            crate::lang::say(
                format!("the header (line {}) has no date column (date, week, 日期 …)", table.header_line),
                format!("表头（第 {} 行）没有日期列（date、week、日期 ……）", table.header_line),
            ),
            crate::lang::say(
                "a demand-signal file has a keyword, a date and a value column, or is a Google Trends multiTimeline.csv",
                "需求信号文件要有关键词、日期和数值三列，或是 Google Trends 的 multiTimeline.csv",
            ),
        ));
    };
    let mut out = Signals::default();
    // A row that gave no reading: counted, and the first kept (its line and its cells).
    let bad = |row: &RawRow, out: &mut Signals| {
        out.unreadable += 1;
        if out.first_unreadable.is_none() {
            let cells: Vec<&str> = row.cells.iter().collect();
            out.first_unreadable = Some((row.line, cells.join(",")));
        }
    };
    match (find(KEYWORD), find(VALUE)) {
        (Some(k), Some(v)) => {
            table.for_each_row(|row| {
                let cell = |j: usize| row.cells.get(j).unwrap_or_default();
                match (parse_date(cell(date_col)), parse_number(cell(v)), cell(k).trim()) {
                    (ParsedDate::At(t), Parsed::Number(n), keyword) if !keyword.is_empty() && !n.censored => {
                        out.rows.push(Signal {
                            keyword: keyword.to_string(),
                            day: t.div_euclid(86_400),
                            value: n.value,
                        })
                    }
                    _ => bad(row, &mut out),
                }
            })?;
        }
        _ => {
            // Wide: every other column is a term, written `term: (geo)` by Google Trends.
            let terms: Vec<(usize, String)> = header
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != date_col)
                .map(|(j, h)| (j, h.split(": (").next().unwrap_or(h).trim().to_string()))
                .filter(|(_, t)| !t.is_empty())
                .collect();
            if terms.is_empty() {
                return Err(Error::file(
                    path,
                    crate::lang::say(
                        format!(
                            "line {}: no keyword and value columns beside the date",
                            table.header_line
                        ),
                        format!("第 {} 行：日期旁边没有关键词和数值列", table.header_line),
                    ),
                    crate::lang::say(
                        "name the columns keyword, date and index, or give a Google Trends multiTimeline.csv",
                        "把列命名为 keyword、date 和 index，或给出 Google Trends 的 multiTimeline.csv",
                    ),
                ));
            }
            table.for_each_row(|row| {
                let ParsedDate::At(t) = parse_date(row.cells.get(date_col).unwrap_or_default()) else {
                    bad(row, &mut out);
                    return;
                };
                for (j, term) in &terms {
                    match parse_number(row.cells.get(*j).unwrap_or_default()) {
                        Parsed::Number(n) if !n.censored => out.rows.push(Signal {
                            keyword: term.clone(),
                            day: t.div_euclid(86_400),
                            value: n.value,
                        }),
                        // `<1` and the like: below a bound, so not a value.
                        _ => bad(row, &mut out),
                    }
                }
            })?;
        }
    }
    if out.rows.is_empty() {
        return Err(Error::file(
            path,
            crate::lang::say(
                format!(
                    "no row could be read as a keyword, a date and a value ({} unreadable{})",
                    out.unreadable,
                    out.first_unreadable
                        .as_ref()
                        .map_or_else(String::new, |(l, t)| format!("; first on line {l}: {t:?}"))
                ),
                format!(
                    "没有一行能读成关键词、日期和数值（{} 行无法读取{}）",
                    out.unreadable,
                    out.first_unreadable
                        .as_ref()
                        .map_or_else(String::new, |(l, t)| format!("；第一行在第 {l} 行：{t:?}"))
                ),
            ),
            crate::lang::say("check the date and value columns", "检查日期列和数值列"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(name: &str, text: &str) -> Result<Signals> {
        let dir = std::env::temp_dir().join(format!("niche-signals-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.csv");
        std::fs::write(&path, text).unwrap();
        let out = read(&path);
        let _ = std::fs::remove_dir_all(&dir);
        out
    }

    #[test]
    fn long_rows_are_read_and_bad_ones_counted() {
        let s = read_text(
            "long",
            "keyword,type,date,index\nAI工具,all,2026-07-06,1200\nAI工具,all,2026-07-13,1.3万\nAI工具,all,oops,5\n",
        )
        .unwrap();
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[1].value, 13_000.0);
        assert_eq!(s.unreadable, 1);
        assert_eq!(s.first_unreadable.as_ref().map(|f| f.0), Some(4));
    }

    #[test]
    fn google_trends_wide_files_give_one_row_per_term_and_week() {
        let s = read_text(
            "wide",
            "Category: All categories\n\nWeek,AI tools: (Worldwide),fitness: (Worldwide)\n2026-07-05,40,<1\n2026-07-12,55,12\n",
        )
        .unwrap();
        assert_eq!(s.rows.len(), 3);
        assert_eq!(s.rows[0].keyword, "AI tools");
        assert_eq!(s.unreadable, 1, "<1 is not a value");
    }

    #[test]
    fn both_layouts_are_recognised_and_tables_are_not() {
        let h = |line: &str| -> Vec<String> { line.split(',').map(str::to_string).collect() };
        assert!(recognise(&h("keyword,type,date,index")).is_some());
        assert!(recognise(&h("关键词,日期,搜索指数")).is_some());
        assert!(recognise(&h("Week,AI tools: (Worldwide),fitness: (Worldwide)")).is_some());
        assert!(
            recognise(&h("Week,AI tools: (Worldwide),views")).is_none(),
            "a column that is no term"
        );
        assert!(recognise(&h("keyword,index")).is_none(), "no date");
        assert!(recognise(&h("date,followers")).is_none());
    }

    #[test]
    fn a_file_without_dates_names_itself() {
        let e = read_text("none", "a,b\n1,2\n").unwrap_err().to_string();
        assert!(e.contains("s.csv") && e.contains("date"), "{e}");
    }
}
