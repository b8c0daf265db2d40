#!/usr/bin/env bash
# Install what SQLFlow needs to build and test, idempotently.
#
#   scripts/setup-deps.sh            Debian packages + DuckDB (build and demo)
#   scripts/setup-deps.sh --test     also the test services (PostgreSQL, s3rver)
#   scripts/setup-deps.sh --bench    also what bench/postgres.sh needs (PostgreSQL, and pandas
#                                    + SQLAlchemy + psycopg2 for its Python reference)
#
# DuckDB 1.4.4 comes from the npm registry: the library from
# @duckdb/node-bindings-linux-x64 and the C header from the duckdb package's
# sources. `npm pack` only downloads tarballs; no install scripts run. Both files
# are checked against the SHA-256 sums below and land in third_party/duckdb/
# (ignored by git).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DUCKDB_DIR="${ROOT}/third_party/duckdb"
DUCKDB_LIB_PKG="@duckdb/node-bindings-linux-x64@1.4.4-r.4"
DUCKDB_SRC_PKG="duckdb@1.4.4"
DUCKDB_LIB_SHA256="1ef33048e12235115ac0d277a0aaccbb560e33248144f488b5ac005cd9ba81b5"
DUCKDB_HDR_SHA256="cbe6a827284375c5a646b8f27dbd3a00808ce8738b5bbb49c190cb1e08540281"

WITH_TEST=0
WITH_BENCH=0
for arg in "$@"; do
  case "$arg" in
    --test) WITH_TEST=1 ;;
    --bench) WITH_BENCH=1 ;;
    *) echo "setup-deps: unknown argument '$arg' (expected --test or --bench)" >&2; exit 2 ;;
  esac
done

log() { printf 'setup-deps: %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

BUILD_PACKAGES=(build-essential cmake ninja-build pkg-config git ca-certificates
  nlohmann-json3-dev libfmt-dev libcli11-dev libyaml-cpp-dev libcurl4-openssl-dev
  libssl-dev libpq-dev libsimdjson-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev clang-format clang-tidy)
TEST_PACKAGES=(postgresql postgresql-client)
BENCH_PACKAGES=(postgresql postgresql-client python3-pandas python3-psycopg2 python3-sqlalchemy)

missing_packages() {
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      printf '%s\n' "$p"
    fi
  done
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages "$@")
  if [ "${#missing[@]}" -eq 0 ]; then return 0; fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  ${SUDO} apt-get update -qq
  ${SUDO} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_packages "${BUILD_PACKAGES[@]}"
if ! command -v npm >/dev/null 2>&1; then install_packages nodejs npm; fi
if [ "$WITH_TEST" -eq 1 ]; then install_packages "${TEST_PACKAGES[@]}"; fi
if [ "$WITH_BENCH" -eq 1 ]; then install_packages "${BENCH_PACKAGES[@]}"; fi

verify() {  # file expected-sha
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  if [ "$got" != "$2" ]; then
    echo "setup-deps: checksum mismatch for $1: got $got, expected $2" >&2
    return 1
  fi
}

if [ -f "${DUCKDB_DIR}/lib/libduckdb.so" ] && [ -f "${DUCKDB_DIR}/include/duckdb.h" ] &&
   verify "${DUCKDB_DIR}/lib/libduckdb.so" "$DUCKDB_LIB_SHA256" 2>/dev/null &&
   verify "${DUCKDB_DIR}/include/duckdb.h" "$DUCKDB_HDR_SHA256" 2>/dev/null; then
  log "DuckDB 1.4.4 already in third_party/duckdb"
else
  log "fetching DuckDB 1.4.4 from the npm registry"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent --ignore-scripts "$DUCKDB_LIB_PKG" "$DUCKDB_SRC_PKG" >/dev/null)
  mkdir -p "$work/lib" "$work/src"
  tar -xzf "$work"/duckdb-node-bindings-linux-x64-*.tgz -C "$work/lib" package/libduckdb.so
  tar -xzf "$work"/duckdb-1.4.4.tgz -C "$work/src" package/src/duckdb/src/include/duckdb.h
  verify "$work/lib/package/libduckdb.so" "$DUCKDB_LIB_SHA256"
  verify "$work/src/package/src/duckdb/src/include/duckdb.h" "$DUCKDB_HDR_SHA256"
  mkdir -p "${DUCKDB_DIR}/lib" "${DUCKDB_DIR}/include"
  install -m 0644 "$work/lib/package/libduckdb.so" "${DUCKDB_DIR}/lib/libduckdb.so"
  install -m 0644 "$work/src/package/src/duckdb/src/include/duckdb.h" "${DUCKDB_DIR}/include/duckdb.h"
  log "DuckDB 1.4.4 installed in third_party/duckdb"
fi
