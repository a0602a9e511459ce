//! The central store: serves the files `kluis-admin init` made in a directory.
//!
//!     kluis-server --dir /var/lib/kluis --listen 0.0.0.0:8443 --region nl

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use kluis_server::pki::StoreFiles;
use kluis_server::server::{self, AppState};
use kluis_server::sqlite::SqliteStore;
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
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    match run(Arguments::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the store stopped");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(arguments: Arguments) -> ServerResult<()> {
    let files = StoreFiles::new(&arguments.dir);
    let read = |path: PathBuf| std::fs::read_to_string(&path).map_err(ServerError::io(path));
    let tls = server::tls_config(
        &read(files.ca_directory().join("ca.pem"))?,
        &read(files.server_certificate())?,
        &read(files.server_key())?,
    )?;
    let store = Arc::new(SqliteStore::open(&files.database())?);
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
