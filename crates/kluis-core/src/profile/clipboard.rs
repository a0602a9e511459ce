//! How long text copied from Kluis may stay on the system clipboard (SPEC §4).
//!
//! The shell clears the clipboard at lock and this long after each copy, as
//! password managers do, but only while Kluis still owns it: text another
//! program put there since is left alone. Managed policy (SPEC §7) may
//! shorten the delay.

use std::time::Duration;

/// How long copied text stays on the clipboard while unlocked.
pub const CLEAR_AFTER: Duration = Duration::from_secs(60);
