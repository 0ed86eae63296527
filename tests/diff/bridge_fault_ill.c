/* SPDX-License-Identifier: MIT */
/* Native (x86-64): ud2 (__builtin_trap) raises SIGILL with si_code ILL_ILLOPN and si_addr the
 * instruction; int3 raises SIGTRAP with si_code SI_KERNEL; handlers leave with siglongjmp. */
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

static sigjmp_buf env;
static volatile int signo, code;
static void *volatile addr;

static void on_fault(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  signo = sig;
  code = si->si_code;
  addr = si->si_addr;
  siglongjmp(env, 1);
}

/* A ud2 at a known address. */
__asm__(".text\n"
        ".globl bridge_ud2_at\n"
        ".type bridge_ud2_at, @function\n"
        "bridge_ud2_at:\n"
        "  ud2\n"
        "  ret\n"
        ".size bridge_ud2_at, .-bridge_ud2_at\n");
void bridge_ud2_at(void);

static void builtin_trap(void) { __builtin_trap(); }
static void int3(void) { __asm__ __volatile__("int3"); }

static const char *code_name(int sig, int c) {
  if (c == SI_KERNEL)
    return "SI_KERNEL";
  if (sig == SIGILL)
    return c == ILL_ILLOPN ? "ILL_ILLOPN" : c == ILL_ILLOPC ? "ILL_ILLOPC" : "other";
  if (sig == SIGTRAP)
    return c == TRAP_BRKPT ? "TRAP_BRKPT" : "other";
  return "other";
}

static void run(const char *what, void (*fn)(void), void *expect_addr) {
  signo = 0;
  if (sigsetjmp(env, 1) == 0) {
    fn();
    say("%s: no signal\n", what);
    return;
  }
  say("%s: handler ran, si_signo %s, si_code %s", what,
      signo == SIGILL    ? "SIGILL"
      : signo == SIGTRAP ? "SIGTRAP"
                         : "other",
      code_name(signo, code));
  if (expect_addr)
    say(", si_addr %s", addr == expect_addr ? "is the instruction" : "is not the instruction");
  say("\n");
}

int main(void) {
  watchdog();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGILL, &sa, NULL);
  sigaction(SIGTRAP, &sa, NULL);
  for (int i = 1; i <= 3; i++) {
    char what[40];
    snprintf(what, sizeof what, "__builtin_trap, time %d", i);
    run(what, builtin_trap, NULL);
  }
  run("ud2", bridge_ud2_at, (void *)bridge_ud2_at);
  run("int3", int3, NULL);
  return 0;
}
