//! The canonical tables, built row by row and handed on as Polars frames (posts in a compact store).
//!
//! Frames and their columns (every number is `f64`, null where missing; times are `i64` seconds
//! since 1970-01-01 UTC):
//!
//! - `accounts`: platform, account, name, niche, followers, followers_censored, posts_count,
//!   views_total, avg_views, avg_engagement, price, earnings_low, earnings_high, followers_gained_30d
//! - posts are not a frame: see [`super::store::PostStore`]
//! - `snapshots`: platform, account, date, followers

use std::collections::{BTreeSet, HashMap};

use polars::prelude::*;

use super::fields::Field;
use super::join::{join, JoinPost, Joined};
use super::key_index::{key_hash, KeyIndex};
use super::mapping::Kind;
use super::records::{AccountRow, PostRow, Record, SnapshotRow};
use super::report::{InputReport, Warning};
use super::store::{PostRun, PostStore, RunPost};
use crate::error::{Error, Result};
use crate::lang::say;

/// The rows of a run of an input, as the thread that read them leaves them for the [`Builder`]
/// (post rows as a [`PostRun`]).
#[derive(Default)]
pub struct Records {
    accounts: Vec<AccountRow>,
    posts: PostRun,
    snapshots: Vec<SnapshotRow>,
}

impl Records {
    pub fn push(&mut self, record: Record<'_>) {
        match record {
            Record::Account(row) => self.accounts.push(row),
            Record::Post(mut row) => {
                let also_in = std::mem::take(&mut row.also_in);
                let copies: Vec<PostRow<'_>> = also_in
                    .into_iter()
                    .map(|niche| PostRow {
                        niche: Some(niche),
                        ..row.clone()
                    })
                    .collect();
                for row in std::iter::once(row).chain(copies) {
                    let hash = post_key_hash(row.platform, &row.post, row.niche);
                    self.posts.push(row, hash);
                }
            }
            Record::Snapshot(row) => self.snapshots.push(row),
        }
    }
}

/// The hash of the key duplicate post rows are found by: the platform, the post id and the niche
/// as the row gives them (before the join; a row without a niche is not one with the empty niche).
pub(super) fn post_key_hash(platform: &str, post: &str, niche: Option<&str>) -> u64 {
    key_hash(&[platform, post, niche.unwrap_or("\u{0}")], i64::from(niche.is_some()))
}

/// The duplicate rule for post rows, for both ways of reading them: the first row with a key
/// ([`post_key_hash`]; `same_key` compares kept row `i`'s key with this one's) is kept, and
/// recorded in `index` as kept row `next`; a later one is a duplicate, `Some(true)` when its
/// values differ from the kept row's (`same_values`, by fingerprint), and is not kept.
pub(super) fn repeat_of(
    index: &mut KeyIndex,
    hash: u64,
    next: usize,
    same_key: impl Fn(usize) -> bool,
    same_values: impl Fn(usize) -> bool,
) -> Option<bool> {
    index.find_or_insert(hash, next, same_key).map(|i| !same_values(i))
}

/// Collects rows from every input and removes duplicates as they arrive.
#[derive(Default)]
pub struct Builder {
    accounts: Vec<AccountRow>,
    account_index: KeyIndex,
    posts: PostStore,
    post_index: KeyIndex,
    snapshots: Vec<SnapshotRow>,
    snapshot_index: KeyIndex,
    deduplicated: usize,
    conflicting: usize,
}

impl Builder {
    /// (duplicates removed so far, of which conflicting).
    pub fn counts(&self) -> (usize, usize) {
        (self.deduplicated, self.conflicting)
    }

    /// Keep each post's title and interaction counts ([`PostStore::keep_details`]).
    pub fn keep_post_details(&mut self) {
        self.posts.keep_details();
    }

    /// Room for `rows` more post rows (an input's row count, known before its rows are read).
    pub fn reserve_posts(&mut self, rows: usize) {
        self.posts.reserve(rows);
        self.post_index.reserve(rows);
    }

    /// Add a run's rows, in order.
    pub fn add(&mut self, records: Records) {
        for row in records.accounts {
            self.add_account(row);
        }
        for post in records.posts.iter() {
            self.add_post(&post);
        }
        for row in records.snapshots {
            self.add_snapshot(row);
        }
    }

    pub fn add_account(&mut self, row: AccountRow) {
        let hash = key_hash(
            &[&row.platform, &row.account, row.niche.as_deref().unwrap_or("\u{0}")],
            i64::from(row.niche.is_some()),
        );
        let rows = &self.accounts;
        let same = |i: usize| {
            let r: &AccountRow = &rows[i];
            r.platform == row.platform && r.account == row.account && r.niche == row.niche
        };
        match self.account_index.find_or_insert(hash, rows.len(), same) {
            Some(i) => {
                self.deduplicated += 1;
                if self.accounts[i] != row {
                    self.conflicting += 1;
                }
            }
            None => self.accounts.push(row),
        }
    }

    pub fn add_post(&mut self, post: &RunPost<'_>) {
        let posts = &self.posts;
        let same_key = |i: usize| posts.key(i) == (post.platform, post.post, post.niche);
        let same_values = |i: usize| posts.same_values(i, post);
        match repeat_of(
            &mut self.post_index,
            post.key_hash(),
            posts.len(),
            same_key,
            same_values,
        ) {
            Some(conflicting) => {
                self.deduplicated += 1;
                self.conflicting += usize::from(conflicting);
            }
            None => self.posts.push(post),
        }
    }

    pub fn add_snapshot(&mut self, row: SnapshotRow) {
        let hash = key_hash(&[&row.platform, &row.account], row.date);
        let rows = &self.snapshots;
        let same = |i: usize| {
            let r: &SnapshotRow = &rows[i];
            r.platform == row.platform && r.account == row.account && r.date == row.date
        };
        match self.snapshot_index.find_or_insert(hash, rows.len(), same) {
            Some(_) => self.deduplicated += 1,
            None => self.snapshots.push(row),
        }
    }

    pub fn finish(mut self, inputs: Vec<InputReport>, warnings: Vec<Warning>) -> Result<Tables> {
        let mut posts = std::mem::take(&mut self.posts);
        let joined = join(&mut self.accounts, &mut self.snapshots, posts.groups_mut());
        let multi = posts.multi_niche();
        self.tables(inputs, warnings, joined, multi, posts, None)
    }

    /// Finish with posts that the fast path read into a post set, joined to the account list in
    /// groups (each group: the posts of one account in one file) by the same rules as rows;
    /// `multi_niche` counts posts filed under several niches once the groups are joined (as
    /// [`PostStore::multi_niche`] does).
    pub(crate) fn finish_grouped<P: JoinPost + Send>(
        mut self,
        inputs: Vec<InputReport>,
        warnings: Vec<Warning>,
        groups: &mut [P],
        multi_niche: impl FnOnce(&[P]) -> (usize, HashMap<String, u64>),
        build: impl FnOnce(&mut [P]) -> super::posts::PostSet + Send,
    ) -> Result<Tables> {
        let t = crate::timing::Timer::start("    join rules");
        let joined = join(&mut self.accounts, &mut self.snapshots, groups);
        let multi = multi_niche(groups);
        t.done();
        // The post set and the frames of accounts and snapshots are built side by side: neither
        // reads what the other builds.
        let (set, out) = std::thread::scope(|s| {
            let side = s.spawn(|| {
                let t = crate::timing::Timer::start("    post set");
                let set = build(groups);
                t.done();
                set
            });
            let t = crate::timing::Timer::start("    frames");
            let out = self.tables(inputs, warnings, joined, multi, PostStore::default(), None);
            t.done();
            (
                side.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                out,
            )
        });
        let mut out = out?;
        out.post_set = Some(set);
        Ok(out)
    }

    fn tables(
        self,
        inputs: Vec<InputReport>,
        mut warnings: Vec<Warning>,
        joined: Joined,
        (multi_niche_posts, posts_in_other_niches): (usize, HashMap<String, u64>),
        posts: PostStore,
        post_set: Option<super::posts::PostSet>,
    ) -> Result<Tables> {
        let mut notes = Vec::new();
        if joined.inherited > 0 {
            notes.push(format!(
                "{} post(s) had no niche of their own and took their account's niche from the account list",
                joined.inherited
            ));
        }
        if joined.without_niche > 0 && !self.accounts.is_empty() {
            warnings.push(Warning {
                path: None,
                line: None,
                message: say(
                    format!(
                        "{} post(s) have no niche, in their file or through their account, and are left out of the niche table",
                        joined.without_niche
                    ),
                    format!(
                        "{} 条帖子在自己的文件里和通过其账号都没有赛道，未计入赛道表",
                        joined.without_niche
                    ),
                ),
            });
        }
        warnings.extend(super::cross_input_warnings(multi_niche_posts, joined.unmatched));

        let mut present = BTreeSet::new();
        for input in &inputs {
            if let Some(kind) = input.kind {
                for c in &input.columns {
                    present.insert((kind, c.field));
                }
            }
        }

        Ok(Tables {
            accounts: accounts_frame(&self.accounts)?,
            posts,
            post_set,
            snapshots: snapshots_frame(&self.snapshots)?,
            inputs,
            warnings,
            present,
            multi_niche_posts,
            posts_in_other_niches,
            notes,
        })
    }
}

/// The canonical tables and what was learned reading them.
pub struct Tables {
    pub accounts: DataFrame,
    /// The general path's posts; empty when the fast path read them into `post_set` instead.
    pub posts: PostStore,
    /// Posts as the fast path for canonical CSV reads them (see [`crate::normalise::fast`]).
    pub post_set: Option<super::posts::PostSet>,
    pub snapshots: DataFrame,
    pub inputs: Vec<InputReport>,
    pub warnings: Vec<Warning>,
    /// Which fields some input of each kind has a column for.
    pub present: BTreeSet<(Kind, Field)>,
    /// Posts filed under more than one niche.
    pub multi_niche_posts: usize,
    /// Per niche, how many of its posts are also filed under another niche
    /// ([`PostStore::multi_niche`]); kept up to date when filters leave posts out.
    pub posts_in_other_niches: HashMap<String, u64>,
    /// How the inputs were joined: facts worth knowing that are not problems.
    pub notes: Vec<String>,
}

impl Tables {
    pub fn has(&self, kind: Kind, field: Field) -> bool {
        self.present.contains(&(kind, field))
    }

    /// Stop with a message naming the file and the flag to pass when the inputs cannot be scored:
    /// an unrecognised file, a header without rows, only snapshots, or no niche column anywhere.
    pub fn check_scorable(&self) -> Result<()> {
        for input in &self.inputs {
            if input.kind.is_none() {
                let columns = input
                    .unmapped
                    .iter()
                    .take(20)
                    .map(|c| format!("{c:?}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let garbled = input.unmapped.iter().any(|c| c.contains('\u{FFFD}'));
                if garbled {
                    return Err(Error::file(
                        &input.path,
                        say(
                            format!(
                                "the header is unreadable as {}: its names hold U+FFFD ({columns})",
                                input.encoding
                            ),
                            format!("按 {} 读不出表头：列名中有 U+FFFD（{columns}）", input.encoding),
                        ),
                        say(
                            "the file is in another encoding: try --encoding gbk (or --encoding utf-8)",
                            "文件是别的编码：试试 --encoding gbk（或 --encoding utf-8）",
                        ),
                    ));
                }
                return Err(Error::file(
                    &input.path,
                    say(
                        format!("could not tell whether this is an account list, a post list or follower snapshots: none of its columns has a known meaning (columns: {columns})"),
                        format!("分不清这是账号列表、帖子列表还是粉丝快照：没有一列的含义是已知的（列：{columns}）"),
                    ),
                    say(
                        "say what it is with --accounts FILE, --posts FILE or --snapshots FILE, and name its columns with --map FIELD=COLUMN (e.g. --map followers=粉丝量)",
                        "用 --accounts FILE、--posts FILE 或 --snapshots FILE 说明它是什么，并用 --map 字段=列名 指明各列（例如 --map followers=粉丝量）",
                    ),
                ));
            }
            if input.rows_read == 0 {
                return Err(Error::file(
                    &input.path,
                    say(
                        format!("the file has a header (line {}) but no data rows", input.header_line),
                        format!("文件有表头（第 {} 行），但没有数据行", input.header_line),
                    ),
                    say(
                        "export the data again with rows in it, or leave this file out",
                        "重新导出带数据行的文件，或不传入这个文件",
                    ),
                ));
            }
        }
        let scorable = |k| self.inputs.iter().any(|i| i.kind == Some(k));
        if !scorable(Kind::Accounts) && !scorable(Kind::Posts) {
            let first = self.inputs.first().map(|i| i.path.clone()).unwrap_or_default();
            return Err(Error::file(
                first,
                say(
                    "only follower snapshots were given; niches are scored from account lists or post lists",
                    "只给了粉丝快照；赛道要从账号列表或帖子列表来评分",
                ),
                say(
                    "add an account list or a post list, e.g. `niche score accounts.csv snapshots.csv`",
                    "加入账号列表或帖子列表，例如 `niche score accounts.csv snapshots.csv`",
                ),
            ));
        }
        let by_keyword = self.inputs.iter().any(|i| i.niches_by_keyword.values().any(|&n| n > 0));
        let has_niche = self.has(Kind::Accounts, Field::Niche) || self.has(Kind::Posts, Field::Niche) || by_keyword;
        if !has_niche {
            let input = self
                .inputs
                .iter()
                .find(|i| matches!(i.kind, Some(Kind::Accounts | Kind::Posts)))
                .or(self.inputs.first());
            let (path, suggestions) = input
                .map(|i| (i.path.clone(), i.niche_suggestions.clone()))
                .unwrap_or_default();
            let hint = match suggestions.first() {
                Some(s) => {
                    let listed = suggestions.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
                    say(
                        format!(
                            "pass --niche-column NAME with the column that holds each row's niche; columns that look like categories here: {listed}. For example: --niche-column {s:?}"
                        ),
                        format!("用 --niche-column 列名 指明每行赛道所在的列；这里看起来像类别的列：{listed}。例如：--niche-column {s:?}"),
                    )
                }
                None => say(
                    "pass --niche-column NAME with the column that holds each row's niche (赛道, category, keyword ...); if no column does, name your niches by keywords their posts' titles or tags hold: --niche 语音生成=TTS,配音 --niche 音乐生成=音乐,Suno",
                    "用 --niche-column 列名 指明每行赛道所在的列（赛道、category、keyword ……）；如果没有这样的列，就用帖子标题或标签里的关键词来命名赛道：--niche 语音生成=TTS,配音 --niche 音乐生成=音乐,Suno",
                ),
            };
            let keywords_given = self.inputs.iter().any(|i| !i.niches_by_keyword.is_empty());
            if keywords_given {
                return Err(Error::file(
                    path,
                    say(
                        "no post or account without a niche column has a --niche keyword in its title, tags or bio",
                        "没有赛道列的帖子和账号中，没有一个的标题、标签或简介含有 --niche 关键词",
                    ),
                    say(
                        "check the keywords against a few titles (`niche inspect` shows which column is read as the title and tags), or pass --niche-column NAME",
                        "对照几条标题检查关键词（`niche inspect` 会显示哪一列被读作标题和标签），或用 --niche-column 列名",
                    ),
                ));
            }
            return Err(Error::file(
                path,
                say(
                    "no column names the niche (赛道): none of niche, category, 领域, 所属领域, typename, keyword, source_keyword, Category_1 ... is in the header",
                    "没有一列写明赛道：表头里没有 niche、category、领域、所属领域、typename、keyword、source_keyword、Category_1 …… 中的任何一个",
                ),
                hint,
            ));
        }
        Ok(())
    }
}

fn text(name: &str, values: Vec<&str>) -> Column {
    Column::new(name.into(), values)
}

fn opt_text(name: &str, values: Vec<Option<&str>>) -> Column {
    Column::new(name.into(), values)
}

fn num(name: &str, values: Vec<Option<f64>>) -> Column {
    Column::new(name.into(), values)
}

fn accounts_frame(rows: &[AccountRow]) -> Result<DataFrame> {
    let f = |get: fn(&AccountRow) -> Option<f64>| rows.iter().map(get).collect::<Vec<_>>();
    Ok(DataFrame::new(
        rows.len(),
        vec![
            text("platform", rows.iter().map(|r| r.platform.as_str()).collect()),
            text("account", rows.iter().map(|r| r.account.as_str()).collect()),
            opt_text("name", rows.iter().map(|r| r.name.as_deref()).collect()),
            opt_text("niche", rows.iter().map(|r| r.niche.as_deref()).collect()),
            num("followers", f(|r| r.followers)),
            Column::new(
                "followers_censored".into(),
                rows.iter().map(|r| r.followers_censored).collect::<Vec<_>>(),
            ),
            num("posts_count", f(|r| r.posts_count)),
            num("views_total", f(|r| r.views_total)),
            num("avg_views", f(|r| r.avg_views)),
            num("avg_engagement", f(|r| r.avg_engagement)),
            num("price", f(|r| r.price)),
            num("earnings_low", f(|r| r.earnings_low)),
            num("earnings_high", f(|r| r.earnings_high)),
            num("followers_gained_30d", f(|r| r.followers_gained_30d)),
        ],
    )?)
}

fn snapshots_frame(rows: &[SnapshotRow]) -> Result<DataFrame> {
    Ok(DataFrame::new(
        rows.len(),
        vec![
            text("platform", rows.iter().map(|r| r.platform.as_str()).collect()),
            text("account", rows.iter().map(|r| r.account.as_str()).collect()),
            Column::new("date".into(), rows.iter().map(|r| r.date).collect::<Vec<_>>()),
            Column::new("followers".into(), rows.iter().map(|r| r.followers).collect::<Vec<_>>()),
        ],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_niche_is_not_the_empty_niche() {
        let with = key_hash(&["p", "1", "\u{0}"], 1);
        let without = key_hash(&["p", "1", "\u{0}"], 0);
        assert_ne!(with, without);
        assert_eq!(key_hash(&["p", "1"], 3), key_hash(&["p", "1"], 3), "the hash is fixed");
    }
}
