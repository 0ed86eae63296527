/* SPDX-License-Identifier: MIT */
/* Pins down longjmp/_longjmp out of a handler on glibc: setjmp and _setjmp save no mask, so
 * the handler's mask stays; longjmp to a sigsetjmp(env, 1) buffer restores it (an alias). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
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
static jmp_buf env;
static sigjmp_buf senv;
static volatile sig_atomic_t runs, kind;

static void on_usr1(int sig) {
  (void)sig;
  runs++;
  switch (kind) {
  case 0:
    longjmp(env, 1);
  case 1:
    _longjmp(env, 1);
  case 2:
    longjmp(senv, 1);
  default:
    siglongjmp(env, 1);
  }
}

static void reset(void) {
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaddset(&sa.sa_mask, SIGHUP);
  sigaction(SIGUSR1, &sa, NULL);

  kind = 0;
  if (setjmp(env) == 0) {
    raise(SIGUSR1);
    say("not reached\n");
  }
  say("setjmp + longjmp: handler runs %d, mask after: %s\n", (int)runs, maskstr());
  raise(SIGUSR1);
  say("raise again: handler runs %d, pending %s\n", (int)runs, pendstr());
  if (setjmp(env) == 0) {
    reset();
    say("not reached\n");
  }
  say("unblocking ran it and it jumped: handler runs %d, mask after: %s\n", (int)runs, maskstr());
  reset();

  kind = 1;
  if (_setjmp(env) == 0) {
    raise(SIGUSR1);
    say("not reached\n");
  }
  say("_setjmp + _longjmp: handler runs %d, mask after: %s\n", (int)runs, maskstr());
  reset();

  kind = 2;
  for (volatile int round = 1; round <= 2; round++) {
    if (sigsetjmp(senv, 1) == 0) {
      raise(SIGUSR1);
      say("not reached\n");
    }
    say("sigsetjmp(env, 1) + longjmp, round %d: handler runs %d, mask after: %s\n", round,
        (int)runs, maskstr());
  }

  kind = 3;
  if (setjmp(env) == 0) {
    raise(SIGUSR1);
    say("not reached\n");
  }
  say("setjmp + siglongjmp: handler runs %d, mask after: %s\n", (int)runs, maskstr());
  reset();
  say("pending at the end: %s\n", pendstr());
  return 0;
}
