/* SPDX-License-Identifier: MIT */
/* sigaction: the host's struct sigaction converted at the boundary. */
#include "posix.h"

/* glibc installs every action with SA_RESTORER and reports it back: so do we,
 * for the actions this library set. */
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif
static _Atomic uint64_t set_here;

int posix_sigaction(int sig, const struct sigaction *act, struct sigaction *oact) {
  if (sig < 1 || sig >= 65 || libc_reserved(sig))
    return fail(EINVAL);
  vsig_sigaction_t v, old;
  if (act) {
    memset(&v, 0, sizeof v);
    v.sa_handler = (vsig_handler_t)act->sa_handler; /* sa_sigaction shares it */
    v.sa_mask.bits = set_bits(&act->sa_mask) & ~LIBC_RESERVED;
    v.sa_flags = act->sa_flags;
  }
  if (vsig_sigaction(sig, act ? &v : NULL, &old) != 0)
    return -1;
  uint64_t bit = UINT64_C(1) << (sig - 1);
  bool was_set = atomic_load(&set_here) & bit;
  if (act)
    atomic_fetch_or(&set_here, bit);
  if (oact) {
    memset(oact, 0, sizeof *oact);
    oact->sa_handler = (__sighandler_t)old.sa_handler;
    bits_to_set(old.sa_mask.bits, &oact->sa_mask);
    oact->sa_flags = old.sa_flags | (was_set ? SA_RESTORER : 0);
  }
  return 0;
}

EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *oact) {
  return posix_sigaction(sig, act, oact);
}
