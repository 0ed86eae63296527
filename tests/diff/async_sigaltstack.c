/* SPDX-License-Identifier: MIT */
/* Native: an SA_ONSTACK handler runs on the thread's sigaltstack (sigaltstack reports SS_ONSTACK
 * inside it), whoever sent the signal; a stack overflow's SIGSEGV is caught there. */
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
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>

#define ALT_SIZE (64 * 1024)

static _Thread_local char *alt_lo, *alt_hi;
static _Thread_local volatile int on_alt, reports_onstack, ran;

static void check_stack(void) {
  volatile char here;
  on_alt = (char *)&here >= alt_lo && (char *)&here < alt_hi;
  stack_t cur;
  reports_onstack = sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_ONSTACK);
  ran = 1;
}

static void on_usr1(int sig) {
  (void)sig;
  check_stack();
}

static void set_altstack(void) {
  stack_t ss;
  ss.ss_sp = malloc(ALT_SIZE);
  ss.ss_size = ALT_SIZE;
  ss.ss_flags = 0;
  if (!ss.ss_sp || sigaltstack(&ss, NULL))
    die("sigaltstack");
  alt_lo = ss.ss_sp;
  alt_hi = alt_lo + ALT_SIZE;
}

static void report(const char *what) {
  say("%s: handler ran: %s; on the alternate stack: %s; sigaltstack says SS_ONSTACK: %s\n", what,
      ran ? "yes" : "no", on_alt ? "yes" : "no", reports_onstack ? "yes" : "no");
  ran = on_alt = reports_onstack = 0;
}

static void handle_usr1(int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
}

/* A thread spinning in its own code with its own alternate stack. */
static atomic_int spin_ready;
static char spin_result[160];

static void *spinner(void *arg) {
  (void)arg;
  set_altstack();
  sigset_t usr;
  sigemptyset(&usr);
  sigaddset(&usr, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &usr, NULL);
  atomic_store(&spin_ready, 1);
  while (!ran)
    ;
  snprintf(spin_result, sizeof spin_result, "on the alternate stack: %s; SS_ONSTACK: %s",
           on_alt ? "yes" : "no", reports_onstack ? "yes" : "no");
  return NULL;
}

/* Stack overflow in a thread with a small stack. */
static _Thread_local sigjmp_buf overflow_env;
static _Thread_local volatile int segv_on_alt, segv_code;
static volatile unsigned long depth_limit = ~0UL;

static void on_segv(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  volatile char here;
  segv_on_alt = (char *)&here >= alt_lo && (char *)&here < alt_hi;
  segv_code = si->si_code;
  siglongjmp(overflow_env, 1);
}

static int recurse(unsigned long d) {
  volatile char buf[256];
  buf[0] = (char)d;
  buf[255] = (char)d;
  if (d < depth_limit)
    return recurse(d + 1) + buf[0];
  return buf[255];
}

static void *overflow(void *arg) {
  (void)arg;
  set_altstack();
  if (sigsetjmp(overflow_env, 1) == 0) {
    say("overflow: recursing\n");
    recurse(0);
    say("overflow: the recursion ended\n");
  } else {
    say("overflow: SIGSEGV caught, si_code %s, handler on the alternate stack: %s; left it by "
        "siglongjmp\n",
        segv_code == SEGV_ACCERR   ? "SEGV_ACCERR"
        : segv_code == SEGV_MAPERR ? "SEGV_MAPERR"
                                   : "other",
        segv_on_alt ? "yes" : "no");
  }
  return NULL;
}

int main(void) {
  watchdog();
  set_altstack();
  stack_t cur;
  sigaltstack(NULL, &cur);
  say("outside a handler: SS_ONSTACK: %s, SS_DISABLE: %s\n",
      cur.ss_flags & SS_ONSTACK ? "yes" : "no", cur.ss_flags & SS_DISABLE ? "yes" : "no");

  handle_usr1(SA_ONSTACK);
  raise(SIGUSR1);
  report("raise, SA_ONSTACK");
  handle_usr1(0);
  raise(SIGUSR1);
  report("raise, no SA_ONSTACK");

  /* From another process, while this thread waits in sigsuspend. */
  handle_usr1(SA_ONSTACK);
  sigset_t usr, old;
  sigemptyset(&usr);
  sigaddset(&usr, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr, &old);
  pid_t c = fork();
  if (c < 0)
    die("fork");
  if (c == 0)
    _exit(kill(getppid(), SIGUSR1) ? 2 : 0);
  while (!ran)
    sigsuspend(&old);
  waitpid(c, NULL, 0);
  report("kill from another process, SA_ONSTACK");

  /* pthread_kill to a thread spinning in its own code (this thread keeps SIGUSR1 blocked). */
  pthread_t t;
  if (pthread_create(&t, NULL, spinner, NULL))
    die("pthread_create");
  while (!atomic_load(&spin_ready))
    sched_yield();
  pthread_kill(t, SIGUSR1);
  pthread_join(t, NULL);
  say("pthread_kill to a spinning thread, SA_ONSTACK: %s\n", spin_result);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, NULL);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_attr_setguardsize(&attr, 64 * 1024);
  if (pthread_create(&t, &attr, overflow, NULL))
    die("pthread_create");
  pthread_join(t, NULL);
  return 0;
}
