/* SPDX-License-Identifier: MIT */
/* Pins down longjmp/_longjmp out of a handler on glibc: setjmp and _setjmp save no mask, so
 * the handler's mask stays; longjmp to a sigsetjmp(env, 1) buffer restores it (an alias). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diff_common.h"
static jmp_buf env;
static sigjmp_buf senv;
static volatile sig_atomic_t runs, kind;

static void on_usr1(int sig) {
  (void)sig;
  runs++;
  switch (kind) {
  case 0:
    longjmp(env, 1);
  case 1:
    _longjmp(env, 1);
  case 2:
    longjmp(senv, 1);
  default:
    siglongjmp(env, 1);
  }
}

static void reset(void) {
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaddset(&sa.sa_mask, SIGHUP);
  sigaction(SIGUSR1, &sa, NULL);

  kind = 0;
  if (setjmp(env) == 0) {
    raise(SIGUSR1);
    say("not reached\n");
  }
  say("setjmp + longjmp: handler runs %d, mask after: %s\n", (int)runs, maskstr());
  raise(SIGUSR1);
  say("raise again: handler runs %d, pending %s\n", (int)runs, pendstr());
  if (setjmp(env) == 0) {
    reset();
    say("not reached\n");
  }
  say("unblocking ran it and it jumped: handler runs %d, mask after: %s\n", (int)runs, maskstr());
  reset();

  kind = 1;
  if (_setjmp(env) == 0) {
    raise(SIGUSR1);
    say("not reached\n");
  }
  say("_setjmp + _longjmp: handler runs %d, mask after: %s\n", (int)runs, maskstr());
  reset();

  kind = 2;
  for (volatile int round = 1; round <= 2; round++) {
    if (sigsetjmp(senv, 1) == 0) {
      raise(SIGUSR1);
      say("not reached\n");
    }
    say("sigsetjmp(env, 1) + longjmp, round %d: handler runs %d, mask after: %s\n", round,
        (int)runs, maskstr());
  }

  kind = 3;
  if (setjmp(env) == 0) {
    raise(SIGUSR1);
    say("not reached\n");
  }
  say("setjmp + siglongjmp: handler runs %d, mask after: %s\n", (int)runs, maskstr());
  reset();
  say("pending at the end: %s\n", pendstr());
  return 0;
}
