#!/usr/bin/env bash
# bench/postgres.sh BUILD_DIR: the PostgreSQL connector benchmark (issue 6), written into the
# "PostgreSQL" section of docs/BENCHMARKS.md (between its markers). Part of `make bench`.
#
# It starts a throwaway PostgreSQL 15 cluster (initdb in a temp dir, trust auth, fsync off,
# 127.0.0.1 on a free port), loads the orders CSV into `orders` with psql \copy, then:
#
#   (a) PostgreSQL → Parquet: `sqlflow copy` POSTGRES → PARQUET against
#       `psql -c "COPY orders TO STDOUT (FORMAT binary)"` into /dev/null (whole processes)
#   (b) CSV → PostgreSQL: `sqlflow copy` CSV → POSTGRES (mode replace) against
#       `psql -c "\copy orders_psql FROM 'CSV' CSV HEADER"` into an empty table of the same columns
#   (c) the same two against pandas (bench/pandas_pg.py: read_sql, to_sql method="multi") on
#       BENCH_PANDAS_ROWS rows, and sqlflow on the same rows
#   (d) peak RSS of the sqlflow PostgreSQL → Parquet copy at ROWS/5 and ROWS rows
#
# (a), (b) and the small run of (d): medians of BENCH_REPEAT alternating runs; (c) once each.
# Every output is checked (Parquet fingerprint against DuckDB's own copy of the CSV; row counts
# and column aggregates of the loaded tables) before any figure is written.
# Environment: BENCH_ROWS (5000000), BENCH_REPEAT (3), BENCH_PANDAS_ROWS (1000000),
# BENCH_DOC (docs/BENCHMARKS.md; empty to only print).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: bench/postgres.sh BUILD_DIR   (e.g. build/release)" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "$1" && pwd)"
ROWS="${BENCH_ROWS:-5000000}"
REPEAT="${BENCH_REPEAT:-3}"
PANDAS_ROWS="${BENCH_PANDAS_ROWS:-1000000}"
SMALL_ROWS=$((ROWS / 5))
DOC="${BENCH_DOC-${ROOT}/docs/BENCHMARKS.md}"
DATA="${ROOT}/bench/data"
OUT="${ROOT}/bench/out/postgres"
RATIO_MAX=1.3
RSS_GROWTH_MAX=1.5

SQLFLOW="${BUILD}/sqlflow"
GEN="${BUILD}/bench/bench_gen_orders"
REF="${BUILD}/bench/bench_duckdb_reference"
RSS_BIN="${BUILD}/bench/bench_rss"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PY=/usr/bin/python3  # Debian's, with pandas (the python3 on PATH may be another one)
for exe in "$SQLFLOW" "$GEN" "$REF" "$RSS_BIN" "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PY"; do
  [ -x "$exe" ] || { echo "postgres.sh: $exe is missing: build first, and run" \
    "scripts/setup-deps.sh --bench" >&2; exit 1; }
done
command -v psql >/dev/null || { echo "postgres.sh: psql is missing: scripts/setup-deps.sh --bench" >&2; exit 1; }
"$PY" -c 'import pandas, sqlalchemy, psycopg2' 2>/dev/null ||
  { echo "postgres.sh: $PY lacks pandas/SQLAlchemy/psycopg2: scripts/setup-deps.sh --bench" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source "${ROOT}/bench/lib.sh"

mkdir -p "$DATA" "$OUT"
csv_of() {  # csv_of ROWS: the orders CSV of ROWS rows, generated once (bench/data is cached)
  local file="${DATA}/orders_$1.csv"
  [ -f "$file" ] || { log "generating $file"; "$GEN" "$1" "$file" >/dev/null; }
  echo "$file"
}
CSV="$(csv_of "$ROWS")"
PANDAS_CSV="$(csv_of "$PANDAS_ROWS")"

# --- The throwaway cluster ------------------------------------------------------------------
as_pg() {  # run a PostgreSQL server program as the postgres user when we are root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
PGDIR="$(mktemp -d /tmp/sqlflow-pgbench.XXXXXX)"
cleanup() {
  if [ -f "$PGDIR/data/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PGDIR"
}
trap cleanup EXIT
[ "$(id -u)" -ne 0 ] || chown postgres "$PGDIR"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log "starting PostgreSQL 15 on 127.0.0.1:${PORT} in ${PGDIR}"
as_pg "$PG_BIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 >"$OUT/initdb.log" 2>&1
as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -w -l "$PGDIR/server.log" \
  -o "-p ${PORT} -k ${PGDIR} -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres)
sql() { "${PSQL[@]}" -At -c "$1"; }
PG_VERSION="$(sql 'SHOW server_version')"
CONN="\"host\": \"127.0.0.1\", \"port\": ${PORT}, \"database\": \"postgres\", \"username\": \"postgres\""
PANDAS_URL="postgresql+psycopg2://postgres@127.0.0.1:${PORT}/postgres"
COLUMNS="order_id bigint PRIMARY KEY, customer_id bigint, amount numeric(12,2), status text,
  created_at timestamp, token text"

# load_table TABLE CSV: a new TABLE of COLUMNS holding CSV, vacuumed (hint bits set, statistics).
load_table() {
  sql "CREATE TABLE $1 (${COLUMNS})"
  "${PSQL[@]}" -c "\\copy $1 FROM '$2' CSV HEADER"
  sql "VACUUM (FREEZE, ANALYZE) $1"
}
log "loading ${ROWS} rows into orders"
load_table orders "$CSV"
load_table orders_pandas_src "$PANDAS_CSV"
sql "CREATE TABLE orders_small (${COLUMNS});
  INSERT INTO orders_small SELECT * FROM orders ORDER BY order_id LIMIT ${SMALL_ROWS}"
sql "VACUUM (FREEZE, ANALYZE) orders_small"
cat "$CSV" "$PANDAS_CSV" >/dev/null  # warm the page cache

BUSY_START="$(busy_percent)"
if [ "$BUSY_START" -gt 10 ]; then
  log "WARNING: the CPUs are ${BUSY_START}% busy with other work: figures will be noisy"
fi

# --- Measurements -----------------------------------------------------------------------------
pg_to_parquet() {  # pg_to_parquet NAME TABLE: sqlflow copy POSTGRES TABLE → $OUT/NAME.parquet
  rm -f "$OUT/$1.parquet"
  measure "$1" "$SQLFLOW" copy --source POSTGRES --source-params "{${CONN}, \"table\": \"$2\"}" \
    --destination PARQUET --destination-params "{\"path\": \"$OUT/$1.parquet\"}"
}
csv_to_pg() {  # csv_to_pg NAME CSV TABLE: sqlflow copy CSV → POSTGRES TABLE (replace)
  measure "$1" "$SQLFLOW" copy --source CSV --source-params "{\"path\": \"$2\"}" \
    --destination POSTGRES --destination-params "{${CONN}, \"table\": \"$3\"}" --mode replace
}

cpu() { kv "$OUT/$1.rss" cpu_seconds; }  # cpu NAME: user + system seconds of the last NAME
READ_PSQL=() READ_OURS=() READ_CPU=() READ_RSS=() SMALL_RSS=() SMALL_S=() WRITE_PSQL=()
WRITE_OURS=() WRITE_CPU=()
LOAD_BEFORE="$(load)"
for i in $(seq "$REPEAT"); do
  log "(a) PostgreSQL → Parquet, round $i/$REPEAT"
  measure psql_read "${PSQL[@]}" -o /dev/null -c "COPY orders TO STDOUT (FORMAT binary)"
  READ_PSQL+=("$WALL")
  pg_to_parquet sqlflow_read orders
  READ_OURS+=("$WALL") READ_RSS+=("$RSS_KB") READ_CPU+=("$(cpu sqlflow_read)")
  pg_to_parquet sqlflow_read_small orders_small
  SMALL_S+=("$WALL") SMALL_RSS+=("$RSS_KB")
  log "(b) CSV → PostgreSQL, round $i/$REPEAT"
  csv_to_pg sqlflow_write "$CSV" orders_sqlflow
  WRITE_OURS+=("$WALL") WRITE_CPU+=("$(cpu sqlflow_write)")
  # psql loads an empty table of exactly the columns sqlflow created (no key, no index).
  sql "SET client_min_messages = warning; DROP TABLE IF EXISTS orders_psql;
    CREATE TABLE orders_psql (LIKE orders_sqlflow)"
  measure psql_write "${PSQL[@]}" -c "\\copy orders_psql FROM '${CSV}' CSV HEADER"
  WRITE_PSQL+=("$WALL")
done

log "(c) pandas on ${PANDAS_ROWS} rows (to_sql takes about 90 s per million rows)"
measure pandas_read "$PY" "${ROOT}/bench/pandas_pg.py" read "$PANDAS_URL" orders_pandas_src
PANDAS_READ_S="$(kv "$OUT/pandas_read.out" seconds)" PANDAS_READ_RSS="$RSS_KB"
pg_to_parquet sqlflow_read_pandas orders_pandas_src
OURS_READ_P="$WALL"
measure pandas_write "$PY" "${ROOT}/bench/pandas_pg.py" write "$PANDAS_URL" "$PANDAS_CSV" \
  orders_pandas
PANDAS_WRITE_S="$(kv "$OUT/pandas_write.out" seconds)" PANDAS_WRITE_RSS="$RSS_KB"
csv_to_pg sqlflow_write_pandas "$PANDAS_CSV" orders_sqlflow_pandas
OURS_WRITE_P="$WALL"
LOAD_AFTER="$(load)"

# --- Checks -----------------------------------------------------------------------------------
log "checking the outputs"
fail() { log "MISMATCH: $*: no figures recorded"; exit 1; }
"$REF" copy "$CSV" "$OUT/duckdb.parquet" >/dev/null
EXPECTED="$("$REF" check "$OUT/duckdb.parquet")"
GOT="$("$REF" check "$OUT/sqlflow_read.parquet")"
[ "$GOT" = "$EXPECTED" ] || fail "(a) Parquet '$GOT', DuckDB's copy of the CSV '$EXPECTED'"
for name in sqlflow_read_small:$SMALL_ROWS sqlflow_read_pandas:$PANDAS_ROWS; do
  got="$("$REF" check "$OUT/${name%%:*}.parquet")"
  [[ "$got" == "columns=6 rows=${name##*:} "* ]] || fail "${name%%:*}.parquet: $got"
done
[ "$(kv "$OUT/pandas_read.out" rows)" = "$PANDAS_ROWS" ] || fail "pandas read_sql rows"
# The same aggregates over every loaded table (amount may be numeric or double precision).
AGG="count(*) || ' ' || sum(order_id) || ' ' || sum(customer_id) || ' ' ||
  round(sum(amount::numeric), 2) || ' ' || count(DISTINCT token) || ' ' ||
  count(DISTINCT status) || ' ' || min(created_at)::timestamp || ' ' || max(created_at)::timestamp"
A_ORDERS="$(sql "SELECT ${AGG} FROM orders")"
A_PSQL="$(sql "SELECT ${AGG} FROM orders_psql")"
A_OURS="$(sql "SELECT ${AGG} FROM orders_sqlflow")"
[[ "$A_ORDERS" == "${ROWS} "* ]] || fail "orders: $A_ORDERS"
[ "$A_PSQL" = "$A_ORDERS" ] || fail "(b) orders_psql '$A_PSQL', orders '$A_ORDERS'"
[ "$A_OURS" = "$A_ORDERS" ] || fail "(b) orders_sqlflow '$A_OURS', orders '$A_ORDERS'"
A_PSRC="$(sql "SELECT ${AGG} FROM orders_pandas_src")"
A_PANDAS="$(sql "SELECT ${AGG} FROM orders_pandas")"
A_OURS_P="$(sql "SELECT ${AGG} FROM orders_sqlflow_pandas")"
[[ "$A_PSRC" == "${PANDAS_ROWS} "* ]] || fail "orders_pandas_src: $A_PSRC"
[ "$A_PANDAS" = "$A_PSRC" ] || fail "(c) orders_pandas '$A_PANDAS', source '$A_PSRC'"
[ "$A_OURS_P" = "$A_PSRC" ] || fail "(c) orders_sqlflow_pandas '$A_OURS_P', source '$A_PSRC'"
types_of() {
  sql "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)
       FROM information_schema.columns WHERE table_name = '$1'"
}
OUR_TYPES="$(types_of orders_sqlflow)"
PANDAS_TYPES="$(types_of orders_pandas)"

# --- Report -----------------------------------------------------------------------------------
M_READ_PSQL="$(calc "$(median "${READ_PSQL[@]}")")"
M_READ_OURS="$(calc "$(median "${READ_OURS[@]}")")"
M_WRITE_PSQL="$(calc "$(median "${WRITE_PSQL[@]}")")"
M_WRITE_OURS="$(calc "$(median "${WRITE_OURS[@]}")")"
READ_RATIO="$(calc "$M_READ_OURS / $M_READ_PSQL" %.2f)"
WRITE_RATIO="$(calc "$M_WRITE_OURS / $M_WRITE_PSQL" %.2f)"
RSS_BIG="$(median "${READ_RSS[@]}")"
RSS_SMALL="$(median "${SMALL_RSS[@]}")"
RSS_RATIO="$(calc "$RSS_BIG / $RSS_SMALL" %.2f)"
PANDAS_READ_X="$(calc "$PANDAS_READ_S / $OURS_READ_P" %.1f)"
PANDAS_WRITE_X="$(calc "$PANDAS_WRITE_S / $OURS_WRITE_P" %.1f)"
rate() { calc "$1 / $2 / 1e6" %.2f; }  # million rows per second
PARQUET_MB="$(calc "$(stat -c %s "$OUT/sqlflow_read.parquet") / 1e6" %.0f)"
TABLE_MB="$(calc "$(sql "SELECT pg_table_size('orders')") / 1e6" %.0f)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | head -1)" ]; then
  COMMIT="${COMMIT} + uncommitted changes"
fi

SECTION="$(cat <<MD
<!-- postgres-bench:start -->
## PostgreSQL

- Command: \`bench/postgres.sh build/release\` (part of \`make bench\`)
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit ${COMMIT}; $(nproc) cores
- Other work on the machine: CPUs ${BUSY_START}% busy in the second before the measurements
  ($(if [ "$BUSY_START" -gt 10 ]; then echo "**not quiet, figures are noisy**"; else echo quiet; fi)); load average (1, 5, 15 min) ${LOAD_BEFORE} at the start, ${LOAD_AFTER} at
  the end (the run itself keeps up to 2 cores busy: the client and the server)
- Server: PostgreSQL ${PG_VERSION}, a throwaway local cluster (\`initdb\`, trust auth,
  \`fsync=off\`, otherwise defaults) on 127.0.0.1; every client connects over TCP loopback.
- Data: ${ROWS} rows of \`bench_gen_orders\` ($(calc "$(stat -c %s "$CSV") / 1e6" %.0f) MB CSV; the table
  \`orders\` is ${TABLE_MB} MB), \`orders (order_id bigint PRIMARY KEY, customer_id bigint,
  amount numeric(12,2), status text, created_at timestamp, token text)\` loaded with psql \`\\copy\`.
- (a) \`sqlflow copy --source POSTGRES\` (table \`orders\`) \`--destination PARQUET\`
  (${PARQUET_MB} MB), whole process, against \`psql -c "COPY orders TO STDOUT (FORMAT binary)"\`
  into /dev/null. The Parquet file has the same fingerprint as DuckDB's own copy of the CSV
  (\`${GOT}\`).
- (b) \`sqlflow copy --source CSV --destination POSTGRES --mode replace\` (table
  \`orders_sqlflow\`, which it creates as: ${OUR_TYPES}) against
  \`psql -c "\\copy orders_psql FROM '$(basename "$CSV")' CSV HEADER"\` into an empty
  \`CREATE TABLE orders_psql (LIKE orders_sqlflow)\` (same columns and types, no key).
  Both tables agree with \`orders\` on count, sums of order_id, customer_id and amount,
  distinct tokens and statuses, min and max created_at (\`${A_ORDERS}\`).
- (c) pandas $("$PY" -c 'import pandas; print(pandas.__version__)') + SQLAlchemy $("$PY" -c 'import sqlalchemy; print(sqlalchemy.__version__)') + psycopg2, what the Python SQLFlow does
  (\`bench/pandas_pg.py\`), on ${PANDAS_ROWS} rows: \`read_sql\` of the table into a DataFrame, and
  \`to_sql(method="multi", chunksize=10000, if_exists="replace")\` of the CSV read by
  \`read_csv\`. Only the \`read_sql\` / \`to_sql\` call is timed; SQLFlow's figure is its whole
  process, Parquet writing and CSV reading included. Results checked like (b).
- (d) Peak RSS (\`ru_maxrss\`) of the (a) copy on \`orders\` (${ROWS} rows) and on its first
  ${SMALL_ROWS} rows.

| Measurement | SQLFlow | Reference | Ratio | Target |
|---|---|---|---|---|
| (a) PostgreSQL → Parquet, ${ROWS} rows | ${M_READ_OURS} s ($(rate "$ROWS" "$M_READ_OURS") M rows/s) | ${M_READ_PSQL} s (psql COPY binary → /dev/null) | **${READ_RATIO}** | ≤ ${RATIO_MAX}: $(verdict "$READ_RATIO <= $RATIO_MAX") |
| (b) CSV → PostgreSQL, ${ROWS} rows | ${M_WRITE_OURS} s ($(rate "$ROWS" "$M_WRITE_OURS") M rows/s) | ${M_WRITE_PSQL} s (psql \\copy FROM CSV) | **${WRITE_RATIO}** | ≤ ${RATIO_MAX}: $(verdict "$WRITE_RATIO <= $RATIO_MAX") |
| (c) PostgreSQL → DataFrame / Parquet, ${PANDAS_ROWS} rows | ${OURS_READ_P} s | ${PANDAS_READ_S} s (pandas \`read_sql\`, peak RSS $(mb "$PANDAS_READ_RSS") MiB) | SQLFlow is **${PANDAS_READ_X}×** faster | |
| (c) CSV → PostgreSQL, ${PANDAS_ROWS} rows | ${OURS_WRITE_P} s | ${PANDAS_WRITE_S} s (pandas \`to_sql\`, peak RSS $(mb "$PANDAS_WRITE_RSS") MiB) | SQLFlow is **${PANDAS_WRITE_X}×** faster | |
| (d) peak RSS of (a), ${SMALL_ROWS} → ${ROWS} rows | $(mb "$RSS_SMALL") MiB → $(mb "$RSS_BIG") MiB | | **${RSS_RATIO}** | ≤ ${RSS_GROWTH_MAX}: $(verdict "$RSS_RATIO <= $RSS_GROWTH_MAX") |

Every run: (a) psql $(printf '%s ' "${READ_PSQL[@]}")s; SQLFlow $(printf '%s ' "${READ_OURS[@]}")s,
CPU (user + system of the sqlflow process) $(printf '%s ' "${READ_CPU[@]}")s
(${SMALL_ROWS} rows: $(printf '%s ' "${SMALL_S[@]}")s). (b) psql $(printf '%s ' "${WRITE_PSQL[@]}")s;
SQLFlow $(printf '%s ' "${WRITE_OURS[@]}")s, CPU $(printf '%s ' "${WRITE_CPU[@]}")s. (d) peak RSS KiB ${ROWS} rows: $(printf '%s ' "${READ_RSS[@]}");
${SMALL_ROWS} rows: $(printf '%s ' "${SMALL_RSS[@]}"). pandas' \`to_sql\` created: ${PANDAS_TYPES}.
<!-- postgres-bench:end -->
MD
)"
printf '%s\n' "$SECTION"
if [ -n "$DOC" ] && [ -f "$DOC" ]; then
  replace_section "$DOC" postgres "$SECTION"
  log "wrote ${DOC#"$ROOT"/}"
fi
