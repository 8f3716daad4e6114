# Recipes a contributor runs; each is a plain cargo command underneath.

# Compare the bundled example environments.
example:
    cargo run --release -- compare testdata/examples/prod.tfstate testdata/examples/staging.tfstate

# Run every test.
test:
    cargo test

# Formatting and lints, as CI runs them.
lint:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings

# End-to-end speed and memory against the serde_json floor (see docs/performance.md).
bench *ARGS:
    cargo bench --bench compare -- {{ARGS}}

# Loading and evaluating a large generated HCL module tree against the hcl-rs parse floor.
bench-hcl *ARGS:
    cargo bench --bench hcl -- {{ARGS}}

# Accept changed insta snapshots after reviewing them.
snapshots:
    INSTA_UPDATE=always cargo test

# Run each fuzz target for SECONDS (cargo-fuzz and a nightly toolchain; see
# docs/security.md). Seeds come from testdata and ../shared/corpus; a crash stops the
# recipe and leaves its input under fuzz/artifacts/TARGET/.
fuzz SECONDS="60":
    bash fuzz/seed.sh
    for t in state hcl_expression hcl_directory; do cargo +nightly fuzz run $t -- -max_total_time={{SECONDS}} -rss_limit_mb=4096 -timeout=45 -max_len=65536 -detect_leaks=0 || exit 1; done
