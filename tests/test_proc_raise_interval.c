/* SPDX-License-Identifier: MIT */
/* WASIX proc_raise_interval(sig, interval_ms, repeat) and its nanosecond form
 * proc_raise_interval2: one interval timer per (process, signal), sending the
 * signal to the caller's process. Both return an error number, not -1/errno.
 * On the manual clock, so every deadline is checked to the nanosecond. */
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

/* The old setting of sig's timer, read by cancelling and re-arming it would
 * disturb it, so tests read it only where cancelling is what they want. */
static void cancel_reporting(int sig, uint64_t first, uint64_t period) {
  uint64_t f = 77, p = 77;
  CHECK_EQ(vsig_proc_raise_interval2(sig, 0, 0, &f, &p), 0);
  CHECK_EQ(f, first);
  CHECK_EQ(p, period);
}

/* ---- errors -------------------------------------------------------------------------- */

TEST(invalid_signal_is_einval_as_a_return_value) {
  manual(0);
  const int bad[] = {0, -1, VSIG_NSIG, VSIG_NSIG + 1, 1000, INT_MAX, INT_MIN};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    errno = 1234;
    CHECK_EQ(vsig_proc_raise_interval(bad[i], 5, 1), EINVAL);
    CHECK_EQ(vsig_proc_raise_interval(bad[i], 0, 0), EINVAL);
    uint64_t f = 77, p = 77;
    CHECK_EQ(vsig_proc_raise_interval2(bad[i], MS, MS, &f, &p), EINVAL);
    CHECK_EQ(vsig_proc_raise_interval2(bad[i], 0, 0, NULL, NULL), EINVAL);
    CHECK_EQ(errno, 1234); /* an error number, errno untouched */
    CHECK_EQ(f, 77u);      /* nothing reported on failure */
    CHECK_EQ(p, 77u);
  }
  /* Nothing was armed by the failures. */
  advance(1000 * SEC);
  check_none_pending();
}

TEST(success_is_zero_and_leaves_errno) {
  manual(0);
  block(VSIG_SIGUSR1);
  errno = 1234;
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 1, 0), 0);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 0, 0), 0);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 1, 1, NULL, NULL), 0);
  CHECK_EQ(errno, 1234);
}

TEST(every_valid_signal_is_accepted) {
  manual(0);
  for (int s = 1; s < VSIG_NSIG; s++) {
    if (s == VSIG_SIGKILL || s == VSIG_SIGSTOP)
      continue; /* valid, but they would take the test process with them */
    CHECK_EQ(vsig_proc_raise_interval(s, 1000, 1), 0);
    CHECK_EQ(vsig_proc_raise_interval(s, 0, 0), 0);
  }
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGKILL, 0, 0), 0);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGSTOP, 0, 0), 0);
}

/* ---- the millisecond form ---------------------------------------------------------------- */

TEST(one_shot_fires_once_after_interval_ms) {
  manual(11);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 5, 0), 0);
  check_fires_at(VSIG_SIGUSR1, 11 + 5 * MS, 0);
  check_quiet_for(VSIG_SIGUSR1, 3600 * SEC);
  cancel_reporting(VSIG_SIGUSR1, 0, 0);
}

TEST(one_millisecond_is_the_smallest_interval) {
  manual(0);
  block(VSIG_SIGUSR2);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR2, 1, 1), 0);
  for (int n = 1; n <= 100; n++)
    check_fires_at(VSIG_SIGUSR2, n * MS, 0);
}

TEST(repeat_fires_every_interval_without_drift) {
  manual(999);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 7, 1), 0);
  for (int n = 1; n <= 3000; n++)
    check_fires_at(VSIG_SIGUSR1, 999 + n * 7 * MS, 0);
  cancel_reporting(VSIG_SIGUSR1, 7 * MS, 7 * MS);
}

TEST(repeat_is_any_nonzero_value) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 2, 42), 0);
  check_fires_at(VSIG_SIGUSR1, 2 * MS, 0);
  check_fires_at(VSIG_SIGUSR1, 4 * MS, 0);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 2, -1), 0);
  check_fires_at(VSIG_SIGUSR1, 6 * MS, 0);
  check_fires_at(VSIG_SIGUSR1, 8 * MS, 0);
}

TEST(zero_cancels) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 0, 0), 0); /* nothing to cancel: fine */
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 10, 1), 0);
  check_fires_at(VSIG_SIGUSR1, 10 * MS, 0);
  advance(5 * MS);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 0, 1), 0); /* repeat does not matter */
  check_quiet_for(VSIG_SIGUSR1, 1000 * SEC);
  cancel_reporting(VSIG_SIGUSR1, 0, 0);
}

TEST(rearm_replaces_the_old_setting) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 10, 0), 0);
  advance(4 * MS);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 10, 0), 0);
  check_fires_at(VSIG_SIGUSR1, 14 * MS, 0); /* not at 10 ms */
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 3, 1), 0);
  advance(1 * MS);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 5, 0), 0); /* periodic -> one-shot */
  check_fires_at(VSIG_SIGUSR1, 20 * MS, 0);
  check_quiet_for(VSIG_SIGUSR1, 100 * MS);
}

TEST(one_timer_per_signal_rearming_one_leaves_the_others) {
  manual(0);
  block(VSIG_SIGUSR1);
  block(VSIG_SIGUSR2);
  block(VSIG_SIGRTMIN);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 3, 1), 0);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR2, 5, 1), 0);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGRTMIN, 4, 0), 0);
  advance(1 * MS);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 7, 1), 0); /* now 8, 15, 22, ... */
  /* USR2 keeps 5, 10, 15, 20; RTMIN keeps its single 4. */
  const struct {
    int64_t t;
    int sig;
  } ev[] = {{4 * MS, VSIG_SIGRTMIN}, {5 * MS, VSIG_SIGUSR2},  {8 * MS, VSIG_SIGUSR1},
            {10 * MS, VSIG_SIGUSR2}, {15 * MS, VSIG_SIGUSR1}, {15 * MS, VSIG_SIGUSR2},
            {20 * MS, VSIG_SIGUSR2}, {22 * MS, VSIG_SIGUSR1}};
  const int sigs[] = {VSIG_SIGUSR1, VSIG_SIGUSR2, VSIG_SIGRTMIN};
  for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++) {
    if (i == 0 || ev[i].t != ev[i - 1].t) {
      advance_to(ev[i].t - 1);
      for (int k = 0; k < 3; k++)
        CHECK_EQ(take(sigs[k], NULL), 0);
      advance(1);
    }
    CHECK_EQ(take(ev[i].sig, NULL), ev[i].sig);
    if (i + 1 == sizeof ev / sizeof ev[0] || ev[i + 1].t != ev[i].t)
      for (int k = 0; k < 3; k++)
        CHECK_EQ(take(sigs[k], NULL), 0);
  }
  /* Cancelling one leaves the others. */
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR2, 0, 0), 0);
  check_fires_at(VSIG_SIGUSR1, 29 * MS, 0);
  CHECK_EQ(take(VSIG_SIGUSR2, NULL), 0);
  cancel_reporting(VSIG_SIGUSR1, 7 * MS, 7 * MS);
}

TEST(largest_interval_saturates_and_never_fires) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, UINT64_MAX, 1), 0);
  check_quiet_for(VSIG_SIGUSR1, INT64_MAX / 2);
  uint64_t f = 0, p = 0;
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 0, 0, &f, &p), 0);
  /* Armed with (nearly) all of time left, not wrapped to something small. */
  CHECK(f >= (uint64_t)(INT64_MAX / 2) - 1);
  CHECK(p >= (uint64_t)INT64_MAX / 2);
}

TEST(interval_ms_just_past_the_nanosecond_range_saturates) {
  manual(0);
  block(VSIG_SIGUSR1);
  /* 9223372036855 ms is just over INT64_MAX ns: it must not wrap negative. */
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 9223372036855ull, 0), 0);
  check_quiet_for(VSIG_SIGUSR1, SEC);
  uint64_t f = 0, p = 7;
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 0, 0, &f, &p), 0);
  CHECK(f > (uint64_t)INT64_MAX - 2 * SEC);
  CHECK_EQ(p, 0u);
  /* And a deadline just inside the clock's range is exact (now is 1 s). */
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 9223372035854ull, 0), 0);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 0, 0, &f, &p), 0);
  CHECK_EQ(f, 9223372035854ull * 1000000ull);
}

/* ---- the nanosecond form ---------------------------------------------------------------- */

TEST(interval2_first_then_period) {
  manual(5);
  block(VSIG_SIGUSR1);
  uint64_t f = 9, p = 9;
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 1000, 300, &f, &p), 0);
  CHECK_EQ(f, 0u); /* nothing armed before */
  CHECK_EQ(p, 0u);
  check_fires_at(VSIG_SIGUSR1, 5 + 1000, 0);
  for (int n = 1; n <= 2000; n++)
    check_fires_at(VSIG_SIGUSR1, 5 + 1000 + n * 300, 0);
}

TEST(interval2_one_nanosecond) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 1, 0, NULL, NULL), 0);
  advance(1);
  CHECK_EQ(take(VSIG_SIGUSR1, NULL), VSIG_SIGUSR1);
  check_quiet_for(VSIG_SIGUSR1, SEC);
}

TEST(interval2_reports_the_old_setting) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 1000, 300, NULL, NULL), 0);
  advance(400);
  uint64_t f = 0, p = 0;
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 50, 0, &f, &p), 0);
  CHECK_EQ(f, 600u);
  CHECK_EQ(p, 300u);
  advance(10);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 50, 0, &f, &p), 0);
  CHECK_EQ(f, 40u);
  CHECK_EQ(p, 0u);
  check_fires_at(VSIG_SIGUSR1, 460, 0);
  /* A one-shot that fired is no setting at all. */
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 0, 0, &f, &p), 0);
  CHECK_EQ(f, 0u);
  CHECK_EQ(p, 0u);
}

TEST(interval2_old_setting_of_a_periodic_timer_after_expiries) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 100, 30, NULL, NULL), 0);
  advance(100 + 30 * 5 + 7); /* six expiries, last at 250; next at 280 */
  cancel_reporting(VSIG_SIGUSR1, 23, 30);
}

TEST(interval2_one_report_pointer_may_be_null) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 1000, 300, NULL, NULL), 0);
  uint64_t f = 0, p = 0;
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 1000, 300, &f, NULL), 0);
  CHECK_EQ(f, 1000u);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 1000, 300, NULL, &p), 0);
  CHECK_EQ(p, 300u);
}

TEST(interval2_first_zero_cancels_whatever_the_period) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 100, 100, NULL, NULL), 0);
  advance(50);
  uint64_t f = 0, p = 0;
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 0, 100, &f, &p), 0);
  CHECK_EQ(f, 50u);
  CHECK_EQ(p, 100u);
  check_quiet_for(VSIG_SIGUSR1, SEC);
  cancel_reporting(VSIG_SIGUSR1, 0, 0); /* cancelled: no setting left */
}

TEST(interval2_and_interval_are_the_same_timer) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 3, 1), 0);
  uint64_t f = 0, p = 0;
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 2 * MS, 0, &f, &p), 0);
  CHECK_EQ(f, 3u * MS);
  CHECK_EQ(p, 3u * MS);
  check_fires_at(VSIG_SIGUSR1, 2 * MS, 0);
  check_quiet_for(VSIG_SIGUSR1, SEC);
}

TEST(interval2_largest_values_saturate) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, UINT64_MAX, UINT64_MAX, NULL, NULL), 0);
  check_quiet_for(VSIG_SIGUSR1, INT64_MAX / 2);
  uint64_t f = 0, p = 0;
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 0, 0, &f, &p), 0);
  CHECK(f >= (uint64_t)(INT64_MAX / 2) - 1);
  CHECK_EQ(p, (uint64_t)INT64_MAX);
}

TEST(interval2_huge_period_fires_once_and_stays_armed) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, MS, UINT64_MAX, NULL, NULL), 0);
  check_fires_at(VSIG_SIGUSR1, MS, 0);
  check_quiet_for(VSIG_SIGUSR1, INT64_MAX / 2);
  uint64_t f = 0, p = 0;
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 0, 0, &f, &p), 0);
  CHECK(f > 0); /* periodic: armed, its next expiry beyond any clock */
  CHECK_EQ(p, (uint64_t)INT64_MAX);
}

/* ---- what arrives ---------------------------------------------------------------------- */

TEST(periods_missed_while_pending_are_overruns) {
  manual(0);
  int sig = VSIG_SIGRTMIN + 3;
  block(sig);
  CHECK_EQ(vsig_proc_raise_interval(sig, 1, 1), 0);
  for (int i = 0; i < 10; i++)
    advance(MS);
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_overrun, 9); /* one signal, nine merged expiries, counted */
  CHECK_EQ(take(sig, NULL), 0);
  check_fires_at(sig, 11 * MS, 0); /* taken: the next expiry queues afresh */
  advance(1000 * MS);              /* one jump over a thousand periods */
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_overrun, 999);
}

TEST(standard_signal_overruns_too) {
  manual(0);
  block(VSIG_SIGUSR2);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR2, 10, 10, NULL, NULL), 0);
  advance(10 * 1000);
  vsig_siginfo_t si;
  CHECK_EQ(take(VSIG_SIGUSR2, &si), VSIG_SIGUSR2);
  CHECK_EQ(si.si_overrun, 999);
}

static atomic_int handled;
static vsig_thread_t handled_on;
static void on_usr1(int sig) {
  if (sig == VSIG_SIGUSR1) {
    atomic_fetch_add(&handled, 1);
    handled_on = vsig_thread_self();
  }
}

TEST(handler_runs_for_each_expiry) {
  manual(0);
  vsig_sigaction_t act = {.sa_handler = on_usr1};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, NULL), 0);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 2, 1), 0);
  for (int n = 1; n <= 1000; n++) {
    advance(2 * MS - 1);
    vsig_poll();
    CHECK_EQ(atomic_load(&handled), n - 1);
    advance(1);
    vsig_poll();
    CHECK_EQ(atomic_load(&handled), n);
  }
  CHECK_EQ(handled_on, vsig_thread_self());
}

struct taker {
  _Atomic int ready, stop;
  vsig_thread_t id;
};

static void *unblock_and_poll(void *arg) {
  struct taker *t = arg;
  unblock(VSIG_SIGUSR1);
  atomic_store(&t->ready, 1);
  while (!atomic_load(&t->stop)) {
    vsig_poll();
    sched_yield();
  }
  return NULL;
}

TEST(signal_goes_to_a_thread_of_the_process_that_has_it_unblocked) {
  manual(0);
  vsig_sigaction_t act = {.sa_handler = on_usr1};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, NULL), 0);
  block(VSIG_SIGUSR1);
  struct taker t = {0};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, &t.id, vsig_getpid(), 0, unblock_and_poll, &t), 0);
  WAIT_FOR(atomic_load(&t.ready));
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 1, 1), 0);
  for (int n = 1; n <= 20; n++) {
    advance(MS);
    WAIT_FOR(atomic_load(&handled) == n);
  }
  atomic_store(&t.stop, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(handled_on, t.id);
}

/* ---- per process --------------------------------------------------------------------------- */

struct other {
  uint64_t f, p;
  int rc;
};

static void *read_other_process_setting(void *arg) {
  struct other *o = arg;
  o->rc = vsig_proc_raise_interval2(VSIG_SIGUSR1, 0, 0, &o->f, &o->p);
  return NULL;
}

static void *arm_in_other_process(void *arg) {
  struct other *o = arg;
  o->rc = vsig_proc_raise_interval2(VSIG_SIGUSR1, 5 * SEC, 5 * SEC, NULL, NULL);
  return NULL;
}

TEST(interval_timers_are_per_process) {
  manual(0);
  block(VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 1000, 1), 0);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  struct other o = {9, 9, 9};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, read_other_process_setting, &o), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(o.rc, 0);
  CHECK_EQ(o.f, 0u);
  CHECK_EQ(o.p, 0u);
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, arm_in_other_process, &o), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(o.rc, 0);
  cancel_reporting(VSIG_SIGUSR1, 1000 * MS, 1000 * MS); /* ours, untouched */
  CHECK_EQ(vsig_proc_destroy(pid), 0);                  /* with an armed timer: freed with it */
}

struct doomed {
  _Atomic int ready, go;
  vsig_thread_t id;
  int rc, err;
  uint64_t f1, p1, f2, p2;
};

static void *arm_interval_and_pause(void *arg) {
  struct doomed *d = arg;
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR2, 1, 1), 0);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 3, 1), 0);
  atomic_store(&d->ready, 1);
  errno = 0;
  d->rc = vsig_pause();
  d->err = errno;
  /* Still attached to the dead process, whose timers were deleted by the
   * time the advance that killed it returned. */
  WAIT_FOR(atomic_load(&d->go));
  d->f1 = d->p1 = d->f2 = d->p2 = 77;
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 0, 0, &d->f1, &d->p1), 0);
  CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR2, 0, 0, &d->f2, &d->p2), 0);
  return NULL;
}

TEST(default_action_terminates_the_process_and_its_timers_stop) {
  manual(0);
  vsig_sigaction_t act = {.sa_handler = on_usr1};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, NULL), 0); /* ours, not theirs */
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  struct doomed d = {0};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, &d.id, pid, 0, arm_interval_and_pause, &d), 0);
  WAIT_FOR(atomic_load(&d.ready) && in_state(d.id, VSIG_THREAD_INTERRUPTIBLE));
  advance(MS);
  int term = -1;
  CHECK_EQ(vsig_proc_status(pid, &term), 0);
  CHECK_EQ(term, VSIG_SIGUSR2);
  atomic_store(&d.go, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(d.rc, -1);
  CHECK_EQ(d.err, ECANCELED);
  CHECK_EQ(d.f1, 0u);
  CHECK_EQ(d.p1, 0u);
  CHECK_EQ(d.f2, 0u);
  CHECK_EQ(d.p2, 0u);
  /* Its SIGUSR1 timer is gone with it; ours never heard of it. */
  advance(SEC);
  vsig_poll();
  CHECK_EQ(atomic_load(&handled), 0);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
  advance(SEC);
}

/* ---- the table of a process's interval timers ------------------------------------------- */

/* A process has its table of interval timers from its first arm of one on:
 * one that never armed one still has its alarm and POSIX timers. */
static void *alarm_and_posix_timer_without_interval_timers(void *arg) {
  (void)arg;
  block(VSIG_SIGALRM);
  block(VSIG_SIGUSR1);
  int64_t t0 = vsig_clock_now();
  CHECK_EQ(vsig_alarm(2), 0u);
  vsig_sigevent_t sev = {.sigev_notify = VSIG_SIGEV_SIGNAL, .sigev_signo = VSIG_SIGUSR1};
  vsig_timer_t id;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &id), 0);
  vsig_itimerspec_t its = {.it_interval = {0, 3 * MS}, .it_value = {0, 5 * MS}};
  CHECK_EQ(vsig_timer_settime(id, 0, &its, NULL), 0);
  check_fires_at(VSIG_SIGUSR1, t0 + 5 * MS, 0);
  check_fires_at(VSIG_SIGUSR1, t0 + 8 * MS, 0);
  check_fires_at(VSIG_SIGALRM, t0 + 2 * SEC, 0);
  CHECK_EQ(vsig_timer_delete(id), 0);
  return NULL;
}

TEST(a_process_that_never_armed_one_has_its_alarm_and_timers) {
  manual(0);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  pthread_t h;
  CHECK_EQ(
      vsig_thread_create(&h, NULL, pid, 0, alarm_and_posix_timer_without_interval_timers, NULL), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

/* Cancelling before any arm has nothing to report, and arms nothing. */
static void *cancel_first(void *arg) {
  struct other *o = arg;
  block(VSIG_SIGUSR1);
  o->rc = vsig_proc_raise_interval2(VSIG_SIGUSR1, 0, 5 * MS, &o->f, &o->p);
  advance(SEC);
  CHECK_EQ(take(VSIG_SIGUSR1, NULL), 0);
  return NULL;
}

TEST(cancel_in_a_process_that_never_armed_one_reports_nothing) {
  manual(0);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  struct other o = {77, 77, 77};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, cancel_first, &o), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(o.rc, 0);
  CHECK_EQ(o.f, 0u);
  CHECK_EQ(o.p, 0u);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

/* Destroying a process frees its interval timers and their table, armed,
 * cancelled or with a signal pending: nothing fires into it afterwards (under
 * ASan a use after free or a leak fails the test). */
static void *arm_several(void *arg) {
  (void)arg;
  block(VSIG_SIGUSR1);
  block(VSIG_SIGUSR2);
  block(VSIG_SIGRTMIN);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 1, 1), 0);     /* pending at the end */
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR2, 5, 0), 0);     /* cancelled */
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGRTMIN, 10, 1), 0);   /* queued, twice */
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGRTMAX, 1000, 1), 0); /* armed */
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR2, 0, 0), 0);
  advance(25 * MS);
  CHECK(is_pending(VSIG_SIGUSR1));
  CHECK(is_pending(VSIG_SIGRTMIN));
  CHECK(!is_pending(VSIG_SIGUSR2));
  return NULL;
}

TEST(destroying_a_process_frees_its_interval_timers) {
  manual(0);
  for (int round = 0; round < 3; round++) {
    vsig_pid_t pid;
    CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
    pthread_t h;
    CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, arm_several, NULL), 0);
    CHECK_EQ(pthread_join(h, NULL), 0);
    CHECK_EQ(vsig_proc_destroy(pid), 0);
    advance(5 * SEC); /* past every deadline its timers had */
  }
  block(VSIG_SIGUSR1);
  block(VSIG_SIGRTMIN);
  check_none_pending(); /* nothing of theirs came here */
}
