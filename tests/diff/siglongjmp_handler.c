/* SPDX-License-Identifier: MIT */
/* Pins down siglongjmp out of signal handlers: savemask 1 restores the mask of sigsetjmp
 * (so the handler runs every time); savemask 0 leaves the handler's mask (the next one pends). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diff_common.h"
static sigjmp_buf env;
static volatile sig_atomic_t runs1, runs2, usr1_returned, stage;

static void jump_usr1(int sig) {
  (void)sig;
  runs1++;
  siglongjmp(env, 1);
}

static void raise_usr2(int sig) {
  (void)sig;
  runs1++;
  raise(SIGUSR2);
  usr1_returned = 1;
}

static void jump_usr2(int sig) {
  (void)sig;
  runs2++;
  siglongjmp(env, 2);
}

static void jump_info(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  runs1++;
  siglongjmp(env, si->si_value.sival_int);
}

static void set_action(int sig, void (*h)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sa.sa_flags = flags;
  sigaction(sig, &sa, NULL);
}

int main(void) {
  start();
  set_action(SIGUSR1, jump_usr1, 0);

  say("-- savemask 1, three rounds\n");
  for (stage = 1; stage <= 3; stage++) {
    if (sigsetjmp(env, 1) == 0) {
      raise(SIGUSR1);
      say("not reached\n");
    }
    say("round %d: handler runs %d, mask after the jump: %s\n", (int)stage, (int)runs1, maskstr());
  }

  say("-- savemask 1 restores the mask of the sigsetjmp call\n");
  block(SIG_BLOCK, SIGHUP);
  if (sigsetjmp(env, 1) == 0) {
    block(SIG_UNBLOCK, SIGHUP);
    block(SIG_BLOCK, SIGTERM);
    say("mask before raise: %s\n", maskstr());
    raise(SIGUSR1);
    say("not reached\n");
  }
  say("mask after the jump: %s\n", maskstr());
  block(SIG_UNBLOCK, SIGHUP);

  say("-- savemask 0\n");
  runs1 = 0;
  stage = 0;
  int v = sigsetjmp(env, 0);
  if (v == 0) {
    stage = 1;
    raise(SIGUSR1);
    say("not reached\n");
  } else if (stage == 1) {
    say("first jump: handler runs %d, mask after: %s\n", (int)runs1, maskstr());
    raise(SIGUSR1);
    say("raise again: handler runs %d, pending %s\n", (int)runs1, pendstr());
    stage = 2;
    block(SIG_UNBLOCK, SIGUSR1);
    say("not reached\n");
  } else {
    say("unblocking ran the pending one: handler runs %d, mask after: %s, pending %s\n", (int)runs1,
        maskstr(), pendstr());
  }
  block(SIG_UNBLOCK, SIGUSR1);

  say("-- nested: SIGUSR1's handler raises SIGUSR2, whose handler jumps, savemask 1\n");
  set_action(SIGUSR1, raise_usr2, 0);
  set_action(SIGUSR2, jump_usr2, 0);
  runs1 = runs2 = 0;
  for (stage = 1; stage <= 2; stage++) {
    if (sigsetjmp(env, 1) == 0) {
      raise(SIGUSR1);
      say("not reached\n");
    }
    say("round %d: SIGUSR1 runs %d, SIGUSR2 runs %d, SIGUSR1's handler returned: %s, mask %s\n",
        (int)stage, (int)runs1, (int)runs2, usr1_returned ? "yes" : "no", maskstr());
  }

  say("-- nested, savemask 0\n");
  stage = 0;
  v = sigsetjmp(env, 0);
  if (v == 0) {
    stage = 1;
    raise(SIGUSR1);
    say("not reached\n");
  } else if (stage == 1) {
    say("SIGUSR1 runs %d, SIGUSR2 runs %d, mask after: %s\n", (int)runs1, (int)runs2, maskstr());
    raise(SIGUSR2);
    raise(SIGUSR1);
    say("raised both again: SIGUSR1 runs %d, SIGUSR2 runs %d, pending %s\n", (int)runs1, (int)runs2,
        pendstr());
    stage = 2;
    block(SIG_UNBLOCK, SIGUSR2);
    say("not reached\n");
  } else if (stage == 2) {
    say("unblocking SIGUSR2 ran it: SIGUSR1 runs %d, SIGUSR2 runs %d, mask %s, pending %s\n",
        (int)runs1, (int)runs2, maskstr(), pendstr());
    stage = 3;
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    say("not reached\n");
  } else {
    say("emptying the mask ran the pending SIGUSR1, whose SIGUSR2 jumped: SIGUSR1 runs %d, "
        "SIGUSR2 runs %d, mask %s, pending %s\n",
        (int)runs1, (int)runs2, maskstr(), pendstr());
  }
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  say("SIGUSR1's handler ever returned: %s\n", usr1_returned ? "yes" : "no");

  say("-- SA_NODEFER handler, savemask 0: the mask stays as it was\n");
  set_action(SIGUSR1, jump_usr1, SA_NODEFER);
  runs1 = 0;
  if (sigsetjmp(env, 0) == 0) {
    raise(SIGUSR1);
    say("not reached\n");
  }
  say("handler runs %d, mask after: %s\n", (int)runs1, maskstr());

  say("-- SA_SIGINFO handler with sa_mask SIGHUP, savemask 0\n");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = jump_info;
  sa.sa_flags = SA_SIGINFO;
  sigaddset(&sa.sa_mask, SIGHUP);
  sigaction(SIGRTMIN, &sa, NULL);
  runs1 = 0;
  v = sigsetjmp(env, 0);
  if (v == 0) {
    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 17});
    say("not reached\n");
  }
  say("sigsetjmp returned %d, handler runs %d, mask after: %s\n", v, (int)runs1, maskstr());
  pthread_sigmask(SIG_SETMASK, &none, NULL);

  say("-- out of a handler that interrupted sigsuspend, savemask 0\n");
  set_action(SIGUSR1, jump_usr1, 0);
  sigset_t held;
  sigemptyset(&held);
  sigaddset(&held, SIGUSR1);
  sigaddset(&held, SIGINT);
  pthread_sigmask(SIG_SETMASK, &held, NULL);
  raise(SIGUSR1);
  runs1 = 0;
  if (sigsetjmp(env, 0) == 0) {
    sigset_t during;
    sigemptyset(&during);
    sigaddset(&during, SIGUSR2);
    sigaddset(&during, SIGINT);
    sigsuspend(&during);
    say("not reached\n");
  }
  say("handler runs %d, mask after (the sigsuspend mask and SIGUSR1): %s\n", (int)runs1, maskstr());
  pthread_sigmask(SIG_SETMASK, &held, NULL);
  raise(SIGUSR1);
  if (sigsetjmp(env, 1) == 0) {
    sigset_t during;
    sigemptyset(&during);
    sigaddset(&during, SIGUSR2);
    sigsuspend(&during);
    say("not reached\n");
  }
  say("savemask 1: handler runs %d, mask after: %s\n", (int)runs1, maskstr());
  return 0;
}
