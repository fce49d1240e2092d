//! Delimited text (CSV, TSV, semicolon or pipe separated): sniff the separator, split records.
//!
//! The separator is sniffed, never taken from the file name: tab-separated files named `.csv` are
//! common. Quoted fields may hold separators and newlines, also in the header.

use csv::ReaderBuilder;
#[cfg(test)]
use csv::StringRecord;

const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];
const SNIFF_RECORDS: usize = 50;

/// Pick the separator whose records agree best on a width of two or more fields.
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut best: Option<(f64, usize, u8)> = None;
    for &d in &CANDIDATES {
        let mut reader = ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let widths: Vec<usize> = reader
            .records()
            .take(SNIFF_RECORDS)
            .filter_map(Result::ok)
            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
            .map(|r| r.len())
            .collect();
        if widths.is_empty() {
            continue;
        }
        let mode = mode(&widths);
        if mode < 2 {
            continue;
        }
        let agreement = widths.iter().filter(|&&w| w == mode).count() as f64 / widths.len() as f64;
        let better = match best {
            None => true,
            Some((a, m, _)) => agreement > a + 1e-9 || ((agreement - a).abs() <= 1e-9 && mode > m),
        };
        if better {
            best = Some((agreement, mode, d));
        }
    }
    best.map_or(b',', |(_, _, d)| d)
}

fn mode(values: &[usize]) -> usize {
    let mut counts = std::collections::BTreeMap::new();
    for &v in values {
        *counts.entry(v).or_insert(0usize) += 1;
    }
    // Ties go to the wider record: a header is never narrower than its data.
    counts
        .into_iter()
        .max_by_key(|&(width, count)| (count, width))
        .map_or(0, |(width, _)| width)
}

/// A reader of `text`'s records, as every pass over delimited text splits them.
pub fn reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// The 1-based line a record starts on, given the reader's input and the record's position. The
/// reader gives the line where it began reading the record: before the blank lines it skipped
/// and before the `\n` of a `\r\n` that ended the record before; those line breaks are counted
/// here.
pub fn record_line(input: &[u8], position: &csv::Position) -> usize {
    let from = usize::try_from(position.byte()).unwrap_or(usize::MAX).min(input.len());
    let breaks = input[from..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count();
    position.line() as usize + breaks
}

/// The error for text the CSV reader could not split, at a 1-based line of the file.
pub fn split_error(path: &std::path::Path, line: usize, e: &csv::Error) -> crate::error::Error {
    crate::error::Error::file(
        path,
        format!("line {line}: the text could not be split into fields: {e}"),
        "check for a stray quote character on that line",
    )
}

/// Split `text` into records, each with the 1-based line it starts on.
#[cfg(test)]
pub fn records(text: &str, delimiter: u8) -> Result<Vec<(usize, StringRecord)>, (usize, String)> {
    let mut reader = reader(text, delimiter);
    let mut out = Vec::new();
    loop {
        let line = reader.position().line() as usize;
        let mut record = StringRecord::new();
        match reader.read_record(&mut record) {
            Ok(true) => {
                let line = record.position().map_or(line, |p| record_line(text.as_bytes(), p));
                out.push((line, record));
            }
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                return Err((line, e.to_string()));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_tabs_in_a_file_named_csv() {
        let text =
            "Rank\tGrade\tChannel name\tSubscribers\n1st\tA++ \tZee TV\t18752951\n5,000th\tB+ \tSome, Name\t--\n";
        assert_eq!(sniff_delimiter(text), b'\t');
    }

    #[test]
    fn records_are_numbered_by_the_physical_line_they_start_on() {
        // CRLF line ends, blank lines, a quoted line break, a lone CR inside a cell.
        let text = "a,b\r\n\r\n1,\"x\r\ny\"\r\n\n\n2,z\rw\r\n3,4";
        let recs = records(text, b',').map_err(|e| e.1).unwrap_or_default();
        let lines: Vec<usize> = recs.iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![1, 3, 7, 7, 8], "{recs:?}");
    }

    #[test]
    fn sniffs_commas_despite_quoted_newlines_in_the_header() {
        let text = "a,\"b\r\nc\",d\n1,2,3\n4,5,6\n";
        assert_eq!(sniff_delimiter(text), b',');
        let recs = records(text, b',').map_err(|e| e.1).unwrap_or_default();
        assert_eq!(recs.len(), 3);
        assert_eq!(&recs[0].1[1], "b\r\nc");
        assert_eq!(recs[1].0, 3, "the second record starts on physical line 3");
    }

    #[test]
    fn sniffs_semicolons() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n"), b';');
    }
}
