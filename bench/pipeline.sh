#!/usr/bin/env bash
# bench/pipeline.sh BUILD_DIR: the pipeline-runner benchmark (issue 3), written into the
# "Pipeline runner" section of docs/BENCHMARKS.md (between its markers; the rest of the file
# is left alone). `make bench` runs it after bench/run.sh.
#
#   (d) `sqlflow pipeline run` of LOAD (orders CSV) → GROUP BY transform → EXPORT Parquet,
#       against DuckDB running the same SQL directly (bench_duckdb_reference script), both as
#       whole-process wall time; the two Parquet outputs must have equal digests
#   (e) the fixed overhead: wall time of `sqlflow pipeline run` on a trivial pipeline (one
#       CREATE TABLE AS SELECT 1 and a one-row CSV export), against starting a process that
#       loads DuckDB and prints its version
#
# Medians of BENCH_REPEAT runs (3; 15 for (e)), alternating. Environment: BENCH_ROWS
# (5000000), BENCH_REPEAT, BENCH_DOC (docs/BENCHMARKS.md; empty to only print).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: bench/pipeline.sh BUILD_DIR   (e.g. build/release)" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "$1" && pwd)"
ROWS="${BENCH_ROWS:-5000000}"
REPEAT="${BENCH_REPEAT:-3}"
DOC="${BENCH_DOC-${ROOT}/docs/BENCHMARKS.md}"
DATA="${ROOT}/bench/data"
OUT="${ROOT}/bench/out/pipeline"
PIPELINE_RATIO_MAX=1.2
OVERHEAD_MAX_MS=50

SQLFLOW="${BUILD}/sqlflow"
GEN="${BUILD}/bench/bench_gen_orders"
REF="${BUILD}/bench/bench_duckdb_reference"
RSS_BIN="${BUILD}/bench/bench_rss"
for exe in "$SQLFLOW" "$GEN" "$REF" "$RSS_BIN"; do
  [ -x "$exe" ] || { echo "pipeline.sh: $exe is missing: build first" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
source "${ROOT}/bench/lib.sh"
# wall NAME CMD...: run CMD under bench_rss (see measure) and print its wall seconds.
wall() {
  measure "$@"
  echo "$WALL"
}

mkdir -p "$DATA" "$OUT"
CSV="${DATA}/orders_${ROWS}.csv"
[ -f "$CSV" ] || { log "generating $CSV"; "$GEN" "$ROWS" "$CSV" >/dev/null; }

# The project: one pipeline for (d), one for (e).
PROJECT="${OUT}/project"
rm -rf "$PROJECT"
mkdir -p "$PROJECT/pipelines" "$PROJECT/output"
TRANSFORM="SELECT customer_id % 1000 AS customer_group, status, count(*) AS orders,
         sum(amount) AS revenue, min(created_at) AS first_order, max(created_at) AS last_order
  FROM orders GROUP BY ALL"
cat >"$PROJECT/pipelines/orders_summary.sf" <<SF
SOURCE orders_src TYPE CSV PARAMS {"path": "\${csv}"};
LOAD orders FROM orders_src;
CREATE TABLE summary AS
  ${TRANSFORM};
EXPORT SELECT * FROM summary ORDER BY customer_group, status
  TO "\${out}" TYPE PARQUET;
SF
cat >"$OUT/reference.sql" <<SQL
CREATE TABLE orders AS SELECT * FROM read_csv('${CSV}');
CREATE TABLE summary AS
  ${TRANSFORM};
COPY (SELECT * FROM summary ORDER BY customer_group, status)
  TO '${OUT}/reference.parquet' (FORMAT parquet);
SQL
cat >"$PROJECT/pipelines/trivial.sf" <<'SF'
CREATE TABLE answer AS SELECT 42 AS answer;
EXPORT answer TO "output/answer.csv" TYPE CSV;
SF

REF_S=() OUR_S=()
for i in $(seq "$REPEAT"); do
  log "pipeline round $i/$REPEAT"
  rm -f "$OUT/reference.parquet" "$OUT/sqlflow.parquet"
  REF_S+=("$(wall reference "$REF" script "$OUT/reference.sql")")
  OUR_S+=("$(wall sqlflow "$SQLFLOW" pipeline run orders_summary --project-dir "$PROJECT" \
    --quiet --vars "csv=${CSV},out=${OUT}/sqlflow.parquet")")
done
REF_DIGEST="$("$REF" digest "$OUT/reference.parquet")"
OUR_DIGEST="$("$REF" digest "$OUT/sqlflow.parquet")"
if [ "$REF_DIGEST" != "$OUR_DIGEST" ]; then
  log "MISMATCH: sqlflow '$OUR_DIGEST' vs DuckDB '$REF_DIGEST': no figures recorded"
  exit 1
fi

FLOOR_S=() TRIVIAL_S=()
TRIVIAL_REPEAT=$((REPEAT * 5))
for i in $(seq "$TRIVIAL_REPEAT"); do
  FLOOR_S+=("$(wall floor "$REF" version)")
  TRIVIAL_S+=("$(wall trivial "$SQLFLOW" pipeline run trivial --project-dir "$PROJECT" --quiet)")
done
[ "$(cat "$PROJECT/output/answer.csv")" = "$(printf 'answer\n42')" ] ||
  { log "trivial pipeline output is wrong"; exit 1; }

M_REF="$(median "${REF_S[@]}")"
M_OUR="$(median "${OUR_S[@]}")"
RATIO="$(calc "$M_OUR / $M_REF" %.2f)"
M_TRIVIAL_MS="$(calc "1000 * $(median "${TRIVIAL_S[@]}")" %.0f)"
M_FLOOR_MS="$(calc "1000 * $(median "${FLOOR_S[@]}")" %.0f)"
V_RATIO="$(verdict "$RATIO <= $PIPELINE_RATIO_MAX")"
V_OVERHEAD="$(verdict "$M_TRIVIAL_MS < $OVERHEAD_MAX_MS")"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"

SECTION="$(cat <<MD
<!-- pipeline-bench:start -->
## Pipeline runner

- Command: \`bench/pipeline.sh build/release\` (part of \`make bench\`)
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit ${COMMIT}; $(nproc) cores
- Data: ${ROWS} rows of \`bench_gen_orders\` ($(calc "$(stat -c %s "$CSV") / 1000000" %.0f) MB CSV)
- Pipeline (d): LOAD the CSV, \`CREATE TABLE summary AS\` a GROUP BY (customer group × status:
  count, sum, min, max), EXPORT it ordered to Parquet. Reference: DuckDB running the same
  statements (\`CREATE TABLE orders AS SELECT * FROM read_csv(...)\`, the same CREATE TABLE,
  \`COPY ... TO parquet\`) in one process. Both outputs verified equal: \`${OUR_DIGEST}\`.

| Measurement | SQLFlow | DuckDB reference | Ratio | Target |
|---|---|---|---|---|
| (d) pipeline wall time | ${M_OUR} s | ${M_REF} s | **${RATIO}** | ≤ ${PIPELINE_RATIO_MAX}: ${V_RATIO} |
| (e) trivial pipeline, whole process | ${M_TRIVIAL_MS} ms | ${M_FLOOR_MS} ms (load DuckDB, print version) | | < ${OVERHEAD_MAX_MS} ms: ${V_OVERHEAD} |

Every run: (d) DuckDB $(printf '%s ' "${REF_S[@]}")s; SQLFlow $(printf '%s ' "${OUR_S[@]}")s.
(e) SQLFlow $(printf '%s ' "${TRIVIAL_S[@]}")s.
<!-- pipeline-bench:end -->
MD
)"
printf '%s\n' "$SECTION"
if [ -n "$DOC" ] && [ -f "$DOC" ]; then
  replace_section "$DOC" pipeline "$SECTION"
  log "wrote ${DOC#"$ROOT"/}"
fi
