//! Header mapping and kind detection: any header line and rows, no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use niche::load::{Format, RawRow, RawTable};
use niche::normalise::{fields, mapping};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let headers: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split(',')
        .map(niche::load::clean_header)
        .collect();
    let rows = lines
        .take(50)
        .enumerate()
        .map(|(i, l)| RawRow {
            line: i + 2,
            cells: csv::StringRecord::from(l.split(',').collect::<Vec<_>>()),
        })
        .collect();
    for h in &headers {
        let _ = fields::field_for(h);
        let _ = fields::canonical_format(h);
        let _ = fields::platform_name(h);
    }
    let mut table = RawTable::new(
        std::path::Path::new("fuzz.csv"),
        Format::Delimited { delimiter: ',' },
        "UTF-8".into(),
        "fuzz".into(),
    );
    table.headers = headers;
    table.rows = rows;
    table.text = Some(text.to_string());
    // Rows kept in memory cannot fail to split again; an error here would be a bug.
    let Ok(map) = mapping::map_columns(&table, &[]) else {
        panic!("mapping rows held in memory failed");
    };
    let _ = mapping::detect_kind(&map);
    let mut suggestions = mapping::NicheSuggestions::new(&table, &map);
    if table.for_each_row(|row| suggestions.add(row)).is_err() {
        panic!("rows held in memory failed to split again");
    }
    let _ = suggestions.finish(&table);
});
