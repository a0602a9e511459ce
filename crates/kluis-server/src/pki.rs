//! The provider's certificate authority: made once by IT (`kluis-admin init`),
//! it issues the store's TLS certificate and one client certificate per device.
//! Devices are known by the SHA-256 fingerprint of their certificate.
//!
//! The CA's certificate is rebuilt from its fixed name and its key when it is
//! needed to sign: a signature depends only on the issuer's name and key, so
//! certificates signed later verify against the certificate written at `init`.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, CertificateRevocationListParams,
    DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
    RevocationReason, RevokedCertParams, SanType, SerialNumber,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, CertificateRevocationListDer};
use sha2::{Digest, Sha256};

use crate::error::{ServerError, ServerResult};

const CA_COMMON_NAME: &str = "Kluis provider CA";
const CA_YEARS: i64 = 10;
const LEAF_DAYS: i64 = 825;

/// A certificate and its private key, both PEM.
#[derive(Clone)]
pub struct IssuedCertificate {
    pub certificate_pem: String,
    pub key_pem: String,
    /// SHA-256 of the certificate's DER, lower-case hex.
    pub fingerprint: String,
    /// The certificate's serial number, lower-case hex (for the CRL).
    pub serial: String,
}

/// A certificate the CA signed for a key it never saw.
#[derive(Debug, Clone)]
pub struct SignedRequest {
    pub certificate_pem: String,
    /// SHA-256 of the certificate's DER, lower-case hex.
    pub fingerprint: String,
    /// The certificate's serial number, lower-case hex (for the CRL).
    pub serial: String,
    /// The public key, raw (for ECDSA the uncompressed point): what
    /// `kluis_protocol::enrollment::key_words` reads.
    pub public_key: Vec<u8>,
}

impl std::fmt::Debug for IssuedCertificate {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("IssuedCertificate")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// SHA-256 of a certificate's DER encoding, as lower-case hex.
pub fn fingerprint(der: &[u8]) -> String {
    hex::encode(Sha256::digest(der))
}

fn ca_params(organisation: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, CA_COMMON_NAME);
    name.push(DnType::OrganizationName, organisation);
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let now = time_now();
    params.not_before = now - rcgen_duration_days(1);
    params.not_after = now + rcgen_duration_days(365 * CA_YEARS);
    params
}

fn time_now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

fn rcgen_duration_days(days: i64) -> time::Duration {
    time::Duration::days(days)
}

/// The provider's CA: its key signs, its certificate is what everyone trusts.
pub struct CertificateAuthority {
    organisation: String,
    key: KeyPair,
    /// The issuer rcgen signs with: same name and key as the published
    /// certificate, but rebuilt on every load (rcgen cannot read one back),
    /// so its own encoding differs.
    certificate: Certificate,
    /// The certificate as it was made and saved (`ca.pem`): what devices
    /// trust and what an enrollment token's fingerprint names.
    published: CertificateDer<'static>,
}

impl std::fmt::Debug for CertificateAuthority {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("CertificateAuthority")
            .field("organisation", &self.organisation)
            .finish_non_exhaustive()
    }
}

impl CertificateAuthority {
    pub fn create(organisation: &str) -> ServerResult<Self> {
        let key = KeyPair::generate()?;
        let certificate = ca_params(organisation).self_signed(&key)?;
        Ok(Self {
            organisation: organisation.to_owned(),
            key,
            published: certificate.der().clone(),
            certificate,
        })
    }

    /// The CA's certificate as published (`ca.pem`).
    pub fn certificate_pem(&self) -> String {
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(&self.published);
        let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
        for line in encoded.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str("-----END CERTIFICATE-----\n");
        pem
    }

    pub fn certificate_der(&self) -> Vec<u8> {
        self.published.to_vec()
    }

    pub fn key_pem(&self) -> String {
        self.key.serialize_pem()
    }

    /// Writes `ca.pem`, `ca.key.pem` (owner-only) and `ca.org` into `directory`.
    pub fn save(&self, directory: &Path) -> ServerResult<()> {
        std::fs::create_dir_all(directory).map_err(ServerError::io(directory))?;
        write_file(
            &directory.join("ca.pem"),
            self.certificate_pem().as_bytes(),
            false,
        )?;
        write_file(
            &directory.join("ca.key.pem"),
            self.key_pem().as_bytes(),
            true,
        )?;
        write_file(
            &directory.join("ca.org"),
            self.organisation.as_bytes(),
            false,
        )
    }

    pub fn load(directory: &Path) -> ServerResult<Self> {
        let organisation = read_file(&directory.join("ca.org"))?;
        let key = KeyPair::from_pem(&read_file(&directory.join("ca.key.pem"))?)?;
        let certificate = ca_params(&organisation).self_signed(&key)?;
        let published =
            CertificateDer::from_pem_slice(read_file(&directory.join("ca.pem"))?.as_bytes())
                .map_err(|error| ServerError::Certificate(format!("ca.pem: {error}")))?;
        Ok(Self {
            organisation,
            key,
            certificate,
            published,
        })
    }

    fn issue(&self, params: CertificateParams) -> ServerResult<IssuedCertificate> {
        let now = time_now();
        self.issue_valid(
            params,
            now - rcgen_duration_days(1),
            now + rcgen_duration_days(LEAF_DAYS),
        )
    }

    fn issue_valid(
        &self,
        params: CertificateParams,
        not_before: time::OffsetDateTime,
        not_after: time::OffsetDateTime,
    ) -> ServerResult<IssuedCertificate> {
        let key = KeyPair::generate()?;
        let signed = self.sign(params, &key, not_before, not_after)?;
        Ok(IssuedCertificate {
            serial: signed.serial,
            fingerprint: signed.fingerprint,
            certificate_pem: signed.certificate_pem,
            key_pem: key.serialize_pem(),
        })
    }

    /// A device's certificate for the key in its certificate request (PKCS
    /// #10, PEM), whose signature must be the key's own. Only the key comes
    /// from the request: the name (the device id), the usage and the
    /// validity are the store's, as for every device certificate.
    pub fn sign_device_request(
        &self,
        device_id: &str,
        request_pem: &str,
    ) -> ServerResult<SignedRequest> {
        let request = rcgen::CertificateSigningRequestParams::from_pem(request_pem)
            .map_err(|_| ServerError::Invalid("certificate request".to_owned()))?;
        let now = time_now();
        self.sign(
            device_params(device_id)?,
            &request.public_key,
            now - rcgen_duration_days(1),
            now + rcgen_duration_days(LEAF_DAYS),
        )
    }

    fn sign(
        &self,
        mut params: CertificateParams,
        key: &impl rcgen::PublicKeyData,
        not_before: time::OffsetDateTime,
        not_after: time::OffsetDateTime,
    ) -> ServerResult<SignedRequest> {
        params.not_before = not_before;
        params.not_after = not_after;
        // A random, positive 128-bit serial: unique without bookkeeping, and
        // what the revocation list names.
        let mut serial = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut serial);
        serial[0] &= 0x7f;
        params.serial_number = Some(SerialNumber::from_slice(&serial));
        params.use_authority_key_identifier_extension = true;
        let certificate = params.signed_by(key, &self.certificate, &self.key)?;
        Ok(SignedRequest {
            serial: hex::encode(serial),
            fingerprint: fingerprint(certificate.der()),
            certificate_pem: certificate.pem(),
            public_key: key.der_bytes().to_vec(),
        })
    }

    /// A revocation list naming the given certificate serials (hex), valid
    /// for a week; PEM. The store loads it into the TLS handshake.
    pub fn revocation_list(&self, revoked_serials: &[String]) -> ServerResult<String> {
        let now = time_now();
        self.revocation_list_valid(
            revoked_serials,
            now - rcgen_duration_days(1),
            now + rcgen_duration_days(REVOCATION_LIST_DAYS),
        )
    }

    /// A revocation list with the given validity: for tests of a list that
    /// is out of date.
    pub fn revocation_list_valid(
        &self,
        revoked_serials: &[String],
        this_update: time::OffsetDateTime,
        next_update: time::OffsetDateTime,
    ) -> ServerResult<String> {
        let now = time_now();
        let mut revoked = Vec::with_capacity(revoked_serials.len());
        for serial in revoked_serials {
            let bytes = hex::decode(serial)
                .map_err(|_| ServerError::Invalid("certificate serial".to_owned()))?;
            revoked.push(RevokedCertParams {
                serial_number: SerialNumber::from_slice(&bytes),
                revocation_time: now,
                reason_code: Some(RevocationReason::CessationOfOperation),
                invalidity_date: None,
            });
        }
        let crl_number = u64::try_from(now.unix_timestamp()).unwrap_or_default();
        let list = CertificateRevocationListParams {
            this_update,
            next_update,
            crl_number: SerialNumber::from(crl_number),
            issuing_distribution_point: None,
            revoked_certs: revoked,
            key_identifier_method: rcgen::KeyIdMethod::Sha256,
        }
        .signed_by(&self.certificate, &self.key)?;
        Ok(list.pem()?)
    }

    /// The store's TLS certificate for the given host names and addresses.
    pub fn issue_server(&self, hosts: &[String]) -> ServerResult<IssuedCertificate> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        for host in hosts {
            params
                .subject_alt_names
                .push(match host.parse::<std::net::IpAddr>() {
                    Ok(address) => SanType::IpAddress(address),
                    Err(_) => SanType::DnsName(host.clone().try_into()?),
                });
        }
        params
            .distinguished_name
            .push(DnType::CommonName, "Kluis central store");
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        self.issue(params)
    }

    /// A device's client certificate; its subject names the device.
    pub fn issue_device(&self, device_id: &str) -> ServerResult<IssuedCertificate> {
        self.issue(device_params(device_id)?)
    }

    /// A device certificate valid between two instants (UTC), e.g. a short
    /// one for a temporary device.
    pub fn issue_device_valid(
        &self,
        device_id: &str,
        valid_from: chrono::DateTime<chrono::Utc>,
        valid_until: chrono::DateTime<chrono::Utc>,
    ) -> ServerResult<IssuedCertificate> {
        let instant = |moment: chrono::DateTime<chrono::Utc>| {
            time::OffsetDateTime::from_unix_timestamp(moment.timestamp())
                .map_err(|_| ServerError::Invalid("certificate validity".to_owned()))
        };
        self.issue_valid(
            device_params(device_id)?,
            instant(valid_from)?,
            instant(valid_until)?,
        )
    }
}

fn device_params(device_id: &str) -> ServerResult<CertificateParams> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params
        .distinguished_name
        .push(DnType::CommonName, format!("Kluis device {device_id}"));
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    Ok(params)
}

fn read_file(path: &Path) -> ServerResult<String> {
    std::fs::read_to_string(path).map_err(ServerError::io(path))
}

/// Writes a file; private keys are made readable by the owner only.
/// Writes the revocation list of every revoked device, signed by `ca`, to
/// `path`: by `kluis-admin revoke` and `crl`, and by the store itself when a
/// wipe receipt revokes a device. A running store takes the new file within
/// seconds (`kluis-server` watches it).
pub fn write_revocation_list<S: crate::store::Store>(
    store: &S,
    ca: &CertificateAuthority,
    path: &Path,
) -> ServerResult<()> {
    let revoked: Vec<String> = store
        .list_devices()?
        .into_iter()
        .filter(|device| device.revoked_at.is_some())
        .filter_map(|device| device.cert_serial)
        .collect();
    write_file(path, ca.revocation_list(&revoked)?.as_bytes(), false)
}

pub fn write_file(path: &Path, bytes: &[u8], private: bool) -> ServerResult<()> {
    use std::io::Write;
    // Written beside and renamed over: a running store that reads the file
    // (the revocation list) sees the old one or the new one, never half.
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.writing"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&temporary)
        .map_err(ServerError::io(&temporary))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(ServerError::io(&temporary))?;
    std::fs::rename(&temporary, path).map_err(ServerError::io(path))
}

/// Where `kluis-admin init` puts the store's files.
#[derive(Debug, Clone)]
pub struct StoreFiles {
    pub directory: PathBuf,
}

impl StoreFiles {
    pub fn new(directory: impl Into<PathBuf>) -> Self {
        Self {
            directory: directory.into(),
        }
    }

    pub fn ca_directory(&self) -> PathBuf {
        self.directory.join("ca")
    }

    pub fn server_certificate(&self) -> PathBuf {
        self.directory.join("server.pem")
    }

    pub fn server_key(&self) -> PathBuf {
        self.directory.join("server.key.pem")
    }

    pub fn database(&self) -> PathBuf {
        self.directory.join("store.db")
    }

    /// The revocation list `kluis-admin revoke` writes and the store loads.
    pub fn revocation_list(&self) -> PathBuf {
        self.directory.join("crl.pem")
    }
}

/// Days a revocation list is valid: IT writes a new one (`kluis-admin crl`)
/// before then; the store reports a list past its next update as stale.
pub const REVOCATION_LIST_DAYS: i64 = 7;

/// When a revocation list (PEM) says its next update is due.
pub fn revocation_list_next_update(pem: &str) -> ServerResult<chrono::DateTime<chrono::Utc>> {
    let invalid = || ServerError::Certificate("an unreadable revocation list".to_owned());
    let der =
        CertificateRevocationListDer::from_pem_slice(pem.as_bytes()).map_err(|_| invalid())?;
    use x509_parser::prelude::FromDer;
    let (_, list) = x509_parser::revocation_list::CertificateRevocationList::from_der(&der)
        .map_err(|_| invalid())?;
    let next_update = list.next_update().ok_or_else(invalid)?;
    chrono::DateTime::from_timestamp(next_update.timestamp(), 0).ok_or_else(invalid)
}
