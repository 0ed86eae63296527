/* SPDX-License-Identifier: MIT */
/*
 * The paths by which pending instances leave their queues and their cells
 * come back: a thread-directed timer's node deleted behind earlier instances
 * (queued or unqueued), a thread that leaves with its timer's signal pending,
 * and a fork child, which starts with every cell free. (From a review of the
 * cell rewrite; the first two failed then.)
 *
 * ctest-labels: concurrency
 * test-hooks: internal
 */
#include "procs.h"
#undef WAIT_FOR /* timer_util.h has its own */
#include "timer_util.h"

#include <string.h>
#include <unistd.h>

extern _Atomic int vsig__cells_fail;
void cells_stats(size_t *total, size_t *free_shared);

static void take_value(int sig, int v) {
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(si.si_value.sival_int, v);
}

/* A root process whose queue limit is POSIX's smallest, 32. */
static vsig_pid_t small_proc(void) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.parent = VSIG_PID_NONE;
  a.queue_max = VSIG_POSIX_SIGQUEUE_MAX;
  vsig_pid_t pid = 0;
  CHECK_EQ(vsig_proc_create(&a, &pid), 0);
  return pid;
}

/* A thread-directed timer (SIGEV_THREAD_ID) whose signal is pending on the
 * thread behind an earlier instance of the same real-time signal: deleting
 * the timer must leave the earlier instance pending. */
TEST(deleting_a_thread_timer_keeps_an_earlier_instance_on_the_thread) {
  const int sig = VSIG_SIGRTMIN;
  manual(0);
  block(sig);
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), sig, (vsig_sigval_t){.sival_int = 1}), 0);
  vsig_timer_t id = make_timer(VSIG_SIGEV_THREAD_ID, sig, 99, vsig_thread_self());
  arm(id, 10, 0);
  advance(10); /* the timer's instance is second in the thread's queue */
  vsig_sigset_t ts;
  CHECK_EQ(vsig_thread_sigpending(vsig_thread_self(), &ts), 0);
  CHECK(vsig_sigismember(&ts, sig) == 1);
  CHECK_EQ(vsig_timer_delete(id), 0);
  CHECK(is_pending(sig)); /* the sigqueue'd instance is still there */
  take_value(sig, 1);
  check_none_pending();
}

/* The same with the earlier instance unqueued: a pthread_kill at the
 * process's queue limit keeps its siginfo in a cell of kind QN_UNQ. */
static void *unq_then_timer(void *arg) {
  (void)arg;
  const int fill = VSIG_SIGRTMIN + 5, sig = VSIG_SIGRTMIN + 1;
  block(fill);
  block(sig);
  for (int i = 0; i < VSIG_POSIX_SIGQUEUE_MAX; i++)
    CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), fill, (vsig_sigval_t){.sival_int = i}), 0);
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), fill, (vsig_sigval_t){.sival_int = 0}),
           EAGAIN); /* at the limit: what comes now is unqueued */
  CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), sig), 0);
  vsig_timer_t id = make_timer(VSIG_SIGEV_THREAD_ID, sig, 99, vsig_thread_self());
  arm(id, 10, 0);
  advance(10);
  CHECK_EQ(vsig_timer_delete(id), 0);
  CHECK(is_pending(sig));
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_code, VSIG_SI_TKILL);
  for (int i = 0; i < VSIG_POSIX_SIGQUEUE_MAX; i++)
    take_value(fill, i);
  check_none_pending();
  return NULL;
}

TEST(deleting_a_thread_timer_keeps_an_earlier_unqueued_instance) {
  manual(0);
  vsig_pid_t pid = small_proc();
  in_proc(pid, unq_then_timer, NULL);
}

/* The same unlink runs when a thread leaves with its timer's signal pending
 * (timers_thread_gone, before its queue is dropped): the earlier instance
 * must be dropped too, its cell come back and its process's count go down. */
static void *leave_with_timer_signal_pending(void *arg) {
  (void)arg;
  const int sig = VSIG_SIGRTMIN + 3;
  block(sig);
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), sig, (vsig_sigval_t){.sival_int = 1}), 0);
  vsig_timer_t id = make_timer(VSIG_SIGEV_THREAD_ID, sig, 99, vsig_thread_self());
  arm(id, 10, 0);
  advance(10);
  return NULL; /* leaves: both instances are dropped */
}

static void *fill_queue(void *arg) {
  (void)arg;
  const int sig = VSIG_SIGRTMIN + 4;
  block(sig);
  for (int i = 0; i < VSIG_POSIX_SIGQUEUE_MAX; i++)
    CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), sig, (vsig_sigval_t){.sival_int = i}), 0);
  return NULL;
}

TEST(a_thread_leaving_with_its_timer_signal_pending_gives_every_cell_back) {
  manual(0);
  vsig_pid_t pid = small_proc();
  in_proc(pid, leave_with_timer_signal_pending, NULL);
  in_proc(pid, fill_queue, NULL); /* the whole queue_max is free again */
  CHECK_EQ(vsig_proc_destroy(pid), 0);
  size_t total, free_shared;
  cells_stats(&total, &free_shared);
  CHECK_EQ(free_shared, total); /* this thread never held a cell */
}

/* ---- fork: the child's cells ---------------------------------------------------------- */

#include <sys/wait.h>

/* The parent has instances pending everywhere (its process and thread
 * queues, a thread-directed timer's node, unqueued and queued cells, the
 * thread's own cache full); in the child every cell is free, and every cell
 * it uses comes back. */
TEST(a_fork_child_starts_with_every_cell_free_and_gets_them_back) {
  manual(0);
  const int sig = VSIG_SIGRTMIN + 6;
  block(sig);
  block(VSIG_SIGUSR2);
  for (int i = 0; i < 100; i++)
    CHECK_EQ(vsig_sigqueue(vsig_getpid(), sig, (vsig_sigval_t){.sival_int = i}), 0);
  for (int i = 0; i < 20; i++)
    CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), sig, (vsig_sigval_t){.sival_int = i}), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR2), 0);
  vsig_timer_t id = make_timer(VSIG_SIGEV_THREAD_ID, sig, 5, vsig_thread_self());
  arm(id, 10, 0);
  advance(10);
  fflush(NULL);
  pid_t c = fork();
  CHECK(c >= 0);
  if (c == 0) {
    size_t total, free_shared;
    cells_stats(&total, &free_shared);
    if (free_shared != total)
      _exit(2);
    vsig_sigset_t pend;
    if (vsig_sigpending(&pend) != 0 || pend.bits != 0)
      _exit(3);
    for (int i = 0; i < 200; i++)
      if (vsig_sigqueue(getpid(), sig, (vsig_sigval_t){.sival_int = i}) != 0)
        _exit(4);
    for (int i = 0; i < 200; i++) {
      vsig_siginfo_t si;
      vsig_sigset_t s = set1(sig);
      if (vsig_sigwaitinfo(&s, &si) != sig || si.si_value.sival_int != i)
        _exit(5);
    }
    if (vsig_thread_detach() != 0)
      _exit(6);
    cells_stats(&total, &free_shared);
    _exit(free_shared == total ? 0 : 7);
  }
  int st = 0;
  CHECK_EQ(waitpid(c, &st, 0), c);
  CHECK(WIFEXITED(st));
  CHECK_EQ(WEXITSTATUS(st), 0);
}
