//! Integration tests of the store: one binary, real mutual TLS on port 0.
// Test helpers outside #[test] functions panic on setup failure by design.
#![allow(clippy::expect_used)]

#[cfg(test)]
mod authority;

#[cfg(test)]
mod admin;
#[cfg(test)]
mod corpus;
#[cfg(test)]
mod database;
mod enrollment;
#[cfg(test)]
mod horizon;
#[cfg(test)]
mod privacy;
#[cfg(test)]
mod report;
#[cfg(test)]
mod retention;
#[cfg(test)]
mod revocation;
#[cfg(test)]
mod support;
#[cfg(test)]
mod sync;
#[cfg(test)]
mod tls;
#[cfg(test)]
mod transport;
