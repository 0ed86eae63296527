/* SPDX-License-Identifier: MIT */
/* Native: with SIGCHLD at SIG_IGN, or SA_NOCLDWAIT, children are reaped by the kernel: no zombie,
 * wait blocks until they are gone and fails with ECHILD; with SA_NOCLDWAIT the handler still runs.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
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

__attribute__((unused)) static void watchdog(void) {
  signal(SIGALRM, on_watchdog);
  alarm(30);
}

__attribute__((unused)) static void die(const char *what) {
  say("FAIL %s: %s\n", what, strerror(errno));
  _exit(97);
}

static volatile sig_atomic_t hits;
static void on_chld(int sig) {
  (void)sig;
  hits = hits + 1;
}

static int exists(pid_t pid) {
  char path[32];
  snprintf(path, sizeof path, "/proc/%d", (int)pid);
  return access(path, F_OK) == 0;
}

/* A child that exits once told to; then wait() and waitpid() on it. An
 * autoreaped child vanishes from /proc a moment after wait() stops counting
 * it, and a SIGCHLD handler may run a moment after wait() returns (the signal
 * reaches the process, not the waiting thread): both are given a second. */
static void run(const char *what, bool handler) {
  int go[2];
  if (pipe(go))
    die("pipe");
  hits = 0;
  pid_t c = fork();
  if (c < 0)
    die("fork");
  if (c == 0) {
    char b;
    close(go[1]);
    _exit(read(go[0], &b, 1) == 1 ? 5 : 6);
  }
  close(go[0]);
  if (write(go[1], "g", 1) != 1)
    die("write");
  close(go[1]);
  int st;
  errno = 0;
  pid_t r = wait(&st);
  int e = errno;
  say("%s: wait returned %d%s; ", what, (int)r, r < 0 && e == ECHILD ? " ECHILD" : "");
  errno = 0;
  r = waitpid(c, &st, 0);
  e = errno;
  for (int i = 0; i < 1000 && (exists(c) || (handler && hits == 0)); i++) {
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
  int zombie = exists(c);
  say("waitpid(child) returned %d%s; zombie left: %s; handler ran %d time(s)\n", (int)r,
      r < 0 && e == ECHILD ? " ECHILD" : "", zombie ? "yes" : "no", (int)hits);
}

int main(void) {
  watchdog();
  signal(SIGCHLD, SIG_IGN);
  run("SIGCHLD at SIG_IGN", false);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sa.sa_flags = SA_NOCLDWAIT;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, NULL);
  run("SIG_DFL with SA_NOCLDWAIT", false);

  sa.sa_handler = on_chld;
  sa.sa_flags = SA_NOCLDWAIT | SA_RESTART;
  sigaction(SIGCHLD, &sa, NULL);
  run("a handler with SA_NOCLDWAIT | SA_RESTART", true);

  sa.sa_flags = 0;
  sa.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &sa, NULL);
  pid_t c = fork();
  if (c == 0)
    _exit(5);
  int st;
  pid_t r = wait(&st);
  say("plain SIG_DFL: wait returned the child: %s, exit status %d\n", r == c ? "yes" : "no",
      WEXITSTATUS(st));
  return 0;
}
