/* SPDX-License-Identifier: MIT */
/* Pins down a new thread's initial mask: pthread_attr_setsigmask_np's mask when set (glibc
 * 2.32+), else the creator's; pthread_attr_getsigmask_np reports PTHREAD_ATTR_NO_SIGMASK_NP. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diff_common.h"
static void *report(void *arg) {
  say("thread %s: initial mask %s, pending %s\n", (const char *)arg, maskstr(), pendstr());
  return NULL;
}

static void run(const char *name, pthread_attr_t *attr) {
  pthread_t t;
  int r = pthread_create(&t, attr, report, (void *)name);
  if (r != 0) {
    say("pthread_create(%s): %s\n", name, errname(r));
    return;
  }
  pthread_join(t, NULL);
}

static void mk(sigset_t *s, int a, int b) {
  sigemptyset(s);
  if (a)
    sigaddset(s, a);
  if (b)
    sigaddset(s, b);
}

int main(void) {
  start();
  sigset_t creator, m, got;
  mk(&creator, SIGUSR1, SIGTERM);
  pthread_sigmask(SIG_SETMASK, &creator, NULL);
  say("creator's mask: %s\n", maskstr());

  run("plain (NULL attr)", NULL);

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  int r = pthread_attr_getsigmask_np(&attr, &got);
  say("pthread_attr_getsigmask_np on a fresh attr: %s, mask %s\n",
      r == PTHREAD_ATTR_NO_SIGMASK_NP ? "PTHREAD_ATTR_NO_SIGMASK_NP" : errname(r), setstr(&got));
  run("attr without a mask", &attr);

  mk(&m, SIGUSR2, SIGRTMIN);
  r = pthread_attr_setsigmask_np(&attr, &m);
  say("pthread_attr_setsigmask_np({SIGUSR2, SIGRTMIN}): %s\n", errname(r));
  sigemptyset(&got);
  r = pthread_attr_getsigmask_np(&attr, &got);
  say("pthread_attr_getsigmask_np: %s, mask %s\n", errname(r), setstr(&got));
  run("attr {SIGUSR2, SIGRTMIN}", &attr);

  mk(&m, 0, 0);
  pthread_attr_setsigmask_np(&attr, &m);
  run("attr {} (empty)", &attr);

  mk(&m, SIGKILL, SIGSTOP);
  sigaddset(&m, SIGHUP);
  pthread_attr_setsigmask_np(&attr, &m);
  pthread_attr_getsigmask_np(&attr, &got);
  say("attr set to {SIGHUP, SIGKILL, SIGSTOP}: getsigmask says %s\n", setstr(&got));
  run("attr {SIGHUP, SIGKILL, SIGSTOP}", &attr);

  sigfillset(&m);
  pthread_attr_setsigmask_np(&attr, &m);
  run("attr filled", &attr);

  r = pthread_attr_setsigmask_np(&attr, NULL);
  say("pthread_attr_setsigmask_np(NULL): %s\n", errname(r));
  r = pthread_attr_getsigmask_np(&attr, &got);
  say("pthread_attr_getsigmask_np after clearing: %s\n",
      r == PTHREAD_ATTR_NO_SIGMASK_NP ? "PTHREAD_ATTR_NO_SIGMASK_NP" : errname(r));
  run("attr cleared", &attr);
  pthread_attr_destroy(&attr);

  /* A pending process signal is not the new thread's; a thread-directed one stays. */
  raise(SIGUSR1);
  kill(getpid(), SIGTERM);
  say("main's pending: %s\n", pendstr());
  run("plain, with main's signals pending", NULL);
  say("creator's mask at the end: %s\n", maskstr());
  return 0;
}
