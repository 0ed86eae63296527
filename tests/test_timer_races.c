/* SPDX-License-Identifier: MIT */
/* Timers under concurrency: cancelling, re-arming and deleting while another
 * thread fires them, re-arming from the timer's own handler, many threads
 * creating and deleting at once, and the accounting invariant that every
 * expiry is either delivered or counted as an overrun of a delivered signal.
 * Most run on the manual clock, advanced by real threads; a few run on the
 * host clock and check counts and order only, never durations. */
/* ctest-labels: concurrency */
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

/* ---- a thread that keeps advancing the manual clock ------------------------------------- */

struct advancer {
  uint64_t seed;
  int64_t max_step; /* steps are 0..max_step-1 ns */
  long steps;       /* 0: until stop */
  _Atomic int stop;
  int64_t total;
  pthread_t h;
};

static void *advancer_main(void *arg) {
  struct advancer *a = arg;
  for (long i = 0; a->steps ? i < a->steps : !atomic_load(&a->stop); i++) {
    int64_t ns = (int64_t)(rnd(&a->seed) % (uint64_t)a->max_step);
    CHECK_EQ(vsig_clock_advance(ns), 0);
    a->total += ns;
    /* With two cores, a thread that retakes the service lock at once
     * starves the thread it races with, and the race never happens. */
    sched_yield();
  }
  return NULL;
}

/* A plain host thread: advancing the clock needs no vsig thread. */
static void start_advancer(struct advancer *a, uint64_t seed, int64_t max_step, long steps) {
  a->seed = seed;
  a->max_step = max_step;
  a->steps = steps;
  a->total = 0;
  atomic_store(&a->stop, 0);
  CHECK_EQ(pthread_create(&a->h, NULL, advancer_main, a), 0);
}

static int64_t stop_advancer(struct advancer *a) {
  atomic_store(&a->stop, 1);
  CHECK_EQ(pthread_join(a->h, NULL), 0);
  return a->total;
}

/* Yield 0 to 3 times, by round i: the racing thread gets in at different points. */
static void yield_a_few(int i) {
  for (int k = i % 4; k > 0; k--)
    sched_yield();
}

/* Nothing of sig is pending now, nor after another second: cancelled for good. */
static void check_nothing_left(int sig) {
  CHECK(!is_pending(sig));
  advance(SEC);
  CHECK(!is_pending(sig));
}

/* ---- cancel while firing ----------------------------------------------------------------------
 */

TEST(settime_cancel_races_safely_with_firing) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make_timer(VSIG_SIGEV_SIGNAL, sig, 1, 0);
  struct advancer a;
  start_advancer(&a, 0x9e3779b97f4a7c15ull, 3000, 0);
  for (int i = 0; i < 20000; i++) {
    arm(id, 1000, 700);
    yield_a_few(i);
    vsig_itimerspec_t z = its_ns(0, 0), ov;
    CHECK_EQ(vsig_timer_settime(id, 0, &z, &ov), 0);
    /* Whatever fired meanwhile, the timer was armed, on its grid. */
    int64_t left = ns_of(&ov.it_value);
    CHECK(left > 0 && left <= 1000);
    CHECK_EQ(ns_of(&ov.it_interval), 700);
    vsig_itimerspec_t g;
    CHECK_EQ(vsig_timer_gettime(id, &g), 0);
    CHECK_EQ(ns_of(&g.it_value), 0);
    if (i % 64 == 0)
      (void)take(sig, NULL);
  }
  stop_advancer(&a);
  (void)take(sig, NULL); /* at most one instance: a timer never queues two */
  check_nothing_left(sig);
}

TEST(delete_races_safely_with_firing_and_discards_pending) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  block(sig);
  struct advancer a;
  start_advancer(&a, 0x2545f4914f6cdd1dull, 2000, 0);
  for (int i = 0; i < 10000; i++) {
    vsig_timer_t id = make_timer(VSIG_SIGEV_SIGNAL, sig, i, 0);
    arm(id, 1 + i % 900, i % 3 ? 300 : 0);
    yield_a_few(i);
    CHECK_EQ(vsig_timer_delete(id), 0);
    vsig_itimerspec_t g;
    CHECK_ERRNO(vsig_timer_gettime(id, &g), EINVAL);
  }
  stop_advancer(&a);
  /* Every instance was its deleted timer's, so every one was discarded. */
  check_nothing_left(sig);
}

TEST(proc_raise_interval_cancel_races_safely_with_firing) {
  manual(0);
  int sig = VSIG_SIGUSR1;
  block(sig);
  struct advancer a;
  start_advancer(&a, 0x8cb92ba72f3d8dd7ull, 2000, 0);
  for (int i = 0; i < 20000; i++) {
    CHECK_EQ(vsig_proc_raise_interval2(sig, 500, 300, NULL, NULL), 0);
    yield_a_few(i);
    uint64_t f = 0, p = 0;
    CHECK_EQ(vsig_proc_raise_interval2(sig, 0, 0, &f, &p), 0);
    CHECK(f > 0 && f <= 500);
    CHECK_EQ(p, 300u);
    if (i % 64 == 0)
      (void)take(sig, NULL);
  }
  stop_advancer(&a);
  (void)take(sig, NULL);
  check_nothing_left(sig);
}

TEST(alarm_rearm_and_cancel_race_safely_with_firing) {
  manual(0);
  block(VSIG_SIGALRM);
  struct advancer a;
  start_advancer(&a, 0x51afd7ed558ccd15ull, 4000, 0);
  for (int i = 0; i < 20000; i++) {
    CHECK_EQ(vsig_ualarm(3, 2), 0ul); /* cancelled just before */
    yield_a_few(i);
    unsigned long left = vsig_ualarm(0, 0);
    CHECK(left >= 1 && left <= 3); /* periodic: armed whatever fired */
  }
  stop_advancer(&a);
  (void)take(VSIG_SIGALRM, NULL);
  advance(SEC);
  CHECK(!is_pending(VSIG_SIGALRM));
}

/* ---- re-arming from the timer's own handler ------------------------------------------------- */

enum { REARMS = 1000 };
static _Atomic vsig_timer_t rearm_id;
static atomic_int rearm_count;
static _Atomic vsig_thread_t rearm_ran_on;

/* One-shot, re-armed by its handler; the last handler deletes it. */
static void on_rearm_one_shot(int sig) {
  (void)sig;
  int n = atomic_fetch_add(&rearm_count, 1) + 1;
  atomic_store(&rearm_ran_on, vsig_thread_self());
  if (n < REARMS)
    arm(atomic_load(&rearm_id), 1000, 0);
  else
    CHECK_EQ(vsig_timer_delete(atomic_load(&rearm_id)), 0);
}

/* Periodic, and its handler changes the period while it may be firing. */
static void on_rearm_periodic(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  CHECK_EQ(info->si_code, VSIG_SI_TIMER);
  CHECK_EQ(info->si_timerid, atomic_load(&rearm_id));
  int n = atomic_fetch_add(&rearm_count, 1) + 1;
  if (n < REARMS)
    arm(atomic_load(&rearm_id), 700, 300 + (n % 5) * 100);
  else
    CHECK_EQ(vsig_timer_delete(atomic_load(&rearm_id)), 0);
}

struct poller {
  int sig;
  _Atomic int ready, stop;
  vsig_thread_t id;
  pthread_t h;
};

static void *poller_main(void *arg) {
  struct poller *p = arg;
  unblock(p->sig);
  atomic_store(&p->ready, 1);
  while (!atomic_load(&p->stop)) {
    vsig_poll();
    sched_yield();
  }
  return NULL;
}

static void start_poller(struct poller *p, int sig) {
  p->sig = sig;
  CHECK_EQ(vsig_thread_create(&p->h, &p->id, vsig_getpid(), 0, poller_main, p), 0);
  WAIT_FOR(atomic_load(&p->ready));
}

static void stop_poller(struct poller *p) {
  atomic_store(&p->stop, 1);
  CHECK_EQ(pthread_join(p->h, NULL), 0);
}

/* Advance the clock step ns at a time until the handlers, run by pollers,
 * have counted n; what names the count if they never get there. */
static void advance_until(atomic_int *count, int n, int64_t step, const char *what) {
  int64_t guard = host_mono() + 60 * SEC;
  while (atomic_load(count) < n) {
    advance(step);
    sched_yield();
    if (host_mono() > guard)
      VT_FAIL("only %d of %d %s", atomic_load(count), n, what);
  }
}

static void rearm_from_handler(bool periodic) {
  manual(0);
  int sig = VSIG_SIGRTMIN;
  vsig_sigaction_t act;
  memset(&act, 0, sizeof act);
  if (periodic) {
    act.sa_sigaction = on_rearm_periodic;
    act.sa_flags = VSIG_SA_SIGINFO;
  } else {
    act.sa_handler = on_rearm_one_shot;
  }
  CHECK_EQ(vsig_sigaction(sig, &act, NULL), 0);
  block(sig); /* the poller, not this thread, runs the handler */
  struct poller p = {0};
  start_poller(&p, sig);
  atomic_store(&rearm_id, make_timer(VSIG_SIGEV_SIGNAL, sig, 0, 0));
  if (periodic)
    arm(atomic_load(&rearm_id), 700, 300);
  else
    arm(atomic_load(&rearm_id), 1000, 0);
  /* Advance while the handler re-arms on the other thread. */
  advance_until(&rearm_count, REARMS, 250, "expiries handled");
  /* The last handler deleted the timer, and with it any signal it had left
   * pending: nothing more comes. */
  for (int i = 0; i < 100; i++)
    advance(MS);
  stop_poller(&p);
  CHECK_EQ(atomic_load(&rearm_count), REARMS);
  CHECK_EQ(atomic_load(&rearm_ran_on) == 0 || atomic_load(&rearm_ran_on) == p.id, 1);
  vsig_itimerspec_t g;
  CHECK_ERRNO(vsig_timer_gettime(atomic_load(&rearm_id), &g), EINVAL);
  CHECK(!is_pending(sig));
}

TEST(one_shot_rearmed_from_its_own_handler) { rearm_from_handler(false); }

TEST(periodic_rearmed_from_its_own_handler_while_firing) { rearm_from_handler(true); }

static atomic_int self_rearms;
static void on_self_rearm(int sig) {
  (void)sig;
  if (atomic_fetch_add(&self_rearms, 1) + 1 < 1000)
    CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR2, 1, 0), 0);
}

TEST(proc_raise_interval_rearmed_from_its_own_handler) {
  manual(0);
  vsig_sigaction_t act = {.sa_handler = on_self_rearm};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR2, &act, NULL), 0);
  block(VSIG_SIGUSR2);
  struct poller p = {0};
  start_poller(&p, VSIG_SIGUSR2);
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR2, 1, 0), 0);
  advance_until(&self_rearms, 1000, 300 * US, "re-arms");
  advance(SEC);
  stop_poller(&p);
  CHECK_EQ(atomic_load(&self_rearms), 1000);
}

/* ---- many threads creating, arming and deleting at once ----------------------------------------
 */

enum { CHURNERS = 4, HELD = 8, CHURN_ITERS = 3000, NSIGS = 4 };

struct churner {
  uint64_t seed;
  vsig_thread_t id;
  pthread_t h;
  int taken;
};

static atomic_int churn_handled;
static void on_churn(int sig) {
  (void)sig;
  atomic_fetch_add(&churn_handled, 1);
}

static void *churner_main(void *arg) {
  struct churner *c = arg;
  vsig_timer_t held[HELD];
  int n = 0;
  for (int i = 0; i < CHURN_ITERS; i++) {
    uint64_t r = rnd(&c->seed);
    if (n < HELD && (n == 0 || r % 3 == 0)) {
      int sig = VSIG_SIGRTMIN + (int)(r >> 8) % NSIGS;
      int kind = (int)(r >> 16) % 3;
      int notify = kind == 0   ? VSIG_SIGEV_SIGNAL
                   : kind == 1 ? VSIG_SIGEV_THREAD_ID
                               : VSIG_SIGEV_NONE;
      /* Each thread holds at most HELD: the process limit is never hit. */
      held[n] = make_timer(notify, sig, 0, vsig_thread_self());
      arm(held[n], 1 + (int64_t)(r >> 24) % 5000,
          (r >> 40) % 2 ? 1 + (int64_t)(r >> 44) % 3000 : 0);
      n++;
    } else {
      int k = (int)((r >> 8) % (uint64_t)n);
      vsig_itimerspec_t g;
      switch ((r >> 16) % 4) {
      case 0:
        CHECK_EQ(vsig_timer_gettime(held[k], &g), 0);
        CHECK(g.it_value.tv_sec >= 0 && g.it_value.tv_nsec >= 0 && g.it_value.tv_nsec < SEC);
        break;
      case 1:
        arm(held[k], 0, 0);
        break;
      case 2:
        arm(held[k], 1 + (int64_t)(r >> 24) % 5000, (int64_t)(r >> 40) % 2000);
        break;
      default:
        CHECK_EQ(vsig_timer_delete(held[k]), 0);
        held[k] = held[--n];
        break;
      }
    }
    if (r % 7 == 0) {
      int sig = VSIG_SIGRTMIN + (int)(r >> 50) % NSIGS;
      vsig_siginfo_t si;
      if (take(sig, &si)) {
        CHECK_EQ(si.si_code, VSIG_SI_TIMER);
        CHECK(si.si_overrun >= 0);
        c->taken++;
      }
    }
  }
  while (n > 0)
    CHECK_EQ(vsig_timer_delete(held[--n]), 0);
  return NULL;
}

struct churn_run {
  _Atomic int done;
  int pending_after, created, eagain;
};

/* Runs in the created process: blocks the timer signals so that every
 * churner (created from here) inherits that mask, and checks what is left. */
static void *churn_keeper(void *arg) {
  struct churn_run *run = arg;
  vsig_sigaction_t act = {.sa_handler = on_churn};
  for (int s = 0; s < NSIGS; s++)
    CHECK_EQ(vsig_sigaction(VSIG_SIGRTMIN + s, &act, NULL), 0);
  block_all();
  struct churner c[CHURNERS];
  for (int i = 0; i < CHURNERS; i++) {
    c[i] = (struct churner){.seed = 0x1234567ull * (uint64_t)(i + 1) + 99};
    CHECK_EQ(vsig_thread_create(&c[i].h, &c[i].id, vsig_getpid(), 0, churner_main, &c[i]), 0);
  }
  for (int i = 0; i < CHURNERS; i++)
    CHECK_EQ(pthread_join(c[i].h, NULL), 0);
  /* Every timer is deleted, so every signal of theirs is gone. */
  vsig_sigset_t p;
  CHECK_EQ(vsig_sigpending(&p), 0);
  for (int s = 0; s < NSIGS; s++)
    run->pending_after += vsig_sigismember(&p, VSIG_SIGRTMIN + s);
  /* And every place under timer_max is free again. */
  vsig_timer_t id;
  for (int i = 0; i < CHURNERS * HELD; i++)
    if (vsig_timer_create(VSIG_CLOCK_MONOTONIC, NULL, &id) == 0)
      run->created++;
  errno = 0;
  run->eagain = vsig_timer_create(VSIG_CLOCK_MONOTONIC, NULL, &id) == -1 && errno == EAGAIN;
  atomic_store(&run->done, 1);
  return NULL;
}

TEST(many_threads_create_arm_and_delete_concurrently) {
  manual(0);
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  attr.timer_max = CHURNERS * HELD;
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(&attr, &pid), 0);
  struct churn_run run = {0};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, churn_keeper, &run), 0);
  uint64_t seed = 77;
  while (!atomic_load(&run.done))
    advance((int64_t)(rnd(&seed) % 3000));
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(run.pending_after, 0);
  CHECK_EQ(run.created, CHURNERS * HELD);
  CHECK(run.eagain);
  CHECK_EQ(atomic_load(&churn_handled), 0); /* everything stayed blocked */
  CHECK_EQ(vsig_proc_destroy(pid), 0);
  advance(SEC);
}

/* ---- nothing lost: every expiry delivered or counted -------------------------------------------
 */

enum { NT = 6 };
static const int64_t periods[NT] = {1000, 1700, 2300, 3100, 4700, 5300};
static atomic_llong expiries[NT];
static atomic_int wrong_thread;

struct consumer {
  vsig_sigset_t set;
  _Atomic int ready, stop;
  vsig_thread_t id;
  pthread_t h;
  long taken;
};
static vsig_thread_t directed_to[NT];

static void *consumer_main(void *arg) {
  struct consumer *c = arg;
  atomic_store(&c->ready, 1);
  for (;;) {
    vsig_siginfo_t si;
    int sig = vsig_sigwaitinfo(&c->set, &si);
    CHECK(sig > 0);
    if (sig == VSIG_SIGUSR2) {
      if (atomic_load(&c->stop))
        return NULL;
      continue;
    }
    CHECK_EQ(si.si_code, VSIG_SI_TIMER);
    int i = si.si_value.sival_int;
    CHECK(i >= 0 && i < NT);
    CHECK(si.si_overrun >= 0);
    if (directed_to[i] && directed_to[i] != vsig_thread_self())
      atomic_fetch_add(&wrong_thread, 1);
    atomic_fetch_add(&expiries[i], 1 + si.si_overrun);
    c->taken++;
  }
}

static int timer_sig(int i) { return i == 5 ? VSIG_SIGUSR1 : VSIG_SIGRTMIN + i; }

TEST(every_expiry_is_delivered_or_counted_as_overrun) {
  manual(0);
  block_all();
  enum { NC = 2, NA = 2 };
  struct consumer c[NC];
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  for (int i = 0; i < NT; i++)
    vsig_sigaddset(&set, timer_sig(i));
  vsig_sigaddset(&set, VSIG_SIGUSR2);
  for (int k = 0; k < NC; k++) {
    c[k] = (struct consumer){.set = set};
    CHECK_EQ(vsig_thread_create(&c[k].h, &c[k].id, vsig_getpid(), 0, consumer_main, &c[k]), 0);
    WAIT_FOR(atomic_load(&c[k].ready));
  }
  /* Timers 0-3 and the standard-signal one (5) go to the process; timer 4
   * goes to the second consumer only. */
  vsig_timer_t ids[NT];
  for (int i = 0; i < NT; i++) {
    directed_to[i] = i == 4 ? c[1].id : 0;
    ids[i] = make_timer(i == 4 ? VSIG_SIGEV_THREAD_ID : VSIG_SIGEV_SIGNAL, timer_sig(i), i,
                        directed_to[i]);
  }
  for (int i = 0; i < NT; i++)
    arm(ids[i], periods[i], periods[i]);
  struct advancer a[NA];
  for (int k = 0; k < NA; k++)
    start_advancer(&a[k], 0xabcdef12345ull + (uint64_t)k * 7919, 4000, 10000);
  int64_t total = 0;
  for (int k = 0; k < NA; k++) {
    CHECK_EQ(pthread_join(a[k].h, NULL), 0);
    total += a[k].total;
  }
  CHECK_EQ(vsig_clock_now(), total);
  for (int i = 0; i < NT; i++) {
    int64_t want = total / periods[i];
    WAIT_FOR(atomic_load(&expiries[i]) >= want);
  }
  /* Give a surplus the chance to show up before checking exactness. */
  for (int r = 0; r < 100; r++)
    sched_yield();
  for (int i = 0; i < NT; i++)
    CHECK_EQ(atomic_load(&expiries[i]), total / periods[i]);
  CHECK_EQ(atomic_load(&wrong_thread), 0);
  for (int k = 0; k < NC; k++) {
    atomic_store(&c[k].stop, 1);
    CHECK_EQ(vsig_pthread_kill(c[k].id, VSIG_SIGUSR2), 0);
    CHECK_EQ(pthread_join(c[k].h, NULL), 0);
  }
  for (int i = 0; i < NT; i++)
    CHECK_EQ(vsig_timer_delete(ids[i]), 0);
}

static atomic_llong handled_expiries;
static void on_count_expiries(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  atomic_fetch_add(&handled_expiries, 1 + info->si_overrun);
}

TEST(every_expiry_reaches_handlers_or_their_overrun_counts) {
  manual(0);
  int sig = VSIG_SIGRTMIN + 1;
  vsig_sigaction_t act = {.sa_sigaction = on_count_expiries, .sa_flags = VSIG_SA_SIGINFO};
  CHECK_EQ(vsig_sigaction(sig, &act, NULL), 0);
  block(sig);
  struct poller p[2] = {0};
  start_poller(&p[0], sig);
  start_poller(&p[1], sig);
  vsig_timer_t id = make_timer(VSIG_SIGEV_SIGNAL, sig, 0, 0);
  arm(id, 997, 997);
  struct advancer a;
  start_advancer(&a, 0x1111ull, 5000, 10000);
  CHECK_EQ(pthread_join(a.h, NULL), 0);
  int64_t want = a.total / 997;
  WAIT_FOR(atomic_load(&handled_expiries) >= want);
  for (int r = 0; r < 100; r++)
    sched_yield();
  CHECK_EQ(atomic_load(&handled_expiries), want);
  for (int k = 0; k < 2; k++)
    stop_poller(&p[k]);
}

/* ---- timed waits never end early, whoever moves the clock --------------------------------------
 */

struct timed {
  uint64_t seed;
  _Atomic int stop;
  pthread_t h;
  int early;
  _Atomic int rounds;
};

static void *timed_main(void *arg) {
  struct timed *t = arg;
  vsig_sigset_t s = set1(VSIG_SIGUSR1);
  while (!atomic_load(&t->stop)) {
    uint64_t r = rnd(&t->seed);
    struct timespec ts = {0, (long)(1 + r % 20000)};
    int64_t before = vsig_clock_now();
    errno = 0;
    int rc;
    if (r & 1)
      rc = vsig_sigtimedwait(&s, NULL, &ts);
    else
      rc = vsig_nanosleep(&ts, NULL);
    CHECK(rc == -1 ? errno == EAGAIN : rc == 0);
    if (vsig_clock_now() < before + ts.tv_nsec)
      t->early++;
    t->rounds++;
  }
  return NULL;
}

TEST(timed_waits_never_end_before_their_deadline) {
  manual(0);
  block(VSIG_SIGUSR1);
  enum { NW = 3 };
  struct timed w[NW];
  for (int i = 0; i < NW; i++) {
    w[i] = (struct timed){.seed = 1000 + (uint64_t)i};
    CHECK_EQ(vsig_thread_create(&w[i].h, NULL, vsig_getpid(), 0, timed_main, &w[i]), 0);
  }
  struct advancer a;
  start_advancer(&a, 0x7777ull, 3000, 0);
  for (int i = 0; i < NW; i++)
    WAIT_FOR(atomic_load(&w[i].rounds) >= 300);
  for (int i = 0; i < NW; i++)
    atomic_store(&w[i].stop, 1);
  for (int i = 0; i < NW; i++)
    CHECK_EQ(pthread_join(w[i].h, NULL), 0);
  stop_advancer(&a);
  for (int i = 0; i < NW; i++)
    CHECK_EQ(w[i].early, 0);
}

/* ---- on the host clock: counts and order only
 * ---------------------------------------------------- */

TEST(real_clock_periodic_counts_match_elapsed_time) {
  int sig = VSIG_SIGRTMIN;
  block(sig);
  vsig_timer_t id = make_timer(VSIG_SIGEV_SIGNAL, sig, 9, 0);
  vsig_sigset_t s = set1(sig);
  enum { N = 200 };
  int64_t t0 = host_mono();
  arm(id, MS, MS);
  long long sum = 0;
  for (int i = 0; i < N; i++) {
    vsig_siginfo_t si;
    CHECK_EQ(vsig_sigwaitinfo(&s, &si), sig);
    CHECK_EQ(si.si_code, VSIG_SI_TIMER);
    CHECK_EQ(si.si_value.sival_int, 9);
    CHECK(si.si_overrun >= 0);
    CHECK_EQ(vsig_timer_getoverrun(id), si.si_overrun);
    sum += 1 + si.si_overrun;
  }
  int64_t elapsed = host_mono() - t0;
  /* No expiry happens before its deadline, so no more than elapsed / period
   * of them can have been counted; none is lost, so at least N. */
  CHECK(sum >= N);
  CHECK(sum <= elapsed / MS + 1);
  CHECK_EQ(vsig_timer_delete(id), 0);
}

TEST(real_clock_one_shots_fire_in_deadline_order) {
  int sig = VSIG_SIGRTMIN;
  block(sig);
  enum { N = 1000 };
  static vsig_timer_t ids[N];
  static char seen[N];
  /* Distinct absolute deadlines 20 us apart, armed out of order. */
  const int64_t base = vsig_clock_now() + 10 * MS;
  for (int i = 0; i < N; i++) {
    ids[i] = make_timer(VSIG_SIGEV_SIGNAL, sig, i, 0);
    arm_abs(ids[i], base + (int64_t)((i * 389) % N) * 20 * US, 0);
  }
  /* Timers whose deadline came after arming ended were all in the service's
   * hands together: those must fire in deadline order, however late. The
   * ones due while we were still arming may not, and are only counted. */
  const int64_t armed = vsig_clock_now();
  vsig_sigset_t s = set1(sig);
  int last = -1;
  for (int k = 0; k < N; k++) {
    vsig_siginfo_t si;
    CHECK_EQ(vsig_sigwaitinfo(&s, &si), sig);
    int i = si.si_value.sival_int;
    CHECK(i >= 0 && i < N && !seen[i]);
    seen[i] = 1;
    CHECK_EQ(si.si_overrun, 0);
    int slot = (i * 389) % N;
    if (base + slot * 20 * US > armed) {
      CHECK(slot > last);
      last = slot;
    }
  }
  for (int i = 0; i < N; i++)
    CHECK_EQ(vsig_timer_delete(ids[i]), 0);
}

static atomic_int real_alarms;
static void on_real_alarm(int sig) {
  if (sig == VSIG_SIGALRM)
    atomic_fetch_add(&real_alarms, 1);
}

TEST(real_clock_alarm_interrupts_nanosleep) {
  vsig_sigaction_t act = {.sa_handler = on_real_alarm};
  CHECK_EQ(vsig_sigaction(VSIG_SIGALRM, &act, NULL), 0);
  CHECK_EQ(vsig_ualarm(20000, 0), 0ul);
  struct timespec req = {30, 0}, rem = {0, 0};
  CHECK_ERRNO(vsig_nanosleep(&req, &rem), EINTR);
  CHECK_EQ(atomic_load(&real_alarms), 1);
  CHECK(ns_of(&rem) > 0 && ns_of(&rem) <= 30 * SEC);
  CHECK_EQ(vsig_alarm(0), 0u); /* it fired: nothing left */
}

static atomic_int real_rearms;
static _Atomic vsig_timer_t real_id;
static void on_real_rearm(int sig) {
  (void)sig;
  if (atomic_fetch_add(&real_rearms, 1) + 1 < 50)
    arm(atomic_load(&real_id), 200 * US, 0);
}

TEST(real_clock_rearm_from_handler) {
  vsig_sigaction_t act = {.sa_handler = on_real_rearm};
  CHECK_EQ(vsig_sigaction(VSIG_SIGRTMIN, &act, NULL), 0);
  atomic_store(&real_id, make_timer(VSIG_SIGEV_SIGNAL, VSIG_SIGRTMIN, 0, 0));
  arm(atomic_load(&real_id), 200 * US, 0);
  while (atomic_load(&real_rearms) < 50)
    CHECK_ERRNO(vsig_pause(), EINTR);
  CHECK_EQ(atomic_load(&real_rearms), 50);
  vsig_itimerspec_t g;
  CHECK_EQ(vsig_timer_gettime(atomic_load(&real_id), &g), 0);
  CHECK_EQ(ns_of(&g.it_value), 0); /* the 50th did not re-arm */
}

TEST(real_clock_nothing_fires_after_cancel_returns) {
  int sig = VSIG_SIGRTMIN;
  block(sig);
  block(VSIG_SIGUSR1);
  vsig_timer_t id = make_timer(VSIG_SIGEV_SIGNAL, sig, 0, 0);
  vsig_sigset_t s = set1(sig);
  for (int round = 0; round < 20; round++) {
    arm(id, 100 * US, 100 * US);
    CHECK_EQ(vsig_proc_raise_interval2(VSIG_SIGUSR1, 100 * US, 100 * US, NULL, NULL), 0);
    for (int i = 0; i < 3; i++)
      CHECK_EQ(vsig_sigwaitinfo(&s, NULL), sig);
    arm(id, 0, 0);
    CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 0, 0), 0);
    (void)take(sig, NULL); /* what fired before the cancel */
    (void)take(VSIG_SIGUSR1, NULL);
    struct timespec ms = {0, 2 * MS};
    nanosleep(&ms, NULL); /* the host's: many periods' worth */
    CHECK(!is_pending(sig));
    CHECK(!is_pending(VSIG_SIGUSR1));
  }
}

struct real_churner {
  int sig;
  pthread_t h;
};

static void *real_churn(void *arg) {
  struct real_churner *c = arg;
  for (int i = 0; i < 1000; i++) {
    vsig_timer_t id = make_timer(VSIG_SIGEV_SIGNAL, c->sig, i, 0);
    arm(id, 1 + i % 50 * US, 20 * US);
    if (i % 2)
      sched_yield();
    CHECK_EQ(vsig_timer_delete(id), 0);
  }
  return NULL;
}

TEST(real_clock_delete_races_with_the_service_thread) {
  block_all();
  struct real_churner c[3];
  for (int i = 0; i < 3; i++) {
    c[i].sig = VSIG_SIGRTMIN + i;
    CHECK_EQ(vsig_thread_create(&c[i].h, NULL, vsig_getpid(), 0, real_churn, &c[i]), 0);
  }
  for (int i = 0; i < 3; i++)
    CHECK_EQ(pthread_join(c[i].h, NULL), 0);
  for (int i = 0; i < 3; i++)
    CHECK(!is_pending(VSIG_SIGRTMIN + i)); /* deleted timers leave nothing behind */
}

TEST(real_clock_proc_raise_interval_repeats) {
  block(VSIG_SIGUSR1);
  vsig_sigset_t s = set1(VSIG_SIGUSR1);
  long long sum = 0;
  int64_t t0 = host_mono();
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 1, 1), 0);
  for (int i = 0; i < 50; i++) {
    vsig_siginfo_t si;
    CHECK_EQ(vsig_sigwaitinfo(&s, &si), VSIG_SIGUSR1);
    sum += 1 + si.si_overrun;
  }
  int64_t elapsed = host_mono() - t0;
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGUSR1, 0, 0), 0);
  CHECK(sum >= 50 && sum <= elapsed / MS + 1);
}

TEST(real_clock_sigtimedwait_times_out) {
  block(VSIG_SIGUSR1);
  vsig_sigset_t s = set1(VSIG_SIGUSR1);
  struct timespec ts = {0, 2 * MS};
  CHECK_ERRNO(vsig_sigtimedwait(&s, NULL, &ts), EAGAIN);
}
