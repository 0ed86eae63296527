/* SPDX-License-Identifier: MIT */
/* Pins down real-time queueing across threads: 1000 sigqueue'd SIGRTMIN with values reach a
 * sigwaitinfo thread each exactly once and in order; queued ones come lowest signal first, FIFO. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
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
#define N 1000

static sigset_t set;
static sem_t phase1_done, phase2;
static int received, out_of_order, bad_code, extra;
static int order2[2 * 300][2];

static void *taker(void *arg) {
  (void)arg;
  siginfo_t si;
  for (int i = 0; i < N; i++) {
    int s = sigwaitinfo(&set, &si);
    if (s != SIGRTMIN || si.si_value.sival_int != i)
      out_of_order++;
    if (si.si_code != SI_QUEUE)
      bad_code++;
    received++;
  }
  struct timespec zero = {0, 0};
  while (sigtimedwait(&set, &si, &zero) > 0)
    extra++;
  sem_post(&phase1_done);
  /* Phase 2: main queues 300 of SIGRTMIN+1 then 300 of SIGRTMIN before we take any. */
  while (sem_wait(&phase2) != 0)
    ;
  for (int i = 0; i < 600; i++) {
    order2[i][0] = sigwaitinfo(&set, &si);
    order2[i][1] = si.si_value.sival_int;
  }
  return NULL;
}

int main(void) {
  start();
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  sigaddset(&set, SIGRTMIN + 1);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  sem_init(&phase1_done, 0, 0);
  sem_init(&phase2, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, taker, NULL);
  int eagain = 0, failed = 0;
  for (int i = 0; i < N; i++) {
    while (sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = i}) != 0) {
      if (errno != EAGAIN) {
        failed++;
        break;
      }
      eagain++; /* the queue is full for now: let the taker catch up */
      sched_yield();
    }
  }
  say("main: queued %d SIGRTMIN with values 0..%d, failures other than EAGAIN: %d\n", N, N - 1,
      failed);
  while (sem_wait(&phase1_done) != 0)
    ;
  for (int i = 0; i < 300; i++)
    sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 1000 + i});
  for (int i = 0; i < 300; i++)
    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 2000 + i});
  sem_post(&phase2);
  pthread_join(t, NULL);
  say("thread: received %d, out of order or wrong value %d, not SI_QUEUE %d, extra %d\n", received,
      out_of_order, bad_code, extra);
  int ok = 1;
  for (int i = 0; i < 600; i++) {
    int want_sig = i < 300 ? SIGRTMIN : SIGRTMIN + 1;
    int want_val = i < 300 ? 2000 + i : 1000 + (i - 300);
    if (order2[i][0] != want_sig || order2[i][1] != want_val)
      ok = 0;
  }
  say("thread: 300 SIGRTMIN+1 queued before 300 SIGRTMIN came as all SIGRTMIN (FIFO), then all "
      "SIGRTMIN+1 (FIFO): %s\n",
      ok ? "yes" : "no");
  say("first of phase 2: %s %d; last: %s %d\n", signame(order2[0][0]), order2[0][1],
      signame(order2[599][0]), order2[599][1]);
  say("main: pending %s\n", pendstr());
  return 0;
}
