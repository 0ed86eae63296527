/* SPDX-License-Identifier: MIT */
/* ctest-labels: concurrency */
/*
 * Stress: producer threads sigqueue sequence-numbered values on three
 * real-time signals to a process whose consumer threads take them with
 * sigwaitinfo, while other threads of that process flip their masks and take
 * some through handlers. Every value must arrive exactly once, and each
 * receiving thread must see, per (producer, signal), increasing sequence
 * numbers: real-time signals are FIFO.
 */
#include "vt.h"
#include "workers.h"

#include <unistd.h>
#include <vsig.h>

enum { NPROD = 4, PER = 5000, NSIGS = 3, NCONS = 2, NFLIP = 2, NRX = NCONS + NFLIP };
#define SIG0 VSIG_SIGRTMIN
#define STOP (VSIG_SIGRTMIN + 5) /* thread-directed, ends a consumer */

static int sig_of(int seq) { return SIG0 + seq % NSIGS; }
static int encode(int prod, int seq) { return prod << 16 | seq; }

static vsig_pid_t P;
static bool thread_directed; /* producers send to threads, not to P */
static vsig_thread_t rx_id[NRX];
static _Atomic unsigned char seen[NPROD][PER];
static _Atomic int received, done, started;
static _Atomic int bad; /* first failure, as a message id; details below */
static char bad_msg[256];

struct rx {
  int idx;
  int last[NPROD][NSIGS];
  int count, by_handler;
};
static struct rx rxs[NRX];
static _Thread_local struct rx *my_rx;

static void fail_once(const char *what, int thr, int prod, int seq, int other) {
  int expected = 0;
  if (atomic_compare_exchange_strong(&bad, &expected, 1))
    snprintf(bad_msg, sizeof bad_msg, "%s: receiver %d producer %d seq %d (other %d)", what, thr,
             prod, seq, other);
}

static void record(int sig, int val, int code) {
  struct rx *r = my_rx;
  int prod = val >> 16, seq = val & 0xffff;
  if (code != VSIG_SI_QUEUE || prod < 0 || prod >= NPROD || seq >= PER || sig != sig_of(seq)) {
    fail_once("bad siginfo", r->idx, prod, seq, sig);
    return;
  }
  int s = sig - SIG0;
  if (seq <= r->last[prod][s])
    fail_once("out of FIFO order", r->idx, prod, seq, r->last[prod][s]);
  r->last[prod][s] = seq;
  if (thread_directed && seq % NRX != r->idx)
    fail_once("thread-directed value taken by another thread", r->idx, prod, seq, seq % NRX);
  if (atomic_fetch_add(&seen[prod][seq], 1) != 0)
    fail_once("delivered twice", r->idx, prod, seq, 0);
  r->count++;
  atomic_fetch_add(&received, 1);
}

static void on_rt(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)ctx;
  record(sig, info->si_value.sival_int, info->si_code);
  my_rx->by_handler++;
}

static vsig_sigset_t rt_set(void) { return SET(SIG0, SIG0 + 1, SIG0 + 2); }

static void *install(void *arg) {
  (void)arg;
  vsig_sigaction_t act = {.sa_sigaction = on_rt, .sa_flags = VSIG_SA_SIGINFO};
  for (int i = 0; i < NSIGS; i++)
    CHECK_EQ(vsig_sigaction(SIG0 + i, &act, NULL), 0);
  return NULL;
}

static void begin_rx(int idx) {
  my_rx = &rxs[idx];
  my_rx->idx = idx;
  for (int p = 0; p < NPROD; p++)
    for (int s = 0; s < NSIGS; s++)
      my_rx->last[p][s] = -1;
  vsig_sigset_t all = allset();
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_SETMASK, &all, NULL), 0);
  rx_id[idx] = vsig_thread_self();
  atomic_fetch_add(&started, 1);
}

static void *consumer(void *arg) {
  begin_rx((int)(intptr_t)arg);
  vsig_sigset_t set = rt_set();
  vsig_sigaddset(&set, STOP);
  for (;;) {
    vsig_siginfo_t info;
    int sig = vsig_sigwaitinfo(&set, &info);
    if (sig == STOP)
      break;
    if (sig < 0) {
      fail_once("sigwaitinfo failed", my_rx->idx, errno, 0, 0);
      break;
    }
    record(sig, info.si_value.sival_int, info.si_code);
  }
  return NULL;
}

static void *flipper(void *arg) {
  begin_rx((int)(intptr_t)arg);
  vsig_sigset_t set = rt_set();
  unsigned n = 0;
  while (!atomic_load(&done)) {
    /* Unblocking runs the handlers of whatever is pending for us. */
    CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &set, NULL), 0);
    vsig_poll();
    if (++n % 4 == 0)
      sched_yield(); /* stay unblocked a while, so that senders pick us */
    CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &set, NULL), 0);
    sched_yield();
  }
  return NULL;
}

static void *producer(void *arg) {
  int prod = (int)(intptr_t)arg;
  while (atomic_load(&started) < NRX)
    sched_yield();
  for (int seq = 0; seq < PER; seq++) {
    vsig_sigval_t v = {.sival_int = encode(prod, seq)};
    for (;;) {
      int rc = thread_directed ? vsig_pthread_sigqueue(rx_id[seq % NRX], sig_of(seq), v)
                               : (vsig_sigqueue(P, sig_of(seq), v) == 0 ? 0 : errno);
      if (rc == 0)
        break;
      if (rc != EAGAIN) {
        fail_once("send failed", -1, prod, seq, rc);
        return NULL;
      }
      sched_yield(); /* the pool is full: let the receivers drain it */
    }
  }
  return NULL;
}

static void *check_nothing_left(void *arg) {
  (void)arg;
  vsig_sigset_t set = rt_set();
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &set, NULL), 0);
  struct timespec zero = {0, 0};
  CHECK_ERRNO(vsig_sigtimedwait(&set, NULL, &zero), EAGAIN);
  return NULL;
}

static void run(void) {
  (void)vsig_getpid();
  CHECK_EQ(vsig_proc_create(NULL, &P), 0);
  run_in(P, install, NULL);
  pthread_t rx[NRX], prod[NPROD];
  for (int i = 0; i < NRX; i++)
    CHECK_EQ(vsig_thread_create(&rx[i], NULL, P, i % 2, i < NCONS ? consumer : flipper,
                                (void *)(intptr_t)i),
             0);
  for (int i = 0; i < NPROD; i++)
    CHECK_EQ(vsig_thread_create(&prod[i], NULL, getpid(), 0, producer, (void *)(intptr_t)i), 0);
  for (int i = 0; i < NPROD; i++)
    CHECK_EQ(pthread_join(prod[i], NULL), 0);
  WAIT_UNTIL(atomic_load(&received) >= NPROD * PER || atomic_load(&bad));
  atomic_store(&done, 1);
  for (int i = 0; i < NCONS; i++)
    CHECK_EQ(vsig_pthread_kill(rx_id[i], STOP), 0);
  for (int i = 0; i < NRX; i++)
    CHECK_EQ(pthread_join(rx[i], NULL), 0);
  if (atomic_load(&bad))
    VT_FAIL("%s", bad_msg);
  CHECK_EQ(atomic_load(&received), NPROD * PER);
  for (int p = 0; p < NPROD; p++)
    for (int s = 0; s < PER; s++)
      if (atomic_load(&seen[p][s]) != 1)
        VT_FAIL("producer %d seq %d arrived %d times", p, s, atomic_load(&seen[p][s]));
  run_in(P, check_nothing_left, NULL);
  CHECK_EQ(atomic_load(&received), NPROD * PER);
  int total = 0;
  for (int i = 0; i < NRX; i++)
    total += rxs[i].count;
  CHECK_EQ(total, NPROD * PER);
}

TEST(stress_process_directed_sigqueue_sigwaitinfo_with_mask_flippers) { run(); }

TEST(stress_thread_directed_sigqueue_stays_with_each_thread_in_order) {
  thread_directed = true;
  run();
}
