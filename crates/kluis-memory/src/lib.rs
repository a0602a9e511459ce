//! Memory hygiene for Kluis, in one small crate because it is the only place
//! where `unsafe` code is allowed (in [`scrub`], audited there); every other
//! crate forbids it.
//!
//! - [`scrub`]: the global allocator that wipes what Rust frees, glibc's
//!   perturb byte for what C frees, no core dumps, and the restart that gives
//!   glibc and WebKit their scrubbing allocator settings from the start.
//! - [`scan`]: reading a process's memory for a masked pattern, used by the
//!   tests and the E2E (`kluis-memscan`) to prove that a lock left nothing.

pub mod scan;
pub mod scrub;
