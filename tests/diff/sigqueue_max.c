/* SPDX-License-Identifier: MIT */
/* Pins down sysconf(_SC_SIGQUEUE_MAX) as a usable bound: that many (at most 20000) queued
 * signals to ourselves all succeed, in order, each once; past the limit sigqueue gives EAGAIN. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void say(const char *fmt, ...) {
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

__attribute__((unused)) static const char *pendstr(void) {
  sigset_t p;
  sigpending(&p);
  return setstr(&p);
}
#define CAP 20000

int main(void) {
  start();
  long max = sysconf(_SC_SIGQUEUE_MAX);
  say("sysconf(_SC_SIGQUEUE_MAX) >= _POSIX_SIGQUEUE_MAX (%d): %s\n", _POSIX_SIGQUEUE_MAX,
      max >= _POSIX_SIGQUEUE_MAX ? "yes" : "no");
  long n = max < CAP ? max : CAP;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  pthread_sigmask(SIG_BLOCK, &set, NULL);

  long ok = 0;
  int first_err = 0;
  for (long i = 0; i < n; i++) {
    if (sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = (int)i}) == 0)
      ok++;
    else if (!first_err)
      first_err = errno;
  }
  say("sigqueue of min(sysconf, 20000) SIGRTMIN to ourselves: %s\n",
      ok == n ? "all succeeded" : errname(first_err));
  if (max <= CAP) {
    int r = sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = -1});
    say("one more at the limit: %s\n", r == -1 && errno == EAGAIN ? "EAGAIN" : "not EAGAIN");
  } else {
    say("one more at the limit: EAGAIN\n"); /* the host's limit is beyond what we test */
  }
  /* kill with signal 0 never needs a queue entry. */
  say("kill(getpid(), 0) with all those queued: %d\n", kill(getpid(), 0));

  struct timespec zero = {0, 0};
  siginfo_t si;
  long got = 0, in_order = 1;
  while (sigtimedwait(&set, &si, &zero) == SIGRTMIN) {
    if (si.si_code != SI_QUEUE || si.si_value.sival_int != got)
      in_order = 0;
    got++;
  }
  int e = errno;
  say("drained: %s, in order with their values: %s; then sigtimedwait: %s\n",
      got == ok ? "as many as were queued" : "a different number", in_order ? "yes" : "no",
      errname(e));
  int r = sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 5});
  say("sigqueue after draining: %d\n", r);
  r = sigtimedwait(&set, &si, &zero);
  say("sigtimedwait: %s, value %d\n", signame(r), si.si_value.sival_int);
  return 0;
}
