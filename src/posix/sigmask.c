/* SPDX-License-Identifier: MIT */
/* Masks: per thread, in vsig. glibc never lets a program block its own two
 * signals (32, 33): neither do we. */
#include "posix.h"

static int mask(int how, const sigset_t *set, sigset_t *oset) {
  vsig_sigset_t v, old;
  if (set)
    v.bits = set_bits(set) & ~LIBC_RESERVED;
  int rc = vsig_pthread_sigmask(how, set ? &v : NULL, &old);
  if (rc == 0 && oset)
    bits_to_set(old.bits, oset);
  return rc;
}

EXPORT int sigprocmask(int how, const sigset_t *set, sigset_t *oset) {
  EARLY(sigprocmask, how, set, oset);
  int rc = mask(how, set, oset);
  return rc ? fail(rc) : 0;
}

EXPORT int pthread_sigmask(int how, const sigset_t *set, sigset_t *oset) {
  EARLY(pthread_sigmask, how, set, oset);
  return mask(how, set, oset);
}

EXPORT int sigpending(sigset_t *set) {
  EARLY(sigpending, set);
  if (absent(set))
    return fail(EFAULT);
  vsig_sigset_t v;
  if (vsig_sigpending(&v) != 0)
    return -1;
  bits_to_set(v.bits, set);
  return 0;
}
