//! Consults and the agenda (SPEC §3, §8): plan (once or recurring), move,
//! cancel, mark completed or no-show; a day and a Monday-first week in
//! Europe/Amsterdam time; and an iCalendar export that carries client codes,
//! never names or note text.
//!
//! Times are stored as UTC instants. A recurring series is planned in local
//! time: a weekly 10:00 consult stays at 10:00 across a daylight-saving change,
//! so its UTC instant moves by an hour.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use icalendar::{Calendar, Component, EventLike, EventStatus};
use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use crate::audit::{AuditAction, RecordPart};
use crate::error::{CoreError, CoreResult};
use crate::record::practitioner::Role;
use crate::record::scope::{Scope, Target, now_utc};
use crate::sync::outbox::{self, RecordKind, SyncAction};
use crate::vault::db;

/// The consult enumerations are the protocol's: one vocabulary for the
/// vault, the wire and the store.
pub use kluis_protocol::records::{ConsultKind, ConsultStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RecurrenceFrequency {
    Weekly,
    Biweekly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Recurrence {
    pub frequency: RecurrenceFrequency,
    /// How many consults in all, the first included (2 to 52).
    pub count: u16,
}

/// A consult as planned: local date and time in Europe/Amsterdam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConsultInput {
    pub client_ids: Vec<String>,
    pub kind: ConsultKind,
    /// `YYYY-MM-DD`, local.
    pub date: String,
    /// `HH:MM`, 24-hour, local.
    pub time: String,
    pub duration_minutes: u16,
    pub link: Option<String>,
    pub recurrence: Option<Recurrence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ConsultClient {
    pub id: String,
    pub client_code: String,
    pub display_name: String,
    /// The client's record is restricted (read-only), shown with the consult.
    pub restricted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Consult {
    pub id: String,
    pub clients: Vec<ConsultClient>,
    pub practitioner_id: String,
    pub kind: ConsultKind,
    /// UTC instant (RFC 3339).
    pub starts_at: String,
    /// Local date and times in Europe/Amsterdam, for display.
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    pub duration_minutes: u16,
    pub status: ConsultStatus,
    pub series_id: Option<String>,
    pub link: Option<String>,
    pub version: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AgendaDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub consults: Vec<Consult>,
}

/// Seven days, Monday first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AgendaWeek {
    pub iso_week: u32,
    pub days: Vec<AgendaDay>,
}

/// Today's date on the practice's clock.
pub fn today_in_amsterdam() -> NaiveDate {
    Utc::now().with_timezone(&Amsterdam).date_naive()
}

fn parse_date(text: &str) -> CoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| CoreError::Validation {
        field: "date",
        reason: "must be a date (YYYY-MM-DD)",
    })
}

fn parse_time(text: &str) -> CoreResult<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| CoreError::Validation {
        field: "time",
        reason: "must be a time (HH:MM, 24-hour)",
    })
}

/// The UTC instant of a local Amsterdam time. In the autumn hour that occurs
/// twice, the first (summer-time) one; a time skipped in spring is an error.
fn local_to_utc(local: NaiveDateTime) -> CoreResult<DateTime<Utc>> {
    Amsterdam
        .from_local_datetime(&local)
        .earliest()
        .map(|time| time.with_timezone(&Utc))
        .ok_or(CoreError::Validation {
            field: "time",
            reason: "does not exist on that day (clocks move forward)",
        })
}

fn local_date_bounds(date: NaiveDate) -> CoreResult<(DateTime<Utc>, DateTime<Utc>)> {
    let start = local_to_utc(date.and_time(NaiveTime::MIN))?;
    let next = date.succ_opt().ok_or(CoreError::Validation {
        field: "date",
        reason: "is out of range",
    })?;
    Ok((start, local_to_utc(next.and_time(NaiveTime::MIN))?))
}

/// The start instants of a consult and its recurrences: the same local time on
/// every occurrence's date.
pub fn expand_occurrences(
    date: &str,
    time: &str,
    recurrence: Option<Recurrence>,
) -> CoreResult<Vec<DateTime<Utc>>> {
    let first = parse_date(date)?.and_time(parse_time(time)?);
    let (count, step_days) = match recurrence {
        None => (1, 0),
        Some(Recurrence { count, frequency }) => {
            if !(2..=52).contains(&count) {
                return Err(CoreError::Validation {
                    field: "recurrence",
                    reason: "must be 2 to 52 consults",
                });
            }
            let step = match frequency {
                RecurrenceFrequency::Weekly => 7,
                RecurrenceFrequency::Biweekly => 14,
            };
            (count, step)
        }
    };
    (0..i64::from(count))
        .map(|index| local_to_utc(first + Duration::days(index * step_days)))
        .collect()
}

fn to_rfc3339(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn from_rfc3339(text: &str) -> CoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|_| CoreError::Storage("unreadable consult time".to_owned()))
}

const CONSULT_COLUMNS: &str =
    "id, practitioner_id, kind, starts_at, duration_minutes, status, series_id, link, version";

struct ConsultRow {
    id: String,
    practitioner_id: String,
    kind: ConsultKind,
    starts_at: String,
    duration_minutes: u16,
    status: ConsultStatus,
    series_id: Option<String>,
    link: Option<String>,
    version: u32,
}

fn consult_row(row: &Row<'_>) -> rusqlite::Result<ConsultRow> {
    Ok(ConsultRow {
        id: row.get(0)?,
        practitioner_id: row.get(1)?,
        kind: row.get(2)?,
        starts_at: row.get(3)?,
        duration_minutes: row.get(4)?,
        status: row.get(5)?,
        series_id: row.get(6)?,
        link: row.get(7)?,
        version: row.get(8)?,
    })
}

#[derive(Debug, Clone, Copy)]
pub struct ConsultRepository<'a> {
    scope: Scope<'a>,
}

impl<'a> ConsultRepository<'a> {
    pub fn new(scope: Scope<'a>) -> Self {
        Self { scope }
    }

    fn complete(&self, row: ConsultRow) -> CoreResult<Consult> {
        let mut statement = self.scope.connection.prepare_cached(
            "SELECT c.id, c.client_code, c.first_name, c.last_name, c.restricted \
             FROM consult_client cc JOIN client c ON c.id = cc.client_id \
             WHERE cc.consult_id = ?1 ORDER BY c.client_code",
        )?;
        let clients = statement
            .query_map([&row.id], |r| {
                let first: String = r.get(2)?;
                let last: Option<String> = r.get(3)?;
                Ok(ConsultClient {
                    id: r.get(0)?,
                    client_code: r.get(1)?,
                    display_name: match last {
                        Some(last) => format!("{first} {last}"),
                        None => first,
                    },
                    restricted: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let start = from_rfc3339(&row.starts_at)?.with_timezone(&Amsterdam);
        let end = start + Duration::minutes(i64::from(row.duration_minutes));
        Ok(Consult {
            id: row.id,
            clients,
            practitioner_id: row.practitioner_id,
            kind: row.kind,
            date: start.format("%Y-%m-%d").to_string(),
            start_time: start.format("%H:%M").to_string(),
            end_time: end.format("%H:%M").to_string(),
            starts_at: row.starts_at,
            duration_minutes: row.duration_minutes,
            status: row.status,
            series_id: row.series_id,
            link: row.link,
            version: row.version,
        })
    }

    fn load(&self, id: &str) -> CoreResult<Consult> {
        let row = self
            .scope
            .connection
            .prepare_cached(&format!(
                "SELECT {CONSULT_COLUMNS} FROM consult WHERE id = ?1"
            ))?
            .query_row([id], consult_row)
            .optional()?
            .ok_or(CoreError::NotFound("consult"))?;
        self.complete(row)
    }

    /// A consult the practitioner may see: their own, or one with a client
    /// assigned to them.
    fn load_visible(&self, id: &str) -> CoreResult<Consult> {
        let consult = self.load(id)?;
        if consult.practitioner_id == self.scope.practitioner.id {
            return Ok(consult);
        }
        for client in &consult.clients {
            if self.scope.is_assigned(&client.id)? {
                return Ok(consult);
            }
        }
        Err(CoreError::NotFound("consult"))
    }

    pub fn get(&self, id: &str) -> CoreResult<Consult> {
        let consult = self.load_visible(id)?;
        self.log_for_each_client(&consult, AuditAction::Read, RecordPart::Consult)?;
        Ok(consult)
    }

    fn require_planner(&self, action: AuditAction, client_id: Option<&str>) -> CoreResult<()> {
        let mut target = Target::new(RecordPart::Consult);
        if let Some(id) = client_id {
            target = target.client(id);
        }
        self.scope.authorize(
            self.scope.practitioner.role == Role::Psychologist,
            action,
            target,
            "only psychologists plan consults",
        )
    }

    /// Plans a consult, or a series of them, for clients assigned to the
    /// practitioner. Returns every planned occurrence.
    pub fn plan(&self, input: ConsultInput) -> CoreResult<Vec<Consult>> {
        let scope = self.scope;
        self.require_planner(
            AuditAction::Create,
            input.client_ids.first().map(String::as_str),
        )?;
        let expected_clients = if input.kind == ConsultKind::GroupSession {
            2..=20
        } else {
            1..=1
        };
        if !expected_clients.contains(&input.client_ids.len()) {
            return Err(CoreError::Validation {
                field: "clientIds",
                reason: "one client, or 2 to 20 for a group session",
            });
        }
        for client_id in &input.client_ids {
            scope.require_unrestricted(client_id, AuditAction::Create, RecordPart::Consult)?;
        }
        validate_duration(input.duration_minutes)?;
        let link = validate_link(input.link)?;
        for client_id in &input.client_ids {
            scope.require_assigned(client_id, AuditAction::Create, RecordPart::Consult)?;
        }
        let starts = expand_occurrences(&input.date, &input.time, input.recurrence)?;
        let series_id = (starts.len() > 1).then(|| uuid::Uuid::new_v4().to_string());
        let now = now_utc();
        let ids = db::atomically(scope.connection, || {
            let mut ids = Vec::with_capacity(starts.len());
            for start in &starts {
                let id = uuid::Uuid::new_v4().to_string();
                scope.connection.execute(
                    &format!(
                        "INSERT INTO consult ({CONSULT_COLUMNS}, created_at, updated_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, 'planned', ?6, ?7, 1, ?8, ?8)"
                    ),
                    params![
                        id,
                        scope.practitioner.id,
                        input.kind,
                        to_rfc3339(*start),
                        input.duration_minutes,
                        series_id,
                        link,
                        now
                    ],
                )?;
                for client_id in &input.client_ids {
                    scope.connection.execute(
                        "INSERT INTO consult_client (consult_id, client_id) VALUES (?1, ?2)",
                        params![id, client_id],
                    )?;
                    scope.log(
                        AuditAction::Create,
                        Target::new(RecordPart::Consult)
                            .client(client_id)
                            .record(&id),
                    )?;
                }
                outbox::record_change(
                    scope.connection,
                    RecordKind::Consult,
                    &id,
                    SyncAction::Upsert,
                )?;
                ids.push(id);
            }
            Ok(ids)
        })?;
        ids.iter().map(|id| self.load(id)).collect()
    }

    /// A consult the practitioner may change: their own and still planned
    /// (moving) or any own consult (status).
    fn load_own(&self, id: &str, action: AuditAction) -> CoreResult<Consult> {
        let consult = self.load_visible(id)?;
        let first_client = consult.clients.first().map(|client| client.id.as_str());
        self.require_planner(action, first_client)?;
        let mut target = Target::new(RecordPart::Consult).record(id);
        if let Some(client) = first_client {
            target = target.client(client);
        }
        self.scope.authorize(
            consult.practitioner_id == self.scope.practitioner.id,
            action,
            target,
            "only the consult's practitioner changes it",
        )?;
        // A consult with a restricted client is part of that client's
        // read-only record.
        for client in &consult.clients {
            self.scope
                .require_unrestricted(&client.id, action, RecordPart::Consult)?;
        }
        Ok(consult)
    }

    /// One access-log entry per client of the consult: each client's log
    /// shows that their consult was looked at or changed.
    fn log_for_each_client(
        &self,
        consult: &Consult,
        action: AuditAction,
        part: RecordPart,
    ) -> CoreResult<()> {
        for client in &consult.clients {
            self.scope.log(
                action,
                Target::new(part).client(&client.id).record(&consult.id),
            )?;
        }
        Ok(())
    }

    /// What every change of a consult writes with it: its outbox entry and an
    /// access-log entry for each of its clients.
    fn record_update(&self, consult: &Consult) -> CoreResult<()> {
        outbox::record_change(
            self.scope.connection,
            RecordKind::Consult,
            &consult.id,
            SyncAction::Upsert,
        )?;
        self.log_for_each_client(consult, AuditAction::Update, RecordPart::Consult)
    }

    /// Moves a planned consult to another local date and time (and length).
    pub fn reschedule(
        &self,
        id: &str,
        date: &str,
        time: &str,
        duration_minutes: u16,
    ) -> CoreResult<Consult> {
        let consult = self.load_own(id, AuditAction::Update)?;
        if consult.status != ConsultStatus::Planned {
            return Err(CoreError::Validation {
                field: "status",
                reason: "only a planned consult can be moved",
            });
        }
        validate_duration(duration_minutes)?;
        let start = local_to_utc(parse_date(date)?.and_time(parse_time(time)?))?;
        db::atomically(self.scope.connection, || {
            self.scope.connection.execute(
                "UPDATE consult SET starts_at = ?2, duration_minutes = ?3, updated_at = ?4, \
                 version = version + 1 WHERE id = ?1",
                params![id, to_rfc3339(start), duration_minutes, now_utc()],
            )?;
            self.record_update(&consult)
        })?;
        self.load(id)
    }

    /// Completed, cancelled or no-show; a planned consult can become any of
    /// them, and a mistake can be put back to planned.
    pub fn set_status(&self, id: &str, status: ConsultStatus) -> CoreResult<Consult> {
        let consult = self.load_own(id, AuditAction::Update)?;
        db::atomically(self.scope.connection, || {
            self.scope.connection.execute(
                "UPDATE consult SET status = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
                params![id, status, now_utc()],
            )?;
            self.record_update(&consult)
        })?;
        self.load(id)
    }

    fn own_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> CoreResult<Vec<Consult>> {
        let mut statement = self.scope.connection.prepare_cached(&format!(
            "SELECT {CONSULT_COLUMNS} FROM consult WHERE practitioner_id = ?1 \
             AND starts_at >= ?2 AND starts_at < ?3 ORDER BY starts_at"
        ))?;
        let rows: Vec<ConsultRow> = statement
            .query_map(
                params![self.scope.practitioner.id, to_rfc3339(from), to_rfc3339(to)],
                consult_row,
            )?
            .collect::<Result<_, _>>()?;
        rows.into_iter().map(|row| self.complete(row)).collect()
    }

    /// The practitioner's consults on one local day, in order.
    pub fn day(&self, date: &str) -> CoreResult<AgendaDay> {
        let day = parse_date(date)?;
        let (from, to) = local_date_bounds(day)?;
        let consults = self.own_between(from, to)?;
        self.scope
            .log(AuditAction::Read, Target::new(RecordPart::Agenda))?;
        Ok(AgendaDay {
            date: day.format("%Y-%m-%d").to_string(),
            consults,
        })
    }

    /// The Monday-first week that contains `date`.
    pub fn week(&self, date: &str) -> CoreResult<AgendaWeek> {
        let day = parse_date(date)?;
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let (from, _) = local_date_bounds(monday)?;
        let (_, to) = local_date_bounds(monday + Duration::days(6))?;
        let consults = self.own_between(from, to)?;
        let days = (0..7)
            .map(|offset| {
                let date = (monday + Duration::days(offset))
                    .format("%Y-%m-%d")
                    .to_string();
                AgendaDay {
                    consults: consults
                        .iter()
                        .filter(|consult| consult.date == date)
                        .cloned()
                        .collect(),
                    date,
                }
            })
            .collect();
        self.scope
            .log(AuditAction::Read, Target::new(RecordPart::Agenda))?;
        Ok(AgendaWeek {
            iso_week: monday.iso_week().week(),
            days,
        })
    }

    /// The practitioner's consults from `from` for `days` days as iCalendar.
    /// Events name client codes and the kind of consult only: no names, no
    /// links, no note text. Each client in the export is logged.
    pub fn export_ical(&self, from: &str, days: u16) -> CoreResult<String> {
        if !(1..=366).contains(&days) {
            return Err(CoreError::Validation {
                field: "days",
                reason: "must be 1 to 366",
            });
        }
        let first = parse_date(from)?;
        let (start, _) = local_date_bounds(first)?;
        let (end, _) = local_date_bounds(first + Duration::days(i64::from(days)))?;
        let consults = self.own_between(start, end)?;
        let mut calendar = Calendar::new();
        calendar.name("Kluis");
        let stamp = Utc::now();
        for consult in &consults {
            let starts = from_rfc3339(&consult.starts_at)?;
            let codes: Vec<&str> = consult
                .clients
                .iter()
                .map(|client| client.client_code.as_str())
                .collect();
            let event = icalendar::Event::new()
                .uid(&format!("{}@kluis", consult.id))
                .timestamp(stamp)
                .starts(starts)
                .ends(starts + Duration::minutes(i64::from(consult.duration_minutes)))
                .summary(&format!(
                    "{} {}",
                    kind_label(consult.kind),
                    codes.join(", ")
                ))
                .status(match consult.status {
                    ConsultStatus::Cancelled => EventStatus::Cancelled,
                    _ => EventStatus::Confirmed,
                })
                .done();
            calendar.push(event);
        }
        db::atomically(self.scope.connection, || {
            for consult in &consults {
                self.log_for_each_client(consult, AuditAction::Export, RecordPart::Agenda)?;
            }
            Ok(())
        })?;
        Ok(calendar.done().to_string())
    }

    /// Every consult of one client, newest first, for the timeline (the
    /// caller checks the assignment and logs the read).
    pub(crate) fn for_client(&self, client_id: &str) -> CoreResult<Vec<Consult>> {
        // consult_client has no column named like one of the consult's, so the
        // shared column list needs no table prefix.
        let mut statement = self.scope.connection.prepare_cached(&format!(
            "SELECT {CONSULT_COLUMNS} FROM consult JOIN consult_client ON consult_client.consult_id = consult.id \
             WHERE consult_client.client_id = ?1 ORDER BY starts_at DESC"
        ))?;
        let rows: Vec<ConsultRow> = statement
            .query_map([client_id], consult_row)?
            .collect::<Result<_, _>>()?;
        rows.into_iter().map(|row| self.complete(row)).collect()
    }
}

/// English, neutral words for calendar entries; the export leaves the app, so
/// it says no more than needed.
fn kind_label(kind: ConsultKind) -> &'static str {
    match kind {
        ConsultKind::Video => "Video consult",
        ConsultKind::Phone => "Phone consult",
        ConsultKind::GroupSession => "Group session",
        ConsultKind::SelfCheckIn => "Check-in",
    }
}

fn validate_duration(minutes: u16) -> CoreResult<()> {
    if (5..=480).contains(&minutes) {
        Ok(())
    } else {
        Err(CoreError::Validation {
            field: "durationMinutes",
            reason: "must be 5 to 480 minutes",
        })
    }
}

fn validate_link(link: Option<String>) -> CoreResult<Option<String>> {
    let link = link
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty());
    if let Some(text) = &link
        && (!text.starts_with("https://") || text.len() > 500 || text.contains(char::is_whitespace))
    {
        return Err(CoreError::Validation {
            field: "link",
            reason: "must be an https:// address",
        });
    }
    Ok(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weekly_series_keeps_its_local_time_across_the_autumn_clock_change() {
        // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET.
        let starts = expand_occurrences(
            "2026-10-19",
            "10:00",
            Some(Recurrence {
                frequency: RecurrenceFrequency::Weekly,
                count: 3,
            }),
        )
        .expect("series");
        let utc: Vec<String> = starts.iter().map(|start| to_rfc3339(*start)).collect();
        assert_eq!(
            utc,
            [
                "2026-10-19T08:00:00Z",
                "2026-10-26T09:00:00Z",
                "2026-11-02T09:00:00Z"
            ]
        );
        for start in starts {
            assert_eq!(
                start.with_timezone(&Amsterdam).format("%H:%M").to_string(),
                "10:00"
            );
        }
    }

    #[test]
    fn a_biweekly_series_crosses_the_spring_clock_change() {
        // 2027-03-28: clocks go forward from 02:00 CET to 03:00 CEST.
        let starts = expand_occurrences(
            "2027-03-22",
            "09:30",
            Some(Recurrence {
                frequency: RecurrenceFrequency::Biweekly,
                count: 2,
            }),
        )
        .expect("series");
        let utc: Vec<String> = starts.iter().map(|start| to_rfc3339(*start)).collect();
        assert_eq!(utc, ["2027-03-22T08:30:00Z", "2027-04-05T07:30:00Z"]);
    }

    #[test]
    fn a_time_skipped_by_the_spring_clock_change_is_refused() {
        let error = expand_occurrences("2027-03-28", "02:30", None).expect_err("no 02:30");
        assert!(matches!(error, CoreError::Validation { field: "time", .. }));
    }

    #[test]
    fn a_local_day_across_the_clock_change_has_25_hours() {
        let (start, end) = local_date_bounds(NaiveDate::from_ymd_opt(2026, 10, 25).expect("date"))
            .expect("bounds");
        assert_eq!((end - start).num_hours(), 25);
    }

    #[test]
    fn recurrence_counts_are_bounded() {
        for count in [0, 1, 53] {
            let recurrence = Recurrence {
                frequency: RecurrenceFrequency::Weekly,
                count,
            };
            assert!(expand_occurrences("2026-11-02", "10:00", Some(recurrence)).is_err());
        }
    }
}
