/*
 * Force-included into wasm2c-generated C by tools/wasm2c-preempt.awk's
 * output: the cooperative preemption check placed at every function entry and
 * loop head (so on every loop back-edge). It costs one thread-local load and
 * one relaxed load of vsig's poll word, a branch that is never taken until a
 * signal is deliverable to this thread; then vsig_wasix_safepoint runs the
 * handlers (and unwinds the guest if it stopped), like Go's preemption checks.
 */
#ifndef VSIG_WASIX_PREEMPT_H
#define VSIG_WASIX_PREEMPT_H

#include <stdatomic.h>

extern _Thread_local const _Atomic int *vsig_wasix_poll_word;
void vsig_wasix_safepoint(void);

#define VSIG_WASIX_CHECK()                                                                         \
  do {                                                                                             \
    if (__builtin_expect(atomic_load_explicit(vsig_wasix_poll_word, memory_order_relaxed), 0))     \
      vsig_wasix_safepoint();                                                                      \
  } while (0)

#endif
