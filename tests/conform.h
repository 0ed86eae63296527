/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the per-directive conformance tests (test_sig*.c, test_kill.c,
 * test_raise.c, test_pthread_kill.c, test_sleep.c, test_semantics.c).
 *
 * Threads that must be blocked before a test sends are waited for by polling
 * vsig_thread_getstate: a test never sleeps and hopes, and never asserts a
 * duration, so it passes the same on a loaded machine and under sanitizers.
 */
#ifndef CONFORM_H
#define CONFORM_H

#include "vt.h"
#include <vsig.h>

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Signal numbers that no entry point accepts (0 is tested where it is an
 * error, since kill, sigqueue, raise and pthread_kill accept it). */
#define NBAD_SIGS 4
static inline int bad_sig(int i) {
  switch (i) {
  case 0:
    return -1;
  case 1:
    return VSIG_NSIG; /* one past SIGRTMAX: the table's real size */
  case 2:
    return INT_MAX;
  default:
    return INT_MIN;
  }
}

/* As CHECK_ERRNO / CHECK_EQ, naming the signal number a loop was on. */
#define CHECK_ERRNO_SIG(s, call, err)                                                              \
  do {                                                                                             \
    errno = 0;                                                                                     \
    long long cf_r = (long long)(call);                                                            \
    int cf_e = errno;                                                                              \
    if (cf_r != -1 || cf_e != (err))                                                               \
      VT_FAIL("sig %d: %s: returned %lld errno %d (%s), wanted -1 errno %d (%s)", (int)(s), #call, \
              cf_r, cf_e, strerror(cf_e), (err), strerror(err));                                   \
  } while (0)

#define CHECK_EQ_SIG(s, a, b)                                                                      \
  do {                                                                                             \
    long long cf_a = (long long)(a), cf_b = (long long)(b);                                        \
    if (cf_a != cf_b)                                                                              \
      VT_FAIL("sig %d: CHECK_EQ(%s, %s): %lld != %lld", (int)(s), #a, #b, cf_a, cf_b);             \
  } while (0)

/* A set of the listed signals, built with the public API: SET(VSIG_SIGUSR1, ...).
 * EMPTY() is the empty set. */
#define SET(...) set_of_((const int[]){__VA_ARGS__, 0})
#define EMPTY() set_of_((const int[]){0})
static inline vsig_sigset_t set_of_(const int *sigs) {
  vsig_sigset_t s;
  CHECK_EQ(vsig_sigemptyset(&s), 0);
  for (; *sigs; sigs++)
    CHECK_EQ(vsig_sigaddset(&s, *sigs), 0);
  return s;
}

static inline vsig_sigset_t full_set(void) {
  vsig_sigset_t s;
  CHECK_EQ(vsig_sigfillset(&s), 0);
  return s;
}

static inline bool set_eq(const vsig_sigset_t *a, const vsig_sigset_t *b) {
  for (int s = 1; s < VSIG_NSIG; s++)
    if (vsig_sigismember(a, s) != vsig_sigismember(b, s))
      return false;
  return true;
}

static inline bool set_empty(const vsig_sigset_t *a) {
  vsig_sigset_t e = EMPTY();
  return set_eq(a, &e);
}

/* The calling thread's mask and its blocked pending signals. */
static inline vsig_sigset_t cur_mask(void) {
  vsig_sigset_t s;
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, NULL, &s), 0);
  return s;
}

static inline vsig_sigset_t cur_pending(void) {
  vsig_sigset_t s;
  CHECK_EQ(vsig_sigpending(&s), 0);
  return s;
}

static inline void block(vsig_sigset_t s) {
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
}

static inline void unblock(vsig_sigset_t s) {
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &s, NULL), 0);
}

static inline void set_handler(int sig, vsig_handler_t h, int flags, vsig_sigset_t mask) {
  vsig_sigaction_t act = {.sa_handler = h, .sa_mask = mask, .sa_flags = flags};
  CHECK_EQ(vsig_sigaction(sig, &act, NULL), 0);
}

static inline void set_action(int sig, vsig_sigaction_fn fn, int flags, vsig_sigset_t mask) {
  vsig_sigaction_t act = {.sa_sigaction = fn, .sa_mask = mask, .sa_flags = flags | VSIG_SA_SIGINFO};
  CHECK_EQ(vsig_sigaction(sig, &act, NULL), 0);
}

/* ---- threads --------------------------------------------------------------- */

/* A vsig thread of the caller's process (it inherits the caller's mask). */
static inline vsig_thread_t spawn(pthread_t *host, void *(*fn)(void *), void *arg) {
  vsig_thread_t id = 0;
  CHECK_EQ(vsig_thread_create(host, &id, vsig_getpid(), 0, fn, arg), 0);
  CHECK(id != 0);
  return id;
}

static inline void join(pthread_t host) { CHECK_EQ(pthread_join(host, NULL), 0); }

/* Spin until thread t reports state want. If done is given and becomes
 * nonzero first (the thread left its call, so it will never report want),
 * return false instead; the test then fails on what the thread recorded. */
static inline bool await_state_or(vsig_thread_t t, int want, atomic_int *done) {
  for (;;) {
    int st = -1;
    if (done && atomic_load(done))
      return false;
    CHECK_EQ(vsig_thread_getstate(t, &st), 0);
    if (st == want)
      return true;
    sched_yield();
  }
}

static inline void await_state(vsig_thread_t t, int want) { (void)await_state_or(t, want, NULL); }

/* Spin until *v >= want. */
static inline void await_at_least(atomic_int *v, int want) {
  while (atomic_load(v) < want)
    sched_yield();
}

/* Records what the terminate callback is told (vsig_set_terminate_callback). */
static atomic_int term_calls __attribute__((unused)), term_sig __attribute__((unused));
static _Atomic vsig_pid_t term_pid __attribute__((unused));
static inline void on_terminate(vsig_pid_t pid, int sig, void *arg) {
  (void)arg;
  atomic_store(&term_pid, pid);
  atomic_store(&term_sig, sig);
  atomic_fetch_add(&term_calls, 1);
}

#endif
