//! The parse floor of issue 6: Polars reading only the columns the method needs from a post list,
//! and nothing else. `benches/compare/compare.sh` times it beside `niche score` and DuckDB.
//!
//! cargo run --release --manifest-path benches/compare/floor/Cargo.toml -- POSTS.csv

use polars::prelude::*;

const COLUMNS: [&str; 7] = [
    "account_id",
    "published_at",
    "likes",
    "comments",
    "shares",
    "collects",
    "views",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: parse_floor POSTS.csv")?;
    let columns: Arc<[PlSmallStr]> = COLUMNS.iter().map(|c| PlSmallStr::from(*c)).collect();
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_columns(Some(columns))
        .try_into_reader_with_file_path(Some(path.into()))?
        .finish()?;
    println!("{} rows × {} columns", df.height(), df.width());
    Ok(())
}
