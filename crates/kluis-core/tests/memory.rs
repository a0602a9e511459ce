//! Proof that locking leaves no readable copy of client data in this process.
//!
//! Each test writes a client whose remarks hold a random sentinel, reads it
//! back, locks, and scans the whole process memory (`/proc/self/mem`, skipping
//! untouched pages via `/proc/self/pagemap`) for the sentinel as UTF-8 and
//! UTF-16. The scanner holds the sentinel only XOR-masked. The control test
//! switches the scrubbing off and must find copies: it shows the scan can fail.
//! nextest runs every test in its own process, so the global settings of one
//! test do not leak into the other.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use kluis_core::clients::{ClientInput, Consents};
use kluis_core::kdf::KdfPolicy;
use kluis_core::keystore::DeviceSecretStore;
use kluis_core::memory::{ScrubbingAllocator, harden_process, set_heap_scrubbing};
use kluis_core::memscan::{MaskedPattern, scan_process};
use kluis_core::practitioner::Role;
use kluis_core::secret::{DeviceSecret, Passphrase};
use kluis_core::throttle::ThrottlePolicy;
use kluis_core::vault::VaultConfig;
use kluis_core::{CoreError, CoreResult, Kluis};

#[global_allocator]
static ALLOCATOR: ScrubbingAllocator = ScrubbingAllocator;

/// The memory test is about memory, not the keyring: an in-process store.
#[derive(Debug, Default)]
struct InProcessSecrets(Mutex<HashMap<String, [u8; 32]>>);

impl DeviceSecretStore for InProcessSecrets {
    fn store(&self, vault_id: &str, secret: &DeviceSecret) -> CoreResult<()> {
        self.0
            .lock()
            .unwrap()
            .insert(vault_id.to_owned(), *secret.expose_secret_bytes());
        Ok(())
    }
    fn load(&self, vault_id: &str) -> CoreResult<DeviceSecret> {
        let mut bytes = *self
            .0
            .lock()
            .unwrap()
            .get(vault_id)
            .ok_or(CoreError::DeviceSecretMissing)?;
        Ok(DeviceSecret::from_bytes_wiping(&mut bytes))
    }
    fn delete(&self, vault_id: &str) -> CoreResult<()> {
        self.0.lock().unwrap().remove(vault_id);
        Ok(())
    }
}

/// Unlocks a vault, writes and reads a client holding a fresh sentinel, locks,
/// and returns the masked sentinel.
fn write_read_and_lock(directory: &std::path::Path) -> MaskedPattern {
    let config = VaultConfig {
        kdf: KdfPolicy::owasp_floor(),
        throttle: ThrottlePolicy::default(),
    };
    let kluis = Kluis::open_profile(directory, config, Arc::new(InProcessSecrets::default()));
    kluis
        .create_vault(
            &Passphrase::from("paarse olifanten dansen traag 4821"),
            "Test Practitioner",
            Role::Psychologist,
        )
        .unwrap();
    kluis.lock();
    kluis
        .unlock(&Passphrase::from("paarse olifanten dansen traag 4821"))
        .unwrap();

    let mut sentinel_bytes =
        format!("SENTINEL{}", hex::encode(rand::random::<[u8; 16]>())).into_bytes();
    let pattern = MaskedPattern::from_plain_wiping(&mut sentinel_bytes.clone());
    let remarks = String::from_utf8(std::mem::take(&mut sentinel_bytes)).unwrap();
    let created = kluis
        .create_client(ClientInput {
            first_name: "Sentinel".to_owned(),
            last_name: None,
            email: "sentinel@example.nl".to_owned(),
            birth_year: 1990,
            phone: "06 1234 5678".to_owned(),
            employer: None,
            care_start: "2026-01-05".to_owned(),
            care_end: None,
            // glibc reuses the first 16 bytes of a freed chunk for its free lists,
            // so the sentinel sits well inside the text, where a leftover copy
            // survives unless something wipes it.
            remarks: format!(
                "Intakegesprek, vertrouwelijke notities van de sessie: {remarks} — einde"
            ),
            consents: Consents {
                health_data_consent_date: "2026-01-05".to_owned(),
                employer_reporting_opt_in: false,
                employer_reporting_date: None,
            },
            restricted: false,
        })
        .unwrap();
    drop(remarks);
    let read_back = kluis.get_client(&created.id).unwrap();
    assert!(read_back.input.remarks.len() > 40);
    let listed = kluis.list_clients().unwrap();
    assert_eq!(listed.len(), 1);
    drop((created, read_back, listed));

    let outcome = kluis.lock();
    assert!(outcome.was_unlocked);
    drop(kluis);
    pattern
}

fn scan_for(pattern: &MaskedPattern) -> (usize, usize) {
    let utf16 = pattern.to_utf16le();
    let report = scan_process(None, &[pattern, &utf16]).unwrap();
    assert!(
        report.bytes_scanned > 1_000_000,
        "the scan must actually read memory: {report:?}"
    );
    eprintln!(
        "{}: scanned {} regions, {} MiB; utf8 hits {}, utf16 hits {}; regions {:?}",
        std::thread::current().name().unwrap_or("?"),
        report.regions_scanned,
        report.bytes_scanned / (1024 * 1024),
        report.hits[0],
        report.hits[1],
        report.regions_with_hits
    );
    (report.hits[0], report.hits[1])
}

#[test]
fn no_copy_of_client_data_survives_a_lock() {
    let hardening = harden_process();
    assert!(
        hardening.malloc_perturb,
        "glibc M_PERTURB must be available here"
    );
    let directory = tempfile::tempdir().unwrap();
    let pattern = write_read_and_lock(directory.path());
    let (utf8_hits, utf16_hits) = scan_for(&pattern);
    assert_eq!(
        (utf8_hits, utf16_hits),
        (0, 0),
        "decrypted client data survived the lock"
    );
}

#[test]
fn control_without_scrubbing_the_scan_finds_leftovers() {
    set_heap_scrubbing(false);
    let directory = tempfile::tempdir().unwrap();
    let pattern = write_read_and_lock(directory.path());
    let (utf8_hits, _) = scan_for(&pattern);
    assert!(
        utf8_hits > 0,
        "without scrubbing the scan must find freed copies, or it proves nothing"
    );
}
