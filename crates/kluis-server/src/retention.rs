//! The retention rule (SPEC §6; the privacy statement, section 8):
//! wellbeing data are erased a number of years after care ends, three by
//! default. The store applies it: a client whose care ended at least that
//! many years before the day judged by is erased through the same path as a
//! practitioner's erasure (content-free tombstones, every device applies
//! them and acknowledges), recorded with the reason `retention` and no
//! practitioner or device.
//!
//! A client without a care end is in care and never due. A restricted
//! client is kept and listed as such: restriction (AVG art. 18) is what a
//! client asks for when they need the record kept, for a claim say, so the
//! rule waits until the restriction is lifted. The day judged by is passed
//! in, so a dry run can answer "what would go on day X" and tests control
//! the clock. The period is the provider's choice (see `docs/privacy.md`:
//! treatment records under the WGBO keep 20 years).

use chrono::{Months, NaiveDate};
use kluis_protocol::{ErasureReason, Record, RecordKind};

use crate::error::{ServerError, ServerResult};
use crate::store::Store;
use crate::sync::erase_records;

/// Years after the end of care that the statement promises.
pub const DEFAULT_YEARS: u32 = 3;

/// What the rule says about one client whose care has ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub client_id: String,
    /// The pseudonymous code, never the name: the privacy officer's list
    /// names no one.
    pub client_code: String,
    pub care_end: NaiveDate,
    /// The first day the client is due.
    pub due_on: NaiveDate,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Due: erased by a run (or, in a dry run, would be).
    Due,
    /// Due, but the record is restricted: kept until the restriction is lifted.
    KeptRestricted,
    /// Not due yet.
    NotYet,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Due => "due",
            Outcome::KeptRestricted => "kept: restricted",
            Outcome::NotYet => "not yet",
        }
    }
}

/// The day the client's care ended, if it has.
fn care_end_of(client: &kluis_protocol::ClientRecord) -> Option<NaiveDate> {
    client
        .care_end
        .as_deref()
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
}

/// Every client whose care has ended, judged on `today` with a period of
/// `years`, oldest care end first. Reads only.
pub fn review<S: Store>(store: &S, today: NaiveDate, years: u32) -> ServerResult<Vec<Verdict>> {
    if years == 0 {
        return Err(ServerError::Invalid(
            "a retention period of 0 years would erase clients the day their care ends".to_owned(),
        ));
    }
    let mut verdicts = Vec::new();
    for record in store.live_records(RecordKind::Client)? {
        let Record::Client(client) = record else {
            continue;
        };
        let Some(care_end) = care_end_of(&client) else {
            continue;
        };
        let Some(due_on) = care_end.checked_add_months(Months::new(years * 12)) else {
            continue;
        };
        let outcome = if due_on > today {
            Outcome::NotYet
        } else if client.restricted {
            Outcome::KeptRestricted
        } else {
            Outcome::Due
        };
        verdicts.push(Verdict {
            client_id: client.id,
            client_code: client.client_code,
            care_end,
            due_on,
            outcome,
        });
    }
    verdicts.sort_by(|a, b| (a.care_end, &a.client_code).cmp(&(b.care_end, &b.client_code)));
    Ok(verdicts)
}

/// Applies the rule: erases every due client, each in its own transaction
/// (a client changed meanwhile is judged again inside it), then clears the
/// freed pages. Returns the verdicts, with what was erased marked `Due`.
pub fn apply<S: Store>(store: &S, today: NaiveDate, years: u32) -> ServerResult<Vec<Verdict>> {
    let mut verdicts = review(store, today, years)?;
    let mut erased_any = false;
    for verdict in verdicts
        .iter_mut()
        .filter(|verdict| verdict.outcome == Outcome::Due)
    {
        let outcome = store.transaction(|transaction| {
            transaction.lock_record(RecordKind::Client, &verdict.client_id)?;
            let Some(current) = transaction.record(RecordKind::Client, &verdict.client_id)? else {
                return Ok(Outcome::NotYet);
            };
            if current.deleted {
                return Ok(Outcome::NotYet);
            }
            // Judged again on the record as it is inside the transaction: a
            // device may have restricted it or reopened care since.
            match current.body.as_deref().map(serde_json::from_str::<Record>) {
                Some(Ok(Record::Client(client))) if client.restricted => {
                    return Ok(Outcome::KeptRestricted);
                }
                Some(Ok(Record::Client(client)))
                    if care_end_of(&client) == Some(verdict.care_end) => {}
                _ => return Ok(Outcome::NotYet),
            }
            erase_records(
                transaction,
                &verdict.client_id,
                &current,
                None,
                ErasureReason::Retention,
            )?;
            Ok(Outcome::Due)
        })?;
        // What happened, not what was planned: a client restricted or
        // reopened meanwhile is reported as kept.
        erased_any |= outcome == Outcome::Due;
        verdict.outcome = outcome;
    }
    if erased_any {
        store.purge_after_erasure()?;
    }
    Ok(verdicts)
}
