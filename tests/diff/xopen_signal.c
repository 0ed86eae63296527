/* SPDX-License-Identifier: MIT */
/* Pins down an XSI program (_XOPEN_SOURCE 600, strict C11): signal is glibc's __sysv_signal,
 * bsd_signal the BSD one, sigpause(sig) __xpg_sigpause, sigset/sighold/sigrelse available. */
/* diff-cflags: -std=c11 -U_GNU_SOURCE */
#define _XOPEN_SOURCE 600
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static volatile sig_atomic_t runs;
static void on_sig(int sig) {
  (void)sig;
  runs++;
}

static const char *sname(int sig) {
  return sig == SIGUSR1   ? "SIGUSR1"
         : sig == SIGUSR2 ? "SIGUSR2"
         : sig == SIGHUP  ? "SIGHUP"
                          : "other";
}

static void show(int sig) {
  struct sigaction old;
  sigaction(sig, NULL, &old);
  printf("  %s: %s, SA_RESETHAND %s, SA_NODEFER %s, SA_RESTART %s\n", sname(sig),
         old.sa_handler == SIG_DFL  ? "SIG_DFL"
         : old.sa_handler == on_sig ? "on_sig"
                                    : "other",
         old.sa_flags & SA_RESETHAND ? "yes" : "no", old.sa_flags & SA_NODEFER ? "yes" : "no",
         old.sa_flags & SA_RESTART ? "yes" : "no");
  fflush(stdout);
}

static void on_watchdog(int sig) {
  (void)sig;
  static const char m[] = "watchdog\n";
  ssize_t r = write(1, m, sizeof m - 1);
  (void)r;
  _exit(99);
}

static void watchdog(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_watchdog;
  sigaction(SIGALRM, &sa, NULL);
  alarm(30);
}

int main(void) {
  watchdog();
  printf("signal(SIGUSR1, on_sig): %s\n", signal(SIGUSR1, on_sig) == SIG_DFL ? "was SIG_DFL" : "?");
  show(SIGUSR1);
  raise(SIGUSR1);
  printf("after one raise: handler runs %d\n", (int)runs);
  show(SIGUSR1);

  printf("bsd_signal(SIGUSR2, on_sig): %s\n",
         bsd_signal(SIGUSR2, on_sig) == SIG_DFL ? "was SIG_DFL" : "?");
  show(SIGUSR2);
  raise(SIGUSR2);
  raise(SIGUSR2);
  printf("after two raises: handler runs %d\n", (int)runs);
  show(SIGUSR2);

  printf("sigset(SIGHUP, on_sig): %s\n", sigset(SIGHUP, on_sig) == SIG_DFL ? "was SIG_DFL" : "?");
  printf("sighold(SIGHUP): %d\n", sighold(SIGHUP));
  raise(SIGHUP);
  printf("raised while held: handler runs %d\n", (int)runs);
  int r = sigpause(SIGHUP);
  printf("sigpause(SIGHUP): %d %s, handler runs %d\n", r, errno == EINTR ? "EINTR" : "?",
         (int)runs);
  sigset_t cur;
  sigprocmask(SIG_BLOCK, NULL, &cur);
  printf("SIGHUP still held after sigpause: %s\n", sigismember(&cur, SIGHUP) ? "yes" : "no");
  printf("sigrelse(SIGHUP): %d\n", sigrelse(SIGHUP));
  sigprocmask(SIG_BLOCK, NULL, &cur);
  printf("SIGHUP held now: %s\n", sigismember(&cur, SIGHUP) ? "yes" : "no");
  return 0;
}
