//! Enrollment over real TLS on both back ends: a token is used once, and
//! every way a token can be wrong is refused with its own code; guessing is
//! cut off per address. The device's side (its key kept in the vault) is in
//! `kluis-sync`'s tests.

use kluis_protocol::enrollment::{
    EnrollRequest, EnrollResponse, EnrollmentToken, new_secret, secret_hash,
};
use kluis_protocol::{ErrorCode, PROTOCOL_VERSION};
use kluis_server::enrollment::MAX_FAILURES;
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::StoredToken;
use kluis_testkit::{Backend, TestStore, off_runtime, on_both_back_ends};

use crate::support::{HttpsClients, error_body};

/// A certificate request for a new key, as a device makes it.
fn request_for(token: &EnrollmentToken, device_id: &str) -> EnrollRequest {
    let key = rcgen::KeyPair::generate().expect("key");
    let csr_pem = rcgen::CertificateParams::default()
        .serialize_request(&key)
        .expect("request")
        .pem()
        .expect("pem");
    EnrollRequest {
        protocol_version: PROTOCOL_VERSION,
        secret: token.secret.clone(),
        device_id: device_id.to_owned(),
        csr_pem,
    }
}

async fn send<S: Backend>(store: &TestStore<S>, request: &EnrollRequest) -> reqwest::Response {
    store
        .client(None)
        .post(store.url("/v1/enroll"))
        .json(request)
        .send()
        .await
        .expect("an answer")
}

async fn refused<S: Backend>(store: &TestStore<S>, request: &EnrollRequest) -> (u16, ErrorCode) {
    let (status, body) = error_body(send(store, request).await).await;
    (status, body.code)
}

/// The token enrolls the device it names, once: the certificate the store
/// signs is the device's, works for mutual TLS, and names the device; the
/// store keeps the words of its key and only a hash of the secret.
async fn a_token_enrolls_its_device_once<S: Backend>() {
    let store = TestStore::<S>::start().await;
    let token = store.enrollment_token("anna-laptop");
    let request = request_for(&token, "anna-laptop");

    let response = send(&store, &request).await;
    assert_eq!(response.status().as_u16(), 200);
    let enrolled: EnrollResponse = response.json().await.expect("answer");
    assert_eq!(enrolled.practitioner_id, "anna");
    assert_eq!(enrolled.ca_pem, store.ca.certificate_pem());

    let parsed = x509_parser::pem::parse_x509_pem(enrolled.certificate_pem.as_bytes())
        .expect("pem")
        .1;
    let certificate = parsed.parse_x509().expect("certificate");
    assert!(
        certificate.subject().to_string().contains("anna-laptop"),
        "{}",
        certificate.subject()
    );

    let devices = off_runtime(|| store.store.list_devices()).expect("devices");
    let device = devices
        .iter()
        .find(|device| device.id == "anna-laptop")
        .expect("the device is registered");
    assert_eq!(device.practitioner_id, "anna");
    assert_eq!(
        device
            .key_words
            .as_deref()
            .map(|words| words.split('-').count()),
        Some(5)
    );

    assert_eq!(refused(&store, &request).await, (403, ErrorCode::TokenUsed));
    let again = request_for(&token, "anna-laptop");
    assert_eq!(refused(&store, &again).await, (403, ErrorCode::TokenUsed));
}

/// Unknown, expired and another device's tokens each have their own code,
/// and none of them registers a device.
async fn every_wrong_token_is_refused_with_its_own_code<S: Backend>() {
    let store = TestStore::<S>::start().await;
    let token = store.enrollment_token("anna-laptop");

    let mut unknown = request_for(&token, "anna-laptop");
    unknown.secret = new_secret();
    assert_eq!(
        refused(&store, &unknown).await,
        (401, ErrorCode::TokenUnknown)
    );

    let other_device = request_for(&token, "bram-laptop");
    assert_eq!(
        refused(&store, &other_device).await,
        (403, ErrorCode::TokenForAnotherDevice)
    );

    let expired_secret = new_secret();
    off_runtime(|| {
        store.store.add_enrollment_token(&StoredToken {
            secret_hash: secret_hash(&expired_secret),
            practitioner_id: "anna".to_owned(),
            device_id: "anna-tablet".to_owned(),
            created_at: "2026-12-01T08:00:00Z".to_owned(),
            expires_at: "2026-12-01T09:00:00Z".to_owned(),
            used_at: None,
        })
    })
    .expect("expired token");
    let mut expired = request_for(&token, "anna-tablet");
    expired.secret = expired_secret;
    assert_eq!(
        refused(&store, &expired).await,
        (403, ErrorCode::TokenExpired)
    );

    let devices = off_runtime(|| store.store.list_devices()).expect("devices");
    assert!(devices.is_empty(), "{devices:?}");

    // The right token still works after the wrong ones.
    let response = send(&store, &request_for(&token, "anna-laptop")).await;
    assert_eq!(response.status().as_u16(), 200);
}

/// After too many wrong tokens from one address, even a right one is
/// refused from there until the window passes.
async fn guessing_tokens_is_cut_off<S: Backend>() {
    let store = TestStore::<S>::start().await;
    let token = store.enrollment_token("anna-laptop");
    for _ in 0..MAX_FAILURES {
        let mut guess = request_for(&token, "anna-laptop");
        guess.secret = new_secret();
        assert_eq!(
            refused(&store, &guess).await,
            (401, ErrorCode::TokenUnknown)
        );
    }
    let right = request_for(&token, "anna-laptop");
    assert_eq!(
        refused(&store, &right).await,
        (429, ErrorCode::TooManyAttempts)
    );
}

/// A request that is not a certificate request, or whose signature is not
/// its key's, is refused and does not use the token.
async fn a_damaged_certificate_request_does_not_use_the_token<S: Backend>() {
    let store = TestStore::<S>::start().await;
    let token = store.enrollment_token("anna-laptop");
    let mut damaged = request_for(&token, "anna-laptop");
    damaged.csr_pem = damaged.csr_pem.replace('A', "B");
    assert_eq!(refused(&store, &damaged).await, (400, ErrorCode::Invalid));
    let response = send(&store, &request_for(&token, "anna-laptop")).await;
    assert_eq!(response.status().as_u16(), 200);
}

on_both_back_ends!(
    a_token_enrolls_its_device_once,
    every_wrong_token_is_refused_with_its_own_code,
    guessing_tokens_is_cut_off,
    a_damaged_certificate_request_does_not_use_the_token,
);
