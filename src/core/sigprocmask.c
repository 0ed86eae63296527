/* SPDX-License-Identifier: MIT */
/* sigprocmask and pthread_sigmask: both change the calling thread's mask. */
#include "internal.h"

static int do_sigmask(int how, const vsig_sigset_t *set, vsig_sigset_t *oset) {
  struct vsig_thr *t = self_thread();
  if (!t)
    return no_self();
  uint64_t old = atomic_load_explicit(&t->mask, memory_order_relaxed);
  uint64_t mask = old;
  if (set) {
    switch (how) {
    case VSIG_SIG_BLOCK:
      mask |= set->bits;
      break;
    case VSIG_SIG_UNBLOCK:
      mask &= ~set->bits;
      break;
    case VSIG_SIG_SETMASK:
      mask = set->bits;
      break;
    default:
      return -EINVAL;
    }
  }
  if (oset)
    oset->bits = old;
  if (set && mask_set_self(t, mask))
    deliver_self(t, NULL);
  return 0;
}

static int api_sigprocmask(int how, const vsig_sigset_t *set, vsig_sigset_t *oset) {
  return set_errno(do_sigmask(how, set, oset));
}

static int api_pthread_sigmask(int how, const vsig_sigset_t *set, vsig_sigset_t *oset) {
  return -do_sigmask(how, set, oset);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_sigprocmask(int how, const vsig_sigset_t *set, vsig_sigset_t *oset) {
  API_ENTER();
  int rc = api_sigprocmask(how, set, oset);
  api_leave();
  return rc;
}

int vsig_pthread_sigmask(int how, const vsig_sigset_t *set, vsig_sigset_t *oset) {
  API_ENTER();
  int rc = api_pthread_sigmask(how, set, oset);
  api_leave();
  return rc;
}
