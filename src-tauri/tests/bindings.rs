//! The committed TypeScript bindings must match what the Rust commands
//! generate. Run `make bindings` (UPDATE_BINDINGS=1) after changing a command.

#[test]
fn committed_bindings_match_the_rust_commands() {
    let committed_path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
    let generated_dir = tempfile::tempdir().unwrap();
    let generated_path = generated_dir.path().join("bindings.ts");
    kluis_app::export_bindings(&generated_path).unwrap();
    let generated = std::fs::read_to_string(&generated_path).unwrap();
    if std::env::var("UPDATE_BINDINGS").is_ok_and(|value| value == "1") {
        std::fs::write(&committed_path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/lib/bindings.ts is out of date with the Rust commands; run `make bindings`"
    );
}
