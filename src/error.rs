//! The error type every stage returns.
//!
//! A data fault carries the file, the line (1-based, as an editor counts them), the column and the
//! value, so that `main` can point at it the way a compiler does: the offending line, a caret under
//! the value, what was expected, and what to try next. Every fault a user can cause exits 1; a bug (an internal fault) too, with its stage named.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::lang::say;

/// Where in an input a fault sits, and how to show it.
#[derive(Debug, Clone)]
pub struct Location {
    pub path: PathBuf,
    /// 1-based line (or spreadsheet row) number.
    pub line: usize,
    /// 1-based column number in characters, when known.
    pub column: Option<usize>,
    /// The header name of the column, when the fault is in a cell.
    pub column_name: Option<String>,
    /// The text of the offending line, for the caret display.
    pub snippet: Option<String>,
    /// Width of the caret run, in terminal columns.
    pub span: usize,
}

/// A fault in the data itself: exit 1.
#[derive(Debug, Clone)]
pub struct DataFault {
    pub location: Location,
    pub value: Option<String>,
    pub message: String,
    pub expected: Option<String>,
    pub hint: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read. (The system's error is part of the message, not a
    /// `source`: an error chain would print it a second time.)
    #[error("{}: {io}\n  = {}: {hint}", path.display(), try_())]
    Io {
        path: PathBuf,
        io: std::io::Error,
        hint: String,
    },
    /// A fault at a place in a file.
    #[error("{0}")]
    Data(Box<DataFault>),
    /// A whole-file problem: empty, no rows, no niche column, unknown format.
    #[error("{}: {message}\n  = {}: {hint}", path.display(), try_())]
    File {
        path: PathBuf,
        message: String,
        hint: String,
    },
    /// The command line asked for something that cannot be done.
    #[error("{message}\n  = {}: {hint}", try_())]
    Usage { message: String, hint: String },
    /// Writing an output failed or was refused.
    #[error("{}: {message}\n  = {}: {hint}", path.display(), try_())]
    Output {
        path: PathBuf,
        message: String,
        hint: String,
    },
    /// An internal frame operation failed; a bug, reported rather than panicking.
    #[error("{}", internal(stage, message))]
    Internal { stage: &'static str, message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The word before what to try, in the run's language.
fn try_() -> String {
    say("try", "试试")
}

fn internal(stage: &str, message: &str) -> String {
    say(
        format!("internal error in {stage}: {message} (please report this with the input that caused it)"),
        format!("{stage} 内部错误：{message}（这是 niche 的缺陷，请连同引起它的输入一起报告）"),
    )
}

impl Error {
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::File {
            path: path.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        let hint = match source.kind() {
            std::io::ErrorKind::NotFound => say(
                "check the path; `ls` the folder to see what is there",
                "检查路径；用 `ls` 看看那个文件夹里有什么",
            ),
            std::io::ErrorKind::PermissionDenied => say(
                "check the file's permissions (`ls -l`), or copy it somewhere readable",
                "检查文件权限（`ls -l`），或把它复制到可读的地方",
            ),
            _ if path.is_dir() => say("pass a file, not a folder", "请给一个文件，而不是文件夹"),
            _ => say(
                "check that the file is readable and not being written by another program",
                "检查文件是否可读、是否正被其他程序写入",
            ),
        };
        Error::Io { path, io: source, hint }
    }
}

impl From<polars::error::PolarsError> for Error {
    fn from(e: polars::error::PolarsError) -> Self {
        Error::Internal {
            stage: "polars",
            message: e.to_string(),
        }
    }
}

impl fmt::Display for DataFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        write!(f, "{}:{}", loc.path.display(), loc.line)?;
        if let Some(c) = loc.column {
            write!(f, ":{c}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(name) = &loc.column_name {
            write!(f, "\n  = {}: {}", say("column", "列"), crate::text::sanitise_line(name))?;
        }
        if let Some(v) = &self.value {
            write!(f, "\n  = {}: {:?}", say("value", "值"), crate::text::sanitise_line(v))?;
        }
        if let Some(snippet) = &loc.snippet {
            let gutter = loc.line.to_string();
            let pad = " ".repeat(gutter.len());
            let shown = crate::text::sanitise_line(snippet);
            write!(f, "\n{pad} |\n{gutter} | {shown}")?;
            if let Some(c) = loc.column {
                // Carets are placed by display width so they line up under CJK text too.
                let before: String = shown.chars().take(c.saturating_sub(1)).collect();
                let indent = crate::text::display_width(&before);
                let carets = "^".repeat(loc.span.max(1));
                write!(f, "\n{pad} | {}{carets}", " ".repeat(indent))?;
            }
        }
        if let Some(e) = &self.expected {
            write!(f, "\n  = {}: {e}", say("expected", "应为"))?;
        }
        write!(f, "\n  = {}: {}", try_(), self.hint)
    }
}

/// A settings file's TOML parse error (niche.toml, a model or a profile) at its line and column,
/// with what the file should hold and what to try.
pub fn toml_error(path: &Path, text: &str, e: &toml::de::Error, expected: &str, hint: &str) -> Error {
    let fault = SettingsFault {
        message: e.message().to_string(),
        expected: Some(expected.to_string()),
        hint: hint.to_string(),
        value: None,
        span: 1,
    };
    match e.span() {
        Some(span) => fault.at(path, text, span.start),
        None => fault.at_line(path, 1, None, None),
    }
}

/// A bad setting, pointed at in the settings file by its key (or its first mention).
pub fn bad_value(path: &Path, text: &str, key: &str, message: String, hint: String) -> Error {
    // The line that sets the key (`name =` is not `me =`), else its first mention.
    let mut line_start = 0;
    let mut offset = None;
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = line.trim_start().strip_prefix(key).map(str::trim_start);
        if rest.is_some_and(|r| r.starts_with('=')) {
            offset = Some(line_start + indent);
            break;
        }
        line_start += line.len();
    }
    let offset = offset.or_else(|| text.find(key)).unwrap_or(0);
    SettingsFault {
        message,
        expected: None,
        hint,
        value: Some(key.to_string()),
        span: crate::text::display_width(key).max(1),
    }
    .at(path, text, offset)
}

/// What is wrong with a settings file, before it is placed.
struct SettingsFault {
    message: String,
    expected: Option<String>,
    hint: String,
    value: Option<String>,
    span: usize,
}

impl SettingsFault {
    /// At a byte offset of the file's text.
    fn at(self, path: &Path, text: &str, offset: usize) -> Error {
        let (line, column, snippet) = position(text, offset);
        self.at_line(path, line, column, snippet)
    }

    fn at_line(self, path: &Path, line: usize, column: Option<usize>, snippet: Option<String>) -> Error {
        Error::Data(Box::new(DataFault {
            location: Location {
                path: path.to_path_buf(),
                line,
                column,
                column_name: None,
                snippet,
                span: self.span,
            },
            value: self.value,
            message: self.message,
            expected: self.expected,
            hint: self.hint,
        }))
    }
}

/// 1-based line, 1-based character column and the line's text at a byte offset.
fn position(text: &str, offset: usize) -> (usize, Option<usize>, Option<String>) {
    let offset = offset.min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[start..].chars().count() + 1;
    let snippet = text.lines().nth(line - 1).map(str::to_string);
    (line, Some(column), snippet)
}
