/* SPDX-License-Identifier: MIT */
/* vsig's siginfo in the host's layout, for SA_SIGINFO handlers and the
 * sigwait family. */
#include "posix.h"

void posix_siginfo(const vsig_siginfo_t *v, siginfo_t *h) {
  memset(h, 0, sizeof *h);
  h->si_signo = v->si_signo;
  h->si_errno = v->si_errno;
  h->si_code = v->si_code;
  int sig = v->si_signo;
  bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
               sig == SIGTRAP || sig == SIGSYS;
  if (v->si_code == SI_TIMER) {
    h->si_timerid = v->si_timerid;
    h->si_overrun = v->si_overrun;
    h->si_value.sival_ptr = v->si_value.sival_ptr;
  } else if (v->si_code <= 0 || v->si_code == SI_KERNEL) {
    h->si_pid = v->si_pid;
    h->si_uid = v->si_uid;
    h->si_value.sival_ptr = v->si_value.sival_ptr;
  } else if (sig == SIGCHLD) {
    h->si_pid = v->si_pid;
    h->si_uid = v->si_uid;
    h->si_status = v->si_status;
  } else if (fault) {
    h->si_addr = v->si_addr;
  } else if (sig == SIGPOLL) {
    h->si_band = v->si_status;
  }
}
