//! The only place that writes: files atomically, never over an input; standard output and error.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Write `bytes` to `path` atomically: a temporary file in the same folder, then a rename, so a
/// reader never sees half a file and a failed write leaves the old one intact. Refuses to write
/// over any of `inputs`.
pub fn write_file(path: &Path, bytes: &[u8], inputs: &[PathBuf]) -> Result<()> {
    let target = fs::canonicalize(path).ok();
    for input in inputs {
        let same = match (&target, fs::canonicalize(input).ok()) {
            (Some(t), Some(i)) => *t == i,
            _ => path == input,
        };
        if same {
            return Err(Error::Output {
                path: path.to_path_buf(),
                message: "this is one of the input files; niche never writes over its inputs".to_string(),
                hint: "choose another name for --output".to_string(),
            });
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| Error::Output {
        path: path.to_path_buf(),
        message: "this is not a file name".to_string(),
        hint: "pass a path that ends in a file name, such as reports/scores.csv".to_string(),
    })?;
    let tmp = dir.join(format!(".{name}.niche-{}.tmp", std::process::id()));
    let fail = |e: std::io::Error, what: &str| Error::Output {
        path: path.to_path_buf(),
        message: format!("could not {what}: {e}"),
        hint: "check that the folder exists and is writable".to_string(),
    };
    let result = (|| {
        let mut f = fs::File::create(&tmp).map_err(|e| fail(e, "create a temporary file beside it"))?;
        f.write_all(bytes).map_err(|e| fail(e, "write"))?;
        f.sync_all().map_err(|e| fail(e, "flush to disk"))?;
        fs::rename(&tmp, path).map_err(|e| fail(e, "move the finished file into place"))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Write to standard output. A closed pipe (`niche score ... | head`) is reported as an io error
/// that `main` turns into a quiet exit.
pub fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Write a line to standard error; failures to do so are ignored (there is nowhere left to say so).
pub fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_write_over_an_input() {
        let dir = std::env::temp_dir().join(format!("niche-out-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.csv");
        fs::write(&input, "a,b\n").unwrap();
        let err = write_file(&input, b"x", std::slice::from_ref(&input)).unwrap_err();
        assert!(err.to_string().contains("never writes over its inputs"));
        assert_eq!(fs::read_to_string(&input).unwrap(), "a,b\n");
        let out = dir.join("out.csv");
        write_file(&out, b"ok", std::slice::from_ref(&input)).unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), "ok");
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
        let _ = fs::remove_dir_all(&dir);
    }
}
