/* SPDX-License-Identifier: MIT */
/* Native: 4 processes sigqueue 25,000 values each on SIGRTMIN+0..3; taken by 3 threads (sigwaitinfo
 * and a handler), every value arrives exactly once and each thread sees each signal's in order.
 * A sender keeps at most WINDOW of its signals in flight (the kernel's queue scan is linear). */
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

__attribute__((unused)) static void watchdog(void) {
  signal(SIGALRM, on_watchdog);
  alarm(30);
}

__attribute__((unused)) static void die(const char *what) {
  say("FAIL %s: %s\n", what, strerror(errno));
  _exit(97);
}
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/mman.h>

#define SENDERS 4
#define VALUES 25000
#define TOTAL (SENDERS * VALUES)
#define THREADS 3
#define WINDOW 2000

static atomic_int *received; /* per signal, shared with the senders */

static atomic_uchar seen[SENDERS][VALUES]; /* arrivals of each value */
static atomic_int total, order_errors, foreign;
static atomic_int done;
static sigset_t rtset;

struct taker {
  int last[SENDERS]; /* the last value this thread took of each signal */
};

static void take(struct taker *t, int sig, int code, int value) {
  int k = sig - SIGRTMIN;
  if (k < 0 || k >= SENDERS || code != SI_QUEUE || value < 0 || value >= VALUES) {
    atomic_fetch_add(&foreign, 1);
    return;
  }
  if (value <= t->last[k])
    atomic_fetch_add(&order_errors, 1);
  t->last[k] = value;
  atomic_fetch_add(&seen[k][value], 1);
  atomic_fetch_add(&received[k], 1);
  atomic_fetch_add(&total, 1);
}

static void *waiter(void *arg) {
  struct taker t;
  (void)arg;
  for (int k = 0; k < SENDERS; k++)
    t.last[k] = -1;
  while (!atomic_load(&done)) {
    siginfo_t si;
    struct timespec ts = {0, 20000000};
    int s = sigtimedwait(&rtset, &si, &ts);
    if (s > 0)
      take(&t, s, si.si_code, si.si_value.sival_int);
  }
  return NULL;
}

static _Thread_local struct taker handler_taker;

static void on_rt(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  take(&handler_taker, sig, si->si_code, si->si_value.sival_int);
}

static void on_usr1(int sig) { (void)sig; }

static void *handler_thread(void *arg) {
  (void)arg;
  for (int k = 0; k < SENDERS; k++)
    handler_taker.last[k] = -1;
  sigset_t open;
  sigemptyset(&open);
  while (!atomic_load(&done))
    sigsuspend(&open); /* the signals (and SIGUSR1, to end) are blocked outside */
  return NULL;
}

int main(void) {
  watchdog();
  received = mmap(NULL, SENDERS * sizeof *received, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (received == MAP_FAILED)
    die("mmap");
  sigemptyset(&rtset);
  for (int k = 0; k < SENDERS; k++)
    sigaddset(&rtset, SIGRTMIN + k);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_rt;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  for (int k = 0; k < SENDERS; k++)
    sigaction(SIGRTMIN + k, &sa, NULL);
  signal(SIGUSR1, on_usr1);
  sigset_t block = rtset;
  sigaddset(&block, SIGUSR1);
  sigprocmask(SIG_BLOCK, &block, NULL); /* every thread masks them */

  pthread_t th[THREADS];
  for (int i = 0; i < THREADS; i++)
    if (pthread_create(&th[i], NULL, i == THREADS - 1 ? handler_thread : waiter, NULL))
      die("pthread_create");

  pid_t me = getpid(), senders[SENDERS];
  for (int k = 0; k < SENDERS; k++) {
    senders[k] = fork();
    if (senders[k] < 0)
      die("fork");
    if (senders[k] == 0) {
      for (int v = 0; v < VALUES; v++) {
        union sigval val = {.sival_int = v};
        while (v - atomic_load(&received[k]) >= WINDOW)
          sched_yield();
        while (sigqueue(me, SIGRTMIN + k, val) < 0) {
          if (errno != EAGAIN)
            _exit(2);
          sched_yield(); /* RLIMIT_SIGPENDING: wait for the receiver to drain */
        }
      }
      _exit(0);
    }
  }
  int failed = 0;
  for (int k = 0; k < SENDERS; k++) {
    int st;
    if (waitpid(senders[k], &st, 0) != senders[k] || !WIFEXITED(st) || WEXITSTATUS(st))
      failed++;
  }
  say("senders: %d of %d finished\n", SENDERS - failed, SENDERS);
  while (!failed && atomic_load(&total) < TOTAL) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  atomic_store(&done, 1);
  pthread_kill(th[THREADS - 1], SIGUSR1);
  for (int i = 0; i < THREADS; i++)
    pthread_join(th[i], NULL);

  for (int k = 0; k < SENDERS; k++) {
    int missing = 0, twice = 0;
    for (int v = 0; v < VALUES; v++) {
      int n = atomic_load(&seen[k][v]);
      missing += n == 0;
      twice += n > 1;
    }
    say("SIGRTMIN+%d: %d values missing, %d more than once\n", k, missing, twice);
  }
  say("values taken out of order by some thread: %d; unexpected signals: %d\n",
      atomic_load(&order_errors), atomic_load(&foreign));
  return 0;
}
