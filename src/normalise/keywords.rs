//! Niches named by keywords (`--niche NAME=KW,KW…`, METHOD.md §1): a post whose row names no
//! niche is filed under each niche one of whose keywords its title or tags contain — for a
//! category or keyword crawl, where the posts carry titles and tags but no niche column.
//!
//! Matching ignores case and the title's markup. A keyword of letters and digits only (`AI`,
//! `TTS`) matches a whole word (not the `ai` in `rain`); any other keyword (Chinese has no spaces
//! between words: `语音生成`) matches anywhere.

use crate::error::{Error, Result};

/// One niche and its keywords (lower-cased).
#[derive(Debug, Clone, PartialEq)]
pub struct KeywordNiche {
    pub name: String,
    keywords: Vec<String>,
}

impl KeywordNiche {
    /// `NAME=KW,KW…` as given on the command line (`，` and `、` separate keywords too).
    pub fn parse(given: &str) -> Result<KeywordNiche> {
        let usage = |what: &str| {
            Error::usage(
                format!("--niche {given:?}: {what}"),
                crate::lang::say(
                    "write --niche NAME=KEYWORD,KEYWORD, e.g. --niche 语音生成=TTS,配音,语音合成",
                    "写成 --niche 赛道名=关键词,关键词，例如 --niche 语音生成=TTS,配音,语音合成",
                ),
            )
        };
        let (name, list) = given.split_once('=').ok_or_else(|| {
            usage(&crate::lang::say(
                "no `=` between the niche and its keywords",
                "赛道名和关键词之间没有 `=`",
            ))
        })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(usage(&crate::lang::say("the niche has no name", "赛道没有名称")));
        }
        let keywords: Vec<String> = list
            .split([',', '，', '、'])
            .map(|k| k.trim().to_lowercase())
            .filter(|k| !k.is_empty())
            .collect();
        if keywords.is_empty() {
            return Err(usage(&crate::lang::say("no keyword after `=`", "`=` 后面没有关键词")));
        }
        Ok(KeywordNiche {
            name: name.to_string(),
            keywords,
        })
    }

    /// Whether a post's texts ([`texts`]) hold one of the keywords.
    pub fn matches(&self, texts: &[String]) -> bool {
        texts.iter().any(|text| self.keywords.iter().any(|k| contains(text, k)))
    }
}

/// A post's title (markup left out) and tags, lower-cased once for every niche to match against.
pub fn texts(title: Option<&str>, tags: Option<&str>) -> Vec<String> {
    let title = title.map(|t| super::title::plain(t).to_lowercase());
    title.into_iter().chain(tags.map(str::to_lowercase)).collect()
}

/// `text` holds `keyword`: anywhere, or for a keyword of ASCII letters and digits only, as a
/// whole word (no ASCII letter or digit on either side).
fn contains(text: &str, keyword: &str) -> bool {
    let word = keyword.bytes().all(|b| b.is_ascii_alphanumeric());
    if !word {
        return text.contains(keyword);
    }
    let bytes = text.as_bytes();
    text.match_indices(keyword).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + keyword.len()).copied();
        !before.is_some_and(|b| b.is_ascii_alphanumeric()) && !after.is_some_and(|b| b.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_titles_and_tags_as_words_or_anywhere() -> Result<()> {
        let n = KeywordNiche::parse("语音生成=TTS，配音、语音合成")?;
        let hit = |n: &KeywordNiche, title: Option<&str>, tags: Option<&str>| n.matches(&texts(title, tags));
        assert_eq!(n.name, "语音生成");
        assert!(hit(&n, Some("3个免费TTS工具"), None));
        assert!(hit(&n, Some("AI<em class=\"keyword\">配音</em>教程"), None));
        assert!(hit(&n, None, Some("工具,语音合成")));
        assert!(
            !hit(&n, Some("attstation"), None),
            "TTS inside a word is not the keyword"
        );
        assert!(!hit(&n, Some("音乐生成"), Some("music")));
        let ai = KeywordNiche::parse("AI 产品=AI")?;
        assert!(
            hit(&ai, Some("AI产品推荐"), None),
            "Chinese after an ASCII word is a boundary"
        );
        assert!(!hit(&ai, Some("rain sounds"), None));
        Ok(())
    }

    #[test]
    fn a_malformed_niche_is_a_usage_error() {
        for bad in ["语音生成", "=TTS", "语音生成=", "语音生成= , "] {
            let e = KeywordNiche::parse(bad)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains("--niche"), "{bad}: {e}");
        }
    }
}
