/* SPDX-License-Identifier: MIT */
/* Signal sets: plain bit operations on the caller's storage. */
#include "internal.h"

int vsig_sigemptyset(vsig_sigset_t *set) {
  if (!set)
    return set_errno(-EINVAL);
  set->bits = 0;
  return 0;
}

int vsig_sigfillset(vsig_sigset_t *set) {
  if (!set)
    return set_errno(-EINVAL);
  set->bits = ALL_SIGNALS;
  return 0;
}

int vsig_sigaddset(vsig_sigset_t *set, int sig) {
  if (!set || !sig_valid(sig))
    return set_errno(-EINVAL);
  set->bits |= SIGBIT(sig);
  return 0;
}

int vsig_sigdelset(vsig_sigset_t *set, int sig) {
  if (!set || !sig_valid(sig))
    return set_errno(-EINVAL);
  set->bits &= ~SIGBIT(sig);
  return 0;
}

int vsig_sigismember(const vsig_sigset_t *set, int sig) {
  if (!set || !sig_valid(sig))
    return set_errno(-EINVAL);
  return (set->bits & SIGBIT(sig)) != 0;
}
