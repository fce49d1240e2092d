//! A post's title and tags, read once when the post is read: five traits of the title (a digit, a
//! question, an emoji, short, long) and the tags as a sorted list. Style (question 10, in measure)
//! counts them among a niche's top posts.

pub const TRAITS: [&str; 5] = ["number", "question", "emoji", "short_title", "long_title"];

/// A title's traits, read from its text with any markup left out: a digit, a question, an emoji,
/// short (at most 12 characters), long (at least 30).
pub fn traits_of(title: &str) -> [bool; 5] {
    // Plain ASCII without markup (most generated and many real titles): bytes are characters,
    // no emoji, and the last-character question words are not ASCII.
    let b = title.as_bytes();
    let (mut digit, mut question, mut other) = (false, false, false);
    for &c in b {
        digit |= c.is_ascii_digit();
        question |= c == b'?';
        other |= c == b'<' || !c.is_ascii();
    }
    if other {
        return traits_of_chars(title);
    }
    let chars = b.len();
    [digit, question, false, chars > 0 && chars <= 12, chars >= 30]
}

/// The title as read for people: markup such as a search page's `<em class="keyword">` left out
/// (as [`traits_of`] reads it), whitespace trimmed.
pub fn plain(title: &str) -> String {
    visible(title).collect::<String>().trim().to_string()
}

/// A title's characters outside markup: a `<` that opens a tag (a letter, `/` or `!` follows it)
/// up to the next `>`. A `<` that opens none (`3 < 5`) is text. What its traits are read from.
fn visible(title: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = title.chars().peekable();
    let mut in_tag = false;
    std::iter::from_fn(move || loop {
        let c = chars.next()?;
        if in_tag {
            in_tag = c != '>';
        } else if c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!'))
        {
            in_tag = true;
        } else {
            return Some(c);
        }
    })
}

/// [`traits_of`] character by character.
fn traits_of_chars(title: &str) -> [bool; 5] {
    let (mut chars, mut digit, mut question, mut emoji) = (0usize, false, false, false);
    let mut last = None;
    for c in visible(title) {
        chars += 1;
        digit |= c.is_ascii_digit();
        question |= matches!(c, '?' | '？');
        emoji |= matches!(c, '\u{1F300}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}');
        if !c.is_whitespace() {
            last = Some(c);
        }
    }
    question |= matches!(last, Some('吗' | '呢'));
    [digit, question, emoji, chars > 0 && chars <= 12, chars >= 30]
}

pub fn split_tags(tags: &str) -> Vec<String> {
    let mut out: Vec<String> = tags
        .split([',', '，', '#', ';', '|', '、', ' ', '[', ']', '\''])
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty() && t.chars().count() <= 30)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn plain_titles_leave_markup_out() {
        assert_eq!(
            plain("刻律德菈?<em class=\"keyword\">原神</em> cos "),
            "刻律德菈?原神 cos"
        );
        assert_eq!(plain("3 < 5 的秘密"), "3 < 5 的秘密");
        assert_eq!(traits_of("3 < 5 的秘密"), traits_of("3 ＜ 5 的秘密"));
        assert_eq!(plain(" plain "), "plain");
    }

    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn ascii_titles_read_as_character_by_character(title in "[a-z0-9 ?<>!]{0,40}|[a-z ]{0,3}[吗呢？😀<>][a-z0-9 ]{0,3}") {
            prop_assert_eq!(traits_of(&title), traits_of_chars(&title));
        }
    }

    #[test]
    fn traits_read_text_not_markup() {
        // 12 characters once the markup is gone: a short title, with a number and a question.
        let t = traits_of("<em class=\"keyword\">原神</em>||3个技巧你知道吗");
        assert_eq!(t, [true, true, false, true, false]);
        assert!(traits_of("🔥 Top 10 budget tips for 2026 that actually work")[2]);
        assert!(traits_of("平价好物")[3]);
    }

    #[test]
    fn tags_split_on_the_usual_separators() {
        assert_eq!(split_tags("搞笑,二次元，#原神 RPG"), ["rpg", "二次元", "原神", "搞笑"]);
        assert_eq!(split_tags("['ootd', '通勤']"), ["ootd", "通勤"]);
    }
}
