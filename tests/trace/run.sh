#!/bin/bash
# SPDX-License-Identifier: MIT
# VSIG_TRACE end to end: run trace_program with it, once to a normal exit and
# once to death by SIGTERM, and check each file (check.py).
set -eu
prog=$1
out=$2
here=$(dirname "$0")
rm -f "$out" "$out.term"
line=$(VSIG_TRACE="$out" "$prog")
read -r a b pid <<<"$line"
python3 "$here/check.py" "$out" "$a" "$b" "$pid"
set +e
line=$(VSIG_TRACE="$out.term" "$prog" terminate)
rc=$?
set -e
if [ "$rc" -ne $((128 + 15)) ]; then
  echo "run.sh: the terminate run exited $rc, not by SIGTERM" >&2
  exit 1
fi
read -r a b pid <<<"$line"
python3 "$here/check.py" --terminated "$out.term" "$pid"
# A buffer too small: the first events are kept, the rest counted as dropped.
rm -f "$out.small"
VSIG_TRACE="$out.small" VSIG_TRACE_EVENTS=5 "$prog" >/dev/null
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
o = d["otherData"]
assert o["capacity"] == 5 and o["events"] == 5 and o["dropped"] > 0, o
' "$out.small"
echo "run.sh: ok"
