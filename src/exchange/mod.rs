//! Beyond one machine: the canonical tables as Parquet, the units step as SQL, and units back.
//!
//! `niche normalise` writes what the reading stage made of the inputs ([`write`]): posts,
//! account rows and snapshots as Parquet, one file of each per run (a `--part`), and what was
//! learnt about the inputs as JSON. Any engine runs the SQL of [`sql`] over the posts and writes
//! the units tables; `niche score --units DIR` reads them back ([`read`]) and measures from them
//! as from posts read in process ([`crate::measure::compute_from_units`]). The tables' columns
//! are defined once, here ([`POSTS`], [`UNITS`] …), and the SQL, the writer and the reader all
//! follow these lists.

mod parquet;
mod posts;
mod read;
pub mod sql;
mod units;
mod write;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use read::{read, read_parts, units_written, Normalised, Units};
pub use write::write;

use crate::normalise::fields::Field;
use crate::normalise::mapping::Kind;
use crate::normalise::report::{InputReport, Warning};

/// What a run learnt about its inputs, beside its tables (`about/part-P.json`).
#[derive(Serialize, Deserialize)]
struct About {
    /// The method whose units these tables are for; another version's are refused.
    method: String,
    part: u64,
    posts_read: usize,
    inputs: Vec<InputReport>,
    warnings: Vec<Warning>,
    notes: Vec<String>,
    present: Vec<(Kind, Field)>,
    multi_niche_posts: usize,
    posts_in_other_niches: BTreeMap<String, u64>,
}

/// A column's type in the exchanged tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    Text,
    Int,
    Real,
    Flag,
    /// A list of texts.
    Texts,
}

/// One column of an exchanged table: name, type, whether it may be null, meaning.
pub struct Col {
    pub name: &'static str,
    pub ty: Type,
    pub nullable: bool,
    pub meaning: &'static str,
}

const fn col(name: &'static str, ty: Type, nullable: bool, meaning: &'static str) -> Col {
    Col {
        name,
        ty,
        nullable,
        meaning,
    }
}

/// The normalised posts (`posts/part-P.parquet`): one row per post kept by the reading stage,
/// after the join with the account list.
pub const POSTS: &[Col] = &[
    col(
        "part",
        Type::Int,
        false,
        "the run that wrote it (`--part`): where parts repeat a post, the lowest part's rows count",
    ),
    col(
        "seq",
        Type::Int,
        false,
        "its place among the posts the run kept, from 0: the row order",
    ),
    col(
        "niche",
        Type::Text,
        true,
        "its niche (null: none; such posts count as read but are in no unit)",
    ),
    col("platform", Type::Text, false, "its platform"),
    col(
        "account",
        Type::Text,
        true,
        "its account (null: the post is a unit of its own)",
    ),
    col(
        "post",
        Type::Text,
        false,
        "its post id (for a file without ids, the row's cells)",
    ),
    col(
        "published_at",
        Type::Int,
        true,
        "publication time, seconds since 1970-01-01 UTC",
    ),
    col(
        "week",
        Type::Int,
        true,
        "floor(published_at / 604800): whole weeks since 1970-01-01",
    ),
    col(
        "engagement",
        Type::Real,
        true,
        "likes + comments + shares + collects, of the columns the file has (null: a cell of one is missing; METHOD.md §1)",
    ),
    col("views", Type::Real, true, "views"),
    col("sponsored", Type::Flag, true, "sponsored (null: not stated)"),
    col("censored", Type::Flag, false, "a count is a lower bound (10万+)"),
    col(
        "price",
        Type::Real,
        true,
        "the price of a sponsored post, where the list gives one",
    ),
    col(
        "format",
        Type::Text,
        true,
        "video, image, text, live … (null: not stated)",
    ),
    col(
        "has_text",
        Type::Flag,
        false,
        "it has a title or tags (style reads only these)",
    ),
    col("number", Type::Flag, false, "title trait: holds a digit"),
    col("question", Type::Flag, false, "title trait: asks a question"),
    col("emoji", Type::Flag, false, "title trait: holds an emoji"),
    col("short_title", Type::Flag, false, "title trait: at most 12 characters"),
    col("long_title", Type::Flag, false, "title trait: at least 30 characters"),
    col("tags", Type::Texts, true, "its tags, split (null: none)"),
];

/// The key every units table starts with.
const KEY_MEANING: [&str; 4] = [
    "the unit's niche",
    "its platform",
    "its account; for a post without one, U+001F 'post:' post ':' seq",
    "true for a post without an account (a unit of its own)",
];

/// `units`: what each unit's posts come to ([`crate::measure::units::FromPosts`]).
pub const UNITS: &[Col] = &[
    col("niche", Type::Text, false, KEY_MEANING[0]),
    col("platform", Type::Text, false, KEY_MEANING[1]),
    col("account", Type::Text, false, KEY_MEANING[2]),
    col("standalone", Type::Flag, false, KEY_MEANING[3]),
    col("posts", Type::Int, false, "posts"),
    col("engagement_known", Type::Int, false, "posts with a known engagement"),
    col("engagement_total", Type::Real, true, "their sum"),
    col("engagement_median", Type::Real, true, "their median (exact)"),
    col("engagement_max", Type::Real, true, "their maximum"),
    col("views_median", Type::Real, true, "median views"),
    col(
        "er_views_median",
        Type::Real,
        true,
        "median of engagement ÷ views over posts with views above 0",
    ),
    col("sponsored_known", Type::Int, false, "posts whose sponsorship is stated"),
    col("sponsored_yes", Type::Int, false, "of which sponsored"),
    col(
        "sponsored_median",
        Type::Real,
        true,
        "median engagement of sponsored posts",
    ),
    col(
        "organic_median",
        Type::Real,
        true,
        "median engagement of posts stated not sponsored",
    ),
    col("censored", Type::Int, false, "posts with a lower-bound count"),
    col("price_median", Type::Real, true, "median price"),
    col("first_at", Type::Int, true, "first publication time"),
    col("last_at", Type::Int, true, "last publication time"),
    col("dated", Type::Int, false, "posts with a publication time"),
];

/// `unit_weeks`: each unit's weekly series.
pub const UNIT_WEEKS: &[Col] = &[
    col("niche", Type::Text, false, KEY_MEANING[0]),
    col("platform", Type::Text, false, KEY_MEANING[1]),
    col("account", Type::Text, false, KEY_MEANING[2]),
    col("week", Type::Int, false, "the week"),
    col(
        "median_log_ratio",
        Type::Real,
        false,
        "median over the week's posts of ln(max(engagement, 0.5) ÷ typical post); weeks before the latest",
    ),
];

/// `unit_formats`: each unit's posts per format.
pub const UNIT_FORMATS: &[Col] = &[
    col("niche", Type::Text, false, KEY_MEANING[0]),
    col("platform", Type::Text, false, KEY_MEANING[1]),
    col("account", Type::Text, false, KEY_MEANING[2]),
    col("format", Type::Text, false, "the format"),
    col("posts", Type::Int, false, "posts in it"),
];

/// `style_traits`: per niche and title trait, posts with it among all and among the top tenth.
pub const STYLE_TRAITS: &[Col] = &[
    col("niche", Type::Text, false, "the niche"),
    col(
        "trait",
        Type::Int,
        false,
        "the trait's number (0 number, 1 question, 2 emoji, 3 short_title, 4 long_title)",
    ),
    col(
        "posts",
        Type::Int,
        false,
        "posts with text and a known relative engagement",
    ),
    col("top_posts", Type::Int, false, "the top tenth of them, rounded up"),
    col("in_all", Type::Int, false, "posts with the trait"),
    col("in_top", Type::Int, false, "top posts with the trait"),
];

/// `style_tags`: per niche, tags in at least three top posts.
pub const STYLE_TAGS: &[Col] = &[
    col("niche", Type::Text, false, "the niche"),
    col("tag", Type::Text, false, "the tag"),
    col("in_all", Type::Int, false, "posts with the tag"),
    col("in_top", Type::Int, false, "top posts with the tag"),
];

/// The tables an engine writes, by name, in the order the SQL writes them.
pub const UNIT_TABLES: [(&str, &[Col]); 5] = [
    ("units", UNITS),
    ("unit_weeks", UNIT_WEEKS),
    ("unit_formats", UNIT_FORMATS),
    ("style_traits", STYLE_TRAITS),
    ("style_tags", STYLE_TAGS),
];

/// The tables' definitions as Markdown (`niche sql --schema`): the contract an engine's tables
/// are read by, printed from the same lists the writer, the SQL and the reader follow.
pub fn schema() -> String {
    let mut out = format!(
        "# niche's exchanged tables (method {})\n\nWritten by `niche normalise` (`posts/`) and read by the SQL of `niche sql`; written by the engine (`units/NAME.parquet`, or a folder `units/NAME/` of Parquet files) and read by `niche score --units`. Types: text, int (64-bit), real (64-bit float), flag (boolean), texts (a list of text).\n",
        crate::method::METHOD_VERSION
    );
    let tables = std::iter::once(("posts", POSTS)).chain(UNIT_TABLES);
    for (name, cols) in tables {
        out.push_str(&format!(
            "\n## {name}\n\n| column | type | may be null | meaning |\n|---|---|---|---|\n"
        ));
        for c in cols {
            let ty = match c.ty {
                Type::Text => "text",
                Type::Int => "int",
                Type::Real => "real",
                Type::Flag => "flag",
                Type::Texts => "texts",
            };
            let null = if c.nullable { "yes" } else { "no" };
            out.push_str(&format!(
                "| `{}` | {ty} | {null} | {} |\n",
                c.name,
                c.meaning.replace('|', "\\|")
            ));
        }
    }
    out
}
