/* SPDX-License-Identifier: MIT */
/* Waiting for signals: all are vsig waits, and cancellation points. */
#include "posix.h"

EXPORT int sigsuspend(const sigset_t *mask) {
  EARLY(sigsuspend, mask);
  if (absent(mask))
    return fail(EFAULT);
  vsig_sigset_t v = {set_bits(mask) & ~LIBC_RESERVED};
  return vsig_sigsuspend(&v);
}

EXPORT int pause(void) {
  EARLY(pause);
  return vsig_pause();
}

EXPORT int sigwait(const sigset_t *set, int *sig) {
  EARLY(sigwait, set, sig);
  if (absent(set) || absent(sig))
    return EFAULT;
  vsig_sigset_t v = {set_bits(set) & ~LIBC_RESERVED};
  return vsig_sigwait(&v, sig);
}

static int wait_info(const sigset_t *set, siginfo_t *info, const struct timespec *timeout,
                     bool timed) {
  if (absent(set))
    return fail(EFAULT);
  vsig_sigset_t v = {set_bits(set) & ~LIBC_RESERVED};
  vsig_siginfo_t vi;
  int rc = timed ? vsig_sigtimedwait(&v, &vi, timeout) : vsig_sigwaitinfo(&v, &vi);
  if (rc > 0 && info)
    posix_siginfo(&vi, info);
  return rc;
}

EXPORT int sigwaitinfo(const sigset_t *set, siginfo_t *info) {
  EARLY(sigwaitinfo, set, info);
  return wait_info(set, info, NULL, false);
}

EXPORT int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout) {
  EARLY(sigtimedwait, set, info, timeout);
  return wait_info(set, info, timeout, true);
}
