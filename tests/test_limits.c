/* SPDX-License-Identifier: MIT */
/*
 * The per-process pool of queued signals: its default and configured sizes,
 * the POSIX floor, EAGAIN at the limit with nothing else changed, kill never
 * failing for lack of room, and slots coming back once used.
 */
#include "vt.h"
#include "workers.h"

#include <unistd.h>
#include <vsig.h>

#define NONE SET(0)

static const struct timespec zero = {0, 0};

static int queue(vsig_pid_t pid, int sig, int val) {
  return vsig_sigqueue(pid, sig, (vsig_sigval_t){.sival_int = val});
}

/* Take one instance of sig pending for the caller (which blocks it): its
 * si_code and value, or 0 if none. */
static int take(int sig, vsig_siginfo_t *info) {
  vsig_sigset_t s = SET(sig);
  int r = vsig_sigtimedwait(&s, info, &zero);
  if (r < 0)
    CHECK_EQ(errno, EAGAIN);
  return r < 0 ? 0 : r;
}

static void *catch_rt(void *arg) {
  (void)arg;
  for (int sig = VSIG_SIGRTMIN; sig <= VSIG_SIGRTMAX; sig++)
    install_logger(sig, 0);
  return NULL;
}

/* A process whose real-time signals are caught: with their default action a
 * process without threads would be terminated by the first one. */
static vsig_pid_t new_proc(size_t queue_max) {
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  if (queue_max)
    attr.queue_max = queue_max;
  vsig_pid_t p;
  CHECK_EQ(vsig_proc_create(&attr, &p), 0);
  run_in(p, catch_rt, NULL);
  return p;
}

static void fill(vsig_pid_t pid, int sig, int n) {
  for (int i = 0; i < n; i++)
    if (queue(pid, sig, i) != 0)
      VT_FAIL("sigqueue %d of %d: errno %d", i, n, errno);
}

/* Runs first in its own process (ctest), before anything creates the default
 * process. */
TEST(default_process_attributes_are_set_before_first_use) {
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_default_proc_attr(NULL), EINVAL);
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  attr.queue_max = VSIG_POSIX_SIGQUEUE_MAX - 1;
  CHECK_EQ(vsig_default_proc_attr(&attr), EINVAL);
  attr.queue_max = 40;
  CHECK_EQ(vsig_default_proc_attr(&attr), 0);
  attr.queue_max = 50; /* the last setting before first use counts */
  attr.uid = 4321;
  CHECK_EQ(vsig_default_proc_attr(&attr), 0);

  CHECK_EQ(vsig_getpid(), getpid()); /* first use: the default process exists */
  CHECK_EQ(vsig_default_proc_attr(&attr), EBUSY);

  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &rt, NULL), 0);
  fill(getpid(), VSIG_SIGRTMIN, 50);
  CHECK_ERRNO(queue(getpid(), VSIG_SIGRTMIN, 50), EAGAIN);
  vsig_siginfo_t info;
  CHECK_EQ(take(VSIG_SIGRTMIN, &info), VSIG_SIGRTMIN);
  CHECK_EQ(info.si_uid, 4321); /* the uid attribute is the sender's si_uid */
  CHECK_EQ(info.si_pid, getpid());
}

TEST(proc_attr_init_gives_the_documented_defaults) {
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(NULL), EINVAL);
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  CHECK_EQ(attr.queue_max, VSIG_SIGQUEUE_MAX_DEFAULT);
  CHECK_EQ(attr.uid, getuid());
  CHECK(VSIG_SIGQUEUE_MAX_DEFAULT >= VSIG_POSIX_SIGQUEUE_MAX);
}

TEST(default_limit_gives_eagain_and_changes_nothing_else) {
  enum { MAX = VSIG_SIGQUEUE_MAX_DEFAULT };
  const int a = VSIG_SIGRTMIN, b = VSIG_SIGRTMIN + 1, c = VSIG_SIGRTMIN + 2;
  vsig_sigset_t blocked = SET(a, b, c, VSIG_SIGUSR1), pend;
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &blocked, NULL), 0);
  fill(getpid(), a, MAX);

  /* Full: every queued real-time send fails, to the process or a thread. */
  CHECK_ERRNO(queue(getpid(), a, -1), EAGAIN);
  CHECK_ERRNO(queue(getpid(), b, -1), EAGAIN);
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), c, (vsig_sigval_t){.sival_int = -1}), EAGAIN);
  CHECK_EQ(vsig_sigpending(&pend), 0);
  CHECK_EQ(pend.bits, SET(a).bits);

  /* Signal 0 only checks; kill, raise and pthread_kill never need a slot;
   * a standard signal has its one pending instance without the pool. */
  CHECK_EQ(queue(getpid(), 0, 0), 0);
  for (int i = 0; i < 3; i++) {
    CHECK_EQ(vsig_kill(getpid(), b), 0);
    CHECK_EQ(vsig_raise(c), 0);
    CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), c), 0);
  }
  CHECK_EQ(queue(getpid(), VSIG_SIGUSR1, 99), 0);
  CHECK_EQ(vsig_sigpending(&pend), 0);
  CHECK_EQ(pend.bits, blocked.bits);

  /* The queued values are all there, in order, and nothing of the refused
   * sends is. */
  vsig_siginfo_t info;
  for (int i = 0; i < MAX; i++) {
    CHECK_EQ(take(a, &info), a);
    CHECK_EQ(info.si_code, VSIG_SI_QUEUE);
    if (info.si_value.sival_int != i)
      VT_FAIL("instance %d has value %d", i, info.si_value.sival_int);
  }
  CHECK_EQ(take(a, &info), 0);
  int nb = 0, nc = 0;
  while (take(b, &info)) {
    CHECK_EQ(info.si_code, VSIG_SI_USER);
    nb++;
  }
  while (take(c, &info)) {
    CHECK_EQ(info.si_code, VSIG_SI_TKILL);
    nc++;
  }
  CHECK(nb >= 1 && nb <= 3);
  CHECK(nc >= 1 && nc <= 6);
  CHECK_EQ(take(VSIG_SIGUSR1, &info), VSIG_SIGUSR1);
  CHECK_EQ(info.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(info.si_value.sival_int, 99);
  CHECK_EQ(vsig_sigpending(&pend), 0);
  CHECK_EQ(pend.bits, 0);

  /* Room again. */
  fill(getpid(), a, MAX);
  CHECK_ERRNO(queue(getpid(), a, -1), EAGAIN);
}

TEST(limits_below_the_posix_minimum_are_rejected) {
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  size_t bad[] = {0, 1, VSIG_POSIX_SIGQUEUE_MAX - 1};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    vsig_pid_t pid = -5;
    attr.queue_max = bad[i];
    CHECK_EQ(vsig_proc_create(&attr, &pid), EINVAL);
    CHECK_EQ(pid, -5);
    CHECK_EQ(vsig_default_proc_attr(&attr), EINVAL);
  }
  /* The minimum itself is fine, and holds exactly that many. */
  vsig_pid_t p = new_proc(VSIG_POSIX_SIGQUEUE_MAX);
  fill(p, VSIG_SIGRTMIN, VSIG_POSIX_SIGQUEUE_MAX);
  CHECK_ERRNO(queue(p, VSIG_SIGRTMIN, -1), EAGAIN);
}

TEST(configured_limit_of_a_created_process_and_pools_are_per_process) {
  vsig_pid_t p = new_proc(40), other = new_proc(0);
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  struct worker r = {0};
  start(&r, p, W_READY, 0, rt, NONE);

  fill(p, VSIG_SIGRTMIN, 40);
  CHECK_ERRNO(queue(p, VSIG_SIGRTMIN, -1), EAGAIN);
  CHECK_ERRNO(queue(p, VSIG_SIGRTMAX - 1, -1), EAGAIN);
  /* Other processes have their own pools. */
  fill(other, VSIG_SIGRTMIN, 100);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &rt, NULL), 0);
  fill(getpid(), VSIG_SIGRTMIN, 100);

  for (int i = 0; i < 40; i++) {
    CHECK_EQ(command(&r, C_TAKE, rt), VSIG_SIGRTMIN);
    CHECK_EQ(r.cmd_info.si_value.sival_int, i);
  }
  CHECK_EQ(command(&r, C_TAKE, rt), -1);
  CHECK_EQ(r.cmd_err, EAGAIN);
  stop_worker(&r);
}

TEST(thread_directed_and_process_directed_share_the_pool) {
  vsig_pid_t p = new_proc(VSIG_POSIX_SIGQUEUE_MAX);
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN, VSIG_SIGRTMIN + 1);
  struct worker r = {0};
  start(&r, p, W_READY, 0, rt, NONE);
  const int half = VSIG_POSIX_SIGQUEUE_MAX / 2;
  for (int i = 0; i < half; i++) {
    CHECK_EQ(queue(p, VSIG_SIGRTMIN, i), 0);
    CHECK_EQ(vsig_pthread_sigqueue(r.id, VSIG_SIGRTMIN + 1, (vsig_sigval_t){.sival_int = i}), 0);
  }
  CHECK_ERRNO(queue(p, VSIG_SIGRTMIN, -1), EAGAIN);
  CHECK_EQ(vsig_pthread_sigqueue(r.id, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = -1}), EAGAIN);
  /* The thread goes, and its own pending signals with it: their slots are
   * free again, while the process's stay taken. */
  stop_worker(&r);
  fill(p, VSIG_SIGRTMIN + 1, half);
  CHECK_ERRNO(queue(p, VSIG_SIGRTMIN, -1), EAGAIN);
  int term = -1;
  CHECK_EQ(vsig_proc_status(p, &term), 0);
  CHECK_EQ(term, 0);
}

static _Atomic int handled;
static void on_count(int sig) {
  (void)sig;
  atomic_fetch_add(&handled, 1);
}

TEST(slots_are_reused_after_delivery) {
  enum { MAX = VSIG_SIGQUEUE_MAX_DEFAULT };
  const int a = VSIG_SIGRTMIN;
  vsig_sigset_t rt = SET(a);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &rt, NULL), 0);
  fill(getpid(), a, MAX);

  /* Taken by sigtimedwait: one out, one in, many times over. */
  vsig_siginfo_t info;
  for (int i = 0; i < 3 * MAX; i++) {
    CHECK_EQ(take(a, &info), a);
    CHECK_EQ(info.si_value.sival_int, i);
    CHECK_EQ(queue(getpid(), a, MAX + i), 0);
  }
  CHECK_ERRNO(queue(getpid(), a, -1), EAGAIN);

  /* Delivered to a handler. */
  install_action(a, on_count);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_UNBLOCK, &rt, NULL), 0);
  CHECK_EQ(atomic_load(&handled), MAX);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &rt, NULL), 0);
  fill(getpid(), a, MAX);
  CHECK_ERRNO(queue(getpid(), a, -1), EAGAIN);

  /* Discarded by SIG_IGN. */
  install_action(a, VSIG_SIG_IGN);
  vsig_sigset_t pend;
  CHECK_EQ(vsig_sigpending(&pend), 0);
  CHECK_EQ(pend.bits, 0);
  install_action(a, on_count);
  fill(getpid(), a, MAX);
  CHECK_ERRNO(queue(getpid(), a, -1), EAGAIN);
  CHECK_EQ(atomic_load(&handled), MAX);
}
