//! What the store keeps, behind one trait so that the embedded SQLite back end
//! and PostgreSQL run the same scenario.

use kluis_protocol::records::{NoteStatus, Visibility};
use kluis_protocol::{AuditEntry, ErasureReason, RecordKind};
use serde::Serialize;

use crate::error::{ServerError, ServerResult};

/// A practitioner's role: the protocol's, the one vocabulary of store and app.
pub use kluis_protocol::records::Role;

/// How the store writes a moment: UTC, RFC 3339, to the second.
pub fn timestamp(moment: chrono::DateTime<chrono::Utc>) -> String {
    moment.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Now, as the store writes it.
pub fn now() -> String {
    timestamp(chrono::Utc::now())
}

/// A role read back from the store's own tables, where anything else is
/// damage, not a user's mistake.
pub fn role_from_stored(text: &str) -> ServerResult<Role> {
    Role::parse(text).ok_or_else(|| ServerError::Storage("unknown role in store".to_owned()))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Practitioner {
    pub id: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub id: String,
    pub practitioner_id: String,
    pub cert_fingerprint: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub wipe_requested: bool,
    /// The certificate's serial number (hex), for the revocation list.
    pub cert_serial: Option<String>,
    /// The words of its public key, for IT to compare with what the device
    /// shows (`kluis_protocol::enrollment::key_words`); `None` for devices
    /// issued before enrollment.
    pub key_words: Option<String>,
    /// When the store last heard from it (at most a minute off).
    pub last_contact_at: Option<String>,
    /// The hash of the effective managed policy it reported last.
    pub policy_hash: Option<String>,
    /// When it reported it erased itself.
    pub wiped_at: Option<String>,
}

/// Where a device stands, as `kluis-admin devices` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    Active,
    /// IT asked for a wipe and the device has not reported one yet.
    WipePending,
    /// The device reported it erased itself; its certificate is revoked.
    Wiped,
    Revoked,
}

impl DeviceState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceState::Active => "active",
            DeviceState::WipePending => "wipe pending",
            DeviceState::Wiped => "wiped",
            DeviceState::Revoked => "revoked",
        }
    }
}

impl Device {
    /// A device registered now, not yet heard from.
    pub fn new(
        id: impl Into<String>,
        practitioner_id: impl Into<String>,
        cert_fingerprint: impl Into<String>,
        cert_serial: Option<String>,
        key_words: Option<String>,
    ) -> Self {
        Self {
            id: id.into(),
            practitioner_id: practitioner_id.into(),
            cert_fingerprint: cert_fingerprint.into(),
            created_at: now(),
            revoked_at: None,
            wipe_requested: false,
            cert_serial,
            key_words,
            last_contact_at: None,
            policy_hash: None,
            wiped_at: None,
        }
    }

    pub fn state(&self) -> DeviceState {
        if self.wiped_at.is_some() {
            DeviceState::Wiped
        } else if self.revoked_at.is_some() {
            DeviceState::Revoked
        } else if self.wipe_requested {
            DeviceState::WipePending
        } else {
            DeviceState::Active
        }
    }
}

/// An erasure and how far it has come: on how many of the devices that
/// held the client it has been applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureStatus {
    pub client_id: String,
    pub erased_at: String,
    /// The device that asked for it; `None` for the store's own erasures.
    pub device_id: Option<String>,
    pub reason: ErasureReason,
    pub acknowledged: u64,
    pub devices: u64,
}

/// What happened to a device, in its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceEventKind {
    WipeRequested,
    /// A wipe report whose signature the store checked against the
    /// device's enrolled certificate.
    WipeReceipt,
    /// An unsigned wipe report: the device's claim.
    WipeClaim,
    Revoked,
}

impl DeviceEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceEventKind::WipeRequested => "wipe_requested",
            DeviceEventKind::WipeReceipt => "wipe_receipt",
            DeviceEventKind::WipeClaim => "wipe_claim",
            DeviceEventKind::Revoked => "revoked",
        }
    }
}

/// One line of a device's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceEvent {
    pub occurred_at: String,
    pub kind: String,
    pub detail: String,
}

/// Which part of the stored access log to read: a client's, a
/// practitioner's, in a period (UTC, RFC 3339; `to` exclusive).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessLogQuery {
    pub client_id: Option<String>,
    pub practitioner_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One access as the store holds it: who (practitioner, role, the enrolled
/// device that uploaded it), what on which part, when, and the outcome. No
/// content: the access log never holds any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLogLine {
    pub occurred_at: String,
    pub actor_id: String,
    pub actor_name: String,
    pub actor_role: String,
    pub on_behalf_of: Option<String>,
    pub device_id: String,
    pub action: String,
    pub client_id: Option<String>,
    pub record_part: String,
    pub record_id: Option<String>,
    pub outcome: String,
}

/// A one-time enrollment token as the store keeps it: the hash of its
/// secret, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    pub secret_hash: String,
    pub practitioner_id: String,
    pub device_id: String,
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

/// A device as the store sees it on a connection: the device and whom it
/// acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub device: Device,
    pub practitioner: Practitioner,
}

/// The store's storage. Every method is one transaction; [`Store::transaction`]
/// runs several writes as one.
pub trait Store: Feed + Send + Sync + 'static {
    fn transaction<T>(
        &self,
        work: impl FnOnce(&mut dyn Transaction) -> ServerResult<T>,
    ) -> ServerResult<T>;
    fn add_practitioner(&self, practitioner: &Practitioner) -> ServerResult<()>;
    fn practitioner(&self, id: &str) -> ServerResult<Option<Practitioner>>;
    fn add_device(&self, device: &Device) -> ServerResult<()>;
    fn add_enrollment_token(&self, token: &StoredToken) -> ServerResult<()>;
    /// The access log in the order things happened (NEN 7513).
    fn access_log(&self, query: &AccessLogQuery) -> ServerResult<Vec<AccessLogLine>>;
    /// The id of the client with this pseudonymous code, if the store holds
    /// the client (read from the record's code only, nothing else of it).
    fn client_id_by_code(&self, code: &str) -> ServerResult<Option<String>>;
    fn caller_by_fingerprint(&self, fingerprint: &str) -> ServerResult<Option<Caller>>;
    fn list_devices(&self) -> ServerResult<Vec<Device>>;

    /// Marks a device revoked and notes it in its history; `false` when there
    /// is no such device.
    fn revoke_device(&self, device_id: &str) -> ServerResult<bool> {
        self.transaction(|transaction| {
            let at = now();
            if !transaction.revoke_device(device_id, &at)? {
                return Ok(false);
            }
            transaction.add_device_event(device_id, DeviceEventKind::Revoked, "by IT", &at)?;
            Ok(true)
        })
    }

    /// Asks a device to erase itself at its next contact. A revoked device
    /// cannot be reached any more, so it cannot be asked.
    fn request_wipe(&self, device_id: &str) -> ServerResult<Device> {
        self.transaction(|transaction| {
            let device = transaction
                .device(device_id)?
                .ok_or(ServerError::NotFound("device"))?;
            match device.state() {
                DeviceState::Active => {}
                DeviceState::WipePending => return Ok(device),
                DeviceState::Wiped | DeviceState::Revoked => {
                    return Err(ServerError::Invalid(format!(
                        "device {device_id} is {}: it can no longer be reached to wipe it",
                        device.state().as_str()
                    )));
                }
            }
            let at = now();
            transaction.request_wipe(device_id)?;
            transaction.add_device_event(
                device_id,
                DeviceEventKind::WipeRequested,
                "by IT",
                &at,
            )?;
            transaction
                .device(device_id)?
                .ok_or(ServerError::NotFound("device"))
        })
    }

    /// Records that a device erased itself (`receipt`: whether its report's
    /// signature held) and revokes its certificate. `detail` is the report
    /// as it came; a second report of the same wipe changes nothing.
    fn record_wipe(
        &self,
        device_id: &str,
        wiped_at: &str,
        receipt: bool,
        detail: &str,
    ) -> ServerResult<()> {
        self.transaction(|transaction| {
            let device = transaction
                .device(device_id)?
                .ok_or(ServerError::NotFound("device"))?;
            if device.wiped_at.is_some() {
                return Ok(());
            }
            // A claim needs no proof, so anyone holding the device's public
            // certificate could repeat it: one per device is kept.
            if !receipt
                && transaction
                    .device_events(device_id)?
                    .iter()
                    .any(|event| event.kind == DeviceEventKind::WipeClaim.as_str())
            {
                return Ok(());
            }
            let at = now();
            let kind = if receipt {
                DeviceEventKind::WipeReceipt
            } else {
                DeviceEventKind::WipeClaim
            };
            transaction.add_device_event(device_id, kind, detail, &at)?;
            // Only a signed receipt revokes: an unsigned claim could come
            // from anyone who knows the device's public certificate.
            if receipt {
                transaction.mark_wiped(device_id, wiped_at, &at)?;
            }
            Ok(())
        })
    }

    /// Notes that the device was heard from now, with the hash of the policy
    /// it reported (if it sent one).
    fn record_contact(&self, device_id: &str, policy_hash: Option<&str>) -> ServerResult<()> {
        self.transaction(|transaction| transaction.record_contact(device_id, &now(), policy_hash))
    }

    /// A device's history, oldest first.
    fn device_history(&self, device_id: &str) -> ServerResult<Vec<DeviceEvent>> {
        self.transaction(|transaction| transaction.device_events(device_id))
    }

    fn device(&self, device_id: &str) -> ServerResult<Option<Device>> {
        self.transaction(|transaction| transaction.device(device_id))
    }

    /// A device pulls from `cursor`: every erasure whose tombstone lies at
    /// or before it has been applied there (the cursor moves only after a
    /// page is applied).
    fn acknowledge_erasures(&self, device_id: &str, cursor: u64) -> ServerResult<()> {
        self.transaction(|transaction| transaction.acknowledge_erasures(device_id, cursor, &now()))
    }

    /// After an erasure committed: what the back end can do so that no old
    /// copy of the erased records is left in its files (SQLite: checkpoint
    /// and truncate the write-ahead log, whose older frames still hold the
    /// records as they were).
    fn purge_after_erasure(&self) -> ServerResult<()>;

    /// Every erasure, oldest first, with how many devices have applied it.
    fn erasures(&self) -> ServerResult<Vec<ErasureStatus>> {
        self.transaction(|transaction| transaction.erasures())
    }
    /// The bodies of every live record of a kind, in feed order (see
    /// [`Store::live_records`]).
    fn live_bodies(&self, kind: RecordKind) -> ServerResult<Vec<String>>;

    /// Every live record of a kind, in feed order: for the store's own jobs
    /// (employer reports, retention), never sent to a device.
    fn live_records(&self, kind: RecordKind) -> ServerResult<Vec<kluis_protocol::Record>> {
        self.live_bodies(kind)?
            .iter()
            .map(|body| {
                serde_json::from_str(body)
                    .map_err(|_| ServerError::Storage("unreadable record in store".to_owned()))
            })
            .collect()
    }

    /// Puts a practitioner on a client's care team; the client's records move
    /// to the end of the feed so that the practitioner's devices receive them.
    fn assign(&self, client_id: &str, practitioner_id: &str) -> ServerResult<()>;
    fn is_assigned(&self, client_id: &str, practitioner_id: &str) -> ServerResult<bool>;
}

/// Which rows of the feed a practitioner may see is decided by these columns,
/// copied from the record when it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub client_ids: Vec<String>,
    /// For notes and addenda: the note's author.
    pub owner_id: Option<String>,
    pub visibility: Option<Visibility>,
    pub status: Option<NoteStatus>,
}

/// A record as stored: its place in the feed and what it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub kind: RecordKind,
    pub id: String,
    pub version: u64,
    pub seq: u64,
    pub deleted: bool,
    pub access: Access,
    /// The protocol record as JSON; `None` for a tombstone.
    pub body: Option<String>,
}

/// The writes one operation makes, inside one transaction.
pub trait Transaction {
    /// Holds the record's key until the transaction ends, so that concurrent
    /// operations on one record run one after the other and each sees the
    /// version the one before wrote. Taken before the record is read.
    fn lock_record(&mut self, kind: RecordKind, id: &str) -> ServerResult<()>;
    /// The version one of this device's operation ids was applied as, if it
    /// was. Operation ids are the device's own: another device's id means
    /// nothing here.
    fn applied_operation(&mut self, device_id: &str, op_id: &str) -> ServerResult<Option<u64>>;
    fn remember_operation(
        &mut self,
        op_id: &str,
        device_id: &str,
        version: u64,
    ) -> ServerResult<()>;
    fn record(&mut self, kind: RecordKind, id: &str) -> ServerResult<Option<StoredRecord>>;
    /// Inserts or replaces the record at the next feed position; returns it.
    fn write_record(
        &mut self,
        kind: RecordKind,
        id: &str,
        version: u64,
        access: &Access,
        body: Option<&str>,
    ) -> ServerResult<u64>;
    fn is_assigned(&mut self, client_id: &str, practitioner_id: &str) -> ServerResult<bool>;
    fn assign(&mut self, client_id: &str, practitioner_id: &str) -> ServerResult<()>;
    /// The newest entry of an access-log chain: its seq and hash.
    fn audit_last(&mut self, chain_id: &str) -> ServerResult<Option<(u64, String)>>;
    /// The hash of one stored entry of a chain.
    fn audit_hash(&mut self, chain_id: &str, seq: u64) -> ServerResult<Option<String>>;
    /// The device an access-log chain belongs to, binding it to `device_id`
    /// when the chain is new; the chain's key is held until the transaction
    /// ends, so two first uploads cannot both bind it.
    fn audit_chain_device(&mut self, chain_id: &str, device_id: &str) -> ServerResult<String>;
    /// Appends one entry, uploaded by `device_id`.
    fn append_audit(&mut self, entry: &AuditEntry, device_id: &str) -> ServerResult<()>;
    /// The token with this secret hash, its row held until the transaction
    /// ends, so that two requests with one token cannot both use it.
    fn enrollment_token(&mut self, secret_hash: &str) -> ServerResult<Option<StoredToken>>;
    fn use_enrollment_token(&mut self, secret_hash: &str, used_at: &str) -> ServerResult<()>;
    fn add_device(&mut self, device: &Device) -> ServerResult<()>;
    fn device_exists(&mut self, device_id: &str) -> ServerResult<bool>;
    fn device(&mut self, device_id: &str) -> ServerResult<Option<Device>>;
    /// Revokes device `device_id` at `at`, keeping the first revocation's
    /// time; `false` when there is no such device.
    fn revoke_device(&mut self, device_id: &str, at: &str) -> ServerResult<bool>;
    fn request_wipe(&mut self, device_id: &str) -> ServerResult<()>;
    /// Sets the device's wipe time and revokes it at `at` (if it was not).
    fn mark_wiped(&mut self, device_id: &str, wiped_at: &str, at: &str) -> ServerResult<()>;
    fn record_contact(
        &mut self,
        device_id: &str,
        at: &str,
        policy_hash: Option<&str>,
    ) -> ServerResult<()>;
    fn add_device_event(
        &mut self,
        device_id: &str,
        kind: DeviceEventKind,
        detail: &str,
        at: &str,
    ) -> ServerResult<()>;
    fn device_events(&mut self, device_id: &str) -> ServerResult<Vec<DeviceEvent>>;
    /// The records that belong to a client (every kind), by key.
    fn record_keys_of_client(&mut self, client_id: &str)
    -> ServerResult<Vec<(RecordKind, String)>>;
    /// Records an erasure whose client tombstone stands at `seq`, with the
    /// active devices of the client's care team as the ones to apply it.
    /// `maker`: the practitioner and device that asked; `None` when the
    /// store erased on its own (retention).
    fn add_erasure(
        &mut self,
        client_id: &str,
        erased_at: &str,
        maker: Option<(&str, &str)>,
        reason: ErasureReason,
        seq: u64,
    ) -> ServerResult<()>;
    fn acknowledge_erasures(&mut self, device_id: &str, cursor: u64, at: &str) -> ServerResult<()>;
    /// Whether the client was ever erased here, tombstone kept or not.
    fn was_erased(&mut self, client_id: &str) -> ServerResult<bool>;
    /// Notes where the feed stands at `at` (once per instant).
    fn mark_feed(&mut self, at: &str) -> ServerResult<()>;
    /// The feed position of the newest mark at or before `at`.
    fn feed_mark_before(&mut self, at: &str) -> ServerResult<Option<u64>>;
    /// Removes the tombstones up to `through` and moves the horizon there;
    /// returns how many went.
    fn prune_tombstones(&mut self, through: u64, at: &str) -> ServerResult<u64>;
    fn forget_feed_marks(&mut self, before: &str) -> ServerResult<()>;
    /// How far tombstones have been removed: a cursor below it missed one.
    fn pruned_through(&mut self) -> ServerResult<u64>;
    /// The device begins a pull from the start of the feed under `horizon`.
    fn note_full_pull(&mut self, device_id: &str, horizon: u64) -> ServerResult<()>;
    /// The horizon the device's last pull from the start began under.
    fn full_pull_horizon(&mut self, device_id: &str) -> ServerResult<Option<u64>>;
    fn erasures(&mut self) -> ServerResult<Vec<ErasureStatus>>;
    fn practitioner(&mut self, id: &str) -> ServerResult<Option<Practitioner>>;
}

/// One page of a practitioner's feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPage {
    pub records: Vec<StoredRecord>,
    /// Records the practitioner may see after this page.
    pub remaining: u64,
}

/// The feed as one practitioner may see it.
pub trait Feed {
    /// Records after `cursor` in feed order, at most `limit`, filtered by the
    /// practitioner's assignments and the note rules, and how many more there
    /// are after them.
    fn feed(&self, practitioner_id: &str, cursor: u64, limit: u32) -> ServerResult<FeedPage>;
}
