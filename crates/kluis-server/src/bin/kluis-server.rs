//! The central store: serves the files `kluis-admin init` made in a directory.
//!
//!     kluis-server --dir /var/lib/kluis --listen 0.0.0.0:8443 --region nl
//!     kluis-server --dir /var/lib/kluis --postgres "host=/run/postgresql dbname=kluis"

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use kluis_server::pki::{self, CertificateAuthority, StoreFiles};
use kluis_server::postgres::PostgresStore;
use kluis_server::server::{self, AppState, Limits, TlsSource};
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::Store;
use kluis_server::{ServerError, ServerResult};
use kluis_server::{horizon, retention};

#[derive(Debug, Parser)]
#[command(about = "The Kluis central store")]
struct Arguments {
    /// The directory `kluis-admin init` prepared.
    #[arg(long)]
    dir: PathBuf,
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8443")]
    listen: String,
    /// ISO 3166-1 alpha-2 code of the country where this store keeps its data.
    #[arg(long, default_value = "nl")]
    region: String,
    /// Keep the data in PostgreSQL (libpq key-value configuration) instead of
    /// the embedded SQLite file in --dir.
    #[arg(long)]
    postgres: Option<String>,
    /// Years after care ends that a client's record is kept; the store
    /// erases what is due once at start and then daily (privacy statement,
    /// section 8; see docs/privacy.md for the WGBO's 20 years).
    #[arg(long, default_value_t = kluis_server::retention::DEFAULT_YEARS)]
    retention_years: u32,
    /// Days the store keeps tombstones of deleted and erased records; a
    /// device away longer is told to rebuild (see `horizon`).
    /// At least 366: shorter would send devices within their offline grace
    /// to rebuild.
    #[arg(long, default_value_t = kluis_server::horizon::DEFAULT_KEEP_DAYS,
          value_parser = clap::value_parser!(u32).range(366..))]
    tombstone_days: u32,
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let arguments = Arguments::parse();
    // The storage is opened before the async runtime starts: the synchronous
    // PostgreSQL client runs a runtime of its own while connecting.
    let result = match arguments.postgres.clone() {
        Some(configuration) => {
            PostgresStore::open(&configuration, 32).and_then(|store| serve(arguments, store))
        }
        None => SqliteStore::open(&StoreFiles::new(&arguments.dir).database())
            .and_then(|store| serve(arguments, store)),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the store stopped");
            std::process::ExitCode::FAILURE
        }
    }
}

fn serve<S: Store>(arguments: Arguments, store: S) -> ServerResult<()> {
    // A store that knows of revoked devices but has no revocation list would
    // let their certificates through the handshake: it does not start.
    let files = StoreFiles::new(&arguments.dir);
    let revoked = store
        .list_devices()?
        .iter()
        .filter(|device| device.revoked_at.is_some())
        .count();
    if revoked > 0 && !files.revocation_list().exists() {
        return Err(ServerError::Invalid(format!(
            "{revoked} device(s) are revoked but there is no revocation list at {}; \
             write one with `kluis-admin crl`",
            files.revocation_list().display()
        )));
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| ServerError::Storage(format!("async runtime: {error}")))?
        .block_on(run(arguments, Arc::new(store)))
}

/// The retention rule and the tombstone horizon, at start and then once a
/// day. A failed run is logged and tried again the next day; it never stops
/// the store.
async fn daily_jobs<S: Store>(store: Arc<S>, years: u32, tombstone_days: u32) {
    loop {
        let now = chrono::Utc::now();
        let pruning = Arc::clone(&store);
        match tokio::task::spawn_blocking(move || horizon::run(&*pruning, now, tombstone_days))
            .await
        {
            Ok(Ok(pruned)) if pruned.removed > 0 => {
                tracing::info!(
                    removed = pruned.removed,
                    through = pruned.through,
                    "old tombstones removed"
                );
            }
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::error!(%error, "tombstone horizon: the run failed"),
            Err(error) => tracing::error!(%error, "tombstone horizon: the run stopped"),
        }
        let store = Arc::clone(&store);
        let today = now.date_naive();
        let outcome =
            tokio::task::spawn_blocking(move || retention::apply(&*store, today, years)).await;
        match outcome {
            Ok(Ok(verdicts)) => {
                let erased = verdicts
                    .iter()
                    .filter(|verdict| verdict.outcome == retention::Outcome::Due)
                    .count();
                if erased > 0 {
                    tracing::info!(erased, years, "retention: erased the clients due");
                }
            }
            Ok(Err(error)) => tracing::error!(%error, "retention: the run failed"),
            Err(error) => tracing::error!(%error, "retention: the run stopped"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(24 * 60 * 60)).await;
    }
}

async fn run<S: Store>(arguments: Arguments, store: Arc<S>) -> ServerResult<()> {
    let files = StoreFiles::new(&arguments.dir);
    let tls = Arc::new(TlsSource::new(load_tls(&files)?));
    let listener = tokio::net::TcpListener::bind(&arguments.listen)
        .await
        .map_err(ServerError::io(&arguments.listen))?;
    let running = server::start_reloadable(
        listener,
        Arc::clone(&tls),
        Arc::new(
            AppState::new(Arc::clone(&store), arguments.region)
                .enrolling(Arc::new(CertificateAuthority::load(&files.ca_directory())?))
                .revoking_into(files.revocation_list()),
        ),
        Limits::default(),
    )?;
    tracing::info!(address = %running.address, "the store is serving");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = keep_revocation_list_current(&files, &tls) => {}
        () = daily_jobs(Arc::clone(&store), arguments.retention_years, arguments.tombstone_days) => {}
    }
    running.stop().await;
    Ok(())
}

/// The store's TLS configuration from its files: the CA, its certificate and
/// key, and the revocation list when there is one. A list past its next
/// update is reported: IT must write a new one.
fn load_tls(files: &StoreFiles) -> ServerResult<Arc<rustls::ServerConfig>> {
    let read = |path: PathBuf| std::fs::read_to_string(&path).map_err(ServerError::io(path));
    let revocation_list = files
        .revocation_list()
        .exists()
        .then(|| read(files.revocation_list()))
        .transpose()?;
    if let Some(list) = &revocation_list {
        let next_update = pki::revocation_list_next_update(list)?;
        if next_update < chrono::Utc::now() {
            tracing::warn!(
                %next_update,
                "the revocation list is stale: write a new one with `kluis-admin crl`"
            );
        }
    }
    server::tls_config(
        &read(files.ca_directory().join("ca.pem"))?,
        &read(files.server_certificate())?,
        &read(files.server_key())?,
        revocation_list.as_deref(),
    )
}

/// What identifies a version of the revocation list file: it is replaced
/// whole by `kluis-admin`, so its modification time and length change.
fn revocation_list_version(files: &StoreFiles) -> Option<(std::time::SystemTime, u64)> {
    let metadata = std::fs::metadata(files.revocation_list()).ok()?;
    Some((metadata.modified().ok()?, metadata.len()))
}

/// Loads the revocation list again when it changes on disk (checked every
/// few seconds) or when the store is sent SIGHUP, so a device IT revokes is
/// refused at its next handshake without a restart. A list that cannot be
/// read leaves the one in use in place. Runs until the store stops.
async fn keep_revocation_list_current(files: &StoreFiles, tls: &TlsSource) {
    let mut hangups = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(hangups) => Some(hangups),
        Err(error) => {
            tracing::warn!(%error, "SIGHUP will not reload the revocation list");
            None
        }
    };
    let mut seen = revocation_list_version(files);
    let mut checked = std::time::Instant::now();
    loop {
        let hangup = async {
            match hangups.as_mut() {
                Some(hangups) => hangups.recv().await,
                None => std::future::pending().await,
            }
        };
        let asked = tokio::select! {
            _ = hangup => true,
            () = tokio::time::sleep(std::time::Duration::from_secs(2)) => false,
        };
        let current = revocation_list_version(files);
        let changed = current != seen;
        // Loading again every hour reports a list that has gone stale.
        let hourly = checked.elapsed() >= std::time::Duration::from_secs(3600);
        if !(asked || changed || hourly) {
            continue;
        }
        checked = std::time::Instant::now();
        seen = current;
        match load_tls(files) {
            Ok(config) => {
                tls.replace(config);
                if asked || changed {
                    tracing::info!("revocation list loaded");
                }
            }
            Err(error) => {
                tracing::error!(%error, "the new revocation list is unusable; the previous one stays");
            }
        }
    }
}
