/* SPDX-License-Identifier: MIT */
/* Native: SIGALRM from alarm() interrupts a thread spinning in its own code (no system call)
 * and runs the handler there; a thread that blocks SIGALRM leaves it to the spinning one. */
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
#include <pthread.h>

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

static volatile sig_atomic_t stop;
static volatile unsigned long counter;
static volatile pid_t handler_tid;

static void on_alrm(int sig) {
  (void)sig;
  handler_tid = gettid();
  stop = 1;
}

static void *spin(void *arg) {
  *(volatile pid_t *)arg = gettid();
  while (!stop)
    counter++;
  return NULL;
}

int main(void) {
  outside_watchdog();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alrm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);

  alarm(1);
  while (!stop)
    counter++;
  say("main thread spinning: stopped by the alarm handler, on this thread: %s\n",
      handler_tid == gettid() ? "yes" : "no");

  /* The main thread blocks SIGALRM and waits in pthread_join: only the spinner can take it. */
  stop = 0;
  volatile pid_t tid = 0;
  pthread_t t;
  if (pthread_create(&t, NULL, spin, (void *)&tid))
    die("pthread_create");
  sigset_t alrm;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  sigprocmask(SIG_BLOCK, &alrm, NULL);
  alarm(1);
  pthread_join(t, NULL);
  say("second thread spinning: stopped by the alarm handler, on that thread: %s\n",
      handler_tid == tid ? "yes" : "no");
  say("stopped\n");
  return 0;
}
