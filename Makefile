# SQLFlow: the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
ASAN_DIR := build/asan
CMAKE_FLAGS ?=
FORMAT_FILES = $(shell git ls-files --cached --others --exclude-standard -- 'src/*.h' 'src/*.cc' 'tests/*.h' 'tests/*.cc' 'bench/*.cc' 'bench/*.h')

.PHONY: all deps test-deps bench-deps build build-asan demo test bench format format-check clean

all: build

deps:
	@scripts/setup-deps.sh

test-deps:
	@scripts/setup-deps.sh --test

bench-deps:
	@scripts/setup-deps.sh --bench

$(RELEASE_DIR)/build.ninja:
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DSQLFLOW_BUILD_TESTS=OFF \
	  $(CMAKE_FLAGS)

$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSQLFLOW_SANITIZE=ON \
	  -DSQLFLOW_BUILD_BENCH=OFF $(CMAKE_FLAGS)

## build: an optimised build in build/release (the sqlflow binary is build/release/sqlflow)
build: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS)

build-asan: test-deps $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)

## demo: set up, build, and run the example on a generated sample
demo: build
	@scripts/demo.sh $(RELEASE_DIR)/sqlflow

## test: set up (with test services), check formatting, build with ASan+UBSan, run every test
test: test-deps format-check build-asan
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 600

## bench: the benchmarks of bench/ (see docs/BENCHMARKS.md)
bench: bench-deps build
	@bench/run.sh $(RELEASE_DIR)
	@bench/pipeline.sh $(RELEASE_DIR)
	@bench/resilience.sh $(RELEASE_DIR)
	@bench/postgres.sh $(RELEASE_DIR)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) || \
	  { echo "format drift: run 'make format'" >&2; exit 1; }

clean:
	rm -rf build
