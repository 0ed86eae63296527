/* SPDX-License-Identifier: MIT */
/* raise: a signal to the calling thread; a handler runs before raise returns. */
/* ctest-labels: concurrency */
#include "conform.h"

static atomic_int hits;
static vsig_siginfo_t last_info;
static _Atomic vsig_thread_t ran_on;
static void on_info(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  last_info = *info;
  atomic_store(&ran_on, vsig_thread_self());
  atomic_fetch_add(&hits, 1);
}

static vsig_uid_t host_uid(void) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  return a.uid;
}

TEST(handler_runs_before_raise_returns) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(last_info.si_signo, VSIG_SIGUSR1);
  CHECK_EQ(last_info.si_code, VSIG_SI_TKILL);
  CHECK_EQ(last_info.si_errno, 0);
  CHECK_EQ(last_info.si_pid, vsig_getpid());
  CHECK_EQ(last_info.si_uid, host_uid());
  CHECK_EQ(ran_on, vsig_thread_self());
}

TEST(signal_zero_sends_nothing) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  CHECK_EQ(vsig_raise(0), 0);
  CHECK_EQ(hits, 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
}

TEST(bad_signal_is_einval_and_sends_nothing) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  block(SET(VSIG_SIGRTMAX));
  for (int i = 0; i < NBAD_SIGS; i++)
    CHECK_ERRNO_SIG(bad_sig(i), vsig_raise(bad_sig(i)), EINVAL);
  CHECK_EQ(hits, 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
  /* The table's last signal is valid. */
  CHECK_EQ(vsig_raise(VSIG_SIGRTMAX), 0);
  p = cur_pending();
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGRTMAX), 1);
}

TEST(blocked_signal_stays_pending_on_the_thread) {
  set_action(VSIG_SIGUSR2, on_info, 0, EMPTY());
  block(SET(VSIG_SIGUSR2));
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  CHECK_EQ(hits, 0);
  vsig_sigset_t p = cur_pending(), want = SET(VSIG_SIGUSR2);
  CHECK(set_eq(&p, &want));
  unblock(SET(VSIG_SIGUSR2));
  CHECK_EQ(hits, 1); /* a standard signal: the two merged */
  CHECK_EQ(last_info.si_code, VSIG_SI_TKILL);
}

TEST(blocked_rt_signals_queue_in_order) {
  const int rt = VSIG_SIGRTMIN + 2;
  vsig_sigset_t s = SET(rt);
  block(s);
  for (int i = 0; i < 4; i++)
    CHECK_EQ(vsig_raise(rt), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), rt, (vsig_sigval_t){.sival_int = 9}), 0);
  for (int i = 0; i < 4; i++) {
    vsig_siginfo_t info;
    CHECK_EQ(vsig_sigwaitinfo(&s, &info), rt);
    CHECK_EQ(info.si_code, VSIG_SI_TKILL);
  }
  vsig_siginfo_t info;
  CHECK_EQ(vsig_sigwaitinfo(&s, &info), rt);
  CHECK_EQ(info.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(info.si_value.sival_int, 9);
}

static atomic_int depth, max_depth, reentries;
static void reraise(int sig) {
  int d = atomic_fetch_add(&depth, 1) + 1;
  if (d > atomic_load(&max_depth))
    atomic_store(&max_depth, d);
  if (atomic_fetch_add(&hits, 1) == 0) {
    CHECK_EQ(vsig_raise(sig), 0); /* blocked in here: it must wait */
    atomic_store(&reentries, atomic_load(&hits) - 1);
  }
  atomic_fetch_sub(&depth, 1);
}

TEST(raising_the_signal_inside_its_handler_runs_it_after_return) {
  set_handler(VSIG_SIGUSR1, reraise, 0, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 2);      /* the second ran before the outer raise returned */
  CHECK_EQ(reentries, 0); /* ... but not inside the first */
  CHECK_EQ(max_depth, 1);
  vsig_sigset_t m = cur_mask();
  CHECK(set_empty(&m));
}

TEST(with_sa_nodefer_it_nests) {
  set_handler(VSIG_SIGUSR1, reraise, VSIG_SA_NODEFER, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 2);
  CHECK_EQ(reentries, 1);
  CHECK_EQ(max_depth, 2);
}

static int trace[4], ntrace;
static void outer(int sig) {
  trace[ntrace++] = sig;
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  trace[ntrace++] = -sig;
}
static void inner(int sig) { trace[ntrace++] = sig; }

TEST(another_signal_raised_in_a_handler_runs_at_once) {
  set_handler(VSIG_SIGUSR1, outer, 0, EMPTY());
  set_handler(VSIG_SIGUSR2, inner, 0, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(ntrace, 3);
  CHECK_EQ(trace[0], VSIG_SIGUSR1);
  CHECK_EQ(trace[1], VSIG_SIGUSR2);
  CHECK_EQ(trace[2], -VSIG_SIGUSR1);
}

TEST(ignored_signals_do_nothing) {
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGUSR1, VSIG_SIG_IGN), (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGCHLD), 0); /* default: ignore */
  CHECK_EQ(vsig_raise(VSIG_SIGURG), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGWINCH), 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
}

TEST(default_action_terminates_the_process) {
  vsig_set_terminate_callback(on_terminate, NULL);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  CHECK_EQ(term_calls, 1);
  CHECK_EQ(term_sig, VSIG_SIGUSR2);
  int st = 0;
  CHECK_EQ(vsig_proc_status(vsig_getpid(), &st), 0);
  CHECK_EQ(st, VSIG_SIGUSR2);
}

TEST(sa_resethand_runs_once_then_default) {
  vsig_set_terminate_callback(on_terminate, NULL);
  set_action(VSIG_SIGHUP, on_info, VSIG_SA_RESETHAND, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGHUP), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(last_info.si_code, VSIG_SI_TKILL);
  CHECK_EQ(term_calls, 0);
  CHECK_EQ(vsig_raise(VSIG_SIGHUP), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(term_calls, 1);
  CHECK_EQ(term_sig, VSIG_SIGHUP);
}

struct raiser {
  vsig_thread_t id;
  int rc;
};

static void *raise_usr1(void *arg) {
  struct raiser *r = arg;
  r->id = vsig_thread_self();
  r->rc = vsig_raise(VSIG_SIGUSR1);
  return NULL;
}

TEST(raise_targets_the_calling_thread_only) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  struct raiser r = {0};
  pthread_t h;
  vsig_thread_t t = spawn(&h, raise_usr1, &r);
  join(h);
  CHECK_EQ(r.rc, 0);
  CHECK_EQ(r.id, t);
  CHECK_EQ(hits, 1);
  CHECK_EQ(ran_on, t); /* not the main thread, though it had USR1 unblocked */
}
