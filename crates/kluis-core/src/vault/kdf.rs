//! Key derivation: Argon2id over the passphrase, combined with the device secret.

use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{CoreError, CoreResult};
use crate::vault::secret::{DeviceSecret, KeyEncryptionKey, Passphrase, SecretKey};

/// OWASP's floor for Argon2id: 19 MiB and two passes. No vault is ever made or
/// opened with less.
pub const OWASP_FLOOR_MEMORY_KIB: u32 = 19 * 1024;
pub const OWASP_FLOOR_ITERATIONS: u32 = 2;

/// Argon2id parameters as stored in the vault header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Argon2Parameters {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Argon2Parameters {
    pub fn meets_floor(&self) -> bool {
        self.memory_kib >= OWASP_FLOOR_MEMORY_KIB
            && self.iterations >= OWASP_FLOOR_ITERATIONS
            && self.parallelism >= 1
    }

    fn to_argon2(self) -> CoreResult<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
            .map_err(|_| CoreError::HeaderTampered("key derivation parameters out of range"))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// How parameters are chosen when a vault is created.
#[derive(Debug, Clone, Copy)]
pub struct KdfPolicy {
    /// Memory cost; the production default is 64 MiB.
    pub memory_kib: u32,
    /// The time one derivation should take on this machine.
    pub target_duration: Duration,
    pub min_iterations: u32,
    pub max_iterations: u32,
}

impl Default for KdfPolicy {
    fn default() -> Self {
        Self {
            memory_kib: 64 * 1024,
            target_duration: Duration::from_millis(250),
            min_iterations: OWASP_FLOOR_ITERATIONS,
            max_iterations: 16,
        }
    }
}

impl KdfPolicy {
    /// The cheapest parameters the core accepts, for tests that are about
    /// something other than key derivation.
    pub fn owasp_floor() -> Self {
        Self {
            memory_kib: OWASP_FLOOR_MEMORY_KIB,
            target_duration: Duration::ZERO,
            min_iterations: OWASP_FLOOR_ITERATIONS,
            max_iterations: OWASP_FLOOR_ITERATIONS,
        }
    }

    /// Measures Argon2id on this machine and picks the number of passes that
    /// comes closest to the target duration without going below the floor.
    pub fn calibrate(&self) -> CoreResult<Argon2Parameters> {
        let memory_kib = self.memory_kib.max(OWASP_FLOOR_MEMORY_KIB);
        let min_iterations = self.min_iterations.max(OWASP_FLOOR_ITERATIONS);
        let probe = Argon2Parameters {
            memory_kib,
            iterations: min_iterations,
            parallelism: 1,
        };
        if self.max_iterations <= min_iterations || self.target_duration.is_zero() {
            return Ok(probe);
        }
        let started = Instant::now();
        let _ = derive_passphrase_hash(&Passphrase::from("calibration"), &[0u8; 16], probe)?;
        let per_iteration = started.elapsed().as_secs_f64() / f64::from(min_iterations);
        let wanted = (self.target_duration.as_secs_f64() / per_iteration.max(1e-6)).round();
        // The float is clamped to the allowed range before the conversion.
        let iterations =
            wanted.clamp(f64::from(min_iterations), f64::from(self.max_iterations)) as u32;
        Ok(Argon2Parameters {
            memory_kib,
            iterations,
            parallelism: 1,
        })
    }
}

/// Argon2id(passphrase, salt) → 32 bytes.
pub fn derive_passphrase_hash(
    passphrase: &Passphrase,
    salt: &[u8],
    parameters: Argon2Parameters,
) -> CoreResult<Zeroizing<[u8; 32]>> {
    if !parameters.meets_floor() {
        return Err(CoreError::HeaderTampered(
            "key derivation parameters below the floor",
        ));
    }
    let mut output = Zeroizing::new([0u8; 32]);
    parameters
        .to_argon2()?
        .hash_password_into(
            passphrase.expose_secret_str().as_bytes(),
            salt,
            output.as_mut_slice(),
        )
        .map_err(|_| CoreError::Internal("argon2id failed".to_owned()))?;
    Ok(output)
}

/// KEK = HKDF-SHA256(Argon2id(passphrase) ‖ device secret), bound to the vault id,
/// so that a copied vault file plus a guessed passphrase is not enough.
pub fn derive_key_encryption_key(
    passphrase_hash: &[u8; 32],
    device_secret: &DeviceSecret,
    vault_id: &str,
) -> CoreResult<KeyEncryptionKey> {
    let mut input = Zeroizing::new([0u8; 64]);
    input[..32].copy_from_slice(passphrase_hash);
    input[32..].copy_from_slice(device_secret.expose_secret_bytes());
    expand(input.as_slice(), vault_id.as_bytes(), b"kluis/kek/v1")
}

/// The key that authenticates the vault header; only the device secret feeds it,
/// so a tampered header is told apart from a wrong passphrase.
pub fn derive_header_mac_key(
    device_secret: &DeviceSecret,
    vault_id: &str,
) -> CoreResult<SecretKey<32>> {
    expand(
        device_secret.expose_secret_bytes(),
        vault_id.as_bytes(),
        b"kluis/header-mac/v1",
    )
}

fn expand(input_key_material: &[u8], salt: &[u8], info: &[u8]) -> CoreResult<SecretKey<32>> {
    let mut output = [0u8; 32];
    Hkdf::<Sha256>::new(Some(salt), input_key_material)
        .expand(info, &mut output)
        .map_err(|_| CoreError::Internal("hkdf expand failed".to_owned()))?;
    Ok(SecretKey::from_bytes_wiping(&mut output))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_never_goes_below_the_floor() {
        let policy = KdfPolicy {
            memory_kib: 1024,
            target_duration: Duration::from_millis(1),
            min_iterations: 1,
            max_iterations: 3,
        };
        let parameters = policy.calibrate().expect("calibrates");
        assert!(parameters.meets_floor(), "{parameters:?}");
    }

    #[test]
    fn parameters_below_the_floor_are_refused() {
        let weak = Argon2Parameters {
            memory_kib: 8 * 1024,
            iterations: 1,
            parallelism: 1,
        };
        assert!(matches!(
            derive_passphrase_hash(&Passphrase::from("x"), &[0u8; 16], weak),
            Err(CoreError::HeaderTampered(_))
        ));
    }

    #[test]
    fn kek_depends_on_passphrase_device_secret_and_vault() {
        let secret = DeviceSecret::generate();
        let other_secret = DeviceSecret::generate();
        let hash = [7u8; 32];
        let kek = derive_key_encryption_key(&hash, &secret, "a").expect("kek");
        let same = derive_key_encryption_key(&hash, &secret, "a").expect("kek");
        let other_vault = derive_key_encryption_key(&hash, &secret, "b").expect("kek");
        let other_device = derive_key_encryption_key(&hash, &other_secret, "a").expect("kek");
        let other_passphrase = derive_key_encryption_key(&[8u8; 32], &secret, "a").expect("kek");
        assert_eq!(kek.expose_secret_bytes(), same.expose_secret_bytes());
        for different in [other_vault, other_device, other_passphrase] {
            assert_ne!(kek.expose_secret_bytes(), different.expose_secret_bytes());
        }
    }
}
