//! Integration tests of kluis-core against a real Secret Service. Run them as
//! `scripts/with-keyring.sh cargo nextest run -p kluis-core --test it`.
//!
//! The modules are `cfg(test)` so that clippy treats their helpers as test code
//! (`allow-unwrap-in-tests`, `allow-expect-in-tests` in clippy.toml).

#[cfg(test)]
mod clients;
#[cfg(test)]
mod erasure;
#[cfg(test)]
mod export;
#[cfg(test)]
mod feed;
#[cfg(test)]
mod integrity;
#[cfg(test)]
mod keyring;
#[cfg(test)]
mod migrations;
#[cfg(test)]
mod policy;
#[cfg(test)]
mod provisioning;
#[cfg(test)]
mod record;
#[cfg(test)]
mod support;
#[cfg(test)]
mod tamper;
#[cfg(test)]
mod vault;
