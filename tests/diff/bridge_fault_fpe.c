/* SPDX-License-Identifier: MIT */
/* Native (x86-64): integer division by zero, and INT_MIN / -1, raise SIGFPE with si_code
 * FPE_INTDIV on the dividing thread; siglongjmp leaves the handler, any number of times. */
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
#include <limits.h>
#include <setjmp.h>

static sigjmp_buf env;
static volatile int signo, code, hits;

static void on_fpe(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  signo = sig;
  code = si->si_code;
  hits = hits + 1;
  siglongjmp(env, 1);
}

static volatile int zero = 0, minus_one = -1, int_min = INT_MIN;
static volatile int sink;

static void divide(const char *what, int a, int b) {
  signo = 0;
  if (sigsetjmp(env, 1) == 0) {
    sink = a / b;
    say("%s: no fault\n", what);
    return;
  }
  say("%s: handler ran, si_signo %s, si_code %s\n", what, signo == SIGFPE ? "SIGFPE" : "other",
      code == FPE_INTDIV   ? "FPE_INTDIV"
      : code == FPE_INTOVF ? "FPE_INTOVF"
                           : "other");
}

int main(void) {
  watchdog();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fpe;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGFPE, &sa, NULL);
  for (int i = 1; i <= 3; i++) {
    char what[32];
    snprintf(what, sizeof what, "7 / 0, time %d", i);
    divide(what, 7, zero);
  }
  divide("INT_MIN / -1", int_min, minus_one);
  divide("7 / -1", 7, minus_one);
  say("the handler ran %d times\n", hits);
  return 0;
}
