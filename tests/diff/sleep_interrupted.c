/* SPDX-License-Identifier: MIT */
/* Pins down interrupted sleeps: clock_nanosleep (relative/TIMER_ABSTIME, MONOTONIC/REALTIME)
 * returns EINTR as a number, nanosleep/usleep -1 EINTR, sleep the unslept seconds; SA_RESTART or
 * not. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff_common.h"
#define LONG_SLEEP 25

static pthread_t main_thread;
static _Atomic int pester, stop; /* pester: 1 thread signal, 2 timer signal */
static int laps;                 /* the pest thread's finished loops */
static volatile sig_atomic_t runs;
static timer_t timer;

static void on_sig(int sig) {
  (void)sig;
  runs++;
}

/* Sends SIGUSR1 to the main thread every 2 ms while pester == 1. */
static void *pest(void *arg) {
  (void)arg;
  const struct timespec ms2 = {0, 2000000};
  while (!stop) {
    if (pester == 1)
      pthread_kill(main_thread, SIGUSR1);
    nanosleep(&ms2, NULL);
    __atomic_add_fetch(&laps, 1, __ATOMIC_SEQ_CST);
  }
  return NULL;
}

static void begin(int how) {
  runs = 0;
  errno = 0;
  if (how == 2) {
    struct itimerspec its = {{0, 2000000}, {0, 2000000}};
    timer_settime(timer, 0, &its, NULL);
  }
  pester = how;
}

/* Stop the signals, and wait until the pest thread has surely sent its last one. */
static void end(void) {
  pester = 0;
  struct itimerspec off = {{0, 0}, {0, 0}};
  timer_settime(timer, 0, &off, NULL);
  int lap = __atomic_load_n(&laps, __ATOMIC_SEQ_CST);
  while (__atomic_load_n(&laps, __ATOMIC_SEQ_CST) < lap + 2) {
    struct timespec ms1 = {0, 1000000};
    nanosleep(&ms1, NULL);
  }
}

static const char *in_range(const struct timespec *rem) {
  return rem->tv_sec >= 0 && rem->tv_nsec >= 0 && rem->tv_nsec < 1000000000 &&
                 (rem->tv_sec > 0 || rem->tv_nsec > 0) && rem->tv_sec <= LONG_SLEEP &&
                 (rem->tv_sec < LONG_SLEEP || rem->tv_nsec <= 1000000)
             ? "in (0, 25 s + 1 ms]" /* Linux adds the timer slack (50 us) */
             : "out of range";
}

static void cns(const char *what, clockid_t clk, int flags, int how) {
  struct timespec t = {LONG_SLEEP, 0}, rem = {-7, -7};
  if (flags & TIMER_ABSTIME) {
    clock_gettime(clk, &t);
    t.tv_sec += LONG_SLEEP;
  }
  begin(how);
  int r = clock_nanosleep(clk, flags, &t, &rem);
  int e = errno;
  end();
  say("%s: returned %s, errno untouched: %s, handler ran: %s, rem %s\n", what, errname(r),
      e == 0 ? "yes" : "no", runs ? "yes" : "no",
      rem.tv_sec == -7 && rem.tv_nsec == -7 ? "untouched" : in_range(&rem));
}

static void plain(const char *what, int r) {
  if (r == 0)
    say("%s: 0\n", what);
  else
    say("%s: %d %s\n", what, r, errname(errno));
}

int main(void) {
  start();
  main_thread = pthread_self();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR2;
  if (timer_create(CLOCK_MONOTONIC, &sev, &timer) != 0) {
    say("timer_create: %s\n", errname(errno));
    return 1;
  }
  /* The pest thread blocks the timer's signal, so it is the main thread's. */
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &usr2, NULL);
  pthread_t t;
  pthread_create(&t, NULL, pest, NULL);
  pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);

  say("handlers have SA_RESTART; a thread sends SIGUSR1 or a timer SIGUSR2 until the sleep ends\n");
  cns("clock_nanosleep(CLOCK_MONOTONIC, 0), thread signal", CLOCK_MONOTONIC, 0, 1);
  cns("clock_nanosleep(CLOCK_MONOTONIC, 0), timer signal", CLOCK_MONOTONIC, 0, 2);
  cns("clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), thread signal", CLOCK_MONOTONIC,
      TIMER_ABSTIME, 1);
  cns("clock_nanosleep(CLOCK_REALTIME, 0), timer signal", CLOCK_REALTIME, 0, 2);
  cns("clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME), timer signal", CLOCK_REALTIME, TIMER_ABSTIME,
      2);
  cns("clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME), thread signal", CLOCK_REALTIME,
      TIMER_ABSTIME, 1);

  struct timespec req = {LONG_SLEEP, 0}, rem = {-7, -7};
  begin(1);
  int r = nanosleep(&req, &rem);
  int e = errno;
  end();
  say("nanosleep, thread signal: returned %d %s, handler ran: %s, rem %s\n", r, errname(e),
      runs ? "yes" : "no", in_range(&rem));
  begin(2);
  r = nanosleep(&req, NULL);
  e = errno;
  end();
  say("nanosleep with rem NULL, timer signal: returned %d %s\n", r, errname(e));

  begin(1);
  unsigned left = sleep(LONG_SLEEP);
  end();
  say("sleep(25), thread signal: returned %s, handler ran: %s\n",
      left >= 1 && left <= LONG_SLEEP ? "the unslept seconds, 1..25" : "out of range",
      runs ? "yes" : "no");
  begin(2);
  left = sleep(LONG_SLEEP);
  end();
  say("sleep(25), timer signal: returned %s\n",
      left >= 1 && left <= LONG_SLEEP ? "the unslept seconds, 1..25" : "out of range");

  begin(1);
  r = usleep(LONG_SLEEP * 1000000u);
  e = errno;
  end();
  say("usleep(25 s), thread signal: returned %d %s, handler ran: %s\n", r, errname(e),
      runs ? "yes" : "no");
  begin(2);
  r = usleep(999999);
  e = errno;
  end();
  say("usleep(999999), timer signal: returned %d %s\n", r, errname(e));

  /* Nothing to interrupt. */
  struct timespec zero = {0, 0}, past = {0, 0}, bad = {0, 1000000000}, neg = {-1, 0};
  say("clock_nanosleep(CLOCK_MONOTONIC, 0, {0, 0}): %s\n",
      errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &zero, NULL)));
  say("clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, the epoch): %s\n",
      errname(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &past, NULL)));
  say("clock_nanosleep(CLOCK_MONOTONIC, 0, {0, 1e9}): %s\n",
      errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL)));
  say("clock_nanosleep(CLOCK_MONOTONIC, 0, {-1, 0}): %s\n",
      errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &neg, NULL)));
  say("clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, {0, 0}): %s\n",
      errname(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &zero, NULL)));
  say("clock_nanosleep(12345, 0, {0, 0}): %s\n", errname(clock_nanosleep(12345, 0, &zero, NULL)));
  plain("nanosleep({0, 0})", nanosleep(&zero, NULL));
  plain("nanosleep({0, 1e9})", nanosleep(&bad, NULL));
  plain("nanosleep({-1, 0})", nanosleep(&neg, NULL));
  plain("usleep(0)", usleep(0));
  say("sleep(0): %u\n", sleep(0));

  stop = 1;
  pthread_join(t, NULL);
  timer_delete(timer);
  return 0;
}
