/* SPDX-License-Identifier: MIT */
/* The kernel's siginfo as vsig's: which fields a signal carries depends on
 * who sent it (si_code) and on the signal. */
#include "linux.h"

#include <string.h>
#include <vsig.h>

void ksiginfo_to_vsig(const siginfo_t *k, vsig_siginfo_t *v) {
  memset(v, 0, sizeof *v);
  v->si_signo = k->si_signo;
  v->si_errno = k->si_errno;
  v->si_code = k->si_code;
  int sig = k->si_signo;
  bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
               sig == SIGTRAP || sig == SIGSYS;
  if (k->si_code == SI_TIMER) {
    v->si_timerid = k->si_timerid;
    v->si_overrun = k->si_overrun;
    v->si_value.sival_ptr = k->si_value.sival_ptr;
  } else if (k->si_code <= 0 || k->si_code == SI_KERNEL) {
    /* Sent by a process (kill, sigqueue, tgkill), or by the kernel. */
    v->si_pid = k->si_pid;
    v->si_uid = k->si_uid;
    v->si_value.sival_ptr = k->si_value.sival_ptr;
  } else if (sig == SIGCHLD) {
    v->si_pid = k->si_pid;
    v->si_uid = k->si_uid;
    v->si_status = k->si_status;
  } else if (fault) {
    v->si_addr = k->si_addr;
  } else if (sig == SIGPOLL) {
    v->si_status = (int)k->si_band; /* vsig has no si_band: kept where it fits */
  }
}
