# MecaPy — the two commands: `make run` and `make test`. Every target installs what is
# missing first (scripts/deps), so a fresh Debian 12 machine needs nothing else.
#
# Build trees:
#   build/          instrumented for coverage; what `make test` builds and tests
#   build-asan/     AddressSanitizer + UBSan; unit tests run here once more
#   build-release/  optimised; what `make run` and `make bench` use

SHELL := /bin/bash
JOBS ?= $(shell nproc)
CMAKE_GEN := -G Ninja
RELEASE_DIR := build-release
TEST_DIR := build
ASAN_DIR := build-asan

.PHONY: all deps test-data web web-check run build release test unit asan integration e2e lint coverage coverage-report bench format clean

all: release

deps:
	@scripts/deps

# What some tests fetch from PyPI (SciPy for the sandbox), once, into .cache/.
test-data:
	@scripts/test-data

release: deps
	@cmake -S . -B $(RELEASE_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target mecapyd mecapy-sandbox

# The web UI's static export (web/out), served by mecapyd at `/`; rebuilt when web/ changed.
web: deps
	@scripts/build-web

# The UI's unit tests (vitest), ESLint and the TypeScript check.
web-check: deps
	@scripts/build-web --check

run: release web
	@scripts/run-local $(RELEASE_DIR)

build: deps
	@cmake -S . -B $(TEST_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DMECAPY_COVERAGE=ON >/dev/null
	@cmake --build $(TEST_DIR) -j $(JOBS)

unit: build test-data
	@find $(TEST_DIR) -name '*.gcda' -delete
	@cd $(TEST_DIR) && ctest --output-on-failure -j $(JOBS)

asan: deps test-data
	@cmake -S . -B $(ASAN_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DMECAPY_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	@cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

# Black-box tests of the mecapyd binary over real sockets (and a real PostgreSQL),
# then the browser tests of the web UI (tests/e2e), sharing one Keycloak.
integration: build web
	@tests/integration/run $(TEST_DIR)

# The browser tests alone (they start their own Keycloak).
e2e: build web
	@tests/e2e/run $(TEST_DIR)

lint: build
	@scripts/lint $(TEST_DIR)

coverage-report:
	@scripts/coverage $(TEST_DIR)

# Line coverage of src/ by the unit and integration tests.
coverage: unit integration
	@$(MAKE) --no-print-directory coverage-report

# Unit and integration tests on the coverage build (the browser tests of the UI
# among them), the coverage report, the unit tests again under AddressSanitizer +
# UBSan, the UI's own tests and lint, then static analysis.
test: unit integration coverage-report asan web-check lint
	@echo "make test: all checks passed"

bench: release
	@bench/run-all $(RELEASE_DIR)

format: deps
	@find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(TEST_DIR) $(ASAN_DIR) $(RELEASE_DIR)
