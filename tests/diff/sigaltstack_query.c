/* SPDX-License-Identifier: MIT */
/* Pins down sigaltstack: the initial SS_DISABLE, set and query, errors, and an SA_ONSTACK
 * handler for a raised signal that finds itself on the alternate stack (SS_ONSTACK). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff_common.h"
#define ALT_SIZE (256 * 1024)

static char *alt;
static volatile sig_atomic_t runs, on_alt, flags_inside, eperm_inside;

static const char *flagstr(int f) {
  static char b[64];
  snprintf(b, sizeof b, "%s%s%s%s", f == 0 ? "0" : "", f & SS_ONSTACK ? "SS_ONSTACK" : "",
           (f & SS_ONSTACK) && (f & SS_DISABLE) ? " " : "", f & SS_DISABLE ? "SS_DISABLE" : "");
  return b;
}

static void on_sig(int sig) {
  (void)sig;
  char local;
  uintptr_t p = (uintptr_t)&local;
  runs++;
  on_alt = p >= (uintptr_t)alt && p < (uintptr_t)alt + ALT_SIZE;
  stack_t cur;
  sigaltstack(NULL, &cur);
  flags_inside = cur.ss_flags;
  /* Changing the alternate stack while on it is EPERM. */
  stack_t other = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};
  eperm_inside = sigaltstack(&other, NULL) == -1 && errno == EPERM;
}

static void report(const char *what) {
  say("%s: handler runs %d, on the alternate stack: %s, ss_flags inside: %s", what, (int)runs,
      on_alt ? "yes" : "no", flagstr(flags_inside));
  say(", changing it inside: %s\n", eperm_inside ? "EPERM" : "allowed");
}

static void query(const char *what) {
  stack_t cur;
  int r = sigaltstack(NULL, &cur);
  say("%s: %d, ss_flags %s, ss_sp %s, ss_size %s\n", what, r, flagstr(cur.ss_flags),
      cur.ss_sp == alt && alt ? "ours"
      : cur.ss_sp == NULL     ? "NULL"
                              : "other",
      cur.ss_size == ALT_SIZE ? "ours"
      : cur.ss_size == 0      ? "0"
                              : "other");
}

static void *thread_query(void *arg) {
  (void)arg;
  query("a new thread's sigaltstack(NULL, &old)");
  return NULL;
}

int main(void) {
  start();
  query("sigaltstack(NULL, &old) at start");
  alt = malloc(ALT_SIZE);
  stack_t ss = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};
  stack_t old;
  int r = sigaltstack(&ss, &old);
  say("sigaltstack(set): %d, old ss_flags %s\n", r, flagstr(old.ss_flags));
  query("query");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sa.sa_flags = SA_ONSTACK;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_flags = 0;
  sigaction(SIGUSR2, &sa, NULL);
  struct sigaction back;
  sigaction(SIGUSR1, NULL, &back);
  say("SIGUSR1 sa_flags has SA_ONSTACK: %s\n", back.sa_flags & SA_ONSTACK ? "yes" : "no");

  raise(SIGUSR1);
  report("raise(SIGUSR1), SA_ONSTACK");
  query("query after the handler");
  raise(SIGUSR2);
  report("raise(SIGUSR2), no SA_ONSTACK");

  /* A new thread starts with no alternate stack. */
  pthread_t t;
  pthread_create(&t, NULL, thread_query, NULL);
  pthread_join(t, NULL);

  /* Errors. */
  /* (glibc's MINSIGSTKSZ is sysconf(_SC_MINSIGSTKSZ), above the kernel's 2048.) */
  stack_t small = {.ss_sp = alt, .ss_size = 1000, .ss_flags = 0};
  errno = 0;
  r = sigaltstack(&small, NULL);
  say("sigaltstack(size 1000): %d %s\n", r, errname(errno));
  stack_t badf = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 12345};
  r = sigaltstack(&badf, NULL);
  say("sigaltstack(ss_flags 12345): %d %s\n", r, errname(errno));
  query("query after the errors");

  stack_t dis = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
  r = sigaltstack(&dis, &old);
  say("sigaltstack(SS_DISABLE): %d, old ss_flags %s\n", r, flagstr(old.ss_flags));
  query("query after SS_DISABLE");
  raise(SIGUSR1);
  report("raise(SIGUSR1), SA_ONSTACK, stack disabled");
  return 0;
}
