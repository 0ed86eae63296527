/* SPDX-License-Identifier: MIT */
/*
 * sigwait, sigwaitinfo, sigtimedwait. A waiter takes the lowest-numbered
 * signal of pending & set (never one outside set), with its queued siginfo.
 * A signal generated while it waits is handed to it directly by the sender
 * (step 3 of the delivery algorithm).
 */
#include "internal.h"

/* Take the lowest signal of ws that t may take; 0 if none. Process lock held. */
static int take_waited(struct vsig_thr *t, uint64_t ws, vsig_siginfo_t *info) {
  uint64_t got = thread_takeable(t, ~ws);
  if (!got)
    return 0;
  int sig = lowest_sig(got);
  thread_take(t, sig, info);
  return sig;
}

/* deadline: -1 forever, -2 do not wait. Returns the signal or -errno.
 *
 * As in the kernel, a waited-for signal already pending is taken before a
 * handler can interrupt; once asleep, the first event ends the wait: a
 * hand-off (wait_sig), a handler due (WE_INTR: the handler runs and the call
 * fails with EINTR even if a waited-for signal came after it), or the
 * deadline. */
static int wait_loop(struct vsig_thr *t, const vsig_sigset_t *set, vsig_siginfo_t *info,
                     int64_t deadline, bool restart_on_handler) {
  struct vsig_proc *p = t->proc;
  uint64_t ws = set->bits & ~UNBLOCKABLE;
  vsig_siginfo_t got;
  int rc;
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
    uint64_t mask = atomic_load_explicit(&t->mask, memory_order_relaxed);
    if (t->wait_end == WE_INTR && !thread_takeable(t, mask))
      resume_wait(t, T_SIGWAIT); /* the signal that interrupted it is gone */
    if (t->wait_end == WE_TIMEOUT) {
      host_unlock(&p->lock); /* the deadline came before anything else */
      rc = -EAGAIN;
      goto out;
    }
    int sig = t->wait_end == WE_INTR ? 0 : take_waited(t, ws, &got);
    if (sig) {
      set_state(t, T_READY);
      host_unlock(&p->lock);
      goto done;
    }
    if (thread_takeable(t, mask)) {
      /* A caught signal outside the set interrupts the wait. */
      set_state(t, T_READY);
      host_unlock(&p->lock);
      int n = deliver_self(t, NULL);
      if (n < 0)
        return n;
      if (n > 0 && !restart_on_handler)
        return -EINTR;
      host_lock(&p->lock);
      continue;
    }
    if (deadline == -2 || (deadline >= 0 && t->wait_end == WE_NONE && clock_now() >= deadline)) {
      set_state(t, T_READY);
      host_unlock(&p->lock);
      rc = -EAGAIN;
      goto out;
    }
    t->waitset = ws;
    resume_wait(t, T_SIGWAIT);
    uint32_t token = host_event_prepare(&t->ev);
    host_unlock(&p->lock);

    clock_sleep(t, token, deadline < 0 ? -1 : deadline);

    /* A hand-off needs no lock: the sender published wait_info before wait_sig
     * and already set us ready. */
    sig = atomic_load_explicit(&t->wait_sig, memory_order_acquire);
    if (sig) {
      cinfo_unpack(&got, &t->wait_info, sig);
      atomic_store_explicit(&t->wait_sig, 0, memory_order_relaxed);
      goto done;
    }
    host_lock(&p->lock);
    sig = atomic_load_explicit(&t->wait_sig, memory_order_acquire);
    if (sig) {
      host_unlock(&p->lock);
      cinfo_unpack(&got, &t->wait_info, sig);
      atomic_store_explicit(&t->wait_sig, 0, memory_order_relaxed);
      goto done;
    }
  }
done:;
  uint64_t sender;
  uint64_t id = trace_take_id(&got, &sender);
  if (TRACING())
    trace_accept(t, &got, id, sender);
  if (info)
    *info = got;
  rc = got.si_signo;
out:
  return rc;
}

static int do_wait(const vsig_sigset_t *set, vsig_siginfo_t *info, int64_t deadline,
                   bool restart_on_handler) {
  struct vsig_thr *t = self_thread();
  if (!t)
    return no_self();
  WAIT_GUARD(guard, t);
  /* A poll (zero timeout) does not ask the host: it is the drain loop's
   * call, and one system call per poll would be most of its cost. */
  if (deadline != -2)
    host_signals_in();
  clock_wait_begin(t, deadline);
  int rc = wait_loop(t, set, info, deadline, restart_on_handler);
  clock_wait_end(t);
  guard.left = true;
  /* Handlers that became due meanwhile run as the call returns. */
  if (rc != -ECANCELED && atomic_load_explicit(&t->attention, memory_order_acquire))
    deliver_self(t, NULL);
  return rc;
}

static int api_sigwait(const vsig_sigset_t *set, int *sig) {
  if (!set || !sig)
    return EFAULT;
  int rc = do_wait(set, NULL, -1, true);
  if (rc < 0)
    return -rc;
  *sig = rc;
  return 0;
}

static int api_sigwaitinfo(const vsig_sigset_t *set, vsig_siginfo_t *info) {
  if (!set)
    return set_errno(-EFAULT);
  return set_errno(do_wait(set, info, -1, false));
}

static int api_sigtimedwait(const vsig_sigset_t *set, vsig_siginfo_t *info,
                            const struct timespec *timeout) {
  if (!set)
    return set_errno(-EFAULT);
  int64_t deadline = -1;
  if (timeout) {
    if (!timespec_ok(timeout))
      return set_errno(-EINVAL);
    deadline = (timeout->tv_sec == 0 && timeout->tv_nsec == 0) ? -2 : deadline_after(timeout);
  }
  return set_errno(do_wait(set, info, deadline, false));
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_sigwait(const vsig_sigset_t *set, int *sig) {
  API_ENTER();
  int rc = api_sigwait(set, sig);
  api_leave();
  return rc;
}

int vsig_sigwaitinfo(const vsig_sigset_t *set, vsig_siginfo_t *info) {
  API_ENTER();
  int rc = api_sigwaitinfo(set, info);
  api_leave();
  return rc;
}

int vsig_sigtimedwait(const vsig_sigset_t *set, vsig_siginfo_t *info,
                      const struct timespec *timeout) {
  API_ENTER();
  int rc = api_sigtimedwait(set, info, timeout);
  api_leave();
  return rc;
}
