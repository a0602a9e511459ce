//! Vault work off the async runtime.
//!
//! SQLCipher calls block: a key derivation, a page of a thousand records, an
//! integrity check. On a tokio worker they would stall every other task on
//! that worker (the lock, the idle watch, the network); on the blocking pool
//! they only take a thread. The app's commands and the sync engine both go
//! through [`run`], so there is one way to do it.

use std::sync::Arc;

/// Runs `work` with `owner` on tokio's blocking pool and waits for it. A
/// panic in `work` is raised again here, as if it had run in place.
pub async fn run<Owner, Output>(
    owner: &Arc<Owner>,
    work: impl FnOnce(&Owner) -> Output + Send + 'static,
) -> Output
where
    Owner: Send + Sync + ?Sized + 'static,
    Output: Send + 'static,
{
    let owner = Arc::clone(owner);
    match tokio::task::spawn_blocking(move || work(&owner)).await {
        Ok(output) => output,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        // The runtime is shutting down: nothing is waiting for the answer.
        Err(_) => std::future::pending().await,
    }
}
