/* SPDX-License-Identifier: MIT */
/*
 * alarm, ualarm, setitimer, getitimer. The three share one SIGALRM timer per
 * process, as on Linux, where alarm and ualarm are written in terms of
 * ITIMER_REAL: arming one replaces the others, and each reports what another
 * had armed.
 */
#include "internal.h"

/* Arm (value 0: disarm) the caller's ITIMER_REAL; report the old setting. */
static int itimer_real(int64_t value, int64_t interval, int64_t *old_left, int64_t *old_period) {
  struct vsig_thr *self = self_thread();
  if (!self)
    return no_self();
  struct vsig_proc *p = self->proc;
  struct after a = {0};
  tsvc_lock();
  host_lock(&p->lock);
  struct vsig_timer *t = p->timers.alarm;
  if (!t)
    t = p->timers.alarm = timer_alloc_internal(p, VSIG_SIGALRM);
  host_unlock(&p->lock);
  if (!t) {
    tsvc_unlock();
    return -ENOMEM;
  }
  int64_t left, period;
  itimer_to_spec(t, &left, &period);
  if (old_left)
    *old_left = left;
  if (old_period)
    *old_period = period;
  int rc = 0;
  if (value == 0) {
    tsvc_disarm(t);
    t->period = 0; /* a disarmed itimer has no interval (Linux) */
  } else if (value > 0) {
    rc = tsvc_arm(t, sat_add(clock_now(), value), interval, &a);
  }
  tsvc_unlock();
  after_run(self, &a);
  return rc;
}

static int64_t ceil_div(int64_t a, int64_t b) { return a / b + (a % b != 0); }

static unsigned int api_alarm(unsigned int seconds) {
  int64_t left = 0;
  if (itimer_real(ns_of(seconds, 0), 0, &left, NULL) < 0)
    return 0;
  int64_t s = ceil_div(left, 1000000000); /* an armed alarm reports at least 1 */
  return s > UINT32_MAX ? UINT32_MAX : (unsigned int)s;
}

static unsigned long api_ualarm(unsigned long usecs, unsigned long interval) {
  int64_t left = 0;
  int64_t v = usecs > (unsigned long)(INT64_MAX / 1000) ? INT64_MAX : (int64_t)usecs * 1000;
  int64_t iv = interval > (unsigned long)(INT64_MAX / 1000) ? INT64_MAX : (int64_t)interval * 1000;
  if (itimer_real(v, iv, &left, NULL) < 0)
    return 0;
  return (unsigned long)ceil_div(left, 1000);
}

static bool timeval_ok(const struct timeval *tv) {
  return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

static void to_timeval(int64_t ns, struct timeval *tv) {
  int64_t us = ceil_div(ns, 1000);
  tv->tv_sec = (time_t)(us / 1000000);
  tv->tv_usec = (suseconds_t)(us % 1000000);
}

static int api_setitimer(int which, const vsig_itimerval_t *value, vsig_itimerval_t *ovalue) {
  if (which != VSIG_ITIMER_REAL)
    return set_errno(-EINVAL);
  if (!value)
    return set_errno(-EFAULT);
  if (!timeval_ok(&value->it_value) || !timeval_ok(&value->it_interval))
    return set_errno(-EINVAL);
  int64_t v = ns_of(value->it_value.tv_sec, value->it_value.tv_usec * 1000);
  int64_t iv = ns_of(value->it_interval.tv_sec, value->it_interval.tv_usec * 1000);
  int64_t left, period;
  int rc = itimer_real(v, iv, &left, &period);
  if (rc == 0 && ovalue) {
    to_timeval(left, &ovalue->it_value);
    to_timeval(period, &ovalue->it_interval);
  }
  return set_errno(rc);
}

static int api_getitimer(int which, vsig_itimerval_t *value) {
  if (which != VSIG_ITIMER_REAL)
    return set_errno(-EINVAL);
  if (!value)
    return set_errno(-EFAULT);
  int64_t left, period;
  int rc = itimer_real(-1, 0, &left, &period);
  if (rc == 0) {
    to_timeval(left, &value->it_value);
    to_timeval(period, &value->it_interval);
  }
  return set_errno(rc);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
unsigned int vsig_alarm(unsigned int seconds) {
  API_ENTER();
  unsigned int rc = api_alarm(seconds);
  api_leave();
  return rc;
}

unsigned long vsig_ualarm(unsigned long usecs, unsigned long interval) {
  API_ENTER();
  unsigned long rc = api_ualarm(usecs, interval);
  api_leave();
  return rc;
}

int vsig_setitimer(int which, const vsig_itimerval_t *value, vsig_itimerval_t *ovalue) {
  API_ENTER();
  int rc = api_setitimer(which, value, ovalue);
  api_leave();
  return rc;
}

int vsig_getitimer(int which, vsig_itimerval_t *value) {
  API_ENTER();
  int rc = api_getitimer(which, value);
  api_leave();
  return rc;
}
