/* SPDX-License-Identifier: MIT */
/* Pins down kill(0, s), killpg(pgrp, s) and kill(-pgrp, s): each reaches the caller exactly
 * once (before the call returns) and a forked child in the same process group exactly once. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff_common.h"
static volatile sig_atomic_t runs[65];
static void on_sig(int sig) { runs[sig]++; }

static void result(const char *what, int r) {
  if (r == 0)
    say("%s: 0\n", what);
  else
    say("%s: %d %s\n", what, r, errname(errno));
}

int main(void) {
  /* Our own process group, so that kill(0, s) reaches nobody outside this test. */
  if (setpgid(0, 0) != 0) {
    say("setpgid failed: %s\n", errname(errno));
    return 1;
  }
  start();
  const int sigs[4] = {SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN + 1};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigset_t set;
  sigemptyset(&set);
  for (int i = 0; i < 4; i++) {
    sigaction(sigs[i], &sa, NULL);
    sigaddset(&set, sigs[i]);
  }
  say("process group is our pid: %s\n", getpgrp() == getpid() ? "yes" : "no");

  sigprocmask(SIG_BLOCK, &set, NULL);
  int ready[2], done[2];
  if (pipe(ready) || pipe(done))
    return 1;
  pid_t child = fork();
  if (child == 0) {
    alarm(30);
    sigset_t none;
    sigemptyset(&none);
    if (write(ready[1], "r", 1) != 1)
      _exit(2);
    while (!runs[SIGUSR1] || !runs[SIGUSR2] || !runs[SIGRTMIN] || !runs[SIGRTMIN + 1])
      sigsuspend(&none);
    /* Everything the parent sent was sent before "done": a second instance would
     * now be pending. */
    char c;
    if (read(done[0], &c, 1) != 1)
      _exit(3);
    say("child: pending before unblocking: %s\n", pendstr());
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    say("child: handler runs: SIGUSR1 %d, SIGUSR2 %d, SIGRTMIN %d, SIGRTMIN+1 %d\n",
        (int)runs[SIGUSR1], (int)runs[SIGUSR2], (int)runs[SIGRTMIN], (int)runs[SIGRTMIN + 1]);
    say("child: same process group as the parent: %s\n", getpgrp() == getppid() ? "yes" : "no");
    _exit(0);
  }
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  char c;
  if (read(ready[0], &c, 1) != 1)
    return 1;

  result("kill(0, 0)", kill(0, 0));
  result("killpg(getpgrp(), 0)", killpg(getpgrp(), 0));
  result("kill(-getpgrp(), 0)", kill(-getpgrp(), 0));

  int r = kill(0, SIGUSR1);
  result("kill(0, SIGUSR1)", r);
  say("  caller's SIGUSR1 handler runs when kill returned: %d\n", (int)runs[SIGUSR1]);
  r = killpg(getpgrp(), SIGUSR2);
  result("killpg(getpgrp(), SIGUSR2)", r);
  say("  caller's SIGUSR2 handler runs when killpg returned: %d\n", (int)runs[SIGUSR2]);
  r = kill(-getpgrp(), SIGRTMIN);
  result("kill(-getpgrp(), SIGRTMIN)", r);
  say("  caller's SIGRTMIN handler runs when kill returned: %d\n", (int)runs[SIGRTMIN]);
  r = killpg(0, SIGRTMIN + 1);
  result("killpg(0, SIGRTMIN+1)", r);
  say("  caller's SIGRTMIN+1 handler runs when killpg returned: %d\n", (int)runs[SIGRTMIN + 1]);
  if (write(done[1], "d", 1) != 1)
    return 1;

  int st;
  waitpid(child, &st, 0);
  say("child exited with %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  say("caller's handler runs at the end: SIGUSR1 %d, SIGUSR2 %d, SIGRTMIN %d, SIGRTMIN+1 %d\n",
      (int)runs[SIGUSR1], (int)runs[SIGUSR2], (int)runs[SIGRTMIN], (int)runs[SIGRTMIN + 1]);
  say("pending at the end: %s\n", pendstr());

  /* Groups that do not exist, and bad arguments. The reaped child's pid names no
   * process and no group now. */
  result("killpg(reaped child's pid, SIGUSR1)", killpg(child, SIGUSR1));
  result("kill(-reaped child's pid, 0)", kill(-child, 0));
  result("killpg(-1, SIGUSR1)", killpg(-1, SIGUSR1));
  result("killpg(getpgrp(), 65)", killpg(getpgrp(), 65));
  result("kill(0, -1)", kill(0, -1));
  say("handler runs after the failed calls: SIGUSR1 %d\n", (int)runs[SIGUSR1]);
  return 0;
}
