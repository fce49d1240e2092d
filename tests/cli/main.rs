//! The command line, end to end: the real binary on small fixtures written in the shapes of real
//! exports (tests/fixtures/). One test binary, one module per concern.

// A test's own set-up failing is a failed test: panicking there is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analysis;
mod engines;
mod errors;
mod fast;
mod formats;
mod implausible;
mod imports;
mod inside;
mod inspect;
mod lang;
mod malformed;
mod me;
mod method;
mod planted;
mod reliability;
mod report;
mod score;
mod snapshots;
mod world;
mod support;
