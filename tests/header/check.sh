#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# vsig.h compiles without a warning as C99 (GCC and Clang), C11, C17, C++11,
# C++17 and C++20, with gcc, clang, g++ and clang++, -Wall -Wextra -Wpedantic
# -Werror (and -Wshadow for C++), alone and with <signal.h> before or after it,
# with and without _GNU_SOURCE. vsig/posix.h is checked as C11 and C17.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cp "$here/use.c" "$out/use.c"
cp "$here/use.c" "$out/use.cc"

fail=0
n=0
run() {
  n=$((n + 1))
  if ! "$@" -c -o "$out/o.o" 2>"$out/err"; then
    echo "FAIL: $*"
    sed 's/^/    /' "$out/err"
    fail=$((fail + 1))
  fi
}

warn="-Wall -Wextra -Wpedantic -Werror"
for order in "" -DSIGNAL_H_FIRST -DSIGNAL_H_AFTER; do
  for feat in "" -D_GNU_SOURCE -D_POSIX_C_SOURCE=200809L; do
    for cc in gcc clang; do
      for std in c99 c11 c17; do
        # shellcheck disable=SC2086
        run $cc -std=$std $warn $order $feat -I"$root/include" "$out/use.c"
      done
    done
    for cxx in g++ clang++; do
      for std in c++11 c++17 c++20; do
        # shellcheck disable=SC2086
        run $cxx -std=$std $warn -Wshadow $order $feat -I"$root/include" "$out/use.cc"
      done
    done
  done
done

# vsig/posix.h is for C programs (-include vsig/posix.h); it needs C11.
printf '#include <vsig/posix.h>\nint f(void);\nint f(void) { sigset_t s; return sigemptyset(&s) + kill(getpid(), 0); }\n' >"$out/posix.c"
for cc in gcc clang; do
  for std in c11 c17; do
    run $cc -std=$std $warn -D_GNU_SOURCE -I"$root/include" "$out/posix.c"
  done
done

echo "header check: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
