/* SPDX-License-Identifier: MIT */
/* Native: an alarm() handler that SIGKILLs the awaited child: with SA_RESTART wait() restarts
 * and returns the child killed by signal 9; without it wait() fails with EINTR first. */
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

__attribute__((unused)) static void watchdog(void) {
  signal(SIGALRM, on_watchdog);
  alarm(30);
}

__attribute__((unused)) static void die(const char *what) {
  say("FAIL %s: %s\n", what, strerror(errno));
  _exit(97);
}
#include <poll.h>

/* The watchdog lives outside (this program tests alarm itself): a grandchild that kills the
 * program after 30 s, unless the pipe's write end closes first because the program ended. */
static void outside_watchdog(void) {
  int p[2];
  if (pipe(p))
    die("pipe");
  pid_t me = getpid();
  pid_t c = fork();
  if (c < 0)
    die("fork");
  if (c == 0) {
    if (fork() != 0)
      _exit(0);
    close(p[1]);
    struct pollfd pf = {p[0], POLLIN, 0};
    if (poll(&pf, 1, 30000) == 0) {
      say("watchdog\n");
      kill(me, SIGKILL);
    }
    _exit(0);
  }
  close(p[0]);
  fcntl(p[1], F_SETFD, FD_CLOEXEC);
  if (waitpid(c, NULL, 0) != c)
    die("waitpid");
}

static volatile pid_t child;
static volatile sig_atomic_t fired;

static void on_alrm(int sig) {
  (void)sig;
  fired = 1;
  kill(child, SIGKILL);
}

static pid_t start_child(void) {
  pid_t c = fork();
  if (c < 0)
    die("fork");
  if (c == 0)
    for (;;)
      pause();
  return c;
}

static void print_status(const char *what, int st) {
  if (WIFSIGNALED(st))
    say("%s: the child was killed by signal %d\n", what, WTERMSIG(st));
  else
    say("%s: the child exited %d\n", what, WEXITSTATUS(st));
}

int main(void) {
  outside_watchdog();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alrm;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);

  child = start_child();
  fired = 0;
  alarm(1);
  int st;
  pid_t r = wait(&st);
  say("SA_RESTART: wait returned %s after the handler ran: %s\n",
      r == child ? "the child" : "something else", fired ? "yes" : "no");
  print_status("SA_RESTART", st);

  sa.sa_flags = 0;
  sigaction(SIGALRM, &sa, NULL);
  for (;;) { /* an alarm due before wait() blocked proves nothing: try again */
    child = start_child();
    fired = 0;
    alarm(1);
    r = wait(&st);
    if (r == child)
      continue;
    say("no SA_RESTART: wait returned %d %s, the handler ran: %s\n", (int)r,
        r < 0 && errno == EINTR ? "EINTR" : strerror(errno), fired ? "yes" : "no");
    r = wait(&st);
    say("no SA_RESTART: wait again returned %s\n", r == child ? "the child" : "something else");
    print_status("no SA_RESTART", st);
    break;
  }
  say("no more children: %s\n", wait(NULL) < 0 && errno == ECHILD ? "ECHILD" : "something");
  return 0;
}
