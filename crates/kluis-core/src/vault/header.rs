//! The vault header: a small versioned JSON file beside the database that holds
//! everything needed to turn a passphrase into the data key, authenticated with a
//! key only the device secret yields.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{CoreError, CoreResult};
use crate::vault::kdf::Argon2Parameters;
use crate::vault::secret::{DataKey, DeviceSecret, KeyEncryptionKey};

pub const HEADER_FORMAT_VERSION: u32 = 1;

/// The SQLCipher settings a vault was made with, so a later version of Kluis
/// opens it the same way even if its defaults change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqlcipherSettings {
    /// `PRAGMA cipher_version` when the vault was created, for diagnosis.
    pub cipher_version: String,
    pub page_size: u32,
    pub hmac_algorithm: String,
    pub kdf_algorithm: String,
    pub memory_security: bool,
}

impl SqlcipherSettings {
    /// 4 KiB pages with HMAC-SHA256. With `cipher_memory_security` on, SQLCipher
    /// locks and wipes every buffer it frees, which makes large pages expensive:
    /// measured with SQLCipher 4.14, 16 KiB pages cost 1.9× plain SQLite on a bulk
    /// insert and 2.5× on autosaves, 4 KiB pages about 1.0× and 1.3× (see
    /// docs/benchmarks.md). Every page stays authenticated either way.
    pub fn recommended(cipher_version: String) -> Self {
        Self {
            cipher_version,
            page_size: 4 * 1024,
            hmac_algorithm: "HMAC_SHA256".to_owned(),
            kdf_algorithm: "PBKDF2_HMAC_SHA256".to_owned(),
            memory_security: true,
        }
    }

    pub(crate) fn validate(&self) -> CoreResult<()> {
        let page_size_ok =
            self.page_size.is_power_of_two() && (512..=65536).contains(&self.page_size);
        let hmac_ok = matches!(
            self.hmac_algorithm.as_str(),
            "HMAC_SHA1" | "HMAC_SHA256" | "HMAC_SHA512"
        );
        let kdf_ok = matches!(
            self.kdf_algorithm.as_str(),
            "PBKDF2_HMAC_SHA1" | "PBKDF2_HMAC_SHA256" | "PBKDF2_HMAC_SHA512"
        );
        if page_size_ok && hmac_ok && kdf_ok {
            Ok(())
        } else {
            Err(CoreError::HeaderTampered("unknown sqlcipher settings"))
        }
    }
}

/// The authenticated content of the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderBody {
    pub format_version: u32,
    pub vault_id: String,
    pub created_at: String,
    pub argon2: Argon2Parameters,
    /// Hex salt for Argon2id; new at every passphrase change.
    pub passphrase_salt: String,
    /// Hex XChaCha20-Poly1305 nonce and sealed data key.
    pub wrap_nonce: String,
    pub wrapped_data_key: String,
    /// Hex of the 16-byte salt SQLCipher wrote at the start of the database
    /// file; ties this header to exactly one database.
    pub database_salt: String,
    pub sqlcipher: SqlcipherSettings,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderFile {
    body: HeaderBody,
    /// Hex HMAC-SHA256 of the body's JSON under the header MAC key.
    mac: String,
}

/// What the data key is sealed together with, so a wrapped key cannot be moved
/// to a header with other parameters.
#[derive(Serialize)]
struct WrapBinding<'a> {
    purpose: &'static str,
    vault_id: &'a str,
    argon2: Argon2Parameters,
    passphrase_salt: &'a str,
}

impl HeaderBody {
    /// Reads the format version without trusting anything else, so a newer
    /// vault gives a clear "unsupported version" instead of "tampered".
    pub fn parse_unverified(bytes: &[u8]) -> CoreResult<(HeaderBody, String)> {
        #[derive(Deserialize)]
        struct VersionOnly {
            body: VersionBody,
        }
        #[derive(Deserialize)]
        struct VersionBody {
            format_version: u32,
        }
        let version: VersionOnly = serde_json::from_slice(bytes)
            .map_err(|_| CoreError::HeaderTampered("the header is not valid"))?;
        if version.body.format_version != HEADER_FORMAT_VERSION {
            return Err(CoreError::UnsupportedVaultVersion(
                version.body.format_version,
            ));
        }
        let file: HeaderFile = serde_json::from_slice(bytes)
            .map_err(|_| CoreError::HeaderTampered("the header is not valid"))?;
        Ok((file.body, file.mac))
    }

    /// Checks the MAC with the key derived from the device secret.
    pub fn verify(&self, mac_hex: &str, mac_key: &DeviceSecret) -> CoreResult<()> {
        let expected = hex::decode(mac_hex)
            .map_err(|_| CoreError::HeaderTampered("the header MAC is not valid"))?;
        self.mac(mac_key)?
            .verify_slice(&expected)
            .map_err(|_| CoreError::HeaderTampered("the header MAC does not match"))?;
        self.sqlcipher.validate()?;
        if !self.argon2.meets_floor() {
            return Err(CoreError::HeaderTampered(
                "key derivation parameters below the floor",
            ));
        }
        Ok(())
    }

    pub fn to_signed_json(&self, mac_key: &DeviceSecret) -> CoreResult<Vec<u8>> {
        let mac = hex::encode(self.mac(mac_key)?.finalize().into_bytes());
        let file = HeaderFile {
            body: self.clone(),
            mac,
        };
        serde_json::to_vec_pretty(&file).map_err(|error| CoreError::Internal(error.to_string()))
    }

    fn mac(&self, mac_key: &DeviceSecret) -> CoreResult<Hmac<Sha256>> {
        let body =
            serde_json::to_vec(self).map_err(|error| CoreError::Internal(error.to_string()))?;
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(mac_key.expose_secret_bytes())
            .map_err(|_| CoreError::Internal("hmac key".to_owned()))?;
        mac.update(&body);
        Ok(mac)
    }

    fn binding(&self) -> CoreResult<Vec<u8>> {
        serde_json::to_vec(&WrapBinding {
            purpose: "kluis/dek-wrap/v1",
            vault_id: &self.vault_id,
            argon2: self.argon2,
            passphrase_salt: &self.passphrase_salt,
        })
        .map_err(|error| CoreError::Internal(error.to_string()))
    }

    /// Seals the data key under the KEK and stores the result in this header.
    pub fn wrap_data_key(&mut self, data_key: &DataKey, kek: &KeyEncryptionKey) -> CoreResult<()> {
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new(kek.expose_secret_bytes().into());
        let binding = self.binding()?;
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: data_key.expose_secret_bytes(),
                    aad: &binding,
                },
            )
            .map_err(|_| CoreError::Internal("sealing the data key failed".to_owned()))?;
        self.wrap_nonce = hex::encode(nonce);
        self.wrapped_data_key = hex::encode(sealed);
        Ok(())
    }

    /// Opens the sealed data key. The header is authentic at this point, so a
    /// failure means the passphrase is wrong.
    pub fn unwrap_data_key(&self, kek: &KeyEncryptionKey) -> CoreResult<DataKey> {
        let nonce =
            hex::decode(&self.wrap_nonce).map_err(|_| CoreError::HeaderTampered("nonce"))?;
        let sealed = hex::decode(&self.wrapped_data_key)
            .map_err(|_| CoreError::HeaderTampered("wrapped key"))?;
        if nonce.len() != 24 {
            return Err(CoreError::HeaderTampered("nonce"));
        }
        let cipher = XChaCha20Poly1305::new(kek.expose_secret_bytes().into());
        let binding = self.binding()?;
        let opened = zeroize::Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &sealed,
                        aad: &binding,
                    },
                )
                .map_err(|_| CoreError::WrongPassphrase)?,
        );
        let mut fixed: [u8; 32] = opened
            .as_slice()
            .try_into()
            .map_err(|_| CoreError::HeaderTampered("wrapped key length"))?;
        Ok(DataKey::from_bytes_wiping(&mut fixed))
    }
}
