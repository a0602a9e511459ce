//! What Kluis's tests and benchmarks share, so that each story is told once:
//! a central store on port 0 with its own CA on either back end, removed on
//! drop ([`TestStore`]); enrolment of devices; the TLS configuration a
//! device presents; and [`on_both_back_ends!`], which runs a scenario against
//! SQLite and against PostgreSQL (the cluster `scripts/with-postgres.sh`
//! starts); the records scenarios start from ([`fixtures`]); a device-secret
//! store in memory ([`secrets`]); and the benchmarks' statistics ([`bench`]).
// Test support panics on setup failure by design.
#![allow(clippy::expect_used)]
#![forbid(unsafe_code)]

pub mod bench;
pub mod fixtures;
pub mod secrets;
mod store;

pub use store::{Backend, TestStore, client_tls_config, off_runtime};

/// Every scenario listed, once against each back end, in modules `sqlite` and
/// `postgres`. A scenario is an `async fn name<S: Backend>()` in the calling
/// module, which imports `SqliteStore` and `PostgresStore`; one may be
/// preceded by the test attribute it needs (the default is `#[tokio::test]`).
#[macro_export]
macro_rules! on_both_back_ends {
    ($($(#[$runtime:meta])? $scenario:ident),+ $(,)?) => {
        mod sqlite {
            $($crate::on_both_back_ends!(@test SqliteStore [$(#[$runtime])?] $scenario);)+
        }
        mod postgres {
            $($crate::on_both_back_ends!(@test PostgresStore [$(#[$runtime])?] $scenario);)+
        }
    };
    (@test $store:ident [] $scenario:ident) => {
        $crate::on_both_back_ends!(@test $store [#[tokio::test]] $scenario);
    };
    (@test $store:ident [#[$runtime:meta]] $scenario:ident) => {
        #[$runtime]
        async fn $scenario() {
            super::$scenario::<super::$store>().await;
        }
    };
}
