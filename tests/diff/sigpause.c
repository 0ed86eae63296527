/* SPDX-License-Identifier: MIT */
/* Pins down sigpause: the XPG form sigpause(sig) (glibc's __xpg_sigpause) suspends with
 * the current mask minus sig; the BSD form __sigpause(mask, 0) suspends with mask. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* glibc exports the BSD form under this name; <signal.h> declares it only for
 * compilers other than GCC. */
extern int __sigpause(int sig_or_mask, int is_sig);

#include "diff_common.h"
static volatile sig_atomic_t runs[65];
static char inside[65][256];

static void on_sig(int sig) {
  runs[sig]++;
  sigset_t cur;
  pthread_sigmask(SIG_BLOCK, NULL, &cur);
  snprintf(inside[sig], sizeof inside[sig], "%s", setstr(&cur));
}

static void result(const char *what, int r) {
  if (r == 0)
    say("%s: 0\n", what);
  else
    say("%s: %d %s\n", what, r, errname(errno));
}

int main(void) {
  start();
  say("sigpause(sig) with _GNU_SOURCE or _XOPEN_SOURCE: glibc's __xpg_sigpause, "
      "sigsuspend(current mask minus sig)\n");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigaction(SIGRTMIN, &sa, NULL);

  sighold(SIGUSR1);
  sighold(SIGUSR2);
  raise(SIGUSR1);
  raise(SIGUSR2);
  say("held and pending: %s\n", pendstr());
  result("sigpause(SIGUSR1)", sigpause(SIGUSR1));
  say("SIGUSR1 handler runs: %d, mask inside: %s\n", (int)runs[SIGUSR1], inside[SIGUSR1]);
  say("SIGUSR2 handler runs: %d\n", (int)runs[SIGUSR2]);
  say("mask after: %s\n", maskstr());
  say("pending after: %s\n", pendstr());

  /* BSD form: the argument is the whole mask to suspend with. */
  result("__sigpause(1 << (SIGUSR1 - 1), 0)", __sigpause(1 << (SIGUSR1 - 1), 0));
  say("SIGUSR2 handler runs: %d, mask inside: %s\n", (int)runs[SIGUSR2], inside[SIGUSR2]);
  say("mask after: %s\n", maskstr());
  say("pending after: %s\n", pendstr());

  /* The signal number form through __sigpause(sig, 1), with a real-time signal. */
  sighold(SIGRTMIN);
  sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 5});
  raise(SIGUSR1);
  say("held and pending: %s\n", pendstr());
  result("__sigpause(SIGRTMIN, 1)", __sigpause(SIGRTMIN, 1));
  say("SIGRTMIN handler runs: %d, mask inside: %s\n", (int)runs[SIGRTMIN], inside[SIGRTMIN]);
  say("mask after: %s\n", maskstr());
  say("pending after: %s\n", pendstr());
  result("sigpause(SIGUSR1)", sigpause(SIGUSR1));
  say("SIGUSR1 handler runs: %d, mask inside: %s\n", (int)runs[SIGUSR1], inside[SIGUSR1]);
  say("pending after: %s\n", pendstr());
  return 0;
}
