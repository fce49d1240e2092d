//! The stage cache under `.niche/cache/`: one file per stage result, named by a blake3 key over
//! everything the stage reads (input bytes, the config sections it uses, the method version).
//! A file that cannot be read back is a miss, never an error: the stage just runs again.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::output;

pub struct Cache {
    dir: PathBuf,
}

/// Entries kept per stage; older ones are removed when a new one is written.
const KEEP: usize = 16;

/// A key built from labelled parts; each part is length-prefixed so parts cannot run together.
pub struct Key(blake3::Hasher);

impl Key {
    pub fn new(stage: &str) -> Key {
        let mut k = Key(blake3::Hasher::new());
        k.part("stage", stage.as_bytes());
        k.part("method", crate::method::METHOD_VERSION.as_bytes());
        k
    }

    pub fn part(&mut self, label: &str, bytes: &[u8]) -> &mut Key {
        for piece in [label.as_bytes(), bytes] {
            self.0.update(&(piece.len() as u64).to_le_bytes());
            self.0.update(piece);
        }
        self
    }

    /// A settings value, by its Debug text: it writes every float exactly, and tells NaN from
    /// infinity from none (JSON would write all three as `null`).
    pub fn value(&mut self, label: &str, value: &impl std::fmt::Debug) -> &mut Key {
        self.part(label, format!("{value:?}").as_bytes())
    }

    pub fn hex(&self) -> String {
        self.0.finalize().to_hex().to_string()
    }
}

/// blake3 of a file's bytes, read in pieces.
pub fn hash_file(path: &Path) -> Result<(String, u64)> {
    let mut hasher = blake3::Hasher::new();
    let file = std::fs::File::open(path).map_err(|e| crate::Error::io(path, e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    hasher
        .update_reader(std::io::BufReader::new(file))
        .map_err(|e| crate::Error::io(path, e))?;
    Ok((hasher.finalize().to_hex().to_string(), len))
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    fn path(&self, stage: &str, key: &str) -> PathBuf {
        self.dir.join(format!("{stage}-{key}.bin"))
    }

    pub fn get(&self, stage: &str, key: &str) -> Option<Vec<u8>> {
        std::fs::read(self.path(stage, key)).ok()
    }

    /// Read a cached value; anything unreadable counts as a miss.
    pub fn get_value<T: serde::de::DeserializeOwned>(&self, stage: &str, key: &str) -> Option<T> {
        postcard::from_bytes(&self.get(stage, key)?).ok()
    }

    pub fn put_value<T: serde::Serialize>(&self, stage: &str, key: &str, value: &T) -> Result<()> {
        let bytes = postcard::to_allocvec(value).map_err(|e| crate::Error::Internal {
            stage: "cache",
            message: e.to_string(),
        })?;
        output::write_file(&self.path(stage, key), &bytes, &[])?;
        self.prune(stage)
    }

    /// Keep the [`KEEP`] most recently written entries of a stage.
    fn prune(&self, stage: &str) -> Result<()> {
        let prefix = format!("{stage}-");
        let mut entries: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let e = e.ok()?;
                let name = e.file_name().to_string_lossy().to_string();
                (name.starts_with(&prefix) && name.ends_with(".bin")).then_some(())?;
                Some((e.metadata().ok()?.modified().ok()?, e.path()))
            })
            .collect();
        entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, path) in entries.into_iter().skip(KEEP) {
            output::remove_file(&path)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Key;

    #[test]
    fn keys_follow_every_part_and_parts_do_not_run_together() {
        let k = |parts: &[(&str, &str)]| {
            let mut key = Key::new("s");
            for (l, v) in parts {
                key.part(l, v.as_bytes());
            }
            key.hex()
        };
        assert_eq!(k(&[("a", "1")]), k(&[("a", "1")]));
        assert_ne!(k(&[("a", "1")]), k(&[("a", "2")]));
        assert_ne!(k(&[("a", "12"), ("b", "")]), k(&[("a", "1"), ("b", "2")]));
        assert_ne!(Key::new("measure").hex(), Key::new("score").hex());
        let nan = Key::new("s").value("x", &[f64::NAN]).hex();
        let inf = Key::new("s").value("x", &[f64::INFINITY]).hex();
        assert_ne!(nan, inf, "NaN and infinity get distinct keys");
    }
}
