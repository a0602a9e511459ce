//! Pull and push (SPEC §5), the same for every back end: who may write which
//! record, replayed operations, base versions, tombstones.
//!
//! Every operation is its own transaction: one refused operation does not undo
//! the others, and each gets its own result.

use kluis_protocol::policy;
use kluis_protocol::records::{NoteStatus, Role as WireRole, Visibility};
use kluis_protocol::{
    Action, Change, ChangePayload, ErrorCode, Operation, OperationResult, Outcome,
    PROTOCOL_VERSION, PullRequest, PullResponse, PushRequest, PushResponse, Record, RecordKind,
    RecordRef,
};

use crate::error::{ServerError, ServerResult};
use crate::store::{Access, Caller, Role, Store, StoredRecord, Transaction};

fn kind_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Client => "client",
        RecordKind::Consult => "consult",
        RecordKind::Note => "note",
        RecordKind::Addendum => "addendum",
    }
}

fn parse_kind(kind: &str) -> ServerResult<RecordKind> {
    match kind {
        "client" => Ok(RecordKind::Client),
        "consult" => Ok(RecordKind::Consult),
        "note" => Ok(RecordKind::Note),
        "addendum" => Ok(RecordKind::Addendum),
        _ => Err(ServerError::Storage(
            "unknown record kind in store".to_owned(),
        )),
    }
}

fn wire_name<T: serde::Serialize>(value: &T) -> ServerResult<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        _ => Err(ServerError::Storage("not a text enumeration".to_owned())),
    }
}

/// The changes after the device's cursor that its practitioner may see.
pub fn pull<S: Store>(
    store: &S,
    caller: &Caller,
    request: &PullRequest,
) -> ServerResult<PullResponse> {
    request.validate()?;
    let page = store.feed(&caller.practitioner.id, request.cursor, request.limit)?;
    let cursor = page.records.last().map_or(request.cursor, |row| row.seq);
    let changes = page
        .records
        .into_iter()
        .map(change_from_row)
        .collect::<ServerResult<Vec<_>>>()?;
    Ok(PullResponse {
        protocol_version: PROTOCOL_VERSION,
        changes,
        cursor,
        more: page.remaining > 0,
        remaining: page.remaining,
    })
}

fn change_from_row(row: StoredRecord) -> ServerResult<Change> {
    let payload = match (&row.body, row.deleted) {
        (Some(body), false) => ChangePayload::Record {
            record: Box::new(
                serde_json::from_str(body)
                    .map_err(|_| ServerError::Storage("unreadable record in store".to_owned()))?,
            ),
        },
        _ => ChangePayload::Tombstone {
            target: RecordRef {
                kind: parse_kind(&row.kind)?,
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

/// Applies a device's operations, each on its own.
pub fn push<S: Store>(
    store: &S,
    caller: &Caller,
    request: &PushRequest,
) -> ServerResult<PushResponse> {
    request.validate()?;
    let mut results = Vec::with_capacity(request.operations.len());
    for operation in &request.operations {
        let outcome = match store.transaction(|transaction| apply(transaction, caller, operation)) {
            Ok(outcome) => outcome,
            Err(ServerError::Forbidden(reason)) => Outcome::Rejected {
                code: ErrorCode::Forbidden,
                message: reason.to_owned(),
            },
            Err(ServerError::Invalid(reason)) => Outcome::Rejected {
                code: ErrorCode::Invalid,
                message: reason,
            },
            Err(ServerError::NotFound(what)) => Outcome::Rejected {
                code: ErrorCode::NotFound,
                message: format!("{what} not found"),
            },
            Err(other) => return Err(other),
        };
        results.push(OperationResult {
            op_id: operation.op_id,
            outcome,
        });
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
    let op_id = operation.op_id.to_string();
    if let Some(version) = transaction.applied_operation(&op_id)? {
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
    };
    if let Outcome::Applied { version } = outcome {
        transaction.remember_operation(&op_id, &caller.device.id, version)?;
    }
    Ok(outcome)
}

fn require(condition: bool, reason: &'static str) -> ServerResult<()> {
    if condition {
        Ok(())
    } else {
        Err(ServerError::Forbidden(reason))
    }
}

fn require_assigned(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    client_ids: &[String],
) -> ServerResult<()> {
    for client_id in client_ids {
        if !transaction.is_assigned(client_id, &caller.practitioner.id)? {
            return Err(ServerError::NotFound("client"));
        }
    }
    Ok(())
}

fn wire_role(role: Role) -> WireRole {
    match role {
        Role::Psychologist => WireRole::Psychologist,
        Role::LifestyleExpert => WireRole::LifestyleExpert,
    }
}

/// The shared note rule ([`kluis_protocol::policy::may_read`]) on the copied
/// access columns of a stored note.
fn may_read(caller: &Caller, access: &Access) -> bool {
    let visibility = match access.visibility.as_deref() {
        Some("care_team") => Visibility::CareTeam,
        _ => Visibility::Private,
    };
    let status = match access.status.as_deref() {
        Some("signed") => NoteStatus::Signed,
        _ => NoteStatus::Draft,
    };
    policy::may_read(
        access.owner_id.as_deref() == Some(caller.practitioner.id.as_str()),
        visibility,
        status,
    )
}

/// Checks the caller may write this record and works out who may see it.
fn authorize_upsert(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    record: &Record,
    existing: Option<&StoredRecord>,
) -> ServerResult<Access> {
    let me = caller.practitioner.id.as_str();
    match record {
        Record::Client(client) => {
            require(
                caller.practitioner.role == Role::Psychologist,
                "only psychologists create and edit client records",
            )?;
            let client_ids = vec![client.id.clone()];
            if existing.is_some() {
                require_assigned(transaction, caller, &client_ids)?;
            } else {
                // A client created on a device is on its practitioner's team.
                transaction.assign(&client.id, me)?;
            }
            Ok(Access {
                client_ids,
                owner_id: None,
                visibility: None,
                status: None,
            })
        }
        Record::Consult(consult) => {
            require(
                caller.practitioner.role == Role::Psychologist,
                "only psychologists plan consults",
            )?;
            require(
                consult.practitioner_id == me,
                "a consult is planned by its own practitioner",
            )?;
            require_assigned(transaction, caller, &consult.client_ids)?;
            Ok(Access {
                client_ids: consult.client_ids.clone(),
                owner_id: None,
                visibility: None,
                status: None,
            })
        }
        Record::Note(note) => {
            require(note.author_id == me, "a note is written by its author")?;
            let role = wire_role(caller.practitioner.role);
            require(note.author_role == role, "the author's role is not theirs")?;
            require(
                policy::may_write(role, note.template),
                "lifestyle experts write lifestyle check-ins and free notes only",
            )?;
            let client_ids = vec![note.client_id.clone()];
            require_assigned(transaction, caller, &client_ids)?;
            Ok(Access {
                client_ids,
                owner_id: Some(note.author_id.clone()),
                visibility: Some(wire_name(&note.visibility)?),
                status: Some(wire_name(&note.status)?),
            })
        }
        Record::Addendum(addendum) => {
            require(
                addendum.author_id == me,
                "an addendum is written by its author",
            )?;
            let note = transaction
                .record("note", &addendum.note_id)?
                .filter(|note| !note.deleted)
                .ok_or(ServerError::NotFound("note"))?;
            require_assigned(transaction, caller, &note.access.client_ids)?;
            require(
                may_read(caller, &note.access),
                "the note is not yours to read",
            )?;
            require(
                note.access.status.as_deref() == Some("signed"),
                "only a signed note takes addenda",
            )?;
            let body: Record = serde_json::from_str(note.body.as_deref().unwrap_or("null"))
                .map_err(|_| ServerError::Storage("unreadable note in store".to_owned()))?;
            let Record::Note(note_record) = body else {
                return Err(ServerError::Storage(
                    "a note row holds another record".to_owned(),
                ));
            };
            require(
                policy::may_amend(
                    note_record.author_id == me,
                    wire_role(caller.practitioner.role),
                    note_record.template,
                    note_record.visibility,
                    note_record.status,
                ),
                "your role may not amend this note",
            )?;
            Ok(Access {
                client_ids: note.access.client_ids.clone(),
                owner_id: note.access.owner_id.clone(),
                visibility: note.access.visibility.clone(),
                status: Some("signed".to_owned()),
            })
        }
    }
}

fn upsert(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    record: &Record,
    base_version: Option<u64>,
) -> ServerResult<Outcome> {
    let reference = record.reference();
    let kind = kind_name(reference.kind);
    let existing = transaction.record(kind, &reference.id)?;
    let access = authorize_upsert(transaction, caller, record, existing.as_ref())?;
    let version = match &existing {
        None => {
            if base_version.is_some() {
                return Err(ServerError::NotFound("record"));
            }
            1
        }
        Some(current) => {
            if current.kind == "addendum" {
                return Err(ServerError::Forbidden("an addendum is never changed"));
            }
            if current.access.status.as_deref() == Some("signed") && current.kind == "note" {
                return Err(ServerError::Forbidden("a signed note is immutable"));
            }
            if current.kind == "note"
                && current.access.owner_id.as_deref() != Some(caller.practitioner.id.as_str())
            {
                return Err(ServerError::Forbidden("a note is written by its author"));
            }
            if base_version != Some(current.version) || current.deleted {
                return Ok(Outcome::Conflict {
                    current_version: current.version,
                });
            }
            current.version + 1
        }
    };
    if let Record::Note(note) = record
        && note.status == NoteStatus::Signed
        && note
            .sections
            .iter()
            .all(|section| section.text.trim().is_empty())
    {
        return Err(ServerError::Invalid(
            "an empty note cannot be signed".to_owned(),
        ));
    }
    let body = serde_json::to_string(record)
        .map_err(|error| ServerError::Storage(format!("serialising a record: {error}")))?;
    transaction.write_record(kind, &reference.id, version, &access, Some(&body))?;
    Ok(Outcome::Applied { version })
}

fn delete(
    transaction: &mut dyn Transaction,
    caller: &Caller,
    target: &RecordRef,
    base_version: u64,
) -> ServerResult<Outcome> {
    let kind = kind_name(target.kind);
    let current = transaction
        .record(kind, &target.id)?
        .ok_or(ServerError::NotFound("record"))?;
    require_assigned(transaction, caller, &current.access.client_ids)?;
    match target.kind {
        RecordKind::Note => {
            require(
                current.access.owner_id.as_deref() == Some(caller.practitioner.id.as_str()),
                "only the author deletes a draft",
            )?;
            require(
                current.access.status.as_deref() == Some("draft"),
                "a signed note is never deleted",
            )?;
        }
        RecordKind::Consult => require(
            caller.practitioner.role == Role::Psychologist,
            "only psychologists plan consults",
        )?,
        RecordKind::Client | RecordKind::Addendum => {
            return Err(ServerError::Forbidden(
                "clients are erased through a privacy request, addenda never",
            ));
        }
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
    transaction.write_record(kind, &target.id, version, &current.access, None)?;
    Ok(Outcome::Applied { version })
}
