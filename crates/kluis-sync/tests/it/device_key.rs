//! The device key after a lock during a round in flight.

use std::sync::Arc;

use kluis_sync::SyncConfig;

use crate::support::*;
use zeroize::Zeroizing;

/// The device key in the forms a leftover could take: its PEM text, its
/// PKCS#8 DER, the raw private scalar, and the scalar as ring's ECDSA signer
/// keeps it (Montgomery form, d·2²⁵⁶ mod n, as little-endian 64-bit limbs).
/// The plain copies made here are wiped; the scanner holds them masked only.
fn device_key_patterns(key_pem: &str) -> [kluis_memory::scan::MaskedPattern; 4] {
    use kluis_memory::scan::MaskedPattern;
    use rustls_pki_types::PrivateKeyDer;
    use rustls_pki_types::pem::PemObject;
    let mut pem = key_pem.as_bytes().to_vec();
    let der = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).expect("device key PEM");
    let mut der = der.secret_der().to_vec();
    // ECPrivateKey (RFC 5915): version 1, then the private key as a 32-byte
    // OCTET STRING.
    let at = der
        .windows(5)
        .position(|window| window == [0x02, 0x01, 0x01, 0x04, 0x20])
        .expect("a P-256 private key")
        + 5;
    let mut scalar = der[at..at + 32].to_vec();
    let order = num_bigint::BigUint::parse_bytes(
        b"FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
        16,
    )
    .expect("P-256 order");
    let montgomery = (num_bigint::BigUint::from_bytes_be(&scalar) << 256_u32) % order;
    let mut montgomery = montgomery.to_bytes_le();
    montgomery.resize(32, 0);
    [
        MaskedPattern::from_plain_wiping(&mut pem),
        MaskedPattern::from_plain_wiping(&mut der),
        MaskedPattern::from_plain_wiping(&mut scalar),
        MaskedPattern::from_plain_wiping(&mut montgomery),
    ]
}

fn key_copies(patterns: &[kluis_memory::scan::MaskedPattern; 4]) -> Vec<usize> {
    let report = kluis_memory::scan::scan_process(None, &patterns.each_ref()).expect("scan");
    assert!(report.bytes_scanned > 1_000_000, "{report:?}");
    eprintln!(
        "device key copies (PEM, DER, scalar, signer's form): {:?} in {:?}",
        report.hits, report.regions_with_hits
    );
    report.hits
}

/// A round stuck on a store that accepts and never answers is in flight when
/// the vault locks: the lock cancels it at once, and nothing of the device
/// key is left in the process (while connected, the scan finds it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_cancels_a_round_in_flight_and_leaves_no_device_key_in_memory() {
    kluis_memory::scrub::harden_process();
    let mut store = start_store("nl").await;
    let mut issued = store.enroll("laptop");
    let patterns = device_key_patterns(&issued.key_pem);
    let config = SyncConfig::new(
        store.base_url(),
        store.ca.certificate_pem(),
        issued.certificate_pem.clone(),
        Zeroizing::new(std::mem::take(&mut issued.key_pem)),
    );
    let connection = Arc::new(kluis_sync::DeviceConnection::default());
    let client = connection.client(|| config).expect("client");
    let first = connection.run(client.check_server()).await;
    assert!(matches!(first, Some(Ok(_))), "{first:?}");
    drop(client);

    // The store stops answering: a listener on its address takes connections
    // and holds them.
    store.server.take().expect("running").stop().await;
    let silent = tokio::net::TcpListener::bind(store.address())
        .await
        .expect("bind again");
    let (accepted_sender, mut accepted) = tokio::sync::mpsc::unbounded_channel();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
            let _ = accepted_sender.send(());
        }
    });
    // A round is in flight once the silent listener took its connection (or
    // while it waits on the stopped store's kept-alive connection). A first
    // attempt may instead find that connection closed and fail at once; the
    // next one connects anew.
    let mut in_flight = None;
    for _attempt in 0..3 {
        let client = connection
            .client(|| unreachable!("the client is kept"))
            .expect("client");
        let round = {
            let connection = Arc::clone(&connection);
            tokio::spawn(async move { connection.run(client.check_server()).await })
        };
        let _reached =
            tokio::time::timeout(std::time::Duration::from_secs(2), accepted.recv()).await;
        if !round.is_finished() {
            in_flight = Some(round);
            break;
        }
        let ended = round.await.expect("round task");
        eprintln!("a round ended before it reached the silent store: {ended:?}");
    }
    let in_flight = in_flight.expect("a round in flight at the silent store");
    let connected = key_copies(&patterns);
    assert!(
        connected[3] > 0,
        "while connected the key must be found, or the scan proves nothing"
    );

    let locked_at = std::time::Instant::now();
    connection.forget();
    let cancelled = tokio::time::timeout(std::time::Duration::from_secs(2), in_flight)
        .await
        .expect("the lock cancels the round at once")
        .expect("round task");
    assert!(
        cancelled.is_none(),
        "the round was not cancelled: {cancelled:?}"
    );
    eprintln!("lock → round cancelled in {:?}", locked_at.elapsed());
    assert!(!connection.is_connected());
    holder.abort();
    // Connection tasks of the HTTP client end once their handles are gone.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        key_copies(&patterns),
        vec![0, 0, 0, 0],
        "the device key survived the lock"
    );
}
