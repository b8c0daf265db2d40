#!/usr/bin/env bash
# The demo of `make demo`: generate a sample CSV, copy it CSV → Parquet → CSV with the sqlflow
# binary, and check that the round trip gives back the very same bytes.
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

ROWS=5000
DIR=demo  # ignored by git
CSV=$DIR/customers.csv
PARQUET=$DIR/customers.parquet
BACK=$DIR/customers_roundtrip.csv

bold() { if [[ -t 1 ]]; then printf '\033[1m%s\033[0m\n' "$*"; else printf '%s\n' "$*"; fi; }
step() { echo; bold "\$ sqlflow $*"; }
# A file's size the way sqlflow prints sizes ("322.4 KB").
size() {
  stat -c %s "$1" | awk '{ split("B KB MB GB TB", u, " "); n = $1; i = 1
    while (n >= 1000 && i < 5) { n /= 1000; i++ }
    if (i == 1) printf "%d B\n", n; else printf "%.1f %s\n", n, u[i] }'
}
# 5000 → "5,000".
count() {
  awk -v n="$1" 'BEGIN { s = ""; while (n >= 1000) { s = sprintf(",%03d", n % 1000) s; n = int(n / 1000) }
    print n s }'
}

mkdir -p "$DIR"
rm -f "$CSV" "$PARQUET" "$BACK"

# Deterministic sample data (no random numbers): quoted commas and quotes, an embedded
# newline every 500 rows, empty values (read as NULL), non-ASCII names and cities. Values are
# written the way DuckDB writes them back (e.g. amounts never end in 0), so the round trip
# can be compared byte for byte.
awk -v rows="$ROWS" 'BEGIN {
  split("Zoë Martin|Jürgen Müller|Smith, John|Ana \"Nina\" Silva|山田 太郎|Renée O'\''Connor|Łukasz Żak|Åsa Öberg|Chloé Dubois|José Núñez|Ngozi Okafor|Dmitri Ivanov", first, "|");
  split("Paris|München|東京|São Paulo|Zürich|Kraków|New York, NY|Reykjavík|Montréal|Lagos", city, "|");
  split("gold|silver|bronze", tier, "|");
  print "id,name,city,tier,amount,signup_date,active,note";
  for (i = 1; i <= rows; i++) {
    name = first[(i * 7) % 12 + 1];
    c = city[(i * 3) % 10 + 1];
    amount = ((i * 7919) % 100000) "." ((i * 13) % 9 + 1) ((i * 17) % 9 + 1);
    if (i % 7 == 0) amount = "";
    month = (i % 12) + 1; day = (i % 28) + 1;
    date = sprintf("2024-%02d-%02d", month, day);
    active = (i % 3 == 0) ? "false" : "true";
    note = "";
    if (i % 500 == 0) note = "first line\nsecond line";
    else if (i % 11 == 0) note = "said \"hello\", then left";
    else if (i % 5 == 0) note = "regular customer";
    if (i % 13 == 0) c = "";
    printf "%d,%s,%s,%s,%s,%s,%s,%s\n", i, q(name), q(c), tier[i % 3 + 1], amount, date, active, q(note);
  }
}
# Quote a field the way CSV needs: only when it holds a comma, a quote or a newline.
function q(s) {
  if (s ~ /[,"\n]/) { gsub(/"/, "\"\"", s); return "\"" s "\""; }
  return s;
}' > "$CSV"

bold "SQLFlow demo — $("$BIN" --version)"
echo "Generated $CSV: $(count "$ROWS") rows, $(size "$CSV") (quoted commas, a newline inside a field,"
echo "empty values as NULL, names like Zoë, Müller and 東京)."

step connectors list
"$BIN" connectors list

step "copy --source CSV --source-params '{\"path\": \"$CSV\"}' --destination PARQUET --destination-params '{\"path\": \"$PARQUET\"}'"
"$BIN" copy --source CSV --source-params "{\"path\": \"$CSV\"}" \
  --destination PARQUET --destination-params "{\"path\": \"$PARQUET\"}"

step "copy --source PARQUET --source-params '{\"path\": \"$PARQUET\"}' --destination CSV --destination-params '{\"path\": \"$BACK\"}'"
"$BIN" copy --source PARQUET --source-params "{\"path\": \"$PARQUET\"}" \
  --destination CSV --destination-params "{\"path\": \"$BACK\"}"

echo
original=$(sha256sum < "$CSV" | cut -c1-16)
roundtrip=$(sha256sum < "$BACK" | cut -c1-16)
if [[ $original == "$roundtrip" ]]; then
  bold "round trip identical: yes (sha256 $original…)"
else
  bold "round trip identical: no (sha256 $original… vs $roundtrip…)"
  echo "compare $CSV with $BACK to see the difference" >&2
  exit 1
fi

echo
echo "Files in $DIR/:"
printf '  %-28s %10s\n' "$(basename "$CSV")" "$(size "$CSV")" \
  "$(basename "$PARQUET")" "$(size "$PARQUET")" "$(basename "$BACK")" "$(size "$BACK")"
echo
echo "Next: 'sqlflow connectors spec CSV' lists every CSV parameter; 'sqlflow copy --help' the flags."
