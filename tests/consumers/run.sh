#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# vsig as its users get it. Installs the build (BUILD, default build/) to
# temporary prefixes with `make install` and `cmake --install`, checks what
# was installed, then builds and runs:
#   1. tests/consumers/pkgconfig: a Makefile that knows vsig only through
#      pkg-config, linked against libvsig.so.0 and against libvsig.a;
#   2. tests/consumers/cmake: find_package(vsig) with vsig::vsig and
#      vsig::vsig_static (and an incompatible version request must fail);
#   3. tests/consumers/subdir: a parent project that add_subdirectory()s the
#      source tree, which must build the libraries and nothing else.
# Every mismatch is reported and the script exits 1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD:-build}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
jobs="${JOBS:-2}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
checks=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
ok() {
  checks=$((checks + 1))
  echo "ok: $*"
}
# check DESCRIPTION COMMAND...: the command must succeed.
check() {
  local what="$1"
  shift
  if "$@" >"$tmp/out" 2>&1; then
    ok "$what"
  else
    fail "$what"
    sed 's/^/    /' "$tmp/out" >&2
  fi
}
# same DESCRIPTION EXPECTED ACTUAL
same() {
  if [ "$2" == "$3" ]; then
    ok "$1"
  else
    fail "$1"
    echo "    expected: $(printf '%q' "$2")" >&2
    echo "    got:      $(printf '%q' "$3")" >&2
  fi
}

version="$(sed -n 's/^project(vsig VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
major="${version%%.*}"
minor="${version#*.}"
minor="${minor%%.*}"
[ -n "$version" ] || {
  echo "cannot read the version from CMakeLists.txt" >&2
  exit 1
}
expected="vsig $version (header $version)
handler ran for signal 10 (User defined signal 1)"

# A program's output and exit status against the expected text.
run_consumer() {
  local what="$1" exe="$2" got rc=0
  got="$("$exe" 2>&1)" || rc=$?
  same "$what: exit status" 0 "$rc"
  same "$what: output" "$expected" "$got"
}
# Whether an executable needs libvsig.so.0 at run time (yes/no).
needs_libvsig() {
  if readelf -d "$1" | grep -q 'NEEDED.*\[libvsig\.so\.'"$major"'\]'; then echo yes; else echo no; fi
}

# ---- install ------------------------------------------------------------------
echo "== install (make install PREFIX=...)"
prefix="$tmp/prefix"
make -s -C "$root" install BUILD="$build" JOBS="$jobs" PREFIX="$prefix" >"$tmp/install.log" 2>&1 || {
  cat "$tmp/install.log" >&2
  echo "FAIL: make install" >&2
  exit 1
}
pcfile="$(find "$prefix" -name vsig.pc -path '*/pkgconfig/*' | head -1)"
[ -n "$pcfile" ] || {
  echo "FAIL: no vsig.pc installed under $prefix" >&2
  find "$prefix" >&2
  exit 1
}
libdir="$(dirname "$(dirname "$pcfile")")"
ok "vsig.pc installed in ${libdir#"$prefix"/}/pkgconfig"

for f in include/vsig.h include/vsig/posix.h share/man/man7/vsig.7 share/man/man3/vsig_sigaction.3 \
  share/man/man3/vsig_sigfillset.3 share/doc/vsig/LICENSE; do
  check "installed $f" test -f "$prefix/$f"
done
for f in libvsig.a libvsig.so "libvsig.so.$major" "libvsig.so.$version" cmake/vsig/vsigConfig.cmake \
  cmake/vsig/vsigConfigVersion.cmake cmake/vsig/vsigTargets.cmake; do
  check "installed lib/$f" test -e "$libdir/$f"
done
same "libvsig.so -> libvsig.so.$major" "libvsig.so.$major" "$(readlink "$libdir/libvsig.so" || true)"
same "libvsig.so.$major -> libvsig.so.$version" "libvsig.so.$version" \
  "$(readlink "$libdir/libvsig.so.$major" || true)"
same "SONAME" "libvsig.so.$major" \
  "$(readelf -d "$libdir/libvsig.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
same "libvsig.so exports only vsig_* names" "" \
  "$(nm -D --defined-only "$libdir/libvsig.so" | awk '{print $3}' | grep -v '^vsig_' || true)"
same "libvsig.a defines only vsig_* global names" "" \
  "$(nm -g --defined-only "$libdir/libvsig.a" | awk 'NF == 3 {print $3}' | grep -v '^vsig_' || true)"
same "man pages: every source page installed" \
  "$(cd "$root/man" && ls man3 | sort)" "$(ls "$prefix/share/man/man3" | sort)"
check "installed vsig.7 renders" mandoc -T ascii "$prefix/share/man/man7/vsig.7"
check "installed link page vsig_sigfillset.3 renders" \
  sh -c "cd '$prefix/share/man' && mandoc -T ascii man3/vsig_sigfillset.3 | grep -q vsig_sigfillset"

echo "== install (cmake --install --prefix), and staged (DESTDIR)"
prefix2="$tmp/prefix2"
cmake --install "$build" --prefix "$prefix2" >"$tmp/install2.log" 2>&1 || {
  cat "$tmp/install2.log" >&2
  fail "cmake --install"
}
same "cmake --install installs the same files as make install" \
  "$(cd "$prefix" && find . | sort)" "$(cd "$prefix2" && find . | sort)"
same "vsig.pc names the install prefix" "prefix=$prefix2" \
  "$(grep '^prefix=' "$prefix2/${pcfile#"$prefix"/}")"
make -s -C "$root" install BUILD="$build" JOBS="$jobs" PREFIX=/opt/vsig-staged DESTDIR="$tmp/stage" \
  >"$tmp/install3.log" 2>&1 || {
  cat "$tmp/install3.log" >&2
  fail "make install DESTDIR=..."
}
staged_pc="$(find "$tmp/stage" -name vsig.pc | head -1)"
same "DESTDIR: files under DESTDIR/PREFIX" "$tmp/stage/opt/vsig-staged" \
  "${staged_pc%/lib*/pkgconfig/vsig.pc}"
same "DESTDIR: vsig.pc names PREFIX, not DESTDIR" "prefix=/opt/vsig-staged" \
  "$(grep '^prefix=' "$staged_pc" || true)"

# ---- 1. pkg-config ---------------------------------------------------------------
echo "== consumer: pkg-config and a Makefile"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
same "pkg-config --modversion vsig" "$version" "$(pkg-config --modversion vsig)"
same "pkg-config --variable=prefix vsig" "$prefix" "$(pkg-config --variable=prefix vsig)"
same "pkg-config --variable=mandir vsig" "$prefix/share/man" "$(pkg-config --variable=mandir vsig)"
mkdir -p "$tmp/pc"
if make -s -C "$tmp/pc" -f "$here/pkgconfig/Makefile" >"$tmp/pc.log" 2>&1; then
  ok "pkg-config consumer builds"
  run_consumer "pkg-config, shared" "$tmp/pc/consumer-shared"
  run_consumer "pkg-config, static" "$tmp/pc/consumer-static"
  same "pkg-config, shared: needs libvsig.so.$major" yes "$(needs_libvsig "$tmp/pc/consumer-shared")"
  same "pkg-config, static: does not need libvsig.so" no "$(needs_libvsig "$tmp/pc/consumer-static")"
else
  fail "pkg-config consumer builds"
  sed 's/^/    /' "$tmp/pc.log" >&2
fi
unset PKG_CONFIG_PATH

# ---- 2. find_package -------------------------------------------------------------
echo "== consumer: CMake find_package(vsig $major.$minor)"
if cmake -S "$here/cmake" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$prefix" -DVSIG_WANT="$major.$minor" \
  >"$tmp/cm.log" 2>&1 && cmake --build "$tmp/cm" -j"$jobs" >>"$tmp/cm.log" 2>&1; then
  ok "find_package consumer builds"
  run_consumer "find_package, vsig::vsig" "$tmp/cm/consumer_shared"
  run_consumer "find_package, vsig::vsig_static" "$tmp/cm/consumer_static"
  same "vsig::vsig is the shared library" yes "$(needs_libvsig "$tmp/cm/consumer_shared")"
  same "vsig::vsig_static is the static library" no "$(needs_libvsig "$tmp/cm/consumer_static")"
else
  fail "find_package consumer builds"
  sed 's/^/    /' "$tmp/cm.log" >&2
fi
# SameMajorVersion: the next major version is not compatible.
if cmake -S "$here/cmake" -B "$tmp/cm2" -DCMAKE_PREFIX_PATH="$prefix" -DVSIG_WANT="$((major + 1)).0" \
  >"$tmp/cm2.log" 2>&1; then
  fail "find_package(vsig $((major + 1)).0) must fail against $version"
else
  ok "find_package(vsig $((major + 1)).0) is refused (SameMajorVersion)"
fi

# ---- 3. add_subdirectory ---------------------------------------------------------
echo "== consumer: add_subdirectory(vsig) from a parent project"
if cmake -S "$here/subdir" -B "$tmp/sub" -DVSIG_SOURCE_DIR="$root" >"$tmp/sub.log" 2>&1 &&
  cmake --build "$tmp/sub" -j"$jobs" >>"$tmp/sub.log" 2>&1; then
  ok "parent project builds"
  run_consumer "add_subdirectory, vsig::vsig_static" "$tmp/sub/parent_static"
  run_consumer "add_subdirectory, vsig::vsig" "$tmp/sub/parent_shared"
  same "add_subdirectory: no vsig tests, examples or benchmarks built" "" \
    "$(find "$tmp/sub/vsig" -type f -perm -u+x \( -name 'test_*' -o -name 'api_*' -o -name 'posix_*' \
      -o -name 'example_*' -o -name 'bench_*' \) | sort)"
  same "add_subdirectory: the parent's ctest has only the parent's tests" \
    "Total Tests: 2" "$(ctest --test-dir "$tmp/sub" -N | grep 'Total Tests')"
  same "add_subdirectory: no -Werror" "VSIG_WERROR:BOOL=OFF" "$(grep '^VSIG_WERROR:' "$tmp/sub/CMakeCache.txt")"
  check "add_subdirectory: both libraries built" test -f "$tmp/sub/vsig/libvsig.a" -a \
    -f "$tmp/sub/vsig/libvsig.so.$major"
  cmake --install "$tmp/sub" --prefix "$tmp/sub-prefix" >/dev/null 2>&1 || true
  same "add_subdirectory: vsig installs nothing unless VSIG_INSTALL is set" "" \
    "$(find "$tmp/sub-prefix" -type f 2>/dev/null | sort)"
else
  fail "parent project builds"
  sed 's/^/    /' "$tmp/sub.log" >&2
fi

echo "== add_subdirectory with VSIG_INSTALL=ON and a vsig_posix target: vsig-posix.pc"
fake=ON
# Once the compatibility library's target is in the tree, use the real one.
if grep -rqs --include=CMakeLists.txt 'add_library(vsig_posix' "$root/CMakeLists.txt" "$root/src"; then
  fake=OFF
fi
if cmake -S "$here/subdir" -B "$tmp/sub2" -DVSIG_SOURCE_DIR="$root" -DVSIG_INSTALL=ON \
  -DPARENT_FAKE_POSIX="$fake" >"$tmp/sub2.log" 2>&1 &&
  cmake --build "$tmp/sub2" -j"$jobs" >>"$tmp/sub2.log" 2>&1 &&
  cmake --install "$tmp/sub2" --prefix "$tmp/sub2-prefix" >>"$tmp/sub2.log" 2>&1; then
  ok "parent project with VSIG_INSTALL=ON builds and installs"
  posix_pc="$(find "$tmp/sub2-prefix" -name vsig-posix.pc | head -1)"
  if [ -n "$posix_pc" ]; then
    ok "vsig-posix.pc installed"
    export PKG_CONFIG_PATH="$(dirname "$posix_pc")"
    libs="$(pkg-config --libs vsig-posix)"
    case " $libs " in
    *" -lvsig-posix "*"-lvsig "*) ok "pkg-config --libs vsig-posix: $libs" ;;
    *) fail "pkg-config --libs vsig-posix names -lvsig-posix then -lvsig: got '$libs'" ;;
    esac
    same "pkg-config --modversion vsig-posix" "$version" "$(pkg-config --modversion vsig-posix)"
    unset PKG_CONFIG_PATH
  else
    fail "vsig-posix.pc installed when a vsig_posix target exists"
  fi
else
  fail "parent project with VSIG_INSTALL=ON"
  sed 's/^/    /' "$tmp/sub2.log" >&2
fi

echo "consumers: $checks passed, $failures failed"
[ "$failures" -eq 0 ]
