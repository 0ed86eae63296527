/* SPDX-License-Identifier: MIT */
/* sigqueue: a process-directed signal with a value; real-time signals take a
 * slot of the target's queue pool or fail with EAGAIN. */
/* ctest-labels: concurrency */
#include "conform.h"

static atomic_int hits;
static vsig_siginfo_t infos[64];
static void on_info(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  int n = atomic_fetch_add(&hits, 1);
  if (n < 64)
    infos[n] = *info;
}

#define NO_SUCH_PID (INT32_MAX - 12345)
#define QMAX VSIG_POSIX_SIGQUEUE_MAX

static vsig_sigval_t ival(int v) { return (vsig_sigval_t){.sival_int = v}; }

/* Give the default process the smallest pool POSIX allows. Must come before
 * any other vsig call of the test. */
static void small_pool(void) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.queue_max = QMAX;
  CHECK_EQ(vsig_default_proc_attr(&a), 0);
}

/* Queue rt until the pool is full; returns how many went in. */
static int fill(int rt) {
  int n = 0;
  while (vsig_sigqueue(vsig_getpid(), rt, ival(n)) == 0)
    n++;
  CHECK_EQ(errno, EAGAIN);
  return n;
}

TEST(handler_gets_si_queue_and_the_value_before_return) {
  set_action(VSIG_SIGRTMIN, on_info, 0, EMPTY());
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMIN, ival(-5)), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(infos[0].si_signo, VSIG_SIGRTMIN);
  CHECK_EQ(infos[0].si_code, VSIG_SI_QUEUE);
  CHECK_EQ(infos[0].si_value.sival_int, -5);
  CHECK_EQ(infos[0].si_pid, vsig_getpid());
  CHECK_EQ(infos[0].si_errno, 0);
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  CHECK_EQ(infos[0].si_uid, a.uid);
}

TEST(pointer_values_arrive_intact) {
  static int target;
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGUSR1, (vsig_sigval_t){.sival_ptr = &target}), 0);
  CHECK_EQ(hits, 1);
  CHECK(infos[0].si_value.sival_ptr == &target);
}

TEST(rt_instances_queue_in_fifo_order) {
  const int rt = VSIG_SIGRTMIN + 7;
  set_action(rt, on_info, 0, EMPTY());
  block(SET(rt));
  for (int i = 0; i < 10; i++)
    CHECK_EQ(vsig_sigqueue(vsig_getpid(), rt, ival(100 + i)), 0);
  CHECK_EQ(hits, 0);
  unblock(SET(rt));
  CHECK_EQ(hits, 10);
  for (int i = 0; i < 10; i++) {
    CHECK_EQ(infos[i].si_code, VSIG_SI_QUEUE);
    CHECK_EQ(infos[i].si_value.sival_int, 100 + i);
  }
}

TEST(standard_signal_keeps_one_instance) {
  set_action(VSIG_SIGUSR2, on_info, 0, EMPTY());
  block(SET(VSIG_SIGUSR2));
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGUSR2, ival(1)), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGUSR2, ival(2)), 0);
  unblock(SET(VSIG_SIGUSR2));
  CHECK_EQ(hits, 1);
  CHECK_EQ(infos[0].si_value.sival_int, 1); /* Linux keeps the first */
}

TEST(bad_signal_is_einval_and_queues_nothing) {
  small_pool();
  for (int i = 0; i < NBAD_SIGS; i++) {
    int sig = bad_sig(i);
    CHECK_ERRNO_SIG(sig, vsig_sigqueue(vsig_getpid(), sig, ival(1)), EINVAL);
  }
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
  block(SET(VSIG_SIGRTMIN));
  CHECK_EQ(fill(VSIG_SIGRTMIN), QMAX); /* no slot was taken by the failures */
}

TEST(pid_without_process_is_esrch) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  const vsig_pid_t pids[] = {0, -1, -vsig_getpid(), INT_MIN, NO_SUCH_PID, INT_MAX};
  for (int i = 0; i < 6; i++) {
    CHECK_ERRNO_SIG(pids[i], vsig_sigqueue(pids[i], VSIG_SIGUSR1, ival(1)), ESRCH);
    CHECK_ERRNO_SIG(pids[i], vsig_sigqueue(pids[i], 0, ival(1)), ESRCH);
  }
  vsig_pid_t gone;
  CHECK_EQ(vsig_proc_create(NULL, &gone), 0);
  CHECK_EQ(vsig_sigqueue(gone, 0, ival(0)), 0);
  CHECK_EQ(vsig_proc_destroy(gone), 0);
  CHECK_ERRNO(vsig_sigqueue(gone, VSIG_SIGRTMIN, ival(1)), ESRCH);
  CHECK_EQ(hits, 0);
}

TEST(signal_zero_checks_the_target_and_queues_nothing) {
  small_pool();
  block(SET(VSIG_SIGRTMIN));
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), 0, ival(1)), 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
  CHECK_EQ(fill(VSIG_SIGRTMIN), QMAX);
  /* Even with the pool full: there is nothing to queue. */
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), 0, ival(1)), 0);
}

TEST(full_pool_is_eagain_and_leaves_the_queue_as_it_was) {
  small_pool();
  const int rt = VSIG_SIGRTMIN;
  vsig_sigset_t s = SET(rt, rt + 1);
  block(s);
  CHECK_EQ(fill(rt), QMAX);
  CHECK_ERRNO(vsig_sigqueue(vsig_getpid(), rt, ival(-1)), EAGAIN);
  CHECK_ERRNO(vsig_sigqueue(vsig_getpid(), rt + 1, ival(-1)), EAGAIN); /* one pool */
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), rt, ival(-1)), EAGAIN);
  vsig_sigset_t p = cur_pending(), want = SET(rt);
  CHECK(set_eq(&p, &want));
  for (int i = 0; i < QMAX; i++) {
    vsig_siginfo_t info;
    CHECK_EQ(vsig_sigwaitinfo(&s, &info), rt);
    CHECK_EQ(info.si_code, VSIG_SI_QUEUE);
    CHECK_EQ(info.si_value.sival_int, i);
  }
  struct timespec zero = {0, 0};
  CHECK_ERRNO(vsig_sigtimedwait(&s, NULL, &zero), EAGAIN);
  /* Every slot came back. */
  CHECK_EQ(fill(rt + 1), QMAX);
}

TEST(delivery_by_handler_releases_slots) {
  small_pool();
  const int rt = VSIG_SIGRTMAX;
  set_action(rt, on_info, 0, EMPTY());
  block(SET(rt));
  CHECK_EQ(fill(rt), QMAX);
  unblock(SET(rt));
  CHECK_EQ(hits, QMAX);
  block(SET(rt));
  CHECK_EQ(fill(rt), QMAX);
}

TEST(standard_and_ignored_signals_need_no_slot) {
  small_pool();
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  block(SET(VSIG_SIGRTMIN, VSIG_SIGUSR1));
  CHECK_EQ(fill(VSIG_SIGRTMIN), QMAX);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGUSR1, ival(77)), 0);
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGRTMAX, VSIG_SIG_IGN), (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMAX, ival(1)), 0);
  unblock(SET(VSIG_SIGUSR1));
  CHECK_EQ(hits, 1);
  CHECK_EQ(infos[0].si_value.sival_int, 77);
}

TEST(sig_ign_releases_the_slots_of_discarded_instances) {
  small_pool();
  const int rt = VSIG_SIGRTMIN + 1;
  block(SET(rt));
  CHECK_EQ(fill(rt), QMAX);
  CHECK_EQ((uintptr_t)vsig_signal(rt, VSIG_SIG_IGN), (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ((uintptr_t)vsig_signal(rt, VSIG_SIG_DFL), (uintptr_t)VSIG_SIG_IGN);
  CHECK_EQ(fill(rt), QMAX);
}

struct ptc {
  atomic_int ready;
  int got[3];
  vsig_siginfo_t info[3];
};

static void *accept_three(void *arg) {
  struct ptc *c = arg;
  vsig_sigset_t s = SET(VSIG_SIGRTMIN);
  block(s);
  atomic_store(&c->ready, 1);
  for (int i = 0; i < 3; i++)
    c->got[i] = vsig_sigwaitinfo(&s, &c->info[i]);
  return NULL;
}

TEST(queue_to_another_process_uses_its_pool) {
  small_pool();
  block(SET(VSIG_SIGRTMIN));
  CHECK_EQ(fill(VSIG_SIGRTMIN), QMAX); /* our own pool is full ... */
  vsig_pid_t p2;
  CHECK_EQ(vsig_proc_create(NULL, &p2), 0);
  struct ptc c = {0};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, p2, 0, accept_three, &c), 0);
  await_at_least(&c.ready, 1);
  for (int i = 0; i < 3; i++) /* ... which does not limit what we send */
    CHECK_EQ(vsig_sigqueue(p2, VSIG_SIGRTMIN, ival(10 + i)), 0);
  join(h);
  for (int i = 0; i < 3; i++) {
    CHECK_EQ(c.got[i], VSIG_SIGRTMIN);
    CHECK_EQ(c.info[i].si_code, VSIG_SI_QUEUE);
    CHECK_EQ(c.info[i].si_value.sival_int, 10 + i);
    CHECK_EQ(c.info[i].si_pid, vsig_getpid());
  }
  CHECK_EQ(vsig_proc_destroy(p2), 0);
}
