//! The lock beats the suspend: logind on the system bus.
//!
//! Before the system sleeps, logind sends `PrepareForSleep(true)` and waits
//! for every *delay* inhibitor to be released (at most `InhibitDelayMaxSec`,
//! 5 s by default). Kluis holds such an inhibitor, locks on the signal and
//! only then releases it, so the keys are wiped and the page holding client
//! content is gone before the memory is frozen; after the resume
//! (`PrepareForSleep(false)`) it takes a new one. The session's `Lock` signal
//! (the screen locker) locks too. The watch is generic over what locking
//! means, so it is tested against a mock logind without a window.

use std::future::Future;

use futures_util::StreamExt;
use zbus::zvariant::{OwnedFd, OwnedObjectPath};

const LOGIND: &str = "org.freedesktop.login1";
const MANAGER_PATH: &str = "/org/freedesktop/login1";
const MANAGER_INTERFACE: &str = "org.freedesktop.login1.Manager";
const SESSION_INTERFACE: &str = "org.freedesktop.login1.Session";
/// logind's own alias for the caller's session.
const CALLERS_SESSION: &str = "/org/freedesktop/login1/session/auto";

/// What the watch asks of the app.
pub trait SessionLocker: Sync {
    /// Locks before the system sleeps; returns once the keys are wiped and
    /// the old page is gone.
    fn lock_before_sleep(&self) -> impl Future<Output = ()> + Send;
    /// Locks because the user's session (the screen) was locked.
    fn lock_with_session(&self) -> impl Future<Output = ()> + Send;
}

/// Watches logind until the bus connection ends.
pub async fn watch(connection: &zbus::Connection, locker: &impl SessionLocker) -> zbus::Result<()> {
    let manager = zbus::Proxy::new(connection, LOGIND, MANAGER_PATH, MANAGER_INTERFACE).await?;
    // Subscribe before taking the inhibitor: a suspend that starts in between
    // must not pass unseen.
    let mut sleeps = manager.receive_signal("PrepareForSleep").await?;
    let session_path = match manager
        .call::<_, _, OwnedObjectPath>("GetSessionByPID", &(std::process::id()))
        .await
    {
        Ok(path) => path,
        Err(error) => {
            tracing::info!(%error, "no logind session for this process; using the caller's session");
            OwnedObjectPath::try_from(CALLERS_SESSION)?
        }
    };
    let session = zbus::Proxy::new(connection, LOGIND, session_path, SESSION_INTERFACE).await?;
    let mut session_locks = session.receive_signal("Lock").await?;
    let mut inhibitor = take_inhibitor(&manager).await;
    tracing::info!(
        inhibitor = inhibitor.is_some(),
        "watching logind for suspend and screen lock"
    );
    loop {
        tokio::select! {
            Some(message) = sleeps.next() => {
                // A body that cannot be read is treated as "going to sleep":
                // locking once too often is harmless.
                let going_to_sleep = message.body().deserialize::<bool>().unwrap_or(true);
                if going_to_sleep {
                    locker.lock_before_sleep().await;
                    // Closing the descriptor tells logind that Kluis is ready.
                    drop(inhibitor.take());
                    tracing::info!("locked before sleep; suspend may go on");
                } else if inhibitor.is_none() {
                    inhibitor = take_inhibitor(&manager).await;
                }
            }
            Some(_) = session_locks.next() => locker.lock_with_session().await,
            else => return Ok(()),
        }
    }
}

/// A delay inhibitor for sleep, or `None` (logged) when logind refuses one:
/// the lock still follows the signal then, but the suspend may not wait.
async fn take_inhibitor(manager: &zbus::Proxy<'_>) -> Option<OwnedFd> {
    let request = (
        "sleep",
        "Kluis",
        "Locks the vault and wipes its keys before the system sleeps",
        "delay",
    );
    match manager.call::<_, _, OwnedFd>("Inhibit", &request).await {
        Ok(descriptor) => Some(descriptor),
        Err(error) => {
            tracing::warn!(%error, "logind gave no sleep inhibitor; a suspend may not wait for the lock");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    //! Against python3-dbusmock's logind template on a private bus: a real
    //! vault is locked by the signals, and the inhibitor is released only
    //! after its keys are gone.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::io::{BufRead, BufReader};
    use std::process::{Child, Command, Stdio};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use kluis_core::Profile;
    use kluis_core::{
        KdfPolicy, KeyringDeviceSecretStore, Passphrase, Role, ThrottlePolicy, VaultConfig,
    };
    use zbus::zvariant::Value;

    use super::*;

    const PASSPHRASE: &str = "paarse olifanten dansen traag 4821";
    const SESSION: &str = "/org/freedesktop/login1/session/c1";

    /// A private bus with a mock logind on it; both end with the value.
    struct MockLogind {
        bus: Child,
        logind: Child,
        address: String,
    }

    impl Drop for MockLogind {
        fn drop(&mut self) {
            for child in [&mut self.logind, &mut self.bus] {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }

    async fn start_mock_logind() -> (MockLogind, zbus::Connection) {
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (Debian package dbus-daemon) must be installed");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_owned();
        // Debian's python3 with its dbusmock, not a python that shadows it.
        let logind = Command::new("/usr/bin/python3")
            .args(["-m", "dbusmock", "--system", "--template", "logind"])
            .env("DBUS_SYSTEM_BUS_ADDRESS", &address)
            .stdout(Stdio::null())
            .spawn()
            .expect("python3-dbusmock must be installed");
        let mock = MockLogind {
            bus,
            logind,
            address,
        };
        let connection = zbus::connection::Builder::address(mock.address.as_str())
            .unwrap()
            .build()
            .await
            .unwrap();
        let bus_proxy = zbus::fdo::DBusProxy::new(&connection).await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !bus_proxy
            .name_has_owner(LOGIND.try_into().unwrap())
            .await
            .unwrap()
        {
            assert!(Instant::now() < deadline, "the mock logind did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let control = mock_control(&connection).await;
        let _: String = control
            .call("AddSession", &("c1", "seat0", 1000_u32, "eva", true))
            .await
            .unwrap();
        let () = control
            .call(
                "AddMethod",
                &(
                    MANAGER_INTERFACE,
                    "GetSessionByPID",
                    "u",
                    "o",
                    format!("ret = '{SESSION}'"),
                ),
            )
            .await
            .unwrap();
        (mock, connection)
    }

    async fn mock_control(connection: &zbus::Connection) -> zbus::Proxy<'static> {
        zbus::Proxy::new(
            connection,
            LOGIND,
            MANAGER_PATH,
            "org.freedesktop.DBus.Mock",
        )
        .await
        .unwrap()
    }

    /// The inhibitors logind holds, as (what, who, why, mode, uid, pid).
    async fn kluis_inhibitors(connection: &zbus::Connection) -> usize {
        let manager = zbus::Proxy::new(connection, LOGIND, MANAGER_PATH, MANAGER_INTERFACE)
            .await
            .unwrap();
        let inhibitors: Vec<(String, String, String, String, u32, u32)> =
            manager.call("ListInhibitors", &()).await.unwrap();
        inhibitors
            .iter()
            .filter(|(what, who, _, mode, _, _)| {
                what == "sleep" && who == "Kluis" && mode == "delay"
            })
            .count()
    }

    async fn wait_for_inhibitors(connection: &zbus::Connection, expected: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while kluis_inhibitors(connection).await != expected {
            assert!(
                Instant::now() < deadline,
                "expected {expected} Kluis sleep inhibitor(s)"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Locks a real vault and notes what logind saw at that moment.
    struct VaultLocker {
        profile: Profile,
        connection: zbus::Connection,
        /// For each lock: why, when, and how many inhibitors were held then.
        locks: Mutex<Vec<(&'static str, Instant, usize)>>,
    }

    impl VaultLocker {
        async fn lock(&self, why: &'static str) {
            let outcome = self.profile.lock();
            let at = Instant::now();
            assert!(outcome.was_unlocked, "{why}: the vault was not unlocked");
            let held = kluis_inhibitors(&self.connection).await;
            self.locks.lock().unwrap().push((why, at, held));
        }

        async fn wait_for_locks(&self, count: usize) {
            let deadline = Instant::now() + Duration::from_secs(10);
            while self.locks.lock().unwrap().len() < count {
                assert!(Instant::now() < deadline, "expected {count} lock(s)");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }

    impl SessionLocker for VaultLocker {
        async fn lock_before_sleep(&self) {
            self.lock("sleep").await;
        }
        async fn lock_with_session(&self) {
            self.lock("session").await;
        }
    }

    async fn emit(
        connection: &zbus::Connection,
        path: &str,
        interface: &str,
        name: &str,
        args: Vec<Value<'_>>,
    ) {
        let control = zbus::Proxy::new(connection, LOGIND, path, "org.freedesktop.DBus.Mock")
            .await
            .unwrap();
        let signature = if args.is_empty() { "" } else { "b" };
        let () = control
            .call("EmitSignal", &(interface, name, signature, args))
            .await
            .unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn suspend_and_session_lock_lock_the_vault_and_the_suspend_waits_for_it() {
        let (_mock, connection) = start_mock_logind().await;
        let directory = tempfile::tempdir().unwrap();
        let profile = Profile::open_profile(
            directory.path(),
            VaultConfig {
                kdf: KdfPolicy::owasp_floor(),
                throttle: ThrottlePolicy::default(),
            },
            Arc::new(KeyringDeviceSecretStore::new("kluis-test-logind")),
        );
        profile
            .create_vault(
                &Passphrase::from(PASSPHRASE),
                "Eva Tester",
                Role::Psychologist,
            )
            .unwrap();
        let locker = Arc::new(VaultLocker {
            profile,
            connection: connection.clone(),
            locks: Mutex::new(Vec::new()),
        });
        let watched = {
            let (connection, locker) = (connection.clone(), Arc::clone(&locker));
            tokio::spawn(async move { watch(&connection, locker.as_ref()).await })
        };
        wait_for_inhibitors(&connection, 1).await;

        // Suspend: locked while the inhibitor still holds the suspend back,
        // which is released right after.
        let signalled = Instant::now();
        emit(
            &connection,
            MANAGER_PATH,
            MANAGER_INTERFACE,
            "PrepareForSleep",
            vec![Value::from(true)],
        )
        .await;
        wait_for_inhibitors(&connection, 0).await;
        let released = Instant::now();
        locker.wait_for_locks(1).await;
        let (why, locked_at, held_at_lock) = locker.locks.lock().unwrap()[0];
        assert_eq!((why, held_at_lock), ("sleep", 1));
        assert!(!locker.profile.status().unlocked);
        eprintln!(
            "PrepareForSleep(true) → keys wiped after {} µs, inhibitor released after {} µs",
            locked_at.duration_since(signalled).as_micros(),
            released.duration_since(signalled).as_micros()
        );

        // Resume: a new inhibitor for the next suspend.
        emit(
            &connection,
            MANAGER_PATH,
            MANAGER_INTERFACE,
            "PrepareForSleep",
            vec![Value::from(false)],
        )
        .await;
        wait_for_inhibitors(&connection, 1).await;

        // The screen locker locks the session: the vault locks too.
        locker
            .profile
            .unlock(&Passphrase::from(PASSPHRASE))
            .unwrap();
        emit(&connection, SESSION, SESSION_INTERFACE, "Lock", Vec::new()).await;
        locker.wait_for_locks(2).await;
        assert!(!locker.profile.status().unlocked);
        assert_eq!(locker.locks.lock().unwrap()[1].0, "session");
        assert!(!watched.is_finished());
        watched.abort();
    }
}
