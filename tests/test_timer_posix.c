/* SPDX-License-Identifier: MIT */
/* POSIX per-process timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun, timer_delete. All on the manual clock, so deadlines,
 * overruns and the times gettime reports are checked to the nanosecond. */
#include "vt.h"
#include <vsig.h>

#include "timer_util.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

/* make_timer without a target thread, whose id is checked to be a valid one. */
static vsig_timer_t make(int notify, int sig, int value) {
  vsig_timer_t id = make_timer(notify, sig, value, 0);
  CHECK(id >= 0);
  return id;
}

/* timer_gettime, in nanoseconds. */
static void get(vsig_timer_t id, int64_t *value, int64_t *interval) {
  vsig_itimerspec_t g;
  CHECK_EQ(vsig_timer_gettime(id, &g), 0);
  CHECK(g.it_value.tv_nsec >= 0 && g.it_value.tv_nsec < SEC);
  CHECK(g.it_interval.tv_nsec >= 0 && g.it_interval.tv_nsec < SEC);
  *value = ns_of(&g.it_value);
  *interval = ns_of(&g.it_interval);
}

#define CHECK_GET(id, v, i)                                                                        \
  do {                                                                                             \
    int64_t cg_v, cg_i;                                                                            \
    get((id), &cg_v, &cg_i);                                                                       \
    CHECK_EQ(cg_v, (v));                                                                           \
    CHECK_EQ(cg_i, (i));                                                                           \
  } while (0)

/* sig (blocked) is generated exactly at `at`, from timer id, with overrun. */
static void check_timer_fires_at(int sig, vsig_timer_t id, int64_t at, int overrun) {
  vsig_siginfo_t si = check_fires_at(sig, at, overrun);
  CHECK_EQ(si.si_code, VSIG_SI_TIMER);
  CHECK_EQ(si.si_timerid, id);
  CHECK_EQ(vsig_timer_getoverrun(id), overrun);
}

/* ---- timer_create ------------------------------------------------------------------- */

TEST(create_without_sigevent_sends_sigalrm_with_the_id_as_value) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_timer_t a, b;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, NULL, &a), 0);
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_REALTIME, NULL, &b), 0);
  CHECK(a != b);
  CHECK_GET(a, 0, 0); /* created disarmed */
  arm(b, 2 * MS, 0);
  arm(a, 1 * MS, 0);
  advance(MS);
  vsig_siginfo_t si;
  CHECK_EQ(take(VSIG_SIGALRM, &si), VSIG_SIGALRM);
  CHECK_EQ(si.si_code, VSIG_SI_TIMER);
  CHECK_EQ(si.si_timerid, a);
  CHECK_EQ(si.si_value.sival_int, a);
  CHECK_EQ(si.si_overrun, 0);
  advance(MS);
  CHECK_EQ(take(VSIG_SIGALRM, &si), VSIG_SIGALRM);
  CHECK_EQ(si.si_timerid, b);
  CHECK_EQ(si.si_value.sival_int, b);
}

TEST(create_carries_sigev_value) {
  manual(0);
  int sig = VSIG_SIGRTMIN + 2;
  block(sig);
  static int cookie;
  vsig_sigevent_t sev = {.sigev_notify = VSIG_SIGEV_SIGNAL, .sigev_signo = sig};
  sev.sigev_value.sival_ptr = &cookie;
  vsig_timer_t id;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), 0);
  arm(id, 1, 0);
  advance(1);
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK(si.si_value.sival_ptr == &cookie);
  CHECK_EQ(si.si_timerid, id);
  CHECK_EQ(si.si_code, VSIG_SI_TIMER);
  vsig_timer_t j = make(VSIG_SIGEV_SIGNAL, sig, -12345);
  arm(j, 1, 0);
  advance(1);
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_value.sival_int, -12345);
  CHECK_EQ(si.si_timerid, j);
}

TEST(create_errors) {
  manual(0);
  vsig_sigevent_t ok = {.sigev_notify = VSIG_SIGEV_SIGNAL, .sigev_signo = VSIG_SIGUSR1};
  vsig_timer_t id = 4242;
  CHECK_ERRNO(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &ok, NULL), EFAULT);
  CHECK_ERRNO(vsig_timer_create(VSIG_CLOCK_MONOTONIC, NULL, NULL), EFAULT);
  const int bad_clocks[] = {-1, 2, 3, 4, 7, 99, INT_MAX, INT_MIN};
  for (size_t i = 0; i < sizeof bad_clocks / sizeof bad_clocks[0]; i++) {
    CHECK_ERRNO(vsig_timer_create(bad_clocks[i], &ok, &id), EINVAL);
    CHECK_ERRNO(vsig_timer_create(bad_clocks[i], NULL, &id), EINVAL);
  }
  const int bad_notify[] = {VSIG_SIGEV_THREAD, 3, 5, -1, 99, INT_MAX, INT_MIN};
  for (size_t i = 0; i < sizeof bad_notify / sizeof bad_notify[0]; i++) {
    vsig_sigevent_t sev = ok;
    sev.sigev_notify = bad_notify[i];
    CHECK_ERRNO(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), EINVAL);
  }
  const int bad_sigs[] = {0, -1, VSIG_NSIG, 1000, INT_MAX, INT_MIN};
  for (size_t i = 0; i < sizeof bad_sigs / sizeof bad_sigs[0]; i++) {
    vsig_sigevent_t sev = ok;
    sev.sigev_signo = bad_sigs[i];
    CHECK_ERRNO(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), EINVAL);
    sev.sigev_notify = VSIG_SIGEV_THREAD_ID;
    sev.sigev_thread_id = vsig_thread_self();
    CHECK_ERRNO(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), EINVAL);
  }
  vsig_sigevent_t sev = ok;
  sev.sigev_notify = VSIG_SIGEV_THREAD_ID;
  sev.sigev_thread_id = 0; /* no thread */
  CHECK_ERRNO(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), EINVAL);
  sev.sigev_thread_id = vsig_thread_self() + 1000000;
  CHECK_ERRNO(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), EINVAL);
  CHECK_EQ(id, 4242); /* never written on failure */
}

TEST(sigev_none_ignores_the_signal_number) {
  manual(0);
  vsig_sigevent_t sev = {.sigev_notify = VSIG_SIGEV_NONE, .sigev_signo = 0};
  vsig_timer_t id;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), 0);
  sev.sigev_signo = 9999;
  vsig_timer_t j;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &j), 0);
  CHECK(id != j);
}

struct max_run {
  int rc[5], err[5];
  vsig_timer_t id[5];
  int del_rc, again_rc, again_err;
  unsigned alarm_rc;
  int interval_rc;
};

static void *fill_to_timer_max(void *arg) {
  struct max_run *r = arg;
  for (int i = 0; i < 5; i++) {
    vsig_sigevent_t sev = {.sigev_notify = VSIG_SIGEV_NONE};
    r->id[i] = -7;
    errno = 0;
    r->rc[i] = vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &r->id[i]);
    r->err[i] = errno;
  }
  /* alarm and the interval timers are not POSIX timers: not counted. */
  r->alarm_rc = vsig_alarm(100);
  r->interval_rc = vsig_proc_raise_interval(VSIG_SIGUSR1, 100000, 0);
  r->del_rc = vsig_timer_delete(r->id[1]);
  errno = 0;
  r->again_rc = vsig_timer_create(VSIG_CLOCK_MONOTONIC, NULL, &r->id[3]);
  r->again_err = errno;
  errno = 0;
  r->rc[4] = vsig_timer_create(VSIG_CLOCK_MONOTONIC, NULL, &r->id[4]);
  r->err[4] = errno;
  return NULL;
}

TEST(timer_max_reached_is_eagain) {
  manual(0);
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  CHECK_EQ(attr.timer_max, (size_t)VSIG_TIMER_MAX_DEFAULT);
  attr.timer_max = 3;
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(&attr, &pid), 0);
  struct max_run r;
  memset(&r, 0, sizeof r);
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, fill_to_timer_max, &r), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  for (int i = 0; i < 3; i++)
    CHECK_EQ(r.rc[i], 0);
  CHECK_EQ(r.rc[3], -1);
  CHECK_EQ(r.err[3], EAGAIN);
  CHECK_EQ(r.alarm_rc, 0u);
  CHECK_EQ(r.interval_rc, 0);
  CHECK_EQ(r.del_rc, 0);
  CHECK_EQ(r.again_rc, 0); /* a deleted timer frees its place */
  CHECK_EQ(r.again_err, 0);
  CHECK_EQ(r.rc[4], -1);
  CHECK_EQ(r.err[4], EAGAIN);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

TEST(timer_max_is_per_process) {
  manual(0);
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  attr.timer_max = 1;
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(&attr, &pid), 0);
  struct max_run r;
  memset(&r, 0, sizeof r);
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, fill_to_timer_max, &r), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(r.rc[0], 0);
  CHECK_EQ(r.rc[1], -1);
  CHECK_EQ(r.err[1], EAGAIN);
  /* The default process has its own, default, limit. */
  for (int i = 0; i < 100; i++)
    (void)make(VSIG_SIGEV_NONE, 0, 0);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

/* ---- timer_settime / timer_gettime -------------------------------------------------------- */

TEST(relative_one_shot_fires_once_and_gettime_counts_down) {
  manual(1000);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  vsig_itimerspec_t v = its_ns(3 * SEC + 5, 0), ov;
  memset(&ov, 0x55, sizeof ov);
  CHECK_EQ(vsig_timer_settime(id, 0, &v, &ov), 0);
  CHECK_EQ(ns_of(&ov.it_value), 0); /* disarmed before */
  CHECK_EQ(ns_of(&ov.it_interval), 0);
  CHECK_GET(id, 3 * SEC + 5, 0);
  advance(1);
  CHECK_GET(id, 3 * SEC + 4, 0);
  advance(SEC);
  CHECK_GET(id, 2 * SEC + 4, 0);
  check_timer_fires_at(sig, id, 1000 + 3 * SEC + 5, 0);
  CHECK_GET(id, 0, 0); /* expired: disarmed */
  check_quiet_for(sig, 100 * SEC);
}

TEST(one_nanosecond_is_the_smallest_value) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  arm(id, 1, 1);
  CHECK_GET(id, 1, 1);
  for (int n = 1; n <= 1000; n++)
    check_timer_fires_at(sig, id, n, 0);
}

TEST(periodic_is_drift_free_over_thousands_of_periods) {
  const int64_t t0 = 987654321;
  manual(t0);
  int sig = VSIG_SIGRTMIN + 1;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  const int64_t first = 1234567, period = 1000003;
  arm(id, first, period);
  for (int n = 0; n < 3000; n++)
    check_timer_fires_at(sig, id, t0 + first + n * period, 0);
  CHECK_GET(id, period, period);
}

TEST(periodic_deadlines_stay_exact_after_irregular_advances) {
  /* Deadline n is start + first + n * period whatever steps the clock took:
   * gettime must say exactly how far the next one is. */
  const int64_t t0 = 5;
  manual(t0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  const int64_t first = 777, period = 1009;
  arm(id, first, period);
  uint64_t seed = 88172645463325252ull;
  int64_t expiries = 0;
  for (int i = 0; i < 20000; i++) {
    advance((int64_t)(rnd(&seed) % 2500));
    vsig_siginfo_t si;
    if (take(sig, &si))
      expiries += 1 + si.si_overrun;
    int64_t now = vsig_clock_now();
    int64_t due = now - t0 < first ? 0 : (now - t0 - first) / period + 1;
    int64_t next = t0 + first + due * period;
    CHECK_GET(id, next - now, period);
    CHECK_EQ(expiries, due); /* every expiry delivered or counted */
  }
}

TEST(rearm_replaces_the_old_setting) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  arm(id, 10 * MS, 0);
  advance(4 * MS);
  vsig_itimerspec_t v = its_ns(10 * MS, 3 * MS), ov;
  CHECK_EQ(vsig_timer_settime(id, 0, &v, &ov), 0);
  CHECK_EQ(ns_of(&ov.it_value), 6 * MS);
  CHECK_EQ(ns_of(&ov.it_interval), 0);
  check_timer_fires_at(sig, id, 14 * MS, 0); /* not at 10 ms */
  check_timer_fires_at(sig, id, 17 * MS, 0);
  v = its_ns(5 * MS, 0);
  CHECK_EQ(vsig_timer_settime(id, 0, &v, &ov), 0);
  CHECK_EQ(ns_of(&ov.it_value), 3 * MS);
  CHECK_EQ(ns_of(&ov.it_interval), 3 * MS);
  check_timer_fires_at(sig, id, 22 * MS, 0);
  check_quiet_for(sig, SEC);
}

TEST(zero_value_disarms_and_reports) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  arm(id, 5 * MS, 2 * MS);
  advance(MS);
  vsig_itimerspec_t z = its_ns(0, 0), ov;
  CHECK_EQ(vsig_timer_settime(id, 0, &z, &ov), 0);
  CHECK_EQ(ns_of(&ov.it_value), 4 * MS);
  CHECK_EQ(ns_of(&ov.it_interval), 2 * MS);
  CHECK_GET(id, 0, 0);
  check_quiet_for(sig, 100 * SEC);
  /* Disarming a disarmed timer is fine, and reports zero. */
  CHECK_EQ(vsig_timer_settime(id, 0, &z, &ov), 0);
  CHECK_EQ(ns_of(&ov.it_value), 0);
  CHECK_EQ(ns_of(&ov.it_interval), 0);
  /* A zero value with TIMER_ABSTIME disarms too. */
  arm(id, MS, 0);
  CHECK_EQ(vsig_timer_settime(id, VSIG_TIMER_ABSTIME, &z, NULL), 0);
  CHECK_GET(id, 0, 0);
  check_quiet_for(sig, SEC);
}

/* A zero value with an interval disarms, and the interval is gone too
 * (Linux clears it: timer_gettime reports 0). */
TEST(zero_value_with_an_interval_leaves_no_interval) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  vsig_itimerspec_t v = its_ns(0, 7 * MS), ov;
  CHECK_EQ(vsig_timer_settime(id, 0, &v, NULL), 0);
  CHECK_GET(id, 0, 0);
  CHECK_EQ(vsig_timer_settime(id, 0, &v, &ov), 0);
  CHECK_EQ(ns_of(&ov.it_interval), 0);
  check_quiet_for(sig, SEC);
}

/* value and ovalue may be one object: the new setting is read before the old
 * one is written (as Linux does). */
TEST(settime_with_value_and_ovalue_aliased) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  arm(id, 9 * MS, 0);
  vsig_itimerspec_t its = its_ns(5 * MS, 3 * MS);
  CHECK_EQ(vsig_timer_settime(id, 0, &its, &its), 0);
  CHECK_EQ(ns_of(&its.it_value), 9 * MS); /* the old setting */
  CHECK_EQ(ns_of(&its.it_interval), 0);
  CHECK_GET(id, 5 * MS, 3 * MS); /* armed with the new one */
  check_timer_fires_at(sig, id, 5 * MS, 0);
  check_timer_fires_at(sig, id, 8 * MS, 0);
}

TEST(settime_errors_change_nothing) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  arm(id, 5 * MS, MS);
  vsig_itimerspec_t ov;
  memset(&ov, 0x55, sizeof ov);
  vsig_itimerspec_t good = its_ns(MS, 0);
  CHECK_ERRNO(vsig_timer_settime(id, 0, NULL, &ov), EFAULT);
  CHECK_ERRNO(vsig_timer_settime(id, 2, &good, &ov), EINVAL);
  CHECK_ERRNO(vsig_timer_settime(id, -1, &good, &ov), EINVAL);
  CHECK_ERRNO(vsig_timer_settime(id, VSIG_TIMER_ABSTIME | 4, &good, &ov), EINVAL);
  struct {
    long long vs, vn, is, in;
  } bad[] = {
      {0, SEC, 0, 0},      {0, -1, 0, 0},       {-1, 0, 0, 0},       {-1, 999, 0, 0},
      {0, 0, 0, SEC},      {1, 0, 0, -1},       {1, 0, -1, 0},       {0, 0, -1, 0},
      {0, LONG_MAX, 0, 0}, {0, LONG_MIN, 0, 0}, {0, 0, 0, LONG_MAX}, {LLONG_MIN, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    vsig_itimerspec_t v;
    v.it_value.tv_sec = (time_t)bad[i].vs;
    v.it_value.tv_nsec = (long)bad[i].vn;
    v.it_interval.tv_sec = (time_t)bad[i].is;
    v.it_interval.tv_nsec = (long)bad[i].in;
    CHECK_ERRNO(vsig_timer_settime(id, 0, &v, &ov), EINVAL);
    CHECK_ERRNO(vsig_timer_settime(id, VSIG_TIMER_ABSTIME, &v, &ov), EINVAL);
  }
  const vsig_timer_t unknown[] = {-1, INT_MIN, id + 1, id + 1000, INT_MAX};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
    CHECK_ERRNO(vsig_timer_settime(unknown[i], 0, &good, &ov), EINVAL);
  CHECK_EQ(ov.it_value.tv_sec, (time_t)0x5555555555555555LL); /* never written */
  CHECK_GET(id, 5 * MS, MS);
  check_timer_fires_at(sig, id, 5 * MS, 0);
}

TEST(gettime_getoverrun_delete_errors) {
  manual(0);
  vsig_timer_t id = make(VSIG_SIGEV_NONE, 0, 0);
  vsig_itimerspec_t g;
  CHECK_ERRNO(vsig_timer_gettime(id, NULL), EFAULT);
  const vsig_timer_t unknown[] = {-1, INT_MIN, id + 1, id + 1000, INT_MAX};
  for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
    CHECK_ERRNO(vsig_timer_gettime(unknown[i], &g), EINVAL);
    CHECK_ERRNO(vsig_timer_getoverrun(unknown[i]), EINVAL);
    CHECK_ERRNO(vsig_timer_delete(unknown[i]), EINVAL);
  }
  CHECK_EQ(vsig_timer_getoverrun(id), 0);
  CHECK_EQ(vsig_timer_delete(id), 0);
  /* A deleted timer is unknown to every call. */
  vsig_itimerspec_t v = its_ns(MS, 0);
  CHECK_ERRNO(vsig_timer_delete(id), EINVAL);
  CHECK_ERRNO(vsig_timer_gettime(id, &g), EINVAL);
  CHECK_ERRNO(vsig_timer_settime(id, 0, &v, NULL), EINVAL);
  CHECK_ERRNO(vsig_timer_getoverrun(id), EINVAL);
}

static void *try_foreign_timer(void *arg) {
  vsig_timer_t id = *(vsig_timer_t *)arg;
  vsig_itimerspec_t g, v = its_ns(MS, 0);
  /* A timer id names a timer of the caller's own process only. */
  CHECK_ERRNO(vsig_timer_gettime(id, &g), EINVAL);
  CHECK_ERRNO(vsig_timer_settime(id, 0, &v, NULL), EINVAL);
  CHECK_ERRNO(vsig_timer_getoverrun(id), EINVAL);
  CHECK_ERRNO(vsig_timer_delete(id), EINVAL);
  return NULL;
}

TEST(timer_ids_are_per_process) {
  manual(0);
  vsig_timer_t id = make(VSIG_SIGEV_NONE, 0, 0);
  arm(id, SEC, 0);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, try_foreign_timer, &id), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_GET(id, SEC, 0);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

TEST(huge_value_saturates_and_never_fires) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  vsig_itimerspec_t v;
  v.it_value.tv_sec = (time_t)INT64_MAX;
  v.it_value.tv_nsec = 999999999;
  v.it_interval.tv_sec = 0;
  v.it_interval.tv_nsec = 0;
  CHECK_EQ(vsig_timer_settime(id, 0, &v, NULL), 0);
  check_quiet_for(sig, INT64_MAX / 2);
  vsig_itimerspec_t g;
  CHECK_EQ(vsig_timer_gettime(id, &g), 0);
  CHECK(g.it_value.tv_sec >= INT64_MAX / 2 / SEC - 1); /* armed, not wrapped */
  CHECK(g.it_value.tv_nsec >= 0 && g.it_value.tv_nsec < SEC);
  /* An absolute time past the clock's range is the same. */
  CHECK_EQ(vsig_timer_settime(id, VSIG_TIMER_ABSTIME, &v, NULL), 0);
  check_quiet_for(sig, INT64_MAX / 4);
  CHECK_EQ(vsig_timer_gettime(id, &g), 0);
  CHECK(g.it_value.tv_sec > 0);
}

TEST(huge_interval_fires_once_and_stays_armed) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  vsig_itimerspec_t v = its_ns(MS, 0);
  v.it_interval.tv_sec = (time_t)INT64_MAX;
  CHECK_EQ(vsig_timer_settime(id, 0, &v, NULL), 0);
  check_timer_fires_at(sig, id, MS, 0);
  check_quiet_for(sig, INT64_MAX / 2);
  vsig_itimerspec_t g;
  CHECK_EQ(vsig_timer_gettime(id, &g), 0);
  CHECK(g.it_value.tv_sec > 0); /* periodic: still armed, next expiry beyond the clock */
  CHECK(g.it_interval.tv_sec >= INT64_MAX / SEC - 1);
}

/* ---- absolute times ------------------------------------------------------------------------ */

TEST(abstime_on_monotonic_fires_at_that_time) {
  manual(10 * SEC);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  arm_abs(id, 12 * SEC + 7, 0);
  CHECK_GET(id, 2 * SEC + 7, 0);
  check_timer_fires_at(sig, id, 12 * SEC + 7, 0);
}

TEST(abstime_in_the_past_fires_at_once) {
  manual(10 * SEC);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  arm_abs(id, 1, 0);
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig); /* without any advance */
  CHECK_EQ(si.si_timerid, id);
  CHECK_EQ(si.si_overrun, 0);
  CHECK_GET(id, 0, 0);
  /* Now exactly is not in the future either. */
  arm_abs(id, 10 * SEC, 0);
  CHECK_EQ(take(sig, NULL), sig);
  CHECK_EQ(vsig_clock_now(), 10 * SEC);
}

TEST(abstime_in_the_past_with_a_period_counts_the_missed_periods) {
  manual(10 * SEC);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  /* Expiries at 1, 2, ..., 10 s are all due now: one signal, 9 overruns. */
  arm_abs(id, 1 * SEC, 1 * SEC);
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_overrun, 9);
  CHECK_EQ(vsig_timer_getoverrun(id), 9);
  CHECK_GET(id, 1 * SEC, 1 * SEC); /* the next at 11 s, on the original grid */
  check_timer_fires_at(sig, id, 11 * SEC, 0);
}

TEST(abstime_on_realtime_is_converted_when_armed) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_sigevent_t sev = {.sigev_notify = VSIG_SIGEV_SIGNAL, .sigev_signo = sig};
  vsig_timer_t id;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_REALTIME, &sev, &id), 0);
  struct timespec rt;
  clock_gettime(CLOCK_REALTIME, &rt);
  vsig_itimerspec_t v = {.it_value = {rt.tv_sec + 1000, rt.tv_nsec}};
  CHECK_EQ(vsig_timer_settime(id, VSIG_TIMER_ABSTIME, &v, NULL), 0);
  int64_t left, iv;
  get(id, &left, &iv);
  /* The wall clock moved a little while arming: bounded loosely. */
  CHECK(left > 900 * SEC && left <= 1000 * SEC);
  advance(left - 1);
  CHECK_EQ(take(sig, NULL), 0);
  advance(1);
  CHECK_EQ(take(sig, NULL), sig);
  /* A wall-clock time already past fires at once. */
  clock_gettime(CLOCK_REALTIME, &rt);
  v.it_value.tv_sec = rt.tv_sec - 1;
  CHECK_EQ(vsig_timer_settime(id, VSIG_TIMER_ABSTIME, &v, NULL), 0);
  CHECK_EQ(take(sig, NULL), sig);
  /* Relative times on the realtime clock are plain durations. */
  arm(id, 3 * MS, 0);
  check_timer_fires_at(sig, id, vsig_clock_now() + 3 * MS, 0);
}

/* ---- overruns ---------------------------------------------------------------------------- */

TEST(periods_missed_while_pending_are_overruns_never_lost) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  CHECK_EQ(vsig_timer_getoverrun(id), 0);
  arm(id, MS, MS);
  advance(MS);
  CHECK(is_pending(sig));
  for (int i = 0; i < 5; i++)
    advance(MS); /* five more expiries while it waits */
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_overrun, 5);
  CHECK_EQ(vsig_timer_getoverrun(id), 5);
  CHECK_EQ(take(sig, NULL), 0); /* one signal for the six expiries */
  /* Taken: the next expiry queues a fresh one with no overrun. */
  check_timer_fires_at(sig, id, 7 * MS, 0);
  CHECK_EQ(vsig_timer_getoverrun(id), 0);
  /* One jump over many periods. */
  advance(1000 * MS);
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_overrun, 999);
  CHECK_EQ(vsig_timer_getoverrun(id), 999);
}

TEST(getoverrun_is_that_of_the_last_signal_taken) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  arm(id, MS, MS);
  advance(3 * MS);
  CHECK_EQ(vsig_timer_getoverrun(id), 0); /* nothing taken yet */
  CHECK_EQ(take(sig, NULL), sig);
  CHECK_EQ(vsig_timer_getoverrun(id), 2);
  advance(5 * MS);
  CHECK_EQ(vsig_timer_getoverrun(id), 2); /* still the last taken */
  CHECK_EQ(take(sig, NULL), sig);
  CHECK_EQ(vsig_timer_getoverrun(id), 4);
}

TEST(overrun_saturates_at_int_max) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  arm(id, 1, 1);
  advance(3 * SEC); /* three billion expiries of 1 ns */
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_overrun, INT_MAX);
  CHECK_EQ(vsig_timer_getoverrun(id), INT_MAX);
  /* Taken: the next expiry starts counting again. */
  advance(1);
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_overrun, 0);
}

static atomic_int handled;
static vsig_siginfo_t handled_info;
static void on_timer(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)ctx;
  (void)sig;
  handled_info = *info;
  atomic_fetch_add(&handled, 1);
}

TEST(handler_gets_si_timer_value_id_and_overrun) {
  manual(0);
  int sig = VSIG_SIGRTMIN + 4;
  vsig_sigaction_t act = {.sa_sigaction = on_timer, .sa_flags = VSIG_SA_SIGINFO};
  CHECK_EQ(vsig_sigaction(sig, &act, NULL), 0);
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 31337);
  arm(id, MS, MS);
  advance(4 * MS);
  unblock(sig);
  vsig_poll();
  CHECK_EQ(atomic_load(&handled), 1);
  CHECK_EQ(handled_info.si_signo, sig);
  CHECK_EQ(handled_info.si_code, VSIG_SI_TIMER);
  CHECK_EQ(handled_info.si_value.sival_int, 31337);
  CHECK_EQ(handled_info.si_timerid, id);
  CHECK_EQ(handled_info.si_overrun, 3);
  CHECK_EQ(vsig_timer_getoverrun(id), 3);
  advance(MS);
  vsig_poll();
  CHECK_EQ(atomic_load(&handled), 2);
  CHECK_EQ(handled_info.si_overrun, 0);
}

TEST(timer_signal_queues_in_fifo_with_sigqueue_instances) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 2);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), sig, (vsig_sigval_t){.sival_int = 1}), 0);
  arm(id, 1, 0);
  advance(1);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), sig, (vsig_sigval_t){.sival_int = 3}), 0);
  for (int want = 1; want <= 3; want++) {
    vsig_siginfo_t si;
    CHECK_EQ(take(sig, &si), sig);
    CHECK_EQ(si.si_value.sival_int, want);
    CHECK_EQ(si.si_code, want == 2 ? VSIG_SI_TIMER : VSIG_SI_QUEUE);
  }
}

struct full_run {
  int fill, eagain, got, code, value;
};

static void *fill_queue_then_fire(void *arg) {
  struct full_run *r = arg;
  int qsig = VSIG_SIGRTMIN + 1, tsig = VSIG_SIGRTMIN + 2;
  vsig_sigset_t s;
  vsig_sigemptyset(&s);
  vsig_sigaddset(&s, qsig);
  vsig_sigaddset(&s, tsig);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, tsig, 77);
  while (vsig_sigqueue(vsig_getpid(), qsig, (vsig_sigval_t){.sival_int = r->fill}) == 0)
    r->fill++;
  r->eagain = errno == EAGAIN;
  /* The queue is full, but a timer's signal needs no queue entry. */
  arm(id, MS, 0);
  advance(MS);
  vsig_siginfo_t si;
  r->got = take(tsig, &si);
  r->code = si.si_code;
  r->value = si.si_value.sival_int;
  return NULL;
}

TEST(timer_signal_is_not_lost_when_the_queue_is_full) {
  manual(0);
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  attr.queue_max = VSIG_POSIX_SIGQUEUE_MAX;
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(&attr, &pid), 0);
  struct full_run r = {0};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, fill_queue_then_fire, &r), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(r.fill, VSIG_POSIX_SIGQUEUE_MAX);
  CHECK(r.eagain);
  CHECK_EQ(r.got, VSIG_SIGRTMIN + 2);
  CHECK_EQ(r.code, VSIG_SI_TIMER);
  CHECK_EQ(r.value, 77);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

TEST(ignored_timer_signal_is_discarded) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  vsig_sigaction_t ign = {.sa_handler = VSIG_SIG_IGN};
  CHECK_EQ(vsig_sigaction(sig, &ign, NULL), 0);
  block(sig);
  vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, 1);
  arm(id, MS, MS);
  advance(10 * MS);
  CHECK(!is_pending(sig));
  CHECK_GET(id, MS, MS); /* the timer keeps running */
}

/* ---- SIGEV_NONE ---------------------------------------------------------------------------- */

TEST(sigev_none_sends_nothing_but_counts_down) {
  manual(0);
  block_all();
  vsig_timer_t id = make(VSIG_SIGEV_NONE, VSIG_SIGALRM, 1);
  arm(id, 10 * MS, 0);
  advance(3 * MS);
  CHECK_GET(id, 7 * MS, 0);
  advance(7 * MS);
  CHECK_GET(id, 0, 0); /* expired */
  vsig_timer_t p = make(VSIG_SIGEV_NONE, 0, 0);
  arm(p, 2 * MS, 5 * MS);
  advance(2 * MS);
  CHECK_GET(p, 5 * MS, 5 * MS);
  advance(11 * MS); /* through 7 and 12 to 13 ms */
  CHECK_GET(p, 4 * MS, 5 * MS);
  advance(1000 * MS);
  check_none_pending();
}

/* ---- SIGEV_THREAD_ID ------------------------------------------------------------------------ */

struct target {
  int sig;
  _Atomic int ready, go, done;
  vsig_thread_t id;
  int got;
  vsig_siginfo_t info;
};

static void *blocked_target(void *arg) {
  struct target *t = arg;
  block(t->sig);
  atomic_store(&t->ready, 1);
  WAIT_FOR(atomic_load(&t->go));
  t->got = take(t->sig, &t->info);
  atomic_store(&t->done, 1);
  return NULL;
}

TEST(thread_id_timer_signals_only_that_thread) {
  manual(0);
  int sig = VSIG_SIGRTMIN + 5;
  /* This thread has the signal unblocked and caught: as a process-directed
   * signal it would come here. */
  vsig_sigaction_t act = {.sa_sigaction = on_timer, .sa_flags = VSIG_SA_SIGINFO};
  CHECK_EQ(vsig_sigaction(sig, &act, NULL), 0);
  struct target t = {.sig = sig};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, &t.id, vsig_getpid(), 0, blocked_target, &t), 0);
  WAIT_FOR(atomic_load(&t.ready));
  vsig_timer_t id = make_timer(VSIG_SIGEV_THREAD_ID, sig, 606, t.id);
  arm(id, MS, MS);
  advance(3 * MS);
  vsig_poll();
  CHECK_EQ(atomic_load(&handled), 0);
  block(sig);              /* sigpending shows only what we block */
  CHECK(!is_pending(sig)); /* pending on the target thread, not on us or the process */
  atomic_store(&t.go, 1);
  WAIT_FOR(atomic_load(&t.done));
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(t.got, sig);
  CHECK_EQ(t.info.si_code, VSIG_SI_TIMER);
  CHECK_EQ(t.info.si_timerid, id);
  CHECK_EQ(t.info.si_value.sival_int, 606);
  CHECK_EQ(t.info.si_overrun, 2);
  CHECK_EQ(vsig_timer_delete(id), 0);
}

static void *sit(void *arg) {
  _Atomic int *stop = arg;
  WAIT_FOR(atomic_load(stop));
  return NULL;
}

TEST(thread_id_outside_the_process_is_einval) {
  manual(0);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  _Atomic int stop = 0;
  pthread_t h;
  vsig_thread_t other;
  CHECK_EQ(vsig_thread_create(&h, &other, pid, 0, sit, &stop), 0);
  vsig_sigevent_t sev = {
      .sigev_notify = VSIG_SIGEV_THREAD_ID, .sigev_signo = VSIG_SIGUSR1, .sigev_thread_id = other};
  vsig_timer_t id = 4242;
  CHECK_ERRNO(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), EINVAL);
  CHECK_EQ(id, 4242);
  sev.sigev_thread_id = vsig_thread_self();
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), 0);
  atomic_store(&stop, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

struct waiter {
  int sig;
  _Atomic int ready, done;
  vsig_thread_t id;
  int got;
  vsig_siginfo_t info;
};

static void *wait_for_it(void *arg) {
  struct waiter *w = arg;
  vsig_sigset_t s = set1(w->sig);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
  atomic_store(&w->ready, 1);
  w->got = vsig_sigwaitinfo(&s, &w->info);
  atomic_store(&w->done, 1);
  return NULL;
}

TEST(thread_id_timer_reaches_a_thread_in_sigwaitinfo) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  struct waiter w = {.sig = sig};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, &w.id, vsig_getpid(), 0, wait_for_it, &w), 0);
  WAIT_FOR(atomic_load(&w.ready) && in_state(w.id, VSIG_THREAD_SIGWAIT));
  vsig_timer_t id = make_timer(VSIG_SIGEV_THREAD_ID, sig, 5, w.id);
  arm(id, SEC, 0);
  advance(SEC);
  WAIT_FOR(atomic_load(&w.done));
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(w.got, sig);
  CHECK_EQ(w.info.si_code, VSIG_SI_TIMER);
  CHECK_EQ(w.info.si_value.sival_int, 5);
  CHECK_EQ(w.info.si_timerid, id);
  CHECK_EQ(w.info.si_overrun, 0);
}

/* ---- timer_delete -------------------------------------------------------------------------------
 */

TEST(delete_discards_a_pending_signal) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t keep = make(VSIG_SIGEV_SIGNAL, sig, 1);
  vsig_timer_t gone = make(VSIG_SIGEV_SIGNAL, sig, 2);
  arm(keep, MS, 0);
  arm(gone, MS, MS);
  advance(3 * MS);
  CHECK(is_pending(sig));
  CHECK_EQ(vsig_timer_delete(gone), 0);
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_value.sival_int, 1); /* only the other timer's is left */
  CHECK_EQ(take(sig, NULL), 0);
  advance(SEC);
  CHECK(!is_pending(sig)); /* and the deleted one never fires again */
}

/* id's signal sig (blocked) is pending once it fires, and deleting id discards it. */
static void check_delete_discards_pending(vsig_timer_t id, int sig) {
  arm(id, MS, 0);
  advance(MS);
  CHECK(is_pending(sig));
  CHECK_EQ(vsig_timer_delete(id), 0);
  CHECK(!is_pending(sig));
}

TEST(delete_discards_a_pending_standard_signal) {
  manual(0);
  block(VSIG_SIGUSR1);
  check_delete_discards_pending(make(VSIG_SIGEV_SIGNAL, VSIG_SIGUSR1, 1), VSIG_SIGUSR1);
}

TEST(delete_discards_a_thread_directed_pending_signal) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  check_delete_discards_pending(make_timer(VSIG_SIGEV_THREAD_ID, sig, 0, vsig_thread_self()), sig);
}

TEST(delete_of_an_armed_timer_stops_it) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  for (int i = 0; i < 100; i++) {
    vsig_timer_t id = make(VSIG_SIGEV_SIGNAL, sig, i);
    arm(id, MS + i, MS);
    CHECK_EQ(vsig_timer_delete(id), 0);
  }
  advance(SEC);
  CHECK(!is_pending(sig));
}

TEST(many_timers_each_fire_once) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  enum { N = 5000 };
  static vsig_timer_t ids[N];
  static char seen[N];
  for (int i = 0; i < N; i++) {
    ids[i] = make(VSIG_SIGEV_SIGNAL, sig, i);
    arm(ids[i], (int64_t)((i * 7919) % N + 1) * US, 0);
  }
  advance((N + 1) * US);
  int64_t last_deadline = 0;
  for (int k = 0; k < N; k++) {
    vsig_siginfo_t si;
    CHECK_EQ(take(sig, &si), sig);
    int i = si.si_value.sival_int;
    CHECK(i >= 0 && i < N && !seen[i]);
    seen[i] = 1;
    CHECK_EQ(si.si_timerid, ids[i]);
    int64_t d = (int64_t)((i * 7919) % N + 1) * US;
    CHECK(d >= last_deadline); /* queued in deadline order */
    last_deadline = d;
  }
  CHECK_EQ(take(sig, NULL), 0);
  for (int i = 0; i < N; i++)
    CHECK_EQ(vsig_timer_delete(ids[i]), 0);
}

/* ---- a terminated process's timers are deleted
 * ---------------------------------------------------- */

struct doomed {
  _Atomic int ready, go;
  vsig_thread_t id;
  vsig_timer_t killer, quiet, thread_timer;
  int rc, err;
  int g1, e1, g2, e2, g3, e3, d1, de1;
  unsigned alarm_left;
};

static void *arm_timers_and_pause(void *arg) {
  struct doomed *d = arg;
  d->killer = make(VSIG_SIGEV_SIGNAL, VSIG_SIGUSR1, 0); /* default action: terminate */
  d->quiet = make(VSIG_SIGEV_NONE, 0, 0);
  d->thread_timer = make_timer(VSIG_SIGEV_THREAD_ID, VSIG_SIGUSR2, 0, vsig_thread_self());
  block(VSIG_SIGUSR2);
  arm(d->thread_timer, MS / 2, MS / 2); /* pending on this thread when it dies */
  arm(d->killer, MS, MS);
  arm(d->quiet, SEC, SEC);
  CHECK_EQ(vsig_alarm(100), 0u);
  atomic_store(&d->ready, 1);
  errno = 0;
  d->rc = vsig_pause();
  d->err = errno;
  WAIT_FOR(atomic_load(&d->go));
  vsig_itimerspec_t g;
  errno = 0;
  d->g1 = vsig_timer_gettime(d->killer, &g);
  d->e1 = errno;
  errno = 0;
  d->g2 = vsig_timer_gettime(d->quiet, &g);
  d->e2 = errno;
  errno = 0;
  d->g3 = vsig_timer_gettime(d->thread_timer, &g);
  d->e3 = errno;
  errno = 0;
  d->d1 = vsig_timer_delete(d->quiet);
  d->de1 = errno;
  d->alarm_left = vsig_alarm(0);
  return NULL;
}

TEST(a_terminated_process_has_its_timers_deleted) {
  manual(0);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  struct doomed d = {0};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, &d.id, pid, 0, arm_timers_and_pause, &d), 0);
  WAIT_FOR(atomic_load(&d.ready) && in_state(d.id, VSIG_THREAD_INTERRUPTIBLE));
  advance(MS);
  int term = -1;
  CHECK_EQ(vsig_proc_status(pid, &term), 0);
  CHECK_EQ(term, VSIG_SIGUSR1);
  atomic_store(&d.go, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(d.rc, -1);
  CHECK_EQ(d.err, ECANCELED);
  CHECK_EQ(d.g1, -1);
  CHECK_EQ(d.e1, EINVAL);
  CHECK_EQ(d.g2, -1);
  CHECK_EQ(d.e2, EINVAL);
  CHECK_EQ(d.g3, -1);
  CHECK_EQ(d.e3, EINVAL);
  CHECK_EQ(d.d1, -1);
  CHECK_EQ(d.de1, EINVAL);
  CHECK_EQ(d.alarm_left, 0u);
  advance(1000 * SEC); /* nothing of the dead process fires, nothing breaks */
  CHECK_EQ(vsig_proc_destroy(pid), 0);
  advance(SEC);
}

TEST(destroying_a_process_with_armed_timers_frees_them) {
  manual(0);
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(&attr, &pid), 0);
  struct max_run r;
  memset(&r, 0, sizeof r);
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, fill_to_timer_max, &r), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(vsig_proc_destroy(pid), 0); /* alarm and interval timer still armed */
  advance(1000000 * SEC);
}

/* A standard signal has one pending instance, whoever sends it: a timer's
 * expiry while SIGALRM is already pending (from kill, and from alarm) merges
 * into it and is counted as an overrun of the timer, never a second instance. */
static _Atomic int alrm_runs;
static void count_alrm(int sig) { alrm_runs += sig == VSIG_SIGALRM; }

TEST(standard_signal_timer_expiry_merges_with_a_pending_instance) {
  manual(0);
  vsig_sigaction_t act = {.sa_handler = count_alrm};
  CHECK_EQ(vsig_sigaction(VSIG_SIGALRM, &act, NULL), 0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGALRM), 0);
  vsig_timer_t id;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, NULL, &id), 0); /* SIGALRM */
  arm(id, 1 * MS, 0);
  CHECK_EQ(vsig_alarm(1), 0);
  advance(2 * SEC);
  unblock(VSIG_SIGALRM);
  CHECK_EQ(alrm_runs, 1);
  /* The merged expiry is not lost: it rides on the timer's next signal. */
  block(VSIG_SIGALRM);
  arm(id, 1 * MS, 0);
  advance(1 * MS);
  vsig_siginfo_t si;
  CHECK_EQ(take(VSIG_SIGALRM, &si), VSIG_SIGALRM);
  CHECK_EQ(si.si_code, VSIG_SI_TIMER);
  CHECK_EQ(si.si_overrun, 1);
}
