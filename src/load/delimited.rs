//! Delimited text (CSV, TSV, semicolon or pipe separated): sniff the separator, split records.
//!
//! The separator is sniffed, never taken from the file name: tab-separated files named `.csv` are
//! common. Quoted fields may hold separators and newlines, also in the header.

use csv::{ReaderBuilder, StringRecord};

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

/// Bytes that end an unquoted cell or need a closer look: the separator, line ends, quotes and
/// other control characters (a tab is text unless it is the separator).
pub fn is_stop(b: u8, delimiter: u8) -> bool {
    (b < 0x20 && b != b'\t') | (b == delimiter) | (b == b'"')
}

/// The positions of a text's stop bytes ([`is_stop`]), found 64 bytes at a time: the bytes are
/// compared in a loop the compiler turns into vector instructions and packed into a bit mask, so
/// splitting a row costs a few instructions per cell instead of a branch per byte.
pub struct Stops<'a> {
    block: &'a [u8],
    delimiter: u8,
    base: usize,
    mask: u64,
}

impl<'a> Stops<'a> {
    pub fn new(block: &'a [u8], delimiter: u8) -> Stops<'a> {
        let mut s = Stops {
            block,
            delimiter,
            base: 0,
            mask: 0,
        };
        s.load(0);
        s
    }

    fn load(&mut self, base: usize) {
        let chunk = &self.block[base.min(self.block.len())..(base + 64).min(self.block.len())];
        let mut flags = [0u8; 64];
        for (f, &b) in flags.iter_mut().zip(chunk) {
            *f = u8::from(is_stop(b, self.delimiter));
        }
        let mut mask = 0u64;
        for (i, e) in flags.chunks_exact(8).enumerate() {
            let bytes = u64::from_le_bytes([e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]]);
            // Each byte is 0 or 1; the product gathers byte k's bit at bit 56 + k (no carries:
            // every partial product lands on its own bit).
            mask |= (bytes.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * i);
        }
        self.base = base;
        self.mask = mask;
    }

    /// Continue from `pos` (after a row split the slow way).
    pub fn seek(&mut self, pos: usize) {
        self.load(pos & !63);
        self.mask &= u64::MAX << (pos & 63);
    }

    /// The next stop byte's position.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            if self.base + 64 >= self.block.len() {
                return None;
            }
            self.load(self.base + 64);
        }
        let at = self.base + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }

    /// The first stop byte at or after `pos` (the ones before it are passed over).
    pub fn next_from(&mut self, pos: usize) -> Option<usize> {
        if pos >= self.base + 64 {
            self.seek(pos);
        }
        loop {
            let at = self.next()?;
            if at >= pos {
                return Some(at);
            }
        }
    }
}

/// What [`quick_record`] found at a position of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quick {
    /// A record, now in the record given; the position is at the byte that ended it.
    Record,
    /// The end of the text: only line breaks were left.
    End,
    /// A record the quick split leaves to the CSV reader; the position is where it begins.
    Unusual,
}

/// Split the record at `*pos` of `text` as the CSV reader ([`reader`]) splits it, for the shapes
/// exports are made of: cells without quotes, and quoted cells that hold no line break and are
/// followed by a separator or a line end. Line breaks before the record are stepped over and
/// counted into `*line` (a record's line is the line it starts on, as [`record_line`] counts).
/// `stops` are `text`'s, for the same separator. Anything else (a quote inside a cell, a quoted
/// line break, text after a closing quote, a control character other than a tab) is
/// [`Quick::Unusual`], to be read by the CSV reader from `*pos` and `*line`. Splitting at ASCII
/// bytes of text that is already UTF-8 needs no second check of the cells.
pub fn quick_record(
    text: &str,
    stops: &mut Stops<'_>,
    pos: &mut usize,
    line: &mut usize,
    record: &mut StringRecord,
    scratch: &mut String,
) -> Quick {
    let bytes = text.as_bytes();
    let mut at = *pos;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\n' => *line += 1,
            b'\r' => {}
            _ => break,
        }
        at += 1;
    }
    *pos = at;
    if at == bytes.len() {
        return Quick::End;
    }
    record.clear();
    loop {
        let end = stops.next_from(at).unwrap_or(bytes.len());
        let (cell, end) = match bytes.get(end) {
            Some(b'"') if end == at => match quoted_cell(text, at + 1, scratch) {
                Some(quoted) => quoted,
                None => return Quick::Unusual,
            },
            Some(b'"') => return Quick::Unusual,
            _ => match text.get(at..end) {
                Some(cell) => (cell, end),
                None => return Quick::Unusual,
            },
        };
        record.push_field(cell);
        match bytes.get(end) {
            Some(&b) if b == stops.delimiter => at = end + 1,
            Some(b'\n' | b'\r') | None => {
                *pos = end;
                return Quick::Record;
            }
            // A quote after a closing quote, or a control character.
            Some(_) => return Quick::Unusual,
        }
    }
}

/// A quoted cell whose text starts at `from` (after the opening quote): its text, with doubled
/// quotes undoubled into `scratch`, and where the closing quote's next byte is. `None` for a
/// quoted line break or a quote that is not closed.
fn quoted_cell<'t>(text: &'t str, from: usize, scratch: &'t mut String) -> Option<(&'t str, usize)> {
    let (end, doubled) = quoted_span(text.as_bytes(), from).ok()?;
    let inside = text.get(from..end)?;
    if !doubled {
        return Some((inside, end + 1));
    }
    scratch.clear();
    scratch.push_str(&inside.replace("\"\"", "\""));
    Some((scratch.as_str(), end + 1))
}

/// Where a quoted cell whose text starts at `from` (after the opening quote) ends — its closing
/// quote — and whether it doubles quotes inside; what is wrong when it holds a line break or its
/// quote is not closed. (The quick split and the fast path read quoted cells by this one rule.)
pub fn quoted_span(bytes: &[u8], from: usize) -> Result<(usize, bool), &'static str> {
    let mut at = from;
    let mut doubled = false;
    loop {
        let Some(q) = bytes.get(at..).and_then(|rest| rest.iter().position(|&b| b == b'"')) else {
            return Err("a quote that is not closed");
        };
        let q = at + q;
        if bytes[at..q].iter().any(|&b| b == b'\n' || b == b'\r') {
            return Err("a quoted cell with a line break");
        }
        if bytes.get(q + 1) == Some(&b'"') {
            doubled = true;
            at = q + 2;
        } else {
            return Ok((q, doubled));
        }
    }
}

/// The error for text the CSV reader could not split, at a 1-based line of the file.
pub fn split_error(path: &std::path::Path, line: usize, e: &csv::Error) -> crate::error::Error {
    crate::error::Error::file(
        path,
        crate::lang::say(
            format!("line {line}: the text could not be split into fields: {e}"),
            format!("第 {line} 行：文本无法拆分成字段：{e}"),
        ),
        crate::lang::say(
            "check for a stray quote character on that line",
            "检查那一行是否有多余的引号",
        ),
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
    use proptest::prelude::*;

    /// Records split quickly while they are plain and by the CSV reader from the first that is
    /// not, as the second pass over a run splits them.
    fn quick_then_csv(text: &str, delimiter: u8) -> (Vec<(usize, Vec<String>)>, usize) {
        let mut stops = Stops::new(text.as_bytes(), delimiter);
        let (mut pos, mut line) = (0, 1);
        let (mut record, mut scratch) = (StringRecord::new(), String::new());
        let mut out = Vec::new();
        let mut quick = 0;
        loop {
            match quick_record(text, &mut stops, &mut pos, &mut line, &mut record, &mut scratch) {
                Quick::Record => {
                    quick += 1;
                    out.push((line, record.iter().map(str::to_string).collect()));
                }
                Quick::End => return (out, quick),
                Quick::Unusual => break,
            }
        }
        let rest = &text[pos..];
        let rows = records(rest, delimiter).unwrap_or_default();
        out.extend(
            rows.into_iter()
                .map(|(l, r)| (l + line - 1, r.iter().map(str::to_string).collect())),
        );
        (out, quick)
    }

    proptest! {
        /// Split quickly or not, every record has the CSV reader's cells and line.
        #[test]
        fn quick_records_are_the_csv_readers(
            soup in "[ab,;\t\"\r\n é\u{1}]{0,80}",
            rows in proptest::collection::vec("[a-c ;\t]{0,4}|\"[a-c,;\t]{0,4}\"|\"x\"\"y\"", 1..20),
            tail in "\r\n|\n|\r|",
            delimiter in proptest::sample::select(vec![b',', b'\t', b';']),
            plain: bool,
        ) {
            let d = char::from(delimiter).to_string();
            let text = if plain {
                rows.chunks(3).map(|r| r.join(&d)).collect::<Vec<_>>().join("\r\n") + &tail
            } else {
                soup
            };
            let want: Vec<(usize, Vec<String>)> = records(&text, delimiter)
                .unwrap_or_default()
                .into_iter()
                .map(|(l, r)| (l, r.iter().map(str::to_string).collect()))
                .collect();
            let (got, quick) = quick_then_csv(&text, delimiter);
            prop_assert_eq!(&got, &want, "{:?}", text);
            // Plain rows are all split the quick way.
            prop_assert!(!plain || quick == want.len(), "{:?}: {} of {} quick", text, quick, want.len());
        }

        /// The stop mask finds exactly the stop bytes, across chunk edges and from any position.
        #[test]
        fn stops_are_the_stop_bytes(block in proptest::collection::vec(prop_oneof![
            Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'\t'), Just(b';'), Just(0x01u8), Just(b'a'), Just(0xE4u8)
        ], 0..300), from in 0usize..300, delimiter in proptest::sample::select(vec![b',', b'\t', b';'])) {
            let from = from.min(block.len());
            let mut stops = Stops::new(&block, delimiter);
            stops.seek(from);
            let found: Vec<usize> = std::iter::from_fn(|| stops.next()).collect();
            let want: Vec<usize> = (from..block.len()).filter(|&i| is_stop(block[i], delimiter)).collect();
            prop_assert_eq!(&found, &want);
            let mut stops = Stops::new(&block, delimiter);
            let mut at = 0;
            let mut found = Vec::new();
            while let Some(s) = stops.next_from(at) {
                found.push(s);
                at = s + 1 + (s % 3);
            }
            let mut want = Vec::new();
            let mut at = 0;
            while let Some(s) = (at..block.len()).find(|&i| is_stop(block[i], delimiter)) {
                want.push(s);
                at = s + 1 + (s % 3);
            }
            prop_assert_eq!(found, want);
        }
    }

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
