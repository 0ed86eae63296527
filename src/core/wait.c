/* SPDX-License-Identifier: MIT */
/* The interruptible wait under pause, sigsuspend and the sleeps. */
#include "internal.h"

/* Sleep until a handler has run (1), the deadline passes (0), or the process
 * is terminated (-ECANCELED). Signals that are discarded on delivery do not
 * end the wait. */
int wait_for_handler(struct vsig_thr *t, int64_t deadline_ns) {
  struct vsig_proc *p = t->proc;
  for (;;) {
    if (atomic_load_explicit(&t->attention, memory_order_acquire)) {
      int n = deliver_self(t, NULL);
      if (n)
        return n < 0 ? n : 1;
    }
    host_lock(&p->lock);
    if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD) {
      host_unlock(&p->lock);
      return -ECANCELED;
    }
    if (thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed))) {
      atomic_store_explicit(&t->attention, 1, memory_order_relaxed);
      host_unlock(&p->lock);
      continue;
    }
    if (deadline_ns >= 0 && clock_now() >= deadline_ns) {
      host_unlock(&p->lock);
      return 0;
    }
    set_state(t, T_INTR);
    uint32_t token = host_event_prepare(&t->ev);
    host_unlock(&p->lock);
    clock_sleep(t, token, deadline_ns);
    host_lock(&p->lock);
    set_state(t, T_READY);
    host_unlock(&p->lock);
  }
}

/* now + ts, saturating; ts already validated. */
int64_t deadline_after(const struct timespec *ts) {
  int64_t now = clock_now();
  if (ts->tv_sec >= (INT64_MAX - now) / 1000000000 - 1)
    return -1; /* beyond any clock: forever */
  return now + (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

bool timespec_ok(const struct timespec *ts) {
  return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000;
}
