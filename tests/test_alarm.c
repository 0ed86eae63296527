/* SPDX-License-Identifier: MIT */
/* alarm, ualarm, setitimer and getitimer: one SIGALRM timer per process
 * (include/vsig.h), on the manual clock so that hours of time, rounding and
 * thousands of periods run deterministically in milliseconds.
 *
 * SIGALRM's default action would end the test process, so every test either
 * blocks it and takes it with sigtimedwait, or catches it. */
#include "vt.h"
#include <vsig.h>

#include "timer_util.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* SIGALRM (blocked) is generated exactly at `at`: not 1 ns before. */
static void check_alarm_at(int64_t at, int overrun) { check_fires_at(VSIG_SIGALRM, at, overrun); }

static atomic_int alarms;
static vsig_siginfo_t last_info;
static void on_alarm(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)ctx;
  if (sig == VSIG_SIGALRM)
    atomic_fetch_add(&alarms, 1);
  last_info = *info;
}
static void catch_alarm(void) {
  vsig_sigaction_t act = {.sa_sigaction = on_alarm, .sa_flags = VSIG_SA_SIGINFO};
  CHECK_EQ(vsig_sigaction(VSIG_SIGALRM, &act, NULL), 0);
}

static vsig_itimerval_t itv(long vs, long vus, long is, long ius) {
  vsig_itimerval_t v;
  v.it_value.tv_sec = vs;
  v.it_value.tv_usec = vus;
  v.it_interval.tv_sec = is;
  v.it_interval.tv_usec = ius;
  return v;
}

#define CHECK_TV(tv, s, us)                                                                        \
  do {                                                                                             \
    CHECK_EQ((tv).tv_sec, (s));                                                                    \
    CHECK_EQ((tv).tv_usec, (us));                                                                  \
  } while (0)

/* ---- alarm ------------------------------------------------------------------------- */

TEST(alarm_returns_zero_when_none_was_armed) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_alarm(0), 0u);
  CHECK_EQ(vsig_alarm(5), 0u);
}

TEST(alarm_fires_once_exactly_after_its_seconds) {
  manual(7);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_alarm(3), 0u);
  check_alarm_at(7 + 3 * SEC, 0);
  check_quiet_for(VSIG_SIGALRM, 1000 * SEC); /* not periodic */
  CHECK_EQ(vsig_alarm(0), 0u);               /* fired: nothing left */
}

TEST(alarm_runs_a_handler) {
  manual(0);
  catch_alarm();
  CHECK_EQ(vsig_alarm(1), 0u);
  advance(SEC - 1);
  vsig_poll();
  CHECK_EQ(atomic_load(&alarms), 0);
  advance(1);
  vsig_poll();
  CHECK_EQ(atomic_load(&alarms), 1);
  CHECK_EQ(last_info.si_signo, VSIG_SIGALRM);
  advance(10 * SEC);
  vsig_poll();
  CHECK_EQ(atomic_load(&alarms), 1);
}

TEST(alarm_remaining_is_rounded_up) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_alarm(10), 0u);
  CHECK_EQ(vsig_alarm(10), 10u); /* exactly 10 s left */
  advance(1);
  CHECK_EQ(vsig_alarm(10), 10u); /* 9.999999999 s */
  advance(2500 * MS);
  CHECK_EQ(vsig_alarm(10), 8u); /* 7.5 s */
  advance(9 * SEC);
  CHECK_EQ(vsig_alarm(10), 1u); /* 1 s */
  advance(10 * SEC - 1);
  CHECK_EQ(vsig_alarm(0), 1u);        /* 1 ns left: still at least 1 */
  check_quiet_for(VSIG_SIGALRM, SEC); /* cancelled */
}

TEST(alarm_with_a_nanosecond_left_reports_one) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_alarm(1), 0u);
  advance(SEC - 1);
  CHECK_EQ(vsig_alarm(1), 1u);
}

TEST(alarm_zero_cancels_and_reports) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_alarm(5), 0u);
  advance(2 * SEC);
  CHECK_EQ(vsig_alarm(0), 3u);
  check_quiet_for(VSIG_SIGALRM, 100 * SEC);
  CHECK_EQ(vsig_alarm(0), 0u);
}

TEST(alarm_rearm_replaces_the_old_one) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_alarm(10), 0u);
  advance(4 * SEC);
  CHECK_EQ(vsig_alarm(2), 6u);
  check_alarm_at(6 * SEC, 0); /* the new one, not the old one at 10 s */
  advance_to(20 * SEC);
  CHECK_EQ(take(VSIG_SIGALRM, NULL), 0);
  /* Re-arming later also moves it. */
  CHECK_EQ(vsig_alarm(3), 0u);
  advance(2 * SEC);
  CHECK_EQ(vsig_alarm(3), 1u);
  check_alarm_at(25 * SEC, 0);
}

TEST(alarm_3600_in_milliseconds) {
  manual(0);
  catch_alarm();
  CHECK_EQ(vsig_alarm(3600), 0u);
  for (int i = 0; i < 3599; i++)
    advance(SEC);
  vsig_poll();
  CHECK_EQ(atomic_load(&alarms), 0);
  CHECK_EQ(vsig_alarm(3600), 1u); /* re-armed: another hour */
  advance(3600 * SEC - 1);
  vsig_poll();
  CHECK_EQ(atomic_load(&alarms), 0);
  advance(1);
  vsig_poll();
  CHECK_EQ(atomic_load(&alarms), 1);
}

TEST(alarm_largest_seconds_do_not_overflow) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_alarm(UINT_MAX), 0u);
  CHECK_EQ(vsig_alarm(UINT_MAX), UINT_MAX);
  advance((int64_t)(UINT_MAX - 1) * SEC);
  CHECK_EQ(vsig_alarm(UINT_MAX), 1u);
  check_alarm_at((int64_t)(UINT_MAX - 1) * SEC + (int64_t)UINT_MAX * SEC, 0);
}

TEST(alarm_reports_at_most_uint_max) {
  /* ualarm can arm further than alarm can say: the answer saturates. */
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_ualarm(ULONG_MAX, 0), 0ul);
  CHECK_EQ(vsig_alarm(0), UINT_MAX);
}

struct in_proc {
  unsigned before, armed, after;
};

static void *other_process_alarm(void *arg) {
  struct in_proc *r = arg;
  r->before = vsig_alarm(0);
  r->armed = vsig_alarm(7);
  r->after = vsig_alarm(0);
  return NULL;
}

TEST(alarm_is_per_process) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  CHECK_EQ(vsig_alarm(50), 0u);
  struct in_proc r = {9, 9, 9};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, other_process_alarm, &r), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(r.before, 0u);
  CHECK_EQ(r.armed, 0u);
  CHECK_EQ(r.after, 7u);
  CHECK_EQ(vsig_alarm(0), 50u);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

struct victim {
  _Atomic int ready;
  vsig_thread_t id;
  int rc, err;
};

static void *arm_and_pause(void *arg) {
  struct victim *v = arg;
  CHECK_EQ(vsig_alarm(1), 0u);
  atomic_store(&v->ready, 1);
  errno = 0;
  v->rc = vsig_pause();
  v->err = errno;
  return NULL;
}

TEST(alarm_default_action_terminates_the_process) {
  manual(0);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  struct victim v = {0};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, &v.id, pid, 0, arm_and_pause, &v), 0);
  WAIT_FOR(atomic_load(&v.ready) && in_state(v.id, VSIG_THREAD_INTERRUPTIBLE));
  advance(SEC - 1);
  int term = -1;
  CHECK_EQ(vsig_proc_status(pid, &term), 0);
  CHECK_EQ(term, 0);
  advance(1);
  CHECK_EQ(vsig_proc_status(pid, &term), 0);
  CHECK_EQ(term, VSIG_SIGALRM);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(v.rc, -1);
  CHECK_EQ(v.err, ECANCELED);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

/* ---- an alarm ends an interruptible sleep ------------------------------------------------ */

struct sleeper {
  int how; /* 0: nanosleep(10 s) after alarm(2); 1: sleep(10) after alarm(3) */
  _Atomic int ready;
  vsig_thread_t id;
  int rc, err;
  unsigned left;
  struct timespec rem;
};
static _Atomic vsig_thread_t handled_on;

static void on_alarm_note_thread(int sig) {
  if (sig == VSIG_SIGALRM)
    atomic_store(&handled_on, vsig_thread_self());
}

static void *arm_and_sleep(void *arg) {
  struct sleeper *s = arg;
  /* Created by a thread that blocks SIGALRM: this one takes it instead. */
  unblock(VSIG_SIGALRM);
  CHECK_EQ(vsig_alarm(s->how == 0 ? 2 : 3), 0u);
  atomic_store(&s->ready, 1);
  if (s->how == 0) {
    struct timespec ten = {10, 0};
    errno = 0;
    s->rc = vsig_nanosleep(&ten, &s->rem);
    s->err = errno;
  } else {
    s->left = vsig_sleep(10);
  }
  return NULL;
}

static void run_sleeper(struct sleeper *s) {
  manual(0);
  vsig_sigaction_t act = {.sa_handler = on_alarm_note_thread};
  CHECK_EQ(vsig_sigaction(VSIG_SIGALRM, &act, NULL), 0);
  block(VSIG_SIGALRM);
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, &s->id, vsig_getpid(), 0, arm_and_sleep, s), 0);
  WAIT_FOR(atomic_load(&s->ready) && in_state(s->id, VSIG_THREAD_INTERRUPTIBLE));
  /* Exactly to the alarm's deadline, so the unslept time is exact. */
  advance(s->how == 0 ? 2 * SEC : 3 * SEC);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(atomic_load(&handled_on), s->id);
}

TEST(alarm_interrupts_nanosleep_with_eintr_and_exact_remainder) {
  struct sleeper s = {.how = 0};
  run_sleeper(&s);
  CHECK_EQ(s.rc, -1);
  CHECK_EQ(s.err, EINTR);
  CHECK_EQ(s.rem.tv_sec, 8);
  CHECK_EQ(s.rem.tv_nsec, 0);
}

TEST(alarm_interrupts_sleep_which_returns_unslept_seconds) {
  struct sleeper s = {.how = 1};
  run_sleeper(&s);
  CHECK_EQ(s.left, 7u);
}

/* ---- ualarm ----------------------------------------------------------------------------- */

TEST(ualarm_returns_microseconds_left_rounded_up) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_ualarm(1000, 0), 0ul);
  CHECK_EQ(vsig_ualarm(1000, 0), 1000ul);
  advance(1);
  CHECK_EQ(vsig_ualarm(2500, 0), 1000ul); /* 999.999 us */
  advance(1000 * US + 1);
  CHECK_EQ(vsig_ualarm(2500, 0), 1500ul); /* 1499.999 us */
  advance(2500 * US - 1);
  CHECK_EQ(vsig_ualarm(0, 0), 1ul); /* 1 ns: at least 1 us */
  check_quiet_for(VSIG_SIGALRM, 10 * SEC);
  CHECK_EQ(vsig_ualarm(0, 0), 0ul);
}

TEST(ualarm_one_shot_fires_exactly_once) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_ualarm(1, 0), 0ul);
  check_alarm_at(1 * US, 0);
  check_quiet_for(VSIG_SIGALRM, SEC);
}

TEST(ualarm_interval_repeats_without_drift) {
  manual(3);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_ualarm(1000, 333), 0ul);
  check_alarm_at(3 + 1000 * US, 0);
  for (int n = 1; n <= 3000; n++)
    check_alarm_at(3 + 1000 * US + n * 333 * US, 0);
  /* The next one is one period after the last deadline. */
  CHECK_EQ(vsig_ualarm(0, 0), 333ul);
}

TEST(ualarm_zero_cancels_whatever_the_interval) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_ualarm(500, 500), 0ul);
  advance(200 * US);
  CHECK_EQ(vsig_ualarm(0, 700), 300ul);
  check_quiet_for(VSIG_SIGALRM, 10 * SEC);
}

TEST(ualarm_beyond_a_second) {
  /* glibc's ualarm takes any value (SUSv2's 1,000,000 limit is gone). */
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_ualarm(2500000, 0), 0ul);
  advance(SEC);
  CHECK_EQ(vsig_alarm(0), 2u); /* 1.5 s, as alarm sees it: one timer */
  CHECK_EQ(vsig_ualarm(2500000, 0), 0ul);
  check_alarm_at(SEC + 2500 * MS, 0);
}

TEST(ualarm_largest_value_saturates_and_never_fires) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_ualarm(ULONG_MAX, ULONG_MAX), 0ul);
  check_quiet_for(VSIG_SIGALRM, INT64_MAX / 2);
  unsigned long left = vsig_ualarm(0, 0);
  /* Still armed, with (nearly) all of time left: never wrapped to little. */
  CHECK(left >= (unsigned long)(INT64_MAX / 2 / 1000) - 1);
  CHECK_EQ(vsig_ualarm(0, 0), 0ul);
}

/* ---- setitimer / getitimer ---------------------------------------------------------------- */

TEST(getitimer_when_disarmed_is_zero) {
  manual(0);
  vsig_itimerval_t v = itv(9, 9, 9, 9);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &v), 0);
  CHECK_TV(v.it_value, 0, 0);
  CHECK_TV(v.it_interval, 0, 0);
}

TEST(setitimer_reports_and_getitimer_counts_down) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t nv = itv(2, 500000, 1, 0), ov = itv(9, 9, 9, 9);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, &ov), 0);
  CHECK_TV(ov.it_value, 0, 0);
  CHECK_TV(ov.it_interval, 0, 0);
  vsig_itimerval_t g;
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 2, 500000);
  CHECK_TV(g.it_interval, 1, 0);
  advance(1);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 2, 500000); /* 2.499999999 s rounds up to the microsecond */
  advance(500 * MS - 1);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 2, 0);
  advance(2 * SEC);
  CHECK_EQ(take(VSIG_SIGALRM, NULL), VSIG_SIGALRM);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 1, 0); /* the next period */
  CHECK_TV(g.it_interval, 1, 0);
  advance(250 * MS);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, &ov), 0);
  CHECK_TV(ov.it_value, 0, 750000);
  CHECK_TV(ov.it_interval, 1, 0);
}

TEST(itimer_with_a_nanosecond_left_reports_a_microsecond) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t nv = itv(0, 1, 0, 0), g;
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, NULL), 0);
  advance(999);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 0, 1); /* armed is never reported as disarmed */
  advance(1);
  CHECK_EQ(take(VSIG_SIGALRM, NULL), VSIG_SIGALRM);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 0, 0);
  CHECK_TV(g.it_interval, 0, 0);
}

TEST(setitimer_zero_value_disarms) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t nv = itv(1, 0, 1, 0), ov, g;
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, NULL), 0);
  advance(100 * MS);
  vsig_itimerval_t zero = itv(0, 0, 0, 0);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &zero, &ov), 0);
  CHECK_TV(ov.it_value, 0, 900000);
  CHECK_TV(ov.it_interval, 1, 0);
  check_quiet_for(VSIG_SIGALRM, 100 * SEC);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 0, 0);
  CHECK_TV(g.it_interval, 0, 0); /* the interval set last is zero */
}

TEST(setitimer_zero_value_with_an_interval_still_disarms) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t nv = itv(0, 1000, 0, 1000);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, NULL), 0);
  vsig_itimerval_t off = itv(0, 0, 5, 0), g, ov;
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &off, NULL), 0);
  check_quiet_for(VSIG_SIGALRM, 100 * SEC);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 0, 0);
  /* A disarmed itimer has no interval (Linux reports 0, not the 5 s given). */
  CHECK_TV(g.it_interval, 0, 0);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &off, &ov), 0);
  CHECK_TV(ov.it_interval, 0, 0);
}

/* value and ovalue may be one object: the new setting is read first. */
TEST(setitimer_with_value_and_ovalue_aliased) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t v = itv(4, 0, 0, 0);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &v, NULL), 0);
  v = itv(2, 0, 1, 0);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &v, &v), 0);
  CHECK_TV(v.it_value, 4, 0); /* the old setting */
  CHECK_TV(v.it_interval, 0, 0);
  check_fires_at(VSIG_SIGALRM, 2 * SEC, 0); /* armed with the new one */
  check_fires_at(VSIG_SIGALRM, 3 * SEC, 0);
}

TEST(setitimer_one_shot_fires_once) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t nv = itv(0, 1, 0, 0);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, NULL), 0);
  check_alarm_at(1 * US, 0);
  check_quiet_for(VSIG_SIGALRM, SEC);
}

TEST(setitimer_periodic_is_drift_free_over_thousands_of_periods) {
  manual(123456789);
  block(VSIG_SIGALRM);
  const int64_t t0 = 123456789;
  vsig_itimerval_t nv = itv(0, 1, 0, 1001);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, NULL), 0);
  check_alarm_at(t0 + 1 * US, 0);
  for (int n = 1; n <= 5000; n++)
    check_alarm_at(t0 + 1 * US + n * 1001 * US, 0);
}

TEST(setitimer_period_missed_while_pending_counts_as_overrun) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t nv = itv(0, 1000, 0, 1000);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, NULL), 0);
  for (int i = 0; i < 10; i++)
    advance(MS); /* ten expiries, one pending SIGALRM */
  vsig_siginfo_t si;
  CHECK_EQ(take(VSIG_SIGALRM, &si), VSIG_SIGALRM);
  CHECK_EQ(si.si_overrun, 9);
  CHECK_EQ(take(VSIG_SIGALRM, NULL), 0); /* merged into that one, counted */
  /* After the signal is taken the next expiry queues a fresh one. */
  check_alarm_at(11 * MS, 0);
  advance(10 * MS + 500 * US); /* one jump over ten periods */
  CHECK_EQ(take(VSIG_SIGALRM, &si), VSIG_SIGALRM);
  CHECK_EQ(si.si_overrun, 9);
}

TEST(setitimer_overrun_reaches_a_handler) {
  manual(0);
  catch_alarm();
  block(VSIG_SIGALRM);
  vsig_itimerval_t nv = itv(0, 1000, 0, 1000);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, NULL), 0);
  advance(5 * MS);
  unblock(VSIG_SIGALRM);
  vsig_poll();
  CHECK_EQ(atomic_load(&alarms), 1);
  CHECK_EQ(last_info.si_overrun, 4);
}

TEST(setitimer_rearm_replaces) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t a = itv(10, 0, 0, 0), b = itv(10, 0, 0, 0), ov;
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &a, NULL), 0);
  advance(4 * SEC);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &b, &ov), 0);
  CHECK_TV(ov.it_value, 6, 0);
  check_alarm_at(14 * SEC, 0);
}

TEST(setitimer_huge_seconds_saturate_and_stay_armed) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t nv = itv(LONG_MAX, 999999, 0, 0), g;
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, NULL), 0);
  check_quiet_for(VSIG_SIGALRM, INT64_MAX / 2);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK(g.it_value.tv_sec >= INT64_MAX / 2 / SEC - 1); /* not wrapped */
  CHECK(g.it_value.tv_usec >= 0 && g.it_value.tv_usec < 1000000);
}

TEST(setitimer_huge_interval_fires_once_and_stays_armed) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t nv = itv(0, 1000, LONG_MAX, 999999), g;
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, NULL), 0);
  check_alarm_at(MS, 0);
  check_quiet_for(VSIG_SIGALRM, INT64_MAX / 2);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  /* Periodic, so still armed: the next expiry lies beyond any clock. */
  CHECK(g.it_value.tv_sec >= INT64_MAX / 2 / SEC - 1);
  CHECK(g.it_interval.tv_sec >= INT64_MAX / SEC - 1);
}

TEST(setitimer_errors) {
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerval_t ok = itv(5, 0, 0, 0), ov = itv(9, 9, 9, 9);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &ok, NULL), 0);
  CHECK_ERRNO(vsig_setitimer(VSIG_ITIMER_VIRTUAL, &ok, &ov), EINVAL);
  CHECK_ERRNO(vsig_setitimer(VSIG_ITIMER_PROF, &ok, &ov), EINVAL);
  CHECK_ERRNO(vsig_setitimer(-1, &ok, &ov), EINVAL);
  CHECK_ERRNO(vsig_setitimer(3, &ok, &ov), EINVAL);
  CHECK_ERRNO(vsig_setitimer(INT_MAX, &ok, &ov), EINVAL);
  CHECK_ERRNO(vsig_setitimer(VSIG_ITIMER_REAL, NULL, &ov), EFAULT);
  const vsig_itimerval_t bad[] = {
      itv(1, 1000000, 0, 0),  itv(1, -1, 0, 0),       itv(-1, 0, 0, 0), itv(LONG_MIN, 0, 0, 0),
      itv(1, 0, 0, 1000000),  itv(1, 0, 0, -1),       itv(1, 0, -1, 0), itv(0, 0, -1, 0),
      itv(0, LONG_MAX, 0, 0), itv(0, 0, 0, LONG_MIN),
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    CHECK_ERRNO(vsig_setitimer(VSIG_ITIMER_REAL, &bad[i], &ov), EINVAL);
  /* Nothing changed, nothing was reported. */
  CHECK_TV(ov.it_value, 9, 9);
  vsig_itimerval_t g;
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 5, 0);
  check_alarm_at(5 * SEC, 0);
}

TEST(getitimer_errors) {
  manual(0);
  vsig_itimerval_t g = itv(9, 9, 9, 9);
  CHECK_ERRNO(vsig_getitimer(VSIG_ITIMER_VIRTUAL, &g), EINVAL);
  CHECK_ERRNO(vsig_getitimer(VSIG_ITIMER_PROF, &g), EINVAL);
  CHECK_ERRNO(vsig_getitimer(-1, &g), EINVAL);
  CHECK_ERRNO(vsig_getitimer(3, &g), EINVAL);
  CHECK_TV(g.it_value, 9, 9);
  CHECK_ERRNO(vsig_getitimer(VSIG_ITIMER_REAL, NULL), EFAULT);
}

/* ---- one timer for alarm, ualarm and ITIMER_REAL ------------------------------------------- */

TEST(alarm_ualarm_and_itimer_share_one_timer) {
  manual(0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_alarm(10), 0u);
  vsig_itimerval_t g, nv = itv(3, 0, 0, 0), ov;
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 10, 0);
  CHECK_EQ(vsig_setitimer(VSIG_ITIMER_REAL, &nv, &ov), 0);
  CHECK_TV(ov.it_value, 10, 0);
  CHECK_EQ(vsig_alarm(0), 3u); /* replaced by setitimer, then cancelled */
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 0, 0);
  CHECK_EQ(vsig_ualarm(700, 300), 0ul);
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 0, 700);
  CHECK_TV(g.it_interval, 0, 300);
  CHECK_EQ(vsig_alarm(4), 1u); /* ualarm's 700 us, rounded up to a second */
  CHECK_EQ(vsig_getitimer(VSIG_ITIMER_REAL, &g), 0);
  CHECK_TV(g.it_value, 4, 0);
  CHECK_TV(g.it_interval, 0, 0); /* alarm is one-shot: the interval is gone */
  check_alarm_at(4 * SEC, 0);
  check_quiet_for(VSIG_SIGALRM, 100 * SEC);
}

TEST(alarm_signal_when_ignored_is_discarded) {
  manual(0);
  vsig_sigaction_t ign = {.sa_handler = VSIG_SIG_IGN};
  CHECK_EQ(vsig_sigaction(VSIG_SIGALRM, &ign, NULL), 0);
  block(VSIG_SIGALRM);
  CHECK_EQ(vsig_alarm(1), 0u);
  advance(SEC);
  vsig_sigset_t p;
  CHECK_EQ(vsig_sigpending(&p), 0);
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGALRM), 0);
}
