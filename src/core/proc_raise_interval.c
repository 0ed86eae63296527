/* SPDX-License-Identifier: MIT */
/*
 * WASIX proc_raise_interval and proc_raise_interval2: one interval timer per
 * (process, signal), sending the signal to the process.
 */
#include "internal.h"

#include <stdlib.h>

static int64_t clamp_ns(uint64_t ns) { return ns > INT64_MAX ? INT64_MAX : (int64_t)ns; }

/* sig's timer, and the process's table of them on its first (process lock
 * held). NULL: out of memory, and nothing was kept. */
static struct vsig_timer *interval_new(struct vsig_proc *p, int sig) {
  struct ptimers *pt = &p->timers;
  bool made = !pt->interval;
  if (made) {
    pt->interval = calloc(VSIG_NSIG, sizeof *pt->interval);
    if (!pt->interval)
      return NULL;
  }
  struct vsig_timer *t = pt->interval[sig] = timer_alloc_internal(p, sig);
  if (!t && made) {
    free(pt->interval);
    pt->interval = NULL;
  }
  return t;
}

static int raise_interval(int sig, int64_t first, int64_t period, uint64_t *old_first,
                          uint64_t *old_period) {
  if (!sig_valid(sig))
    return EINVAL;
  struct vsig_thr *self = self_thread();
  if (!self)
    return -no_self();
  struct vsig_proc *p = self->proc;
  struct after a = {0};
  tsvc_lock();
  host_lock(&p->lock);
  struct vsig_timer **iv = p->timers.interval;
  struct vsig_timer *t = iv ? iv[sig] : NULL;
  if (!t && first > 0)
    t = interval_new(p, sig);
  host_unlock(&p->lock);
  if (!t && first > 0) {
    tsvc_unlock();
    return ENOMEM;
  }
  int64_t left = 0, per = 0;
  int rc = 0;
  if (t)
    itimer_to_spec(t, &left, &per);
  if (old_first)
    *old_first = (uint64_t)left;
  if (old_period)
    *old_period = (uint64_t)per;
  if (first == 0) {
    if (t) {
      tsvc_disarm(t);
      t->period = 0; /* cancelled: no setting left to report */
    }
  } else if (tsvc_arm(t, sat_add(clock_now(), first), period, &a) < 0) {
    rc = ENOMEM;
  }
  tsvc_unlock();
  after_run(self, &a);
  return rc;
}

static int api_proc_raise_interval(int sig, uint64_t interval_ms, int repeat) {
  int64_t ns =
      interval_ms > (uint64_t)INT64_MAX / 1000000 ? INT64_MAX : (int64_t)interval_ms * 1000000;
  return raise_interval(sig, ns, repeat ? ns : 0, NULL, NULL);
}

static int api_proc_raise_interval2(int sig, uint64_t first_ns, uint64_t period_ns,
                                    uint64_t *old_first_ns, uint64_t *old_period_ns) {
  return raise_interval(sig, clamp_ns(first_ns), clamp_ns(period_ns), old_first_ns, old_period_ns);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_proc_raise_interval(int sig, uint64_t interval_ms, int repeat) {
  API_ENTER();
  int rc = api_proc_raise_interval(sig, interval_ms, repeat);
  api_leave();
  return rc;
}

int vsig_proc_raise_interval2(int sig, uint64_t first_ns, uint64_t period_ns,
                              uint64_t *old_first_ns, uint64_t *old_period_ns) {
  API_ENTER();
  int rc = api_proc_raise_interval2(sig, first_ns, period_ns, old_first_ns, old_period_ns);
  api_leave();
  return rc;
}
