/* SPDX-License-Identifier: MIT */
/* POSIX per-process timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete. */
#include "internal.h"

static int do_create(int clockid, const vsig_sigevent_t *sev, vsig_timer_t *timerid) {
  if (!timerid)
    return -EFAULT;
  if (clockid != VSIG_CLOCK_REALTIME && clockid != VSIG_CLOCK_MONOTONIC)
    return -EINVAL;
  int notify = sev ? sev->sigev_notify : VSIG_SIGEV_SIGNAL;
  int sig = sev ? sev->sigev_signo : VSIG_SIGALRM;
  switch (notify) {
  case VSIG_SIGEV_SIGNAL:
  case VSIG_SIGEV_THREAD_ID:
    if (!sig_valid(sig))
      return -EINVAL;
    break;
  case VSIG_SIGEV_NONE:
    sig = 0;
    break;
  default:
    return -EINVAL;
  }
  struct vsig_thr *self = self_thread();
  if (!self)
    return no_self();
  struct vsig_proc *p = self->proc;
  int err = 0;
  reg_lock(); /* keeps a target thread from leaving under us */
  struct vsig_thr *target = NULL;
  if (notify == VSIG_SIGEV_THREAD_ID) {
    target = reg_find_thread(sev->sigev_thread_id);
    if (!target || target->proc != p)
      err = EINVAL;
  }
  struct vsig_timer *t = NULL;
  if (!err) {
    tsvc_lock();
    host_lock(&p->lock);
    t = ptimer_new(p, &err);
    if (t) {
      t->sig = (uint8_t)sig;
      t->flags = clockid == VSIG_CLOCK_REALTIME ? TF_REALTIME : 0;
      if (notify == VSIG_SIGEV_THREAD_ID) {
        t->notify = TN_THREAD;
        t->to.thread = target;
      } else {
        t->notify = notify == VSIG_SIGEV_NONE ? TN_NONE : TN_PROC;
        t->to.proc = p;
      }
      if (sev)
        t->value = sev->sigev_value;
      else
        t->value.sival_int = t->id;
      *timerid = t->id;
    }
    host_unlock(&p->lock);
    tsvc_unlock();
  }
  reg_unlock();
  return -err;
}

static int api_timer_create(int clockid, const vsig_sigevent_t *sev, vsig_timer_t *timerid) {
  return set_errno(do_create(clockid, sev, timerid));
}

/* Look t up in the caller's process; the service lock keeps it alive. */
static struct vsig_timer *lookup(struct vsig_proc *p, vsig_timer_t id) {
  host_lock(&p->lock);
  struct vsig_timer *t = ptimer_get(p, id);
  host_unlock(&p->lock);
  return t;
}

static void spec_of(const struct vsig_timer *t, vsig_itimerspec_t *out) {
  int64_t left, period;
  itimer_to_spec(t, &left, &period);
  out->it_value.tv_sec = (time_t)(left / 1000000000);
  out->it_value.tv_nsec = (long)(left % 1000000000);
  out->it_interval.tv_sec = (time_t)(period / 1000000000);
  out->it_interval.tv_nsec = (long)(period % 1000000000);
}

static int do_settime(vsig_timer_t id, int flags, const vsig_itimerspec_t *value,
                      vsig_itimerspec_t *ovalue) {
  if (!value)
    return -EFAULT;
  if (!timespec_ok(&value->it_value) || !timespec_ok(&value->it_interval))
    return -EINVAL;
  if (flags & ~VSIG_TIMER_ABSTIME)
    return -EINVAL;
  struct vsig_thr *self = self_thread();
  if (!self)
    return no_self();
  struct vsig_proc *p = self->proc;
  struct after a = {0};
  int rc = 0;
  tsvc_lock();
  struct vsig_timer *t = lookup(p, id);
  if (!t) {
    tsvc_unlock();
    return -EINVAL;
  }
  /* value is read before ovalue is written: they may be the same object. */
  int64_t v = ns_of(value->it_value.tv_sec, value->it_value.tv_nsec);
  int64_t period = ns_of(value->it_interval.tv_sec, value->it_interval.tv_nsec);
  if (ovalue)
    spec_of(t, ovalue);
  if (v == 0) {
    tsvc_disarm(t); /* a signal already pending stays pending */
    t->period = 0;  /* a disarmed timer has no interval (Linux) */
  } else {
    int64_t deadline;
    if (!(flags & VSIG_TIMER_ABSTIME)) {
      deadline = sat_add(clock_now(), v);
    } else if (t->flags & TF_REALTIME) {
      /* Converted once, here: later changes of the wall clock do not move it. */
      struct timespec rt;
      clock_gettime(CLOCK_REALTIME, &rt);
      int64_t delta = v - ns_of(rt.tv_sec, rt.tv_nsec);
      deadline = delta <= 0 ? clock_now() : sat_add(clock_now(), delta);
    } else {
      deadline = v;
    }
    rc = tsvc_arm(t, deadline, period, &a);
  }
  tsvc_unlock();
  after_run(self, &a);
  return rc;
}

static int api_timer_settime(vsig_timer_t id, int flags, const vsig_itimerspec_t *value,
                             vsig_itimerspec_t *ovalue) {
  return set_errno(do_settime(id, flags, value, ovalue));
}

static int api_timer_gettime(vsig_timer_t id, vsig_itimerspec_t *value) {
  if (!value)
    return set_errno(-EFAULT);
  struct vsig_thr *self = self_thread();
  if (!self)
    return set_errno(no_self());
  tsvc_lock();
  struct vsig_timer *t = lookup(self->proc, id);
  if (t)
    spec_of(t, value);
  tsvc_unlock();
  return t ? 0 : set_errno(-EINVAL);
}

static int api_timer_getoverrun(vsig_timer_t id) {
  struct vsig_thr *self = self_thread();
  if (!self)
    return set_errno(no_self());
  struct vsig_proc *p = self->proc;
  host_lock(&p->lock);
  struct vsig_timer *t = ptimer_get(p, id);
  int rc = t ? t->last_overrun : -EINVAL;
  host_unlock(&p->lock);
  return set_errno(rc);
}

static int api_timer_delete(vsig_timer_t id) {
  struct vsig_thr *self = self_thread();
  if (!self)
    return set_errno(no_self());
  struct vsig_proc *p = self->proc;
  tsvc_lock();
  host_lock(&p->lock);
  struct vsig_timer *t = ptimer_get(p, id);
  if (t) {
    tsvc_disarm(t);
    timer_unqueue(t, p);
    ptimer_release(p, t);
  }
  host_unlock(&p->lock);
  tsvc_unlock();
  return t ? 0 : set_errno(-EINVAL);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_timer_create(int clockid, const vsig_sigevent_t *sev, vsig_timer_t *timerid) {
  API_ENTER();
  int rc = api_timer_create(clockid, sev, timerid);
  api_leave();
  return rc;
}

int vsig_timer_settime(vsig_timer_t id, int flags, const vsig_itimerspec_t *value,
                       vsig_itimerspec_t *ovalue) {
  API_ENTER();
  int rc = api_timer_settime(id, flags, value, ovalue);
  api_leave();
  return rc;
}

int vsig_timer_gettime(vsig_timer_t id, vsig_itimerspec_t *value) {
  API_ENTER();
  int rc = api_timer_gettime(id, value);
  api_leave();
  return rc;
}

int vsig_timer_getoverrun(vsig_timer_t id) {
  API_ENTER();
  int rc = api_timer_getoverrun(id);
  api_leave();
  return rc;
}

int vsig_timer_delete(vsig_timer_t id) {
  API_ENTER();
  int rc = api_timer_delete(id);
  api_leave();
  return rc;
}
