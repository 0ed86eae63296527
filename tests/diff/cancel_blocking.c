/* SPDX-License-Identifier: MIT */
/* Pins down deferred cancellation of a thread blocked in sigwait, sigwaitinfo, sigtimedwait,
 * sigsuspend, pause, nanosleep, sleep, clock_nanosleep: cleanup handlers run, join gets
 * PTHREAD_CANCELED. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
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
static const char *const calls[] = {"sigwait", "sigwaitinfo", "sigtimedwait", "sigsuspend",
                                    "pause",   "nanosleep",   "sleep",        "clock_nanosleep"};
#define NCALLS (int)(sizeof calls / sizeof calls[0])

static sem_t ready;
static sigset_t usr1;

static void cleanup(void *arg) { say("  cleanup handler ran for %s\n", (const char *)arg); }

static void *victim(void *arg) {
  int which = (int)(long)arg;
  int sig = 0, r = 0;
  siginfo_t si;
  struct timespec ts = {25, 0};
  pthread_cleanup_push(cleanup, (void *)calls[which]);
  sem_post(&ready);
  switch (which) {
  case 0:
    r = sigwait(&usr1, &sig);
    break;
  case 1:
    r = sigwaitinfo(&usr1, &si);
    break;
  case 2:
    r = sigtimedwait(&usr1, &si, &ts);
    break;
  case 3:
    r = sigsuspend(&usr1);
    break;
  case 4:
    r = pause();
    break;
  case 5:
    r = nanosleep(&ts, NULL);
    break;
  case 6:
    r = (int)sleep(25);
    break;
  default:
    r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
    break;
  }
  say("  not reached: %s returned %d\n", calls[which], r);
  pthread_cleanup_pop(0);
  return NULL;
}

int main(void) {
  start();
  sem_init(&ready, 0, 0);
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  /* The victims inherit SIGUSR1 blocked (nothing sends it), and SIGALRM blocked so
   * that the watchdog stays the main thread's. */
  sigset_t both = usr1;
  sigaddset(&both, SIGALRM);
  for (int i = 0; i < NCALLS; i++) {
    pthread_t t;
    pthread_sigmask(SIG_BLOCK, &both, NULL);
    pthread_create(&t, NULL, victim, (void *)(long)i);
    pthread_sigmask(SIG_UNBLOCK, &both, NULL);
    while (sem_wait(&ready) != 0)
      ;
    say("%s:\n", calls[i]);
    int r = pthread_cancel(t);
    void *ret = NULL;
    int j = pthread_join(t, &ret);
    say("  pthread_cancel %s, pthread_join %s, result %s\n", errname(r), errname(j),
        ret == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "something else");
  }
  say("pending at the end: %s\n", pendstr());
  return 0;
}
