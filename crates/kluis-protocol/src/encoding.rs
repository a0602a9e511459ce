//! The one way Kluis hashes a list of fields: a tag naming the encoding and
//! its version, then every field length-prefixed (an optional field with a
//! presence byte first), so that no two different lists encode alike whatever
//! characters their fields hold.

use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub(crate) struct FieldHasher(Sha256);

impl FieldHasher {
    /// Starts a hash for the encoding `tag` (e.g. `kluis-audit-v2`).
    pub(crate) fn new(tag: &str) -> Self {
        let mut hasher = Self(Sha256::new());
        hasher.text(tag);
        hasher
    }

    pub(crate) fn text(&mut self, value: &str) -> &mut Self {
        self.count(value.len());
        self.0.update(value.as_bytes());
        self
    }

    pub(crate) fn optional(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(value) => {
                self.0.update([1]);
                self.text(value)
            }
            None => {
                self.0.update([0]);
                self
            }
        }
    }

    pub(crate) fn count(&mut self, count: usize) -> &mut Self {
        self.number(count as u64)
    }

    pub(crate) fn number(&mut self, value: u64) -> &mut Self {
        self.0.update(value.to_be_bytes());
        self
    }

    /// The SHA-256, as lower-case hex.
    pub(crate) fn finish(self) -> String {
        hex::encode(self.0.finalize())
    }
}
