//! Kluis core: the domain and the encrypted vault. No GUI, no network.
//!
//! Start at [`Profile`], the facade the desktop shell calls. The rooms behind
//! it: [`vault`] (keys, header, KDF, keystore, database, throttle, integrity),
//! [`record`] (scope and role rules, clients, consults, notes, timeline,
//! search), [`audit`] (the NEN 7513 access log), [`sync`] (the vault's side of
//! sync: outbox, export, push, pull and merge, conflicts, identity,
//! provisioning) and [`profile`] (the facade, settings beside the vault).
//!
//! No `unsafe` here: the allocator and the memory scanner that need it live in
//! `kluis-memory`.
#![forbid(unsafe_code)]

pub mod audit;
pub mod demo;
mod error;
pub mod profile;
pub mod record;
pub mod sync;
pub mod vault;

pub use error::{CoreError, CoreResult, ErrorCode};
pub use profile::{LockOutcome, Profile, ProfileStatus, SessionInfo};

// What the desktop shell and the sync client use, at the crate's door.
pub use audit::{AuditEvent, ChainVerification};
pub use profile::clipboard::CLEAR_AFTER as CLIPBOARD_CLEAR_AFTER;
pub use profile::settings::{Language, Settings};
pub use profile::wipe::{ERASED as WIPE_ERASES, PendingWipeReport};
pub use record::clients::{Client, ClientInput, ClientSummary, Consents};
pub use record::consults::{AgendaDay, AgendaWeek, Consult, ConsultInput, Recurrence};
pub use record::notes::{DraftSaved, NewNote, Note, NoteSection};
pub use record::practitioner::Practitioner;
pub use record::search::SearchHit;
pub use record::timeline::{TimelineItem, TimelineKind};
pub use sync::conflicts::{ConflictChoice, SyncConflict};
pub use sync::identity::SyncIdentity;
pub use sync::provisioning::{DeviceProvisioning, EnrolledPractitioner};
pub use vault::keystore::{DeviceSecretStore, KeyringDeviceSecretStore};
pub use vault::secret::Passphrase;
pub use vault::strength::PassphraseStrength;
pub use vault::{VaultConfig, kdf::KdfPolicy, throttle::ThrottlePolicy};

pub use kluis_protocol::RecordKind;
/// The shared vocabulary, defined once in the protocol (SPEC §3).
pub use kluis_protocol::records::{
    ConsultKind, ConsultStatus, NoteStatus, NoteTemplate, Role, Visibility,
};
