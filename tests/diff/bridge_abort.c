/* SPDX-License-Identifier: MIT */
/* Native (glibc): abort() unblocks SIGABRT, runs its handler, then kills the process by SIGABRT
 * even if the handler returns or SIGABRT was ignored; only leaving the handler avoids it. */
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
#include <setjmp.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static sigjmp_buf env;
static volatile int jump;

static void on_abrt(int sig) {
  static const char m[] = "SIGABRT handler ran\n";
  if (sig == SIGABRT && write(1, m, sizeof m - 1) < 0)
    _exit(98);
  if (jump)
    siglongjmp(env, 1);
}

enum how { HANDLER, BLOCKED_HANDLER, IGNORED, LONGJMP };

static void run(const char *what, enum how how) {
  say("%s:\n", what);
  pid_t c = fork();
  if (c < 0)
    die("fork");
  if (c == 0) {
    if (how == IGNORED) {
      signal(SIGABRT, SIG_IGN);
    } else {
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = on_abrt;
      sigemptyset(&sa.sa_mask);
      sigaction(SIGABRT, &sa, NULL);
    }
    if (how == BLOCKED_HANDLER) {
      sigset_t s;
      sigemptyset(&s);
      sigaddset(&s, SIGABRT);
      sigprocmask(SIG_BLOCK, &s, NULL);
    }
    if (how == LONGJMP) {
      jump = 1;
      if (sigsetjmp(env, 1)) {
        say("left abort() by siglongjmp from the handler\n");
        _exit(0);
      }
    }
    abort();
  }
  int st;
  if (waitpid(c, &st, 0) != c)
    die("waitpid");
  if (WIFSIGNALED(st))
    say("  killed by %s\n", WTERMSIG(st) == SIGABRT ? "SIGABRT" : "another signal");
  else
    say("  exited %d\n", WEXITSTATUS(st));
}

int main(void) {
  watchdog();
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  prctl(PR_SET_DUMPABLE, 0);
  run("handler that returns", HANDLER);
  run("handler, SIGABRT blocked", BLOCKED_HANDLER);
  run("SIGABRT ignored", IGNORED);
  run("handler that siglongjmps out", LONGJMP);
  say("this process: handler that returns, then abort()\n");
  signal(SIGABRT, on_abrt);
  abort();
}
