#!/usr/bin/env bash
# The demo of `make demo`:
#   1. `sqlflow init` creates a sample project (customers, products, orders and a pipeline),
#      `sqlflow pipeline run` runs it, and the results are shown.
#   2. A CSV → Parquet → CSV round trip with `sqlflow copy` gives back the very same bytes.
# Usage: scripts/demo.sh path/to/sqlflow   (only bash, coreutils, awk and the binary are used)
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 path/to/sqlflow" >&2
  exit 2
fi
if [[ ! -x $1 ]]; then
  echo "demo: '$1' is not an executable; build it first with 'make build'" >&2
  exit 1
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DIR=demo  # ignored by git
PROJECT=$DIR/shop

bold() { if [[ -t 1 ]]; then printf '\033[1m%s\033[0m\n' "$*"; else printf '%s\n' "$*"; fi; }
step() { echo; bold "\$ sqlflow $*"; }
# A file's size the way sqlflow prints sizes ("322.4 KB").
size() {
  stat -c %s "$1" | awk '{ split("B KB MB GB TB", u, " "); n = $1; i = 1
    while (n >= 1000 && i < 5) { n /= 1000; i++ }
    if (i == 1) printf "%d B\n", n; else printf "%.1f %s\n", n, u[i] }'
}
# The first lines of a CSV file as an aligned table (widths in characters, not UTF-8 bytes).
table() {
  head -n "$2" "$1" | awk -F, '
    function width(s) { gsub(/[\200-\277]/, "", s); return length(s) }
    { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; w = width($i); if (w > max[i]) max[i] = w }
      if (NF > cols) cols = NF }
    END { for (r = 1; r <= NR; r++) { line = " "
        for (i = 1; i <= cols; i++) {
          line = line " " cell[r, i]
          if (i < cols) for (pad = width(cell[r, i]); pad <= max[i]; pad++) line = line " "
        }
        print line } }'
}

mkdir -p "$DIR"
rm -rf "$PROJECT"

bold "SQLFlow demo — $("$BIN" --version)"

# Part 1: a project made by init, run by pipeline run.
step "init $PROJECT"
"$BIN" init "$PROJECT"

cd "$PROJECT"
step "pipeline validate"
"$BIN" pipeline validate

step "pipeline run customer_analytics"
"$BIN" pipeline run customer_analytics

echo
bold "output/top_customers.csv (first 10 of $(($(wc -l < output/top_customers.csv) - 1)) rows):"
table output/top_customers.csv 11
echo
bold "output/revenue_by_country.csv:"
table output/revenue_by_country.csv 11
echo
echo "Files in $PROJECT/output/:"
for f in output/*; do printf '  %-28s %10s\n' "$(basename "$f")" "$(size "$f")"; done
cd "$ROOT"

# Part 2: the CSV → Parquet → CSV round trip of `sqlflow copy` is byte-identical.
ORDERS=$PROJECT/data/orders.csv
PARQUET=$DIR/orders.parquet
BACK=$DIR/orders_roundtrip.csv
rm -f "$PARQUET" "$BACK"
step "copy --source CSV --destination PARQUET  ($ORDERS → $PARQUET)"
"$BIN" copy --source CSV --source-params "{\"path\": \"$ORDERS\"}" \
  --destination PARQUET --destination-params "{\"path\": \"$PARQUET\"}"
step "copy --source PARQUET --destination CSV  ($PARQUET → $BACK)"
"$BIN" copy --source PARQUET --source-params "{\"path\": \"$PARQUET\"}" \
  --destination CSV --destination-params "{\"path\": \"$BACK\"}"

echo
original=$(sha256sum < "$ORDERS" | cut -c1-16)
roundtrip=$(sha256sum < "$BACK" | cut -c1-16)
if [[ $original == "$roundtrip" ]]; then
  bold "round trip identical: yes (sha256 $original…)"
else
  bold "round trip identical: no (sha256 $original… vs $roundtrip…)"
  echo "compare $ORDERS with $BACK to see the difference" >&2
  exit 1
fi

echo
echo "Next: cd $PROJECT && sqlflow pipeline compile customer_analytics  (the plan and its DAG),"
echo "      sqlflow connect test orders_csv, and the project's README.md."
