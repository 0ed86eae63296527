#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The manual's checks (CI runs them):
#  - mandoc -T lint -W warning finds nothing in any page (link pages, whose
#    only line is ".so man3/PAGE.3", are checked to point at a real page);
#  - every VSIG_API function declared in the installed headers (include/vsig.h,
#    include/vsig/*.h) has a page of its own name, and every man3 page is named
#    after a declared function, as is every name in a NAME section;
#  - every vsig page named in a SEE ALSO section exists;
#  - the pages say the version that vsig.h says;
#  - given a shared library (man/check.sh build/libvsig.so), every function it
#    exports is a declared vsig_* function with a page, and every declared
#    function is exported.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
lib="${1:-}"
if [ -n "$lib" ]; then
  case "$lib" in /*) ;; *) lib="$PWD/$lib" ;; esac
fi
cd "$here"

command -v mandoc >/dev/null || {
  echo "man/check.sh needs mandoc (apt-get install mandoc)" >&2
  exit 1
}

passed=0
failed=0
fail() {
  echo "FAIL: $*" >&2
  failed=$((failed + 1))
}
pass() { passed=$((passed + 1)); }

declared="$(cat "$root/include/vsig.h" "$root"/include/vsig/*.h |
  sed -n 's/^VSIG_API[^(]*[^a-zA-Z0-9_]\(vsig_[a-zA-Z0-9_]*\) *(.*/\1/p' | sort -u)"
[ -n "$declared" ] || {
  echo "no VSIG_API declarations found" >&2
  exit 1
}
is_declared() { grep -qx "$1" <<<"$declared"; }
version="$(sed -n 's/^#define VSIG_VERSION_STRING "\(.*\)"$/\1/p' "$root/include/vsig.h")"

# ---- lint, links, versions ------------------------------------------------------
for page in man3/*.3 man7/*.7; do
  if grep -q '^\.so ' "$page"; then
    target="$(sed -n 's/^\.so \(.*\)$/\1/p' "$page")"
    if [ "$(grep -cv '^\.\\"' "$page")" != 1 ]; then
      fail "$page: a link page has one line, .so man3/PAGE.3"
    elif [ ! -f "$target" ] || grep -q '^\.so ' "$target"; then
      fail "$page: .so $target is not a page"
    else
      pass
    fi
    continue
  fi
  if out="$(mandoc -T lint -W warning "$page" 2>&1)" && [ -z "$out" ]; then
    pass
  else
    fail "$page: mandoc -T lint -W warning"
    echo "$out" | sed 's/^/    /' >&2
  fi
  if grep -q "^\.TH [^ ]* [37] [0-9-]* \"vsig $version\"" "$page"; then
    pass
  else
    fail "$page: .TH does not say \"vsig $version\" (vsig.h's VSIG_VERSION_STRING)"
  fi
done

# ---- every declared function has a page, every page a function -----------------
for fn in $declared; do
  if [ -f "man3/$fn.3" ]; then pass; else fail "$fn is declared in the headers but has no man3/$fn.3"; fi
done
for page in man3/*.3; do
  name="$(basename "$page" .3)"
  if is_declared "$name"; then pass; else fail "$page: no function $name is declared"; fi
  grep -q '^\.so ' "$page" && continue
  # The NAME section: ".SH NAME" then "a, b, c \- description".
  names="$(sed -n '/^\.SH NAME/{n;p;}' "$page" | sed 's/ *\\-.*//' | tr ',' ' ')"
  for n in $names; do
    if ! is_declared "$n"; then
      fail "$page: NAME lists $n, which is not declared"
    elif [ ! -f "man3/$n.3" ]; then
      fail "$page: NAME lists $n, which has no man3/$n.3 (add a .so link page)"
    else
      pass
    fi
  done
done

# ---- cross references ------------------------------------------------------------
for page in man3/*.3 man7/*.7; do
  refs="$(sed -n '/^\.SH SEE ALSO/,/^\.SH/p' "$page" | sed -n 's/^\.BR \(vsig[a-z0-9_]*\) (\([37]\)).*/\1.\2/p')"
  for r in $refs; do
    if [ -f "man${r##*.}/$r" ]; then pass; else fail "$page: SEE ALSO names $r, which does not exist"; fi
  done
done

# ---- the exported symbols ----------------------------------------------------------
if [ -n "$lib" ]; then
  if [ ! -f "$lib" ]; then
    fail "$lib does not exist"
  else
    exported="$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TtWwiI]$/ {print $3}' | sort -u)"
    others="$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^vsig_' || true)"
    [ -z "$others" ] && pass || fail "$lib exports names outside vsig_*: $(echo $others)"
    for fn in $exported; do
      if is_declared "$fn" && [ -f "man3/$fn.3" ]; then
        pass
      else
        fail "$lib exports $fn, which is not a declared function with a page"
      fi
    done
    for fn in $declared; do
      if grep -qx "$fn" <<<"$exported"; then pass; else fail "$fn is declared but $lib does not export it"; fi
    done
  fi
fi

echo "man check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
