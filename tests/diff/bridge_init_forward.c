/* SPDX-License-Identifier: MIT */
/* Native: an init-like process whose SIGTERM handler forwards SIGTERM to its worker: an outside
 * SIGTERM while it waits in waitpid (SA_RESTART) kills the worker, which init reaps; exit 0. */
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

/* The state letter of a host thread, from /proc/<pid>/task/<tid>/stat. */
static char task_state(pid_t pid, pid_t tid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return '?';
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return '?';
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p && p[1] == ' ' ? p[2] : '?';
}

/* Polls until the thread is in that state: 'S' once it sleeps in a call. */
static void wait_task_state(pid_t pid, pid_t tid, char want) {
  while (task_state(pid, tid) != want) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
}

static volatile pid_t worker;
static volatile sig_atomic_t forwarded;

static void on_term(int sig) { forwarded = kill(worker, sig) == 0; }

int main(void) {
  watchdog();
  int ready[2];
  if (pipe(ready))
    die("pipe");
  worker = fork();
  if (worker < 0)
    die("fork");
  if (worker == 0) { /* default SIGTERM; says when it is about to block */
    close(ready[0]);
    int idle[2];
    if (pipe(idle) || write(ready[1], "w", 1) != 1)
      _exit(2);
    char b;
    if (read(idle[0], &b, 1) < 0)
      _exit(3);
    _exit(4);
  }
  close(ready[1]);
  char b;
  if (read(ready[0], &b, 1) != 1)
    die("read");
  close(ready[0]);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);

  int go[2];
  if (pipe(go))
    die("pipe");
  pid_t sender = fork();
  if (sender < 0)
    die("fork");
  if (sender == 0) { /* the outside: kill -TERM <init> once init sleeps in waitpid */
    close(go[1]);
    if (read(go[0], &b, 1) != 1)
      _exit(2);
    pid_t init = getppid();
    wait_task_state(init, init, 'S');
    _exit(kill(init, SIGTERM) ? 3 : 0);
  }
  close(go[0]);
  if (write(go[1], "g", 1) != 1)
    die("write");
  int st;
  pid_t r = waitpid(worker, &st, 0);
  say("init: waitpid returned %s; SIGTERM forwarded: %s\n",
      r == worker ? "the worker" : "something else", forwarded ? "yes" : "no");
  if (WIFSIGNALED(st))
    say("init: the worker was killed by signal %d\n", WTERMSIG(st));
  else
    say("init: the worker exited %d\n", WEXITSTATUS(st));
  if (waitpid(sender, &st, 0) != sender)
    die("waitpid");
  say("init: the sender exited %d\n", WEXITSTATUS(st));
  say("init: exit 0\n");
  return 0;
}
