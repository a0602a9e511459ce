//! Pull and push (SPEC §5), the same for every back end: who may write which
//! record, replayed operations, base versions, tombstones.
//!
//! The store is the authority on what it holds. A change is authorised
//! against the record it replaces as well as the new one, every reference a
//! record makes is checked, and what only the store can know (who wrote or
//! signed a note, when, and the hash of what was signed) is written by the
//! store itself. A record the caller may not see is "not found", the same as
//! one that does not exist.
//!
//! Every operation is its own transaction: one refused operation does not undo
//! the others, and each gets its own result.

use kluis_protocol::policy;
use kluis_protocol::records::{AddendumRecord, ConsultRecord, NoteRecord, NoteStatus, Visibility};
use kluis_protocol::{
    Action, Change, ChangePayload, ErasureReason, MAX_PULL_PAGE_BYTES, Operation, OperationResult,
    Outcome, PROTOCOL_VERSION, PullRequest, PullResponse, PushRequest, PushResponse, Record,
    RecordKind, RecordRef, Refusal,
};

use crate::error::{ServerError, ServerResult};
use crate::store::{Access, Caller, Role, Store, StoredRecord, Transaction, now};

/// The changes after the device's cursor that its practitioner may see. A
/// page ends early when its records would pass [`MAX_PULL_PAGE_BYTES`], so
/// that a page of large notes still fits in one response.
pub fn pull<S: Store>(
    store: &S,
    caller: &Caller,
    request: &PullRequest,
) -> ServerResult<PullResponse> {
    request.validate()?;
    // A cursor from before tombstones that are gone missed them, unless it
    // is a page of a pull that began from the start under the same horizon:
    // the device rebuilds instead (see `horizon`).
    let device_id = caller.device.id.as_str();
    let cursor = request.cursor;
    let pruned_through = store.transaction(|transaction| {
        let pruned_through = transaction.pruned_through()?;
        if cursor == 0 && pruned_through > 0 {
            transaction.note_full_pull(device_id, pruned_through)?;
        } else if cursor > 0
            && cursor < pruned_through
            && transaction.full_pull_horizon(device_id)? != Some(pruned_through)
        {
            return Err(ServerError::RebuildRequired);
        }
        Ok(pruned_through)
    })?;
    // The cursor moves only after a page is applied on the device: every
    // erasure it has passed is applied there. A pull from the start that is
    // still below the horizon has not finished letting go of what is gone.
    if cursor >= pruned_through {
        store.acknowledge_erasures(device_id, cursor)?;
    }
    let page = store.feed(&caller.practitioner.id, cursor, request.limit)?;
    // Tombstones removed while the page was read may be missing from it.
    let pruned_after = store.transaction(|transaction| transaction.pruned_through())?;
    if pruned_after != pruned_through && cursor > 0 && cursor < pruned_after {
        return Err(ServerError::RebuildRequired);
    }
    let pruned_through = pruned_after;
    let mut records = page.records;
    let mut bytes = 0;
    let fitting = records
        .iter()
        .position(|row| {
            bytes += row.body.as_ref().map_or(0, String::len);
            bytes > MAX_PULL_PAGE_BYTES
        })
        .map_or(records.len(), |first_too_many| first_too_many.max(1));
    let left_out = records.split_off(fitting);
    let remaining = page.remaining + left_out.len() as u64;
    let mut cursor = records.last().map_or(cursor, |row| row.seq);
    if remaining == 0 {
        // The whole feed was read: nothing at or below the tombstone horizon
        // is left unsent, so the cursor may stand there, and the device's
        // next pull is not taken for one from before it.
        cursor = cursor.max(pruned_through);
    }
    let changes = records
        .into_iter()
        .map(change_from_row)
        .collect::<ServerResult<Vec<_>>>()?;
    Ok(PullResponse {
        protocol_version: PROTOCOL_VERSION,
        changes,
        cursor,
        more: remaining > 0,
        remaining,
    })
}

fn change_from_row(row: StoredRecord) -> ServerResult<Change> {
    let payload = match (&row.body, row.deleted) {
        (Some(_), false) => ChangePayload::Record {
            record: Box::new(body_of(&row)?),
        },
        _ => ChangePayload::Tombstone {
            target: RecordRef {
                kind: row.kind,
                id: row.id.clone(),
            },
        },
    };
    Ok(Change {
        seq: row.seq,
        version: row.version,
        payload,
    })
}

/// The protocol record a stored row holds.
fn body_of(row: &StoredRecord) -> ServerResult<Record> {
    serde_json::from_str(row.body.as_deref().unwrap_or("null"))
        .map_err(|_| ServerError::Storage("unreadable record in store".to_owned()))
}

/// Applies a device's operations, each on its own.
pub fn push<S: Store>(
    store: &S,
    caller: &Caller,
    request: &PushRequest,
) -> ServerResult<PushResponse> {
    request.validate()?;
    let mut results = Vec::with_capacity(request.operations.len());
    let mut erased = false;
    for operation in &request.operations {
        let outcome = match store.transaction(|transaction| apply(transaction, caller, operation)) {
            Ok(outcome) => outcome,
            Err(ServerError::Refused(rule)) => Outcome::Rejected {
                code: rule.code(),
                rule,
                message: rule.to_string(),
            },
            Err(other) => return Err(other),
        };
        erased |= matches!(operation.action, Action::EraseClient { .. })
            && matches!(outcome, Outcome::Applied { .. });
        results.push(OperationResult {
            op_id: operation.op_id,
            outcome,
        });
    }
    if erased {
        store.purge_after_erasure()?;
    }
    Ok(PushResponse {
        protocol_version: PROTOCOL_VERSION,
        results,
    })
}

fn apply(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    operation: &Operation,
) -> ServerResult<Outcome> {
    let target = operation.action.target();
    transaction.lock_record(target.kind, &target.id)?;
    let op_id = operation.op_id.to_string();
    if let Some(version) = transaction.applied_operation(&caller.device.id, &op_id)? {
        return Ok(Outcome::AlreadyApplied { version });
    }
    let outcome = match &operation.action {
        Action::Upsert {
            record,
            base_version,
        } => upsert(transaction, caller, record, *base_version)?,
        Action::Delete {
            target,
            base_version,
        } => delete(transaction, caller, target, *base_version)?,
        Action::EraseClient { client_id, reason } => {
            erase_client(transaction, caller, client_id, *reason)?
        }
    };
    if let Outcome::Applied { version } = outcome {
        transaction.remember_operation(&op_id, &caller.device.id, version)?;
    }
    Ok(outcome)
}

fn require(condition: bool, refusal: Refusal) -> ServerResult<()> {
    if condition {
        Ok(())
    } else {
        Err(ServerError::Refused(refusal))
    }
}

fn not_found<T>() -> ServerResult<T> {
    Err(ServerError::Refused(Refusal::NotFound))
}

/// Every client exists on the store and is assigned to the caller; anything
/// else reads as "not found", so a device learns nothing of other clients.
fn require_own_clients(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    client_ids: &[String],
) -> ServerResult<()> {
    for client_id in client_ids {
        let exists = transaction
            .record(RecordKind::Client, client_id)?
            .is_some_and(|client| !client.deleted);
        if !exists || !transaction.is_assigned(client_id, &caller.practitioner.id)? {
            return not_found();
        }
    }
    Ok(())
}

/// The shared note rule ([`kluis_protocol::policy::may_read`]) on the copied
/// access columns of a stored note or addendum.
fn may_read(caller: &Caller, access: &Access) -> bool {
    policy::may_read(
        access.owner_id.as_deref() == Some(caller.practitioner.id.as_str()),
        access.visibility.unwrap_or(Visibility::Private),
        status_of(access),
    )
}

/// A note's status as copied to the store's access columns; a row without
/// one is treated as the less shared draft.
fn status_of(access: &Access) -> NoteStatus {
    access.status.unwrap_or(NoteStatus::Draft)
}

/// Whether the caller's feed shows this record: one of its clients is
/// assigned to them and, for notes and addenda, the note rules let them read
/// it. The same rule as the feed's, so a device is told "not found" for
/// exactly the records it never receives.
fn visible(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    stored: &StoredRecord,
) -> ServerResult<bool> {
    let mut assigned = false;
    for client_id in &stored.access.client_ids {
        if transaction.is_assigned(client_id, &caller.practitioner.id)? {
            assigned = true;
            break;
        }
    }
    Ok(assigned
        && (!matches!(stored.kind, RecordKind::Note | RecordKind::Addendum)
            || may_read(caller, &stored.access)))
}

/// The stored record, when the caller may see it; `None` when there is none.
/// A record the caller may not see is refused as "not found".
fn existing_visible(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    kind: RecordKind,
    id: &str,
) -> ServerResult<Option<StoredRecord>> {
    match transaction.record(kind, id)? {
        None => Ok(None),
        Some(stored) if visible(transaction, caller, &stored)? => Ok(Some(stored)),
        Some(_) => not_found(),
    }
}

/// The practitioner who planned a stored consult.
fn consult_practitioner(stored: &StoredRecord) -> ServerResult<Option<String>> {
    if let Some(owner) = &stored.access.owner_id {
        return Ok(Some(owner.clone()));
    }
    // Consults stored before the store kept their practitioner as owner.
    if stored.body.is_none() {
        return Ok(None);
    }
    match body_of(stored)? {
        Record::Consult(consult) => Ok(Some(consult.practitioner_id)),
        _ => Err(ServerError::Storage(
            "a consult row holds another record".to_owned(),
        )),
    }
}

/// Checks the caller may write this record over `existing`, and returns the
/// record as the store keeps it (with what only the store knows filled in)
/// and who may see it.
/// A restricted client's record is read-only here as on every device (AVG
/// art. 18): no note, addendum or consult of the client is written or
/// deleted.
fn require_unrestricted(
    transaction: &mut dyn Transaction,
    client_ids: &[String],
) -> ServerResult<()> {
    for client_id in client_ids {
        if let Some(stored) = transaction.record(RecordKind::Client, client_id)?
            && !stored.deleted
            && let Record::Client(client) = body_of(&stored)?
        {
            require(!client.restricted, Refusal::ClientRestricted)?;
        }
    }
    Ok(())
}

/// A client's privacy log only grows, and a restricted client's record takes
/// only privacy decisions: its consents, the restriction itself and new
/// entries of the log (the device has the same rule).
fn require_privacy_rules(
    existing: Option<&StoredRecord>,
    client: &kluis_protocol::ClientRecord,
) -> ServerResult<()> {
    let Some(existing) = existing.filter(|stored| !stored.deleted) else {
        return Ok(());
    };
    let Record::Client(stored) = body_of(existing)? else {
        return Err(ServerError::Storage(
            "a client row holds another record".to_owned(),
        ));
    };
    require(
        client.privacy_log.starts_with(&stored.privacy_log),
        Refusal::PrivacyLogIsAppendOnly,
    )?;
    if stored.restricted {
        let privacy_decisions_only = kluis_protocol::ClientRecord {
            restricted: client.restricted,
            health_data_consent_date: client.health_data_consent_date.clone(),
            health_data_consent_withdrawn: client.health_data_consent_withdrawn.clone(),
            employer_reporting_opt_in: client.employer_reporting_opt_in,
            employer_reporting_date: client.employer_reporting_date.clone(),
            privacy_log: client.privacy_log.clone(),
            ..stored
        };
        require(*client == privacy_decisions_only, Refusal::ClientRestricted)?;
    }
    Ok(())
}

fn authorize_upsert(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    record: &Record,
    existing: Option<&StoredRecord>,
) -> ServerResult<(Record, Access)> {
    let me = caller.practitioner.id.as_str();
    match record {
        Record::Client(client) => {
            require(
                caller.practitioner.role == Role::Psychologist,
                Refusal::ClientsArePsychologistsWork,
            )?;
            require_privacy_rules(existing, client)?;
            if existing.is_none() {
                // A client created on a device is on its practitioner's team.
                transaction.assign(&client.id, me)?;
            }
            Ok((
                record.clone(),
                Access {
                    client_ids: vec![client.id.clone()],
                    owner_id: None,
                    visibility: None,
                    status: None,
                },
            ))
        }
        Record::Consult(consult) => {
            authorize_consult(transaction, caller, consult, existing)?;
            require_unrestricted(transaction, &consult.client_ids)?;
            Ok((
                record.clone(),
                Access {
                    client_ids: consult.client_ids.clone(),
                    owner_id: Some(consult.practitioner_id.clone()),
                    visibility: None,
                    status: None,
                },
            ))
        }
        Record::Note(note) => {
            let stored = authorize_note(transaction, caller, note, existing)?;
            require_unrestricted(transaction, std::slice::from_ref(&note.client_id))?;
            let access = Access {
                client_ids: vec![note.client_id.clone()],
                owner_id: Some(note.author_id.clone()),
                visibility: Some(note.visibility),
                status: Some(note.status),
            };
            Ok((Record::Note(stored), access))
        }
        Record::Addendum(addendum) => {
            // An addendum is seen by whoever sees its (signed) note.
            let (stored, note_access) = authorize_addendum(transaction, caller, addendum)?;
            require_unrestricted(transaction, &note_access.client_ids)?;
            Ok((Record::Addendum(stored), note_access))
        }
    }
}

fn authorize_consult(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    consult: &ConsultRecord,
    existing: Option<&StoredRecord>,
) -> ServerResult<()> {
    require_consult_planner(caller, existing)?;
    require(
        consult.practitioner_id == caller.practitioner.id,
        Refusal::NotTheConsultsPractitioner,
    )?;
    require_own_clients(transaction, caller, &consult.client_ids)
}

/// The rule for changing and deleting a consult alike: a psychologist, and
/// for a consult the store holds, the one who planned it.
fn require_consult_planner(caller: &Caller, stored: Option<&StoredRecord>) -> ServerResult<()> {
    require(
        caller.practitioner.role == Role::Psychologist,
        Refusal::ConsultsArePsychologistsWork,
    )?;
    if let Some(stored) = stored {
        require(
            consult_practitioner(stored)?.as_deref() == Some(caller.practitioner.id.as_str()),
            Refusal::NotTheConsultsPractitioner,
        )?;
    }
    Ok(())
}

/// The rule for changing and deleting a stored note alike: its author, and
/// only while it is a draft.
fn require_own_draft(caller: &Caller, stored: &StoredRecord) -> ServerResult<()> {
    require(
        stored.access.owner_id.as_deref() == Some(caller.practitioner.id.as_str()),
        Refusal::NotTheNotesAuthor,
    )?;
    require(
        status_of(&stored.access) == NoteStatus::Draft,
        Refusal::SignedNoteIsImmutable,
    )
}

fn authorize_note(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    note: &NoteRecord,
    existing: Option<&StoredRecord>,
) -> ServerResult<NoteRecord> {
    let me = caller.practitioner.id.as_str();
    let role = caller.practitioner.role;
    if let Some(existing) = existing {
        require_own_draft(caller, existing)?;
    }
    require(note.author_id == me, Refusal::NotTheNotesAuthor)?;
    require(note.author_role == role, Refusal::NotTheAuthorsRole)?;
    require(
        policy::may_write(role, note.template),
        Refusal::TemplateNotForRole,
    )?;
    require_own_clients(transaction, caller, std::slice::from_ref(&note.client_id))?;
    if let Some(consult_id) = &note.consult_id {
        let consult = match transaction.record(RecordKind::Consult, consult_id)? {
            Some(consult) if !consult.deleted => consult,
            _ => return not_found(),
        };
        if !consult.access.client_ids.contains(&note.client_id) {
            return if visible(transaction, caller, &consult)? {
                Err(ServerError::Refused(Refusal::ConsultOfAnotherClient))
            } else {
                not_found()
            };
        }
    }
    let mut stored = note.clone();
    // What only the store knows: who the certificate belongs to, and when.
    stored
        .author_name
        .clone_from(&caller.practitioner.display_name);
    stored.created_at = match existing.map(body_of).transpose()? {
        Some(Record::Note(previous)) => previous.created_at,
        _ => now(),
    };
    if note.status == NoteStatus::Signed {
        require(
            note.sections
                .iter()
                .any(|section| !section.text.trim().is_empty()),
            Refusal::EmptyNoteSigned,
        )?;
        let content = note.signed_content();
        let hash = content.hash();
        let sent = note.content_hash.as_deref().unwrap_or_default();
        // The first encoding is worked out only for a note that may carry it.
        let matches = sent == hash
            || sent
                == content.legacy_hash(
                    note.signed_at.as_deref().unwrap_or_default(),
                    note.signed_by.as_deref().unwrap_or_default(),
                );
        require(matches, Refusal::ContentHashMismatch)?;
        stored.content_hash = Some(hash);
        stored.signed_at = Some(now());
        stored.signed_by = Some(caller.practitioner.display_name.clone());
    }
    Ok(stored)
}

/// An addendum may be added to a signed note the caller may read and amend;
/// returns the addendum as stored and the note's access columns.
fn authorize_addendum(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    addendum: &AddendumRecord,
) -> ServerResult<(AddendumRecord, Access)> {
    let me = caller.practitioner.id.as_str();
    require(addendum.author_id == me, Refusal::NotTheAddendumsAuthor)?;
    let note = match existing_visible(transaction, caller, RecordKind::Note, &addendum.note_id)? {
        Some(note) if !note.deleted => note,
        _ => return not_found(),
    };
    require(
        status_of(&note.access) == NoteStatus::Signed,
        Refusal::AddendumNeedsSignedNote,
    )?;
    let Record::Note(note_record) = body_of(&note)? else {
        return Err(ServerError::Storage(
            "a note row holds another record".to_owned(),
        ));
    };
    require(
        policy::may_amend(
            note_record.author_id == me,
            caller.practitioner.role,
            note_record.template,
            note_record.visibility,
            note_record.status,
        ),
        Refusal::MayNotAmend,
    )?;
    let mut stored = addendum.clone();
    stored
        .author_name
        .clone_from(&caller.practitioner.display_name);
    stored.created_at = now();
    Ok((stored, note.access))
}

fn upsert(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    record: &Record,
    base_version: Option<u64>,
) -> ServerResult<Outcome> {
    let reference = record.reference();
    let kind = reference.kind;
    let existing = existing_visible(transaction, caller, reference.kind, &reference.id)?;
    if existing.is_some() && reference.kind == RecordKind::Addendum {
        return Err(ServerError::Refused(Refusal::AddendumIsImmutable));
    }
    // A client's tombstone is its erasure: nothing brings the client back,
    // not even once the tombstone itself is gone (see `horizon`).
    if reference.kind == RecordKind::Client
        && (existing.as_ref().is_some_and(|current| current.deleted)
            || (existing.is_none() && transaction.was_erased(&reference.id)?))
    {
        return Err(ServerError::Refused(Refusal::ClientErased));
    }
    // An edit of an older version is a conflict before anything else: the
    // device merges with the current record (a client's privacy log by
    // union) and sends again, and the rules judge that.
    if let Some(current) = &existing
        && (base_version != Some(current.version) || current.deleted)
    {
        return Ok(Outcome::Conflict {
            current_version: current.version,
        });
    }
    let (stored, access) = authorize_upsert(transaction, caller, record, existing.as_ref())?;
    let version = match &existing {
        None => {
            if base_version.is_some() {
                return not_found();
            }
            1
        }
        Some(current) => current.version + 1,
    };
    let body = serde_json::to_string(&stored)
        .map_err(|error| ServerError::Storage(format!("serialising a record: {error}")))?;
    transaction.write_record(kind, &reference.id, version, &access, Some(&body))?;
    Ok(Outcome::Applied { version })
}

/// Erases a client (AVG art. 17): every record of the client becomes a
/// tombstone without content at the end of the feed, a group consult loses
/// the client and stays, and the erasure is noted with the devices that are
/// to apply it. Only a psychologist on the client's care team erases; an
/// erasure wins over any edit, so it takes no base version. Erasing again
/// changes nothing.
fn erase_client(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    client_id: &str,
    reason: ErasureReason,
) -> ServerResult<Outcome> {
    let Some(client) = existing_visible(transaction, caller, RecordKind::Client, client_id)? else {
        return not_found();
    };
    require(
        caller.practitioner.role == Role::Psychologist,
        Refusal::ErasureIsPsychologistsWork,
    )?;
    if client.deleted {
        return Ok(Outcome::Applied {
            version: client.version,
        });
    }
    let version = erase_records(
        transaction,
        client_id,
        &client,
        Some((&caller.practitioner.id, &caller.device.id)),
        reason,
    )?;
    Ok(Outcome::Applied { version })
}

/// Replaces every record of a client with a tombstone without content (a
/// group consult only loses the client) and records the erasure: who made
/// it (`None`: the store itself), why, and the devices that are to apply
/// it. Returns the client tombstone's version. For a device's erasure and
/// the retention job alike.
pub(crate) fn erase_records(
    transaction: &mut dyn Transaction,
    client_id: &str,
    client: &StoredRecord,
    maker: Option<(&str, &str)>,
    reason: ErasureReason,
) -> ServerResult<u64> {
    for (kind, id) in transaction.record_keys_of_client(client_id)? {
        if kind == RecordKind::Client {
            continue;
        }
        transaction.lock_record(kind, &id)?;
        let Some(stored) = transaction.record(kind, &id)? else {
            continue;
        };
        if stored.deleted {
            continue;
        }
        let others: Vec<String> = stored
            .access
            .client_ids
            .iter()
            .filter(|other| *other != client_id)
            .cloned()
            .collect();
        if kind == RecordKind::Consult && !others.is_empty() {
            let Record::Consult(mut consult) = body_of(&stored)? else {
                return Err(ServerError::Storage(
                    "a consult row holds another record".to_owned(),
                ));
            };
            consult.client_ids.retain(|other| other != client_id);
            let body = serde_json::to_string(&Record::Consult(consult))
                .map_err(|error| ServerError::Storage(format!("serialising a record: {error}")))?;
            let access = Access {
                client_ids: others,
                ..stored.access.clone()
            };
            transaction.write_record(kind, &id, stored.version + 1, &access, Some(&body))?;
        } else {
            transaction.write_record(kind, &id, stored.version + 1, &stored.access, None)?;
        }
    }
    let version = client.version + 1;
    let seq =
        transaction.write_record(RecordKind::Client, client_id, version, &client.access, None)?;
    transaction.add_erasure(client_id, &now(), maker, reason, seq)?;
    Ok(version)
}

/// Deletes follow the rules of writes: only the consult's practitioner
/// deletes a consult, only the author a draft; signed notes, addenda and
/// clients are never deleted here (a client is erased through a privacy
/// request).
fn delete(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    target: &RecordRef,
    base_version: u64,
) -> ServerResult<Outcome> {
    let Some(current) = existing_visible(transaction, caller, target.kind, &target.id)? else {
        return not_found();
    };
    match target.kind {
        RecordKind::Note => {
            require_own_draft(caller, &current)?;
            require_unrestricted(transaction, &current.access.client_ids)?;
        }
        RecordKind::Consult => {
            require_consult_planner(caller, Some(&current))?;
            require_unrestricted(transaction, &current.access.client_ids)?;
        }
        RecordKind::Client => {
            return Err(ServerError::Refused(Refusal::ClientsAreErasedNotDeleted));
        }
        RecordKind::Addendum => return Err(ServerError::Refused(Refusal::AddendumIsImmutable)),
    }
    if current.deleted {
        return Ok(Outcome::Applied {
            version: current.version,
        });
    }
    if current.version != base_version {
        return Ok(Outcome::Conflict {
            current_version: current.version,
        });
    }
    let version = current.version + 1;
    transaction.write_record(target.kind, &target.id, version, &current.access, None)?;
    Ok(Outcome::Applied { version })
}
