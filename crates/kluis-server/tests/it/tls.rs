//! The store over real mutual TLS on port 0: who gets in and who does not.

use kluis_protocol::{DeviceIdentity, ErrorCode, ServerInfo};
use kluis_server::pki::CertificateAuthority;
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::Store;

use crate::support::{HttpsClients, TestStore, error_body};

#[tokio::test]
async fn an_enrolled_device_is_known_by_its_certificate() {
    let store = TestStore::<SqliteStore>::start().await;
    let device = store.enroll("device-1");
    let client = store.client(Some(&device));

    let info: ServerInfo = client
        .get(store.url("/v1/info"))
        .send()
        .await
        .expect("info")
        .json()
        .await
        .expect("info body");
    assert_eq!(info.region, "nl");
    assert_eq!(info.protocol_version, kluis_protocol::PROTOCOL_VERSION);

    let identity: DeviceIdentity = client
        .get(store.url("/v1/whoami"))
        .send()
        .await
        .expect("whoami")
        .error_for_status()
        .expect("200")
        .json()
        .await
        .expect("identity");
    assert_eq!(identity.device_id, "device-1");
    assert_eq!(identity.practitioner_id, "anna");
    assert_eq!(identity.role, "psychologist");
    assert!(!identity.wipe_requested);
}

/// Without a certificate the handshake succeeds (for enrollment), and every
/// other route, even the harmless `/v1/info` and an unknown one, answers
/// `certificate_required` and nothing else.
#[tokio::test]
async fn a_connection_without_a_client_certificate_reaches_only_enrollment() {
    let store = TestStore::<SqliteStore>::start().await;
    let anonymous = store.client(None);
    for path in ["/v1/info", "/v1/whoami", "/v1/nothing-here"] {
        let response = anonymous
            .get(store.url(path))
            .send()
            .await
            .expect("an answer");
        let (status, body) = error_body(response).await;
        assert_eq!(
            (status, body.code),
            (401, ErrorCode::CertificateRequired),
            "{path}"
        );
    }
    for path in ["/v1/pull", "/v1/push", "/v1/audit"] {
        let response = anonymous
            .post(store.url(path))
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("an answer");
        let (status, body) = error_body(response).await;
        assert_eq!(
            (status, body.code),
            (401, ErrorCode::CertificateRequired),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_certificate_from_another_ca_is_refused() {
    let store = TestStore::<SqliteStore>::start().await;
    let other_ca = CertificateAuthority::create("Iemand anders").expect("other ca");
    let stranger = other_ca.issue_device("device-x").expect("stranger");
    let result = store
        .client(Some(&stranger))
        .get(store.url("/v1/info"))
        .send()
        .await;
    assert!(result.is_err(), "the handshake must fail: {result:?}");
}

#[tokio::test]
async fn a_revoked_or_unregistered_device_gets_a_clear_error() {
    let store = TestStore::<SqliteStore>::start().await;
    let device = store.enroll("device-1");
    assert!(store.store.revoke_device("device-1").expect("revoke"));
    let (status, body) = error_body(
        store
            .client(Some(&device))
            .get(store.url("/v1/whoami"))
            .send()
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!((status, body.code), (403, ErrorCode::DeviceRevoked));
    assert_eq!(body.message, "this device was revoked");

    let unregistered = store.ca.issue_device("device-2").expect("certificate");
    let (status, body) = error_body(
        store
            .client(Some(&unregistered))
            .get(store.url("/v1/whoami"))
            .send()
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!((status, body.code), (401, ErrorCode::UnknownDevice));
}

#[tokio::test]
async fn an_unknown_route_gets_an_error_body_and_the_store_keeps_serving() {
    let store = TestStore::<SqliteStore>::start().await;
    let device = store.enroll("device-1");
    let client = store.client(Some(&device));
    let (status, body) = error_body(
        client
            .get(store.url("/v2/nothing"))
            .send()
            .await
            .expect("answer"),
    )
    .await;
    assert_eq!((status, body.code), (404, ErrorCode::NotFound));
    assert!(
        client
            .get(store.url("/v1/whoami"))
            .send()
            .await
            .expect("still serving")
            .status()
            .is_success()
    );
}

#[tokio::test]
async fn a_stopped_store_refuses_and_a_restarted_one_serves_again() {
    let mut store = TestStore::<SqliteStore>::start().await;
    let device = store.enroll("device-1");
    let address = store.server.as_ref().expect("running").address;
    store.stop().await;
    let url = format!("https://127.0.0.1:{}/v1/whoami", address.port());
    let refused = store.client(Some(&device)).get(&url).send().await;
    assert!(refused.is_err(), "nothing listens: {refused:?}");

    store.restart(address).await;
    let identity: DeviceIdentity = store
        .client(Some(&device))
        .get(&url)
        .send()
        .await
        .expect("serving again")
        .json()
        .await
        .expect("identity");
    assert_eq!(identity.device_id, "device-1", "the device is still known");
}

#[tokio::test]
async fn a_certificate_on_the_revocation_list_is_refused_in_the_handshake() {
    let mut store = TestStore::<SqliteStore>::start().await;
    let revoked = store.enroll("lost-laptop");
    let kept = store.enroll("desk");
    store
        .restart_revoking(std::slice::from_ref(&revoked.serial))
        .await;

    let refused = store
        .client(Some(&revoked))
        .get(store.url("/v1/whoami"))
        .send()
        .await;
    assert!(refused.is_err(), "the handshake must fail: {refused:?}");
    let identity: DeviceIdentity = store
        .client(Some(&kept))
        .get(store.url("/v1/whoami"))
        .send()
        .await
        .expect("another device still gets in")
        .json()
        .await
        .expect("identity");
    assert_eq!(identity.device_id, "desk");
}
