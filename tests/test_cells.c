/* SPDX-License-Identifier: MIT */
/*
 * The memory of pending signals (cells, shared by every process): each
 * signal's FIFO when the instances of several signals interleave in one
 * queue, a timer's node leaving the middle of a queue, what happens when no
 * memory can be had (a standard signal stays pending without its siginfo, a
 * queued one fails with EAGAIN and changes nothing), and every cell coming
 * back once its signal is taken, whichever threads sent and took it.
 *
 * ctest-labels: concurrency
 * test-hooks: internal
 */
#include "procs.h"
#undef WAIT_FOR /* timer_util.h has its own */
#include "timer_util.h"

#include <string.h>
#include <unistd.h>

/* Internal (cell.c): a switch that makes every cell allocation fail, and
 * the count of cells made and of those free in the shared list. */
extern _Atomic int vsig__cells_fail;
void cells_stats(size_t *total, size_t *free_shared);

static int queue_self(int sig, int v) {
  return vsig_sigqueue(vsig_getpid(), sig, (vsig_sigval_t){.sival_int = v});
}

static int queue_thread(int sig, int v) {
  return vsig_pthread_sigqueue(vsig_thread_self(), sig, (vsig_sigval_t){.sival_int = v});
}

/* Take sig now and check it carries value v from sigqueue. */
static void take_value(int sig, int v) {
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(si.si_value.sival_int, v);
}

static void fifo_interleaved(int (*send)(int, int)) {
  const int a = VSIG_SIGRTMIN, b = VSIG_SIGRTMIN + 1;
  block(a);
  block(b);
  CHECK_EQ(send(b, 1), 0);
  CHECK_EQ(send(a, 2), 0);
  CHECK_EQ(send(b, 3), 0);
  CHECK_EQ(send(a, 4), 0);
  CHECK_EQ(send(b, 5), 0);
  take_value(a, 2);
  CHECK(is_pending(a));
  take_value(a, 4);
  CHECK(!is_pending(a)); /* the last of a, with b's still around it */
  CHECK(is_pending(b));
  take_value(b, 1);
  take_value(b, 3);
  CHECK(is_pending(b));
  take_value(b, 5);
  check_none_pending();
}

TEST(each_signal_keeps_its_order_in_a_shared_process_queue) { fifo_interleaved(queue_self); }

TEST(each_signal_keeps_its_order_in_a_shared_thread_queue) { fifo_interleaved(queue_thread); }

static void timer_in_the_middle(int notify, int (*send)(int, int)) {
  const int sig = VSIG_SIGRTMIN;
  manual(0);
  block(sig);
  CHECK_EQ(send(sig, 1), 0);
  vsig_timer_t a = make_timer(notify, sig, 98, vsig_thread_self());
  vsig_timer_t b = make_timer(notify, sig, 99, vsig_thread_self());
  arm(a, 10, 0);
  arm(b, 20, 0);
  advance(20); /* the timers' instances are second and last */
  CHECK_EQ(vsig_timer_delete(b), 0);
  CHECK(is_pending(sig)); /* the instances before the last one are left */
  CHECK_EQ(send(sig, 3), 0);
  CHECK_EQ(vsig_timer_delete(a), 0); /* from the middle */
  CHECK(is_pending(sig));
  take_value(sig, 1);
  CHECK(is_pending(sig));
  take_value(sig, 3);
  check_none_pending();
}

/* Discarding one signal (SIG_IGN) takes its instances from among another's
 * and leaves that one's order and values. */
static void discard_interleaved(int (*send)(int, int)) {
  const int a = VSIG_SIGRTMIN, b = VSIG_SIGRTMIN + 1;
  block(a);
  block(b);
  for (int i = 0; i < 10; i++)
    CHECK_EQ(send(i % 2 ? a : b, i), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), a), 0); /* an unqueued one among them */
  vsig_sigaction_t ign = {.sa_handler = VSIG_SIG_IGN};
  CHECK_EQ(vsig_sigaction(a, &ign, NULL), 0);
  CHECK(!is_pending(a));
  for (int i = 0; i < 10; i += 2)
    take_value(b, i);
  check_none_pending();
  vsig_sigaction_t dfl = {.sa_handler = VSIG_SIG_DFL};
  CHECK_EQ(vsig_sigaction(a, &dfl, NULL), 0);
  CHECK_EQ(send(a, 42), 0); /* the queue is sound afterwards */
  take_value(a, 42);
}

TEST(discarding_a_signal_leaves_the_others_in_a_process_queue) { discard_interleaved(queue_self); }

TEST(discarding_a_signal_leaves_the_others_in_a_thread_queue) { discard_interleaved(queue_thread); }

TEST(a_deleted_timer_leaves_the_middle_of_a_process_queue) {
  timer_in_the_middle(VSIG_SIGEV_SIGNAL, queue_self);
}

TEST(a_deleted_timer_leaves_the_middle_of_a_thread_queue) {
  timer_in_the_middle(VSIG_SIGEV_THREAD_ID, queue_thread);
}

TEST(a_standard_signal_without_memory_stays_pending_without_its_siginfo) {
  block(VSIG_SIGUSR1);
  block(VSIG_SIGUSR2);
  atomic_store(&vsig__cells_fail, 1);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR2), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0); /* merges, as always */
  atomic_store(&vsig__cells_fail, 0);
  CHECK(is_pending(VSIG_SIGUSR1));
  CHECK(is_pending(VSIG_SIGUSR2));
  vsig_siginfo_t si;
  memset(&si, 0x5a, sizeof si);
  CHECK_EQ(take(VSIG_SIGUSR1, &si), VSIG_SIGUSR1);
  CHECK_EQ(si.si_signo, VSIG_SIGUSR1);
  CHECK_EQ(si.si_code, VSIG_SI_USER); /* a kill from pid 0, as Linux makes it */
  CHECK_EQ(si.si_pid, 0);
  CHECK_EQ(si.si_uid, 0);
  CHECK_EQ(take(VSIG_SIGUSR1, NULL), 0); /* exactly once */
  CHECK_EQ(take(VSIG_SIGUSR2, &si), VSIG_SIGUSR2);
  CHECK_EQ(si.si_pid, 0);
  check_none_pending();
  /* With memory again, the siginfo is kept. */
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(take(VSIG_SIGUSR1, &si), VSIG_SIGUSR1);
  CHECK_EQ(si.si_pid, vsig_getpid());
}

TEST(a_queued_signal_without_memory_fails_with_eagain_and_changes_nothing) {
  const int sig = VSIG_SIGRTMIN;
  block(sig);
  size_t before = 0, after = 0;
  CHECK_EQ(vsig_get_uid_sigqueue(getuid(), &before, NULL), 0);
  atomic_store(&vsig__cells_fail, 1);
  CHECK_ERRNO(queue_self(sig, 1), EAGAIN);
  CHECK_EQ(queue_thread(sig, 1), EAGAIN); /* pthread style: the error number */
  atomic_store(&vsig__cells_fail, 0);
  check_none_pending();
  CHECK_EQ(vsig_get_uid_sigqueue(getuid(), &after, NULL), 0);
  CHECK_EQ(after, before);
  CHECK_EQ(queue_self(sig, 2), 0);
  take_value(sig, 2);
}

TEST(a_real_time_kill_without_memory_is_taken_once_after_the_queued_ones) {
  const int sig = VSIG_SIGRTMIN + 2;
  block(sig);
  CHECK_EQ(queue_self(sig, 1), 0);
  atomic_store(&vsig__cells_fail, 1);
  CHECK_EQ(vsig_kill(vsig_getpid(), sig), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), sig), 0); /* one unqueued instance: merged */
  atomic_store(&vsig__cells_fail, 0);
  CHECK_EQ(queue_self(sig, 3), 0);
  take_value(sig, 1);
  take_value(sig, 3);
  vsig_siginfo_t si;
  CHECK_EQ(take(sig, &si), sig);
  CHECK_EQ(si.si_code, VSIG_SI_USER);
  CHECK_EQ(take(sig, NULL), 0);
}

TEST(an_idle_process_holds_no_cell) {
  size_t total0, free0, total1, free1;
  cells_stats(&total0, &free0);
  vsig_pid_t pids[64];
  for (int i = 0; i < 64; i++)
    pids[i] = mkproc(VSIG_PID_NONE);
  cells_stats(&total1, &free1);
  CHECK_EQ(total1, total0);
  CHECK_EQ(free1, free0);
  for (int i = 0; i < 64; i++)
    CHECK_EQ(vsig_proc_destroy(pids[i]), 0);
}

/* ---- every cell comes back ---------------------------------------------------------------- */

#define SENDERS 2
#define PER_SENDER 20000

static _Atomic int taken;
static _Atomic vsig_pid_t target;

static void *taker(void *arg) {
  (void)arg;
  vsig_sigset_t s;
  vsig_sigemptyset(&s);
  for (int sig = VSIG_SIGRTMIN; sig < VSIG_SIGRTMIN + 3; sig++)
    vsig_sigaddset(&s, sig);
  vsig_sigaddset(&s, VSIG_SIGUSR1);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
  atomic_store(&target, vsig_getpid());
  vsig_siginfo_t si;
  while (atomic_load(&taken) < SENDERS * PER_SENDER) {
    int sig = vsig_sigwaitinfo(&s, &si);
    CHECK(sig > 0);
    if (sig != VSIG_SIGUSR1)
      atomic_fetch_add(&taken, 1);
  }
  return NULL;
}

static void *sender(void *arg) {
  int seed = (int)(intptr_t)arg;
  vsig_pid_t to = atomic_load(&target);
  for (int i = 0; i < PER_SENDER; i++) {
    int sig = VSIG_SIGRTMIN + (i + seed) % 3;
    while (vsig_sigqueue(to, sig, (vsig_sigval_t){.sival_int = i}) != 0)
      CHECK_EQ(errno, EAGAIN); /* the queue is full for a moment */
    if (i % 64 == 0)
      CHECK_EQ(vsig_kill(to, VSIG_SIGUSR1), 0); /* unqueued ones in between */
  }
  return NULL;
}

static void *end_target(void *arg) {
  (void)arg;
  CHECK_EQ(vsig_kill(atomic_load(&target), VSIG_SIGKILL), 0);
  return NULL;
}

TEST(every_cell_comes_back_whichever_threads_sent_and_took_it) {
  vsig_pid_t p = mkproc(VSIG_PID_NONE);
  vsig_pid_t q = mkproc(VSIG_PID_NONE);
  pthread_t t = in_proc_async(p, taker, NULL, NULL);
  WAIT_FOR(atomic_load(&target) == p);
  pthread_t s[SENDERS];
  for (int i = 0; i < SENDERS; i++)
    s[i] = in_proc_async(q, sender, (void *)(intptr_t)i, NULL);
  for (int i = 0; i < SENDERS; i++)
    CHECK_EQ(pthread_join(s[i], NULL), 0);
  CHECK_EQ(pthread_join(t, NULL), 0);
  CHECK_EQ(atomic_load(&taken), SENDERS * PER_SENDER);
  /* Ending p drops a last SIGUSR1, if any; a thread that leaves does it, so
   * that the cells it frees go back with its own. */
  in_proc(q, end_target, NULL);
  /* The threads are gone: their free cells are back in the shared list, and
   * no other thread of this test holds one. */
  size_t total, free_shared;
  cells_stats(&total, &free_shared);
  CHECK(total > 0);
  CHECK_EQ(free_shared, total);
}
