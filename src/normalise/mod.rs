//! Stage 2: raw tables -> [`Tables`]: canonical accounts and snapshots as Polars frames, posts in a
//! compact [`store::PostStore`].
//!
//! What comes in: the raw tables of every input and the user's overrides. What goes out: one frame
//! per kind with canonical columns (see [`tables`]), and per input a report of what was recognised
//! and what could not be read. What holds: a value that could not be read is missing (null),
//! counted and reported, never zero; a lower bound (`10万+`) is kept as the bound and flagged;
//! duplicate rows (same platform id, same niche) are removed and counted; a post filed under two
//! niches stays in both.

pub mod date;
pub mod fast;
pub mod fields;
pub mod join;
pub mod keywords;
pub mod key_index;
pub mod mapping;
pub mod posts;
pub mod records;
pub mod report;
mod row_reader;
pub mod signals;
pub mod store;
pub mod tables;
pub mod title;
pub mod value;

use std::collections::HashSet;

use fields::Field;
use mapping::{Kind, Mapping, Override};
pub use report::{ColumnProblem, Example, InputReport, Skipped, Warning};
pub use tables::Tables;

use crate::error::{Error, Result};
use crate::lang::{say, Lang};
use crate::load::{RawTable, SkipReason};
use row_reader::RowReader;

/// One input to normalise.
pub struct Input {
    pub table: RawTable,
    /// The kind the user declared with `--accounts/--posts/--snapshots`.
    pub forced: Option<Kind>,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub overrides: Vec<Override>,
    /// The platform for rows whose file names none.
    pub platform: Option<String>,
    /// Keep each post's title and interaction counts (for the breakout posts of a report).
    pub details: bool,
    /// Niches named by keywords (`--niche NAME=KW,KW`): a post whose row names no niche is filed
    /// under each whose keywords its title or tags hold.
    pub niches: Vec<keywords::KeywordNiche>,
}

/// Normalise every input into canonical tables.
pub fn apply(inputs: Vec<Input>, options: &Options) -> Result<Tables> {
    // Every override must name a column in at least one input.
    for o in &options.overrides {
        if !inputs
            .iter()
            .any(|i| mapping::find_header(&i.table.headers, &o.column).is_some())
        {
            let mut headers: Vec<String> = inputs.iter().flat_map(|i| i.table.headers.iter().cloned()).collect();
            headers.dedup();
            let flag = if o.by == "--niche-column" {
                format!("--niche-column {:?}", o.column)
            } else {
                format!("--map {}={}", o.field.name(), o.column)
            };
            let column = &o.column;
            let have = headers
                .iter()
                .take(30)
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::usage(
                say(
                    format!("{flag}: no input has a column named {column:?}"),
                    format!("{flag}：没有哪个输入有名为 {column:?} 的列"),
                ),
                say(
                    format!("use one of the columns the inputs have: {have}"),
                    format!("请用输入中有的列：{have}"),
                ),
            ));
        }
    }

    let mut builder = tables::Builder::default();
    if options.details {
        builder.keep_post_details();
    }
    let mut reports = Vec::new();
    let mut warnings = Vec::new();
    // Each input's text is let go once its rows are in the builder.
    for input in inputs {
        let t = crate::timing::Timer::start("  normalise a file");
        let (report, file_warnings) = read_one(&input, options, &mut builder)?;
        t.done();
        reports.push(report);
        warnings.extend(file_warnings);
    }
    // A niche named by keywords that no post holds is most often a misspelt keyword.
    for n in &options.niches {
        let rows: u64 = reports.iter().filter_map(|r| r.niches_by_keyword.get(&n.name)).sum();
        if rows == 0 {
            warnings.push(Warning {
                path: None,
                line: None,
                message: {
                    let name = crate::text::sanitise_line(&n.name);
                    say(
                        format!(
                            "--niche {name:?}: no post or account without a niche of its own has one of its keywords in its title, tags or bio"
                        ),
                        format!("--niche {name:?}：没有哪条无赛道的帖子或账号在标题、标签或简介中含有它的关键词"),
                    )
                },
            });
        }
    }
    builder.finish(reports, warnings)
}

/// The rows the loader left out of a table (banners, totals, blank rows), counted, and the
/// warnings that say so.
pub(super) fn skipped_rows(table: &RawTable, path: &str) -> (Skipped, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut skipped = Skipped::default();
    for reason in [SkipReason::Banner, SkipReason::Total, SkipReason::Blank] {
        let rows: Vec<_> = table.skipped.iter().filter(|s| s.reason == reason).collect();
        let Some(first) = rows.first() else { continue };
        match reason {
            SkipReason::Banner => {
                skipped.banner = rows.len();
                warnings.push(Warning {
                    path: Some(path.to_string()),
                    line: Some(first.line),
                    message: say(
                        format!(
                            "{} row(s) above the header were left out as a banner (first: {:?})",
                            rows.len(),
                            first.first_cell
                        ),
                        format!(
                            "表头上方的 {} 行被当作横幅略去（第一行：{:?}）",
                            rows.len(),
                            first.first_cell
                        ),
                    ),
                });
            }
            SkipReason::Total => {
                skipped.total = rows.len();
                warnings.push(Warning {
                    path: Some(path.to_string()),
                    line: Some(first.line),
                    message: say(
                        format!("{} summary row(s) ({:?}) were left out", rows.len(), first.first_cell),
                        format!("{} 行汇总行（{:?}）被略去", rows.len(), first.first_cell),
                    ),
                });
            }
            SkipReason::Blank => skipped.blank = rows.len(),
        }
    }
    (skipped, warnings)
}

/// Read one raw table's rows into the builder; return its report.
fn read_one(input: &Input, options: &Options, builder: &mut tables::Builder) -> Result<(InputReport, Vec<Warning>)> {
    let table = &input.table;
    let path = table.path.display().to_string();
    let mapping = mapping::map_columns(table, &options.overrides)?;
    let (kind, kind_reason) = match input.forced {
        Some(k) => (
            Some(k),
            format!(
                "declared with --{}",
                match k {
                    Kind::Accounts => "accounts",
                    Kind::Posts => "posts",
                    Kind::Snapshots => "snapshots",
                    Kind::Signals => "signals",
                }
            ),
        ),
        None => match mapping::detect_kind(&mapping) {
            Some((k, why)) => (Some(k), why),
            None => match signals::recognise(&table.headers) {
                Some(why) => (Some(Kind::Signals), why),
                None => (
                    None,
                    say(
                        "no account, post or snapshot columns were recognised",
                        "没有识别出账号、帖子或快照的列",
                    ),
                ),
            },
        },
    };
    let (platform, platform_reason) = file_platform(table, &mapping, options);

    let (skipped, mut warnings) = skipped_rows(table, &path);
    if let (n, Some(line)) = table.short_rows {
        warnings.push(Warning {
            path: Some(path.clone()),
            line: Some(line),
            message: say(
                format!("{n} row(s) had fewer cells than the header; the missing cells are read as missing values"),
                format!("{n} 行的单元格比表头少；缺的单元格按缺失值读取"),
            ),
        });
    }
    if let (n, Some(line)) = table.long_rows {
        warnings.push(Warning {
            path: Some(path.clone()),
            line: Some(line),
            message: say(
                format!("{n} row(s) had more cells than the header; the extra cells were ignored"),
                format!("{n} 行的单元格比表头多；多出的单元格被忽略"),
            ),
        });
    }
    if table.replaced_chars > 0 {
        warnings.push(Warning {
            path: Some(path.clone()),
            line: None,
            message: say(
                format!(
                    "{} byte sequence(s) were not valid {} and became U+FFFD; try --encoding gbk (or utf-8)",
                    table.replaced_chars, table.encoding
                ),
                format!(
                    "{} 处字节不是有效的 {}，已变成 U+FFFD；试试 --encoding gbk（或 utf-8）",
                    table.replaced_chars, table.encoding
                ),
            ),
        });
    }
    if table.nul_bytes > 0 {
        warnings.push(Warning {
            path: Some(path.clone()),
            line: None,
            message: say(
                format!("{} NUL byte(s) in the text became U+FFFD", table.nul_bytes),
                format!("文本中的 {} 个 NUL 字节已变成 U+FFFD", table.nul_bytes),
            ),
        });
    }
    // One pass over the rows reads them into the builder and counts damaged text. Runs of rows
    // are split and read into records on all threads; this thread hands the records to the
    // builder in the file's order (so duplicates and first rows are as one reading would find
    // them) and adds up each run's counts.
    let dot_thousands = mapping::dot_thousands(table, &mapping)?;
    let mut reader = RowReader::new(table, &mapping)
        .with_dot_thousands(&dot_thousands)
        .with_keyword_niches(&options.niches);
    let before = builder.counts();
    let mut garbled = 0;
    // Demand signals are read apart (`signals::read`); their rows make no record here.
    let rows_kind = kind.filter(|k| *k != Kind::Signals);
    if rows_kind.is_some() {
        crate::progress::phase(say(format!("recognising {path}"), format!("正在识别 {path}")));
    }
    // A file without a niche column: which of its columns could be one (counted in the same pass).
    let suggest = !mapping.has(Field::Niche);
    let mut suggestions = suggest.then(|| mapping::NicheSuggestions::new(table, &mapping));
    let total = table.row_count() as u64;
    if rows_kind == Some(Kind::Posts) {
        builder.reserve_posts(table.row_count());
    }
    let mut rows_done = 0u64;
    let mut failure = None;
    crate::par::in_order(
        table.runs(),
        4 * crate::par::threads(),
        |run| {
            let mut part = RowReader::new(table, &mapping)
                .with_dot_thousands(&dot_thousands)
                .with_keyword_niches(&options.niches);
            let mut suggestions = suggest.then(|| mapping::NicheSuggestions::new(table, &mapping));
            let mut records = tables::Records::default();
            let mut garbled = 0;
            let read = table.for_each_row_in_run(run, |row| {
                // A row whose text has neither of the bytes damage begins with has no damaged cell.
                if row.cells.as_slice().bytes().any(|b| b == 0xEF || b == 0xC3) {
                    garbled += row.cells.iter().filter(|c| is_garbled(c)).count();
                }
                if let Some(s) = &mut suggestions {
                    s.add(row);
                }
                if let Some(record) = rows_kind.and_then(|kind| part.read(row, kind, &platform)) {
                    records.push(record);
                }
            });
            read.map(|()| (part, suggestions, records, garbled))
        },
        |_, run| match run {
            Ok((part, more, records, g)) if failure.is_none() => {
                rows_done += part.rows_used as u64;
                reader.absorb(part);
                if let (Some(s), Some(more)) = (&mut suggestions, more) {
                    s.absorb(more);
                }
                garbled += g;
                builder.add(records);
                crate::progress::rows(rows_done, total);
            }
            Ok(_) => {}
            Err(e) => {
                failure.get_or_insert(e);
            }
        },
    );
    if let Some(e) = failure {
        return Err(e);
    }
    if garbled > 0 {
        warnings.push(Warning {
            path: Some(path.clone()),
            line: None,
            message: say(
                format!("{garbled} cell(s) hold mojibake or U+FFFD (text damaged before this export); names may be unreadable"),
                format!("{garbled} 个单元格含乱码或 U+FFFD（文本在导出前已损坏）；名称可能无法辨认"),
            ),
        });
    }

    reader.fail_on_unreadable_columns()?;
    let after = builder.counts();
    let (dedup, conflicting) = (after.0 - before.0, after.1 - before.1);

    let rows_without_niche = reader.rows_without_niche;
    let niche_suggestions = suggestions.map(|s| s.finish(table)).unwrap_or_default();
    for p in &reader.problems() {
        // The examples of one kind of fault (the first few of the column's, of either kind).
        let examples = |implausible: bool| {
            let list: Vec<String> = p
                .examples
                .iter()
                .filter(|e| e.implausible == implausible)
                .map(|e| {
                    say(
                        format!("line {}: {:?}", e.line, e.value),
                        format!("第 {} 行：{:?}", e.line, e.value),
                    )
                })
                .collect();
            if list.is_empty() {
                String::new()
            } else {
                say(
                    format!(" (e.g. {})", list.join(", ")),
                    format!("（例如 {}）", list.join("，")),
                )
            }
        };
        let first_line = |implausible: bool| p.examples.iter().find(|e| e.implausible == implausible).map(|e| e.line);
        if p.unreadable + p.negative > 0 {
            warnings.push(Warning {
                path: Some(path.clone()),
                line: first_line(false),
                message: {
                    let (column, field, n, negative) = (&p.column, p.field.name(), p.unreadable + p.negative, p.negative);
                    let e = examples(false);
                    match (negative > 0, crate::lang::current()) {
                        (false, Lang::En) => format!(
                            "column {column:?} ({field}): {n} value(s) could not be read and are treated as missing{e}"
                        ),
                        (true, Lang::En) => format!(
                            "column {column:?} ({field}): {n} value(s) could not be read and are treated as missing, {negative} of them negative{e}"
                        ),
                        (false, Lang::Zh) => format!("列 {column:?}（{field}）：{n} 个值无法读取，按缺失处理{e}"),
                        (true, Lang::Zh) => {
                            format!("列 {column:?}（{field}）：{n} 个值无法读取，按缺失处理，其中 {negative} 个为负数{e}")
                        }
                    }
                },
            });
        }
        if p.implausible > 0 {
            warnings.push(Warning {
                path: Some(path.clone()),
                line: first_line(true),
                message: {
                    let (column, field, n, what, e) = (
                        &p.column,
                        p.field.name(),
                        p.implausible,
                        implausible_words(p.field),
                        examples(true),
                    );
                    say(
                        format!("column {column:?} ({field}): {n} {what} are treated as missing{e}"),
                        format!("列 {column:?}（{field}）：{n} 个{what}，按缺失处理{e}"),
                    )
                },
            });
        }
        if let Some((line, cell)) = p.first_regrouped.as_ref().filter(|_| p.regrouped > 0) {
            warnings.push(Warning {
                path: Some(path.clone()),
                line: Some(*line),
                message: {
                    let (column, field, n) = (&p.column, p.field.name(), p.regrouped);
                    let read = value::grouped_thousands(cell).map_or_else(String::new, |v| format!("{v:.0}"));
                    let whole = p.field.is_whole_count();
                    say(
                        format!(
                            "column {column:?} ({field}): {n} value(s) with '.' between groups of three digits (e.g. line {line}: {cell:?}) were read as thousands ({read}): {}, and no value in the column has another decimal part",
                            if whole { "a count is a whole number" } else { "the file writes thousands so (its count columns do)" },
                        ),
                        format!(
                            "列 {column:?}（{field}）：{n} 个值在每三位数字之间有 '.'（例如第 {line} 行：{cell:?}），按千位分隔读取（{read}）：{}，且该列没有别的小数",
                            if whole { "计数是整数" } else { "这个文件的计数列就是这样写千位的" },
                        ),
                    )
                },
            });
        }
        if let Some((line, cell)) = p.first_fractional.as_ref().filter(|_| p.fractional > 0) {
            warnings.push(Warning {
                path: Some(path.clone()),
                line: Some(*line),
                message: {
                    let (column, field, n) = (&p.column, p.field.name(), p.fractional);
                    say(
                        format!(
                            "column {column:?} ({field}): {n} value(s) have a decimal part (e.g. line {line}: {cell:?}), read as written; a count is a whole number: is the column an average, or did the export drop a unit (万, k) or write thousands with '.'?"
                        ),
                        format!(
                            "列 {column:?}（{field}）：{n} 个值带小数（例如第 {line} 行：{cell:?}），按原样读取；计数应是整数：这一列是平均值吗？还是导出时丢了单位（万、k），或用 '.' 写了千位？"
                        ),
                    )
                },
            });
        }
        if p.censored > 0 {
            warnings.push(Warning {
                path: Some(path.clone()),
                line: None,
                message: {
                    let (column, field, n) = (&p.column, p.field.name(), p.censored);
                    say(
                        format!(
                            "column {column:?} ({field}): {n} value(s) are lower bounds such as \"10万+\"; sums and medians using them are lower bounds"
                        ),
                        format!("列 {column:?}（{field}）：{n} 个值是 \"10万+\" 这样的下限；用到它们的总和与中位数也是下限"),
                    )
                },
            });
        }
    }
    warnings.extend(duplicates_warning(&path, dedup, conflicting));
    if rows_without_niche > 0 && mapping.has(Field::Niche) {
        warnings.push(Warning {
            path: Some(path.clone()),
            line: reader.first_without_niche,
            message: say(
                format!("{rows_without_niche} row(s) have no niche value and are left out of the niche table"),
                format!("{rows_without_niche} 行没有赛道值，未计入赛道表"),
            ),
        });
    }

    let report = InputReport {
        path,
        format: table.format.describe(),
        encoding: table.encoding.clone(),
        encoding_source: table.encoding_source.clone(),
        header_line: table.header_line,
        kind,
        kind_reason,
        platform,
        platform_reason,
        columns: mapping.columns.clone(),
        unmapped: mapping.unmapped.clone(),
        rows_read: table.row_count(),
        skipped,
        deduplicated: dedup,
        deduplicated_conflicting: conflicting,
        rows_used: reader.rows_used.saturating_sub(dedup),
        rows_without_niche,
        problems: reader.problems(),
        niche_suggestions,
        niches_by_keyword: reader.keyword_hits(),
        missing: reader.missing(),
    };
    Ok((report, warnings))
}

/// The warning for a file's rows removed as duplicates of earlier rows (`conflicting` of them
/// with values that differ), if any were.
fn duplicates_warning(path: &str, dedup: usize, conflicting: usize) -> Option<Warning> {
    (dedup > 0).then(|| Warning {
        path: Some(path.to_string()),
        line: None,
        message: match (conflicting > 0, crate::lang::current()) {
            (false, Lang::En) => {
                format!("{dedup} duplicate row(s) (same platform id and niche as an earlier row) were removed")
            }
            (true, Lang::En) => format!(
                "{dedup} duplicate row(s) (same platform id and niche as an earlier row) were removed; {conflicting} of them had different values, and the first row was kept"
            ),
            (false, Lang::Zh) => format!("删除了 {dedup} 行重复行（平台 ID 和赛道与前面某行相同）"),
            (true, Lang::Zh) => format!(
                "删除了 {dedup} 行重复行（平台 ID 和赛道与前面某行相同）；其中 {conflicting} 行的值不同，保留了第一行"
            ),
        },
    })
}

/// The platform for a file's rows, and why.
fn file_platform(table: &RawTable, mapping: &Mapping, options: &Options) -> (String, String) {
    if let Some(m) = mapping.get(Field::Platform) {
        return (
            "(per row)".to_string(),
            say(
                format!("from the column {:?}", m.column),
                format!("来自列 {:?}", m.column),
            ),
        );
    }
    if let Some(p) = options.platform.as_deref().and_then(fields::platform_name) {
        return (p, say("from --platform", "来自 --platform"));
    }
    let squashed: HashSet<String> = table.headers.iter().map(|h| fields::squash(h)).collect();
    for (layout, platform, required) in fields::LAYOUTS {
        if required.iter().all(|r| squashed.contains(*r)) {
            return (
                platform.to_string(),
                say(
                    format!("the columns match the {layout} layout"),
                    format!("列与 {layout} 的格式相符"),
                ),
            );
        }
    }
    if let Some(p) = fields::platform_from_path(&table.path) {
        return (
            p.to_string(),
            say("from the folder name in the path", "来自路径中的文件夹名"),
        );
    }
    (
        "unknown".to_string(),
        say(
            "no platform column, known layout or --platform",
            "没有平台列、已知格式或 --platform",
        ),
    )
}

/// U+FFFD, or a lead character of UTF-8-read-as-Latin-1 (`Ã`, `Â`, `â`) followed by a character
/// from the range such misreadings produce (U+0080..U+00BF, or `€` from `â€`). `NÃO` is not flagged.
fn is_garbled(cell: &str) -> bool {
    // Both signs begin with one of two bytes: U+FFFD with 0xEF; Ã, Â and â with 0xC3. A cell with
    // neither (every ASCII cell, most Chinese ones) is not looked at character by character.
    cell.bytes().any(|b| b == 0xEF || b == 0xC3) && garbled_chars(cell)
}

/// [`is_garbled`], character by character.
fn garbled_chars(cell: &str) -> bool {
    let mut prev = None;
    for c in cell.chars() {
        if c == '\u{FFFD}' {
            return true;
        }
        if matches!(prev, Some('Ã' | 'Â' | 'â')) && (('\u{80}'..='\u{BF}').contains(&c) || c == '€') {
            return true;
        }
        prev = Some(c);
    }
    false
}

/// What makes a field's values implausible, after their count: "3 value(s) above ...".
pub fn implausible_words(field: Field) -> String {
    match field.ceiling() {
        Some(max) => say(
            format!("value(s) above {max:e} (more than any real account or post has)"),
            format!("大于 {max:e} 的值（超过任何真实账号或帖子）"),
        ),
        None => say("date(s) before 2000 or after 2099", "早于 2000 年或晚于 2099 年的日期"),
    }
}

/// Warnings that need every input at once.
pub(crate) fn cross_input_warnings(posts_multi_niche: usize, unmatched: Option<(usize, usize)>) -> Vec<Warning> {
    let mut out = Vec::new();
    if posts_multi_niche > 0 {
        out.push(Warning {
            path: None,
            line: None,
            message: say(
                format!(
                    "{posts_multi_niche} post(s) are filed under more than one niche (e.g. found by two search keywords); each counts in every niche it is under"
                ),
                format!("{posts_multi_niche} 条帖子归在不止一个赛道下（例如被两个搜索关键词找到）；在每个所属赛道里都计入"),
            ),
        });
    }
    if let Some((posts, accounts)) = unmatched {
        if posts > 0 {
            out.push(Warning {
                path: None,
                line: None,
                message: say(
                    format!(
                        "{posts} post(s) from {accounts} account(s) have no row in the account list; their follower counts are unknown"
                    ),
                    format!("来自 {accounts} 个账号的 {posts} 条帖子在账号列表中没有对应行；这些账号的粉丝数未知"),
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_recognised_and_portuguese_is_not() {
        assert!(is_garbled("netd mÃ¼zik"));
        assert!(is_garbled("cut offâ€¦"));
        assert!(is_garbled("��� Kids Diana Show"));
        assert!(is_garbled("CÃ´te d'Ivoire"));
        assert!(!is_garbled("NÃO"));
        assert!(!is_garbled("São Paulo"));
        assert!(!is_garbled("美妆"));
    }

    proptest::proptest! {
        /// The byte check in front of the character walk never changes the answer.
        #[test]
        fn the_byte_check_agrees_with_the_character_walk(cell in "[a-zÃÂâ€\u{80}-\u{BF}\u{FFFD}美妆，！ ]{0,12}") {
            proptest::prop_assert_eq!(is_garbled(&cell), garbled_chars(&cell));
        }
    }
}
