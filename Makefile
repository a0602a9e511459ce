# Kluis: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
APP_BINARY := $(CARGO_TARGET_DIR)/debug/kluis
DEMO_PROFILE ?= $(HOME)/.local/share/kluis-demo
# WebKitGTK's DMA-BUF renderer shows blank windows on some virtual displays.
export WEBKIT_DISABLE_DMABUF_RENDERER := 1

.PHONY: run test setup ui app lint unit e2e package package-test bindings bench bench-app-memory

setup:
	scripts/setup.sh

ui: setup
	cd ui && npm run build

app: ui
	cargo build -p kluis-app -p kluis-server --bins

## Opens the app on the demo profile (fictional clients).
run: app
	@echo "Kluis demo profile in $(DEMO_PROFILE)"
	@echo "Demo passphrase: $$(grep -o 'DEMO_PASSPHRASE: &str = "[^"]*"' crates/kluis-core/src/demo.rs | cut -d'"' -f2)"
	scripts/run-app.sh --demo --profile "$(DEMO_PROFILE)"

lint: ui
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npm run check

unit: app
	cd ui && npm test
	scripts/with-keyring.sh scripts/with-postgres.sh cargo nextest run --workspace --no-fail-fast

e2e: app
	cargo build -p kluis-memory --bin kluis-memscan -p kluis-core --bin kluis-vault-scan
	cd tests/e2e && KLUIS_APP_BINARY="$(APP_BINARY)" KLUIS_MEMSCAN="$(CARGO_TARGET_DIR)/debug/kluis-memscan" \
		xvfb-run -a -s "-screen 0 1280x900x24" ../../scripts/with-keyring.sh npx wdio run wdio.conf.mjs
	cd tests/e2e && KLUIS_APP_BINARY="$(APP_BINARY)" \
		xvfb-run -a -s "-screen 0 1280x900x24" ../../scripts/with-keyring.sh npx wdio run wdio.sync.conf.mjs

## Runs every test: lints, UI unit tests, core and app tests, E2E on the real app,
## and the .deb installed, checked and removed.
test: lint unit e2e package-test

## The .deb IT deploys (release build): the app, its icons and desktop entry,
## and /etc/kluis/policy.json.sample. Written to $(CARGO_TARGET_DIR)/release/bundle/deb/.
package: ui
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb

## Builds the package from the debug build, installs it with apt, runs
## kluis --version and --doctor from /usr/bin, screenshots the installed app's
## first-run screen, and removes it.
package-test: app
	scripts/with-keyring.sh scripts/package-test.sh

## Rewrites ui/src/lib/bindings.ts from the Rust commands.
bindings:
	UPDATE_BINDINGS=1 cargo test -p kluis-app --test bindings


## Benchmarks (figures in docs/benchmarks.md). Not part of `make test`.
bench:
	scripts/with-keyring.sh cargo bench -p kluis-core --bench vault
	scripts/with-keyring.sh cargo bench -p kluis-core --bench record
	scripts/with-keyring.sh scripts/with-postgres.sh cargo bench -p kluis-sync --bench sync

## The app's memory with the generated 100,000-note vault open. The vault is
## built once in $(BENCH_PROFILE), with its keyring in $(BENCH_PROFILE)-keyring.
BENCH_PROFILE ?= $(CARGO_TARGET_DIR)/kluis-bench-profile
bench-app-memory: app
	KLUIS_KEYRING_DATA="$(BENCH_PROFILE)-keyring" KLUIS_BENCH_PROFILE="$(BENCH_PROFILE)" \
		scripts/with-keyring.sh cargo bench -p kluis-core --bench record
	cd tests/e2e && KLUIS_APP_BINARY="$(APP_BINARY)" KLUIS_E2E_PROFILE="$(BENCH_PROFILE)" \
		KLUIS_E2E_SPECS=./bench/app-memory.mjs KLUIS_KEYRING_DATA="$(BENCH_PROFILE)-keyring" \
		xvfb-run -a -s "-screen 0 1280x900x24" ../../scripts/with-keyring.sh npx wdio run wdio.conf.mjs
