//! The central store: serves the files `kluis-admin init` made in a directory.
//!
//!     kluis-server --dir /var/lib/kluis --listen 0.0.0.0:8443 --region nl
//!     kluis-server --dir /var/lib/kluis --postgres "host=/run/postgresql dbname=kluis"

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use kluis_server::pki::StoreFiles;
use kluis_server::postgres::PostgresStore;
use kluis_server::server::{self, AppState};
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::Store;
use kluis_server::{ServerError, ServerResult};

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
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| ServerError::Storage(format!("async runtime: {error}")))?
        .block_on(run(arguments, Arc::new(store)))
}

async fn run<S: Store>(arguments: Arguments, store: Arc<S>) -> ServerResult<()> {
    let files = StoreFiles::new(&arguments.dir);
    let read = |path: PathBuf| std::fs::read_to_string(&path).map_err(ServerError::io(path));
    // Revoked devices are refused by the store at once; the revocation list
    // makes the TLS handshake refuse them too, from the next start on.
    let revocation_list = files
        .revocation_list()
        .exists()
        .then(|| read(files.revocation_list()))
        .transpose()?;
    let tls = server::tls_config(
        &read(files.ca_directory().join("ca.pem"))?,
        &read(files.server_certificate())?,
        &read(files.server_key())?,
        revocation_list.as_deref(),
    )?;
    let listener = tokio::net::TcpListener::bind(&arguments.listen)
        .await
        .map_err(ServerError::io(&arguments.listen))?;
    let running = server::start(
        listener,
        tls,
        Arc::new(AppState {
            store,
            region: arguments.region,
        }),
    )?;
    tracing::info!(address = %running.address, "the store is serving");
    let _ = tokio::signal::ctrl_c().await;
    running.stop().await;
    Ok(())
}
