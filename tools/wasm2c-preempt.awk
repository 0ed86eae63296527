# Post-pass over wasm2c 1.0.32 output: a preemption check (VSIG_WASIX_CHECK,
# src/wasix/include/vsig_wasix_preempt.h) after every function prologue and
# at every loop head. Every back-edge of a wasm loop is a `goto w2c_L<n>` to
# its head, so each iteration passes a check; calls pass one at entry. A
# guest that never calls the host therefore still reaches a safe point within
# one loop iteration or one call of any code it runs.
# Refuses (exit 1) output that has no prologue at all: a wasm2c whose output
# looks different would otherwise silently lose the checks.
{ print }
/^[ \t]*FUNC_PROLOGUE;[ \t]*$/ { print "  VSIG_WASIX_CHECK();"; fns++ }
/^[ \t]*w2c_L[0-9]+:[ \t]*$/ { print "  VSIG_WASIX_CHECK();"; loops++ }
END {
  if (fns == 0) {
    print "wasm2c-preempt: no FUNC_PROLOGUE found: unsupported wasm2c output" > "/dev/stderr"
    exit 1
  }
  printf "wasm2c-preempt: %d function entries, %d loop heads checked\n", fns, loops > "/dev/stderr"
}
