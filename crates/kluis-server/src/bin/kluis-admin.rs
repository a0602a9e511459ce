//! IT's tool for the central store: the CA, practitioners, devices and
//! assignments. It never reads or writes client content.
//!
//!     kluis-admin --dir DIR init --organisation "Voorbeeld GGZ" --host localhost
//!     kluis-admin --dir DIR add-practitioner --name "Anna de Vries" --role psychologist
//!     kluis-admin --dir DIR enroll --practitioner ID --device NAME --server-url https://…
//!     kluis-admin --dir DIR issue-device --practitioner ID --out device/
//!     kluis-admin --dir DIR assign --client CLIENT_ID --practitioner ID
//!     kluis-admin --dir DIR devices [--policy /etc/kluis/policy.json]
//!     kluis-admin --dir DIR wipe --device ID
//!     kluis-admin --dir DIR history --device ID
//!     kluis-admin --dir DIR erasures
//!     kluis-admin --dir DIR revoke --device ID
//!     kluis-admin --dir DIR audit --client CODE [--from 2026-11-01 --to 2026-11-30]
//!     kluis-admin --dir DIR retention [--years 3] [--dry-run] [--today 2029-06-01]
//!     kluis-admin --dir DIR report --employer NAME --from 2026-01-01 --to 2026-06-30 [--csv F] [--pdf F]

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use kluis_protocol::managed::ManagedPolicy;
use kluis_server::pki::{CertificateAuthority, StoreFiles, write_file};
use kluis_server::postgres::PostgresStore;
use kluis_server::report::{self, Language};
use kluis_server::retention;
use kluis_server::sqlite::SqliteStore;
use kluis_server::store::{AccessLogQuery, Device, Practitioner, Role, Store};
use kluis_server::{ServerError, ServerResult};

#[derive(Debug, Parser)]
#[command(about = "Kluis device provisioning for IT")]
struct Arguments {
    /// The store's directory.
    #[arg(long)]
    dir: PathBuf,
    /// The store keeps its data in PostgreSQL (libpq key-value configuration)
    /// instead of the SQLite file in --dir.
    #[arg(long)]
    postgres: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Creates the provider CA, the store's TLS certificate and its database.
    Init {
        #[arg(long)]
        organisation: String,
        /// Host names or addresses the store is reached at (repeatable).
        #[arg(long = "host", default_values_t = vec!["localhost".to_owned(), "127.0.0.1".to_owned()])]
        hosts: Vec<String>,
    },
    AddPractitioner {
        /// The id the practitioner's vault was made with (default: a new one).
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        name: String,
        /// psychologist or lifestyle_expert
        #[arg(long)]
        role: String,
    },
    /// Makes a one-time enrollment token for a new device of a practitioner
    /// and prints it. The device makes its own key; after it enrolled,
    /// `devices` shows the words of its key, to compare by phone with
    /// what the device shows.
    Enroll {
        #[arg(long)]
        practitioner: String,
        /// The device's name, unique in the store (e.g. anna-laptop).
        #[arg(long)]
        device: String,
        /// The store's address as devices reach it, e.g. https://kluis.example.nl
        #[arg(long)]
        server_url: String,
        /// How long the token is valid.
        #[arg(long, default_value_t = kluis_protocol::enrollment::DEFAULT_TOKEN_LIFETIME_MINUTES)]
        minutes: i64,
        /// A managed policy the device takes for what the machine's policy
        /// file does not fix.
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// Issues a device certificate for a practitioner into a directory: the
    /// certificate and its key, the provider's CA, whom the device is for
    /// (`practitioner.json`) and, with --server-url, where the store is.
    IssueDevice {
        #[arg(long)]
        practitioner: String,
        #[arg(long)]
        out: PathBuf,
        /// The store's address as devices reach it, e.g. https://kluis.example.nl
        #[arg(long)]
        server_url: Option<String>,
    },
    Assign {
        #[arg(long)]
        client: String,
        #[arg(long)]
        practitioner: String,
    },
    /// Every device: practitioner, enrolled, last contact, state (active,
    /// wipe pending, wiped, revoked), the hash of the policy it runs and the
    /// words of its key. With --policy, devices whose policy differs from
    /// that file's are marked.
    #[command(alias = "list-devices")]
    Devices {
        /// The policy file IT deploys; its values' hash is compared with
        /// what each device reported.
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// Asks a device to erase itself at its next contact with the store. It
    /// sends a signed receipt, and its certificate is then revoked.
    Wipe {
        #[arg(long)]
        device: String,
    },
    /// What happened to a device: wipe asked, receipt, revocation.
    History {
        #[arg(long)]
        device: String,
    },
    /// Every client erasure: when, from which device, and on how many of the
    /// devices that held the client it has been applied.
    Erasures,
    /// The store's access log (NEN 7513), in the order things happened: who
    /// (practitioner, role, device), what on which part, when, the outcome.
    /// It holds no content, so none can be shown.
    Audit {
        /// A client's id or pseudonymous code (C-…).
        #[arg(long)]
        client: Option<String>,
        /// A practitioner's id.
        #[arg(long)]
        practitioner: Option<String>,
        /// From this day on (YYYY-MM-DD, UTC).
        #[arg(long)]
        from: Option<String>,
        /// Up to and including this day (YYYY-MM-DD, UTC).
        #[arg(long)]
        to: Option<String>,
    },
    Revoke {
        #[arg(long)]
        device: String,
    },
    /// The retention rule (privacy statement, section 8): erases every
    /// client whose care ended at least --years before --today (by
    /// default today), except restricted ones, which are listed as kept.
    /// With --dry-run, lists what would happen and changes nothing. The
    /// list names clients by their code only.
    Retention {
        #[arg(long, default_value_t = kluis_server::retention::DEFAULT_YEARS)]
        years: u32,
        #[arg(long)]
        dry_run: bool,
        /// The day to judge by (YYYY-MM-DD); default: today.
        #[arg(long)]
        today: Option<String>,
    },
    /// The employer report (privacy statement, section 3): aggregates only,
    /// for clients who opted in and are not restricted; every figure from
    /// fewer than five clients, and every figure it could be worked out
    /// from, is suppressed. Without --csv the CSV goes to standard output.
    Report {
        #[arg(long)]
        employer: String,
        /// From this day on (YYYY-MM-DD, Dutch time).
        #[arg(long)]
        from: String,
        /// Up to and including this day (YYYY-MM-DD).
        #[arg(long)]
        to: String,
        #[arg(long)]
        csv: Option<PathBuf>,
        #[arg(long)]
        pdf: Option<PathBuf>,
        /// nl (default) or en.
        #[arg(long, default_value = "nl")]
        language: String,
    },
    /// Writes the revocation list anew (it is valid for a week; a running
    /// store reports a stale one and takes a new one within seconds).
    Crl,
}

fn main() -> std::process::ExitCode {
    match run(Arguments::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kluis-admin: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[allow(clippy::print_stdout)]
fn run(arguments: Arguments) -> ServerResult<()> {
    let files = StoreFiles::new(&arguments.dir);
    if let Command::Init {
        organisation,
        hosts,
    } = &arguments.command
    {
        // Every device certificate and the revocation list hang on this CA:
        // replacing it would cut off every enrolled device at once.
        let existing = files.ca_directory().join("ca.pem");
        if existing.exists() {
            return Err(ServerError::Invalid(format!(
                "init: {} already holds a CA; it is never replaced",
                files.directory.display()
            )));
        }
        let ca = CertificateAuthority::create(organisation)?;
        ca.save(&files.ca_directory())?;
        let server = ca.issue_server(hosts)?;
        write_file(
            &files.server_certificate(),
            server.certificate_pem.as_bytes(),
            false,
        )?;
        write_file(&files.server_key(), server.key_pem.as_bytes(), true)?;
    }
    match &arguments.postgres {
        Some(configuration) => manage(
            &PostgresStore::open(configuration, 2)?,
            arguments.command,
            &files,
        ),
        None => manage(
            &SqliteStore::open(&files.database())?,
            arguments.command,
            &files,
        ),
    }
}

/// A managed policy file, read as strictly as the app reads it.
/// The day a command-line flag names (YYYY-MM-DD), or a message naming it.
fn flag_day(flag: &str, text: &str) -> ServerResult<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| ServerError::Invalid(format!("--{flag} {text}: expected a day as YYYY-MM-DD")))
}

fn read_policy(path: &std::path::Path) -> ServerResult<ManagedPolicy> {
    let text = std::fs::read_to_string(path).map_err(ServerError::io(path))?;
    ManagedPolicy::parse(&text)
        .map_err(|error| ServerError::Invalid(format!("policy {}: {error}", path.display())))
}

/// Writes the revocation list of every revoked device, signed by the CA.
fn write_revocation_list<S: Store>(store: &S, files: &StoreFiles) -> ServerResult<()> {
    let ca = CertificateAuthority::load(&files.ca_directory())?;
    kluis_server::pki::write_revocation_list(store, &ca, &files.revocation_list())
}

/// Runs a command against the store's database, whichever back end it is.
#[allow(clippy::print_stdout)]
fn manage<S: Store>(store: &S, command: Command, files: &StoreFiles) -> ServerResult<()> {
    match command {
        Command::Init { .. } => {
            println!("store prepared in {}", files.directory.display());
        }
        Command::AddPractitioner { id, name, role } => {
            let role = Role::parse(&role).ok_or_else(|| {
                ServerError::Invalid("role (psychologist, lifestyle_expert)".to_owned())
            })?;
            let practitioner = Practitioner {
                id: id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
                display_name: name,
                role,
            };
            store.add_practitioner(&practitioner)?;
            println!("{}", practitioner.id);
        }
        Command::IssueDevice {
            practitioner,
            out,
            server_url,
        } => {
            let ca = CertificateAuthority::load(&files.ca_directory())?;
            let enrolled = store
                .practitioner(&practitioner)?
                .ok_or(ServerError::NotFound("practitioner"))?;
            let device_id = uuid::Uuid::new_v4().to_string();
            let issued = ca.issue_device(&device_id)?;
            // Registered first: a certificate for an unknown practitioner is
            // refused before any key is written to disk.
            store.add_device(&Device::new(
                device_id.clone(),
                enrolled.id.clone(),
                issued.fingerprint.clone(),
                Some(issued.serial.clone()),
                None,
            ))?;
            std::fs::create_dir_all(&out).map_err(ServerError::io(&out))?;
            write_file(
                &out.join("device.pem"),
                issued.certificate_pem.as_bytes(),
                false,
            )?;
            write_file(&out.join("device.key.pem"), issued.key_pem.as_bytes(), true)?;
            write_file(&out.join("ca.pem"), ca.certificate_pem().as_bytes(), false)?;
            // The app makes the device's vault for this practitioner, so that
            // what it writes carries the id the store knows.
            let whom = serde_json::json!({
                "id": enrolled.id,
                "displayName": enrolled.display_name,
                "role": enrolled.role.as_str(),
            });
            write_file(
                &out.join("practitioner.json"),
                whom.to_string().as_bytes(),
                false,
            )?;
            if let Some(server_url) = server_url {
                write_file(&out.join("server-url"), server_url.as_bytes(), false)?;
            }
            println!("{device_id}");
        }
        Command::Enroll {
            practitioner,
            device,
            server_url,
            minutes,
            policy,
        } => {
            let ca = CertificateAuthority::load(&files.ca_directory())?;
            let policy = policy.map(|path| read_policy(&path)).transpose()?;
            let token = kluis_server::enrollment::make_token(
                store,
                &ca,
                &server_url,
                &practitioner,
                &device,
                chrono::Duration::minutes(minutes),
                policy,
            )?;
            eprintln!(
                "one-time token for device {device}, valid until {} (UTC):",
                token.expires_at
            );
            println!("{}", token.encode());
        }
        Command::Assign {
            client,
            practitioner,
        } => store.assign(&client, &practitioner)?,
        Command::Devices { policy } => {
            let expected = policy
                .map(|path| read_policy(&path).map(|policy| policy.effective().hash()))
                .transpose()?;
            println!("device\tpractitioner\tenrolled\tlast contact\tstate\tpolicy\tkey words");
            for device in store.list_devices()? {
                let policy = match (&device.policy_hash, &expected) {
                    (None, _) => "not reported".to_owned(),
                    (Some(hash), Some(expected)) if hash != expected => {
                        format!("{} (differs)", &hash[..12.min(hash.len())])
                    }
                    (Some(hash), _) => hash[..12.min(hash.len())].to_owned(),
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    device.id,
                    device.practitioner_id,
                    device.created_at,
                    device.last_contact_at.as_deref().unwrap_or("never"),
                    device.state().as_str(),
                    policy,
                    device.key_words.as_deref().unwrap_or("-")
                );
            }
        }
        Command::Wipe { device } => {
            let device = store.request_wipe(&device)?;
            println!(
                "wipe requested for {}: it erases itself at its next contact (last contact: {})",
                device.id,
                device.last_contact_at.as_deref().unwrap_or("never")
            );
        }
        Command::Erasures => {
            println!("client\terased at\tasked from device\treason\tapplied");
            for erasure in store.erasures()? {
                println!(
                    "{}\t{}\t{}\t{}\terased on {} of {} devices",
                    erasure.client_id,
                    erasure.erased_at,
                    erasure.device_id.as_deref().unwrap_or("(the store)"),
                    erasure.reason.as_str(),
                    erasure.acknowledged,
                    erasure.devices
                );
            }
        }
        Command::History { device } => {
            let known = store
                .device(&device)?
                .ok_or(ServerError::NotFound("device"))?;
            println!(
                "{}\tenrolled {}\t{}",
                known.id,
                known.created_at,
                known.state().as_str()
            );
            for event in store.device_history(&device)? {
                println!("{}\t{}\t{}", event.occurred_at, event.kind, event.detail);
            }
        }
        Command::Audit {
            client,
            practitioner,
            from,
            to,
        } => {
            if client.is_none() && practitioner.is_none() {
                return Err(ServerError::Invalid(
                    "audit: name a client (--client) or a practitioner (--practitioner)".to_owned(),
                ));
            }
            let client_id = match client {
                Some(client) => Some(store.client_id_by_code(&client)?.unwrap_or(client)),
                None => None,
            };
            let day = |text: &str, next: bool| -> ServerResult<String> {
                let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                    ServerError::Invalid(format!("audit: {text} is not a day (YYYY-MM-DD)"))
                })?;
                let date = if next {
                    date.succ_opt().unwrap_or(date)
                } else {
                    date
                };
                Ok(format!("{date}T00:00:00Z"))
            };
            let query = AccessLogQuery {
                client_id,
                practitioner_id: practitioner,
                from: from.as_deref().map(|text| day(text, false)).transpose()?,
                to: to.as_deref().map(|text| day(text, true)).transpose()?,
            };
            println!("when\tpractitioner\trole\tdevice\taction\tpart\trecord\tclient\toutcome");
            for line in store.access_log(&query)? {
                println!(
                    "{}\t{} ({})\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    line.occurred_at,
                    line.actor_name,
                    line.actor_id,
                    line.actor_role,
                    line.device_id,
                    line.action,
                    line.record_part,
                    line.record_id.as_deref().unwrap_or("-"),
                    line.client_id.as_deref().unwrap_or("-"),
                    line.outcome
                );
            }
        }
        Command::Revoke { device } => {
            if !store.revoke_device(&device)? {
                return Err(ServerError::NotFound("device"));
            }
            write_revocation_list(store, files)?;
            println!(
                "revoked; {} written (a running store takes it within seconds)",
                files.revocation_list().display()
            );
        }
        Command::Retention {
            years,
            dry_run,
            today,
        } => {
            let today = match today {
                Some(text) => flag_day("today", &text)?,
                None => chrono::Utc::now().date_naive(),
            };
            let verdicts = if dry_run {
                retention::review(store, today, years)?
            } else {
                retention::apply(store, today, years)?
            };
            println!(
                "client\tcare ended\tdue on\t{}",
                if dry_run { "would be" } else { "outcome" }
            );
            for verdict in &verdicts {
                let outcome = match (verdict.outcome, dry_run) {
                    (retention::Outcome::Due, true) => "erased",
                    (retention::Outcome::Due, false) => "erased now",
                    (other, _) => other.as_str(),
                };
                println!(
                    "{}\t{}\t{}\t{outcome}",
                    verdict.client_code, verdict.care_end, verdict.due_on
                );
            }
            let due = verdicts
                .iter()
                .filter(|verdict| verdict.outcome == retention::Outcome::Due)
                .count();
            eprintln!(
                "{due} of {} clients whose care ended {} on {today} ({years} years after care ends){}",
                verdicts.len(),
                if dry_run {
                    "would be erased"
                } else {
                    "were erased"
                },
                if dry_run { "; nothing was changed" } else { "" }
            );
        }
        Command::Report {
            employer,
            from,
            to,
            csv,
            pdf,
            language,
        } => {
            let language = match language.as_str() {
                "nl" => Language::Dutch,
                "en" => Language::English,
                other => {
                    return Err(ServerError::Invalid(format!(
                        "--language {other}: expected nl or en"
                    )));
                }
            };
            let report = report::employer_report(
                store,
                &employer,
                flag_day("from", &from)?,
                flag_day("to", &to)?,
            )?;
            let text = report.to_csv(language);
            match csv {
                Some(path) => write_file(&path, text.as_bytes(), false)?,
                None => print!("{text}"),
            }
            if let Some(path) = pdf {
                write_file(&path, &report.to_document(language).to_pdf(), false)?;
            }
        }
        Command::Crl => {
            write_revocation_list(store, files)?;
            println!(
                "{} written, valid for {} days",
                files.revocation_list().display(),
                kluis_server::pki::REVOCATION_LIST_DAYS
            );
        }
    }
    Ok(())
}
