# Thin wrapper over CMake + ctest.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all demo check bench asan tsan format clean wasix-demo

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

# The concurrency tests under ThreadSanitizer.
tsan:
	$(MAKE) all BUILD=build-tsan CMAKE_FLAGS="-DVSIG_SANITIZE=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo"
	ctest --test-dir build-tsan --output-on-failure -j$(JOBS) -L concurrency

format:
	clang-format -i include/*.h include/vsig/*.h src/*/*.c src/*/*.h src/host/*/*.c tests/*.c tests/*.h tests/posix/*.c examples/*.c bench/*.c bench/*.h

clean:
	rm -rf build build-asan build-tsan

# The WebAssembly demo alone (also part of demo when the wasm toolchain is installed).
wasix-demo: all
	cmake --build $(BUILD) --target wasix-demo
