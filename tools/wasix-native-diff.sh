#!/usr/bin/env bash
# wasix-native-diff.sh NAME NATIVE_EXE RUNNER GUEST_WASM
#
# "Native is the reference": the same POSIX C program (tests/wasix/native/)
# built for the host against its libc and for wasm32-wasi against wasi-libc
# and the vsig-wasix shim. What each run printed on stdout and how it ended
# (exit status, or the signal that killed it: the runner exits 128 + signal
# as a shell reports a killed process) must be identical.
set -u
name=$1 native=$2 runner=$3 wasm=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wasix-native-$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

run() { # out cmd...
  local out=$1
  shift
  (timeout -s KILL 120 "$@" >"$out" 2>"$out.err" </dev/null)
  local st=$?
  echo "end: status $st" >>"$out"
}
run "$tmp/native" "$native"
run "$tmp/wasm" "$runner" "$wasm"
if cmp -s "$tmp/native" "$tmp/wasm"; then
  echo "$name: native and vsig-wasix agree ($(wc -l <"$tmp/native") lines)"
  exit 0
fi
echo "== $name: native and vsig-wasix differ (< native, > vsig-wasix)"
diff "$tmp/native" "$tmp/wasm"
echo "-- vsig-wasix stderr:"
head -20 "$tmp/wasm.err"
exit 1
