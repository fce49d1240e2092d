//! The only place that writes: files atomically, never over an input; standard output and error.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file being written: bytes go to a temporary file beside the target, which replaces the
/// target only on [`AtomicFile::commit`]. Dropped without a commit, the temporary file is removed
/// and the target is untouched.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<io::BufWriter<fs::File>>,
}

impl AtomicFile {
    /// Start writing `path`; refuses a path that is one of `inputs`.
    pub fn create(path: &Path, inputs: &[PathBuf]) -> Result<Self> {
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
                    hint: "choose another name for the output".to_string(),
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
        // A report folder that does not exist yet is made, as a user expects of `--output a/b.json`.
        fs::create_dir_all(&dir).map_err(|e| fail(path, &e, "create its folder"))?;
        let tmp = dir.join(format!(".{name}.niche-{}.tmp", std::process::id()));
        let file = fs::File::create(&tmp).map_err(|e| fail(path, &e, "create a temporary file beside it"))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            file: Some(io::BufWriter::new(file)),
        })
    }

    /// Flush, sync and move the finished file into place.
    pub fn commit(mut self) -> Result<()> {
        let Some(writer) = self.file.take() else {
            return Ok(());
        };
        let file = writer.into_inner().map_err(|e| fail(&self.path, e.error(), "write"))?;
        file.sync_all().map_err(|e| fail(&self.path, &e, "flush to disk"))?;
        fs::rename(&self.tmp, &self.path).map_err(|e| fail(&self.path, &e, "move the finished file into place"))
    }

    /// Map an io error from writing this file to an output error.
    pub fn error(&self, e: &io::Error) -> Error {
        fail(&self.path, e, "write")
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.file.as_mut() {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

fn fail(path: &Path, e: &io::Error, what: &str) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: format!("could not {what}: {e}"),
        hint: "check that the folder exists and is writable".to_string(),
    }
}

/// Write `bytes` to `path` atomically (see [`AtomicFile`]), never over one of `inputs`.
pub fn write_file(path: &Path, bytes: &[u8], inputs: &[PathBuf]) -> Result<()> {
    let mut file = AtomicFile::create(path, inputs)?;
    file.write_all(bytes).map_err(|e| file.error(&e))?;
    file.commit()
}

/// Block while `path` exists, woken by the file system's events in its folder (no clock). If the
/// folder cannot be watched, the hold is off.
fn hold_while_exists(path: &Path) {
    use notify::Watcher;
    let (tx, rx) = std::sync::mpsc::channel();
    let Ok(mut watcher) = notify::recommended_watcher(tx) else {
        return;
    };
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if watcher.watch(folder, notify::RecursiveMode::NonRecursive).is_err() {
        return;
    }
    // Watched before looking, so a removal in between is an event still to come.
    while path.exists() {
        if rx.recv().is_err() {
            return;
        }
    }
}

/// Write a folder of files (a report), one at a time, each atomically; the file named `last` (the
/// page) last, so a folder whose page is new has everything that page shows beside it. (The
/// caller says where it went: `niche run`'s summary names the page, `score --report` notes it.)
pub fn write_folder(dir: &Path, files: &[(String, Vec<u8>)], last: &str, inputs: &[PathBuf]) -> Result<()> {
    create_dir(dir)?;
    // For the test that kills a report half-written (tests/cli/reliability.rs): after each file
    // but the page, the run holds while the file NICHE_WRITE_HOLD names exists, so the test
    // decides when it moves on (an event, not a time). Unset, nothing holds.
    let hold = std::env::var_os("NICHE_WRITE_HOLD").map(PathBuf::from);
    for (name, bytes) in files.iter().filter(|(name, _)| name != last) {
        write_file(&dir.join(name), bytes, inputs)?;
        if let Some(h) = &hold {
            hold_while_exists(h);
        }
    }
    for (name, bytes) in files.iter().filter(|(name, _)| name == last) {
        write_file(&dir.join(name), bytes, inputs)?;
    }
    Ok(())
}

/// Create a folder (and its parents) for outputs.
pub fn create_dir(path: &Path) -> Result<()> {
    fs::create_dir_all(path).map_err(|e| fail(path, &e, "create the folder"))
}

/// Remove a file this program wrote earlier (old cache entries); a file already gone is fine.
pub fn remove_file(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(fail(path, &e, "remove the old file")),
    }
}

/// Remove a folder this program's outputs filled (an engine's units table); one already gone is fine.
pub fn remove_dir(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(fail(path, &e, "remove the old folder")),
    }
}

/// Write to standard output. A closed pipe (`niche score ... | head`) is reported as an io error
/// that `main` turns into a quiet exit.
pub fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    crate::progress::finish();
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// Say on standard error that a file was written.
pub fn wrote(path: &Path) {
    let path = path.display();
    note(&crate::lang::say(format!("wrote {path}"), format!("已写入 {path}")));
}

/// Write a line to standard error; failures to do so are ignored (there is nowhere left to say so).
pub fn note(line: &str) {
    crate::progress::suspend(|| {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    });
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
