//! Text from inputs, made safe and measured for the terminal.
//!
//! Names and titles are written by strangers: control characters and bidirectional overrides
//! (which can reorder what a terminal shows) are shown as visible escapes, never passed through.
//! Widths are terminal columns, so Chinese text (two columns a character) lines up.

use unicode_width::UnicodeWidthStr;

/// Whether a character must not reach a terminal as itself.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One line of text, safe to print: line breaks and tabs become spaces, other control and
/// bidirectional-override characters become `\u{…}` escapes.
pub fn sanitise_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:04X}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

/// Terminal columns the text takes.
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut the text to at most `max` columns, ending with "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if display_width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut width = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if width + w + 1 > max {
            break;
        }
        out.push(c);
        width += w;
    }
    out.push('…');
    out
}

/// Pad to `width` columns: text to the left, numbers to the right.
pub fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(display_width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// The name among `candidates` nearest to `name`, for "did you mean": one that contains it or is
/// contained in it (the shortest such; `美妆` → `美妆护肤`; see `inside`), else the closest by edit distance
/// (normalised Levenshtein over characters, at least 0.5 alike). Case and surrounding spaces
/// aside. `None` where nothing is near.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let key = |s: &str| s.trim().to_lowercase();
    let want = key(name);
    if want.is_empty() {
        return None;
    }
    let all: Vec<(&str, String)> = candidates.into_iter().map(|c| (c, key(c))).collect();
    // One inside the other counts where the shorter is at least two characters and two fifths
    // of the longer (`x` is inside `xiaohongshuu`, and no answer to it).
    let inside = |k: &str| {
        let (a, b) = (k.chars().count(), want.chars().count());
        let (short, long) = (a.min(b), a.max(b));
        short >= 2 && 5 * short >= 2 * long && (k.contains(&want) || want.contains(k))
    };
    let within = all
        .iter()
        .filter(|(_, k)| inside(k))
        .min_by_key(|(c, k)| (k.chars().count(), *c));
    if let Some((c, _)) = within {
        return Some(c);
    }
    all.iter()
        .map(|(c, k)| (*c, strsim::normalized_levenshtein(&want, k)))
        .filter(|(_, alike)| *alike >= 0.5)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(display_width("美妆"), 4);
        assert_eq!(display_width("abc"), 3);
        assert_eq!(pad("美妆", 6, false), "美妆  ");
        assert_eq!(pad("12", 4, true), "  12");
    }

    #[test]
    fn truncation_respects_width() {
        let t = truncate("母婴育儿好物分享", 9);
        assert!(display_width(&t) <= 9, "{t}");
        assert!(t.ends_with('…'));
        assert_eq!(truncate("short", 9), "short");
    }

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(sanitise_line("a\u{202E}b"), "a\\u{202E}b");
        assert_eq!(sanitise_line("x\u{1b}[31my"), "x\\u{001B}[31my");
        assert_eq!(sanitise_line("one\ntwo"), "one two");
        assert_eq!(sanitise_line("<script>美妆</script>"), "<script>美妆</script>");
    }

    #[test]
    fn nearest_finds_the_name_that_holds_it_or_the_closest_spelling() {
        let niches = ["美妆护肤", "AI工具", "Personal finance", "Travel vlog"];
        assert_eq!(nearest("美妆", niches), Some("美妆护肤"));
        assert_eq!(nearest("personal finanse", niches), Some("Personal finance"));
        assert_eq!(nearest(" ai工具 ", niches), Some("AI工具"));
        assert_eq!(nearest("宠物日常", niches), None);
        assert_eq!(nearest("", niches), None);
        assert_eq!(
            nearest("xiaohongshuu", ["x", "xiaohongshu", "douyin"]),
            Some("xiaohongshu")
        );
    }
}
