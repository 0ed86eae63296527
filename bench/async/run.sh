#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Signal-to-handler latency, native against vsig: async_latency measures with plain POSIX calls,
# so it runs natively and under LD_PRELOAD=libvsig-posix.so, alternately, ROUNDS times each
# (so that frequency scaling or a noisy neighbour hurts both sides alike). Each run prints a
# median per measurement; the median of those is reported in make bench's format:
#   bench <name>: vsig_ns=<median> native_ns=<median> ratio=<native/vsig>
#
# usage: run.sh ASYNC_LATENCY_EXE LIBVSIG_POSIX_SO [ROUNDS] [SAMPLES]
set -eu
exe=$1 lib=$2 rounds=${3:-5} samples=${4:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for ((r = 0; r < rounds; r++)); do
  order="native vsig"
  [ $((r % 2)) = 1 ] && order="vsig native"
  for side in $order; do
    if [ "$side" = vsig ]; then
      VSIG_POSIX_ACTIVE_FILE="$tmp/active" LD_PRELOAD="$lib" "$exe" "$samples" >>"$tmp/$side"
      if [ ! -e "$tmp/active" ]; then
        echo "run.sh: the LD_PRELOAD run did not load libvsig-posix" >&2
        exit 1
      fi
      rm -f "$tmp/active"
    else
      "$exe" "$samples" >>"$tmp/$side"
    fi
  done
done

median() { # side name
  awk -v n="$2" '$1 == "async_latency" && $2 == n { print $3 }' "$tmp/$1" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'
}

for name in spin read outside; do
  v=$(median vsig "$name")
  n=$(median native "$name")
  awk -v name="$name" -v v="$v" -v n="$n" 'BEGIN {
    printf "bench async_%s: vsig_ns=%.2f native_ns=%.2f ratio=%.2f\n", name, v, n, (v > 0 ? n / v : 0) }'
done
