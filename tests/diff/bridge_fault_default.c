/* SPDX-License-Identifier: MIT */
/* Native: a fault whose signal is at SIG_DFL, or ignored, or blocked (even with a handler) kills
 * the process by that signal; so does a fault in any thread. */
/* diff-no-tsan: a forked child makes a thread; under vsig the parent always has vsig-bridge, and
 * ThreadSanitizer does not support new threads after a multi-threaded fork (it can take the
 * child's new thread, on a stack reused from a parent's thread, for that thread: "dup thread"). */
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
#include <pthread.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

static int *volatile null_ptr;
static volatile int zero;
static volatile int sink;

static void segv(void) { *null_ptr = 1; }
static void fpe(void) { sink = 7 / zero; }
static void ill(void) { __builtin_trap(); }
static void trap(void) { __asm__ __volatile__("int3"); }
static void bus(void) {
  char path[] = "/tmp/bridge_fault_default_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    _exit(2);
  unlink(path);
  long pg = sysconf(_SC_PAGESIZE);
  volatile char *m = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED)
    _exit(2);
  m[0] = 1; /* the file is empty */
}

static void never(int sig) {
  (void)sig;
  static const char m[] = "the handler of a blocked fault ran\n";
  if (write(1, m, sizeof m - 1) < 0)
    _exit(98);
}

static void *thread_fault(void *arg) {
  ((void (*)(void))arg)();
  return NULL;
}

static const char *name(int sig) {
  switch (sig) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGFPE:
    return "SIGFPE";
  case SIGILL:
    return "SIGILL";
  case SIGTRAP:
    return "SIGTRAP";
  case SIGBUS:
    return "SIGBUS";
  default:
    return "another signal";
  }
}

enum how { DFL, IGN, BLOCKED_HANDLER, IN_THREAD };

static void run(const char *what, int sig, void (*fn)(void), enum how how) {
  pid_t c = fork();
  if (c < 0)
    die("fork");
  if (c == 0) {
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    prctl(PR_SET_DUMPABLE, 0);
    if (how == IGN) {
      signal(sig, SIG_IGN);
    } else if (how == BLOCKED_HANDLER) {
      signal(sig, never);
      sigset_t s;
      sigemptyset(&s);
      sigaddset(&s, sig);
      sigprocmask(SIG_BLOCK, &s, NULL);
    }
    if (how == IN_THREAD) {
      pthread_t t;
      if (pthread_create(&t, NULL, thread_fault, (void *)fn))
        _exit(2);
      pthread_join(t, NULL);
    } else {
      fn();
    }
    _exit(0);
  }
  int st;
  if (waitpid(c, &st, 0) != c)
    die("waitpid");
  if (WIFSIGNALED(st))
    say("%s: killed by %s\n", what, name(WTERMSIG(st)));
  else
    say("%s: exited %d\n", what, WEXITSTATUS(st));
}

int main(void) {
  watchdog();
  run("NULL store, SIGSEGV at SIG_DFL", SIGSEGV, segv, DFL);
  run("7 / 0, SIGFPE at SIG_DFL", SIGFPE, fpe, DFL);
  run("__builtin_trap, SIGILL at SIG_DFL", SIGILL, ill, DFL);
  run("int3, SIGTRAP at SIG_DFL", SIGTRAP, trap, DFL);
  run("past the end of a mapped file, SIGBUS at SIG_DFL", SIGBUS, bus, DFL);
  run("NULL store, SIGSEGV at SIG_IGN", SIGSEGV, segv, IGN);
  run("7 / 0, SIGFPE at SIG_IGN", SIGFPE, fpe, IGN);
  run("NULL store, SIGSEGV blocked with a handler", SIGSEGV, segv, BLOCKED_HANDLER);
  run("__builtin_trap, SIGILL blocked with a handler", SIGILL, ill, BLOCKED_HANDLER);
  run("NULL store in a second thread, SIGSEGV at SIG_DFL", SIGSEGV, segv, IN_THREAD);
  return 0;
}
