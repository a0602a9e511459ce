//! The store under attack by peers without a certificate, or with one that
//! sends slowly: a real device is still served, and the log does not flood.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kluis_protocol::{DeviceIdentity, PROTOCOL_VERSION, PullRequest};
use kluis_server::server::Limits;
use kluis_server::sqlite::SqliteStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{HttpsClients, TestStore};

/// Every line the store logs, kept for counting.
#[derive(Clone, Default)]
struct LogLines(Arc<Mutex<Vec<u8>>>);

impl Write for LogLines {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl LogLines {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log")).into_owned()
    }
}

/// A connection the server has closed reads as the end of the stream (or a
/// reset) within `within`.
async fn closed_within(stream: &mut (impl AsyncReadExt + Unpin), within: Duration) -> bool {
    let mut buffer = [0_u8; 64];
    matches!(
        tokio::time::timeout(within, stream.read(&mut buffer)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test]
async fn a_device_is_served_while_idle_and_slow_connections_crowd_the_store() {
    let log = LogLines::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .finish();
    // The test runtime has one thread: the store's tasks log through this.
    let _logging = tracing::subscriber::set_default(subscriber);

    let mut store = TestStore::<SqliteStore>::start().await;
    let limits = Limits {
        handshake: Duration::from_secs(2),
        request_head: Duration::from_secs(2),
        request: Duration::from_secs(10),
        max_connections: 300,
    };
    store.restart_with_limits(limits).await;
    let address = store.server.as_ref().expect("running").address;
    let device = store.enroll("laptop");

    // A thousand peers that open a connection and never say a word: more
    // than the store's cap.
    let mut idle = Vec::new();
    for _ in 0..1_000 {
        idle.push(TcpStream::connect(address).await.expect("connect"));
    }
    // A peer that sends a TLS hello one byte at a time.
    let mut slow_hello = TcpStream::connect(address).await.expect("connect");
    let dribble = tokio::spawn(async move {
        for byte in [0x16_u8, 0x03, 0x01, 0x00, 0xc8, 0x01] {
            if slow_hello.write_all(&[byte]).await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(700)).await;
        }
        closed_within(&mut slow_hello, Duration::from_secs(3)).await
    });
    // A device with a valid certificate that sends its request head slowly.
    let connector =
        tokio_rustls::TlsConnector::from(Arc::new(store.client_tls_config(Some(&device))));
    let tcp = TcpStream::connect(address).await.expect("connect");
    let mut slow_head = connector
        .connect(
            rustls_pki_types::ServerName::try_from("127.0.0.1").expect("name"),
            tcp,
        )
        .await
        .expect("handshake");
    slow_head
        .write_all(b"POST /v1/pull HTTP/1.1\r\nhost: 127.0.0.1\r\n")
        .await
        .expect("first line");
    let started_slow_head = Instant::now();

    // The real device gets its answers at once.
    let started = Instant::now();
    let client = store.client(Some(&device));
    let identity: DeviceIdentity = client
        .get(store.url("/v1/whoami"))
        .send()
        .await
        .expect("whoami")
        .json()
        .await
        .expect("identity");
    assert_eq!(identity.device_id, "laptop");
    let pulled = client
        .post(store.url("/v1/pull"))
        .json(&PullRequest {
            protocol_version: PROTOCOL_VERSION,
            cursor: 0,
            limit: 100,
        })
        .send()
        .await
        .expect("pull");
    assert_eq!(pulled.status().as_u16(), 200);
    let served_in = started.elapsed();
    assert!(
        served_in < Duration::from_secs(3),
        "a device waited {served_in:?}"
    );

    // The slow head is cut off after the head limit, not held open.
    let mut trickle = 0;
    let cut_off = loop {
        if slow_head.write_all(b"x-slow: 1\r\n").await.is_err() {
            break true;
        }
        trickle += 1;
        if closed_within(&mut slow_head, Duration::from_millis(500)).await {
            break true;
        }
        if started_slow_head.elapsed() > Duration::from_secs(8) {
            break false;
        }
    };
    assert!(
        cut_off,
        "a slow request head is held open ({trickle} lines)"
    );
    assert!(
        dribble.await.expect("dribble"),
        "a slow TLS hello is held open"
    );
    // The idle peers were pushed out or timed out: none is still held.
    let mut still_open = 0;
    for stream in &mut idle {
        if !closed_within(stream, Duration::from_millis(5)).await {
            still_open += 1;
        }
    }
    assert_eq!(still_open, 0, "idle connections are not held");

    let log = log.text();
    let lines = log.lines().count();
    assert!(
        lines <= 10,
        "{lines} log lines for about a thousand refused peers:\n{log}"
    );
    assert!(log.contains("connection cap"), "{log}");
}
