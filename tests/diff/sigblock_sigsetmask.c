/* SPDX-License-Identifier: MIT */
/* Pins down the deprecated BSD int masks sigblock, sigsetmask and siggetmask (bit sig-1
 * for signals 1..31): each returns the previous mask and acts on the calling thread. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#include "diff_common.h"
#define BIT(sig) (1 << ((sig)-1))

static volatile sig_atomic_t runs[65];
static void on_sig(int sig) { runs[sig]++; }

static void *thread_main(void *arg) {
  (void)arg;
  say("new thread: siggetmask %#x, mask %s\n", (unsigned)siggetmask(), maskstr());
  say("new thread: sigsetmask(0) returned %#x\n", (unsigned)sigsetmask(0));
  say("new thread: mask %s\n", maskstr());
  return NULL;
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);

  say("siggetmask: %#x\n", (unsigned)siggetmask());
  say("sigblock(SIGUSR1|SIGHUP) returned %#x\n", (unsigned)sigblock(BIT(SIGUSR1) | BIT(SIGHUP)));
  say("mask: %s, siggetmask %#x\n", maskstr(), (unsigned)siggetmask());
  raise(SIGUSR1);
  raise(SIGHUP);
  say("pending: %s, handler runs USR1 %d HUP %d\n", pendstr(), (int)runs[SIGUSR1],
      (int)runs[SIGHUP]);
  say("sigblock(SIGUSR2) returned %#x\n", (unsigned)sigblock(BIT(SIGUSR2)));
  say("mask: %s\n", maskstr());
  say("sigsetmask(SIGUSR2) returned %#x\n", (unsigned)sigsetmask(BIT(SIGUSR2)));
  say("handler runs USR1 %d HUP %d, pending %s\n", (int)runs[SIGUSR1], (int)runs[SIGHUP],
      pendstr());
  say("mask: %s, siggetmask %#x\n", maskstr(), (unsigned)siggetmask());

  /* SIGKILL and SIGSTOP bits are dropped. */
  say("sigblock(SIGKILL|SIGSTOP|SIGTERM) returned %#x\n",
      (unsigned)sigblock(BIT(SIGKILL) | BIT(SIGSTOP) | BIT(SIGTERM)));
  say("siggetmask: %#x, mask %s\n", (unsigned)siggetmask(), maskstr());

  /* The int mask covers only 1..31: real-time signals blocked otherwise stay blocked. */
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  pthread_sigmask(SIG_BLOCK, &rt, NULL);
  say("after blocking SIGRTMIN: siggetmask %#x, mask %s\n", (unsigned)siggetmask(), maskstr());
  say("sigsetmask(0) returned %#x\n", (unsigned)sigsetmask(0));
  say("mask after sigsetmask(0): %s\n", maskstr());

  sigsetmask(BIT(SIGUSR1));
  pthread_t t;
  pthread_create(&t, NULL, thread_main, NULL);
  pthread_join(t, NULL);
  say("main thread: siggetmask %#x\n", (unsigned)siggetmask());
  return 0;
}
