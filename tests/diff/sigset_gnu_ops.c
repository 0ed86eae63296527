/* SPDX-License-Identifier: MIT */
/* Pins down the GNU set operations sigisemptyset, sigandset, sigorset (and the POSIX ones),
 * and sigwait on sets built with them: lowest-numbered pending member first. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diff_common.h"
static void mk(sigset_t *s, int a, int b) {
  sigemptyset(s);
  if (a)
    sigaddset(s, a);
  if (b)
    sigaddset(s, b);
}

int main(void) {
  start();
  sigset_t a, b, c, d, e;
  mk(&a, SIGUSR2, SIGHUP);
  mk(&b, SIGRTMIN, SIGHUP);
  say("a = %s; b = %s\n", setstr(&a), setstr(&b));
  int r = sigorset(&c, &a, &b);
  say("sigorset(c, a, b): %d, c = %s\n", r, setstr(&c));
  r = sigandset(&d, &a, &b);
  say("sigandset(d, a, b): %d, d = %s\n", r, setstr(&d));
  mk(&e, 0, 0);
  say("sigisemptyset: a %d, d %d, empty %d\n", sigisemptyset(&a), sigisemptyset(&d),
      sigisemptyset(&e));
  sigset_t rt;
  mk(&rt, SIGRTMIN, 0);
  sigandset(&e, &a, &rt);
  say("a and {SIGRTMIN} = %s, sigisemptyset %d\n", setstr(&e), sigisemptyset(&e));
  sigfillset(&e);
  say("sigisemptyset(filled): %d, SIGKILL member of filled: %d\n", sigisemptyset(&e),
      sigismember(&e, SIGKILL));
  sigdelset(&c, SIGHUP);
  say("c without SIGHUP: %s\n", setstr(&c));
  say("sigismember(c, SIGUSR2) %d, sigismember(c, SIGHUP) %d\n", sigismember(&c, SIGUSR2),
      sigismember(&c, SIGHUP));
  r = sigismember(&c, 65);
  say("sigismember(c, 65): %d %s\n", r, errname(errno));
  r = sigaddset(&c, 0);
  say("sigaddset(c, 0): %d %s\n", r, errname(errno));
  r = sigdelset(&c, 65);
  say("sigdelset(c, 65): %d %s\n", r, errname(errno));

  /* Block and raise three signals; wait for them through the sets above. */
  sigset_t all;
  sigorset(&all, &c, &(sigset_t){0});
  sigaddset(&all, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  raise(SIGRTMIN);
  raise(SIGUSR2);
  raise(SIGUSR1);
  say("pending: %s\n", pendstr());
  int sig = 0;
  r = sigwait(&c, &sig);
  say("sigwait(c = %s): %d, got %s\n", setstr(&c), r, signame(sig));
  r = sigwait(&c, &sig);
  say("sigwait(c): %d, got %s\n", r, signame(sig));
  sigset_t u1, u12, only;
  mk(&u1, SIGUSR1, 0);
  mk(&u12, SIGUSR1, SIGUSR2);
  sigandset(&only, &u12, &u1);
  r = sigwait(&only, &sig);
  say("sigwait(%s): %d, got %s\n", setstr(&only), r, signame(sig));
  sigset_t p;
  sigpending(&p);
  say("pending now: %s, sigisemptyset %d\n", setstr(&p), sigisemptyset(&p));
  return 0;
}
