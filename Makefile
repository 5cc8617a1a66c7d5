# The two commands of the README, and a few more. Each target installs what
# it needs (scripts/deps.sh), configures and builds before it runs.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
CTEST_FLAGS ?=

.PHONY: all deps build demo serve test golden test-sanitize test-tsan test-as-user tidy fuzz bench install package check-package clean format

all: build

deps:
	@scripts/deps.sh build

$(BUILD)/CMakeCache.txt:
	@scripts/deps.sh build
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	@scripts/deps.sh build
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@rm -rf $(BUILD)/demo && mkdir -p $(BUILD)/demo
	$(BUILD)/indexer/taxon-index --db $(BUILD)/demo/.taxon data
	@echo
	$(BUILD)/query/taxon-query --db $(BUILD)/demo/.taxon --limit 5 "debris mitigation"
	@echo
	$(BUILD)/query/taxon-query --db $(BUILD)/demo/.taxon --limit 6 --tree "space security"
	@echo
	@echo "The search page over data/: make serve   (then open http://127.0.0.1:$(SERVE_PORT)/)"

# The search page over data/, in the foreground until Ctrl-C.
SERVE_PORT ?= 8296
serve: build
	@$(BUILD)/indexer/taxon-index --quiet --db $(BUILD)/demo/.taxon data
	@echo "Search page: http://127.0.0.1:$(SERVE_PORT)/  (Ctrl-C stops the server)"
	@$(BUILD)/serve/taxon-serve --db $(BUILD)/demo/.taxon --listen 127.0.0.1:$(SERVE_PORT) >/dev/null

test: build
	@scripts/deps.sh browser || echo "make: without Chromium the browser test is skipped" >&2
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_FLAGS)

# Writes tests/golden/expected/ anew from this build's taxon-query: review
# the change with git diff before committing it (tests/README.md).
golden: build
	cd $(BUILD) && TAXON_UPDATE_GOLDEN=1 ctest -R '^golden\.' --output-on-failure
	@git status --short -- tests/golden/expected

test-sanitize:
	@scripts/deps.sh build
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DTAXON_SANITIZE=ON -DTAXON_WARNINGS_AS_ERRORS=ON
	cmake --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# The indexer's worker threads and the server's, under ThreadSanitizer: the
# library's suites in process, and the programs as the end-to-end suites run them.
TSAN_TESTS ?= ^(unit\.|cli\.cli_index|serve\.serve_api|serve\.serve_index)
test-tsan:
	@scripts/deps.sh build
	cmake -S . -B $(BUILD)-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTAXON_TSAN=ON -DTAXON_WARNINGS_AS_ERRORS=ON
	cmake --build $(BUILD)-tsan -j $(JOBS)
	cd $(BUILD)-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ctest --output-on-failure -j $(JOBS) -R '$(TSAN_TESTS)'

# A target as an unprivileged user (as root: the user taxon-ci, on a copy of
# the tracked files it owns), e.g. make test-as-user TARGET=test-sanitize.
TARGET ?= test
test-as-user:
	scripts/as-user.sh $(TARGET)

# clang-tidy over the library and the programs (.clang-tidy), every warning an
# error (WarningsAsErrors there: run-clang-tidy 14 has no flag for it).
tidy: build
	@scripts/deps.sh tidy
	run-clang-tidy -p $(BUILD) -quiet -j $(JOBS) \
	  '$(CURDIR)/(lib|indexer|query|serve|cli)/.*\.cpp$$'

FUZZ_SECONDS ?= 60
fuzz:
	@scripts/deps.sh build fuzz
	CXX=clang++ cmake -S . -B $(BUILD)-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTAXON_BUILD_FUZZ=ON -DTAXON_BUILD_TESTS=OFF
	cmake --build $(BUILD)-fuzz -j $(JOBS) --target fuzz_parse_page fuzz_query
	scripts/fuzz.sh $(BUILD)-fuzz $(FUZZ_SECONDS)

BENCH_SCALES ?= 40000
bench:
	@scripts/deps.sh build bench
	cmake -S . -B $(BUILD)-bench -DCMAKE_BUILD_TYPE=Release -DTAXON_BUILD_BENCH=ON -DTAXON_BUILD_TESTS=OFF
	cmake --build $(BUILD)-bench -j $(JOBS)
	bench/run.sh $(BUILD)-bench $(BENCH_SCALES)

install: build
	cmake --install $(BUILD)

# The Debian package: a Release build of the shared library and the programs
# for /usr, packed by CPack into $(BUILD)-package/taxon_VERSION_ARCH.deb.
package:
	@scripts/deps.sh build package
	cmake -S . -B $(BUILD)-package -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
	  -DBUILD_SHARED_LIBS=ON -DTAXON_BUILD_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD)-package -j $(JOBS)
	rm -f $(BUILD)-package/*.deb
	cd $(BUILD)-package && cpack -G DEB

# Installs that package (root: dpkg -i), runs what it installed, removes it.
check-package: package
	scripts/check-package.sh $(BUILD)-package/*.deb

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-tsan $(BUILD)-fuzz $(BUILD)-bench $(BUILD)-package
