/* SPDX-License-Identifier: MIT */
/*
 * What the differential programs share: unbuffered output that keeps errno,
 * signal and errno names that do not depend on numbering, the starting state
 * (empty mask, a 30 s watchdog) and sets printed by name. Static functions in
 * a header, so that each program still builds from its one source file.
 */
#ifndef DIFF_COMMON_H
#define DIFF_COMMON_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((unused)) static void say(const char *fmt, ...) {
  int saved = errno;
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof buf)
    n = (int)sizeof buf - 1;
  for (const char *p = buf; n > 0;) {
    ssize_t w = write(1, p, (size_t)n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break;
    p += w;
    n -= (int)w;
  }
  errno = saved;
}

/* "SIGUSR1", "SIGRTMIN+2": real-time signals relative to SIGRTMIN, never a number. */
__attribute__((unused)) static const char *signame(int sig) {
  static char bufs[8][32];
  static unsigned next;
  char *b = bufs[next++ % 8];
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    if (sig == SIGRTMAX)
      snprintf(b, sizeof bufs[0], "SIGRTMAX");
    else if (sig == SIGRTMIN)
      snprintf(b, sizeof bufs[0], "SIGRTMIN");
    else
      snprintf(b, sizeof bufs[0], "SIGRTMIN+%d", sig - SIGRTMIN);
  } else if (sig > 0 && sigabbrev_np(sig)) {
    snprintf(b, sizeof bufs[0], "SIG%s", sigabbrev_np(sig));
  } else {
    snprintf(b, sizeof bufs[0], "signal %d", sig);
  }
  return b;
}

__attribute__((unused)) static const char *errname(int e) {
  const char *s = e ? strerrorname_np(e) : "0";
  return s ? s : "unknown errno";
}

static void on_watchdog(int sig) {
  (void)sig;
  static const char m[] = "watchdog\n";
  ssize_t r = write(1, m, sizeof m - 1);
  (void)r;
  _exit(99);
}

/* Empty mask, default actions for what the program uses, and a 30 s watchdog. */
__attribute__((unused)) static void start(void) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_watchdog;
  sigaction(SIGALRM, &sa, NULL);
  alarm(30);
}
/* The members of SET among 1..31 and SIGRTMIN..SIGRTMAX, by name ("none" if empty). */
__attribute__((unused)) static const char *setstr(const sigset_t *set) {
  static char bufs[4][1024];
  static unsigned next;
  char *b = bufs[next++ % 4];
  size_t len = 0;
  b[0] = 0;
  int rt = 0;
  for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
    rt += sigismember(set, s) == 1;
  for (int s = 1; s <= SIGRTMAX; s++) {
    if (s >= 32 && s < SIGRTMIN)
      continue;
    if (s == SIGRTMIN && rt == SIGRTMAX - SIGRTMIN + 1) {
      len +=
          (size_t)snprintf(b + len, sizeof bufs[0] - len, "%sSIGRTMIN..SIGRTMAX", len ? " " : "");
      break;
    }
    if (sigismember(set, s) == 1)
      len += (size_t)snprintf(b + len, sizeof bufs[0] - len, "%s%s", len ? " " : "", signame(s));
  }
  return len ? b : "none";
}

__attribute__((unused)) static const char *maskstr(void) {
  sigset_t cur;
  pthread_sigmask(SIG_BLOCK, NULL, &cur);
  return setstr(&cur);
}

/* pthread_sigmask(how) of the one signal sig. */
__attribute__((unused)) static void block(int how, int sig) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  pthread_sigmask(how, &s, NULL);
}

__attribute__((unused)) static const char *pendstr(void) {
  sigset_t p;
  sigpending(&p);
  return setstr(&p);
}

#endif
