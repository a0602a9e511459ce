//! The sync client against a real store on port 0: the store it trusts, the
//! regions it accepts, what the app is told when something is wrong, and
//! two or more devices sharing clients through it.
//!
//! The modules are `cfg(test)` so that clippy treats their helpers as test
//! code. Scenarios that run on both back ends appear as `MODULE::sqlite::…`
//! and `MODULE::postgres::…`.
// Test helpers outside #[test] functions panic on setup failure by design.
#![allow(clippy::expect_used)]

/// Freed memory is wiped, as in the app: the device-key test scans this
/// process for what a lock leaves behind.
#[global_allocator]
static ALLOCATOR: kluis_memory::scrub::ScrubbingAllocator = kluis_memory::scrub::ScrubbingAllocator;

#[cfg(test)]
mod access_log;
#[cfg(test)]
mod conflicts;
#[cfg(test)]
mod device_key;
#[cfg(test)]
mod drill;
#[cfg(test)]
mod engine;
#[cfg(test)]
mod enrollment;
#[cfg(test)]
mod erasure;
#[cfg(test)]
mod horizon;
#[cfg(test)]
mod policy;
#[cfg(test)]
mod restriction;
#[cfg(test)]
mod sharing;
#[cfg(test)]
mod support;
#[cfg(test)]
mod transport;
#[cfg(test)]
mod wipe;
