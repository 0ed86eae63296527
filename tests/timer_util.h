/* SPDX-License-Identifier: MIT */
/*
 * timer_util: helpers shared by the clock and timer tests (test_clock,
 * test_alarm, test_proc_raise_interval, test_timer_posix, test_timer_races).
 *
 * Most of these tests run on the manual clock (manual, advance, advance_to),
 * block the signal a timer sends, and take it with a zero-timeout
 * sigtimedwait (take), so every deadline is checked to the nanosecond.
 * Include after vt.h and vsig.h.
 */
#ifndef VT_TIMER_UTIL_H
#define VT_TIMER_UTIL_H

#include "vt.h"
#include <vsig.h>

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define US 1000LL
#define MS 1000000LL
#define SEC 1000000000LL

/* ---- clocks ------------------------------------------------------------------------------ */

static inline int64_t host_mono(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

static inline int64_t ns_of(const struct timespec *ts) {
  return (int64_t)ts->tv_sec * SEC + ts->tv_nsec;
}

/* Waits on other threads are bounded only as a guard against a hang: a
 * correct library never gets near it. */
#define WAIT_FOR(cond)                                                                             \
  do {                                                                                             \
    int64_t wf_end = host_mono() + 60 * SEC;                                                       \
    while (!(cond)) {                                                                              \
      if (host_mono() > wf_end)                                                                    \
        VT_FAIL("gave up waiting for %s", #cond);                                                  \
      sched_yield();                                                                               \
    }                                                                                              \
  } while (0)

static inline void manual(int64_t start) { CHECK_EQ(vsig_clock_set_manual(start), 0); }
static inline void advance(int64_t ns) { CHECK_EQ(vsig_clock_advance(ns), 0); }
static inline void advance_to(int64_t t) {
  int64_t now = vsig_clock_now();
  CHECK(t >= now);
  advance(t - now);
}

/* xorshift64: a cheap, reproducible sequence from seed *s. */
static inline uint64_t rnd(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* ---- masks, pending signals, threads ------------------------------------------------------ */

static inline vsig_sigset_t set1(int sig) {
  vsig_sigset_t s;
  vsig_sigemptyset(&s);
  vsig_sigaddset(&s, sig);
  return s;
}

static inline void block(int sig) {
  vsig_sigset_t s = set1(sig);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
}

static inline void unblock(int sig) {
  vsig_sigset_t s = set1(sig);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &s, NULL), 0);
}

static inline void block_all(void) {
  vsig_sigset_t s;
  vsig_sigfillset(&s);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
}

/* Take sig if it is pending (its number), else 0. */
static inline int take(int sig, vsig_siginfo_t *info) {
  vsig_sigset_t s = set1(sig);
  struct timespec zero = {0, 0};
  vsig_siginfo_t tmp;
  errno = 0;
  int r = vsig_sigtimedwait(&s, info ? info : &tmp, &zero);
  if (r == -1) {
    CHECK_EQ(errno, EAGAIN);
    return 0;
  }
  return r;
}

static inline bool is_pending(int sig) {
  vsig_sigset_t p;
  CHECK_EQ(vsig_sigpending(&p), 0);
  return vsig_sigismember(&p, sig) == 1;
}

/* No signal at all is pending (of those the caller blocks). */
static inline void check_none_pending(void) {
  vsig_sigset_t pend;
  CHECK_EQ(vsig_sigpending(&pend), 0);
  for (int s = 1; s < VSIG_NSIG; s++)
    CHECK_EQ(vsig_sigismember(&pend, s), 0);
}

/* Thread t exists and is in state (a VSIG_THREAD_* value): for WAIT_FOR. */
static inline bool in_state(vsig_thread_t t, int state) {
  int st = -1;
  return vsig_thread_getstate(t, &st) == 0 && st == state;
}

/* ---- when signals are generated ----------------------------------------------------------- */

/* sig (blocked) is generated exactly at `at`, not 1 ns before, with that
 * overrun. Returns its siginfo for further checks. */
static inline vsig_siginfo_t check_fires_at(int sig, int64_t at, int overrun) {
  advance_to(at - 1);
  CHECK_EQ(take(sig, NULL), 0);
  advance(1);
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_signo, sig);
  CHECK_EQ(si.si_overrun, overrun);
  return si;
}

/* sig (blocked) is not generated while the clock advances ns more. */
static inline void check_quiet_for(int sig, int64_t ns) {
  advance(ns);
  CHECK_EQ(take(sig, NULL), 0);
}

/* ---- POSIX timers ----------------------------------------------------------------------- */

/* A CLOCK_MONOTONIC timer; thread is the target of VSIG_SIGEV_THREAD_ID. */
static inline vsig_timer_t make_timer(int notify, int sig, int value, vsig_thread_t thread) {
  vsig_sigevent_t sev = {.sigev_notify = notify, .sigev_signo = sig, .sigev_thread_id = thread};
  sev.sigev_value.sival_int = value;
  vsig_timer_t id = -1;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), 0);
  return id;
}

static inline vsig_itimerspec_t its_ns(int64_t value, int64_t interval) {
  vsig_itimerspec_t v;
  v.it_value.tv_sec = (time_t)(value / SEC);
  v.it_value.tv_nsec = (long)(value % SEC);
  v.it_interval.tv_sec = (time_t)(interval / SEC);
  v.it_interval.tv_nsec = (long)(interval % SEC);
  return v;
}

/* timer_settime, relative (arm) or with TIMER_ABSTIME (arm_abs), in nanoseconds. */
static inline void arm(vsig_timer_t id, int64_t value, int64_t interval) {
  vsig_itimerspec_t v = its_ns(value, interval);
  CHECK_EQ(vsig_timer_settime(id, 0, &v, NULL), 0);
}

static inline void arm_abs(vsig_timer_t id, int64_t at, int64_t interval) {
  vsig_itimerspec_t v = its_ns(at, interval);
  CHECK_EQ(vsig_timer_settime(id, VSIG_TIMER_ABSTIME, &v, NULL), 0);
}

#endif
