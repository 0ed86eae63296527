/* SPDX-License-Identifier: MIT */
/* ctest-labels: concurrency */
/*
 * Waits racing with senders. Checking for a signal and going to sleep must be
 * one step, so a signal sent at any moment around a wait is either returned by
 * it, or still pending afterwards: never lost, never taken twice. Each test
 * runs many rounds in which the sender does not wait for the receiver to be
 * asleep, so the signal lands before, during and after the receiver's check.
 * A lost wake-up shows as a round that never completes (the guard fails it).
 */
#include "vt.h"
#include "workers.h"

#include <unistd.h>
#include <vsig.h>

enum { ROUNDS = 2000 };

#define SPIN_UNTIL(cond, ...)                                                                      \
  do {                                                                                             \
    int64_t su_deadline = now_ns() + GUARD_NS;                                                     \
    while (!(cond)) {                                                                              \
      if (now_ns() > su_deadline)                                                                  \
        VT_FAIL(__VA_ARGS__);                                                                      \
      sched_yield();                                                                               \
    }                                                                                              \
  } while (0)

static vsig_pid_t P;
static _Atomic int ack, handled, stop;
static _Atomic vsig_thread_t receiver;

static void on_count(int sig) {
  (void)sig;
  atomic_fetch_add(&handled, 1);
}

static void *install(void *arg) {
  (void)arg;
  install_action(VSIG_SIGUSR1, on_count);
  install_action(VSIG_SIGUSR2, on_count);
  install_kick();
  return NULL;
}

static void setup(void) {
  (void)vsig_getpid();
  CHECK_EQ(vsig_proc_create(NULL, &P), 0);
  run_in(P, install, NULL);
}

/* Vary how long the sender waits after the receiver's ack, so that the next
 * signal lands at different points of the receiver's way back into its wait. */
static void jitter(int r) {
  for (int k = 0; k < r % 5; k++)
    sched_yield();
}

static void set_mask(vsig_sigset_t m) {
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_SETMASK, &m, NULL), 0);
}

static pthread_t spawn(void *(*fn)(void *), void *arg) {
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, P, 0, fn, arg), 0);
  return h;
}

/* ---- sigwaitinfo ---------------------------------------------------------------- */

static void *sigwaitinfo_rounds(void *arg) {
  (void)arg;
  set_mask(allset());
  atomic_store(&receiver, vsig_thread_self());
  vsig_sigset_t set = SET(VSIG_SIGRTMIN);
  for (int r = 0; r < ROUNDS; r++) {
    vsig_siginfo_t info;
    CHECK_EQ(vsig_sigwaitinfo(&set, &info), VSIG_SIGRTMIN);
    CHECK_EQ(info.si_value.sival_int, r);
    atomic_store(&ack, r + 1);
  }
  return NULL;
}

TEST(sigwaitinfo_races_with_sigqueue_and_pthread_sigqueue) {
  setup();
  pthread_t h = spawn(sigwaitinfo_rounds, NULL);
  SPIN_UNTIL(atomic_load(&receiver) != 0, "receiver did not start");
  vsig_thread_t w = atomic_load(&receiver);
  for (int r = 0; r < ROUNDS; r++) {
    vsig_sigval_t v = {.sival_int = r};
    if (r % 2)
      CHECK_EQ(vsig_sigqueue(P, VSIG_SIGRTMIN, v), 0);
    else
      CHECK_EQ(vsig_pthread_sigqueue(w, VSIG_SIGRTMIN, v), 0);
    SPIN_UNTIL(atomic_load(&ack) == r + 1, "round %d: the signal was lost", r);
    jitter(r);
  }
  CHECK_EQ(pthread_join(h, NULL), 0);
}

/* ---- sigsuspend, pause, nanosleep ---------------------------------------------- */

enum interrupted { BY_SIGSUSPEND, BY_PAUSE, BY_NANOSLEEP };

static void *interrupted_rounds(void *arg) {
  enum interrupted how = (enum interrupted)(intptr_t)arg;
  /* sigsuspend's signal is blocked outside the call, so its handler can only
   * run inside; pause and nanosleep have theirs unblocked throughout. */
  set_mask(how == BY_SIGSUSPEND ? SET(VSIG_SIGUSR1) : SET(0));
  atomic_store(&receiver, vsig_thread_self());
  vsig_sigset_t none = SET(0);
  struct timespec minute = {60, 0};
  for (int r = 0; r < ROUNDS; r++) {
    errno = 0;
    int rc = how == BY_SIGSUSPEND ? vsig_sigsuspend(&none)
             : how == BY_PAUSE    ? vsig_pause()
                                  : vsig_nanosleep(&minute, NULL);
    CHECK_EQ(rc, -1);
    CHECK_EQ(errno, EINTR);
    /* Returned after exactly this round's handler. */
    CHECK_EQ(atomic_load(&handled), r + 1);
    atomic_store(&ack, r + 1);
  }
  return NULL;
}

static void interrupted_race(enum interrupted how, bool thread_directed) {
  setup();
  pthread_t h = spawn(interrupted_rounds, (void *)(intptr_t)how);
  SPIN_UNTIL(atomic_load(&receiver) != 0, "receiver did not start");
  vsig_thread_t w = atomic_load(&receiver);
  for (int r = 0; r < ROUNDS; r++) {
    if (thread_directed)
      CHECK_EQ(vsig_pthread_kill(w, VSIG_SIGUSR1), 0);
    else
      CHECK_EQ(vsig_kill(P, VSIG_SIGUSR1), 0);
    SPIN_UNTIL(atomic_load(&ack) == r + 1, "round %d: the signal was lost", r);
    jitter(r);
  }
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(atomic_load(&handled), ROUNDS);
}

TEST(sigsuspend_races_with_kill) { interrupted_race(BY_SIGSUSPEND, false); }
TEST(pause_races_with_pthread_kill) { interrupted_race(BY_PAUSE, true); }
TEST(pause_races_with_kill) { interrupted_race(BY_PAUSE, false); }
TEST(nanosleep_races_with_pthread_kill) { interrupted_race(BY_NANOSLEEP, true); }

/* ---- the embedder's interruptible blocking call ------------------------------------ */

static void set_flag(void *arg) { atomic_store((_Atomic int *)arg, 1); }

static void *block_rounds(void *arg) {
  (void)arg;
  set_mask(SET(0));
  atomic_store(&receiver, vsig_thread_self());
  _Atomic int woken;
  for (int r = 0; r < ROUNDS; r++) {
    atomic_store(&woken, 0);
    int rc = vsig_block_begin(1, set_flag, &woken);
    CHECK(rc == 0 || rc == EINTR);
    if (rc == 0) /* the embedder's own wait: only wake() ends it */
      SPIN_UNTIL(atomic_load(&woken), "round %d: wake was never called", r);
    CHECK_EQ(vsig_block_end(), EINTR);
    CHECK_EQ(atomic_load(&handled), r + 1);
    atomic_store(&ack, r + 1);
  }
  return NULL;
}

TEST(block_begin_races_with_kill) {
  setup();
  pthread_t h = spawn(block_rounds, NULL);
  SPIN_UNTIL(atomic_load(&receiver) != 0, "receiver did not start");
  for (int r = 0; r < ROUNDS; r++) {
    CHECK_EQ(vsig_kill(P, VSIG_SIGUSR1), 0);
    SPIN_UNTIL(atomic_load(&ack) == r + 1, "round %d: the signal was lost", r);
    jitter(r);
  }
  CHECK_EQ(pthread_join(h, NULL), 0);
}

/* ---- sigtimedwait with short timeouts ------------------------------------------------ */

enum { NVALUES = 10000, NWAITERS = 2 };
static _Atomic unsigned char seen[NVALUES];

static void take_value(int val, int *last) {
  CHECK(val >= 0 && val < NVALUES);
  /* One producer: each receiver sees its values in sending order. */
  if (val <= *last)
    VT_FAIL("value %d after %d: not FIFO", val, *last);
  *last = val;
  if (atomic_fetch_add(&seen[val], 1) != 0)
    VT_FAIL("value %d taken twice", val);
}

static _Atomic int left_loop;

static void *short_timeouts(void *arg) {
  int idx = (int)(intptr_t)arg;
  set_mask(allset());
  atomic_fetch_add(&ack, 1);
  vsig_sigset_t set = SET(VSIG_SIGRTMIN);
  int last = -1;
  for (unsigned i = 0; !atomic_load(&stop); i++) {
    struct timespec t = {0, (long)(i % 5) * 20000};
    vsig_siginfo_t info;
    errno = 0;
    int sig = vsig_sigtimedwait(&set, &info, &t);
    if (sig == VSIG_SIGRTMIN) {
      take_value(info.si_value.sival_int, &last);
    } else {
      CHECK_EQ(sig, -1);
      CHECK_EQ(errno, EAGAIN);
    }
  }
  /* What no waiter returned is still pending: the first waiter drains it once
   * both have stopped. (A new thread could not: it would start with the
   * signal unblocked and take it by its default action.) */
  atomic_fetch_add(&left_loop, 1);
  if (idx == 0) {
    SPIN_UNTIL(atomic_load(&left_loop) == NWAITERS, "the other waiter did not stop");
    struct timespec zero = {0, 0};
    vsig_siginfo_t info;
    while (vsig_sigtimedwait(&set, &info, &zero) == VSIG_SIGRTMIN)
      take_value(info.si_value.sival_int, &last);
    CHECK_EQ(errno, EAGAIN);
  }
  return NULL;
}

TEST(sigtimedwait_with_short_timeouts_never_loses_a_signal) {
  setup();
  pthread_t h[NWAITERS];
  for (int i = 0; i < NWAITERS; i++)
    h[i] = spawn(short_timeouts, (void *)(intptr_t)i);
  SPIN_UNTIL(atomic_load(&ack) == NWAITERS, "waiters did not start");
  for (int v = 0; v < NVALUES; v++) {
    while (vsig_sigqueue(P, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = v}) != 0) {
      CHECK_EQ(errno, EAGAIN);
      sched_yield();
    }
    if (v % 64 == 0)
      jitter(v / 64);
  }
  atomic_store(&stop, 1);
  for (int i = 0; i < NWAITERS; i++)
    CHECK_EQ(pthread_join(h[i], NULL), 0);
  for (int v = 0; v < NVALUES; v++)
    if (atomic_load(&seen[v]) != 1)
      VT_FAIL("value %d arrived %d times", v, atomic_load(&seen[v]));
}

/* ---- exactly once, with receivers in every state -------------------------------------- */

enum { NSEND = 2, PER_SENDER = 2000, NTOTAL = NSEND * PER_SENDER };
static _Atomic unsigned char got[NTOTAL];
static _Atomic int got_count;

static void got_value(int v) {
  if (v < 0 || v >= NTOTAL)
    VT_FAIL("bad value %d", v);
  if (atomic_fetch_add(&got[v], 1) != 0)
    VT_FAIL("value %d delivered twice", v);
  atomic_fetch_add(&got_count, 1);
}

static void on_value(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  got_value(info->si_value.sival_int);
}

static void *install_values(void *arg) {
  (void)arg;
  vsig_sigaction_t act = {.sa_sigaction = on_value, .sa_flags = VSIG_SA_SIGINFO};
  CHECK_EQ(vsig_sigaction(VSIG_SIGRTMIN, &act, NULL), 0);
  CHECK_EQ(vsig_sigaction(VSIG_SIGRTMIN + 1, &act, NULL), 0);
  return NULL;
}

static vsig_sigset_t values_set(void) { return SET(VSIG_SIGRTMIN, VSIG_SIGRTMIN + 1); }

enum role { R_WAITER, R_PAUSER, R_SUSPENDER, R_FLIPPER };
static vsig_thread_t role_id[8];

static void *receiver_role(void *arg) {
  int idx = (int)(intptr_t)arg;
  enum role role = (enum role)(idx % 4);
  vsig_sigset_t vals = values_set(), all = allset(), open = allset();
  vsig_sigdelset(&all, KICK);
  vsig_sigdelset(&open, VSIG_SIGRTMIN);
  vsig_sigdelset(&open, VSIG_SIGRTMIN + 1);
  vsig_sigdelset(&open, KICK);
  set_mask(role == R_PAUSER ? open : all);
  role_id[idx] = vsig_thread_self();
  atomic_fetch_add(&ack, 1);
  vsig_sigset_t waitset = vals;
  vsig_sigaddset(&waitset, KICK);
  while (!atomic_load(&stop)) {
    switch (role) {
    case R_WAITER: {
      vsig_siginfo_t info;
      int sig = vsig_sigwaitinfo(&waitset, &info);
      if (sig == VSIG_SIGRTMIN || sig == VSIG_SIGRTMIN + 1)
        got_value(info.si_value.sival_int);
      else
        CHECK_EQ(sig, KICK);
      break;
    }
    case R_PAUSER:
      CHECK_EQ(vsig_pause(), -1);
      break;
    case R_SUSPENDER:
      CHECK_EQ(vsig_sigsuspend(&open), -1);
      break;
    case R_FLIPPER:
      CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &vals, NULL), 0);
      vsig_poll();
      sched_yield();
      CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &vals, NULL), 0);
      break;
    }
  }
  return NULL;
}

static void *value_sender(void *arg) {
  int s = (int)(intptr_t)arg;
  for (int i = 0; i < PER_SENDER; i++) {
    int v = s * PER_SENDER + i;
    while (vsig_sigqueue(P, VSIG_SIGRTMIN + (v % 2), (vsig_sigval_t){.sival_int = v}) != 0) {
      CHECK_EQ(errno, EAGAIN);
      sched_yield();
    }
  }
  return NULL;
}

TEST(process_directed_signals_are_delivered_exactly_once_to_racing_receivers) {
  setup();
  run_in(P, install_values, NULL);
  enum { NRECV = 8 };
  pthread_t rh[NRECV], sh[NSEND];
  for (int i = 0; i < NRECV; i++)
    CHECK_EQ(vsig_thread_create(&rh[i], NULL, P, i % 3, receiver_role, (void *)(intptr_t)i), 0);
  SPIN_UNTIL(atomic_load(&ack) == NRECV, "receivers did not start");
  for (int s = 0; s < NSEND; s++)
    CHECK_EQ(vsig_thread_create(&sh[s], NULL, getpid(), 0, value_sender, (void *)(intptr_t)s), 0);
  for (int s = 0; s < NSEND; s++)
    CHECK_EQ(pthread_join(sh[s], NULL), 0);
  SPIN_UNTIL(atomic_load(&got_count) >= NTOTAL, "only %d of %d values arrived",
             atomic_load(&got_count), NTOTAL);
  atomic_store(&stop, 1);
  for (int i = 0; i < NRECV; i++)
    if ((enum role)(i % 4) != R_FLIPPER) {
      int rc = vsig_pthread_kill(role_id[i], KICK);
      CHECK(rc == 0 || rc == ESRCH); /* ESRCH: it saw stop and ended already */
    }
  for (int i = 0; i < NRECV; i++)
    CHECK_EQ(pthread_join(rh[i], NULL), 0);
  CHECK_EQ(atomic_load(&got_count), NTOTAL);
  for (int v = 0; v < NTOTAL; v++)
    CHECK_EQ(atomic_load(&got[v]), 1);
}
