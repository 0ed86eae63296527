/* SPDX-License-Identifier: MIT */
/* Native: touching a page of a shared file mapping beyond the file's end raises SIGBUS with
 * si_code BUS_ADRERR and si_addr the address; pages still inside the file work. */
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
#include <setjmp.h>
#include <sys/mman.h>

static sigjmp_buf env;
static volatile int signo, code;
static void *volatile addr;

static void on_bus(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  signo = sig;
  code = si->si_code;
  addr = si->si_addr;
  siglongjmp(env, 1);
}

static void touch(const char *what, volatile char *p) {
  signo = 0;
  if (sigsetjmp(env, 1) == 0) {
    *p = 1;
    say("%s: no fault, reads back %d\n", what, *p);
    return;
  }
  say("%s: handler ran, si_signo %s, si_code %s, si_addr %s\n", what,
      signo == SIGBUS ? "SIGBUS" : "other", code == BUS_ADRERR ? "BUS_ADRERR" : "other",
      addr == (void *)p ? "is the address" : "is not the address");
}

int main(void) {
  watchdog();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_bus;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGBUS, &sa, NULL);

  char path[] = "/tmp/bridge_fault_bus_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    die("mkstemp");
  unlink(path);
  long pg = sysconf(_SC_PAGESIZE);
  if (ftruncate(fd, 2 * pg))
    die("ftruncate");
  char *m = mmap(NULL, (size_t)(2 * pg), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (m == MAP_FAILED)
    die("mmap");
  touch("page 2 before the truncation", m + pg + 16);
  if (ftruncate(fd, pg))
    die("ftruncate");
  say("file truncated to one page\n");
  touch("page 1", m + 16);
  for (int i = 1; i <= 3; i++) {
    char what[32];
    snprintf(what, sizeof what, "page 2, time %d", i);
    touch(what, m + pg + 16);
  }
  return 0;
}
