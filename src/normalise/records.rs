//! The rows an input is read into, one type per kind ([`AccountRow`], [`PostRow`],
//! [`SnapshotRow`], as a [`Record`]), and the [`PostGroup`] posts share: the types below the
//! builder ([`super::tables`]), the post store ([`super::store`]) and the join ([`super::join`])
//! that use them.

#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    pub platform: String,
    /// The account's id, or its name where the file has no id.
    pub account: String,
    pub name: Option<String>,
    pub niche: Option<String>,
    pub followers: Option<f64>,
    pub followers_censored: bool,
    pub posts_count: Option<f64>,
    pub views_total: Option<f64>,
    pub avg_views: Option<f64>,
    pub avg_likes: Option<f64>,
    pub avg_comments: Option<f64>,
    pub avg_engagement: Option<f64>,
    pub price: Option<f64>,
    pub earnings_low: Option<f64>,
    pub earnings_high: Option<f64>,
    /// Followers gained in the last 30 days, where the list has the column.
    pub followers_gained_30d: Option<f64>,
}

/// A post row as read, its text borrowed from the row's cells (and from the reader's names for
/// platforms and formats): it is copied once, into the run's text ([`super::store::PostRun::push`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PostRow<'a> {
    pub post: std::borrow::Cow<'a, str>,
    pub platform: &'a str,
    pub account: Option<&'a str>,
    /// The account's name where the row gives one beside its id (shown with breakout posts).
    pub account_name: Option<&'a str>,
    pub niche: Option<&'a str>,
    /// Further niches the post is filed under (by `--niche` keywords), each a copy of the row.
    pub also_in: Vec<&'a str>,
    pub published_at: Option<i64>,
    pub likes: Option<f64>,
    pub comments: Option<f64>,
    pub shares: Option<f64>,
    pub collects: Option<f64>,
    pub views: Option<f64>,
    pub engagement: Option<f64>,
    pub censored: bool,
    pub sponsored: Option<bool>,
    pub price: Option<f64>,
    pub title: Option<&'a str>,
    pub format: Option<std::borrow::Cow<'a, str>>,
    pub tags: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotRow {
    pub platform: String,
    pub account: String,
    pub date: i64,
    pub followers: f64,
}

/// One row of an input, read and ready for the builder.
pub enum Record<'a> {
    Account(AccountRow),
    Post(PostRow<'a>),
    Snapshot(SnapshotRow),
}

/// The platform, account and niche that posts share, and how many posts; the join to the account
/// list may fill in the platform and niche.
#[derive(Debug, Clone)]
pub struct PostGroup {
    pub platform: String,
    pub account: Option<String>,
    pub niche: Option<String>,
    pub rows: usize,
}
