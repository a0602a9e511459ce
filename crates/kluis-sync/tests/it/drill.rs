//! A sync killed at random moments.

use kluis_protocol::{ChangePayload, Record};
use kluis_server::postgres::PostgresStore;
use kluis_server::sqlite::SqliteStore;
use kluis_sync::SyncClient;
use kluis_testkit::{Backend, on_both_back_ends};

use crate::support::*;

/// What one drill process printed before it was killed (see the drill's
/// documentation for its lines).
#[derive(Debug)]
struct DrillOutput {
    /// Round, note id and whether it was signed, for each note the drill
    /// reported committed in the vault.
    wrote: Vec<(u64, String, bool)>,
    /// The notes of the rounds whose `sync_once` returned Ok.
    synced: Vec<String>,
    /// The errors of the rounds whose `sync_once` failed.
    unsynced: Vec<String>,
    /// Where the kill landed: the last phase the drill entered ("start" if it
    /// printed nothing, "round end" right after it reported a round).
    last_phase: String,
}

impl DrillOutput {
    fn parse(stdout: &str) -> Self {
        let mut output = Self {
            wrote: Vec::new(),
            synced: Vec::new(),
            unsynced: Vec::new(),
            last_phase: "start".to_owned(),
        };
        for line in stdout.lines() {
            let words: Vec<&str> = line.splitn(5, ' ').collect();
            match words.as_slice() {
                ["phase", phase] => output.last_phase = (*phase).to_owned(),
                ["wrote", round, id, state @ ("signed" | "draft")] => {
                    let round = round.parse().expect("round number");
                    output
                        .wrote
                        .push((round, (*id).to_owned(), *state == "signed"));
                    output.last_phase = "write".to_owned();
                }
                ["round", round, id, "synced" | "unsynced", ..] => {
                    let Some((written_round, written_id, _)) = output.wrote.last() else {
                        panic!("a round reported before its note: {line:?}");
                    };
                    assert_eq!(
                        (round.parse::<u64>().expect("round number"), *id),
                        (*written_round, written_id.as_str()),
                        "a round reports the note it wrote"
                    );
                    match words.as_slice() {
                        [.., "synced"] => output.synced.push((*id).to_owned()),
                        [.., "unsynced", error] => output.unsynced.push((*error).to_owned()),
                        _ => panic!("the drill printed an unexpected line: {line:?}"),
                    }
                    output.last_phase = "round end".to_owned();
                }
                _ => panic!("the drill printed an unexpected line: {line:?}"),
            }
        }
        output
    }
}

/// Reads a child's pipe to its end in a task of its own.
fn read_in_background(
    mut pipe: impl tokio::io::AsyncRead + Unpin + Send + 'static,
) -> tokio::task::JoinHandle<String> {
    tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes).await;
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Pulls the store's feed from `cursor` to its end into `records` (by id)
/// and moves `cursor` on; returns how many of the records it received were
/// there already.
async fn pull_feed(
    client: &SyncClient,
    cursor: &mut u64,
    records: &mut std::collections::HashMap<String, Record>,
) -> usize {
    let mut repeated = 0;
    loop {
        let page = client.pull(*cursor, 1000).await.expect("pull");
        for change in &page.changes {
            if let ChangePayload::Record { record } = &change.payload
                && records
                    .insert(record.reference().id, (**record).clone())
                    .is_some()
            {
                repeated += 1;
            }
        }
        *cursor = page.cursor;
        if !page.more {
            return repeated;
        }
    }
}

/// Fails unless the store holds the note the drill reported writing in
/// `round`: its text, signed if and only if the drill signed it.
fn assert_on_store_as_written(
    records: &std::collections::HashMap<String, Record>,
    (round, id, signed): &(u64, String, bool),
    context: &str,
) {
    let Some(Record::Note(remote)) = records.get(id) else {
        panic!("{context}: note {id} of round {round} is not on the store");
    };
    let texts: Vec<&str> = remote.sections.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        [format!("Ronde {round}: korte aantekening.")],
        "{context}: note {id} on the store holds what the drill wrote"
    );
    assert_eq!(
        remote.content_hash.is_some(),
        *signed,
        "{context}: note {id} on the store is signed if and only if the drill signed it"
    );
}

/// Fails unless `remote` is the note `local`: the same texts and the same
/// signature state.
fn assert_same_note(
    local: &kluis_core::record::notes::Note,
    remote: Option<&Record>,
    context: &str,
) {
    let Some(Record::Note(remote)) = remote else {
        panic!("{context}: note {} is not on the store", local.id);
    };
    let local_texts: Vec<&str> = local.sections.iter().map(|s| s.text.as_str()).collect();
    let remote_texts: Vec<&str> = remote.sections.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        local_texts, remote_texts,
        "{context}: note {} is the same on both sides",
        local.id
    );
    assert_eq!(
        remote.content_hash, local.content_hash,
        "{context}: note {}: same signature state",
        local.id
    );
}

/// The drill (`kluis-sync-drill`) writes a note and syncs, round after round,
/// and is SIGKILLed at a random moment, 50 times. Every round it reported is
/// checked: the note of a round it reported synced is on the store right
/// after the kill (before another drill could push it); every note it
/// reported committed is in the vault as written and, after a last sync, on
/// the store the same. Most rounds must have synced, and the kills must have
/// landed in the push, the pull and the access-log upload.
async fn a_sync_killed_at_random_moments_loses_nothing_and_duplicates_nothing<S: Backend>() {
    use std::os::unix::process::ExitStatusExt;

    use kluis_core::record::practitioner::Role as CoreRole;
    use rand::Rng;

    const KILLS: usize = 50;
    /// How long each drill runs before it is killed, from its start.
    const PAUSE_MILLIS: std::ops::Range<u64> = 150..900;

    let started = std::time::Instant::now();
    let store = start_store_on::<S>("nl").await;
    let anna = store.laptop("Anna", CoreRole::Psychologist);
    let client = anna.kluis.create_client(sample_client()).expect("client");
    anna.sync("first sync").await;
    anna.kluis.lock();

    // The drill is Anna's laptop after a restart: the same vault and the same
    // device certificate (the vault's access-log chain belongs to the device
    // that started it; another device may not add to it).
    let files = tempfile::tempdir().expect("tempdir");
    let identity = &anna.identity;
    let write = |name: &str, text: &str| {
        let path = files.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.display().to_string()
    };
    let ca = write("ca.pem", &store.ca.certificate_pem());
    let certificate = write("device.pem", &identity.certificate_pem);
    let key = write("device.key.pem", &identity.key_pem);
    let url = store.base_url();

    let mut wrote = Vec::new();
    let mut synced = 0;
    let mut unsynced = Vec::new();
    // What the store holds, read after each kill and before the next drill
    // starts (it would push what the killed one left in the outbox).
    let mut on_store = std::collections::HashMap::new();
    let mut feed_cursor = 0;
    let mut kills_per_phase = std::collections::BTreeMap::<String, usize>::new();
    for _ in 0..KILLS {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_kluis-sync-drill"))
            .args([
                anna._directory.path().display().to_string(),
                url.clone(),
                ca.clone(),
                certificate.clone(),
                key.clone(),
                client.id.clone(),
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("drill");
        {
            use tokio::io::AsyncWriteExt;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin
                .write_all(format!("{TEST_PASSPHRASE}\n").as_bytes())
                .await
                .expect("passphrase");
        }
        // Read what it prints as it goes, so a full pipe never holds it up.
        let stdout = read_in_background(child.stdout.take().expect("stdout"));
        let stderr = read_in_background(child.stderr.take().expect("stderr"));
        let pause = rand::thread_rng().gen_range(PAUSE_MILLIS);
        tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
        // An error here means the drill already ended; its status says why.
        let _ = child.start_kill();
        let status = child.wait().await.expect("reaped");
        let stdout = stdout.await.expect("stdout");
        assert_eq!(
            status.signal(),
            Some(9),
            "the drill ran until it was killed ({status}): {}",
            stderr.await.expect("stderr")
        );
        let drill = DrillOutput::parse(&stdout);
        *kills_per_phase.entry(drill.last_phase).or_default() += 1;

        // A round the drill reported synced has its note on the store, as
        // the drill wrote it.
        pull_feed(&anna.client, &mut feed_cursor, &mut on_store).await;
        for id in &drill.synced {
            let written = drill
                .wrote
                .iter()
                .find(|(_, written, _)| written == id)
                .expect("a synced round's note was reported written");
            assert_on_store_as_written(&on_store, written, "reported synced");
        }
        synced += drill.synced.len();
        wrote.extend(drill.wrote);
        unsynced.extend(drill.unsynced);
    }
    eprintln!(
        "drill on {}: {KILLS} kills, {} rounds written, {} synced, {} failed {:?}, \
         kills per phase {kills_per_phase:?}, {:.1} s",
        std::any::type_name::<S>(),
        wrote.len(),
        synced,
        unsynced.len(),
        &unsynced[..unsynced.len().min(3)],
        started.elapsed().as_secs_f64()
    );

    // After the crashes: the vault opens (nothing torn).
    anna.kluis
        .unlock(&kluis_core::vault::secret::Passphrase::from(
            TEST_PASSPHRASE,
        ))
        .expect("the vault survived every kill");

    // The outbox drains.
    anna.sync("final sync").await;
    assert!(
        anna.kluis.sync_next_batch(10).expect("batch").is_empty(),
        "outbox drained"
    );
    let mut server = std::collections::HashMap::new();
    assert_eq!(
        pull_feed(&anna.client, &mut 0, &mut server).await,
        0,
        "a record appears once in the feed"
    );

    // Every note the drill reported committed is in the vault as written, and
    // on the store the same.
    for written in &wrote {
        let (round, id, signed) = written;
        let local = anna
            .kluis
            .get_note(id)
            .unwrap_or_else(|error| panic!("note {id} reported committed is lost: {error}"));
        assert_eq!(
            local.sections,
            vec![kluis_core::record::notes::NoteSection {
                key: "text".to_owned(),
                text: format!("Ronde {round}: korte aantekening."),
            }],
            "note {id} holds what the drill wrote"
        );
        assert_eq!(
            local.content_hash.is_some(),
            *signed,
            "note {id} is signed if and only if the drill signed it"
        );
        assert_on_store_as_written(&server, written, "reported committed");
        assert_same_note(&local, server.get(id), "reported committed");
    }

    // Every note in the vault is on the store, exactly as it is here, once.
    let timeline = anna
        .kluis
        .client_timeline(&client.id, &[], 100_000)
        .expect("timeline");
    let local_notes: Vec<&str> = timeline.iter().map(|item| item.id.as_str()).collect();
    assert!(
        local_notes.len() >= wrote.len(),
        "{} notes in the vault, {} reported written",
        local_notes.len(),
        wrote.len()
    );
    for id in &local_notes {
        let local = anna.kluis.get_note(id).expect("local note");
        assert_same_note(&local, server.get(*id), "in the vault");
    }
    assert_eq!(
        server.len(),
        local_notes.len() + 1,
        "the store holds the client and exactly the notes in the vault"
    );

    // And the drill proved something: it did work, synced, and was killed in
    // each phase of a round.
    assert!(
        wrote.len() > 50,
        "the drill got work done between kills: {} rounds",
        wrote.len()
    );
    // A round fails only when the store refuses it: most must sync, and on
    // average more than one in each drill.
    assert!(
        synced >= KILLS && synced * 2 > wrote.len(),
        "rounds inside the drill synced: {synced} of {}, first failures: {:?}",
        wrote.len(),
        &unsynced[..unsynced.len().min(3)]
    );
    for phase in ["push", "pull", "audit"] {
        assert!(
            kills_per_phase.get(phase).copied().unwrap_or(0) >= 1,
            "no kill landed in the {phase} phase: {kills_per_phase:?}"
        );
    }
}

on_both_back_ends!(
    // The drill's test drives child processes and the store at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    a_sync_killed_at_random_moments_loses_nothing_and_duplicates_nothing,
);
