//! Stage 1: bytes on disk -> [`RawTable`].
//!
//! What comes in: a path. What goes out: header names and rows of text, each row with the line
//! (or spreadsheet row) it came from, plus how the file was read (format, encoding, delimiter) and
//! which rows were left out and why (banner rows above the header, "Total" rows, blank rows).
//! Nothing here gives a cell a meaning; that is [`crate::normalise`]'s job.

pub(crate) mod delimited;
mod first_pass;
mod json;
mod raw_table;
mod row_kinds;
mod rows;
mod text;
mod workbook;

use std::path::Path;

use encoding_rs::Encoding;

pub use delimited::sniff_delimiter;
pub use raw_table::{column_letters, Format, LazyRows, RawRow, RawTable, SkipReason, SkippedRow};
pub use row_kinds::is_total_cell;
pub use rows::clean_header;
pub use text::{decode, encoding_for_label};

use first_pass::shape_text;
use rows::{finish_rows, shape_grid};

use crate::error::{Error, Result};
use crate::lang::say;

/// How to read files; the defaults detect everything.
#[derive(Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Decode text with this encoding instead of detecting one.
    pub encoding: Option<&'static Encoding>,
    /// Read this sheet of a workbook instead of the first.
    pub sheet: Option<&'a str>,
    /// Whether a header cell names a known field; used to find the header row under banners.
    pub known_header: fn(&str) -> bool,
}

/// Memory the general reader takes at its peak per byte of the file it reads whole, rounded up:
/// the file's bytes, its decoded text and the rows split from it (the messy benchmark read the
/// general way peaked at 2.5 × its 103 MB at 1M posts, 2.3 × its 1.03 GB at 10M; BENCHMARKS.md).
/// A post list the fast path takes is streamed and has no such limit.
pub const MEMORY_PER_FILE_BYTE: u64 = 3;
/// A single cell larger than this is an error: no export has such cells, and a quote that is never
/// closed produces one.
pub const MAX_CELL_BYTES: usize = 1 << 20;

/// Read one file into a raw table.
pub fn read(path: &Path, options: &ReadOptions<'_>) -> Result<RawTable> {
    if path.is_dir() {
        return Err(Error::file(
            path,
            say("this is a folder, not a file", "这是文件夹，不是文件"),
            say(
                format!("pass the files inside it, e.g. `niche score {}/*.csv`", path.display()),
                format!("请给出其中的文件，例如 `niche score {}/*.csv`", path.display()),
            ),
        ));
    }
    let size = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    fits_in_memory(
        path,
        size,
        max_file_bytes(|v| std::env::var(v).ok(), available_memory()),
    )?;
    let bytes = read_file(path).map_err(|e| Error::io(path, e))?;
    read_bytes(path, bytes, options)
}

/// The largest file the general reader takes: `NICHE_MAX_FILE_BYTES` where set, else what the
/// machine's available memory holds at [`MEMORY_PER_FILE_BYTE`]; `None` (no limit) where the
/// machine does not say how much it has.
fn max_file_bytes(var: impl Fn(&str) -> Option<String>, available: Option<u64>) -> Option<u64> {
    match var("NICHE_MAX_FILE_BYTES").and_then(|v| v.trim().parse::<u64>().ok()) {
        Some(set) => Some(set),
        None => available.map(|a| a / MEMORY_PER_FILE_BYTE),
    }
}

/// The memory the system could give this process now (Linux: `MemAvailable` of /proc/meminfo).
fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Refuse, with what to do instead, a file the general reader could not hold in memory.
fn fits_in_memory(path: &Path, size: u64, max: Option<u64>) -> Result<()> {
    let Some(max) = max.filter(|&m| size > m) else {
        return Ok(());
    };
    let gib = |b: u64| b as f64 / (1u64 << 30) as f64;
    let (size, max) = (gib(size), gib(max));
    Err(Error::file(
        path,
        say(
            format!(
                "the file is {size:.2} GiB; read whole, as its layout needs, it would take about {:.1} GiB of memory, more than this machine has free (files up to {max:.2} GiB)",
                size * MEMORY_PER_FILE_BYTE as f64
            ),
            format!(
                "文件有 {size:.2} GiB；它的格式需要整份读入，约占 {:.1} GiB 内存，超过这台机器的空闲内存（最多 {max:.2} GiB 的文件）",
                size * MEMORY_PER_FILE_BYTE as f64
            ),
        ),
        say(
            "split it (e.g. by month or by niche) and pass the parts together: `niche score part1.csv part2.csv`; a post list in UTF-8 with comma-separated columns niche reads (`niche inspect` shows them) is streamed instead, at any size",
            "把它拆开（例如按月或按赛道）一起传入：`niche score part1.csv part2.csv`；UTF-8、逗号分隔、列都能识别的帖子列表（`niche inspect` 可查看）会流式读取，大小不限",
        ),
    ))
}

/// The bytes of a file. A large one is read in parts on all threads, each part straight into its
/// place: copying from the page cache and first touching each fresh page of the buffer are
/// spread over the cores instead of falling on one (on a 1 GB export, seconds).
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    read_file_in(path, 8 << 20)
}

/// [`read_file`] in parts of `part` bytes, for files of at least four parts.
fn read_file_in(path: &Path, part: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let size = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
    let mut bytes = Vec::new();
    #[cfg(unix)]
    if size >= 4 * part && crate::par::threads() > 1 {
        use std::io::{Seek, SeekFrom};
        use std::os::unix::fs::FileExt;
        bytes = vec![0u8; size];
        let mut parts: Vec<&mut [u8]> = bytes.chunks_mut(part).collect();
        let shared = &file;
        let read = crate::par::runs_mut(&mut parts, 1, |i, run| {
            run.iter_mut()
                .try_for_each(|p| shared.read_exact_at(p, (i * part) as u64))
        });
        read.into_iter().collect::<std::io::Result<()>>()?;
        // What a file that grew meanwhile holds past its size then, as one reading would find it.
        file.seek(SeekFrom::Start(size as u64))?;
    }
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The endings of the files this reader is made for (it reads a file by its bytes, whatever its
/// name; these tell a path from an account name in `--me`).
pub const EXTENSIONS: &[&str] = &["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods", "json", "jsonl"];

/// Read a file's bytes into a raw table; `path` names the file in messages and tells its extension.
pub fn read_bytes(path: &Path, bytes: Vec<u8>, options: &ReadOptions<'_>) -> Result<RawTable> {
    if bytes.is_empty() {
        return Err(Error::file(
            path,
            say("the file is empty (0 bytes)", "文件是空的（0 字节）"),
            say(
                "export the data again; an interrupted download leaves an empty file",
                "重新导出数据；下载中断会留下空文件",
            ),
        ));
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();

    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return read_workbook(path, bytes, options);
    }
    if bytes.starts_with(b"PAR1") {
        return Err(Error::file(
            path,
            say(
                "this is a Parquet file: niche reads Parquet only as the folders `niche normalise` writes (`niche score --units DIR`), not as an export",
                "这是 Parquet 文件：niche 只读取 `niche normalise` 写出的 Parquet 文件夹（`niche score --units DIR`），不把它当作导出文件",
            ),
            say(
                "write the table out as CSV (DuckDB: COPY (FROM 'FILE.parquet') TO 'FILE.csv'), then pass the CSV",
                "把表写成 CSV（DuckDB：COPY (FROM 'FILE.parquet') TO 'FILE.csv'），再传入 CSV",
            ),
        ));
    }
    // A workbook name on a file that is neither zip nor OLE: dashboards often save an HTML table
    // as .xls, which no workbook reader opens; a CSV named .xls is read as the text it is.
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let html = head.trim_start().starts_with('<') || head.contains("<html") || head.contains("<table");
    if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods") && html {
        return Err(Error::file(
            path,
            say(
                format!("this .{extension} file is an HTML page saved with a workbook name (many dashboards export tables this way)"),
                format!("这个 .{extension} 文件其实是用表格文件名保存的 HTML 网页（很多数据后台这样导出表格）"),
            ),
            say(
                "open it in Excel or WPS and save it as .xlsx or CSV, then pass that file",
                "用 Excel 或 WPS 打开，另存为 .xlsx 或 CSV，再传入那个文件",
            ),
        ));
    }

    // Binary or not is judged on the bytes, unless a UTF-16 byte order mark says the NULs are text.
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    let raw_sample: Vec<u8> = bytes.iter().take(8192).copied().collect();
    let decoded = text::decode(bytes, options.encoding);
    if decoded.text.trim().is_empty() {
        return Err(Error::file(
            path,
            say(
                "the file has no text in it (only whitespace)",
                "文件里没有文字（只有空白）",
            ),
            say(
                "export the data again; the export may have been cut off",
                "重新导出数据；导出可能被截断了",
            ),
        ));
    }
    // A few stray NUL bytes in text become U+FFFD and are counted; many mean binary data (or
    // UTF-16 without a byte order mark).
    let probe: &[u8] = if utf16 { decoded.text.as_bytes() } else { &raw_sample };
    let probe = &probe[..probe.len().min(8192)];
    let sample = probe.len();
    let nul = probe.iter().filter(|&&b| b == 0).count();
    let control = probe.iter().filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b)).count();
    let mut decoded = decoded;
    let binary = nul > 8 || nul * 50 > sample || control * 10 > sample;
    let mut nul_bytes = 0;
    if nul > 0 && !binary {
        nul_bytes = decoded.text.bytes().filter(|&b| b == 0).count();
        decoded.text = decoded.text.replace('\0', "\u{FFFD}");
    } else if binary {
        return Err(Error::file(
            path,
            say(
                format!(
                    "this looks like binary data, not text ({nul} NUL and {control} other control bytes \
                     in its first {sample} bytes)"
                ),
                format!(
                    "这看起来是二进制数据，不是文本（前 {sample} 个字节中有 {nul} 个 NUL 和 {control} 个其他控制字节）"
                ),
            ),
            say(
                "pass a CSV, TSV, XLSX or JSON export; if it is text in UTF-16 without a BOM, re-save it as UTF-8",
                "请传入 CSV、TSV、XLSX 或 JSON 导出文件；如果是不带 BOM 的 UTF-16 文本，请另存为 UTF-8",
            ),
        ));
    }

    let first = decoded.text.trim_start().chars().next();
    if matches!(first, Some('[') | Some('{')) {
        let rows = json::read(path, &decoded.text)?;
        if rows.rows.is_empty() {
            return Err(Error::file(
                path,
                say(
                    "the JSON holds no records (an empty array)",
                    "JSON 里没有记录（空数组）",
                ),
                say(
                    "export again; a crawler that found nothing writes an empty array",
                    "重新导出；爬虫什么都没抓到时会写出空数组",
                ),
            ));
        }
        let format = if rows.lines_format { Format::Jsonl } else { Format::Json };
        let headers = rows.headers.iter().map(|h| clean_header(h)).collect();
        return finish_rows(
            RawTable {
                headers,
                replaced_chars: decoded.replaced,
                nul_bytes,
                ..RawTable::new(path, format, decoded.encoding, decoded.source.to_string())
            },
            rows.rows,
        );
    }

    let delimiter = delimited::sniff_delimiter(&decoded.text);
    let format = Format::Delimited {
        delimiter: char::from(delimiter),
    };
    let table = RawTable {
        replaced_chars: decoded.replaced,
        nul_bytes,
        text: Some(decoded.text),
        ..RawTable::new(path, format, decoded.encoding, decoded.source.to_string())
    };
    shape_text(table, delimiter, options.known_header)
}

fn read_workbook(path: &Path, bytes: Vec<u8>, options: &ReadOptions<'_>) -> Result<RawTable> {
    let sheet = workbook::read(path, bytes, options.sheet)?;
    let table = RawTable::new(
        path,
        Format::Workbook { sheet: sheet.name },
        "workbook (Unicode)".to_string(),
        "workbook".to_string(),
    );
    shape_grid(table, sheet.rows, options.known_header)
}

#[cfg(test)]
mod tests {
    use csv::StringRecord;

    use super::first_pass::*;
    use super::row_kinds::*;
    use super::rows::*;
    use super::*;

    fn known(h: &str) -> bool {
        matches!(h, "笔记标题" | "点赞" | "收藏" | "Views" | "Content")
    }

    fn grid(rows: &[&[&str]]) -> Vec<(usize, StringRecord)> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| (i + 1, StringRecord::from(r.to_vec())))
            .collect()
    }

    fn empty_table() -> RawTable {
        RawTable::new(
            std::path::Path::new("t.xlsx"),
            Format::Workbook { sheet: "Sheet1".into() },
            String::new(),
            String::new(),
        )
    }

    #[test]
    fn banner_rows_above_the_header_are_skipped() {
        let g = grid(&[
            &["最多导出排序后前1000条笔记", "", ""],
            &["笔记标题", "点赞", "收藏"],
            &["a", "1", "2"],
        ]);
        let t = shape_grid(empty_table(), g, known).unwrap();
        assert_eq!(t.header_line, 2);
        assert_eq!(t.headers, ["笔记标题", "点赞", "收藏"]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.skipped.len(), 1);
        assert_eq!(t.skipped[0].reason, SkipReason::Banner);
    }

    #[test]
    fn total_rows_and_blank_rows_are_skipped_and_ragged_rows_squared() {
        let g = grid(&[
            &["Content", "Video title", "Views"],
            &["Total", "", "2100"],
            &["abc", "First"],
            &["", "", ""],
            &["def", "Second", "300", "extra"],
        ]);
        let t = shape_grid(empty_table(), g, known).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells.len(), 3);
        assert_eq!(t.short_rows, (1, Some(3)));
        assert_eq!(t.long_rows, (1, Some(5)));
        let reasons: Vec<SkipReason> = t.skipped.iter().map(|s| s.reason).collect();
        assert_eq!(reasons, [SkipReason::Total, SkipReason::Blank]);
    }

    #[test]
    fn a_title_that_says_total_is_not_a_total_row() {
        let g = grid(&[&["Content", "Video title", "Views"], &["x1", "Total war review", "5"]]);
        let t = shape_grid(empty_table(), g, known).unwrap();
        assert_eq!(t.rows.len(), 1);
    }

    /// The rows a delimited table hands out, split again from its text, are the rows (lines and
    /// cells) and faults that keeping every record would have given.
    #[test]
    fn rows_split_again_from_the_text_match_rows_kept() -> Result<()> {
        // Long enough for runs to start after the header (chosen among the first rows).
        let long: String = std::iter::once("banner\r\nid,text,n\r\n".to_string())
            .chain((0..60).map(|i| match i % 6 {
                0 => format!("{i},\"two\r\nlines\",1\r\n"),
                1 => "\r\n".to_string(),
                2 => format!("{i},lone\rcr,2\n"),
                3 => format!("合计,{i},3\n"),
                4 => format!("{i},\"q\"\"q\",4,extra\r\n"),
                _ => format!("{i}\n\n"),
            }))
            .collect();
        let texts = [
            long.as_str(),
            "最多导出前1000条\n\n笔记标题,点赞,收藏\na,1,2\n\n合计,3,4\nb,\"x\ny\",5,extra\nc\n",
            "Content,Views\r\nTotal,9\r\nabc,1\r\n",
            "\n\nViews,Content\n1,\"q\"\"uote\"\n,\n2,z\n",
            "only,one,row\n",
            "a,b\r\n1,\"x\r\ny\"\r\n\r\n2,z\r\n3\r4\r\r\n5,\"\"\"\"\n6,w",
        ];
        let cases = texts.iter().flat_map(|t| {
            [
                (1, 1),
                (2, 3),
                (3, 5),
                (raw_table::RUN_ROWS, 17),
                (raw_table::RUN_ROWS, usize::MAX),
            ]
            .into_iter()
            .map(move |(runs, block)| (t, runs, block))
        });
        for (text, run_rows, block) in cases {
            let table = RawTable {
                text: Some(text.to_string()),
                ..empty_table()
            };
            let lazy = shape_text_in_blocks(table, b',', known, run_rows, |_| block)?;
            let records = delimited::records(text, b',')
                .map_err(|(line, message)| Error::file(Path::new("t.csv"), format!("line {line}: {message}"), ""))?;
            let kept = shape_grid(empty_table(), records, known)?;
            let mut rows = Vec::new();
            lazy.for_each_row(|r| rows.push((r.line, r.cells.iter().map(str::to_string).collect::<Vec<_>>())))?;
            let expected: Vec<_> = kept
                .rows
                .iter()
                .map(|r| (r.line, r.cells.iter().map(str::to_string).collect::<Vec<_>>()))
                .collect();
            assert_eq!(rows, expected, "{text:?} in runs of {run_rows}, blocks of {block}");
            // Each run read on its own gives the same rows.
            let mut by_run = Vec::new();
            for run in 0..lazy.runs() {
                lazy.for_each_row_in_run(run, |r| {
                    by_run.push((r.line, r.cells.iter().map(str::to_string).collect::<Vec<_>>()))
                })?;
            }
            assert_eq!(by_run, expected, "{text:?} in runs of {run_rows}, blocks of {block}");
            if *text == long && run_rows < 4 {
                assert!(lazy.runs() > 10, "{text:?} is read in runs of {run_rows}");
            }
            assert_eq!(lazy.row_count(), expected.len());
            assert!(lazy.rows.is_empty(), "no row is kept");
            assert_eq!((lazy.header_line, &lazy.headers), (kept.header_line, &kept.headers));
            assert_eq!((lazy.short_rows, lazy.long_rows), (kept.short_rows, kept.long_rows));
            let skipped = |t: &RawTable| {
                t.skipped
                    .iter()
                    .map(|s| (s.line, s.reason, s.first_cell.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(skipped(&lazy), skipped(&kept));
        }
        Ok(())
    }

    proptest::proptest! {
        /// The text past the header scanned in blocks cut anywhere — inside quoted cells, between
        /// the two bytes of a CRLF, among blank lines — notes what one scan notes.
        #[test]
        fn blocks_cut_anywhere_scan_as_one(
            soup in "[ab,\"\r\n 合计]{0,160}",
            block in 1usize..24,
        ) {
            let text = format!("h1,h2,h3\n{}{soup}", "1,2,3\n".repeat(10));
            let shape = |block: usize| {
                let table = RawTable {
                    text: Some(text.clone()),
                    ..empty_table()
                };
                let t = shape_text_in_blocks(table, b',', known, 3, |_| block).map_err(|e| e.to_string())?;
                let mut rows = Vec::new();
                t.for_each_row(|r| rows.push((r.line, r.cells.iter().map(str::to_string).collect::<Vec<_>>())))
                    .map_err(|e| e.to_string())?;
                let skipped: Vec<_> = t.skipped.iter().map(|s| (s.line, s.reason, s.first_cell.clone())).collect();
                Ok::<_, String>((rows, skipped, t.short_rows, t.long_rows, t.row_count(), t.header_line))
            };
            proptest::prop_assert_eq!(shape(block), shape(usize::MAX));
        }
    }

    #[test]
    fn files_read_in_parts_are_read_whole() -> std::io::Result<()> {
        let dir = std::env::temp_dir().join(format!("niche-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("f.csv");
        for size in [0usize, 1, 27, 28, 29, 55, 56, 57, 300] {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            std::fs::write(&path, &bytes)?;
            assert_eq!(read_file_in(&path, 7)?, bytes, "{size} bytes");
        }
        std::fs::remove_dir_all(&dir)
    }

    proptest::proptest! {
        /// Looking at the first character first never changes the answer.
        #[test]
        fn total_cells_are_the_lower_cased_words(
            word in proptest::sample::select(TOTAL_WORDS.to_vec()),
            upper in proptest::collection::vec(proptest::bool::ANY, 12),
            colons in "[:：]{0,2}",
            other in "[tTgGsSaA合总汇小计和 :İẞ]{0,6}",
            use_word: bool,
        ) {
            let cased = crate::normalise::value::mixed_case(word, &upper);
            let cell = if use_word { format!("{cased}{colons}") } else { other };
            proptest::prop_assert_eq!(is_total_cell(&cell), total_word(&cell), "{:?}", cell);
        }
    }

    #[test]
    fn headers_lose_newlines_and_outer_space() {
        assert_eq!(clean_header("\nViews (Avg.)"), "Views (Avg.)");
        assert_eq!(clean_header("Engagement average\r\n"), "Engagement average");
        assert_eq!(clean_header(" Name"), "Name");
        assert_eq!(clean_header("\u{FEFF}id"), "id");
    }

    #[test]
    fn the_general_reader_takes_what_memory_holds_or_the_setting_says() {
        let none = |_: &str| None;
        let set = |v: &str| (v == "NICHE_MAX_FILE_BYTES").then(|| "5000".to_string());
        // 24 GiB free: files up to 8 GiB; the setting overrides; unknown memory, no limit.
        assert_eq!(max_file_bytes(none, Some(24 << 30)), Some(8 << 30));
        assert_eq!(max_file_bytes(set, Some(24 << 30)), Some(5000));
        assert_eq!(max_file_bytes(none, None), None);
        let path = Path::new("crawl.csv");
        assert!(fits_in_memory(path, 5000, Some(5000)).is_ok());
        assert!(
            fits_in_memory(path, 3 << 30, None).is_ok(),
            "a 3 GiB file, memory unknown"
        );
        let refused = fits_in_memory(path, 6 << 30, Some(5 << 30))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(refused.starts_with("crawl.csv: the file is 6.00 GiB"), "{refused}");
        assert!(
            refused.contains("18.0 GiB of memory") && refused.contains("streamed"),
            "{refused}"
        );
    }
}
