/* SPDX-License-Identifier: MIT */
/* vsig's clock: the host's monotonic clock by default, or a manual clock that
 * moves only through vsig_clock_advance, firing what falls due on the way and
 * waking timed waits. Each TEST runs in its own process, so each may switch
 * to the manual clock itself. */
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

static int state_of(vsig_thread_t t) {
  int s = -1;
  CHECK_EQ(vsig_thread_getstate(t, &s), 0);
  return s;
}

/* Let another thread run for a moment: used only before checking that
 * something has NOT happened, never to make something happen. */
static void settle(void) {
  for (int i = 0; i < 50; i++) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
  }
}

/* ---- the host clock ------------------------------------------------------------- */

TEST(host_clock_is_the_monotonic_clock) {
  for (int i = 0; i < 1000; i++) {
    int64_t a = host_mono();
    int64_t v = vsig_clock_now();
    int64_t b = host_mono();
    CHECK(a <= v && v <= b);
  }
}

TEST(advance_without_manual_clock_is_einval) {
  CHECK_EQ(vsig_clock_advance(0), EINVAL);
  CHECK_EQ(vsig_clock_advance(SEC), EINVAL);
  CHECK_EQ(vsig_clock_advance(-1), EINVAL);
}

TEST(reading_the_host_clock_does_not_prevent_switching) {
  /* Only a deadline set on the host clock pins it; a read does not. */
  (void)vsig_clock_now();
  manual(77);
  CHECK_EQ(vsig_clock_now(), 77);
}

TEST(set_manual_after_host_timer_is_ebusy) {
  block(VSIG_SIGALRM); /* the default action would end the test process */
  CHECK_EQ(vsig_alarm(100), 0u);
  CHECK_EQ(vsig_clock_set_manual(0), EBUSY);
  CHECK_EQ(vsig_alarm(0), 100u);
  /* Disarmed, but a deadline was set on the host clock: still pinned. */
  CHECK_EQ(vsig_clock_set_manual(0), EBUSY);
  CHECK_EQ(vsig_clock_advance(1), EINVAL); /* the failed switch changed nothing */
  int64_t a = host_mono(), v = vsig_clock_now(), b = host_mono();
  CHECK(a <= v && v <= b);
}

TEST(set_manual_after_host_nanosleep_is_ebusy) {
  struct timespec ms = {0, 1000000};
  CHECK_EQ(vsig_nanosleep(&ms, NULL), 0);
  CHECK_EQ(vsig_clock_set_manual(0), EBUSY);
}

TEST(set_manual_after_host_sigtimedwait_is_ebusy) {
  vsig_sigset_t s = set1(VSIG_SIGUSR1);
  block(VSIG_SIGUSR1);
  struct timespec ms = {0, 1000000};
  CHECK_ERRNO(vsig_sigtimedwait(&s, NULL, &ms), EAGAIN);
  CHECK_EQ(vsig_clock_set_manual(0), EBUSY);
}

TEST(set_manual_after_host_timer_create_settime_is_ebusy) {
  block(VSIG_SIGRTMIN);
  vsig_timer_t id = make_timer(VSIG_SIGEV_SIGNAL, VSIG_SIGRTMIN, 0, 0);
  arm(id, 1000 * SEC, 0);
  CHECK_EQ(vsig_clock_set_manual(0), EBUSY);
  CHECK_EQ(vsig_timer_delete(id), 0);
}

TEST(creating_a_timer_sets_no_deadline_and_does_not_pin_the_clock) {
  vsig_timer_t id;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, NULL, &id), 0);
  manual(0);
  block(VSIG_SIGALRM);
  vsig_itimerspec_t its = {.it_value = {1, 0}};
  CHECK_EQ(vsig_timer_settime(id, 0, &its, NULL), 0);
  advance(SEC); /* armed after the switch: on the manual clock */
  vsig_sigset_t s = set1(VSIG_SIGALRM);
  struct timespec zero = {0, 0};
  CHECK_EQ(vsig_sigtimedwait(&s, NULL, &zero), VSIG_SIGALRM);
}

TEST(proc_raise_interval_on_host_clock_pins_it) {
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 100000, 0), 0);
  CHECK_EQ(vsig_clock_set_manual(0), EBUSY);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 0, 0), 0);
}

/* ---- the manual clock ------------------------------------------------------------ */

TEST(manual_clock_reads_its_start_and_moves_only_when_advanced) {
  manual(1000);
  CHECK_EQ(vsig_clock_now(), 1000);
  settle();
  CHECK_EQ(vsig_clock_now(), 1000);
  advance(0);
  CHECK_EQ(vsig_clock_now(), 1000);
  advance(1);
  CHECK_EQ(vsig_clock_now(), 1001);
  advance(3600 * SEC);
  CHECK_EQ(vsig_clock_now(), 1001 + 3600 * SEC);
}

TEST(manual_clock_may_start_at_zero) {
  manual(0);
  CHECK_EQ(vsig_clock_now(), 0);
  advance(5);
  CHECK_EQ(vsig_clock_now(), 5);
}

TEST(set_manual_twice_is_ebusy_and_keeps_the_time) {
  manual(500);
  advance(10);
  CHECK_EQ(vsig_clock_set_manual(0), EBUSY);
  CHECK_EQ(vsig_clock_set_manual(510), EBUSY);
  CHECK_EQ(vsig_clock_now(), 510);
}

TEST(set_manual_negative_start_is_einval) {
  CHECK_EQ(vsig_clock_set_manual(-1), EINVAL);
  CHECK_EQ(vsig_clock_set_manual(INT64_MIN), EINVAL);
  /* Nothing changed: still the host clock, and still free to switch. */
  CHECK_EQ(vsig_clock_advance(1), EINVAL);
  manual(3);
  CHECK_EQ(vsig_clock_now(), 3);
}

TEST(advance_negative_is_einval_and_keeps_the_time) {
  manual(100);
  CHECK_EQ(vsig_clock_advance(-1), EINVAL);
  CHECK_EQ(vsig_clock_advance(INT64_MIN), EINVAL);
  CHECK_EQ(vsig_clock_now(), 100);
}

TEST(advance_saturates_at_the_end_of_time) {
  manual(INT64_MAX - 10);
  advance(INT64_MAX);
  CHECK_EQ(vsig_clock_now(), INT64_MAX);
  advance(1);
  CHECK_EQ(vsig_clock_now(), INT64_MAX);
  advance(0);
  CHECK_EQ(vsig_clock_now(), INT64_MAX);
}

TEST(manual_start_at_the_largest_time) {
  manual(INT64_MAX);
  CHECK_EQ(vsig_clock_now(), INT64_MAX);
  advance(SEC);
  CHECK_EQ(vsig_clock_now(), INT64_MAX);
}

TEST(advance_fires_every_due_timer_in_deadline_order) {
  manual(0);
  int sig = VSIG_SIGRTMIN + 1;
  block(sig);
  /* Real-time instances queue in the order the timers fired. */
  const int64_t at[] = {3 * MS, 1 * MS, 2 * MS + 1, 2 * MS, 5 * MS};
  vsig_timer_t id[5];
  for (int i = 0; i < 5; i++) {
    id[i] = make_timer(VSIG_SIGEV_SIGNAL, sig, i, 0);
    arm(id[i], at[i], 0);
  }
  advance(4 * MS); /* the one at 5 ms is not due yet */
  vsig_sigset_t s = set1(sig);
  struct timespec zero = {0, 0};
  const int order[] = {1, 3, 2, 0};
  for (int i = 0; i < 4; i++) {
    vsig_siginfo_t si;
    CHECK_EQ(vsig_sigtimedwait(&s, &si, &zero), sig);
    CHECK_EQ(si.si_value.sival_int, order[i]);
    CHECK_EQ(si.si_code, VSIG_SI_TIMER);
    CHECK_EQ(si.si_timerid, id[order[i]]);
  }
  CHECK_ERRNO(vsig_sigtimedwait(&s, NULL, &zero), EAGAIN);
  advance(1 * MS);
  vsig_siginfo_t si;
  CHECK_EQ(vsig_sigtimedwait(&s, &si, &zero), sig);
  CHECK_EQ(si.si_value.sival_int, 4);
  for (int i = 0; i < 5; i++)
    CHECK_EQ(vsig_timer_delete(id[i]), 0);
}

TEST(same_deadline_timers_both_fire) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t a = make_timer(VSIG_SIGEV_SIGNAL, sig, 0, 0);
  vsig_timer_t b = make_timer(VSIG_SIGEV_SIGNAL, sig, 0, 0);
  arm(a, SEC, 0);
  arm(b, SEC, 0);
  advance(SEC);
  vsig_sigset_t s = set1(sig);
  struct timespec zero = {0, 0};
  vsig_siginfo_t x, y;
  CHECK_EQ(vsig_sigtimedwait(&s, &x, &zero), sig);
  CHECK_EQ(vsig_sigtimedwait(&s, &y, &zero), sig);
  CHECK(x.si_timerid != y.si_timerid);
  CHECK(x.si_timerid == a || x.si_timerid == b);
  CHECK(y.si_timerid == a || y.si_timerid == b);
}

/* The terminate callback runs on the advancing thread while it fires: the
 * time it reads is the deadline of the timer that fired, not the target. */
static atomic_llong term_seen_at;
static atomic_int term_sig;
static void on_terminate(vsig_pid_t pid, int sig, void *arg) {
  (void)pid;
  (void)arg;
  atomic_store(&term_seen_at, vsig_clock_now());
  atomic_store(&term_sig, sig);
}

struct alarm_victim {
  _Atomic int armed;
  int rc, err;
  unsigned first;
};

static void *arm_alarm_and_pause(void *arg) {
  struct alarm_victim *v = arg;
  v->first = vsig_alarm(2);
  atomic_store(&v->armed, 1);
  errno = 0;
  v->rc = vsig_pause();
  v->err = errno;
  return NULL;
}

TEST(time_while_firing_is_the_deadline_of_the_firing_timer) {
  manual(10 * SEC);
  vsig_set_terminate_callback(on_terminate, NULL);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  struct alarm_victim v = {0};
  pthread_t h;
  vsig_thread_t tid;
  CHECK_EQ(vsig_thread_create(&h, &tid, pid, 0, arm_alarm_and_pause, &v), 0);
  WAIT_FOR(atomic_load(&v.armed) && state_of(tid) == VSIG_THREAD_INTERRUPTIBLE);
  advance(60 * SEC);
  CHECK_EQ(atomic_load(&term_sig), VSIG_SIGALRM);
  CHECK_EQ(atomic_load(&term_seen_at), 12 * SEC);
  CHECK_EQ(vsig_clock_now(), 70 * SEC);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(v.first, 0u);
  CHECK_EQ(v.rc, -1);
  CHECK_EQ(v.err, ECANCELED);
  int ts = 0;
  CHECK_EQ(vsig_proc_status(pid, &ts), 0);
  CHECK_EQ(ts, VSIG_SIGALRM);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

/* ---- timed waits on the manual clock ------------------------------------------------ */

enum { W_TIMEDWAIT, W_NANOSLEEP, W_SLEEP, W_USLEEP, W_FOREVER };

struct waiter {
  int mode;
  struct timespec ts;
  int sig;
  _Atomic int started, done;
  long long rc;
  int err;
  vsig_siginfo_t info;
  struct timespec rem;
  pthread_t h;
  vsig_thread_t tid;
};

static void *waiter_main(void *arg) {
  struct waiter *w = arg;
  vsig_sigset_t s = set1(w->sig ? w->sig : VSIG_SIGUSR1);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
  atomic_store(&w->started, 1);
  errno = 0;
  switch (w->mode) {
  case W_TIMEDWAIT:
  case W_FOREVER:
    w->rc = vsig_sigtimedwait(&s, &w->info, &w->ts);
    break;
  case W_NANOSLEEP:
    w->rc = vsig_nanosleep(&w->ts, &w->rem);
    break;
  case W_SLEEP:
    w->rc = vsig_sleep((unsigned)w->ts.tv_sec);
    break;
  case W_USLEEP:
    w->rc = vsig_usleep((unsigned long)(w->ts.tv_sec * 1000000 + w->ts.tv_nsec / 1000));
    break;
  }
  w->err = errno;
  atomic_store(&w->done, 1);
  return NULL;
}

static void start_waiter(struct waiter *w, int state) {
  CHECK_EQ(vsig_thread_create(&w->h, &w->tid, vsig_getpid(), 0, waiter_main, w), 0);
  WAIT_FOR(atomic_load(&w->started) && state_of(w->tid) == state);
}

/* w has not returned from its call, even given a moment to. */
static void check_still_waiting(struct waiter *w) {
  settle();
  CHECK(!atomic_load(&w->done));
}

/* w's call returns (the clock has reached its deadline, or a signal came): join it. */
static void join_waiter(struct waiter *w) {
  WAIT_FOR(atomic_load(&w->done));
  CHECK_EQ(pthread_join(w->h, NULL), 0);
}

TEST(sigtimedwait_wakes_when_another_thread_advances_past_its_deadline) {
  manual(SEC);
  block(VSIG_SIGUSR1);
  struct waiter w = {.mode = W_TIMEDWAIT, .ts = {5, 0}};
  start_waiter(&w, VSIG_THREAD_SIGWAIT);
  advance(5 * SEC - 1);
  check_still_waiting(&w);
  CHECK_EQ(state_of(w.tid), VSIG_THREAD_SIGWAIT);
  advance(1);
  join_waiter(&w);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, EAGAIN);
}

TEST(sigtimedwait_in_one_big_advance) {
  manual(0);
  block(VSIG_SIGUSR1);
  struct waiter w = {.mode = W_TIMEDWAIT, .ts = {0, 1}};
  start_waiter(&w, VSIG_THREAD_SIGWAIT);
  advance(3600 * SEC);
  join_waiter(&w);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, EAGAIN);
}

TEST(nanosleep_wakes_when_another_thread_advances_past_its_deadline) {
  manual(0);
  struct waiter w = {.mode = W_NANOSLEEP, .ts = {2, 500}};
  start_waiter(&w, VSIG_THREAD_INTERRUPTIBLE);
  advance(2 * SEC);
  advance(499);
  check_still_waiting(&w);
  advance(1);
  join_waiter(&w);
  CHECK_EQ(w.rc, 0);
}

TEST(sleep_and_usleep_wake_on_advance) {
  manual(0);
  struct waiter w = {.mode = W_SLEEP, .ts = {3, 0}};
  start_waiter(&w, VSIG_THREAD_INTERRUPTIBLE);
  advance(3 * SEC - 1);
  check_still_waiting(&w);
  advance(1);
  join_waiter(&w);
  CHECK_EQ(w.rc, 0); /* nothing unslept */

  struct waiter u = {.mode = W_USLEEP, .ts = {0, 1500 * US}};
  start_waiter(&u, VSIG_THREAD_INTERRUPTIBLE);
  advance(1499 * US);
  check_still_waiting(&u);
  advance(1 * US);
  join_waiter(&u);
  CHECK_EQ(u.rc, 0);
}

TEST(timed_wait_beyond_any_clock_is_forever) {
  manual(0);
  block(VSIG_SIGUSR1);
  struct waiter w = {.mode = W_FOREVER, .ts = {(time_t)INT64_MAX, 999999999}};
  start_waiter(&w, VSIG_THREAD_SIGWAIT);
  advance(INT64_MAX / 2);
  check_still_waiting(&w);
  CHECK_EQ(vsig_pthread_kill(w.tid, VSIG_SIGUSR1), 0);
  join_waiter(&w);
  CHECK_EQ(w.rc, VSIG_SIGUSR1);
}

TEST(timer_due_before_a_wait_deadline_is_taken_by_the_waiter) {
  /* Fired in deadline order in one advance: the timer at 3 s reaches the
   * waiter before its own deadline at 10 s does. */
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  struct waiter w = {.mode = W_TIMEDWAIT, .ts = {10, 0}, .sig = sig};
  start_waiter(&w, VSIG_THREAD_SIGWAIT);
  vsig_timer_t id = make_timer(VSIG_SIGEV_SIGNAL, sig, 42, 0);
  arm(id, 3 * SEC, 0);
  advance(10 * SEC);
  join_waiter(&w);
  CHECK_EQ(w.rc, sig);
  CHECK_EQ(w.info.si_code, VSIG_SI_TIMER);
  CHECK_EQ(w.info.si_value.sival_int, 42);
  CHECK_EQ(w.info.si_timerid, id);
}

TEST(many_sleepers_wake_in_deadline_order) {
  manual(0);
  enum { N = 6 };
  struct waiter w[N];
  for (int i = 0; i < N; i++) {
    w[i] = (struct waiter){.mode = W_NANOSLEEP, .ts = {0, (long)((N - i) * MS)}};
    start_waiter(&w[i], VSIG_THREAD_INTERRUPTIBLE);
  }
  /* Each step wakes exactly the sleeper whose deadline it reaches. */
  for (int step = 1; step <= N; step++) {
    advance(MS);
    int who = N - step;
    WAIT_FOR(atomic_load(&w[who].done));
    settle();
    for (int i = 0; i < N; i++)
      CHECK_EQ(atomic_load(&w[i].done), i >= who);
  }
  for (int i = 0; i < N; i++) {
    CHECK_EQ(pthread_join(w[i].h, NULL), 0);
    CHECK_EQ(w[i].rc, 0);
  }
}

/* A terminate callback that advances the clock further while an advance is
 * firing timers: the outer advance must not move the clock back. */
static void advance_more(vsig_pid_t pid, int sig, void *arg) {
  (void)pid;
  (void)sig;
  (void)arg;
  CHECK_EQ(vsig_clock_advance(10 * SEC), 0);
}

/* Arms its process's alarm, then waits: SIGALRM's default action ends it. */
static void *alarm_then_wait(void *arg) {
  (void)arg;
  vsig_alarm(1);
  vsig_sigset_t none;
  vsig_sigemptyset(&none);
  vsig_sigsuspend(&none); /* ECANCELED once the process is terminated */
  return NULL;
}

TEST(clock_never_goes_back_when_a_callback_advances_it) {
  manual(0);
  vsig_set_terminate_callback(advance_more, NULL);
  vsig_pid_t p;
  CHECK_EQ(vsig_proc_create(NULL, &p), 0);
  pthread_t h;
  vsig_thread_t th;
  CHECK_EQ(vsig_thread_create(&h, &th, p, 0, alarm_then_wait, NULL), 0);
  WAIT_FOR(in_state(th, VSIG_THREAD_INTERRUPTIBLE));
  advance(2 * SEC); /* the alarm fires at 1 s; the callback moves on to 11 s */
  CHECK_EQ(vsig_clock_now(), 11 * SEC);
  CHECK_EQ(pthread_join(h, NULL), 0);
  int term = 0;
  CHECK_EQ(vsig_proc_status(p, &term), 0);
  CHECK_EQ(term, VSIG_SIGALRM);
}

/* ---- one advance is a sequence of events in deadline order (issue 6.4) ----------- */

/* A wait that times out at 5 s is over by 7 s: an expiry then stays pending
 * instead of being handed to it. */
TEST(timed_out_sigtimedwait_does_not_take_a_later_expiry_of_the_same_advance) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  struct waiter w = {.mode = W_TIMEDWAIT, .ts = {5, 0}, .sig = sig};
  start_waiter(&w, VSIG_THREAD_SIGWAIT);
  vsig_timer_t id = make_timer(VSIG_SIGEV_SIGNAL, sig, 7, 0);
  arm(id, 7 * SEC, 0);
  advance(10 * SEC);
  join_waiter(&w);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, EAGAIN);
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig); /* still pending, for whoever takes it */
  CHECK_EQ(si.si_value.sival_int, 7);
}

static _Atomic int late_handler_runs;
static _Atomic int64_t late_handler_at;
static void late_handler(int sig) {
  (void)sig;
  atomic_store(&late_handler_at, vsig_clock_now());
  atomic_fetch_add(&late_handler_runs, 1);
}

struct late_sleeper {
  vsig_thread_t tid;
  _Atomic int ready, advanced;
  int rc, runs_after_poll;
};

static void *sleep_5s_then_poll(void *arg) {
  struct late_sleeper *s = arg;
  s->tid = vsig_thread_self();
  atomic_store(&s->ready, 1);
  struct timespec ts = {5, 0};
  s->rc = vsig_nanosleep(&ts, NULL);
  WAIT_FOR(atomic_load(&s->advanced));
  vsig_poll(); /* the 7 s signal came after the sleep: its handler runs by now */
  s->runs_after_poll = atomic_load(&late_handler_runs);
  return NULL;
}

/* nanosleep(5 s) is complete when a signal comes at 7 s: it returns 0 (the
 * handler runs as it returns or at the next safe point, never inside it). */
TEST(completed_nanosleep_returns_zero_when_a_later_expiry_has_a_handler) {
  manual(0);
  vsig_sigaction_t act = {.sa_handler = late_handler};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR2, &act, NULL), 0);
  struct late_sleeper s = {0};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, vsig_getpid(), 0, sleep_5s_then_poll, &s), 0);
  WAIT_FOR(atomic_load(&s.ready) && state_of(s.tid) == VSIG_THREAD_INTERRUPTIBLE);
  vsig_timer_t id = make_timer(VSIG_SIGEV_THREAD_ID, VSIG_SIGUSR2, 0, s.tid);
  arm(id, 7 * SEC, 0);
  advance(10 * SEC);
  atomic_store(&s.advanced, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(s.rc, 0);
  CHECK_EQ(s.runs_after_poll, 1);
}

struct interrupted_wait {
  vsig_thread_t tid;
  _Atomic int ready, done, advanced;
  int rc, err, pending_after;
};

static void *sigtimedwait_usr1(void *arg) {
  struct interrupted_wait *w = arg;
  w->tid = vsig_thread_self();
  vsig_sigset_t s = set1(VSIG_SIGUSR1);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
  atomic_store(&w->ready, 1);
  struct timespec ts = {10, 0};
  errno = 0;
  w->rc = vsig_sigtimedwait(&s, NULL, &ts);
  w->err = errno;
  WAIT_FOR(atomic_load(&w->advanced)); /* the 5 s signal has come by then */
  w->pending_after = is_pending(VSIG_SIGUSR1);
  atomic_store(&w->done, 1);
  return NULL;
}

/* A handler due at 3 s interrupts a sigtimedwait before the waited-for signal
 * comes at 5 s: EINTR, and the later signal stays pending. */
TEST(handler_before_a_waited_signal_interrupts_the_wait_in_deadline_order) {
  manual(0);
  vsig_sigaction_t act = {.sa_handler = late_handler};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR2, &act, NULL), 0);
  struct interrupted_wait w = {0};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, vsig_getpid(), 0, sigtimedwait_usr1, &w), 0);
  WAIT_FOR(atomic_load(&w.ready) && state_of(w.tid) == VSIG_THREAD_SIGWAIT);
  vsig_timer_t at3 = make_timer(VSIG_SIGEV_THREAD_ID, VSIG_SIGUSR2, 0, w.tid);
  vsig_timer_t at5 = make_timer(VSIG_SIGEV_THREAD_ID, VSIG_SIGUSR1, 0, w.tid);
  arm(at3, 3 * SEC, 0);
  arm(at5, 5 * SEC, 0);
  advance(10 * SEC);
  atomic_store(&w.advanced, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, EINTR);
  CHECK_EQ(atomic_load(&late_handler_runs), 1);
  CHECK(atomic_load(&late_handler_at) >= 3 * SEC); /* on its own thread, once awake */
  CHECK_EQ(w.pending_after, 1);
}

static int64_t order_at[4];
static int order_sig[4];
static _Atomic int order_n;
static void order_handler(int sig) {
  int i = atomic_fetch_add(&order_n, 1);
  if (i < 4) {
    order_sig[i] = sig;
    order_at[i] = vsig_clock_now();
  }
}

/* The caller's own handlers run before vsig_clock_advance returns, each as its
 * signal comes, with the clock reading that expiry's deadline. */
TEST(advancing_thread_runs_its_handlers_in_deadline_order_before_returning) {
  manual(0);
  vsig_sigaction_t act = {.sa_handler = order_handler};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, NULL), 0);
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR2, &act, NULL), 0);
  vsig_thread_t me = vsig_thread_self();
  vsig_timer_t a = make_timer(VSIG_SIGEV_THREAD_ID, VSIG_SIGUSR2, 0, me);
  vsig_timer_t b = make_timer(VSIG_SIGEV_SIGNAL, VSIG_SIGUSR1, 0, 0);
  arm(a, 3 * SEC, 0);
  arm(b, 5 * SEC, 0);
  advance(10 * SEC);
  CHECK_EQ(atomic_load(&order_n), 2);
  CHECK_EQ(order_sig[0], VSIG_SIGUSR2);
  CHECK_EQ(order_at[0], 3 * SEC);
  CHECK_EQ(order_sig[1], VSIG_SIGUSR1);
  CHECK_EQ(order_at[1], 5 * SEC);
  CHECK_EQ(vsig_clock_now(), 10 * SEC);
}
