//! The access logs the devices upload (NEN 7513), kept append-only.
//!
//! Each vault's log is a hash chain. The store takes an upload only when every
//! entry's hash is right (checked by the protocol) and the first new entry
//! links to the newest one it holds, so the copy on the store is the same
//! unbroken chain. An entry it already holds may come again after a lost
//! answer; it must be the same entry, or the upload is refused. A chain
//! belongs to the device that uploaded its first entry: no other device adds
//! to it or takes its id.

use kluis_protocol::audit::GENESIS_HASH;
use kluis_protocol::{AuditUploadRequest, AuditUploadResponse, PROTOCOL_VERSION};

use crate::error::{ServerError, ServerResult};
use crate::store::{Caller, Store};

pub fn upload<S: Store>(
    store: &S,
    caller: &Caller,
    request: &AuditUploadRequest,
) -> ServerResult<AuditUploadResponse> {
    request.validate()?;
    let Some(first) = request.entries.first() else {
        return Err(ServerError::Invalid(
            "upload: it holds no entries".to_owned(),
        ));
    };
    if request
        .entries
        .iter()
        .any(|entry| entry.actor_id != caller.practitioner.id)
    {
        return Err(ServerError::Forbidden(
            "a device uploads only its own practitioner's access log",
        ));
    }
    let chain_id = first.chain_id.clone();
    let stored_through = store.transaction(|transaction| {
        if transaction.audit_chain_device(&chain_id, &caller.device.id)? != caller.device.id {
            return Err(ServerError::Forbidden(
                "an access-log chain is uploaded only by the device that started it",
            ));
        }
        let (mut last_seq, mut last_hash) = transaction
            .audit_last(&chain_id)?
            .unwrap_or((0, GENESIS_HASH.to_owned()));
        for entry in &request.entries {
            if entry.seq <= last_seq {
                if transaction.audit_hash(&chain_id, entry.seq)?.as_deref() != Some(&entry.hash) {
                    return Err(ServerError::Invalid(format!(
                        "access log: entry {} differs from the one the store holds",
                        entry.seq
                    )));
                }
                continue;
            }
            if entry.seq != last_seq + 1 || entry.prev_hash != last_hash {
                return Err(ServerError::Invalid(format!(
                    "access log: entry {} does not link to entry {last_seq} on the store",
                    entry.seq
                )));
            }
            transaction.append_audit(entry, &caller.device.id)?;
            last_seq = entry.seq;
            last_hash.clone_from(&entry.hash);
        }
        Ok(last_seq)
    })?;
    Ok(AuditUploadResponse {
        protocol_version: PROTOCOL_VERSION,
        stored_through,
    })
}
