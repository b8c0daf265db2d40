# bench/lib.sh: shell helpers shared by the bench/*.sh scripts (sourced; they set
# OUT and RSS_BIN first).
log() { printf 'bench: %s\n' "$*" >&2; }
# kv FILE KEY: the value of KEY=value in FILE.
kv() { grep -oE "(^| )$2=[^ ]*" "$1" | head -1 | cut -d= -f2; }
# json_num FILE KEY: a number field of a JSON document.
json_num() {
  grep -oE "\"$2\"[[:space:]]*:[[:space:]]*-?[0-9.eE+-]+" "$1" | head -1 | sed -E 's/.*:[[:space:]]*//'
}
# median V...: the median of numbers.
median() {
  printf '%s\n' "$@" | sort -g |
    awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
# calc EXPR [FORMAT]: evaluate a floating-point expression with awk (3 decimals by default).
calc() { awk "BEGIN {printf \"${2:-%.3f}\", $1}"; }
mb() { awk "BEGIN {printf \"%.0f\", $1 / 1024}"; }  # KiB → MiB
load() { cut -d' ' -f1-3 /proc/loadavg; }

# measure NAME CMD...: run CMD under bench_rss, its stdout in $OUT/NAME.out; sets WALL (s) and
# RSS_KB (peak resident set, KiB).
measure() {
  local name="$1"
  shift
  if ! "$RSS_BIN" "$OUT/$name.rss" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; then
    log "FAILED: $*"
    cat "$OUT/$name.err" >&2
    exit 1
  fi
  WALL="$(kv "$OUT/$name.rss" wall_seconds)"
  RSS_KB="$(kv "$OUT/$name.rss" max_rss_kb)"
  OWN_CPU="$(calc "$OWN_CPU + $(kv "$OUT/$name.rss" cpu_seconds)")"
}
OWN_CPU=0
# busy_percent: how busy the CPUs were over the last second (from /proc/stat).
busy_percent() {
  local a b
  a="$(head -1 /proc/stat)"
  sleep 1
  b="$(head -1 /proc/stat)"
  printf '%s\n%s\n' "$a" "$b" | awk '{idle[NR] = $5 + $6; total[NR] = 0
    for (i = 2; i <= NF; ++i) total[NR] += $i}
    END {printf "%.0f", 100 * (1 - (idle[2] - idle[1]) / (total[2] - total[1]))}'
}
verdict() { awk "BEGIN {print ($1) ? \"met\" : \"**missed**\"}"; }

# replace_section DOC NAME TEXT: put TEXT (framed by the <!-- NAME-bench:start/end --> markers)
# in place of DOC's NAME section, or append it when DOC has none. Each script owns its section.
replace_section() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
path, name, section = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
start, end = f"<!-- {name}-bench:start -->", f"<!-- {name}-bench:end -->"
if start in text and end in text:
    text = text[:text.index(start)] + section + text[text.index(end) + len(end):]
else:
    text = text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w").write(text)
PY
}

# section DOC NAME: the NAME section of DOC with its markers ("" when there is none).
section() { sed -n "/<!-- $2-bench:start -->/,/<!-- $2-bench:end -->/p" "$1" 2>/dev/null || true; }
