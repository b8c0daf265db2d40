# Third-party dependencies: Debian packages plus DuckDB's official library.
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(CLI11 REQUIRED)
if(SQLFLOW_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(SQLFLOW_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

# DuckDB: scripts/setup-deps.sh puts 1.4.4 in third_party/duckdb; -DDUCKDB_ROOT=... points
# at any other install that has include/duckdb.h and lib/libduckdb.so.
set(DUCKDB_ROOT "${PROJECT_SOURCE_DIR}/third_party/duckdb" CACHE PATH "DuckDB install prefix")
find_path(DUCKDB_INCLUDE_DIR duckdb.h PATHS "${DUCKDB_ROOT}/include" NO_DEFAULT_PATH)
find_library(DUCKDB_LIBRARY duckdb PATHS "${DUCKDB_ROOT}/lib" NO_DEFAULT_PATH)
if(NOT DUCKDB_INCLUDE_DIR OR NOT DUCKDB_LIBRARY)
  message(FATAL_ERROR "DuckDB not found under DUCKDB_ROOT='${DUCKDB_ROOT}'. "
                      "Run scripts/setup-deps.sh, or pass -DDUCKDB_ROOT=<prefix with "
                      "include/duckdb.h and lib/libduckdb.so>.")
endif()
add_library(duckdb::duckdb SHARED IMPORTED GLOBAL)
set_target_properties(duckdb::duckdb PROPERTIES
  IMPORTED_LOCATION "${DUCKDB_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${DUCKDB_INCLUDE_DIR}"
  INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${DUCKDB_INCLUDE_DIR}")
get_filename_component(DUCKDB_LIBRARY_DIR "${DUCKDB_LIBRARY}" DIRECTORY)
set(CMAKE_BUILD_RPATH "${DUCKDB_LIBRARY_DIR}")
set(CMAKE_INSTALL_RPATH "${DUCKDB_LIBRARY_DIR}")

# Profiles (pipeline/profile.cc).
find_package(yaml-cpp 0.7 REQUIRED)

# HTTP client (net/), large JSON payloads (connectors/rest), and the HTTP test server
# (tests/support) and metrics endpoint: libcurl, simdjson and cpp-httplib from Debian.
find_package(CURL 7.88 REQUIRED)
find_package(simdjson 3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# PostgreSQL client (connectors/postgres, tests/support's throwaway cluster): libpq 15.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
