/* SPDX-License-Identifier: MIT */
/* Pins down the GNU set operations sigisemptyset, sigandset, sigorset (and the POSIX ones),
 * and sigwait on sets built with them: lowest-numbered pending member first. */
#include <errno.h>
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
static void mk(sigset_t *s, int a, int b) {
  sigemptyset(s);
  if (a)
    sigaddset(s, a);
  if (b)
    sigaddset(s, b);
}

int main(void) {
  start();
  sigset_t a, b, c, d, e;
  mk(&a, SIGUSR2, SIGHUP);
  mk(&b, SIGRTMIN, SIGHUP);
  say("a = %s; b = %s\n", setstr(&a), setstr(&b));
  int r = sigorset(&c, &a, &b);
  say("sigorset(c, a, b): %d, c = %s\n", r, setstr(&c));
  r = sigandset(&d, &a, &b);
  say("sigandset(d, a, b): %d, d = %s\n", r, setstr(&d));
  mk(&e, 0, 0);
  say("sigisemptyset: a %d, d %d, empty %d\n", sigisemptyset(&a), sigisemptyset(&d),
      sigisemptyset(&e));
  sigset_t rt;
  mk(&rt, SIGRTMIN, 0);
  sigandset(&e, &a, &rt);
  say("a and {SIGRTMIN} = %s, sigisemptyset %d\n", setstr(&e), sigisemptyset(&e));
  sigfillset(&e);
  say("sigisemptyset(filled): %d, SIGKILL member of filled: %d\n", sigisemptyset(&e),
      sigismember(&e, SIGKILL));
  sigdelset(&c, SIGHUP);
  say("c without SIGHUP: %s\n", setstr(&c));
  say("sigismember(c, SIGUSR2) %d, sigismember(c, SIGHUP) %d\n", sigismember(&c, SIGUSR2),
      sigismember(&c, SIGHUP));
  r = sigismember(&c, 65);
  say("sigismember(c, 65): %d %s\n", r, errname(errno));
  r = sigaddset(&c, 0);
  say("sigaddset(c, 0): %d %s\n", r, errname(errno));
  r = sigdelset(&c, 65);
  say("sigdelset(c, 65): %d %s\n", r, errname(errno));

  /* Block and raise three signals; wait for them through the sets above. */
  sigset_t all;
  sigorset(&all, &c, &(sigset_t){0});
  sigaddset(&all, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  raise(SIGRTMIN);
  raise(SIGUSR2);
  raise(SIGUSR1);
  say("pending: %s\n", pendstr());
  int sig = 0;
  r = sigwait(&c, &sig);
  say("sigwait(c = %s): %d, got %s\n", setstr(&c), r, signame(sig));
  r = sigwait(&c, &sig);
  say("sigwait(c): %d, got %s\n", r, signame(sig));
  sigset_t u1, u12, only;
  mk(&u1, SIGUSR1, 0);
  mk(&u12, SIGUSR1, SIGUSR2);
  sigandset(&only, &u12, &u1);
  r = sigwait(&only, &sig);
  say("sigwait(%s): %d, got %s\n", setstr(&only), r, signame(sig));
  sigset_t p;
  sigpending(&p);
  say("pending now: %s, sigisemptyset %d\n", setstr(&p), sigisemptyset(&p));
  return 0;
}
