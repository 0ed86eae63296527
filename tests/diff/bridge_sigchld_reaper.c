/* SPDX-License-Identifier: MIT */
/* Native: a child's exit or death sends SIGCHLD to the parent with si_code CLD_EXITED/CLD_KILLED,
 * si_status the exit status or signal and si_pid the child; sigsuspend wakes, waitpid reaps. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Unbuffered output: nothing is duplicated by fork or lost by _exit. */
static void say(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 1)
    n = (int)sizeof buf - 1;
  if (n > 0 && write(1, buf, (size_t)n) < 0)
    _exit(98);
}

static void on_watchdog(int sig) {
  (void)sig;
  static const char m[] = "watchdog\n";
  if (write(1, m, sizeof m - 1) < 0)
    _exit(98);
  _exit(99);
}

static void watchdog(void) {
  signal(SIGALRM, on_watchdog);
  alarm(30);
}

__attribute__((unused)) static void die(const char *what) {
  say("FAIL %s: %s\n", what, strerror(errno));
  _exit(97);
}

static volatile sig_atomic_t hits, code, status;
static volatile pid_t from;

static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  code = si->si_code;
  status = si->si_status;
  from = si->si_pid;
  hits = hits + 1;
}

static const char *code_name(int c) {
  switch (c) {
  case CLD_EXITED:
    return "CLD_EXITED";
  case CLD_KILLED:
    return "CLD_KILLED";
  case CLD_DUMPED:
    return "CLD_DUMPED";
  default:
    return "other";
  }
}

int main(void) {
  watchdog();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, NULL);
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &old);

  /* One child at a time, so that no two SIGCHLDs merge: 7, 8, 9, then one killed by SIGTERM. */
  for (int i = 0; i < 4; i++) {
    int p[2];
    if (pipe(p))
      die("pipe");
    pid_t c = fork();
    if (c < 0)
      die("fork");
    if (c == 0) {
      char b;
      close(p[1]);
      signal(SIGTERM, SIG_DFL);
      sigprocmask(SIG_SETMASK, &old, NULL);
      if (read(p[0], &b, 1) != 1)
        _exit(2);
      if (b == 't')
        for (;;)
          pause();
      _exit(7 + i);
    }
    close(p[0]);
    hits = 0;
    if (write(p[1], i == 3 ? "t" : "x", 1) != 1)
      die("write");
    if (i == 3)
      kill(c, SIGTERM);
    while (!hits)
      sigsuspend(&old);
    int st;
    pid_t w = waitpid(c, &st, 0);
    say("SIGCHLD: %s, si_status %d, si_pid %s; waitpid reaped it: %s", code_name(code), status,
        from == c ? "is the child" : "is not the child", w == c ? "yes" : "no");
    if (WIFEXITED(st))
      say(", exit status %d\n", WEXITSTATUS(st));
    else
      say(", killed by signal %d\n", WTERMSIG(st));
    close(p[1]);
  }

  /* The classic reaper: three children exit at once; the handler may run once for all;
   * waitpid(-1, WNOHANG) in a sigsuspend loop reaps every one. */
  int sum = 0, reaped = 0;
  for (int i = 1; i <= 3; i++) {
    pid_t c = fork();
    if (c == 0)
      _exit(10 * i);
    if (c < 0)
      die("fork");
  }
  while (reaped < 3) {
    int st;
    pid_t w;
    while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
      reaped++;
      sum += WEXITSTATUS(st);
    }
    if (reaped < 3)
      sigsuspend(&old);
  }
  say("reaper loop: reaped %d children, exit statuses add up to %d; waitpid now: %s\n", reaped, sum,
      waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD ? "ECHILD" : "something");
  return 0;
}
