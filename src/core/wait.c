/* SPDX-License-Identifier: MIT */
/* The interruptible wait under pause, sigsuspend and the sleeps. */
#include "internal.h"

/*
 * A wait ends at the first of: a handler due (WE_INTR, set by the sender that
 * made it due), the deadline (WE_TIMEOUT on the manual clock, or the clock
 * read here), or the process's end. A wake-up that finds none of them (a
 * claim was withdrawn meanwhile) goes back to sleep in the same state, so the
 * thread keeps its seniority. Signals discarded on delivery do not end it.
 */
static int wait_loop(struct vsig_thr *t, int64_t deadline_ns, uint64_t restore) {
  struct vsig_proc *p = t->proc;
  host_lock(&p->lock);
  t->wait_end = WE_NONE;
  for (;;) {
    if (jobctl_park(t))
      continue; /* stopped meanwhile: look again */
    if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD) {
      set_state(t, T_READY);
      host_unlock(&p->lock);
      return -ECANCELED;
    }
    bool timed_out = t->wait_end == WE_TIMEOUT ||
                     (deadline_ns >= 0 && t->wait_end == WE_NONE && clock_now() >= deadline_ns);
    if (timed_out) {
      set_state(t, T_READY);
      host_unlock(&p->lock);
      /* Signals that came after the deadline are handled on the way out. */
      if (atomic_load_explicit(&t->attention, memory_order_acquire))
        deliver_self(t, NULL);
      return 0;
    }
    if (thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed))) {
      set_state(t, T_READY);
      host_unlock(&p->lock);
      int n = deliver_self_restoring(t, restore, NULL);
      if (n)
        return n < 0 ? n : 1;
      host_lock(&p->lock);
      continue;
    }
    resume_wait(t, T_INTR);
    uint32_t token = host_event_prepare(&t->ev);
    host_unlock(&p->lock);
    clock_sleep(t, token, deadline_ns);
    host_lock(&p->lock);
  }
}

void wait_guard_unwound(struct wait_guard *g) {
  if (g->left)
    return;
  struct vsig_thr *t = g->t;
  host_lock(&t->proc->lock);
  t->waitset = 0;
  t->child_wait = false;
  t->wait_end = WE_NONE;
  set_state(t, T_READY);
  host_unlock(&t->proc->lock);
  clock_wait_end(t);
  /* Out of every vsig call now: the cancellation cleanup handlers run next. */
  vsig__tls_depth = 0;
  vsig__tls_deferred = 0;
}

int wait_for_handler(struct vsig_thr *t, int64_t deadline_ns, uint64_t restore) {
  WAIT_GUARD(guard, t);
  host_signals_in();
  clock_wait_begin(t, deadline_ns);
  int rc = wait_loop(t, deadline_ns, restore);
  clock_wait_end(t);
  guard.left = true;
  return rc;
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
