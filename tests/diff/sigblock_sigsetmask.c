/* SPDX-License-Identifier: MIT */
/* Pins down the deprecated BSD int masks sigblock, sigsetmask and siggetmask (bit sig-1
 * for signals 1..31): each returns the previous mask and acts on the calling thread. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

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
#define BIT(sig) (1 << ((sig)-1))

static volatile sig_atomic_t runs[65];
static void on_sig(int sig) { runs[sig]++; }

static void *thread_main(void *arg) {
  (void)arg;
  say("new thread: siggetmask %#x, mask %s\n", (unsigned)siggetmask(), maskstr());
  say("new thread: sigsetmask(0) returned %#x\n", (unsigned)sigsetmask(0));
  say("new thread: mask %s\n", maskstr());
  return NULL;
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);

  say("siggetmask: %#x\n", (unsigned)siggetmask());
  say("sigblock(SIGUSR1|SIGHUP) returned %#x\n", (unsigned)sigblock(BIT(SIGUSR1) | BIT(SIGHUP)));
  say("mask: %s, siggetmask %#x\n", maskstr(), (unsigned)siggetmask());
  raise(SIGUSR1);
  raise(SIGHUP);
  say("pending: %s, handler runs USR1 %d HUP %d\n", pendstr(), (int)runs[SIGUSR1],
      (int)runs[SIGHUP]);
  say("sigblock(SIGUSR2) returned %#x\n", (unsigned)sigblock(BIT(SIGUSR2)));
  say("mask: %s\n", maskstr());
  say("sigsetmask(SIGUSR2) returned %#x\n", (unsigned)sigsetmask(BIT(SIGUSR2)));
  say("handler runs USR1 %d HUP %d, pending %s\n", (int)runs[SIGUSR1], (int)runs[SIGHUP],
      pendstr());
  say("mask: %s, siggetmask %#x\n", maskstr(), (unsigned)siggetmask());

  /* SIGKILL and SIGSTOP bits are dropped. */
  say("sigblock(SIGKILL|SIGSTOP|SIGTERM) returned %#x\n",
      (unsigned)sigblock(BIT(SIGKILL) | BIT(SIGSTOP) | BIT(SIGTERM)));
  say("siggetmask: %#x, mask %s\n", (unsigned)siggetmask(), maskstr());

  /* The int mask covers only 1..31: real-time signals blocked otherwise stay blocked. */
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  pthread_sigmask(SIG_BLOCK, &rt, NULL);
  say("after blocking SIGRTMIN: siggetmask %#x, mask %s\n", (unsigned)siggetmask(), maskstr());
  say("sigsetmask(0) returned %#x\n", (unsigned)sigsetmask(0));
  say("mask after sigsetmask(0): %s\n", maskstr());

  sigsetmask(BIT(SIGUSR1));
  pthread_t t;
  pthread_create(&t, NULL, thread_main, NULL);
  pthread_join(t, NULL);
  say("main thread: siggetmask %#x\n", (unsigned)siggetmask());
  return 0;
}
