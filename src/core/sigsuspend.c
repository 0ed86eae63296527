/* SPDX-License-Identifier: MIT */
/* sigsuspend and pause: wait until a handler has run. */
#include "internal.h"

static int api_sigsuspend(const vsig_sigset_t *mask) {
  if (!mask)
    return set_errno(-EFAULT);
  struct vsig_thr *t = self_thread();
  if (!t)
    return set_errno(no_self());
  struct vsig_proc *p = t->proc;
  uint64_t old = atomic_load_explicit(&t->mask, memory_order_relaxed);
  struct after a = {0};
  host_lock(&p->lock);
  mask_set_locked(t, mask->bits, &a);
  host_unlock(&p->lock);
  a.deliver_self = 0; /* the wait below delivers */
  after_run(t, &a);
  int rc = wait_for_handler(t, -1, old);
  /* The first handler already restored the old mask; a terminated process
   * ends the wait without one. */
  if (rc < 0)
    mask_set_self(t, old);
  return set_errno(rc < 0 ? rc : -EINTR);
}

static int api_pause(void) {
  struct vsig_thr *t = self_thread();
  if (!t)
    return set_errno(no_self());
  int rc = wait_for_handler(t, -1, atomic_load_explicit(&t->mask, memory_order_relaxed));
  return set_errno(rc < 0 ? rc : -EINTR);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_sigsuspend(const vsig_sigset_t *mask) {
  API_ENTER();
  int rc = api_sigsuspend(mask);
  api_leave();
  return rc;
}

int vsig_pause(void) {
  API_ENTER();
  int rc = api_pause();
  api_leave();
  return rc;
}
