/* SPDX-License-Identifier: MIT */
/* Native: a bad access raises SIGSEGV on the faulting thread with si_code SEGV_MAPERR (nothing
 * mapped) or SEGV_ACCERR (protection) and si_addr the address; the handler may longjmp or exit. */
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
#include <setjmp.h>
#include <sys/mman.h>

static sigjmp_buf env;
static volatile int mode; /* 0: siglongjmp out, 1: _exit(3) */
static volatile int signo, code;
static void *volatile addr;
static volatile pid_t handler_tid;

static void on_segv(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  signo = sig;
  code = si->si_code;
  addr = si->si_addr;
  handler_tid = gettid();
  if (mode == 1) {
    static const char m[] = "handler: SIGSEGV, SEGV_MAPERR, si_addr NULL: _exit(3)\n";
    if (sig == SIGSEGV && si->si_code == SEGV_MAPERR && si->si_addr == NULL &&
        write(1, m, sizeof m - 1) < 0)
      _exit(98);
    _exit(3);
  }
  siglongjmp(env, 1);
}

static const char *code_name(int c) {
  return c == SEGV_MAPERR ? "SEGV_MAPERR" : c == SEGV_ACCERR ? "SEGV_ACCERR" : "other";
}

static int *volatile null_ptr;

/* Stores through p; says what the handler saw. */
static void fault(const char *what, int *p) {
  signo = 0;
  if (sigsetjmp(env, 1) == 0) {
    *p = 1;
    say("%s: no fault\n", what);
    return;
  }
  say("%s: handler ran, si_signo %s, si_code %s, si_addr %s\n", what,
      signo == SIGSEGV ? "SIGSEGV" : "other", code_name(code),
      addr == (void *)p ? "is the address" : "is not the address");
}

static void *in_thread(void *arg) {
  *(pid_t *)arg = gettid();
  fault("NULL store in a second thread", null_ptr);
  return NULL;
}

int main(void) {
  watchdog();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);

  for (int i = 1; i <= 3; i++) {
    char what[32];
    snprintf(what, sizeof what, "NULL store %d", i);
    fault(what, null_ptr);
  }
  long pg = sysconf(_SC_PAGESIZE);
  int *ro = mmap(NULL, (size_t)pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (ro == MAP_FAILED)
    die("mmap");
  fault("store to a read-only page", ro + 2);

  pid_t tid = 0;
  pthread_t t;
  if (pthread_create(&t, NULL, in_thread, &tid))
    die("pthread_create");
  pthread_join(t, NULL);
  say("the handler ran on the faulting thread: %s\n", handler_tid == tid ? "yes" : "no");

  sigset_t cur;
  sigprocmask(SIG_SETMASK, NULL, &cur);
  say("after siglongjmp out of the handler, SIGSEGV is %s\n",
      sigismember(&cur, SIGSEGV) ? "blocked" : "unblocked");

  mode = 1;
  *null_ptr = 1;
  say("not reached\n");
  return 0;
}
