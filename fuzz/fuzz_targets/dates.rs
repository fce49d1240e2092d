//! The date parser: any text, no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = niche::normalise::date::parse_date(&String::from_utf8_lossy(data));
});
