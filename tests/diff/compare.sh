#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# One differential test: the same program natively, built against
# libvsig-posix, and as the native binary under LD_PRELOAD=libvsig-posix.so.
# What each run printed on stdout and how it ended (exit status or signal)
# must be identical. The vsig runs must also really be on vsig: the library
# writes VSIG_POSIX_ACTIVE_FILE when it starts.
#
# A sanitizer's report in a vsig run's stderr fails the test too (a report
# in a forked child may not change what the program prints), unless the
# native run has one as well (a program's deliberate fault, under UBSan).
#
# usage: compare.sh NAME NATIVE_EXE LINKED_EXE LIBVSIG_POSIX_SO [RUNTIME_SO]
# RUNTIME_SO (a ThreadSanitizer runtime) is preloaded after libvsig-posix, in
# the order the linked program has them.
set -u
name=$1 native=$2 linked=$3 lib=$4 runtime=${5:-}
timeout_s=${DIFF_TIMEOUT:-60}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { # mode exe [env...]
  local mode=$1 exe=$2
  shift 2
  local active="$tmp/$mode.active"
  # The environment (LD_PRELOAD) is the program's alone, not timeout's.
  (cd "$tmp" && timeout -s KILL "$timeout_s" env "$@" VSIG_POSIX_ACTIVE_FILE="$active" "$exe" \
    >"$tmp/$mode.out" 2>"$tmp/$mode.err" </dev/null)
  local st=$?
  if [ $st -gt 128 ]; then
    echo "end: signal $((st - 128))" >>"$tmp/$mode.out"
  else
    echo "end: exit $st" >>"$tmp/$mode.out"
  fi
  if [ "$mode" != native ] && [ ! -e "$active" ]; then
    echo "$name: the $mode run did not load libvsig-posix" >&2
    return 1
  fi
  if [ "$mode" = native ] && [ -e "$active" ]; then
    echo "$name: the native run loaded libvsig-posix" >&2
    return 1
  fi
  return 0
}

reports="(WARNING|ERROR): (ThreadSanitizer|AddressSanitizer)|runtime error:"
fail=0
run native "$native" || fail=1
run linked "$linked" || fail=1
run preload "$native" LD_PRELOAD="$lib${runtime:+ $runtime}" || fail=1
for mode in linked preload; do
  if ! cmp -s "$tmp/native.out" "$tmp/$mode.out"; then
    echo "== $name: native and $mode differ (< native, > $mode)"
    diff "$tmp/native.out" "$tmp/$mode.out" | head -40
    echo "-- $mode stderr:"
    head -20 "$tmp/$mode.err"
    fail=1
  fi
  if grep -q -E "$reports" "$tmp/$mode.err" && ! grep -q -E "$reports" "$tmp/native.err"; then
    echo "== $name: a sanitizer reported in the $mode run:"
    head -60 "$tmp/$mode.err"
    fail=1
  fi
done
if [ $fail = 0 ]; then
  echo "$name: native, linked and preload agree ($(wc -l <"$tmp/native.out") lines)"
else
  echo "-- native stdout:"
  head -40 "$tmp/native.out"
  echo "-- native stderr:"
  head -20 "$tmp/native.err"
fi
exit $fail
