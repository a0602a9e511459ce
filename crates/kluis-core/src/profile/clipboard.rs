//! How long text copied from Kluis may stay on the system clipboard (SPEC §4).
//!
//! The shell clears the clipboard at lock and this long after each copy, as
//! password managers do, but only while Kluis still owns it: text another
//! program put there since is left alone. Managed policy (SPEC §7) may
//! shorten the delay.

use std::time::Duration;

use crate::profile::Profile;

/// How long copied text stays on the clipboard while unlocked, unless the
/// policy says less.
pub const CLEAR_AFTER: Duration =
    Duration::from_secs(kluis_protocol::managed::MAX_CLIPBOARD_CLEAR_SECONDS as u64);

impl Profile {
    /// How long copied text stays on the clipboard under this profile's policy.
    pub fn clipboard_clear_after(&self) -> Duration {
        Duration::from_secs(u64::from(self.policy().clipboard_clear_seconds)).min(CLEAR_AFTER)
    }
}
