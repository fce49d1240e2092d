//! The version of the published method (METHOD.md). Every output repeats it, so a number can
//! always be traced to the definition that produced it.

/// Bump together with METHOD.md whenever a definition changes.
pub const METHOD_VERSION: &str = "2.3";
