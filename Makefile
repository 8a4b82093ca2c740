# Thin wrapper over CMake. `make test` and `make demo` do everything on a fresh Debian 12.
JOBS ?= 2
FUZZ_SECONDS ?= 20
CMAKE_FLAGS ?=

.PHONY: all deps build test test-gcc test-asan demo bench fuzz clean

all: build

deps:
	@scripts/install-deps

# Optimised build with gcc: the tools and benchmarks people run.
build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSMAC_TESTS=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build build -j $(JOBS)

# The test suite: an optimised gcc -Werror build (some warnings only show with
# optimisation on, and `make demo` builds that way), then every test under
# AddressSanitizer + UBSan in a clang build that also carries the libFuzzer targets.
test: deps test-gcc test-asan

test-gcc:
	@cmake -S . -B build-gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-gcc -j $(JOBS)

test-asan:
	@cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	  -DSMAC_SANITIZE=ON -DSMAC_FUZZ=ON -DSMAC_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -j $(JOBS)

demo: build
	@bash examples/demo.sh build

bench: build
	@for b in build/bench-*; do echo "== $$b"; $$b || exit 1; done

# Longer fuzzing session: FUZZ_SECONDS per target.
fuzz: deps
	@cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	  -DSMAC_SANITIZE=ON -DSMAC_FUZZ=ON -DSMAC_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -R '^fuzz/'

clean:
	rm -rf build build-gcc build-asan
