/* The word vsig_poll() tests, for runtimes that inline that test in generated
 * code (a preemption check at loop back-edges) instead of calling vsig_poll. */
#include "internal.h"

const _Atomic int *vsig_poll_word(void) {
  struct vsig_thr *t = self_thread();
  return t ? &t->attention : NULL;
}
