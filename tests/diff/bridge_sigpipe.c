/* SPDX-License-Identifier: MIT */
/* Native: write to a pipe without readers sends SIGPIPE (si_code SI_USER, from the writer
 * itself) to the writing thread: SIG_DFL kills, SIG_IGN/a handler/blocked give -1 EPIPE. */
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
#include <pthread.h>
#include <sys/socket.h>

static volatile sig_atomic_t hits, code, signo, from_self;
static volatile pid_t handler_tid;

static void on_pipe(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  hits = hits + 1;
  signo = sig;
  code = si->si_code;
  from_self = si->si_pid == getpid();
  handler_tid = gettid();
}

static const char *code_name(int c) {
  switch (c) {
  case SI_USER:
    return "SI_USER";
  case SI_KERNEL:
    return "SI_KERNEL";
  case SI_QUEUE:
    return "SI_QUEUE";
  case SI_TKILL:
    return "SI_TKILL";
  default:
    return "other";
  }
}

/* A pipe whose read end is closed. */
static int broken_pipe(void) {
  int p[2];
  if (pipe(p))
    die("pipe");
  close(p[0]);
  return p[1];
}

static void try_write(const char *what) {
  int fd = broken_pipe();
  hits = 0;
  errno = 0;
  ssize_t r = write(fd, "x", 1);
  int e = errno;
  say("%s: write returned %d %s; handler ran %d time(s)", what, (int)r,
      e == EPIPE ? "EPIPE" : strerror(e), (int)hits);
  if (hits)
    say(", si_signo %s, si_code %s, si_pid %s", signo == SIGPIPE ? "SIGPIPE" : "other",
        code_name(code), from_self ? "is the writer" : "is not the writer");
  say("\n");
  close(fd);
}

static void *writer(void *arg) {
  *(pid_t *)arg = gettid();
  try_write("handler, write from a second thread");
  return NULL;
}

int main(void) {
  watchdog();

  signal(SIGPIPE, SIG_IGN);
  try_write("SIG_IGN");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_pipe;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGPIPE, &sa, NULL);
  try_write("handler");

  pid_t tid = 0;
  pthread_t t;
  if (pthread_create(&t, NULL, writer, &tid))
    die("pthread_create");
  pthread_join(t, NULL);
  say("the handler ran on the writing thread: %s\n", handler_tid == tid ? "yes" : "no");

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
    die("socketpair");
  close(sv[1]);
  hits = 0;
  errno = 0;
  ssize_t r = send(sv[0], "x", 1, MSG_NOSIGNAL);
  say("send MSG_NOSIGNAL: returned %d %s; handler ran %d time(s)\n", (int)r,
      errno == EPIPE ? "EPIPE" : strerror(errno), (int)hits);
  r = send(sv[0], "x", 1, 0);
  say("send without MSG_NOSIGNAL: returned %d %s; handler ran %d time(s), si_code %s\n", (int)r,
      errno == EPIPE ? "EPIPE" : strerror(errno), (int)hits, code_name(code));
  close(sv[0]);

  /* Blocked: EPIPE at once, SIGPIPE pending on the thread until sigwaitinfo takes it. */
  sigset_t pipeset;
  sigemptyset(&pipeset);
  sigaddset(&pipeset, SIGPIPE);
  sigprocmask(SIG_BLOCK, &pipeset, NULL);
  try_write("blocked");
  sigset_t pend;
  sigpending(&pend);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  int s = sigwaitinfo(&pipeset, &si);
  say("blocked: pending %s; sigwaitinfo took %s with si_code %s, si_pid %s\n",
      sigismember(&pend, SIGPIPE) ? "yes" : "no", s == SIGPIPE ? "SIGPIPE" : "other",
      code_name(si.si_code), si.si_pid == getpid() ? "is the writer" : "is not the writer");
  sigprocmask(SIG_UNBLOCK, &pipeset, NULL);

  /* Default action, in a child: killed by SIGPIPE. */
  pid_t c = fork();
  if (c == 0) {
    signal(SIGPIPE, SIG_DFL);
    int fd = broken_pipe();
    if (write(fd, "x", 1) < 0)
      _exit(errno == EPIPE ? 2 : 3);
    _exit(4);
  }
  int st;
  if (waitpid(c, &st, 0) != c)
    die("waitpid");
  if (WIFSIGNALED(st))
    say("SIG_DFL: the writer was killed by %s\n",
        WTERMSIG(st) == SIGPIPE ? "SIGPIPE" : "another signal");
  else
    say("SIG_DFL: the writer exited %d\n", WEXITSTATUS(st));
  return 0;
}
