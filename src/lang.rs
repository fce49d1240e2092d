//! The language niche speaks: English or Chinese. The report's words are picked from pairs
//! (`lang.pick(en, zh)`, with the report's vocabulary in [`crate::report::lang`]); what the
//! terminal says — the table, its footers, warnings and errors — is written as a pair where it is
//! made ([`say`]), in the language of the run: `--lang`, else the locale (`LC_ALL`, `LC_MESSAGES`,
//! `LANG`, as POSIX orders them: a `zh…` locale is Chinese), else English.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// [`Lang::pick`] for owned values (formatted text).
    pub fn either<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }

    /// The `lang` attribute of a page.
    pub fn code(self) -> &'static str {
        self.pick("en", "zh-CN")
    }

    /// The language a locale names: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set
    /// and not empty decides (`zh_CN.UTF-8`, `zh_TW`, `zh` are Chinese; `C`, `en_US` … English).
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| var(v))
            .find(|v| !v.is_empty());
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }
}

static RUN: OnceLock<Lang> = OnceLock::new();

/// Settle the run's language (once, before anything is said; later calls change nothing).
pub fn set(lang: Lang) {
    let _ = RUN.set(lang);
}

/// The run's language: English until [`set`].
pub fn current() -> Lang {
    RUN.get().copied().unwrap_or_default()
}

/// A message in the run's language, from its two wordings.
pub fn say(en: impl Into<String>, zh: impl Into<String>) -> String {
    match current() {
        Lang::En => en.into(),
        Lang::Zh => zh.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_locale_decides_in_posix_order() {
        assert_eq!(Lang::from_locale(env(&[])), Lang::En);
        assert_eq!(Lang::from_locale(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(Lang::from_locale(env(&[("LANG", "zh_TW.Big5")])), Lang::Zh);
        assert_eq!(Lang::from_locale(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        // LC_ALL overrides LANG; an empty one is not set.
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_locale(env(&[("LC_ALL", ""), ("LANG", "zh_CN.UTF-8")])),
            Lang::Zh
        );
        assert_eq!(
            Lang::from_locale(env(&[("LC_MESSAGES", "zh_CN.UTF-8"), ("LANG", "C")])),
            Lang::Zh
        );
    }
}
