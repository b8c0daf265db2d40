#!/usr/bin/env bash
# bench/resilience.sh BUILD_DIR: the cost of the resilience policy (issue 5, section 5), written
# to docs/BENCHMARKS.md between the resilience-bench markers. Part of `make bench`.
#
#   (f) ns and heap allocations per call of ResiliencePolicy::Run on the path with no failures
#       (REST profile: retry, breaker, token bucket, retry budget), against a bare call
#   (g) REST source throughput against a local HTTP server with every policy part off and
#       with the REST profile (a limit high enough never to wait), alternating
#
# Environment: BENCH_DOC (docs/BENCHMARKS.md; empty to skip writing), BENCH_REST_PAGES (200),
# BENCH_REPEAT (31 for (g)).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: bench/resilience.sh BUILD_DIR   (e.g. build/release)" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$(cd "$1" && pwd)"
DOC="${BENCH_DOC-${ROOT}/docs/BENCHMARKS.md}"
PAGES="${BENCH_REST_PAGES:-200}"
REPEAT="${BENCH_REPEAT:-31}"
POLICY="${BUILD}/bench/bench_resilience"
REST="${BUILD}/bench/bench_rest"
for exe in "$POLICY" "$REST"; do
  [ -x "$exe" ] || { echo "resilience.sh: $exe is missing: build first" >&2; exit 1; }
done
# shellcheck source=bench/lib.sh
source "${ROOT}/bench/lib.sh"
OUT="${ROOT}/bench/out/resilience"
mkdir -p "$OUT"

log "(f) policy overhead"
"$POLICY" >"$OUT/policy.txt"
log "(g) REST throughput, ${PAGES} pages of 1000 records, ${REPEAT} runs each"
"$REST" "$PAGES" 1000 "$REPEAT" >"$OUT/rest.txt"
val() { grep "^$2 " "$1" | head -1 | cut -d' ' -f2-; }

BARE="$(val "$OUT/policy.txt" bare_call_ns_per_call)"
RETRY_NS="$(val "$OUT/policy.txt" retry_policy_ns_per_call)"
POLICY_NS="$(val "$OUT/policy.txt" policy_ns_per_call)"
OVERHEAD_NS="$(val "$OUT/policy.txt" policy_overhead_ns_per_call)"
ALLOCS="$(val "$OUT/policy.txt" policy_allocations_per_call)"
CALLS="$(val "$OUT/policy.txt" calls_per_measurement)"
ROWS="$(val "$OUT/rest.txt" rest_rows)"
OFF_RPS="$(val "$OUT/rest.txt" rest_rows_per_second_without_policy)"
ON_RPS="$(val "$OUT/rest.txt" rest_rows_per_second_with_policy)"
DIFF="$(val "$OUT/rest.txt" rest_policy_throughput_difference_pct)"
PAIRED="$(val "$OUT/rest.txt" rest_policy_paired_difference_pct)"
REQUESTS="$(val "$OUT/rest.txt" rest_requests_per_read)"
# What the policy itself adds to one read: its cost per call times the calls of a read.
OFF_S="$(calc "$ROWS / $OFF_RPS")"
COST_PCT="$(calc "$REQUESTS * $POLICY_NS / ($OFF_S * 1e9) * 100" %.3f)"
OFF_RUNS="$(val "$OUT/rest.txt" rest_seconds_without_policy)"
ON_RUNS="$(val "$OUT/rest.txt" rest_seconds_with_policy)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"

SECTION="$(cat <<MD
<!-- resilience-bench:start -->
## Resilience policy

- Command: \`bench/resilience.sh build/release\` (part of \`make bench\`)
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit ${COMMIT}; $(nproc) cores; load $(load)
- (f) ${CALLS} calls per measurement on the system clock; allocations counted by a replaced
  global \`operator new\`. The policy is the REST profile: retry with deadline bookkeeping,
  circuit breaker, token bucket (limit set high enough never to wait), retry budget.
- (g) The REST source reads ${PAGES} pages of 1000 records (${ROWS} rows, JSON with a nested
  object) from a cpp-httplib server on 127.0.0.1, with every part of the policy off
  (\`{"retry": false, "circuit_breaker": false, "rate_limit": false}\`) and with the REST
  profile; ${REPEAT} alternating pairs of runs.

| Measurement | Figure | Target |
|---|---|---|
| (f) bare call | ${BARE} ns | |
| (f) RetryPolicy::Run | ${RETRY_NS} ns | |
| (f) ResiliencePolicy::Run | ${POLICY_NS} ns (overhead ${OVERHEAD_NS} ns) | < 1000 ns: $(verdict "$OVERHEAD_NS < 1000") |
| (f) allocations per call | ${ALLOCS} | 0: $(verdict "$ALLOCS == 0") |
| (g) REST rows/s without the policy | ${OFF_RPS} | |
| (g) REST rows/s with the policy | ${ON_RPS} | |
| (g) difference of the medians (time with / without − 1) | ${DIFF}% | |
| (g) median of the paired differences (run with / run without − 1) | ${PAIRED}% | within ±5%: $(verdict "$PAIRED < 5 && $PAIRED > -5") |
| (g) the policy's own cost per read (${REQUESTS} calls × (f)) | ${COST_PCT}% of the read | |

Run-to-run noise of (g) on this shared 2-core machine is larger than the policy's cost (see
every run below): the last line, computed from (f), is the policy's share of a read.

Every run (g): without ${OFF_RUNS} s; with ${ON_RUNS} s.
<!-- resilience-bench:end -->
MD
)"
printf '%s\n' "$SECTION"
if [ -n "$DOC" ] && [ -f "$DOC" ]; then
  replace_section "$DOC" resilience "$SECTION"
  log "wrote ${DOC#"$ROOT"/}"
fi
