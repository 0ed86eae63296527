/* SPDX-License-Identifier: MIT */
/* nanosleep, sleep, usleep: sleeps that a handler interrupts. No test here
 * asserts how long anything took; long sleeps are always ended by a signal. */
/* ctest-labels: concurrency */
#include "conform.h"

static atomic_int hits;
static void on_sig(int sig) {
  (void)sig;
  atomic_fetch_add(&hits, 1);
}

/* What rem holds until the library writes it. */
static const struct timespec rem_poison = {-12345, -12345};

static bool ts_le(struct timespec a, struct timespec b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

static bool ts_sane(struct timespec a) {
  return a.tv_sec >= 0 && a.tv_nsec >= 0 && a.tv_nsec < 1000000000;
}

/* ---- bad input and short sleeps ------------------------------------------------------- */

TEST(nanosleep_null_req_is_efault) {
  struct timespec rem = rem_poison;
  CHECK_ERRNO(vsig_nanosleep(NULL, &rem), EFAULT);
  CHECK_ERRNO(vsig_nanosleep(NULL, NULL), EFAULT);
  CHECK_EQ(rem.tv_sec, -12345);
  CHECK_EQ(rem.tv_nsec, -12345);
}

TEST(nanosleep_bad_req_is_einval) {
  const struct timespec bad[] = {
      {-1, 0},       {0, -1},         {0, 1000000000},       {0, LONG_MAX},
      {5, LONG_MIN}, {-1, 999999999}, {(time_t)LLONG_MIN, 0}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct timespec rem = rem_poison;
    CHECK_ERRNO_SIG((int)i, vsig_nanosleep(&bad[i], &rem), EINVAL);
    CHECK_EQ(rem.tv_sec, -12345); /* written only on EINTR */
  }
}

TEST(short_sleeps_complete_and_leave_rem_alone) {
  struct timespec rem = rem_poison;
  struct timespec zero = {0, 0}, tiny = {0, 1000}, ms = {0, 1000000}, edge = {0, 999999};
  CHECK_EQ(vsig_nanosleep(&zero, &rem), 0);
  CHECK_EQ(vsig_nanosleep(&tiny, &rem), 0);
  CHECK_EQ(vsig_nanosleep(&ms, NULL), 0);
  CHECK_EQ(vsig_nanosleep(&edge, &rem), 0);
  CHECK_EQ(rem.tv_sec, -12345);
  CHECK_EQ(rem.tv_nsec, -12345);
  CHECK_EQ(vsig_sleep(0), 0u);
  CHECK_EQ(vsig_usleep(0), 0);
  CHECK_EQ(vsig_usleep(1000), 0);
}

TEST(pending_unblocked_signal_is_not_a_reason_to_fail_a_completed_sleep) {
  /* A signal handled before the sleep started does not interrupt it. */
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
  struct timespec ms = {0, 1000000};
  CHECK_EQ(vsig_nanosleep(&ms, NULL), 0);
  CHECK_EQ(hits, 1);
}

/* ---- interrupted by another thread ------------------------------------------------------ */

enum kind { K_NANOSLEEP, K_NANOSLEEP_NOREM, K_SLEEP, K_USLEEP, K_NANOSLEEP_ALIASED };

struct sleeper {
  enum kind kind;
  vsig_sigset_t blocked;
  struct timespec req, rem;
  unsigned int seconds, unslept;
  unsigned long usec;
  atomic_int done;
  int rc, err, hits_at_return;
  vsig_sigset_t pending_after;
};

static void *sleeper_thread(void *arg) {
  struct sleeper *s = arg;
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_SETMASK, &s->blocked, NULL), 0);
  errno = 0;
  switch (s->kind) {
  case K_NANOSLEEP:
    s->rc = vsig_nanosleep(&s->req, &s->rem);
    break;
  case K_NANOSLEEP_NOREM:
    s->rc = vsig_nanosleep(&s->req, NULL);
    break;
  case K_NANOSLEEP_ALIASED:
    s->rem = s->req;
    s->rc = vsig_nanosleep(&s->rem, &s->rem);
    break;
  case K_SLEEP:
    s->unslept = vsig_sleep(s->seconds);
    break;
  case K_USLEEP:
    s->rc = vsig_usleep(s->usec);
    break;
  }
  s->err = errno;
  s->hits_at_return = atomic_load(&hits);
  s->pending_after = cur_pending();
  atomic_store(&s->done, 1);
  return NULL;
}

static vsig_thread_t start_sleeper(pthread_t *h, struct sleeper *s) {
  vsig_thread_t t = spawn(h, sleeper_thread, s);
  await_state(t, VSIG_THREAD_INTERRUPTIBLE);
  return t;
}

TEST(nanosleep_interrupted_is_eintr_with_a_sane_remaining_time) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  struct sleeper s = {.kind = K_NANOSLEEP, .req = {3600, 500000000}, .rem = rem_poison};
  pthread_t h;
  vsig_thread_t t = start_sleeper(&h, &s);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(s.rc, -1);
  CHECK_EQ(s.err, EINTR);
  CHECK_EQ(s.hits_at_return, 1);
  CHECK(ts_sane(s.rem));
  CHECK(ts_le(s.rem, s.req));
}

TEST(nanosleep_interrupted_with_null_rem) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  struct sleeper s = {.kind = K_NANOSLEEP_NOREM, .req = {3600, 0}};
  pthread_t h;
  vsig_thread_t t = start_sleeper(&h, &s);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(s.rc, -1);
  CHECK_EQ(s.err, EINTR);
}

TEST(nanosleep_far_beyond_the_clock_is_interruptible_and_rem_stays_below_req) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  /* Requests so long that the deadline does not fit the clock: the sleep is
   * "forever", but what is left of it can still not exceed what was asked. */
  const struct timespec reqs[] = {{(time_t)LLONG_MAX, 999999999},
                                  {(time_t)(LLONG_MAX / 1000000000) - 1, 0},
                                  {(time_t)(LLONG_MAX / 1000000000) - 1000000, 0}};
  for (int i = 0; i < 3; i++) {
    struct sleeper s = {.kind = K_NANOSLEEP, .req = reqs[i], .rem = rem_poison};
    pthread_t h;
    vsig_thread_t t = start_sleeper(&h, &s);
    CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
    join(h);
    CHECK_EQ_SIG(i, s.rc, -1);
    CHECK_EQ_SIG(i, s.err, EINTR);
    CHECK(ts_sane(s.rem));
    if (!ts_le(s.rem, s.req))
      VT_FAIL("req %d: rem {%lld, %ld} > req {%lld, %ld}", i, (long long)s.rem.tv_sec,
              s.rem.tv_nsec, (long long)s.req.tv_sec, s.req.tv_nsec);
  }
}

TEST(sleep_interrupted_returns_the_unslept_seconds) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  struct sleeper s = {.kind = K_SLEEP, .seconds = 3600, .unslept = 9999};
  pthread_t h;
  vsig_thread_t t = start_sleeper(&h, &s);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK(s.unslept <= 3600u);
  CHECK_EQ(s.hits_at_return, 1);
}

TEST(usleep_interrupted_is_eintr) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  struct sleeper s = {.kind = K_USLEEP, .usec = 3600ul * 1000000ul};
  pthread_t h;
  vsig_thread_t t = start_sleeper(&h, &s);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(s.rc, -1);
  CHECK_EQ(s.err, EINTR);
  CHECK_EQ(s.hits_at_return, 1);
}

TEST(process_directed_signal_interrupts_a_sleeper) {
  set_handler(VSIG_SIGUSR2, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR2)); /* main does not take it */
  struct sleeper s = {.kind = K_NANOSLEEP, .req = {3600, 0}};
  pthread_t h;
  start_sleeper(&h, &s);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR2), 0);
  join(h);
  CHECK_EQ(s.err, EINTR);
  CHECK_EQ(s.hits_at_return, 1);
}

TEST(blocked_signal_does_not_interrupt_and_stays_pending) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  set_handler(VSIG_SIGUSR2, on_sig, 0, EMPTY());
  struct sleeper s = {.kind = K_NANOSLEEP, .req = {3600, 0}, .blocked = SET(VSIG_SIGUSR2)};
  pthread_t h;
  vsig_thread_t t = start_sleeper(&h, &s);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR2), 0);
  if (await_state_or(t, VSIG_THREAD_INTERRUPTIBLE, &s.done))
    CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(s.err, EINTR);
  CHECK_EQ(s.hits_at_return, 1); /* it was USR1 that ended it */
  vsig_sigset_t usr2 = SET(VSIG_SIGUSR2);
  CHECK(set_eq(&s.pending_after, &usr2));
}

TEST(ignored_signal_does_not_interrupt) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGUSR2, VSIG_SIG_IGN), (uintptr_t)VSIG_SIG_DFL);
  struct sleeper s = {.kind = K_NANOSLEEP, .req = {3600, 0}};
  pthread_t h;
  vsig_thread_t t = start_sleeper(&h, &s);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR2), 0);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGCHLD), 0); /* default: ignore */
  if (await_state_or(t, VSIG_THREAD_INTERRUPTIBLE, &s.done))
    CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(s.err, EINTR);
  CHECK_EQ(s.hits_at_return, 1);
}

TEST(sa_restart_does_not_restart_a_sleep) {
  /* POSIX: nanosleep fails with EINTR whatever the handler's flags. */
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGUSR1, on_sig), (uintptr_t)VSIG_SIG_DFL);
  vsig_sigaction_t o;
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &o), 0);
  CHECK(o.sa_flags & VSIG_SA_RESTART);
  struct sleeper s = {.kind = K_NANOSLEEP, .req = {3600, 0}};
  pthread_t h;
  vsig_thread_t t = start_sleeper(&h, &s);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(s.rc, -1);
  CHECK_EQ(s.err, EINTR);
}

/* ---- on the manual clock, where the remaining time is exact ------------------------ */

#define SEC 1000000000LL

static void manual_clock(void) { CHECK_EQ(vsig_clock_set_manual(7 * SEC), 0); }

TEST(manual_clock_nanosleep_rem_is_exactly_what_is_left) {
  manual_clock();
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  struct sleeper s = {.kind = K_NANOSLEEP, .req = {10, 0}, .rem = rem_poison};
  pthread_t h;
  vsig_thread_t t = start_sleeper(&h, &s);
  CHECK_EQ(vsig_clock_advance(2 * SEC + SEC / 2), 0);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(s.rc, -1);
  CHECK_EQ(s.err, EINTR);
  CHECK_EQ(s.rem.tv_sec, 7);
  CHECK_EQ(s.rem.tv_nsec, 500000000);
}

TEST(manual_clock_sleep_returns_unslept_seconds_rounded_up) {
  manual_clock();
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  const int64_t advance[] = {2 * SEC + SEC / 2, 3 * SEC, 10 * SEC - 1, 1};
  const unsigned int want[] = {8, 7, 1, 10};
  for (int i = 0; i < 4; i++) {
    struct sleeper s = {.kind = K_SLEEP, .seconds = 10, .unslept = 9999};
    pthread_t h;
    vsig_thread_t t = start_sleeper(&h, &s);
    CHECK_EQ(vsig_clock_advance(advance[i]), 0);
    CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
    join(h);
    CHECK_EQ_SIG(i, s.unslept, want[i]);
  }
}

TEST(manual_clock_sleeps_end_exactly_at_their_deadline) {
  manual_clock();
  for (int k = K_NANOSLEEP; k <= K_USLEEP; k++) {
    struct sleeper s = {.kind = k,
                        .req = {3, 250},
                        .rem = rem_poison,
                        .seconds = 3,
                        .unslept = 9999,
                        .usec = 3000000};
    const int64_t total = k == K_SLEEP || k == K_USLEEP ? 3 * SEC : 3 * SEC + 250;
    pthread_t h;
    start_sleeper(&h, &s);
    CHECK_EQ(vsig_clock_advance(total - 1), 0);
    /* One nanosecond short: it must not have returned. */
    CHECK_EQ_SIG(k, atomic_load(&s.done), 0);
    CHECK_EQ(vsig_clock_advance(1), 0);
    join(h);
    if (k == K_SLEEP) {
      CHECK_EQ(s.unslept, 0u);
    } else {
      CHECK_EQ_SIG(k, s.rc, 0);
      CHECK_EQ(s.rem.tv_sec, -12345); /* not written when the sleep completes */
    }
  }
}

/* req and rem may be one object: the request is read before the remaining
 * time is written. */
TEST(nanosleep_with_req_and_rem_aliased) {
  manual_clock();
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  struct sleeper s = {.kind = K_NANOSLEEP_ALIASED, .req = {10, 250}};
  pthread_t h;
  vsig_thread_t t = start_sleeper(&h, &s);
  CHECK_EQ(vsig_clock_advance(4 * SEC), 0);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(s.rc, -1);
  CHECK_EQ(s.err, EINTR);
  CHECK_EQ(s.rem.tv_sec, 6);
  CHECK_EQ(s.rem.tv_nsec, 250);
}
