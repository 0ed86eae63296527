#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# posix_paths natively and under LD_PRELOAD=libvsig-posix.so, alternately, ROUNDS
# times each (a noisy machine hurts both sides alike); the median of each side's
# medians, in make bench's format:
#   bench posix_<name>: vsig_ns=<median> native_ns=<median> ratio=<native/vsig>
#
# usage: run.sh POSIX_PATHS_EXE LIBVSIG_POSIX_SO [ROUNDS]
set -eu
exe=$1 lib=$2 rounds=${3:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ((r = 0; r < rounds; r++)); do
  order="native vsig"
  [ $((r % 2)) = 1 ] && order="vsig native"
  for side in $order; do
    if [ "$side" = vsig ]; then
      VSIG_POSIX_ACTIVE_FILE="$tmp/active" LD_PRELOAD="$lib" "$exe" >>"$tmp/vsig"
      [ -e "$tmp/active" ] || { echo "run.sh: the LD_PRELOAD run did not load libvsig-posix" >&2; exit 1; }
      rm -f "$tmp/active"
    else
      "$exe" >>"$tmp/native"
    fi
  done
done
median() { # side name
  awk -v n="$2" '$1 == "posix_paths" && $2 == n { print $3 }' "$tmp/$1" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'
}
for name in $(awk '$1 == "posix_paths" { print $2 }' "$tmp/native" | sort -u); do
  v=$(median vsig "$name")
  n=$(median native "$name")
  awk -v name="$name" -v v="$v" -v n="$n" 'BEGIN {
    printf "bench posix_%s: vsig_ns=%.2f native_ns=%.2f ratio=%.2f\n", name, v, n, (v > 0 ? n / v : 0) }'
done
