#!/usr/bin/env bash
# wasix-expect.sh EXPECTED CMD...: run CMD and compare its standard output
# with the file EXPECTED (a guest test). Prints both and a diff on mismatch.
set -uo pipefail
expected=$1
shift
out=$("$@")
rc=$?
if [ $rc -ne 0 ]; then
  echo "exit status $rc (expected 0); output:"
  printf '%s\n' "$out"
  exit 1
fi
if ! diff -u "$expected" <(printf '%s\n' "$out"); then
  echo "output differs from $expected"
  exit 1
fi
echo "output matches $(basename "$expected")"
