#!/bin/bash
# Seeds each fuzz target's corpus (fuzz/corpus/TARGET, not committed) from the
# project's test data and the shared corpus of real state and plan files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
mkdir -p "$here/corpus/state" "$here/corpus/hcl_expression" "$here/corpus/hcl_directory"
n=0
for f in "$top"/testdata/examples/*.json "$top"/testdata/examples/*.tfstate "$top"/../shared/corpus/*/*.json "$top"/../shared/corpus/*/*.tfstate "$top"/testdata/cases/*/*.json "$top"/testdata/cases/*/*.tfstate; do
  [ -f "$f" ] || continue
  [ "$(stat -c %s "$f")" -le 65536 ] || continue
  n=$((n + 1)); cp "$f" "$here/corpus/state/seed-$n"
done
n=0
for f in "$top"/testdata/cases/*/*.tf "$top"/testdata/cases/*/*/*.tf "$top"/testdata/cases/*/*/*/*.tf; do
  [ -f "$f" ] || continue
  n=$((n + 1)); cp "$f" "$here/corpus/hcl_directory/seed-$n"
  # Each attribute's expression, as an expression seed.
  grep -oE '=\s.+$' "$f" | sed 's/^=\s*//' | head -50 | while IFS= read -r e; do
    n=$((n + 1)); printf '%s' "$e" > "$here/corpus/hcl_expression/seed-$n-$RANDOM"
  done
done
echo "seeded: $(ls "$here/corpus/state" | wc -l) state, $(ls "$here/corpus/hcl_expression" | wc -l) expression, $(ls "$here/corpus/hcl_directory" | wc -l) directory inputs"
