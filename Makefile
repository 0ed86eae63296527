# SPDX-License-Identifier: MIT
# Thin wrapper over CMake + ctest.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
# make install PREFIX=/opt/vsig (DESTDIR=... stages it, as usual)
PREFIX ?= /usr/local

.PHONY: all demo check bench asan tsan install man-check header-check consumers format \
	format-check clean wasix-demo fuzz tsan-posix

all: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

demo: all
	cmake --build $(BUILD) --target demo

check: all
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

bench: all
	cmake --build $(BUILD) --target bench

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	$(MAKE) check BUILD=build-asan CMAKE_FLAGS="-DVSIG_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug"

# The concurrency tests under ThreadSanitizer, the programs on libvsig-posix
# (differential and posix) included.
tsan:
	$(MAKE) all BUILD=build-tsan CMAKE_FLAGS="-DVSIG_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo"
	ctest --test-dir build-tsan --output-on-failure -j$(JOBS) -L concurrency

# Only the programs on libvsig-posix (differential and posix) under
# ThreadSanitizer: a part of make tsan.
tsan-posix:
	$(MAKE) all BUILD=build-tsan CMAKE_FLAGS="-DVSIG_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo"
	ctest --test-dir build-tsan --output-on-failure -j$(JOBS) -L tsan-posix

# Libraries, headers, vsig.pc, the CMake package and the manual under PREFIX.
install: all
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

# Lint the manual; every exported function has a page and every page a function.
man-check: all
	bash man/check.sh $(BUILD)/libvsig.so

# vsig.h under C99, C11, C17, C++11, C++17 and C++20, with gcc and clang.
header-check:
	bash tests/header/check.sh

# Install to a temporary prefix and build pkg-config, find_package and
# add_subdirectory consumers against it.
consumers:
	bash tests/consumers/run.sh

# Every C file and header of the project, wherever it is (src/posix, tests/*/...).
FORMAT_FILES = $(shell find include src tests examples bench fuzz -type f -name '*.[ch]' | LC_ALL=C sort)
# Files to leave out of format-check (CI lists those still waiting for make format).
FORMAT_SKIP ?=

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	clang-format --dry-run -Werror $(filter-out $(FORMAT_SKIP),$(FORMAT_FILES))

# The libFuzzer target (clang, ASan + UBSan) for FUZZ_TIME seconds, from the
# committed corpus (fuzz/corpus, read only) and the one it grows in
# build-fuzz/corpus; a failing input is written to build-fuzz/crash-<sha1>.
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME ?= 60
FUZZ_FLAGS ?=
fuzz:
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DVSIG_BUILD_FUZZ=ON \
	  -DVSIG_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DVSIG_BUILD_TESTS=OFF -DVSIG_BUILD_EXAMPLES=OFF -DVSIG_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_signals
	mkdir -p $(FUZZ_BUILD)/corpus
	$(FUZZ_BUILD)/fuzz/fuzz_signals -max_total_time=$(FUZZ_TIME) -timeout=10 -max_len=1024 \
	  -artifact_prefix=$(FUZZ_BUILD)/ $(FUZZ_FLAGS) $(FUZZ_BUILD)/corpus fuzz/corpus

clean:
	rm -rf build build-asan build-tsan build-clang build-fuzz

# The WebAssembly demo alone (also part of demo when the wasm toolchain is installed).
wasix-demo: all
	cmake --build $(BUILD) --target wasix-demo
