/* SPDX-License-Identifier: MIT */
/*
 * abort, as glibc does it, in vsig's terms: unblock SIGABRT, raise it (a
 * handler runs, and may leave by siglongjmp), then put it back to its default
 * and raise it again, which ends the process. glibc's own abort does the
 * unblocking in the host's mask, which is not the program's under vsig. A
 * call from inside libc (a failed assert) still takes glibc's path.
 */
#include "posix.h"

#include <stdlib.h>

EXPORT void abort(void) {
  if (atomic_load_explicit(&posix_started, memory_order_acquire)) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGABRT);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    raise(SIGABRT);
  }
  /* No handler, or it returned: the default action, whatever the action was. */
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigfillset(&dfl.sa_mask);
  sigaction(SIGABRT, &dfl, NULL);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGABRT);
  sigprocmask(SIG_UNBLOCK, &s, NULL);
  raise(SIGABRT);
  REAL(abort)(); /* not reached */
  __builtin_unreachable();
}
