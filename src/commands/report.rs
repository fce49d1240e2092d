//! `niche report DIR`: redraw a report folder's page and charts from its report.json.

use std::path::{Path, PathBuf};

use crate::cli::ReportArgs;
use crate::error::Error;
use crate::method::METHOD_VERSION;
use crate::output;
use crate::report;

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let json_path = if args.source.is_dir() {
        args.source.join("report.json")
    } else {
        args.source.clone()
    };
    let bytes = std::fs::read(&json_path).map_err(|e| Error::Io {
        hint: if e.kind() == std::io::ErrorKind::NotFound {
            "give a folder written by `niche score FILE... --report DIR`, or its report.json".to_string()
        } else {
            "check the path and its permissions".to_string()
        },
        path: json_path.clone(),
        io: e,
    })?;
    let mut bundle = report::render(&bytes, &json_path, crate::lang::current(), None)?;
    if bundle.method_version != METHOD_VERSION {
        output::note(&format!(
            "note: {} was scored with method {}; its numbers are shown as they were (this niche is method {METHOD_VERSION}: re-run `niche score` for current numbers)",
            json_path.display(),
            if bundle.method_version.is_empty() { "unknown" } else { &bundle.method_version }
        ));
    }
    let dir: PathBuf = match &args.out {
        Some(out) => {
            // A folder elsewhere gets the report.json too, so it can be redrawn on its own.
            bundle.files.insert(0, ("report.json".to_string(), bytes));
            out.clone()
        }
        None => json_path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    };
    output::write_folder(&dir, &bundle.files, "report.html", &[json_path])?;
    output::wrote(&dir.join("report.html"));
    Ok(())
}
