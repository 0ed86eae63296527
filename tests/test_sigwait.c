/* SPDX-License-Identifier: MIT */
/* sigwait, sigwaitinfo, sigtimedwait: accepting a signal synchronously.
 * sigwait answers an error number (and is never interrupted); the other two
 * answer the signal, or -1/errno. */
/* ctest-labels: concurrency */
#include "conform.h"

static atomic_int hits;
static void on_sig(int sig) {
  (void)sig;
  atomic_fetch_add(&hits, 1);
}

static vsig_sigval_t ival(int v) { return (vsig_sigval_t){.sival_int = v}; }

/* ---- one thread ---------------------------------------------------------------- */

TEST(sigwait_takes_a_pending_signal_at_once) {
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  block(s);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  int sig = 0;
  errno = 555;
  CHECK_EQ(vsig_sigwait(&s, &sig), 0);
  CHECK_EQ(errno, 555); /* an error-number function leaves errno alone */
  CHECK_EQ(sig, VSIG_SIGUSR1);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
}

TEST(lowest_pending_signal_of_the_set_first_never_one_outside) {
  vsig_sigset_t all = SET(VSIG_SIGHUP, VSIG_SIGUSR1, VSIG_SIGUSR2, VSIG_SIGRTMIN, VSIG_SIGRTMAX);
  block(all);
  CHECK_EQ(vsig_raise(VSIG_SIGRTMAX), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGRTMIN), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGHUP), 0);
  vsig_sigset_t s = SET(VSIG_SIGRTMIN, VSIG_SIGUSR2, VSIG_SIGUSR1, VSIG_SIGRTMAX);
  int sig = 0;
  CHECK_EQ(vsig_sigwait(&s, &sig), 0);
  CHECK_EQ(sig, VSIG_SIGUSR1);
  CHECK_EQ(vsig_sigwaitinfo(&s, NULL), VSIG_SIGUSR2);
  struct timespec zero = {0, 0};
  CHECK_EQ(vsig_sigtimedwait(&s, NULL, &zero), VSIG_SIGRTMIN);
  CHECK_EQ(vsig_sigwait(&s, &sig), 0);
  CHECK_EQ(sig, VSIG_SIGRTMAX);
  CHECK_ERRNO(vsig_sigtimedwait(&s, NULL, &zero), EAGAIN);
  vsig_sigset_t p = cur_pending(), hup = SET(VSIG_SIGHUP);
  CHECK(set_eq(&p, &hup)); /* never taken: not in the set */
}

TEST(sigwait_null_pointers_are_efault_and_consume_nothing) {
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  block(s);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  int sig = -7;
  errno = 555;
  CHECK_EQ(vsig_sigwait(NULL, &sig), EFAULT);
  CHECK_EQ(sig, -7);
  CHECK_EQ(vsig_sigwait(&s, NULL), EFAULT);
  CHECK_EQ(vsig_sigwait(NULL, NULL), EFAULT);
  CHECK_EQ(errno, 555);
  vsig_sigset_t p = cur_pending();
  CHECK(set_eq(&p, &s));
}

TEST(sigwaitinfo_and_sigtimedwait_null_set_is_efault) {
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  block(s);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  vsig_siginfo_t info;
  struct timespec ts = {1, 0};
  CHECK_ERRNO(vsig_sigwaitinfo(NULL, &info), EFAULT);
  CHECK_ERRNO(vsig_sigwaitinfo(NULL, NULL), EFAULT);
  CHECK_ERRNO(vsig_sigtimedwait(NULL, &info, &ts), EFAULT);
  CHECK_ERRNO(vsig_sigtimedwait(NULL, NULL, NULL), EFAULT);
  vsig_sigset_t p = cur_pending();
  CHECK(set_eq(&p, &s));
}

TEST(sigwaitinfo_returns_the_queued_siginfo) {
  const int rt = VSIG_SIGRTMIN + 4;
  vsig_sigset_t s = SET(rt);
  block(s);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), rt, ival(11)), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), rt, ival(22)), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), rt), 0);
  CHECK_EQ(vsig_raise(rt), 0);
  vsig_siginfo_t info;
  memset(&info, 0xee, sizeof info);
  CHECK_EQ(vsig_sigwaitinfo(&s, &info), rt);
  /* The thread-directed instance and the process-directed ones are both
   * pending; which queue goes first is not fixed, the order inside each is. */
  int seen_tkill = 0, next_q = 11, seen_user = 0;
  for (int i = 0; i < 4; i++) {
    if (i > 0) {
      struct timespec zero = {0, 0};
      memset(&info, 0xee, sizeof info);
      CHECK_EQ(vsig_sigtimedwait(&s, &info, &zero), rt);
    }
    CHECK_EQ(info.si_signo, rt);
    CHECK_EQ(info.si_errno, 0);
    CHECK_EQ(info.si_pid, vsig_getpid());
    if (info.si_code == VSIG_SI_TKILL) {
      seen_tkill++;
    } else if (info.si_code == VSIG_SI_QUEUE) {
      CHECK_EQ(seen_user, 0);
      CHECK_EQ(info.si_value.sival_int, next_q);
      next_q += 11;
    } else {
      CHECK_EQ(info.si_code, VSIG_SI_USER);
      CHECK_EQ(next_q, 33); /* after both sigqueue instances */
      seen_user++;
    }
  }
  CHECK_EQ(seen_tkill, 1);
  CHECK_EQ(seen_user, 1);
  CHECK_EQ(next_q, 33);
}

TEST(sigtimedwait_zero_or_short_timeout_is_eagain) {
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  block(s);
  struct timespec zero = {0, 0}, short_ts = {0, 1000000};
  vsig_siginfo_t info;
  CHECK_ERRNO(vsig_sigtimedwait(&s, &info, &zero), EAGAIN);
  CHECK_ERRNO(vsig_sigtimedwait(&s, &info, &short_ts), EAGAIN);
  CHECK_ERRNO(vsig_sigtimedwait(&s, NULL, &short_ts), EAGAIN);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_sigtimedwait(&s, &info, &short_ts), VSIG_SIGUSR1);
  CHECK_EQ(info.si_code, VSIG_SI_TKILL);
}

TEST(sigtimedwait_bad_timeout_is_einval_and_consumes_nothing) {
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  block(s);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  const struct timespec bad[] = {
      {-1, 0},       {0, -1},         {0, 1000000000},       {0, LONG_MAX},
      {1, LONG_MIN}, {-1, 999999999}, {(time_t)LLONG_MIN, 0}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    vsig_siginfo_t info;
    CHECK_ERRNO_SIG((int)i, vsig_sigtimedwait(&s, &info, &bad[i]), EINVAL);
  }
  vsig_sigset_t p = cur_pending();
  CHECK(set_eq(&p, &s));
}

TEST(sigtimedwait_null_or_huge_timeout_takes_a_pending_signal) {
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  block(s);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_sigtimedwait(&s, NULL, NULL), VSIG_SIGUSR1);
  /* Far beyond any clock: must not overflow (UBSan watches). */
  const struct timespec huge[] = {{(time_t)LLONG_MAX, 999999999},
                                  {(time_t)(LLONG_MAX / 1000000000), 0},
                                  {(time_t)(LLONG_MAX / 1000000000) - 1, 999999999}};
  for (int i = 0; i < 3; i++) {
    CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
    CHECK_EQ_SIG(i, vsig_sigtimedwait(&s, NULL, &huge[i]), VSIG_SIGUSR1);
  }
}

TEST(sigkill_and_sigstop_in_the_set_are_not_accepted) {
  vsig_sigset_t s = SET(VSIG_SIGKILL, VSIG_SIGSTOP, VSIG_SIGUSR1);
  block(s);
  struct timespec zero = {0, 0};
  CHECK_ERRNO(vsig_sigtimedwait(&s, NULL, &zero), EAGAIN);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_sigtimedwait(&s, NULL, &zero), VSIG_SIGUSR1);
}

/* ---- a waiting thread ---------------------------------------------------------------- */

enum kind { K_SIGWAIT, K_WAITINFO, K_TIMEDWAIT };

struct waiter {
  enum kind kind;
  vsig_sigset_t blocked, set;
  struct timespec timeout;
  atomic_int ready, done;
  int rc, err, sig;
  vsig_siginfo_t info;
  vsig_sigset_t pending_after;
};

static void *wait_thread(void *arg) {
  struct waiter *w = arg;
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_SETMASK, &w->blocked, NULL), 0);
  atomic_store(&w->ready, 1);
  errno = 0;
  switch (w->kind) {
  case K_SIGWAIT:
    w->rc = vsig_sigwait(&w->set, &w->sig);
    break;
  case K_WAITINFO:
    w->rc = vsig_sigwaitinfo(&w->set, &w->info);
    break;
  case K_TIMEDWAIT:
    w->rc = vsig_sigtimedwait(&w->set, &w->info, &w->timeout);
    break;
  }
  w->err = errno;
  w->pending_after = cur_pending();
  atomic_store(&w->done, 1);
  return NULL;
}

static vsig_thread_t start_waiter(pthread_t *h, struct waiter *w) {
  vsig_thread_t t = spawn(h, wait_thread, w);
  await_state(t, VSIG_THREAD_SIGWAIT);
  return t;
}

TEST(waiting_thread_gets_a_signal_sent_later) {
  for (int k = 0; k < 3; k++) {
    struct waiter w = {
        .kind = k, .blocked = SET(VSIG_SIGUSR2), .set = SET(VSIG_SIGUSR2), .timeout = {3600, 0}};
    pthread_t h;
    vsig_thread_t t = start_waiter(&h, &w);
    CHECK_EQ(vsig_pthread_sigqueue(t, VSIG_SIGUSR2, ival(k)), 0);
    join(h);
    if (k == K_SIGWAIT) {
      CHECK_EQ(w.rc, 0);
      CHECK_EQ(w.sig, VSIG_SIGUSR2);
    } else {
      CHECK_EQ_SIG(k, w.rc, VSIG_SIGUSR2);
      CHECK_EQ(w.info.si_code, VSIG_SI_QUEUE);
      CHECK_EQ(w.info.si_value.sival_int, k);
      CHECK_EQ(w.info.si_pid, vsig_getpid());
    }
    CHECK(set_empty(&w.pending_after));
  }
}

TEST(process_directed_signal_goes_to_the_waiter) {
  vsig_sigset_t s = SET(VSIG_SIGTERM);
  block(s); /* main does not take it */
  struct waiter w = {.kind = K_WAITINFO, .blocked = s, .set = s};
  pthread_t h;
  start_waiter(&h, &w);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGTERM), 0);
  join(h);
  CHECK_EQ(w.rc, VSIG_SIGTERM);
  CHECK_EQ(w.info.si_code, VSIG_SI_USER);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
}

TEST(waiter_ignores_signals_outside_its_set) {
  vsig_sigset_t both = SET(VSIG_SIGUSR1, VSIG_SIGUSR2);
  block(both);
  struct waiter w = {.kind = K_SIGWAIT, .blocked = both, .set = SET(VSIG_SIGUSR2)};
  pthread_t h;
  vsig_thread_t t = start_waiter(&h, &w);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);     /* blocked there: stays */
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0); /* nobody takes it: stays */
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR2), 0);
  join(h);
  CHECK_EQ(w.rc, 0);
  CHECK_EQ(w.sig, VSIG_SIGUSR2);
  vsig_sigset_t usr1 = SET(VSIG_SIGUSR1);
  CHECK(set_eq(&w.pending_after, &usr1));
  vsig_sigset_t mine = cur_pending();
  CHECK(set_eq(&mine, &usr1)); /* the process-directed one is still there */
}

TEST(sigwait_is_not_interrupted_by_a_handler) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR1, VSIG_SIGUSR2));
  struct waiter w = {.kind = K_SIGWAIT, .blocked = SET(VSIG_SIGUSR2), .set = SET(VSIG_SIGUSR2)};
  pthread_t h;
  vsig_thread_t t = start_waiter(&h, &w);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  await_at_least(&hits, 1);
  /* It goes back to waiting; had it returned, done says so and the checks
   * below fail on what it returned. */
  if (await_state_or(t, VSIG_THREAD_SIGWAIT, &w.done))
    CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR2), 0);
  join(h);
  CHECK_EQ(w.rc, 0);
  CHECK_EQ(w.sig, VSIG_SIGUSR2);
  CHECK_EQ(hits, 1);
}

TEST(sigwaitinfo_and_sigtimedwait_fail_with_eintr_after_a_handler) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR1, VSIG_SIGUSR2));
  for (int k = K_WAITINFO; k <= K_TIMEDWAIT; k++) {
    struct waiter w = {
        .kind = k, .blocked = SET(VSIG_SIGUSR2), .set = SET(VSIG_SIGUSR2), .timeout = {3600, 0}};
    pthread_t h;
    vsig_thread_t t = start_waiter(&h, &w);
    CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
    join(h);
    CHECK_EQ_SIG(k, w.rc, -1);
    CHECK_EQ_SIG(k, w.err, EINTR);
    CHECK_EQ_SIG(k, hits, k);
  }
}

TEST(sigtimedwait_with_a_huge_timeout_still_waits_and_wakes) {
  vsig_sigset_t s = SET(VSIG_SIGHUP);
  block(s);
  struct waiter w = {
      .kind = K_TIMEDWAIT, .blocked = s, .set = s, .timeout = {(time_t)LLONG_MAX, 999999999}};
  pthread_t h;
  vsig_thread_t t = start_waiter(&h, &w);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGHUP), 0);
  join(h);
  CHECK_EQ(w.rc, VSIG_SIGHUP);
}

TEST(waiter_may_wait_for_an_unblocked_signal) {
  /* POSIX leaves it undefined; vsig (like Linux) hands it to the waiter
   * rather than run the default action (step 3 of the delivery algorithm
   * comes before step 4). */
  block(SET(VSIG_SIGUSR1)); /* main does not take it */
  struct waiter w = {.kind = K_WAITINFO, .blocked = EMPTY(), .set = SET(VSIG_SIGUSR1)};
  pthread_t h;
  start_waiter(&h, &w);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(w.rc, VSIG_SIGUSR1);
}

/* ---- timeouts on the manual clock ---------------------------------------------------- */

#define SEC 1000000000LL

TEST(manual_clock_sigtimedwait_times_out_exactly_at_the_timeout) {
  CHECK_EQ(vsig_clock_set_manual(SEC), 0);
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  block(s);
  struct waiter w = {.kind = K_TIMEDWAIT, .blocked = s, .set = s, .timeout = {5, 1}};
  pthread_t h;
  start_waiter(&h, &w);
  CHECK_EQ(vsig_clock_advance(5 * SEC), 0);
  CHECK_EQ(atomic_load(&w.done), 0); /* one nanosecond short */
  CHECK_EQ(vsig_clock_advance(1), 0);
  join(h);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, EAGAIN);
}

TEST(manual_clock_signal_before_the_timeout_is_taken) {
  CHECK_EQ(vsig_clock_set_manual(SEC), 0);
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  block(s);
  struct waiter w = {.kind = K_TIMEDWAIT, .blocked = s, .set = s, .timeout = {5, 0}};
  pthread_t h;
  vsig_thread_t t = start_waiter(&h, &w);
  CHECK_EQ(vsig_clock_advance(5 * SEC - 1), 0);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(w.rc, VSIG_SIGUSR1);
}
