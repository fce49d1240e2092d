//! The whole loader and normaliser on any bytes, under each file extension: an error or tables,
//! never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use niche::load::{self, ReadOptions};
use niche::normalise::{self, fields, Input, Options};

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions {
        encoding: None,
        sheet: None,
        known_header: fields::is_known_header,
    };
    let name = match data.first().map(|b| b % 4) {
        Some(0) => "fuzz.csv",
        Some(1) => "fuzz.json",
        Some(2) => "fuzz.xlsx",
        _ => "fuzz.txt",
    };
    if let Ok(table) = load::read_bytes(Path::new(name), data.to_vec(), &options) {
        if let Ok(tables) = normalise::apply(vec![Input { table, forced: None }], &Options::default()) {
            let _ = tables.check_scorable();
        }
    }
});
