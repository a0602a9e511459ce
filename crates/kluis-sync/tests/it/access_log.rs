//! What IT and the privacy officer read of the store's access log
//! (NEN 7513): a client's accesses from two devices, in order, naming the
//! practitioner, role and enrolled device, and no content. Through the store
//! on both back ends, and through `kluis-admin audit` as IT runs it.

use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::AccessLogQuery;
use kluis_testkit::{Backend, off_runtime, on_both_back_ends};

use crate::support::shared_client;

async fn a_clients_accesses_from_two_devices_are_listed_in_order<S: Backend>() {
    let (store, anna, bram, client) = shared_client::<S>().await;
    bram.kluis.get_client(&client.id).expect("bram reads");
    anna.kluis.get_client(&client.id).expect("anna reads");
    anna.sync("anna uploads").await;
    bram.sync("bram uploads").await;

    let query = AccessLogQuery {
        client_id: Some(client.id.clone()),
        ..AccessLogQuery::default()
    };
    let lines = off_runtime(|| store.store.access_log(&query)).expect("access log");
    let times: Vec<&str> = lines.iter().map(|line| line.occurred_at.as_str()).collect();
    let mut sorted = times.clone();
    sorted.sort_unstable();
    assert_eq!(times, sorted, "chronological");
    let devices: std::collections::BTreeSet<&str> =
        lines.iter().map(|line| line.device_id.as_str()).collect();
    assert_eq!(
        devices.into_iter().collect::<Vec<_>>(),
        vec!["Anna-laptop", "Bram-laptop"],
        "each entry names the enrolled device that uploaded it"
    );
    assert!(lines.iter().any(|line| line.actor_name == "Anna"
        && line.action == "create"
        && line.record_part == "client"));
    assert!(lines.iter().any(|line| line.actor_name == "Bram"
        && line.action == "read"
        && line.actor_role == "psychologist"));
    assert!(
        lines
            .iter()
            .all(|line| line.client_id.as_deref() == Some(client.id.as_str()))
    );

    let bram_only = AccessLogQuery {
        practitioner_id: Some(bram.practitioner_id.clone()),
        ..AccessLogQuery::default()
    };
    let brams = off_runtime(|| store.store.access_log(&bram_only)).expect("bram's log");
    assert!(!brams.is_empty());
    assert!(
        brams
            .iter()
            .all(|line| line.actor_id == bram.practitioner_id)
    );

    let after_everything = AccessLogQuery {
        from: Some("2999-01-01T00:00:00Z".to_owned()),
        ..query
    };
    assert!(
        off_runtime(|| store.store.access_log(&after_everything))
            .expect("empty")
            .is_empty()
    );

    assert_eq!(
        off_runtime(|| store.store.client_id_by_code(&client.client_code)).expect("by code"),
        Some(client.id.clone())
    );
}

/// On the device, the access log names the device as the store enrolled
/// it, from its first contact on, and the chain (the vault's) stays whole
/// and goes on being taken by the store.
async fn the_devices_own_access_log_names_its_enrolled_id_after_the_first_contact<S: Backend>() {
    use kluis_core::record::practitioner::Role as CoreRole;

    use crate::support::Devices;

    let store = kluis_testkit::TestStore::<S>::start_in("nl").await;
    let laptop = store.laptop("Anna", CoreRole::Psychologist);
    store.knows_its_store(&laptop);
    let client = laptop
        .kluis
        .create_client(kluis_testkit::fixtures::sample_client("Noor"))
        .expect("client");
    laptop.sync("first contact").await;
    laptop.kluis.get_client(&client.id).expect("read");
    laptop.sync("upload").await;

    let mut log = laptop.kluis.client_access_log(&client.id).expect("log");
    log.sort_by_key(|event| event.seq);
    let created = log.first().expect("the creation");
    assert_ne!(
        created.device_id, "Anna-laptop",
        "before the contact: the vault"
    );
    let read = log
        .iter()
        .rev()
        .find(|event| event.action.as_str() == "read" && event.record_part.as_str() == "client")
        .expect("the read");
    assert_eq!(
        read.device_id, "Anna-laptop",
        "after it: the enrolled device"
    );
    assert!(laptop.kluis.verify_access_log().expect("verify").intact);
    let query = AccessLogQuery {
        client_id: Some(client.id.clone()),
        ..AccessLogQuery::default()
    };
    let stored = off_runtime(|| store.store.access_log(&query)).expect("store's log");
    assert!(
        stored.iter().any(|line| line.action == "read"),
        "the store took the later entries"
    );
}

/// `kluis-admin audit --client CODE` prints the same, with no content: the
/// client's remarks, name and e-mail appear nowhere in its output.
#[tokio::test]
async fn kluis_admin_audit_lists_a_clients_accesses_without_content() {
    let (store, anna, bram, client) = shared_client::<SqliteStore>().await;
    bram.kluis.get_client(&client.id).expect("bram reads");
    anna.sync("anna uploads").await;
    bram.sync("bram uploads").await;

    let output = std::process::Command::new(kluis_admin())
        .arg("--dir")
        .arg(store.directory.path())
        .args(["audit", "--client", &client.client_code])
        .output()
        .expect("kluis-admin runs");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = printed.lines().skip(1).collect();
    assert!(lines.len() >= 2, "{printed}");
    assert!(
        lines.iter().any(|line| line.contains("Bram")
            && line.contains("Bram-laptop")
            && line.contains("\tread\t")),
        "{printed}"
    );
    assert!(
        lines.iter().any(|line| line.contains("Anna-laptop")),
        "{printed}"
    );
    for content in [
        &client.input.remarks,
        &client.input.first_name,
        &client.input.email,
    ] {
        assert!(
            !printed.contains(content.as_str()),
            "{content} in {printed}"
        );
    }
}

/// `kluis-admin`, built beside this test (the workspace's test run and
/// `make app` build the store's binaries into the same target directory).
fn kluis_admin() -> std::path::PathBuf {
    let test = std::env::current_exe().expect("test binary");
    let debug = test
        .parent()
        .and_then(std::path::Path::parent)
        .expect("target directory");
    let admin = debug.join("kluis-admin");
    assert!(
        admin.exists(),
        "build kluis-admin first: {}",
        admin.display()
    );
    admin
}

on_both_back_ends!(
    the_devices_own_access_log_names_its_enrolled_id_after_the_first_contact,
    a_clients_accesses_from_two_devices_are_listed_in_order
);
