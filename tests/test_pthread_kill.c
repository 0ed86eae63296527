/* SPDX-License-Identifier: MIT */
/* pthread_kill, pthread_sigqueue and pthread_kill_host: thread-directed
 * signals. All three return an error number and leave errno alone. */
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

static vsig_sigval_t ival(int v) { return (vsig_sigval_t){.sival_int = v}; }

static void *nothing(void *arg) { return arg; }

/* A thread id that was valid and is no longer: ids are never reused. */
static vsig_thread_t exited_thread(void) {
  pthread_t h;
  vsig_thread_t t = spawn(&h, nothing, NULL);
  join(h);
  return t;
}

TEST(to_self_runs_the_handler_before_returning) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(last_info.si_signo, VSIG_SIGUSR1);
  CHECK_EQ(last_info.si_code, VSIG_SI_TKILL);
  CHECK_EQ(last_info.si_pid, vsig_getpid());
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), VSIG_SIGUSR1, ival(31)), 0);
  CHECK_EQ(hits, 2);
  CHECK_EQ(last_info.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(last_info.si_value.sival_int, 31);
  CHECK_EQ(vsig_pthread_kill_host(pthread_self(), VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 3);
  CHECK_EQ(last_info.si_code, VSIG_SI_TKILL);
}

TEST(signal_zero_checks_the_thread_and_sends_nothing) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), 0), 0);
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), 0, ival(1)), 0);
  CHECK_EQ(vsig_pthread_kill_host(pthread_self(), 0), 0);
  CHECK_EQ(hits, 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
}

TEST(unknown_thread_is_esrch) {
  const vsig_thread_t gone = exited_thread();
  const vsig_thread_t ids[] = {0, UINT64_MAX, gone, gone + 1000};
  for (int i = 0; i < 4; i++) {
    errno = 777;
    CHECK_EQ(vsig_pthread_kill(ids[i], VSIG_SIGUSR1), ESRCH);
    CHECK_EQ(vsig_pthread_kill(ids[i], 0), ESRCH);
    CHECK_EQ(vsig_pthread_sigqueue(ids[i], VSIG_SIGRTMIN, ival(1)), ESRCH);
    CHECK_EQ(vsig_pthread_sigqueue(ids[i], 0, ival(1)), ESRCH);
    CHECK_EQ(errno, 777);
  }
}

TEST(bad_signal_is_einval_and_sends_nothing) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  for (int i = 0; i < NBAD_SIGS; i++) {
    int sig = bad_sig(i);
    errno = 777;
    CHECK_EQ_SIG(sig, vsig_pthread_kill(vsig_thread_self(), sig), EINVAL);
    CHECK_EQ_SIG(sig, vsig_pthread_sigqueue(vsig_thread_self(), sig, ival(1)), EINVAL);
    CHECK_EQ_SIG(sig, vsig_pthread_kill_host(pthread_self(), sig), EINVAL);
    CHECK_EQ_SIG(sig, errno, 777);
  }
  CHECK_EQ(hits, 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
}

static void *plain_thread(void *arg) {
  (void)arg;
  return NULL;
}

TEST(host_thread_without_a_vsig_thread_is_esrch) {
  vsig_thread_self(); /* the library is initialised */
  pthread_t h;
  CHECK_EQ(pthread_create(&h, NULL, plain_thread, NULL), 0);
  /* While it exists (before join) it never called vsig. */
  int rc = vsig_pthread_kill_host(h, VSIG_SIGUSR1);
  CHECK_EQ(rc, ESRCH);
  CHECK_EQ(vsig_pthread_kill_host(h, 0), ESRCH);
  join(h);
}

/* ---- another thread --------------------------------------------------------------- */

struct waiter {
  atomic_int done;
  int rc, err;
};

static void *pause_once(void *arg) {
  struct waiter *w = arg;
  w->rc = vsig_pause();
  w->err = errno;
  atomic_store(&w->done, 1);
  return NULL;
}

TEST(wakes_another_thread_and_runs_the_handler_there) {
  set_action(VSIG_SIGUSR2, on_info, 0, EMPTY());
  struct waiter w = {0};
  pthread_t h;
  vsig_thread_t t = spawn(&h, pause_once, &w);
  await_state(t, VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR2), 0);
  join(h);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, EINTR);
  CHECK_EQ(hits, 1);
  CHECK_EQ(ran_on, t);
  CHECK_EQ(last_info.si_code, VSIG_SI_TKILL);
  CHECK_EQ(last_info.si_pid, vsig_getpid());
}

TEST(pthread_kill_host_reaches_a_vsig_thread) {
  set_action(VSIG_SIGUSR2, on_info, 0, EMPTY());
  struct waiter w = {0};
  pthread_t h;
  vsig_thread_t t = spawn(&h, pause_once, &w);
  await_state(t, VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(vsig_pthread_kill_host(h, VSIG_SIGUSR2), 0);
  join(h);
  CHECK_EQ(w.err, EINTR);
  CHECK_EQ(ran_on, t);
}

struct queued {
  atomic_int ready;
  int got[4];
  vsig_siginfo_t info[4];
};

static void *accept_four(void *arg) {
  struct queued *q = arg;
  vsig_sigset_t s = SET(VSIG_SIGRTMIN, VSIG_SIGRTMIN + 1);
  block(s);
  atomic_store(&q->ready, 1);
  for (int i = 0; i < 4; i++)
    q->got[i] = vsig_sigwaitinfo(&s, &q->info[i]);
  return NULL;
}

TEST(pthread_sigqueue_carries_values_in_order) {
  struct queued q = {0};
  pthread_t h;
  vsig_thread_t t = spawn(&h, accept_four, &q);
  await_at_least(&q.ready, 1);
  /* Whether or not it is already waiting, it gets them all, in order,
   * lowest signal first once several are pending. */
  CHECK_EQ(vsig_pthread_sigqueue(t, VSIG_SIGRTMIN + 1, ival(1)), 0);
  CHECK_EQ(vsig_pthread_sigqueue(t, VSIG_SIGRTMIN + 1, ival(2)), 0);
  CHECK_EQ(vsig_pthread_sigqueue(t, VSIG_SIGRTMIN + 1, ival(3)), 0);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGRTMIN + 1), 0);
  join(h);
  for (int i = 0; i < 4; i++) {
    CHECK_EQ(q.got[i], VSIG_SIGRTMIN + 1);
    CHECK_EQ(q.info[i].si_pid, vsig_getpid());
  }
  for (int i = 0; i < 3; i++) {
    CHECK_EQ(q.info[i].si_code, VSIG_SI_QUEUE);
    CHECK_EQ(q.info[i].si_value.sival_int, i + 1);
  }
  CHECK_EQ(q.info[3].si_code, VSIG_SI_TKILL);
}

struct blocker {
  atomic_int ready, go;
  vsig_sigset_t pending;
};

static void *block_then_report(void *arg) {
  struct blocker *b = arg;
  block(SET(VSIG_SIGUSR1));
  atomic_store(&b->ready, 1);
  await_at_least(&b->go, 1);
  b->pending = cur_pending();
  unblock(SET(VSIG_SIGUSR1)); /* runs the handler here */
  return NULL;
}

TEST(blocked_in_the_target_it_waits_there_not_elsewhere) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY()); /* main has USR1 unblocked */
  struct blocker b = {0};
  pthread_t h;
  vsig_thread_t t = spawn(&h, block_then_report, &b);
  await_at_least(&b.ready, 1);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  vsig_sigset_t mine = cur_pending();
  CHECK(set_empty(&mine));
  CHECK_EQ(hits, 0); /* main did not take it */
  atomic_store(&b.go, 1);
  join(h);
  CHECK_EQ(vsig_sigismember(&b.pending, VSIG_SIGUSR1), 1);
  CHECK_EQ(hits, 1);
  CHECK_EQ(ran_on, t);
}

struct other_proc {
  atomic_int ready;
  int got;
  vsig_siginfo_t info;
};

static void *accept_usr1(void *arg) {
  struct other_proc *o = arg;
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  block(s);
  atomic_store(&o->ready, 1);
  o->got = vsig_sigwaitinfo(&s, &o->info);
  return NULL;
}

TEST(reaches_a_thread_of_another_process) {
  vsig_pid_t p2;
  CHECK_EQ(vsig_proc_create(NULL, &p2), 0);
  struct other_proc o = {0};
  pthread_t h;
  vsig_thread_t t = 0;
  CHECK_EQ(vsig_thread_create(&h, &t, p2, 0, accept_usr1, &o), 0);
  await_at_least(&o.ready, 1);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(o.got, VSIG_SIGUSR1);
  CHECK_EQ(o.info.si_code, VSIG_SI_TKILL);
  CHECK_EQ(o.info.si_pid, vsig_getpid());
  CHECK_EQ(vsig_proc_destroy(p2), 0);
}

TEST(default_action_on_a_thread_terminates_its_process) {
  vsig_set_terminate_callback(on_terminate, NULL);
  CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), VSIG_SIGTERM), 0);
  CHECK_EQ(term_calls, 1);
  CHECK_EQ(term_sig, VSIG_SIGTERM);
  int st = 0;
  CHECK_EQ(vsig_proc_status(vsig_getpid(), &st), 0);
  CHECK_EQ(st, VSIG_SIGTERM);
}
