//! Parquet in and out, for the exchanged tables: a frame written atomically, a file read, and
//! a column read back as the type its table defines.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars_io::parquet::read::ParquetReader;
use polars_io::parquet::write::{ParquetCompression, ParquetWriter};
use polars_io::SerReader;

use super::Type;
use crate::error::{Error, Result};

/// Write `frame` to `path` (atomically, never over one of `inputs`), Snappy-compressed: the
/// codec every engine reads.
pub fn write_parquet(path: &Path, frame: &mut DataFrame, inputs: &[PathBuf]) -> Result<()> {
    let mut file = crate::output::AtomicFile::create(path, inputs)?;
    ParquetWriter::new(&mut file)
        .with_compression(ParquetCompression::Snappy)
        .finish(frame)
        .map_err(|e| Error::Output {
            path: path.to_path_buf(),
            message: format!("could not write Parquet: {e}"),
            hint: "check that the folder is writable and has room".to_string(),
        })?;
    file.commit()
}

/// The rows of a Parquet file, from its footer.
pub fn rows_of(path: &Path) -> Result<usize> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    ParquetReader::new(file).num_rows().map_err(|e| {
        Error::file(
            path,
            format!("could not read it as Parquet: {e}"),
            "check that the engine finished writing it (and wrote Parquet)",
        )
    })
}

/// Read a Parquet file whole.
pub fn read_parquet(path: &Path) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    ParquetReader::new(file).finish().map_err(|e| {
        Error::file(
            path,
            format!("could not read it as Parquet: {e}"),
            "check that the engine finished writing it (and wrote Parquet)",
        )
    })
}

/// The Polars type a column of type `ty` is read as.
pub fn dtype(ty: Type) -> DataType {
    match ty {
        Type::Text => DataType::String,
        Type::Int => DataType::Int64,
        Type::Real => DataType::Float64,
        Type::Flag => DataType::Boolean,
        Type::Texts => DataType::List(Box::new(DataType::String)),
    }
}

pub fn texts<'a>(f: &'a DataFrame, name: &str) -> Result<Vec<Option<&'a str>>> {
    Ok(f.column(name)?.str()?.iter().collect())
}

pub fn ints(f: &DataFrame, name: &str) -> Result<Vec<Option<i64>>> {
    Ok(f.column(name)?.cast(&DataType::Int64)?.i64()?.iter().collect())
}

pub fn reals(f: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    Ok(f.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
}

pub fn flags(f: &DataFrame, name: &str) -> Result<Vec<Option<bool>>> {
    Ok(f.column(name)?.cast(&DataType::Boolean)?.bool()?.iter().collect())
}

/// A count: never negative (a null was refused when the table was read).
pub fn count(x: Option<i64>) -> u64 {
    x.and_then(|v| u64::try_from(v).ok()).unwrap_or(0)
}
