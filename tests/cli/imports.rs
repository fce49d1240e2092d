//! The import rule of src/lib.rs, checked over the source: a module uses only modules before it in
//! the pipeline's order (imports point down), so the house keeps the shape lib.rs describes.
//!
//! Every `crate::NAME` path in a file's code (comments and its `#[cfg(test)]` module left out,
//! `use crate::{a, b}` groups included) is an arrow from the file's top module to NAME.
//!
//! Inside a folder, the files import each other without circles: a `super::x` or
//! `crate::folder::x` path is an arrow to the sibling file `x`, and no arrows may lead back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules in order, bottom first: the leaves, the stages, then what sits on top.
const ORDER: &[&str] = &[
    "text",
    "lang",
    "error",
    "method",
    "reference",
    "rng",
    "statics",
    "civil",
    "par",
    "progress",
    "output",
    "timing", // leaves
    "load",
    "normalise",
    "measure",
    "profile",
    "score",
    "report",
    "config", // stages and their settings
    "exchange",
    "pipeline",
    "analysis",
    "generate",
    "cli",
    "commands", // on top
];

/// Arrows that point up, each with its reason. At most three may stand here (issue 20).
const ALLOWED_UP: &[(&str, &str, &str)] = &[];

fn rank(module: &str) -> Option<usize> {
    ORDER.iter().position(|m| *m == module)
}

/// The code of a file before its test module, with line comments removed.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = match line.find("//") {
            // A `//` inside a string ("https://") is rare in this code; a false arrow would show.
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The top modules a piece of code names through `crate::`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::c, d}`: the first word of each top-level item.
            let mut depth = 0;
            let mut item_start = true;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphabetic() || c == '_') => {
                        let word: String = group[k..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        out.insert(word);
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let word: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !word.is_empty() {
                out.insert(word);
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every arrow (from, to) between different top modules of src/.
fn arrows() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut out = BTreeSet::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel.iter().next().unwrap().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for to in named_modules(&code_of(&text)) {
            if to != module && to != "Error" && to != "Result" {
                out.insert((module.clone(), to));
            }
        }
    }
    out
}

#[test]
fn imports_point_down_the_pipeline() {
    let arrows = arrows();
    assert!(
        arrows.len() > 40,
        "the scan found only {} arrows: is it reading src/?",
        arrows.len()
    );
    let mut unknown = Vec::new();
    let mut up = Vec::new();
    for (from, to) in &arrows {
        match (rank(from), rank(to)) {
            (Some(f), Some(t)) if t > f && !ALLOWED_UP.iter().any(|(a, b, _)| a == from && b == to) => {
                up.push(format!("{from} -> {to}"));
            }
            (None, _) => unknown.push(from.clone()),
            (_, None) => unknown.push(to.clone()),
            _ => {}
        }
    }
    assert!(
        unknown.is_empty(),
        "modules missing from ORDER in tests/cli/imports.rs (and from lib.rs's list): {unknown:?}"
    );
    assert!(
        up.is_empty(),
        "imports that point up the pipeline (see the import rule in src/lib.rs): {up:?}"
    );
    assert!(ALLOWED_UP.len() <= 3);
}

#[test]
fn the_scan_sees_paths_groups_and_skips_comments_and_tests() {
    let code = code_of(
        "use crate::{load::{self, X}, par, error::Error};\n\
         // crate::report in a comment\n\
         fn f() { crate::measure::stats::median(); } // crate::score\n\
         #[cfg(test)]\nmod tests { use crate::cli; }\n",
    );
    let named: Vec<String> = named_modules(&code).into_iter().collect();
    assert_eq!(named, ["error", "load", "measure", "par"]);
}

#[test]
fn an_upward_arrow_would_be_caught() {
    // The same check on a made-up arrow from a stage to a later one.
    let (from, to) = (rank("normalise").unwrap(), rank("measure").unwrap());
    assert!(to > from);
    assert!(rank("commands").unwrap() == ORDER.len() - 1);
}

/// The sibling modules a file inside a folder names: `super::x`, `super::{x, y::z}` and
/// `crate::folder::x` paths whose first word is one of `siblings`.
fn sibling_names(code: &str, folder_path: &str, siblings: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let prefixes = ["super::".to_string(), format!("crate::{folder_path}::")];
    for prefix in &prefixes {
        let mut rest = code;
        while let Some(i) = rest.find(prefix.as_str()) {
            rest = &rest[i + prefix.len()..];
            // A group (`{a, b::c}`) names the first word of each of its items; a path, its first.
            let items: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => top_level_items(group),
                None => vec![rest],
            };
            for item in items {
                let word: String = item
                    .trim_start()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if siblings.contains(&word) {
                    out.insert(word);
                }
            }
        }
    }
    out
}

/// The items of a `{…}` group (the text after its `{`), split at its own commas, not at those of
/// groups inside it.
fn top_level_items(group: &str) -> Vec<&str> {
    let (mut items, mut depth, mut start) = (Vec::new(), 0, 0);
    for (k, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..k]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

/// Per folder of src/, the arrows between the files in it (mod.rs, the folder's own module, is
/// above its files and left out).
fn folder_arrows() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut out: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let Some(dir) = file.parent().filter(|d| *d != src) else {
            continue;
        };
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        if stem == "mod" {
            continue;
        }
        let siblings: BTreeSet<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "rs"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .filter(|s| s != "mod" && *s != stem)
            .collect();
        let folder = dir.strip_prefix(&src).unwrap();
        let folder_path = folder
            .iter()
            .map(|c| c.to_string_lossy())
            .collect::<Vec<_>>()
            .join("::");
        let text = std::fs::read_to_string(&file).unwrap();
        let names = sibling_names(&code_of(&text), &folder_path, &siblings);
        out.entry(folder.display().to_string()).or_default().insert(stem, names);
    }
    out
}

/// A circle in a graph of arrows, if there is one: the modules on it, in order.
fn circle(arrows: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        at: &str,
        arrows: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == at) {
            return Some(path[i..].to_vec());
        }
        if done.contains(at) {
            return None;
        }
        path.push(at.to_string());
        for to in arrows.get(at).into_iter().flatten() {
            if let Some(c) = visit(to, arrows, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(at.to_string());
        None
    }
    let mut done = BTreeSet::new();
    arrows.keys().find_map(|m| visit(m, arrows, &mut Vec::new(), &mut done))
}

#[test]
fn files_inside_a_folder_import_without_circles() {
    let folders = folder_arrows();
    assert!(folders.len() >= 6, "the scan found {} folders", folders.len());
    let arrows: usize = folders.values().flat_map(|f| f.values()).map(BTreeSet::len).sum();
    assert!(
        arrows > 30,
        "the scan found only {arrows} arrows between files in a folder"
    );
    let circles: Vec<String> = folders
        .iter()
        .filter_map(|(folder, arrows)| Some(format!("{folder}: {}", circle(arrows)?.join(" -> "))))
        .collect();
    assert!(
        circles.is_empty(),
        "files in a folder that import each other (types belong in the file below the code that uses them): {circles:?}"
    );
}

#[test]
fn a_circle_between_files_would_be_caught() {
    let siblings: BTreeSet<String> = ["rows", "raw_table", "text"].map(String::from).into();
    let code = "use super::{rows::{a, b}, text};\nfn f() { crate::load::raw_table::g(); super::other::h(); }\n";
    let named: Vec<String> = sibling_names(code, "load", &siblings).into_iter().collect();
    assert_eq!(named, ["raw_table", "rows", "text"]);
    let graph = |pairs: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in pairs {
            g.entry(a.to_string()).or_default().insert(b.to_string());
        }
        g
    };
    assert_eq!(circle(&graph(&[("a", "b"), ("b", "c")])), None);
    assert_eq!(
        circle(&graph(&[("a", "b"), ("b", "c"), ("c", "a")])),
        Some(vec!["a".to_string(), "b".to_string(), "c".to_string()])
    );
}

/// Issue 30, point 5: no file in src/ over 900 lines (tests included: a file's tests that grow it
/// past that go in a file of their own beside it, as `score/tests.rs`).
#[test]
fn no_file_in_src_is_over_900_lines() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 50, "the scan found {} files", files.len());
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).ok()?.lines().count();
            (lines > 900).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by job: {long:?}");
}
