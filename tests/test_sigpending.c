/* SPDX-License-Identifier: MIT */
/* sigpending: the signals pending on the caller's process or on the calling
 * thread, and blocked by it. */
/* ctest-labels: concurrency */
#include "conform.h"

static atomic_int hits;
static void on_sig(int sig) {
  (void)sig;
  atomic_fetch_add(&hits, 1);
}

TEST(nothing_pending_gives_the_empty_set) {
  vsig_sigset_t p = full_set(); /* every bit must be written */
  CHECK_EQ(vsig_sigpending(&p), 0);
  CHECK(set_empty(&p));
}

TEST(null_set_is_efault) {
  block(SET(VSIG_SIGUSR1));
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_ERRNO(vsig_sigpending(NULL), EFAULT);
  /* ... and the pending signal is still there. */
  vsig_sigset_t p = cur_pending();
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGUSR1), 1);
}

TEST(reports_process_and_thread_directed_blocked_signals) {
  vsig_sigset_t s = SET(VSIG_SIGUSR1, VSIG_SIGUSR2, VSIG_SIGRTMIN, VSIG_SIGRTMAX);
  block(s);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 1}), 0);
  CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), VSIG_SIGRTMAX), 0);
  vsig_sigset_t p = full_set();
  CHECK_EQ(vsig_sigpending(&p), 0);
  CHECK(set_eq(&p, &s));
}

TEST(examining_consumes_nothing) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR1));
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  for (int i = 0; i < 3; i++) {
    vsig_sigset_t p = cur_pending();
    CHECK_EQ(vsig_sigismember(&p, VSIG_SIGUSR1), 1);
  }
  unblock(SET(VSIG_SIGUSR1));
  CHECK_EQ(hits, 1);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
}

TEST(only_signals_still_blocked_are_reported) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR1, VSIG_SIGUSR2));
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  unblock(SET(VSIG_SIGUSR1)); /* delivers USR1 */
  CHECK_EQ(hits, 1);
  vsig_sigset_t p = cur_pending(), want = SET(VSIG_SIGUSR2);
  CHECK(set_eq(&p, &want));
}

TEST(accepting_clears_it_and_queued_rt_instances_keep_it_pending) {
  const int rt = VSIG_SIGRTMIN + 3;
  vsig_sigset_t s = SET(VSIG_SIGUSR1, rt);
  block(s);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0); /* merges with the first */
  CHECK_EQ(vsig_raise(rt), 0);
  CHECK_EQ(vsig_raise(rt), 0); /* queues */
  vsig_sigset_t one = SET(VSIG_SIGUSR1), rts = SET(rt);
  CHECK_EQ(vsig_sigwaitinfo(&one, NULL), VSIG_SIGUSR1);
  vsig_sigset_t p = cur_pending();
  CHECK(set_eq(&p, &rts));
  CHECK_EQ(vsig_sigwaitinfo(&rts, NULL), rt);
  p = cur_pending();
  CHECK(set_eq(&p, &rts));
  CHECK_EQ(vsig_sigwaitinfo(&rts, NULL), rt);
  p = cur_pending();
  CHECK(set_empty(&p));
}

/* ---- with another thread ----------------------------------------------------------- */

struct peer {
  atomic_int go, done;
  vsig_sigset_t seen;
};

/* Reports its own sigpending once told to, with the mask it inherited. */
static void *report_pending(void *arg) {
  struct peer *pr = arg;
  await_at_least(&pr->go, 1);
  CHECK_EQ(vsig_sigpending(&pr->seen), 0);
  atomic_store(&pr->done, 1);
  return NULL;
}

TEST(thread_directed_signal_is_pending_only_for_its_thread) {
  block(SET(VSIG_SIGUSR1, VSIG_SIGUSR2)); /* inherited by the peer */
  struct peer pr = {0};
  pthread_t h;
  vsig_thread_t t = spawn(&h, report_pending, &pr);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  atomic_store(&pr.go, 1);
  join(h);
  vsig_sigset_t want_peer = SET(VSIG_SIGUSR1), want_me = SET(VSIG_SIGUSR2);
  CHECK(set_eq(&pr.seen, &want_peer));
  vsig_sigset_t mine = cur_pending();
  CHECK(set_eq(&mine, &want_me));
}

TEST(process_directed_signal_is_pending_for_every_thread_that_blocks_it) {
  block(SET(VSIG_SIGHUP));
  struct peer pr = {0};
  pthread_t h;
  spawn(&h, report_pending, &pr);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGHUP), 0);
  atomic_store(&pr.go, 1);
  join(h);
  vsig_sigset_t want = SET(VSIG_SIGHUP);
  CHECK(set_eq(&pr.seen, &want));
  vsig_sigset_t mine = cur_pending();
  CHECK(set_eq(&mine, &want));
}
