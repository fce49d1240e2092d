//! The units step as SQL, for engines that run on many machines: over the normalised posts
//! ([`super::POSTS`]) it writes the units tables ([`super::UNIT_TABLES`]) that
//! `niche score --units` reads. Each output column's expression is written here once, beside the
//! in-process rule it mirrors ([`crate::measure::units`], [`crate::measure::style`]); the
//! columns are listed in the order and with the types of the tables' definitions, and the tests
//! run the DuckDB and Spark scripts and compare their units with the in-process ones.
//!
//! Medians are exact (`median`, Spark's `percentile`, Trino's sorted array); never `approx_*`.

use super::{Col, Type, UNIT_TABLES};
use crate::measure::style::MIN_TAG_TOP;
use crate::normalise::posts::{STANDALONE_PREFIX, STANDALONE_SEPARATOR};
use crate::normalise::title::TRAITS;

/// An engine's dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    Duckdb,
    Spark,
    Datafusion,
    Trino,
}

impl Dialect {
    /// The exact median of `x` over a group (nulls left out).
    fn median(self, x: &str) -> String {
        match self {
            Dialect::Duckdb | Dialect::Datafusion => format!("median({x})"),
            Dialect::Spark => format!("percentile({x}, 0.5)"),
            // No median: the middle one or two of the sorted values.
            Dialect::Trino => format!(
                "(CASE WHEN count({x}) = 0 THEN NULL ELSE (element_at(array_sort(array_agg({x}) FILTER (WHERE ({x}) IS NOT NULL)), (count({x}) + 1) / 2) + element_at(array_sort(array_agg({x}) FILTER (WHERE ({x}) IS NOT NULL)), count({x}) / 2 + 1)) / 2.0E0 END)"
            ),
        }
    }

    fn int_div(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Duckdb => format!("(({a}) // ({b}))"),
            Dialect::Spark => format!("(({a}) div ({b}))"),
            Dialect::Datafusion | Dialect::Trino => format!("(({a}) / ({b}))"),
        }
    }

    fn type_name(self, ty: Type) -> &'static str {
        match (self, ty) {
            (_, Type::Int) => "BIGINT",
            (_, Type::Real) => "DOUBLE",
            (_, Type::Flag) => "BOOLEAN",
            (Dialect::Spark, Type::Text) => "STRING",
            (_, Type::Text) => "VARCHAR",
            (Dialect::Spark, Type::Texts) => "ARRAY<STRING>",
            (_, Type::Texts) => "ARRAY(VARCHAR)",
        }
    }

    /// A string literal of `s`.
    fn lit(self, s: &str) -> String {
        match self {
            // Spark reads backslash escapes (and joins adjacent literals, so '' is no quote).
            Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            _ => format!("'{}'", s.replace('\'', "''")),
        }
    }

    /// The posts table, as a relation.
    fn posts(self, dir: &str) -> String {
        match self {
            Dialect::Duckdb => format!("read_parquet({})", self.lit(&format!("{dir}/posts/*.parquet"))),
            Dialect::Spark => format!("parquet.`{}/posts`", dir.replace('`', "``")),
            Dialect::Datafusion => "niche_posts_in".to_string(),
            Dialect::Trino => "niche_posts_in".to_string(),
        }
    }

    /// A table of a query's rows, computed once and read by the statements after it (Trino:
    /// a view, recomputed where it is read).
    fn table(self, name: &str, query: &str) -> String {
        match self {
            Dialect::Duckdb => format!("CREATE OR REPLACE TEMP TABLE {name} AS\n{query};\n"),
            Dialect::Spark => format!("CACHE TABLE {name} AS\n{query};\n"),
            Dialect::Datafusion => format!("CREATE TABLE {name} AS\n{query};\n"),
            Dialect::Trino => self.view(name, query),
        }
    }

    /// A view over a query (recomputed where it is read).
    fn view(self, name: &str, query: &str) -> String {
        match self {
            Dialect::Duckdb => format!("CREATE OR REPLACE TEMP VIEW {name} AS\n{query};\n"),
            Dialect::Spark => format!("CREATE OR REPLACE TEMPORARY VIEW {name} AS\n{query};\n"),
            Dialect::Datafusion | Dialect::Trino => format!("CREATE OR REPLACE VIEW {name} AS\n{query};\n"),
        }
    }

    /// Write a query's rows as the units table `name`.
    fn write(self, dir: &str, name: &str, query: &str) -> String {
        let file = self.lit(&format!("{dir}/units/{name}.parquet"));
        let folder = self.lit(&format!("{dir}/units/{name}"));
        match self {
            Dialect::Duckdb => format!("COPY (\n{query}\n) TO {file} (FORMAT parquet);\n"),
            Dialect::Spark => format!("INSERT OVERWRITE DIRECTORY {folder} USING parquet\n{query};\n"),
            Dialect::Datafusion => format!("COPY (\n{query}\n) TO {file} STORED AS PARQUET;\n"),
            Dialect::Trino => format!(
                "CREATE TABLE niche_out_{name} WITH (format = 'PARQUET', external_location = {folder}) AS\n{query};\n"
            ),
        }
    }

    /// (niche, tag, is_top) for every tag of every style row.
    fn tags_of(self, rows: &str) -> String {
        match self {
            Dialect::Duckdb | Dialect::Datafusion => {
                format!("SELECT niche, is_top, unnest(tags) AS tag FROM {rows} WHERE tags IS NOT NULL")
            }
            Dialect::Spark => format!("SELECT niche, is_top, explode(tags) AS tag FROM {rows} WHERE tags IS NOT NULL"),
            Dialect::Trino => {
                format!("SELECT r.niche, r.is_top, x.tag FROM {rows} r CROSS JOIN UNNEST(r.tags) AS x(tag)")
            }
        }
    }
}

/// The SELECT list of a units table: each of its columns, in the table's order, cast to its type.
fn select(dialect: Dialect, cols: &[Col], expr: impl Fn(&str) -> String) -> String {
    cols.iter()
        .map(|c| format!("  CAST({} AS {}) AS {}", expr(c.name), dialect.type_name(c.ty), c.name))
        .collect::<Vec<_>>()
        .join(",\n")
}

/// The expression of a `units` column over a unit's posts (`niche_posts`, grouped by unit);
/// each mirrors [`crate::measure::units::FromPosts`]'s field of the same name.
fn unit_column(d: Dialect, name: &str) -> String {
    match name {
        "niche" | "platform" | "account" | "standalone" => name.to_string(),
        "posts" => "count(*)".to_string(),
        "engagement_known" => "count(engagement)".to_string(),
        "engagement_total" => "sum(engagement)".to_string(),
        "engagement_median" => d.median("engagement"),
        "engagement_max" => "max(engagement)".to_string(),
        "views_median" => d.median("views"),
        "er_views_median" => d.median("CASE WHEN views > 0 THEN engagement / views END"),
        "sponsored_known" => "count(sponsored)".to_string(),
        "sponsored_yes" => "sum(CASE WHEN sponsored THEN 1 ELSE 0 END)".to_string(),
        "sponsored_median" => d.median("CASE WHEN sponsored THEN engagement END"),
        "organic_median" => d.median("CASE WHEN NOT sponsored THEN engagement END"),
        "censored" => "sum(CASE WHEN censored THEN 1 ELSE 0 END)".to_string(),
        "price_median" => d.median("price"),
        "first_at" => "min(published_at)".to_string(),
        "last_at" => "max(published_at)".to_string(),
        "dated" => "count(published_at)".to_string(),
        _ => format!("NULL /* no rule for {name} */"),
    }
}

/// Bins per unit of ln(relative engagement) in the style ranking: a bin spans a factor of
/// e^(1/256) ≈ 1.004, so the bin the top tenth's cut falls in holds few posts.
const BINS_PER_LN: u32 = 256;
/// The bin of posts with no engagement (ln 0 is no number); below every other.
const LOWEST_BIN: i64 = -(1 << 40);

/// The script for `dialect` over the folder `dir` as the engine sees it (a path or URL).
pub fn script(dialect: Dialect, dir: &str) -> String {
    let d = dialect;
    let mut out = String::new();
    // The folder as comments name it: on one line.
    let shown = dir.replace(['\n', '\r'], " ");
    out.push_str(&format!(
        "-- niche {} (method {}): the units step as SQL, dialect {:?}.\n-- Reads {shown}/posts (written by `niche normalise`), writes {shown}/units/; then: niche score --units {shown}\n",
        env!("CARGO_PKG_VERSION"),
        crate::method::METHOD_VERSION,
        d
    ));
    match d {
        Dialect::Datafusion => out.push_str(&format!(
            "CREATE EXTERNAL TABLE niche_posts_in STORED AS PARQUET LOCATION {};\n",
            d.lit(&format!("{dir}/posts/"))
        )),
        Dialect::Trino => out.push_str(&format!(
            "-- Register {shown}/posts as the table niche_posts_in first (e.g. a Hive external table over the Parquet files),\n-- and run in a catalog and schema where views and tables can be created.\n"
        )),
        _ => {}
    }
    let text = d.type_name(Type::Text);
    // The key of a post without an account, as `standalone_key` writes it: its first character a
    // control character, given by its code.
    let mut prefix = STANDALONE_PREFIX.chars();
    let first = prefix.next().map_or(0, u32::from);
    let standalone = format!(
        "concat(chr({first}), {}, post, {}, CAST(seq AS {text}))",
        d.lit(prefix.as_str()),
        d.lit(STANDALONE_SEPARATOR)
    );
    // Posts with a niche; where parts repeat a post (platform, id, niche), the lowest part's
    // rows (each part holds a post once: `niche normalise` removed its repeats). A grouping and
    // a join on the key, not a window over it: engines hash those, and sort windows.
    let posts = d.posts(dir);
    out.push_str(&d.view(
        "niche_kept",
        &format!(
            "SELECT p.* FROM {posts} p JOIN (\n  SELECT platform, post, niche, min(part) AS first_part FROM {posts}\n  WHERE niche IS NOT NULL GROUP BY platform, post, niche\n) f ON f.platform = p.platform AND f.post = p.post AND f.niche = p.niche AND f.first_part = p.part"
        ),
    ));
    // Each post's unit: its account, or for a post without one, a key of its own.
    out.push_str(&d.table(
        "niche_posts",
        &format!(
            "SELECT niche, platform,\n  CASE WHEN account IS NULL THEN {standalone} ELSE account END AS account,\n  account IS NULL AS standalone,\n  part, seq, published_at, week, engagement, views, sponsored, censored, price, format,\n  has_text, {}, tags\nFROM niche_kept",
            TRAITS.join(", ")
        ),
    ));
    let (units_cols, weeks_cols, formats_cols, traits_cols, tags_cols) = (
        UNIT_TABLES[0].1,
        UNIT_TABLES[1].1,
        UNIT_TABLES[2].1,
        UNIT_TABLES[3].1,
        UNIT_TABLES[4].1,
    );
    out.push_str(&d.table(
        "niche_units",
        &format!(
            "SELECT\n{}\nFROM niche_posts\nGROUP BY niche, platform, account, standalone",
            select(d, units_cols, |c| unit_column(d, c))
        ),
    ));
    // A unit's typical post: its median engagement; for a post without an account, the median
    // over its niche's posts without one.
    out.push_str(&d.view(
        "niche_typical",
        &format!(
            "SELECT u.niche, u.platform, u.account,\n  CASE WHEN u.standalone THEN a.typical ELSE u.engagement_median END AS typical,\n  row_number() OVER (PARTITION BY u.niche ORDER BY u.platform, u.account) AS unit_place\nFROM niche_units u LEFT JOIN (\n  SELECT niche, {} AS typical FROM niche_posts WHERE standalone GROUP BY niche\n) a ON a.niche = u.niche",
            d.median("engagement")
        ),
    ));
    out.push_str(&d.table(
        "niche_measured",
        "SELECT p.*, t.typical, t.unit_place\nFROM niche_posts p JOIN niche_typical t\n  ON t.niche = p.niche AND t.platform = p.platform AND t.account = p.account\nWHERE t.typical > 0 AND p.engagement IS NOT NULL",
    ));
    // Style: the posts with text by relative engagement, best first; ties to the unit first in
    // key order (its place among the niche's units, a number: cheaper to sort than its key),
    // then the post read first. The top tenth, rounded up. Not one sort of each niche's posts
    // (in Spark, one task per niche): the posts are counted in narrow bins of ln(relative), which
    // order them as their values do; whole bins above the cut are top, whole bins below are not,
    // and only the one bin the cut falls in is sorted.
    let bigint = d.type_name(Type::Int);
    out.push_str(&d.table(
        "niche_ranked",
        &format!(
            "SELECT niche, part, seq, unit_place, {traits}, tags, engagement / typical AS relative,\n  CASE WHEN engagement > 0 THEN CAST(floor(ln(engagement / typical) * {BINS_PER_LN}) AS {bigint}) ELSE {LOWEST_BIN} END AS bin\nFROM niche_measured WHERE has_text",
            traits = TRAITS.join(", ")
        ),
    ));
    let k = d.int_div("t.n + 9", "10");
    out.push_str(&d.table(
        "niche_cut",
        &format!(
            "SELECT b.niche, b.bin, b.c, t.n, {k} AS k,\n  sum(b.c) OVER (PARTITION BY b.niche ORDER BY b.bin DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - b.c AS above\nFROM (SELECT niche, bin, count(*) AS c FROM niche_ranked GROUP BY niche, bin) b\nJOIN (SELECT niche, count(*) AS n FROM niche_ranked GROUP BY niche) t ON t.niche = b.niche"
        ),
    ));
    out.push_str(&d.view(
        "niche_boundary",
        "SELECT r.niche, r.part, r.seq, x.k - x.above AS room,\n  row_number() OVER (PARTITION BY r.niche ORDER BY r.relative DESC, r.unit_place, r.part, r.seq) AS place\nFROM niche_ranked r JOIN niche_cut x ON x.niche = r.niche AND x.bin = r.bin\nWHERE x.above < x.k AND x.above + x.c > x.k",
    ));
    out.push_str(&d.table(
        "niche_style",
        &format!(
            "SELECT r.niche, {traits}, r.tags, x.n, x.k AS top_posts,\n  (x.above + x.c <= x.k) OR coalesce(b.place <= b.room, FALSE) AS is_top\nFROM niche_ranked r JOIN niche_cut x ON x.niche = r.niche AND x.bin = r.bin\nLEFT JOIN niche_boundary b ON b.niche = r.niche AND b.part = r.part AND b.seq = r.seq",
            traits = TRAITS.map(|t| format!("r.{t}")).join(", ")
        ),
    ));

    out.push_str(&d.write(dir, "units", "SELECT * FROM niche_units"));
    // Weeks before the niche's latest (its posts are still collecting engagement).
    out.push_str(&d.write(
        dir,
        "unit_weeks",
        &format!(
            "SELECT\n{}\nFROM niche_measured m\nJOIN (SELECT niche AS latest_niche, max(week) AS latest FROM niche_posts GROUP BY niche) l ON l.latest_niche = m.niche\nWHERE week IS NOT NULL AND week < l.latest\nGROUP BY niche, platform, account, week",
            select(d, weeks_cols, |c| match c {
                "median_log_ratio" => d.median("ln(greatest(engagement, 0.5) / typical)"),
                other => other.to_string(),
            })
        ),
    ));
    out.push_str(&d.write(
        dir,
        "unit_formats",
        &format!(
            "SELECT\n{}\nFROM niche_posts\nWHERE format IS NOT NULL\nGROUP BY niche, platform, account, format",
            select(d, formats_cols, |c| match c {
                "posts" => "count(*)".to_string(),
                other => other.to_string(),
            })
        ),
    ));
    let traits: Vec<String> = TRAITS
        .iter()
        .enumerate()
        .map(|(k, t)| {
            format!(
                "SELECT\n{}\nFROM niche_style\nGROUP BY niche",
                select(d, traits_cols, |c| match c {
                    "trait" => k.to_string(),
                    "posts" => "max(n)".to_string(),
                    "top_posts" => "max(top_posts)".to_string(),
                    "in_all" => format!("sum(CASE WHEN {t} THEN 1 ELSE 0 END)"),
                    "in_top" => format!("sum(CASE WHEN {t} AND is_top THEN 1 ELSE 0 END)"),
                    other => other.to_string(),
                })
            )
        })
        .collect();
    out.push_str(&d.write(dir, "style_traits", &traits.join("\nUNION ALL\n")));
    let in_top = "sum(CASE WHEN is_top THEN 1 ELSE 0 END)";
    out.push_str(&d.write(
        dir,
        "style_tags",
        &format!(
            "SELECT\n{}\nFROM (\n{}\n) t\nGROUP BY niche, tag\nHAVING {in_top} >= {MIN_TAG_TOP}",
            select(d, tags_cols, |c| match c {
                "in_all" => "count(*)".to_string(),
                "in_top" => in_top.to_string(),
                other => other.to_string(),
            }),
            d.tags_of("niche_style")
        ),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_units_column_has_a_rule_and_no_median_is_approximate() {
        for d in [Dialect::Duckdb, Dialect::Spark, Dialect::Datafusion, Dialect::Trino] {
            for c in super::super::UNITS {
                assert!(!unit_column(d, c.name).contains("no rule"), "{d:?}: {}", c.name);
            }
            let sql = script(d, "/data/x");
            assert!(!sql.to_lowercase().contains("approx"), "{d:?}");
            assert!(!sql.contains("no rule"), "{d:?}");
            for (name, _) in UNIT_TABLES {
                assert!(sql.contains(&format!("units/{name}")), "{d:?} writes {name}");
            }
        }
        // Every name a script creates (views, tables) is created once: Trino's views and the
        // tables it writes share one namespace.
        for d in [Dialect::Duckdb, Dialect::Spark, Dialect::Datafusion, Dialect::Trino] {
            let sql = script(d, "/data/x");
            let mut made: Vec<&str> = sql
                .lines()
                .filter_map(|l| {
                    let rest = [
                        "CREATE OR REPLACE TEMP VIEW ",
                        "CREATE OR REPLACE TEMPORARY VIEW ",
                        "CREATE OR REPLACE VIEW ",
                        "CREATE OR REPLACE TEMP TABLE ",
                        "CACHE TABLE ",
                        "CREATE TABLE ",
                        "CREATE EXTERNAL TABLE ",
                    ]
                    .iter()
                    .find_map(|p| l.strip_prefix(p))?;
                    rest.split_whitespace().next()
                })
                .collect();
            let all = made.len();
            assert!(all >= 6, "{d:?}: {made:?}");
            made.sort_unstable();
            made.dedup();
            assert_eq!(made.len(), all, "{d:?}: a name created twice");
        }
    }
}
