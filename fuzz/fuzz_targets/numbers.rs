//! The number, unit and flag parsers: any text, no panic, and a number is always finite.
#![no_main]

use libfuzzer_sys::fuzz_target;
use niche::normalise::value::{parse_flag, parse_number, Parsed};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Parsed::Number(n) = parse_number(&text) {
        assert!(n.value.is_finite(), "{text:?} gave {n:?}");
    }
    let _ = parse_flag(&text);
});
