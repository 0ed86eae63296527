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

/* deadline: -1 forever, -2 do not wait. Returns the signal or -errno. */
static int do_wait(const vsig_sigset_t *set, vsig_siginfo_t *info, int64_t deadline,
                   bool restart_on_handler) {
  struct vsig_thr *t = self_thread();
  if (!t)
    return -ENOMEM;
  struct vsig_proc *p = t->proc;
  uint64_t ws = set->bits & ~UNBLOCKABLE;
  vsig_siginfo_t got;
  for (;;) {
    host_lock(&p->lock);
    if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD) {
      host_unlock(&p->lock);
      return -ECANCELED;
    }
    int sig = take_waited(t, ws, &got);
    if (sig) {
      host_unlock(&p->lock);
      goto done;
    }
    if (thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed))) {
      /* A caught signal outside the set interrupts the wait. */
      host_unlock(&p->lock);
      int n = deliver_self(t, NULL);
      if (n < 0)
        return n;
      if (n > 0 && !restart_on_handler)
        return -EINTR;
      continue;
    }
    if (deadline == -2 || (deadline >= 0 && clock_now() >= deadline)) {
      host_unlock(&p->lock);
      return -EAGAIN;
    }
    t->waitset = ws;
    set_state(t, T_SIGWAIT);
    uint32_t token = host_event_prepare(&t->ev);
    host_unlock(&p->lock);

    clock_sleep(t, token, deadline < 0 ? -1 : deadline);

    /* A hand-off needs no lock: the sender published wait_info before wait_sig
     * and already set us ready. */
    sig = atomic_load_explicit(&t->wait_sig, memory_order_acquire);
    if (!sig) {
      host_lock(&p->lock);
      sig = atomic_load_explicit(&t->wait_sig, memory_order_acquire);
      if (!sig) {
        t->waitset = 0;
        set_state(t, T_READY);
      }
      host_unlock(&p->lock);
    }
    if (sig) {
      got = t->wait_info;
      atomic_store_explicit(&t->wait_sig, 0, memory_order_relaxed);
      goto done;
    }
  }
done:
  if (info)
    *info = got;
  if (atomic_load_explicit(&t->attention, memory_order_acquire))
    deliver_self(t, NULL);
  return got.si_signo;
}

int vsig_sigwait(const vsig_sigset_t *set, int *sig) {
  if (!set || !sig)
    return EFAULT;
  int rc = do_wait(set, NULL, -1, true);
  if (rc < 0)
    return -rc;
  *sig = rc;
  return 0;
}

int vsig_sigwaitinfo(const vsig_sigset_t *set, vsig_siginfo_t *info) {
  if (!set)
    return set_errno(-EFAULT);
  return set_errno(do_wait(set, info, -1, false));
}

int vsig_sigtimedwait(const vsig_sigset_t *set, vsig_siginfo_t *info,
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
