/* SPDX-License-Identifier: MIT */
/* Native: a SIGTERM sent from outside (a shell's kill, a child's kill()) runs the
 * handler in the receiving process, which goes on and exits 0; without a handler it kills. */
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

static void die(const char *what) {
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

static volatile sig_atomic_t got;
static void on_term(int sig) { got = sig; }

static void reap(pid_t pid, const char *who) {
  int st;
  if (waitpid(pid, &st, 0) != pid)
    die("waitpid");
  if (WIFEXITED(st))
    say("%s exited %d\n", who, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    say("%s killed by signal %d\n", who, WTERMSIG(st));
}

int main(void) {
  watchdog();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigset_t term, old;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  sigprocmask(SIG_BLOCK, &term, &old);

  /* 1. A shell: `kill -TERM $PPID` once the program says it is ready. */
  int p[2];
  if (pipe(p))
    die("pipe");
  pid_t c = fork();
  if (c == 0) {
    dup2(p[0], 0);
    close(p[0]);
    close(p[1]);
    sigprocmask(SIG_SETMASK, &old, NULL);
    execl("/bin/sh", "sh", "-c", "read go && kill -TERM $PPID", (char *)0);
    _exit(127);
  }
  close(p[0]);
  if (write(p[1], "go\n", 3) != 3)
    die("write");
  close(p[1]);
  while (!got)
    sigsuspend(&old);
  say("sh kill -TERM $PPID: handler ran for signal %d\n", got);
  reap(c, "shell");

  /* 2. A child's kill(getppid(), SIGTERM) while the program sleeps in sigsuspend. */
  got = 0;
  if (pipe(p))
    die("pipe");
  c = fork();
  if (c == 0) {
    char b;
    close(p[1]);
    if (read(p[0], &b, 1) != 1)
      _exit(2);
    wait_task_state(getppid(), getppid(), 'S');
    _exit(kill(getppid(), SIGTERM) ? 3 : 0);
  }
  close(p[0]);
  if (write(p[1], "g", 1) != 1)
    die("write");
  while (!got)
    sigsuspend(&old);
  say("kill(getppid(), SIGTERM): handler ran for signal %d\n", got);
  reap(c, "sender");
  close(p[1]);

  /* 3. Default action: a child that waits in pause() is killed by the shell's SIGTERM. */
  c = fork();
  if (c == 0) { /* SIGTERM is blocked until SIG_DFL is back: an early one stays pending */
    signal(SIGTERM, SIG_DFL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    for (;;)
      pause();
  }
  char cmd[64];
  snprintf(cmd, sizeof cmd, "kill -TERM %d", (int)c);
  pid_t sh = fork();
  if (sh == 0) {
    execl("/bin/sh", "sh", "-c", cmd, (char *)0);
    _exit(127);
  }
  reap(sh, "shell");
  reap(c, "child with SIG_DFL");

  say("exit 0\n");
  return 0;
}
