/* SPDX-License-Identifier: MIT */
/* Pins down glibc's System V signal calls sighold, sigrelse and sigignore: they
 * change the calling thread's mask and disposition exactly as sigprocmask/sigaction. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#include "diff_common.h"
static volatile sig_atomic_t usr1_runs;
static void on_usr1(int sig) {
  (void)sig;
  usr1_runs++;
}

static const char *disp(int sig) {
  struct sigaction old;
  if (sigaction(sig, NULL, &old) != 0)
    return errname(errno);
  if (old.sa_handler == SIG_DFL)
    return "SIG_DFL";
  if (old.sa_handler == SIG_IGN)
    return "SIG_IGN";
  return old.sa_handler == on_usr1 ? "on_usr1" : "another handler";
}

static void result(const char *what, int r) {
  if (r == 0)
    say("%s: 0\n", what);
  else
    say("%s: %d %s\n", what, r, errname(errno));
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_handler = SIG_DFL;
  sigaction(SIGUSR2, &sa, NULL);

  result("sighold(SIGUSR1)", sighold(SIGUSR1));
  say("mask after sighold: %s\n", maskstr());
  raise(SIGUSR1);
  say("handler runs after raise while held: %d\n", (int)usr1_runs);
  say("sigpending after sighold: %s\n", pendstr());
  result("sighold(SIGUSR1) again", sighold(SIGUSR1));
  say("mask: %s\n", maskstr());
  result("sigrelse(SIGUSR1)", sigrelse(SIGUSR1));
  say("handler runs after sigrelse: %d\n", (int)usr1_runs);
  say("mask after sigrelse: %s\n", maskstr());
  say("sigpending after sigrelse: %s\n", pendstr());
  result("sigrelse(SIGUSR1) again", sigrelse(SIGUSR1));

  result("sighold(SIGRTMIN+1)", sighold(SIGRTMIN + 1));
  result("sighold(SIGHUP)", sighold(SIGHUP));
  say("mask: %s\n", maskstr());
  result("sigrelse(SIGRTMIN+1)", sigrelse(SIGRTMIN + 1));
  result("sigrelse(SIGHUP)", sigrelse(SIGHUP));
  say("mask: %s\n", maskstr());

  /* Blocking SIGKILL/SIGSTOP is silently ignored; invalid numbers fail. */
  result("sighold(SIGKILL)", sighold(SIGKILL));
  result("sighold(SIGSTOP)", sighold(SIGSTOP));
  say("mask: %s\n", maskstr());
  result("sighold(0)", sighold(0));
  result("sighold(65)", sighold(65));
  result("sigrelse(-1)", sigrelse(-1));
  result("sigrelse(65)", sigrelse(65));

  /* sigignore: SIG_IGN, which also discards a pending instance. */
  say("SIGUSR2 disposition: %s\n", disp(SIGUSR2));
  sighold(SIGUSR2);
  raise(SIGUSR2);
  say("sigpending with SIGUSR2 held: %s\n", pendstr());
  result("sigignore(SIGUSR2)", sigignore(SIGUSR2));
  say("SIGUSR2 disposition after sigignore: %s\n", disp(SIGUSR2));
  say("sigpending after sigignore: %s\n", pendstr());
  say("mask after sigignore (sigignore does not unblock): %s\n", maskstr());
  sigrelse(SIGUSR2);
  raise(SIGUSR2);
  say("raise(SIGUSR2) while ignored: still alive\n");
  result("sigignore(SIGKILL)", sigignore(SIGKILL));
  result("sigignore(SIGSTOP)", sigignore(SIGSTOP));
  result("sigignore(0)", sigignore(0));
  result("sigignore(65)", sigignore(65));
  say("SIGUSR1 disposition: %s\n", disp(SIGUSR1));
  result("sigignore(SIGUSR1)", sigignore(SIGUSR1));
  say("SIGUSR1 disposition after sigignore: %s\n", disp(SIGUSR1));
  raise(SIGUSR1);
  say("handler runs after raise while ignored: %d\n", (int)usr1_runs);
  return 0;
}
