//! The record room: the clinical record and the agenda as the practitioner
//! works with them (SPEC §3): clients, consults, notes and their addenda, the
//! timeline and search, each read and written through a [`scope::Scope`].
//!
//! At its door: every read and write passes the role rules in [`scope`]
//! and is written to the access log (`crate::audit`) in the same
//! transaction; every change is queued in the outbox (`crate::sync::outbox`)
//! in the same transaction as well.

pub mod clients;
pub mod consults;
pub mod erasure;
pub mod export;
pub mod export_document;
pub mod notes;
pub mod practitioner;
pub mod scope;
pub mod search;
pub mod timeline;
pub(crate) mod workspace;
