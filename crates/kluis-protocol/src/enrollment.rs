//! Enrollment (SPEC §7): how a device becomes known to the store while its
//! private key never leaves it.
//!
//! IT makes a one-time token bound to a practitioner and a device name
//! (`kluis-admin enroll`). The token carries the store's address and the
//! fingerprint of the provider's CA, so a device that has nothing else can
//! find the store and trust it. The device makes its key pair, sends a
//! certificate request with the token's secret to the store's one route
//! that takes connections without a client certificate, and keeps the key
//! in its vault. The store keeps only a hash of the secret.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::records::{Role, check_id};
use crate::{ProtocolError, check_version};

/// What a token starts with: the format's name and version.
pub const ENROLLMENT_TOKEN_PREFIX: &str = "kluis-enroll-1.";

/// How long a token is valid unless IT says otherwise.
pub const DEFAULT_TOKEN_LIFETIME_MINUTES: i64 = 60;

/// The longest a token may be, pasted: a bound on what is decoded (room for
/// a policy with every key).
const MAX_TOKEN_CHARS: usize = 4_000;

/// What IT hands the practitioner: pasted on the first-run screen or put in
/// a file the app reads.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentToken {
    /// The store's address as devices reach it (`https://…`).
    pub store_url: String,
    /// SHA-256 of the provider CA's certificate (DER), lower-case hex: the
    /// device trusts the store only if its chain ends in this certificate.
    pub ca_fingerprint: String,
    /// The device the token is bound to.
    pub device_id: String,
    /// 32 random bytes, base64url. The store keeps only [`secret_hash`].
    pub secret: String,
    /// UTC, RFC 3339; after it the store refuses the token.
    pub expires_at: String,
    /// Managed policy for what the machine's policy file does not fix
    /// (`kluis-admin enroll --policy FILE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<crate::managed::ManagedPolicy>,
}

impl std::fmt::Debug for EnrollmentToken {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("EnrollmentToken")
            .field("store_url", &self.store_url)
            .field("device_id", &self.device_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl EnrollmentToken {
    /// The text IT hands over: the prefix, then the token as base64url JSON.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        format!("{ENROLLMENT_TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(json))
    }

    /// Reads a token as pasted (surrounding white space and line breaks a
    /// mail program adds are ignored) and checks its fields.
    pub fn decode(text: &str) -> Result<Self, ProtocolError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let invalid = |reason| ProtocolError::Invalid {
            field: "token",
            reason,
        };
        if compact.len() > MAX_TOKEN_CHARS {
            return Err(invalid("is longer than an enrollment token"));
        }
        let encoded = compact
            .strip_prefix(ENROLLMENT_TOKEN_PREFIX)
            .ok_or_else(|| invalid("is not a Kluis enrollment token"))?;
        let json = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|_| invalid("is damaged (not base64url)"))?;
        let token: EnrollmentToken =
            serde_json::from_slice(&json).map_err(|_| invalid("is damaged (not a token)"))?;
        token.validate()?;
        Ok(token)
    }

    pub fn validate(&self) -> Result<(), ProtocolError> {
        let invalid = |field, reason| ProtocolError::Invalid { field, reason };
        if !self.store_url.starts_with("https://") {
            return Err(invalid("store_url", "must be an https:// address"));
        }
        if self.ca_fingerprint.len() != 64
            || !self
                .ca_fingerprint
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
        {
            return Err(invalid(
                "ca_fingerprint",
                "must be 64 lower-case hex digits",
            ));
        }
        check_id("device_id", &self.device_id)?;
        check_secret(&self.secret)?;
        chrono::DateTime::parse_from_rfc3339(&self.expires_at)
            .map_err(|_| invalid("expires_at", "must be an RFC 3339 time"))?;
        if let Some(policy) = &self.policy {
            policy
                .validate()
                .map_err(|_| invalid("policy", "is not a valid managed policy"))?;
        }
        Ok(())
    }
}

/// A token secret is 32 bytes, base64url without padding.
fn check_secret(secret: &str) -> Result<(), ProtocolError> {
    match URL_SAFE_NO_PAD.decode(secret) {
        Ok(bytes) if bytes.len() == 32 => Ok(()),
        _ => Err(ProtocolError::Invalid {
            field: "secret",
            reason: "must be 32 bytes, base64url",
        }),
    }
}

/// What the store keeps of a token's secret: SHA-256, lower-case hex. The
/// secret has 256 bits of entropy, so no slow hash is needed.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new token secret: 32 random bytes, base64url.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The device's request to the store's enrollment route.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    pub protocol_version: u32,
    /// The token's secret.
    pub secret: String,
    /// The device the token was made for; the request names it again so
    /// that a token used on another device is refused.
    pub device_id: String,
    /// A PKCS #10 certificate request, PEM, signed with the device's new key.
    pub csr_pem: String,
}

impl std::fmt::Debug for EnrollRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("EnrollRequest")
            .field("device_id", &self.device_id)
            .finish_non_exhaustive()
    }
}

impl EnrollRequest {
    pub fn validate(&self) -> Result<(), ProtocolError> {
        check_version(self.protocol_version)?;
        check_secret(&self.secret)?;
        check_id("device_id", &self.device_id)?;
        if self.csr_pem.len() > 8_192 {
            return Err(ProtocolError::TooLong { field: "csr_pem" });
        }
        Ok(())
    }
}

/// The store's answer: the device's certificate, the CA, and whom the device
/// is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollResponse {
    pub protocol_version: u32,
    pub certificate_pem: String,
    pub ca_pem: String,
    pub practitioner_id: String,
    pub practitioner_name: String,
    pub role: Role,
}

/// Words to read aloud: a fingerprint of a device's public key (raw: for
/// ECDSA P-256 the uncompressed point) that IT and the practitioner compare by phone
/// before IT trusts the device. Five words from a list of 256 carry the
/// first 40 bits of the key's SHA-256.
pub fn key_words(public_key: &[u8]) -> String {
    let digest = Sha256::digest(public_key);
    digest[..5]
        .iter()
        .map(|byte| KEY_WORDS[usize::from(*byte)])
        .collect::<Vec<_>>()
        .join("-")
}

/// 256 short Dutch nouns, distinct, without diacritics: easy to say and to
/// spell on the phone.
const KEY_WORDS: [&str; 256] = [
    "aap", "akker", "anker", "appel", "arend", "auto", "baai", "bad", "bal", "bank", "beer", "bel",
    "berg", "bever", "bij", "bijl", "blad", "bloem", "boek", "boom", "boot", "bord", "bos", "bril",
    "brood", "brug", "buis", "bus", "cirkel", "citroen", "dak", "dal", "dam", "das", "deken",
    "deur", "dijk", "dolfijn", "doos", "dorp", "draak", "drop", "duif", "duim", "duin", "eend",
    "egel", "eik", "eiland", "emmer", "erwt", "ezel", "fazant", "fiets", "fles", "fluit", "fort",
    "gans", "geit", "gember", "gitaar", "glas", "gordijn", "graan", "gras", "haai", "haan", "haas",
    "hamer", "hand", "haven", "heide", "hek", "helm", "hert", "hoed", "hond", "honing", "hoorn",
    "huis", "hut", "ijs", "ijsbeer", "inkt", "jacht", "jas", "jurk", "kaars", "kaas", "kabel",
    "kam", "kameel", "kano", "kar", "kast", "kat", "kerk", "kers", "ketel", "kever", "kip", "kiwi",
    "klok", "knoop", "koe", "koffer", "kok", "kompas", "kool", "koord", "kraai", "kraan", "krab",
    "kroon", "kruik", "kus", "laars", "ladder", "lama", "lamp", "lans", "leeuw", "lelie", "lepel",
    "linde", "lint", "lotus", "lucht", "maan", "mand", "mango", "mantel", "markt", "mast", "meer",
    "meeuw", "melk", "mes", "mier", "molen", "mos", "mossel", "muis", "munt", "mus", "muur",
    "naald", "nacht", "nest", "net", "neus", "noot", "oceaan", "oester", "olifant", "oven",
    "paard", "pad", "pan", "panda", "papier", "park", "pauw", "peer", "pen", "peper", "piano",
    "pijl", "pijp", "plank", "plein", "pomp", "poort", "pop", "pot", "raaf", "radio", "raket",
    "ram", "rat", "regen", "riet", "ring", "rivier", "robot", "roos", "rots", "schaap", "schelp",
    "schip", "schoen", "sjaal", "slak", "slang", "sleutel", "sloot", "sneeuw", "sok", "spin",
    "spons", "stad", "ster", "stoel", "storm", "straat", "strand", "stroom", "tafel", "tak",
    "tand", "tas", "tegel", "tent", "tijger", "toren", "tractor", "trein", "trom", "tuin", "tulp",
    "uil", "vaas", "valk", "veer", "vis", "vlag", "vlieger", "vlinder", "vloot", "vork", "vos",
    "vuur", "wagen", "walvis", "water", "web", "weg", "wiel", "wind", "wolf", "wolk", "worm",
    "worst", "zaag", "zadel", "zak", "zalm", "zand", "zebra", "zee", "zeef", "zeep", "zeil", "zon",
    "zwaan", "zwaard",
];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn token() -> EnrollmentToken {
        EnrollmentToken {
            store_url: "https://kluis.example.nl".to_owned(),
            ca_fingerprint: "ab".repeat(32),
            device_id: "anna-laptop".to_owned(),
            secret: new_secret(),
            expires_at: "2026-12-02T10:00:00Z".to_owned(),
            policy: None,
        }
    }

    #[test]
    fn a_token_survives_pasting_and_nothing_else_passes_for_one() {
        let token = token();
        let text = token.encode();
        assert!(text.starts_with(ENROLLMENT_TOKEN_PREFIX));
        let wrapped = format!("  {}\n{}  ", &text[..40], &text[40..]);
        assert_eq!(EnrollmentToken::decode(&wrapped).unwrap(), token);

        let refused = |text: &str| match EnrollmentToken::decode(text) {
            Err(ProtocolError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(refused("hello"), "token");
        assert_eq!(refused(&format!("{ENROLLMENT_TOKEN_PREFIX}!!")), "token");
        let mut other = token.clone();
        other.store_url = "http://kluis.example.nl".to_owned();
        assert_eq!(refused(&other.encode()), "store_url");
        let mut other = token.clone();
        other.secret = "short".to_owned();
        assert_eq!(refused(&other.encode()), "secret");
        let mut other = token;
        other.ca_fingerprint = "AB".repeat(32);
        assert_eq!(refused(&other.encode()), "ca_fingerprint");
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let token = token();
        assert!(!format!("{token:?}").contains(&token.secret));
        let request = EnrollRequest {
            protocol_version: crate::PROTOCOL_VERSION,
            secret: token.secret.clone(),
            device_id: token.device_id.clone(),
            csr_pem: String::new(),
        };
        assert!(!format!("{request:?}").contains(&token.secret));
    }

    #[test]
    fn key_words_are_five_distinct_words_from_a_list_without_repeats() {
        let mut sorted = KEY_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 256, "the word list has repeats");
        let words = key_words(b"some public key");
        assert_eq!(words.split('-').count(), 5);
        assert_eq!(words, key_words(b"some public key"));
        assert_ne!(words, key_words(b"another public key"));
    }
}
