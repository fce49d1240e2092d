//! Question 10, what style works: title traits and tags, and how much more often they appear among
//! a niche's top posts than among all of its posts.
//!
//! A post's standing is its engagement relative to its account's typical post (the same ratio the
//! trend uses), so a big account's ordinary post is not a "top post". The top posts are the best
//! tenth, rounded up. Lift = share among top posts ÷ share among all posts; 1 is no difference.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::units::Unit;
use crate::error::Result;

/// Tags must appear in at least this many top posts to be listed.
const MIN_TAG_TOP: usize = 3;
const TAGS_SHOWN: usize = 8;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Style {
    /// Posts with a title or tags and a known relative engagement.
    pub posts: u64,
    pub top_posts: u64,
    pub traits: Vec<Lift>,
    /// Tags in at least three top posts, by lift.
    pub tags: Vec<Lift>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lift {
    pub name: String,
    pub share_top: f64,
    pub share_all: f64,
    pub lift: Option<f64>,
}

/// (engagement relative to the account's typical post, traits, tags) of one post.
type Row = (f64, [bool; 5], Vec<String>);

const TRAITS: [&str; 5] = ["number", "question", "emoji", "short_title", "long_title"];

fn traits_of(title: &str) -> [bool; 5] {
    let text = strip_markup(title);
    let chars = text.chars().count();
    let question = text.contains(['?', '？']) || text.trim_end().ends_with(['吗', '呢']);
    let emoji = text
        .chars()
        .any(|c| matches!(c, '\u{1F300}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}'));
    [
        text.chars().any(|c| c.is_ascii_digit()),
        question,
        emoji,
        chars > 0 && chars <= 12,
        chars >= 30,
    ]
}

/// Crawled titles carry highlight markup (`<em class="keyword">原神</em>`); traits read the text.
fn strip_markup(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut in_tag = false;
    for c in title.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn split_tags(tags: &str) -> Vec<String> {
    let mut out: Vec<String> = tags
        .split([',', '，', '#', ';', '|', '、', ' ', '[', ']', '\''])
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty() && t.chars().count() <= 30)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Style per niche, from the posts and the units' typical engagement per post.
pub fn compute(posts: &DataFrame, units: &[Vec<Unit>]) -> Result<BTreeMap<String, Style>> {
    if posts.height() == 0 {
        return Ok(BTreeMap::new());
    }
    let mut typical: HashMap<(&str, &str, &str), f64> = HashMap::new();
    let mut niche_median: HashMap<&str, Vec<f64>> = HashMap::new();
    for u in units.iter().flatten() {
        if let Some(e) = u.engagement_per_post {
            match &u.account {
                Some(a) => {
                    typical.insert((u.niche.as_str(), u.platform.as_str(), a.as_str()), e);
                }
                None => niche_median.entry(u.niche.as_str()).or_default().push(e),
            }
        }
    }
    let niche_median: HashMap<&str, f64> = niche_median
        .into_iter()
        .filter_map(|(n, v)| Some((n, super::stats::median(&v)?)))
        .collect();

    let niche = posts.column("niche")?.str()?;
    let platform = posts.column("platform")?.str()?;
    let account = posts.column("account")?.str()?;
    let engagement = posts.column("engagement")?.f64()?;
    let title = posts.column("title")?.str()?;
    let tags = posts.column("tags")?.str()?;
    // Per niche: (relative engagement, traits, tags) of each post with a title or tags.
    let mut rows: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
    for i in 0..posts.height() {
        let (Some(n), Some(p), Some(e)) = (niche.get(i), platform.get(i), engagement.get(i)) else {
            continue;
        };
        let (t, g) = (title.get(i), tags.get(i));
        if t.is_none() && g.is_none() {
            continue;
        }
        let base = match account.get(i) {
            Some(a) => typical.get(&(n, p, a)).copied(),
            None => niche_median.get(n).copied(),
        };
        let Some(base) = base.filter(|b| *b > 0.0) else {
            continue;
        };
        rows.entry(n).or_default().push((
            e / base,
            t.map_or([false; 5], traits_of),
            g.map(split_tags).unwrap_or_default(),
        ));
    }
    let mut out = BTreeMap::new();
    for (n, mut list) in rows {
        list.sort_by(|a, b| b.0.total_cmp(&a.0));
        let all = list.len();
        let top = all.div_ceil(10);
        let share = |count: usize, of: usize| if of == 0 { 0.0 } else { count as f64 / of as f64 };
        let lift = |top_share: f64, all_share: f64| (all_share > 0.0).then(|| top_share / all_share);
        let traits = TRAITS
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let in_top = list[..top].iter().filter(|r| r.1[k]).count();
                let in_all = list.iter().filter(|r| r.1[k]).count();
                let (st, sa) = (share(in_top, top), share(in_all, all));
                Lift {
                    name: name.to_string(),
                    share_top: st,
                    share_all: sa,
                    lift: lift(st, sa),
                }
            })
            .collect();
        let mut tag_top: BTreeMap<&str, usize> = BTreeMap::new();
        let mut tag_all: BTreeMap<&str, usize> = BTreeMap::new();
        for (k, r) in list.iter().enumerate() {
            for t in &r.2 {
                *tag_all.entry(t.as_str()).or_default() += 1;
                if k < top {
                    *tag_top.entry(t.as_str()).or_default() += 1;
                }
            }
        }
        let mut tags: Vec<Lift> = tag_top
            .iter()
            .filter(|(_, &c)| c >= MIN_TAG_TOP)
            .map(|(t, &c)| {
                let (st, sa) = (share(c, top), share(tag_all.get(t).copied().unwrap_or(0), all));
                Lift {
                    name: (*t).to_string(),
                    share_top: st,
                    share_all: sa,
                    lift: lift(st, sa),
                }
            })
            .collect();
        tags.sort_by(|a, b| {
            b.lift
                .unwrap_or(0.0)
                .total_cmp(&a.lift.unwrap_or(0.0))
                .then(a.name.cmp(&b.name))
        });
        tags.truncate(TAGS_SHOWN);
        out.insert(
            n.to_string(),
            Style {
                posts: all as u64,
                top_posts: top as u64,
                traits,
                tags,
            },
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
