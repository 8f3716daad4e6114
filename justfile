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
