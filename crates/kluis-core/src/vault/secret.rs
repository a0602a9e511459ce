//! Secret types: not `Clone`, not `Serialize`, redacted in `Debug`, zeroized on drop.
//! The plaintext is reachable only through accessors whose names say so.

use std::fmt;

use rand::RngCore;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// A fixed-size secret key, such as the vault's data key (DEK) or the
/// key-encryption key (KEK).
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretKey<const N: usize> {
    bytes: Box<[u8; N]>,
}

impl<const N: usize> SecretKey<N> {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Self {
        let mut bytes = Box::new([0u8; N]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut_slice());
        Self { bytes }
    }

    /// Takes ownership of key material; the caller's copy is wiped.
    pub fn from_bytes_wiping(source: &mut [u8; N]) -> Self {
        let mut bytes = Box::new([0u8; N]);
        bytes.copy_from_slice(source);
        source.zeroize();
        Self { bytes }
    }

    pub fn expose_secret_bytes(&self) -> &[u8; N] {
        &self.bytes
    }

    /// The key as lower-case hex, in a buffer that is wiped when dropped.
    pub fn expose_secret_hex(&self) -> Zeroizing<String> {
        let mut hex = Zeroizing::new(String::with_capacity(N * 2));
        for byte in self.bytes.iter() {
            hex.push(hex_digit(byte >> 4));
            hex.push(hex_digit(byte & 0x0f));
        }
        hex
    }
}

fn hex_digit(nibble: u8) -> char {
    char::from(if nibble < 10 {
        b'0' + nibble
    } else {
        b'a' + nibble - 10
    })
}

impl<const N: usize> fmt::Debug for SecretKey<N> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("SecretKey(*****)")
    }
}

/// The 256-bit key SQLCipher encrypts the vault with.
pub type DataKey = SecretKey<32>;
/// The key that wraps the data key; derived from the passphrase and the device secret.
pub type KeyEncryptionKey = SecretKey<32>;
/// The per-vault secret kept in the OS keyring.
pub type DeviceSecret = SecretKey<32>;

/// A passphrase typed by the user.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Passphrase {
    text: String,
}

impl Passphrase {
    pub fn new(text: String) -> Self {
        Self { text }
    }

    pub fn expose_secret_str(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

impl From<String> for Passphrase {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl From<&str> for Passphrase {
    fn from(text: &str) -> Self {
        Self::new(text.to_owned())
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Passphrase(*****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_is_redacted() {
        let key = DataKey::generate();
        let passphrase = Passphrase::from("correct horse battery staple");
        assert_eq!(format!("{key:?}"), "SecretKey(*****)");
        assert_eq!(format!("{passphrase:?}"), "Passphrase(*****)");
    }

    #[test]
    fn hex_matches_bytes() {
        let mut raw = [0u8; 32];
        raw[0] = 0xab;
        raw[31] = 0x01;
        let key = DataKey::from_bytes_wiping(&mut raw);
        assert_eq!(raw, [0u8; 32], "the source copy must be wiped");
        let hex = key.expose_secret_hex();
        assert!(hex.starts_with("ab00"));
        assert!(hex.ends_with("0001"));
        assert_eq!(hex.len(), 64);
    }

    #[test]
    fn generated_keys_differ() {
        assert_ne!(
            DataKey::generate().expose_secret_bytes(),
            DataKey::generate().expose_secret_bytes()
        );
    }
}
