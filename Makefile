# Pelita — the two commands: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := run

export CARGO_TARGET_DIR ?= $(HOME)/.cache/pelita/target
export CARGO_TERM_COLOR ?= never
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := $(CARGO_TARGET_DIR)/debug

# What Tauri needs on Debian/Ubuntu (libssl-dev also links SQLCipher), plus Xvfb and WebKitWebDriver
# for the end-to-end tests, the sqlite3 shell, which the encryption test must see fail, and iproute2
# (ip netns, tc) for the kernel-shaped sync test, and PostgreSQL's server, which `test-postgres`
# starts for the hub's tests on PostgreSQL.
APT_PACKAGES := sqlite3 libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev \
	librsvg2-dev libssl-dev build-essential pkg-config file patchelf xvfb xauth webkit2gtk-driver \
	iproute2 postgresql-15

.PHONY: run test test-postgres deps system-deps node-deps tauri-driver ui app e2e bindings demo lint soak-sync bench-sync bench-hub \
	stats-fixtures bench-analysis

## run: install what is missing, build, and open the desktop app (PELITA_DB=... to pick a database)
run: deps ui
	cargo build --locked -p pelita-desktop -p pelita-cli
	$(BIN)/pelita-desktop

## test: every check — formatting, lints, Rust tests, UI tests, end-to-end in the real webview
test: deps ui
	cargo fmt --all --check
	python3 scripts/check_structure.py
	npm --prefix ui run check
	npm --prefix ui test
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo test --workspace --locked
	$(MAKE) test-postgres
	$(MAKE) e2e

# The cross-crate sync tests that reach into the hub's SQLite file themselves stay on SQLite.
PG_SYNC_TESTS := $(filter-out sync_clock sync_appraisal,$(basename $(notdir $(wildcard tests/*.rs))))

## test-postgres: the hub's own tests and the cross-crate sync tests again, the hub on a PostgreSQL
## server started for them on a free loopback port (scripts/pg-test-server) and removed after
test-postgres: system-deps
	@dir=$$(mktemp -d /tmp/pelita-pg.XXXXXX); \
	url=$$(scripts/pg-test-server start $$dir) || exit 1; \
	trap 'scripts/pg-test-server stop '$$dir EXIT; \
	echo "PostgreSQL uji: $$url"; \
	PELITA_TEST_POSTGRES=$$url cargo test --locked -p pelita-hub -p pelita-tests \
		$(addprefix --test ,$(PG_SYNC_TESTS)) --lib --test admin --test crash --test tls --test two_hubs

deps: system-deps node-deps tauri-driver

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Memasang paket sistem:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@command -v node >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' \
		|| { echo "Pelita membutuhkan Node.js 20 atau lebih baru (node)"; exit 1; }
	@command -v cargo >/dev/null || { echo "Pelita membutuhkan Rust (cargo), lihat https://rustup.rs"; exit 1; }

# npm ci only when the lock file changed since the last install.
node-deps: ui/node_modules/.installed tests/e2e/node_modules/.installed
%/node_modules/.installed: %/package-lock.json
	npm ci --prefix $* --no-audit --no-fund
	@touch $@

tauri-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked

ui: node-deps
	npm --prefix ui run build

app: ui
	cargo build --locked -p pelita-desktop -p pelita-cli -p pelita-hub

## e2e: the real app in its WebKit webview under Xvfb, driven through tauri-driver
e2e: app
	xvfb-run -a -s "-screen 0 1280x860x24" timeout -k 10 600 \
		node --test --test-concurrency=1 tests/e2e/

## bindings: regenerate ui/src/lib/bindings.ts from the Rust commands (commit the result)
bindings: ui
	PELITA_WRITE_BINDINGS=1 cargo test --locked -p pelita-desktop bindings

## demo: a demo database at ./demo.sqlite, for `PELITA_DB=demo.sqlite make run`
demo:
	cargo run --locked -q -p pelita-cli -- --db demo.sqlite init --office TERJUN --demo

## soak-sync: the crash-safety tests (client and hub killed mid-sync) with 1,000 rounds instead of 50
soak-sync:
	PELITA_SOAK_ROUNDS=$${PELITA_SOAK_ROUNDS:-1000} cargo test --locked -p pelita-cli -p pelita-hub \
		--test sync_crash --test crash -- --nocapture

## bench-sync: the office-month dataset over an emulated 64 kbit/s, 600 ms RTT link: bytes each way,
## requests, wall time against the link's physical limit, protocol overhead, idle sync
bench-sync:
	cargo run --locked -q --example bench_sync

## bench-hub: N simulated devices (BENCH_DEVICES, default 100 and 1,000, across 150 offices) pushing
## their backlogs at once, then pulling at once, against real hub processes over loopback (release
## build): one on a SQLite file, then one and two on a PostgreSQL server started for the bench
BENCH_DEVICES ?= 100,1000
bench-hub: system-deps
	cargo build --locked --release -q -p pelita-hub -p pelita-tests --bin pelita-hub --example bench_hub
	$(CARGO_TARGET_DIR)/release/examples/bench_hub --devices $(BENCH_DEVICES) --hubs 1
	@dir=$$(mktemp -d /tmp/pelita-pg.XXXXXX); \
	url=$$(scripts/pg-test-server start $$dir) || exit 1; \
	trap 'scripts/pg-test-server stop '$$dir EXIT; \
	for hubs in 1 2; do PELITA_TEST_POSTGRES=$$url \
		$(CARGO_TARGET_DIR)/release/examples/bench_hub --devices $(BENCH_DEVICES) --hubs $$hubs || exit 1; done

## bench-analysis: HQ-scale data (50,000 employees, 500,000 marks, 20,000 appraisals) and the time of the analysis queries
bench-analysis:
	cargo run --locked --release -q --example bench_analysis

## stats-fixtures: regenerate the scipy/statsmodels reference values the statistics tests compare to
STATS_VENV := $(HOME)/.cache/pelita/venv-stats
stats-fixtures:
	python3 -m venv $(STATS_VENV)
	$(STATS_VENV)/bin/pip install -q -r scripts/requirements-stats.txt
	$(STATS_VENV)/bin/python scripts/stats_fixtures.py
