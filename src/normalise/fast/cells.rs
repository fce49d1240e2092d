//! One cell typed as the general path types it ([`Cell`]; counts, flags, dates, with the general
//! rules behind the inline fast reads), and the typed row a block's parser builds.

use super::layout::Layout;
use crate::normalise::value;

/// One cell of a row: its bytes, and whether it was quoted with doubled quotes inside.
#[derive(Clone, Copy, Default)]
pub(super) struct Cell {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) escaped: bool,
}

/// A cell's text (quotes undoubled into `scratch` where needed), trimmed as `str::trim` does.
pub(super) fn cell_text<'a>(text: &'a str, c: Cell, scratch: &'a mut String) -> std::result::Result<&'a str, String> {
    let raw = value::tidy(
        text.get(c.start..c.end)
            .ok_or_else(|| "a cell that splits a character".to_string())?,
    );
    if !c.escaped {
        return Ok(raw);
    }
    scratch.clear();
    scratch.push_str(&raw.replace("\"\"", "\""));
    Ok(scratch.as_str())
}

/// Mojibake or U+FFFD in a cell: the general path counts and reports it.
pub(super) fn check_garbled(text: &str) -> std::result::Result<(), String> {
    if !text.is_ascii() && crate::normalise::is_garbled(text) {
        return Err("a cell with mojibake or U+FFFD".to_string());
    }
    Ok(())
}

/// A reading by the general path's rule, as the fast path takes it: a value or a missing cell;
/// anything else (a lower bound, a fault the general path counts and reports) sends the file the
/// general way.
pub(super) fn taken<T>(reading: value::Reading<T>, what: &str, cell: &str) -> std::result::Result<Option<T>, String> {
    match reading {
        value::Reading::Read(v) => Ok(Some(v)),
        value::Reading::Missing => Ok(None),
        _ => Err(not_taken(what, cell)),
    }
}

#[cold]
pub(super) fn not_taken(what: &str, cell: &str) -> String {
    format!("a {what} written as {cell:?}")
}

/// A row's typed cells: its publication time; its likes, comments, shares and collects, for
/// [`engagement_of`] (`None` for a count the file has no column for, else the cell's reading); its
/// views; whether it is sponsored.
pub(super) struct Typed {
    pub(super) at: Option<i64>,
    pub(super) parts: [Option<Option<f64>>; 4],
    pub(super) views: Option<f64>,
    pub(super) sponsored: Option<bool>,
}

/// Read a row's [`Typed`] cells, each by its rule.
pub(super) fn typed(
    text: &str,
    cells: &[Cell],
    layout: &Layout,
    scratch: &mut String,
) -> std::result::Result<Typed, String> {
    let at = match layout.at {
        Some(i) => date(text, cells[i], scratch)?,
        None => None,
    };
    let mut parts = [None; 4];
    for (part, (i, max)) in parts.iter_mut().zip(layout.parts.iter().zip(&layout.part_ceilings)) {
        if let Some(i) = i {
            *part = Some(count(text, cells[*i], scratch, *max)?);
        }
    }
    let views = match layout.views {
        Some(i) => count(text, cells[i], scratch, layout.views_ceiling)?,
        None => None,
    };
    let sponsored = match layout.sponsored {
        Some(i) => flag(text, cells[i], scratch)?,
        None => None,
    };
    Ok(Typed {
        at,
        parts,
        views,
        sponsored,
    })
}

/// A count: plain digits, or digits with a multiplier (`1.2万`), at most `ceiling` are read here
/// (most cells, by the general path's own first readings: [`value::digits`],
/// [`value::scaled_digits`]); any other cell by the
/// general path's rule ([`value::read_amount`]), of which a lower bound (`10万+`) is the general
/// path's too (it counts them).
pub(super) fn count(
    text: &str,
    c: Cell,
    scratch: &mut String,
    ceiling: f64,
) -> std::result::Result<Option<f64>, String> {
    let b = text.as_bytes().get(c.start..c.end).unwrap_or_default();
    if b.is_empty() {
        return Ok(None);
    }
    if let Some(n) = value::digits(b)
        .or_else(|| value::scaled_digits(b))
        .filter(|n| !c.escaped && *n <= ceiling && n.fract() == 0.0)
    {
        return Ok(Some(n));
    }
    let cell = cell_text(text, c, scratch)?;
    // Thousands written with '.' and counts with a decimal part are the column's to judge and
    // are counted and noted: the general path's (`mapping::dot_thousands`).
    if value::grouped_thousands(cell).is_some() {
        return Err(not_taken("count with '.' between groups of three digits", cell));
    }
    match taken(value::read_amount(cell, Some(ceiling)), "count", cell)? {
        Some((_, true)) => Err(not_taken("lower bound", cell)),
        Some((n, _)) if n.fract() != 0.0 => Err(not_taken("count with a decimal part", cell)),
        v => Ok(v.map(|(n, _)| n)),
    }
}

/// A yes/no flag: true/false and 1/0 read here; any other cell by the general path's rule
/// ([`value::read_flag`]: 是/否, yes/no, 商单 …).
pub(super) fn flag(text: &str, c: Cell, scratch: &mut String) -> std::result::Result<Option<bool>, String> {
    let b = text.as_bytes().get(c.start..c.end).unwrap_or_default();
    match b {
        b"" => return Ok(None),
        b"1" | b"true" | b"TRUE" | b"True" if !c.escaped => return Ok(Some(true)),
        b"0" | b"false" | b"FALSE" | b"False" if !c.escaped => return Ok(Some(false)),
        _ => {}
    }
    let cell = cell_text(text, c, scratch)?;
    taken(value::read_flag(cell), "flag", cell)
}

/// A date: `YYYY-MM-DD`, or with `THH:MM:SS` / ` HH:MM:SS`, in 2000–2099, read here
/// ([`crate::normalise::date::strict_iso`], the general path's own first reading); any other cell by the
/// general path's rule ([`crate::normalise::date::read_date`]). Seconds since 1970, no time-zone shift.
pub(super) fn date(text: &str, c: Cell, scratch: &mut String) -> std::result::Result<Option<i64>, String> {
    let b = text.as_bytes().get(c.start..c.end).unwrap_or_default();
    if b.is_empty() {
        return Ok(None);
    }
    if let Some(t) = crate::normalise::date::strict_iso(b).filter(|_| !c.escaped) {
        return Ok(Some(t));
    }
    let cell = cell_text(text, c, scratch)?;
    taken(crate::normalise::date::read_date(cell), "date", cell)
}
