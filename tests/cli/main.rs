//! The command line, end to end: the real binary on small fixtures written in the shapes of real
//! exports (tests/fixtures/). One test binary, one module per concern.

mod errors;
mod formats;
mod inspect;
mod score;
mod support;
