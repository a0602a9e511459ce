//! The engine against a fake vault ([`Replica`]) and a real store: what it
//! asks the vault, in which order, on which thread, and what it does when
//! the vault stops answering. The same rounds against the real vault are in
//! the other modules.

use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::ThreadId;

use kluis_core::sync::{PendingOperation, PushSummary};
use kluis_core::{CoreError, CoreResult, RecordKind};
use kluis_protocol::audit::GENESIS_HASH;
use kluis_protocol::{
    Action, AuditEntry, Change, ChangePayload, Operation, Outcome, PullResponse, PushResponse,
};
use kluis_sync::{Replica, SyncError, sync_once};

use crate::support::{Devices, client_record, start_store};

/// A vault in memory: an outbox, a cursor, what it received and an access
/// log. It keeps what the engine asked of it, and on which thread.
#[derive(Default)]
struct FakeReplica {
    outbox: Mutex<Vec<PendingOperation>>,
    outcomes: Mutex<Vec<Outcome>>,
    cursor: Mutex<u64>,
    received: Mutex<Vec<Change>>,
    access_log: Mutex<Vec<AuditEntry>>,
    uploaded_through: Mutex<u64>,
    threads: Mutex<Vec<ThreadId>>,
    /// The device ids the store answered to.
    contacts: Mutex<Vec<String>>,
    /// Answers `Locked` to the pull, as a vault locked mid-round does.
    locks_before_pull: bool,
}

fn held<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().expect("fake replica")
}

impl FakeReplica {
    fn called(&self) {
        held(&self.threads).push(std::thread::current().id());
    }
}

impl Replica for FakeReplica {
    fn next_batch(&self, limit: usize) -> CoreResult<Vec<PendingOperation>> {
        self.called();
        Ok(held(&self.outbox).iter().take(limit).cloned().collect())
    }

    fn acknowledge(
        &self,
        batch: &[PendingOperation],
        answer: &PushResponse,
    ) -> CoreResult<PushSummary> {
        self.called();
        let mut summary = PushSummary::default();
        for result in &answer.results {
            if matches!(result.outcome, Outcome::Applied { .. }) {
                summary.applied += 1;
            }
            held(&self.outcomes).push(result.outcome.clone());
        }
        held(&self.outbox).retain(|pending| {
            !batch
                .iter()
                .any(|sent| sent.operation.op_id == pending.operation.op_id)
        });
        Ok(summary)
    }

    fn cursor(&self) -> CoreResult<u64> {
        self.called();
        Ok(*held(&self.cursor))
    }

    fn apply_pull(&self, page: &PullResponse) -> CoreResult<u32> {
        self.called();
        if self.locks_before_pull {
            return Err(CoreError::Locked);
        }
        held(&self.received).extend(page.changes.iter().cloned());
        *held(&self.cursor) = page.cursor;
        Ok(page.changes.len() as u32)
    }

    fn start_rebuild(&self) -> CoreResult<()> {
        self.called();
        held(&self.received).clear();
        *held(&self.cursor) = 0;
        Ok(())
    }

    fn access_log_to_upload(&self, limit: usize) -> CoreResult<Vec<AuditEntry>> {
        self.called();
        let through = *held(&self.uploaded_through);
        Ok(held(&self.access_log)
            .iter()
            .filter(|entry| entry.seq > through)
            .take(limit)
            .cloned()
            .collect())
    }

    fn access_log_uploaded(&self, seq: u64) -> CoreResult<()> {
        self.called();
        *held(&self.uploaded_through) = seq;
        Ok(())
    }

    fn store_contact(&self, device_id: &str) -> CoreResult<()> {
        self.called();
        held(&self.contacts).push(device_id.to_owned());
        Ok(())
    }
}

/// Creating the store's test client, as a device of Anna would send it.
fn client_created() -> PendingOperation {
    PendingOperation {
        entry_seq: 1,
        kind: RecordKind::Client,
        record_id: "client-1".to_owned(),
        operation: Operation {
            op_id: uuid::Uuid::new_v4(),
            action: Action::Upsert {
                record: Box::new(client_record()),
                base_version: None,
            },
        },
    }
}

/// Anna reading her client, the first entry of a chain.
fn read_entry(chain_id: &str, practitioner_id: &str) -> AuditEntry {
    let mut entry = AuditEntry {
        chain_id: chain_id.to_owned(),
        seq: 1,
        id: uuid::Uuid::new_v4().to_string(),
        occurred_at: "2026-12-02T09:00:00Z".to_owned(),
        actor_id: practitioner_id.to_owned(),
        actor_name: "Anna de Vries".to_owned(),
        actor_role: "psychologist".to_owned(),
        on_behalf_of: None,
        action: "read".to_owned(),
        client_id: Some("client-1".to_owned()),
        record_part: "client".to_owned(),
        record_id: Some("client-1".to_owned()),
        outcome: "success".to_owned(),
        prev_hash: GENESIS_HASH.to_owned(),
        hash: String::new(),
        hash_version: kluis_protocol::audit::AUDIT_HASH_VERSION,
    };
    entry.hash = entry.expected_hash();
    entry
}

/// One round does the four steps in order: the queued change reaches the
/// store and leaves the outbox, the feed brings it back with its version and
/// moves the cursor, and the access log is uploaded once. Every vault call
/// runs on the blocking pool, never on the thread that drives the round.
#[tokio::test(flavor = "current_thread")]
async fn a_round_pushes_pulls_and_uploads_through_the_replica_off_the_runtime() {
    let store = start_store("nl").await;
    let identity = store.enroll("fake-device");
    let client = store.client(&identity);
    let replica = Arc::new(FakeReplica::default());
    held(&replica.outbox).push(client_created());
    held(&replica.access_log).push(read_entry("fake-chain", &store.practitioner.id));

    let report = sync_once(&client, &replica).await.expect("round");

    assert_eq!(
        (report.pushed, report.pulled, report.audit_uploaded),
        (1, 1, 1)
    );
    assert!(
        held(&replica.outbox).is_empty(),
        "the sent change left the outbox"
    );
    assert_eq!(
        *held(&replica.outcomes),
        vec![Outcome::Applied { version: 1 }]
    );
    let received = held(&replica.received);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].version, 1);
    assert!(
        matches!(&received[0].payload, ChangePayload::Record { record } if record.reference().id == "client-1")
    );
    assert_eq!(*held(&replica.cursor), report.cursor);
    assert!(report.cursor > 0);
    assert_eq!(*held(&replica.uploaded_through), 1);

    let runtime_thread = std::thread::current().id();
    let threads = held(&replica.threads);
    // Check: the contact; push: a batch, its acknowledgement, an empty
    // batch; pull: cursor and page; access log: entries, their receipt, and
    // none left.
    assert_eq!(threads.len(), 9, "vault calls: {}", threads.len());
    assert_eq!(*held(&replica.contacts), ["fake-device"]);
    assert!(
        threads.iter().all(|thread| *thread != runtime_thread),
        "a vault call ran on the runtime's own thread"
    );
}

/// A vault locked in the middle of a round ends it with the vault's own
/// `Locked`, after the push it had made stands: the next round starts from
/// the cursor the vault kept.
#[tokio::test(flavor = "current_thread")]
async fn a_vault_locked_mid_round_ends_it_as_locked_and_keeps_what_was_pushed() {
    let store = start_store("nl").await;
    let identity = store.enroll("fake-device");
    let client = store.client(&identity);
    let replica = Arc::new(FakeReplica {
        locks_before_pull: true,
        ..FakeReplica::default()
    });
    held(&replica.outbox).push(client_created());

    let outcome = sync_once(&client, &replica).await;

    assert!(
        matches!(outcome, Err(SyncError::Vault(CoreError::Locked))),
        "{outcome:?}"
    );
    assert!(held(&replica.outbox).is_empty());
    assert_eq!(*held(&replica.cursor), 0);
    assert!(held(&replica.received).is_empty());
}
