//! One device and the store: trust, regions, revocation, a store that goes away.

use kluis_protocol::{Action, ChangePayload, Operation, Outcome};
use kluis_server::pki::CertificateAuthority;
use kluis_server::store::Store;
use kluis_sync::SyncError;

use crate::support::*;

#[tokio::test]
async fn an_enrolled_device_checks_the_store_pushes_and_pulls() {
    let store = start_store("nl").await;
    let client = store.client(&store.enroll("laptop"));
    let info = client.check_server().await.expect("check");
    assert_eq!(info.region, "nl");
    assert_eq!(client.whoami().await.expect("whoami").device_id, "laptop");

    let pushed = client
        .push(vec![Operation {
            op_id: uuid::Uuid::new_v4(),
            action: Action::Upsert {
                record: Box::new(client_record()),
                base_version: None,
            },
        }])
        .await
        .expect("push");
    assert_eq!(pushed.results[0].outcome, Outcome::Applied { version: 1 });
    let pulled = client.pull(0, 100).await.expect("pull");
    assert_eq!(pulled.changes.len(), 1);
    assert!(matches!(
        &pulled.changes[0].payload,
        ChangePayload::Record { record } if record.reference().id == "client-1"
    ));
}

#[tokio::test]
async fn a_store_outside_the_allowed_regions_is_refused_before_anything_is_sent() {
    let store = start_store("us").await;
    let client = store.client(&store.enroll("laptop"));
    let error = client
        .check_server()
        .await
        .expect_err("us is not in the EEA");
    assert!(matches!(&error, SyncError::RegionNotAllowed { region } if region == "us"));
    assert_eq!(
        error.to_string(),
        "the central store keeps its data in us, which the policy does not allow"
    );
}

#[tokio::test]
async fn certificates_the_other_side_does_not_trust_are_reported_as_not_trusted() {
    let store = start_store("nl").await;
    let device = store.enroll("laptop");

    // The app pins another CA than the one that issued the store's certificate.
    let impostor_ca = CertificateAuthority::create("Nep-CA").expect("impostor");
    let pinned_elsewhere = store.client_trusting(&impostor_ca.certificate_pem(), &device);
    let result = pinned_elsewhere.check_server().await;
    assert!(
        matches!(result, Err(SyncError::NotTrusted(_))),
        "{result:?}"
    );

    // A device certificate from another CA.
    let stranger = impostor_ca.issue_device("stranger").expect("stranger");
    let result = store.client(&stranger).check_server().await;
    assert!(
        matches!(result, Err(SyncError::NotTrusted(_))),
        "{result:?}"
    );

    // An expired certificate from the right CA.
    let now = chrono::Utc::now();
    let expired = store
        .ca
        .issue_device_valid(
            "old-laptop",
            now - chrono::Duration::days(30),
            now - chrono::Duration::days(1),
        )
        .expect("expired");
    store.register("old-laptop", &expired);
    let result = store.client(&expired).check_server().await;
    assert!(
        matches!(result, Err(SyncError::NotTrusted(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_revoked_device_is_told_so() {
    let store = start_store("nl").await;
    let client = store.client(&store.enroll("laptop"));
    assert!(store.store.revoke_device("laptop").expect("revoke"));
    let error = client.whoami().await.expect_err("revoked");
    assert!(matches!(error, SyncError::DeviceRevoked));
    assert!(!error.is_transient());
}

#[tokio::test]
async fn a_stopped_store_is_offline_and_the_client_resumes_when_it_is_back() {
    let mut store = start_store("nl").await;
    let client = store.client(&store.enroll("laptop"));
    client.check_server().await.expect("online");
    store.server.take().expect("running").stop().await;
    let error = client.check_server().await.expect_err("stopped");
    assert!(matches!(error, SyncError::Offline), "{error:?}");
    assert!(error.is_transient());

    store.restart(store.address()).await;
    client.check_server().await.expect("back online");
}
