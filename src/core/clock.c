/* SPDX-License-Identifier: MIT */
/*
 * vsig's clock: the host's monotonic clock, or a manual one that moves only
 * through vsig_clock_advance, so that tests and simulators can run hours of
 * timer behaviour deterministically in milliseconds.
 */
#include "internal.h"

static _Atomic int manual;
static _Atomic int64_t manual_now;
static _Atomic int used; /* a deadline was set on the host clock */

int64_t clock_now(void) {
  if (atomic_load_explicit(&manual, memory_order_acquire))
    return atomic_load_explicit(&manual_now, memory_order_acquire);
  return host_now_ns();
}

bool clock_is_manual(void) { return atomic_load_explicit(&manual, memory_order_acquire); }

void clock_mark_used(void) {
  if (!atomic_load_explicit(&used, memory_order_relaxed))
    atomic_store(&used, 1);
}

static int api_clock_set_manual(int64_t start_ns) {
  if (start_ns < 0)
    return EINVAL;
  tsvc_lock();
  int rc = 0;
  if (atomic_load(&manual))
    rc = EBUSY;
  else if (atomic_load(&used) || tsvc_armed())
    rc = EBUSY;
  else {
    atomic_store(&manual_now, start_ns);
    atomic_store(&manual, 1);
  }
  tsvc_unlock();
  return rc;
}

int64_t vsig_clock_now(void) { return clock_now(); }

/* Called by the service with its lock held, while it fires due timers. */
void clock_manual_set(int64_t now) { atomic_store(&manual_now, now); }

/* On the manual clock a timer of the service ends the wait when time gets to
 * its deadline. It is armed before the thread shows as waiting, so that an
 * advance can never pass the deadline without ending the wait first. */
void clock_wait_begin(struct vsig_thr *t, int64_t deadline) {
  if (deadline < 0)
    return;
  if (!clock_is_manual()) {
    clock_mark_used();
    return;
  }
  struct after a = {0};
  tsvc_lock();
  t->wake.notify = TN_WAKE;
  t->wake.to.thread = t;
  /* Out of memory: not armed; each sleep then returns at once and the caller
   * looks at the clock again (it is polled, not missed). */
  t->wake_armed = tsvc_arm(&t->wake, deadline, 0, &a) == 0;
  tsvc_unlock();
}

void clock_wait_end(struct vsig_thr *t) {
  if (!t->wake_armed)
    return;
  tsvc_lock();
  tsvc_disarm(&t->wake);
  tsvc_unlock();
  t->wake_armed = false;
}

/* A cancellation point: the POSIX waits all are. */
void clock_sleep(struct vsig_thr *t, uint32_t token, int64_t deadline) {
  if (deadline < 0 || !clock_is_manual()) {
    host_event_wait_cancel(&t->ev, token, deadline);
    return;
  }
  if (t->wake_armed)
    host_event_wait_cancel(&t->ev, token, -1);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_clock_set_manual(int64_t start_ns) {
  API_ENTER();
  int rc = api_clock_set_manual(start_ns);
  api_leave();
  return rc;
}
