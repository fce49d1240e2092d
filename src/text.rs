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
}
