//! JSON arrays of objects and JSON lines (what crawlers write by default).
//!
//! Keys become columns in first-seen order; each object's line is where it starts. Strings stay as
//! written, numbers keep their text, arrays of scalars are joined with commas (tag lists), other
//! nested values keep their JSON text.

use std::path::Path;

use csv::StringRecord;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::error::{DataFault, Error, Location, Result};

pub struct JsonRows {
    pub lines_format: bool,
    pub headers: Vec<String>,
    pub rows: Vec<(usize, StringRecord)>,
}

pub fn read(path: &Path, text: &str) -> Result<JsonRows> {
    let trimmed = text.trim_start();
    // Each object's line and text, checked to be an object (its keys taken as it is checked);
    // parsed again into its row below, so that no file's worth of parsed maps is held at once.
    let mut keys = Keys::default();
    let objects: Vec<(usize, &str)>;
    let lines_format;
    if trimmed.starts_with('[') {
        let items: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| syntax(path, text, &e))?;
        objects = objects_from_raw(path, text, items, &mut keys)?;
        lines_format = false;
    } else if trimmed.starts_with('{') {
        // One object wrapping the records ({"data": [...]}), or one object per line.
        let wrapped = serde_json::from_str::<std::collections::BTreeMap<String, &RawValue>>(text)
            .ok()
            .and_then(|top| {
                top.values()
                    .filter(|raw| raw.get().trim_start().starts_with('['))
                    .find_map(|raw| serde_json::from_str::<Vec<&RawValue>>(raw.get()).ok())
                    .filter(|items| items.iter().any(|i| i.get().trim_start().starts_with('{')))
            });
        match wrapped {
            Some(items) => {
                objects = objects_from_raw(path, text, items, &mut keys)?;
                lines_format = false;
            }
            None => {
                objects = json_lines(path, text, &mut keys)?;
                lines_format = true;
            }
        }
    } else {
        return Err(Error::file(
            path,
            crate::lang::say(
                "this is not JSON: it starts with neither '[' nor '{'",
                "这不是 JSON：它既不以 '[' 也不以 '{' 开头",
            ),
            crate::lang::say("check that the file is the export you meant", "确认这是你要的导出文件"),
        ));
    }

    let Keys { headers, index } = keys;
    let mut rows = Vec::with_capacity(objects.len());
    for (line, raw) in objects {
        let obj: serde_json::Map<String, Value> = serde_json::from_str(raw).map_err(|e| syntax(path, text, &e))?;
        let mut cells = vec![String::new(); headers.len()];
        for (key, value) in obj {
            if let Some(&i) = index.get(&key) {
                cells[i] = value_text(&value);
            }
        }
        rows.push((line, StringRecord::from(cells)));
    }
    Ok(JsonRows {
        lines_format,
        headers,
        rows,
    })
}

/// Column names in first-seen order.
#[derive(Default)]
struct Keys {
    headers: Vec<String>,
    index: std::collections::HashMap<String, usize>,
}

impl Keys {
    fn add(&mut self, obj: &serde_json::Map<String, Value>) {
        for key in obj.keys() {
            if !self.index.contains_key(key) {
                self.index.insert(key.clone(), self.headers.len());
                self.headers.push(key.clone());
            }
        }
    }
}

fn json_lines<'t>(path: &Path, text: &'t str, keys: &mut Keys) -> Result<Vec<(usize, &'t str)>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let obj: serde_json::Map<String, Value> = serde_json::from_str(line).map_err(|e| {
            Error::Data(Box::new(DataFault {
                location: Location {
                    path: path.to_path_buf(),
                    line: i + 1,
                    column: Some(e.column().max(1)),
                    column_name: None,
                    snippet: Some(line.to_string()),
                    span: 1,
                },
                value: None,
                message: format!("this line is not a JSON object: {e}"),
                expected: Some("one JSON object per line".to_string()),
                hint: "fix or remove the line; if the file is one JSON document, check its brackets".to_string(),
            }))
        })?;
        keys.add(&obj);
        out.push((i + 1, line));
    }
    Ok(out)
}

fn objects_from_raw<'t>(
    path: &Path,
    text: &'t str,
    items: Vec<&'t RawValue>,
    keys: &mut Keys,
) -> Result<Vec<(usize, &'t str)>> {
    let mut out = Vec::with_capacity(items.len());
    let base = text.as_ptr() as usize;
    // Lines are counted on from the previous item (items come in file order), not from the top
    // each time: a one-line array of 200k objects took minutes counting from the top.
    let (mut counted, mut line) = (0, 1);
    for raw in items {
        let offset = (raw.get().as_ptr() as usize).saturating_sub(base).min(text.len());
        if offset < counted {
            (counted, line) = (0, 1);
        }
        line += text.as_bytes()[counted..offset].iter().filter(|&&b| b == b'\n').count();
        counted = offset;
        let value: Value = serde_json::from_str(raw.get()).map_err(|e| syntax(path, text, &e))?;
        match value {
            Value::Object(obj) => {
                keys.add(&obj);
                out.push((line, raw.get()));
            }
            other => {
                return Err(Error::Data(Box::new(DataFault {
                    location: Location {
                        path: path.to_path_buf(),
                        line,
                        column: None,
                        column_name: None,
                        snippet: None,
                        span: 1,
                    },
                    value: Some(other.to_string().chars().take(60).collect()),
                    message: "the array holds something other than an object".to_string(),
                    expected: Some("an array of objects, one per row".to_string()),
                    hint: "export the records as objects with named fields".to_string(),
                })))
            }
        }
    }
    Ok(out)
}

fn syntax(path: &Path, text: &str, e: &serde_json::Error) -> Error {
    let line = e.line().max(1);
    Error::Data(Box::new(DataFault {
        location: Location {
            path: path.to_path_buf(),
            line,
            column: Some(e.column().max(1)),
            column_name: None,
            snippet: text.lines().nth(line - 1).map(|l| l.chars().take(200).collect()),
            span: 1,
        },
        value: None,
        message: format!("the JSON could not be read: {e}"),
        expected: Some("a JSON array of objects, or one JSON object per line".to_string()),
        hint: "check the file is complete (a crawler stopped mid-write leaves it cut off)".to_string(),
    }))
}

fn value_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.iter().all(|v| !v.is_array() && !v.is_object()) => {
            items.iter().map(value_text).collect::<Vec<_>>().join(",")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_keep_key_order_and_lines() {
        let text = "[\n {\"note_id\": \"a1\", \"liked_count\": \"1.2万\", \"tag_list\": [\"美妆\", \"护肤\"]},\n {\"note_id\": \"a2\", \"liked_count\": 15, \"extra\": null}\n]";
        let rows = read(Path::new("x.json"), text).unwrap();
        assert_eq!(rows.headers, ["note_id", "liked_count", "tag_list", "extra"]);
        assert_eq!(rows.rows[0].0, 2);
        assert_eq!(rows.rows[1].0, 3);
        assert_eq!(&rows.rows[0].1[1], "1.2万");
        assert_eq!(&rows.rows[0].1[2], "美妆,护肤");
        assert_eq!(&rows.rows[1].1[1], "15");
        assert!(!rows.lines_format);
    }

    #[test]
    fn json_lines_are_read_line_by_line() {
        let text = "{\"a\": 1}\n\n{\"a\": 2, \"b\": \"x\"}\n";
        let rows = read(Path::new("x.jsonl"), text).unwrap();
        assert!(rows.lines_format);
        assert_eq!(rows.rows.len(), 2);
        assert_eq!(rows.rows[1].0, 3);
    }

    #[test]
    fn a_wrapping_object_is_unwrapped() {
        let text = "{\"count\": 2, \"data\": [{\"a\": 1}, {\"a\": 2}]}";
        let rows = read(Path::new("x.json"), text).unwrap();
        assert_eq!(rows.rows.len(), 2);
    }

    #[test]
    fn a_broken_document_names_its_line() {
        let text = "[\n{\"a\": 1},\n{\"a\": }\n]";
        let err = read(Path::new("x.json"), text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("x.json:3"), "{err}");
    }
}
