#!/usr/bin/env bash
# bench/run.sh BUILD_DIR: the foundation benchmark (bench/README.md), written to
# docs/BENCHMARKS.md. `make bench` runs `bench/run.sh build/release`.
#
#   (a) `sqlflow copy` CSV → Parquet against DuckDB's own COPY ... TO (FORMAT parquet)
#   (b) CSV → DataChunks through the CSV source connector, in MB/s, against DuckDB streaming
#       the same read_csv() chunk by chunk
#   (c) peak RSS of (a), and again on a file twice as big
#
# Every figure is the median of BENCH_REPEAT runs, the reference and SQLFlow alternating, on a
# warm page cache; ratios are SQLFlow / reference from the same run. Outputs are verified
# (row counts, and equal fingerprints of the two Parquet files) before anything is written.
#
# Environment: BENCH_ROWS (5000000), BENCH_REPEAT (3), BENCH_DOC (docs/BENCHMARKS.md; empty
# to skip writing it, e.g. for a quick run with BENCH_ROWS=200000).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: bench/run.sh BUILD_DIR   (e.g. build/release)" >&2
  exit 2
fi
BUILD_ARG="$1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "$BUILD_ARG" && pwd)"
ROWS="${BENCH_ROWS:-5000000}"
REPEAT="${BENCH_REPEAT:-3}"
DOC="${BENCH_DOC-${ROOT}/docs/BENCHMARKS.md}"
DATA="${ROOT}/bench/data"
OUT="${ROOT}/bench/out"

# Targets of the issue.
COPY_RATIO_MAX=1.25
RSS_MAX_KB=1048576  # 1 GiB
RSS_GROWTH_MAX=1.10 # "unchanged when the file doubles": at most 10% more

SQLFLOW="${BUILD}/sqlflow"
GEN="${BUILD}/bench/bench_gen_orders"
REF="${BUILD}/bench/bench_duckdb_reference"
READ="${BUILD}/bench/bench_csv_read"
RSS_BIN="${BUILD}/bench/bench_rss"
for exe in "$SQLFLOW" "$GEN" "$REF" "$READ" "$RSS_BIN"; do
  if [ ! -x "$exe" ]; then
    echo "run.sh: $exe is missing: build first (make build, or cmake --build $BUILD_ARG)" >&2
    exit 1
  fi
done
mkdir -p "$DATA" "$OUT"

# shellcheck source=bench/lib.sh
source "${ROOT}/bench/lib.sh"

# cpu_busy: CPU-seconds the whole machine has spent busy since boot (/proc/stat).
cpu_busy() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / {busy = 0
    for (i = 2; i <= NF; ++i) if (i != 5 && i != 6) busy += $i
    printf "%.2f", busy / hz}' /proc/stat
}

# generate ROWS FILE: the orders CSV, made once and cached (bench/data/ is git-ignored).
generate() {
  if [ -s "$2" ]; then return 0; fi
  log "generating $1 rows into ${2#"$ROOT"/}"
  "$GEN" "$1" "$2.tmp" >/dev/null
  mv "$2.tmp" "$2"
}

label() {  # 5000000 → 5m
  if [ $(($1 % 1000000)) -eq 0 ]; then echo "$(($1 / 1000000))m"; else echo "$1"; fi
}
ROWS2=$((ROWS * 2))
CSV="${DATA}/orders_$(label "$ROWS").csv"
CSV2="${DATA}/orders_$(label "$ROWS2").csv"
generate "$ROWS" "$CSV"
generate "$ROWS2" "$CSV2"
CSV_BYTES="$(stat -c %s "$CSV")"
CSV2_BYTES="$(stat -c %s "$CSV2")"
CSV_MB="$(calc "$CSV_BYTES / 1e6")"
LOAD_START="$(load)"
log "load average at start: $LOAD_START ($(nproc) cores)"
# The run itself keeps ~1.5 cores busy, so only the load before it says whether something else
# competes; with other work running the times (and less so the ratios) are noisy.
BUSY_START="$(busy_percent)"
if [ "$BUSY_START" -gt 10 ]; then
  log "WARNING: the CPUs are ${BUSY_START}% busy with other work: figures will be noisy"
fi
cat "$CSV" "$CSV2" >/dev/null  # warm the page cache

# copy_round SUFFIX CSV: DuckDB's COPY, then `sqlflow copy`, of CSV → Parquet (outputs
# $OUT/{ref,sqlflow}_copySUFFIX.*); appends to REF_COPYSUFFIX_S/_KB and OUR_COPYSUFFIX_S/_KB.
copy_round() {
  local -n ref_s="REF_COPY$1_S" ref_kb="REF_COPY$1_KB" our_s="OUR_COPY$1_S" our_kb="OUR_COPY$1_KB"
  local ref_out="$OUT/ref_copy$1.parquet" our_out="$OUT/sqlflow_copy$1.parquet"
  rm -f "$ref_out" "$our_out"
  measure "ref_copy$1" "$REF" copy "$2" "$ref_out"
  ref_s+=("$WALL") ref_kb+=("$RSS_KB")
  measure "sqlflow_copy$1" "$SQLFLOW" copy --source CSV --source-params "{\"path\": \"$2\"}" \
    --destination PARQUET --destination-params "{\"path\": \"$our_out\"}" --json
  our_s+=("$WALL") our_kb+=("$RSS_KB")
}

MACHINE_CPU_START="$(cpu_busy)"
RUN_START="$(date +%s.%N)"
declare -a REF_COPY_S OUR_COPY_S REF_COPY_KB OUR_COPY_KB REF_SCAN_S OUR_READ_S OUR_READ_KB
declare -a REF_SCAN_KB REF_CTAS_S REF_COPY2_S OUR_COPY2_S REF_COPY2_KB OUR_COPY2_KB OUR_READ2_KB
for i in $(seq "$REPEAT"); do
  log "round $i/$REPEAT: ${ROWS} rows ($(label "$ROWS")), load $(load)"
  copy_round "" "$CSV"
  measure ref_scan "$REF" scan "$CSV"
  REF_SCAN_S+=("$(kv "$OUT/ref_scan.out" seconds)") REF_SCAN_KB+=("$RSS_KB")
  measure csv_read "$READ" "$CSV"
  OUR_READ_S+=("$(kv "$OUT/csv_read.out" seconds)") OUR_READ_KB+=("$RSS_KB")
  measure ref_ctas "$REF" ctas "$CSV"
  REF_CTAS_S+=("$(kv "$OUT/ref_ctas.out" seconds)")
done
COPY_PATH="$(grep -oE '"path"[[:space:]]*:[[:space:]]*"(pushdown|stream)"' \
  "$OUT/sqlflow_copy.out" | head -1 | sed -E 's/.*"(pushdown|stream)"/\1/')"
for i in $(seq "$REPEAT"); do
  log "round $i/$REPEAT: ${ROWS2} rows ($(label "$ROWS2")), load $(load)"
  copy_round 2 "$CSV2"
  measure csv_read2 "$READ" "$CSV2"
  OUR_READ2_KB+=("$RSS_KB")
done
LOAD_END="$(load)"
# CPU time others used during the measurements: the machine's busy time minus our commands'.
OTHER_CPU="$(calc "$(cpu_busy) - $MACHINE_CPU_START - $OWN_CPU" %.1f)"
RUN_SECONDS="$(calc "$(date +%s.%N) - $RUN_START" %.0f)"
OTHER_PCT="$(calc "100 * $OTHER_CPU / ($RUN_SECONDS * $(nproc))" %.0f)"
QUIET_NOTE="CPUs ${BUSY_START}% busy in the second before the run; other processes used \
${OTHER_CPU} CPU-seconds during the ${RUN_SECONDS} s of measurements (${OTHER_PCT}% of the machine)"
if [ "$OTHER_PCT" -gt 5 ] || [ "$BUSY_START" -gt 10 ]; then
  QUIET_NOTE="${QUIET_NOTE}: **not quiet, figures are noisy**"
else
  QUIET_NOTE="${QUIET_NOTE}: quiet"
fi

# Verify before reporting: every reader saw every row, and both Parquet files hold the same
# values (the fingerprint normalises types, see bench_duckdb_reference check).
log "verifying outputs"
FAILED=0
expect() {  # WHAT GOT WANT
  if [ "$2" != "$3" ]; then
    log "MISMATCH: $1: got '$2', expected '$3'"
    FAILED=1
  fi
}
SUM=$((ROWS * (ROWS + 1) / 2))
expect "DuckDB COPY rows" "$(kv "$OUT/ref_copy.out" rows)" "$ROWS"
expect "sqlflow copy rows" "$(json_num "$OUT/sqlflow_copy.out" rows)" "$ROWS"
expect "sqlflow copy rows (x2)" "$(json_num "$OUT/sqlflow_copy2.out" rows)" "$ROWS2"
expect "DuckDB scan rows" "$(kv "$OUT/ref_scan.out" rows)" "$ROWS"
expect "DuckDB scan sum(order_id)" "$(kv "$OUT/ref_scan.out" sum_order_id)" "$SUM"
expect "CSV connector rows" "$(kv "$OUT/csv_read.out" rows)" "$ROWS"
expect "CSV connector sum(order_id)" "$(kv "$OUT/csv_read.out" sum_order_id)" "$SUM"
expect "CSV connector rows (x2)" "$(kv "$OUT/csv_read2.out" rows)" "$ROWS2"
fingerprint() { "$REF" check "$1" || echo "unreadable"; }
REF_PRINT="$(fingerprint "$OUT/ref_copy.parquet")"
OUR_PRINT="$(fingerprint "$OUT/sqlflow_copy.parquet")"
expect "Parquet fingerprint (sqlflow vs DuckDB)" "$OUR_PRINT" "$REF_PRINT"
expect "Parquet fingerprint (x2)" "$(fingerprint "$OUT/sqlflow_copy2.parquet")" \
  "$(fingerprint "$OUT/ref_copy2.parquet")"
if [ "$FAILED" -ne 0 ]; then
  log "outputs differ: no figures recorded"
  exit 1
fi

# Figures.
M_REF_COPY="$(median "${REF_COPY_S[@]}")"
M_OUR_COPY="$(median "${OUR_COPY_S[@]}")"
COPY_RATIO="$(calc "$M_OUR_COPY / $M_REF_COPY" %.2f)"
M_REF_SCAN="$(median "${REF_SCAN_S[@]}")"
M_OUR_READ="$(median "${OUR_READ_S[@]}")"
M_REF_CTAS="$(median "${REF_CTAS_S[@]}")"
REF_SCAN_MBS="$(calc "$CSV_MB / $M_REF_SCAN" %.0f)"
OUR_READ_MBS="$(calc "$CSV_MB / $M_OUR_READ" %.0f)"
REF_CTAS_MBS="$(calc "$CSV_MB / $M_REF_CTAS" %.0f)"
READ_RATIO="$(calc "$CSV_MB / $M_OUR_READ / ($CSV_MB / $M_REF_SCAN)" %.2f)"
M_OUR_KB="$(median "${OUR_COPY_KB[@]}")"
M_OUR2_KB="$(median "${OUR_COPY2_KB[@]}")"
M_REF_KB="$(median "${REF_COPY_KB[@]}")"
M_REF2_KB="$(median "${REF_COPY2_KB[@]}")"
RSS_GROWTH="$(calc "$M_OUR2_KB / $M_OUR_KB" %.2f)"
REF_RSS_GROWTH="$(calc "$M_REF2_KB / $M_REF_KB" %.2f)"
M_READ_KB="$(median "${OUR_READ_KB[@]}")"
M_READ2_KB="$(median "${OUR_READ2_KB[@]}")"

V_COPY="$(verdict "$COPY_RATIO <= $COPY_RATIO_MAX")"
V_RSS="$(verdict "$M_OUR_KB < $RSS_MAX_KB && $M_OUR2_KB < $RSS_MAX_KB")"
V_FLAT="$(verdict "$RSS_GROWTH <= $RSS_GROWTH_MAX")"

TABLE="$(
  cat <<EOF
| Measurement | SQLFlow | DuckDB reference | Ratio | Target |
|---|---|---|---|---|
| (a) CSV → Parquet, wall time ($(label "$ROWS"), path: ${COPY_PATH:-?}) | ${M_OUR_COPY} s | ${M_REF_COPY} s | **${COPY_RATIO}** | ≤ ${COPY_RATIO_MAX}: ${V_COPY} |
| (b) CSV → chunks, read throughput | ${OUR_READ_MBS} MB/s (${M_OUR_READ} s) | ${REF_SCAN_MBS} MB/s (${M_REF_SCAN} s) | **${READ_RATIO}** | (recorded) |
| (b) extra reference: DuckDB \`CREATE TABLE AS\` | | ${REF_CTAS_MBS} MB/s (${M_REF_CTAS} s) | | |
| (c) peak RSS of (a), $(label "$ROWS") | $(mb "$M_OUR_KB") MiB | $(mb "$M_REF_KB") MiB | | < 1 GiB: ${V_RSS} |
| (c) peak RSS of (a), $(label "$ROWS2") | $(mb "$M_OUR2_KB") MiB | $(mb "$M_REF2_KB") MiB | | |
| (c) RSS growth when the file doubles | **×${RSS_GROWTH}** | ×${REF_RSS_GROWTH} | | ≤ ×${RSS_GROWTH_MAX}: ${V_FLAT} |
| peak RSS of (b), $(label "$ROWS") / $(label "$ROWS2") | $(mb "$M_READ_KB") / $(mb "$M_READ2_KB") MiB | $(mb "$(median "${REF_SCAN_KB[@]}")") MiB ($(label "$ROWS")) | | |
EOF
)"
echo
echo "$TABLE"
echo
log "load average: start $LOAD_START, end $LOAD_END; $QUIET_NOTE"

if [ -z "$DOC" ]; then exit 0; fi
COMMAND="bench/run.sh ${BUILD_ARG}"
if [ "$BUILD_ARG" = "build/release" ]; then COMMAND="make bench  (runs ${COMMAND})"; fi
for var in BENCH_ROWS BENCH_REPEAT; do
  if [ -n "${!var:-}" ]; then COMMAND="${var}=${!var} ${COMMAND}"; fi
done
runs() { printf '%s, ' "$@" | sed 's/, $//'; }
kib_runs() {
  local v out=""
  for v in "$@"; do out+="$(mb "$v"), "; done
  echo "${out%, }"
}
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ]; then
  COMMIT="${COMMIT} + uncommitted changes"
fi
# bench/pipeline.sh, bench/resilience.sh and bench/postgres.sh own their sections of the file: keep them.
PIPELINE_SECTION="$(section "$DOC" pipeline)"
RESILIENCE_SECTION="$(section "$DOC" resilience)"
POSTGRES_SECTION="$(section "$DOC" postgres)"
cat >"$DOC" <<EOF
# Benchmarks

Written by \`bench/run.sh\` (what each figure measures: [bench/README.md](../bench/README.md)).
Every figure is the median of ${REPEAT} runs, DuckDB's reference and SQLFlow alternating on a
warm page cache; ratios compare figures from the same run, so they travel between machines
better than the absolute times do.

## Latest run

- Command: \`${COMMAND}\`
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit ${COMMIT}
- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)
- Other work on the machine: ${QUIET_NOTE}. Load average (1, 5, 15 min): ${LOAD_START} at the
  start, ${LOAD_END} at the end (the run itself keeps ~1.5 cores busy)
- DuckDB $("$REF" version) (reference and engine)
- Data: \`bench_gen_orders\`: ${ROWS} rows, ${CSV_BYTES} bytes ($(calc "$CSV_BYTES / 1e6" %.0f) MB); doubled: ${ROWS2} rows, ${CSV2_BYTES} bytes

${TABLE}

Ratios: (a) SQLFlow time / DuckDB time, lower is better; (b) SQLFlow MB/s / DuckDB MB/s,
higher is better. Verified in the same run: every reader returned all rows and
sum(order_id); both Parquet files have the same fingerprint (\`${OUR_PRINT}\`).

### Every run

| Figure | Runs |
|---|---|
| (a) DuckDB COPY, s | $(runs "${REF_COPY_S[@]}") |
| (a) sqlflow copy, s | $(runs "${OUR_COPY_S[@]}") |
| (a) DuckDB COPY, doubled file, s | $(runs "${REF_COPY2_S[@]}") |
| (a) sqlflow copy, doubled file, s | $(runs "${OUR_COPY2_S[@]}") |
| (b) DuckDB streaming scan, s | $(runs "${REF_SCAN_S[@]}") |
| (b) CSV connector chunks, s | $(runs "${OUR_READ_S[@]}") |
| (b) DuckDB CREATE TABLE AS, s | $(runs "${REF_CTAS_S[@]}") |
| (c) DuckDB COPY peak RSS, MiB | $(kib_runs "${REF_COPY_KB[@]}") |
| (c) sqlflow copy peak RSS, MiB | $(kib_runs "${OUR_COPY_KB[@]}") |
| (c) DuckDB COPY peak RSS, doubled file, MiB | $(kib_runs "${REF_COPY2_KB[@]}") |
| (c) sqlflow copy peak RSS, doubled file, MiB | $(kib_runs "${OUR_COPY2_KB[@]}") |
EOF
for kept in "$PIPELINE_SECTION" "$RESILIENCE_SECTION" "$POSTGRES_SECTION"; do
  if [ -n "$kept" ]; then printf '\n%s\n' "$kept" >>"$DOC"; fi
done
log "wrote ${DOC#"$ROOT"/}"
