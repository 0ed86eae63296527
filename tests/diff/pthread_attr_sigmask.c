/* SPDX-License-Identifier: MIT */
/* Pins down a new thread's initial mask: pthread_attr_setsigmask_np's mask when set (glibc
 * 2.32+), else the creator's; pthread_attr_getsigmask_np reports PTHREAD_ATTR_NO_SIGMASK_NP. */
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
static void *report(void *arg) {
  say("thread %s: initial mask %s, pending %s\n", (const char *)arg, maskstr(), pendstr());
  return NULL;
}

static void run(const char *name, pthread_attr_t *attr) {
  pthread_t t;
  int r = pthread_create(&t, attr, report, (void *)name);
  if (r != 0) {
    say("pthread_create(%s): %s\n", name, errname(r));
    return;
  }
  pthread_join(t, NULL);
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
  sigset_t creator, m, got;
  mk(&creator, SIGUSR1, SIGTERM);
  pthread_sigmask(SIG_SETMASK, &creator, NULL);
  say("creator's mask: %s\n", maskstr());

  run("plain (NULL attr)", NULL);

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  int r = pthread_attr_getsigmask_np(&attr, &got);
  say("pthread_attr_getsigmask_np on a fresh attr: %s, mask %s\n",
      r == PTHREAD_ATTR_NO_SIGMASK_NP ? "PTHREAD_ATTR_NO_SIGMASK_NP" : errname(r), setstr(&got));
  run("attr without a mask", &attr);

  mk(&m, SIGUSR2, SIGRTMIN);
  r = pthread_attr_setsigmask_np(&attr, &m);
  say("pthread_attr_setsigmask_np({SIGUSR2, SIGRTMIN}): %s\n", errname(r));
  sigemptyset(&got);
  r = pthread_attr_getsigmask_np(&attr, &got);
  say("pthread_attr_getsigmask_np: %s, mask %s\n", errname(r), setstr(&got));
  run("attr {SIGUSR2, SIGRTMIN}", &attr);

  mk(&m, 0, 0);
  pthread_attr_setsigmask_np(&attr, &m);
  run("attr {} (empty)", &attr);

  mk(&m, SIGKILL, SIGSTOP);
  sigaddset(&m, SIGHUP);
  pthread_attr_setsigmask_np(&attr, &m);
  pthread_attr_getsigmask_np(&attr, &got);
  say("attr set to {SIGHUP, SIGKILL, SIGSTOP}: getsigmask says %s\n", setstr(&got));
  run("attr {SIGHUP, SIGKILL, SIGSTOP}", &attr);

  sigfillset(&m);
  pthread_attr_setsigmask_np(&attr, &m);
  run("attr filled", &attr);

  r = pthread_attr_setsigmask_np(&attr, NULL);
  say("pthread_attr_setsigmask_np(NULL): %s\n", errname(r));
  r = pthread_attr_getsigmask_np(&attr, &got);
  say("pthread_attr_getsigmask_np after clearing: %s\n",
      r == PTHREAD_ATTR_NO_SIGMASK_NP ? "PTHREAD_ATTR_NO_SIGMASK_NP" : errname(r));
  run("attr cleared", &attr);
  pthread_attr_destroy(&attr);

  /* A pending process signal is not the new thread's; a thread-directed one stays. */
  raise(SIGUSR1);
  kill(getpid(), SIGTERM);
  say("main's pending: %s\n", pendstr());
  run("plain, with main's signals pending", NULL);
  say("creator's mask at the end: %s\n", maskstr());
  return 0;
}
