//! The whole-file integrity check as its own binary, for the core's tests; the
//! app runs the same check by starting itself with `--check-vault-integrity`.

fn main() -> std::process::ExitCode {
    kluis_core::vault::integrity::run_child()
}
