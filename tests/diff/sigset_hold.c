/* SPDX-License-Identifier: MIT */
/* Pins down glibc's System V sigset: its return values (the old disposition, or SIG_HOLD
 * when the signal was blocked), SIG_HOLD blocking, and the plain flags it installs. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#include "diff_common.h"
static volatile sig_atomic_t h1_runs, h2_runs;
static char inside[256];

static void h1(int sig) {
  (void)sig;
  h1_runs++;
}

static void h2(int sig) {
  (void)sig;
  h2_runs++;
  sigset_t cur;
  pthread_sigmask(SIG_BLOCK, NULL, &cur);
  snprintf(inside, sizeof inside, "%s", setstr(&cur));
}

static const char *hname(void (*h)(int)) {
  if (h == SIG_ERR)
    return "SIG_ERR";
  if (h == SIG_HOLD)
    return "SIG_HOLD";
  if (h == SIG_DFL)
    return "SIG_DFL";
  if (h == SIG_IGN)
    return "SIG_IGN";
  if (h == h1)
    return "h1";
  if (h == h2)
    return "h2";
  return "another handler";
}

static void show(int sig) {
  struct sigaction old;
  sigaction(sig, NULL, &old);
  int known = SA_RESTART | SA_RESETHAND | SA_NODEFER | SA_SIGINFO | SA_ONSTACK;
  say("  %s: disposition %s, flags%s%s%s%s%s, sa_mask %s\n", signame(sig), hname(old.sa_handler),
      old.sa_flags & SA_RESTART ? " SA_RESTART" : "",
      old.sa_flags & SA_RESETHAND ? " SA_RESETHAND" : "",
      old.sa_flags & SA_NODEFER ? " SA_NODEFER" : "",
      old.sa_flags & SA_SIGINFO ? " SA_SIGINFO" : "", (old.sa_flags & known) ? "" : " none",
      setstr(&old.sa_mask));
}

static void ret(const char *what, void (*h)(int)) {
  if (h == SIG_ERR)
    say("%s returned SIG_ERR, errno %s\n", what, errname(errno));
  else
    say("%s returned %s\n", what, hname(h));
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigaction(SIGUSR1, &sa, NULL);

  ret("sigset(SIGUSR1, h1)", sigset(SIGUSR1, h1));
  show(SIGUSR1);
  raise(SIGUSR1);
  raise(SIGUSR1);
  say("h1 runs after two raises: %d (no reset)\n", (int)h1_runs);

  ret("sigset(SIGUSR1, SIG_HOLD)", sigset(SIGUSR1, SIG_HOLD));
  say("mask: %s\n", maskstr());
  show(SIGUSR1);
  raise(SIGUSR1);
  say("h1 runs after raise while held: %d, pending: %s\n", (int)h1_runs, pendstr());
  ret("sigset(SIGUSR1, SIG_HOLD) again", sigset(SIGUSR1, SIG_HOLD));

  /* Installing h2 while held: h2 gets the pending signal when sigset unblocks it. */
  ret("sigset(SIGUSR1, h2) while held", sigset(SIGUSR1, h2));
  say("h1 runs %d, h2 runs %d, mask inside h2: %s\n", (int)h1_runs, (int)h2_runs, inside);
  say("mask: %s, pending: %s\n", maskstr(), pendstr());
  show(SIGUSR1);

  ret("sigset(SIGUSR1, SIG_IGN)", sigset(SIGUSR1, SIG_IGN));
  raise(SIGUSR1);
  ret("sigset(SIGUSR1, SIG_DFL)", sigset(SIGUSR1, SIG_DFL));
  show(SIGUSR1);

  /* SIG_HOLD on an ignored signal keeps it ignored; a later handler unblocks. */
  sigset(SIGUSR2, SIG_IGN);
  ret("sigset(SIGUSR2, SIG_HOLD) while ignored", sigset(SIGUSR2, SIG_HOLD));
  show(SIGUSR2);
  /* (Not raised while ignored and held: Linux keeps it pending, vsig discards it,
   * a documented deviation.) */
  ret("sigset(SIGUSR2, h1) while held", sigset(SIGUSR2, h1));
  say("mask: %s\n", maskstr());
  raise(SIGUSR2);
  say("h1 runs: %d\n", (int)h1_runs);
  sigset(SIGUSR2, SIG_DFL);

  ret("sigset(SIGKILL, h1)", sigset(SIGKILL, h1));
  ret("sigset(SIGSTOP, SIG_IGN)", sigset(SIGSTOP, SIG_IGN));
  ret("sigset(0, h1)", sigset(0, h1));
  ret("sigset(65, SIG_HOLD)", sigset(65, SIG_HOLD));
  ret("sigset(SIGKILL, SIG_HOLD)", sigset(SIGKILL, SIG_HOLD));
  say("mask: %s\n", maskstr());
  return 0;
}
