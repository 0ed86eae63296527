/* SPDX-License-Identifier: MIT */
/* sigpending: blocked signals pending on the caller's process or thread. */
#include "internal.h"

static int api_sigpending(vsig_sigset_t *set) {
  if (!set)
    return set_errno(-EFAULT);
  struct vsig_thr *t = self_thread();
  if (!t)
    return set_errno(no_self());
  struct vsig_proc *p = t->proc;
  host_lock(&p->lock);
  uint64_t pend = atomic_load(&t->tpending.set) | atomic_load(&p->pending.set);
  set->bits = pend & atomic_load(&t->mask);
  host_unlock(&p->lock);
  return 0;
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_sigpending(vsig_sigset_t *set) {
  API_ENTER();
  int rc = api_sigpending(set);
  api_leave();
  return rc;
}
