/* SPDX-License-Identifier: MIT */
/* sigemptyset, sigfillset, sigaddset, sigdelset, sigismember. */
#include "conform.h"

TEST(emptyset_has_no_member) {
  vsig_sigset_t s;
  memset(&s, 0xff, sizeof s); /* emptyset must not rely on the storage */
  CHECK_EQ(vsig_sigemptyset(&s), 0);
  for (int sig = 1; sig < VSIG_NSIG; sig++)
    CHECK_EQ_SIG(sig, vsig_sigismember(&s, sig), 0);
}

TEST(fillset_has_every_signal) {
  vsig_sigset_t s;
  memset(&s, 0, sizeof s);
  CHECK_EQ(vsig_sigfillset(&s), 0);
  /* Including SIGKILL and SIGSTOP: a set is just a set; masks drop them. */
  for (int sig = 1; sig < VSIG_NSIG; sig++)
    CHECK_EQ_SIG(sig, vsig_sigismember(&s, sig), 1);
}

TEST(addset_adds_only_that_signal) {
  for (int sig = 1; sig < VSIG_NSIG; sig++) {
    vsig_sigset_t s;
    CHECK_EQ(vsig_sigemptyset(&s), 0);
    CHECK_EQ_SIG(sig, vsig_sigaddset(&s, sig), 0);
    for (int o = 1; o < VSIG_NSIG; o++)
      CHECK_EQ_SIG(sig, vsig_sigismember(&s, o), o == sig);
    /* Adding twice is not an error and changes nothing. */
    CHECK_EQ_SIG(sig, vsig_sigaddset(&s, sig), 0);
    CHECK_EQ_SIG(sig, vsig_sigismember(&s, sig), 1);
  }
}

TEST(delset_removes_only_that_signal) {
  for (int sig = 1; sig < VSIG_NSIG; sig++) {
    vsig_sigset_t s = full_set();
    CHECK_EQ_SIG(sig, vsig_sigdelset(&s, sig), 0);
    for (int o = 1; o < VSIG_NSIG; o++)
      CHECK_EQ_SIG(sig, vsig_sigismember(&s, o), o != sig);
    CHECK_EQ_SIG(sig, vsig_sigdelset(&s, sig), 0);
    CHECK_EQ_SIG(sig, vsig_sigismember(&s, sig), 0);
  }
}

TEST(boundary_signals_are_valid) {
  vsig_sigset_t s = EMPTY();
  CHECK_EQ(vsig_sigaddset(&s, 1), 0);
  CHECK_EQ(vsig_sigaddset(&s, VSIG_SIGRTMIN), 0);
  CHECK_EQ(vsig_sigaddset(&s, VSIG_SIGRTMAX), 0);
  CHECK_EQ(vsig_sigaddset(&s, VSIG_NSIG - 1), 0);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGRTMAX), 1);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGRTMIN), 1);
  CHECK_EQ(vsig_sigismember(&s, 1), 1);
  CHECK_EQ(vsig_sigismember(&s, 2), 0);
  CHECK_EQ(vsig_sigdelset(&s, VSIG_SIGRTMAX), 0);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGRTMAX), 0);
}

TEST(null_set_is_einval) {
  CHECK_ERRNO(vsig_sigemptyset(NULL), EINVAL);
  CHECK_ERRNO(vsig_sigfillset(NULL), EINVAL);
  CHECK_ERRNO(vsig_sigaddset(NULL, VSIG_SIGUSR1), EINVAL);
  CHECK_ERRNO(vsig_sigdelset(NULL, VSIG_SIGUSR1), EINVAL);
  CHECK_ERRNO(vsig_sigismember(NULL, VSIG_SIGUSR1), EINVAL);
}

TEST(bad_signal_is_einval_and_leaves_set) {
  vsig_sigset_t s = SET(VSIG_SIGHUP, VSIG_SIGRTMAX);
  const vsig_sigset_t before = s;
  CHECK_ERRNO(vsig_sigaddset(&s, 0), EINVAL);
  CHECK_ERRNO(vsig_sigdelset(&s, 0), EINVAL);
  CHECK_ERRNO(vsig_sigismember(&s, 0), EINVAL);
  for (int i = 0; i < NBAD_SIGS; i++) {
    int sig = bad_sig(i);
    CHECK_ERRNO_SIG(sig, vsig_sigaddset(&s, sig), EINVAL);
    CHECK_ERRNO_SIG(sig, vsig_sigdelset(&s, sig), EINVAL);
    CHECK_ERRNO_SIG(sig, vsig_sigismember(&s, sig), EINVAL);
  }
  CHECK(set_eq(&s, &before));
  /* A full set must not gain or lose anything either (no bit 64 or -1 aliasing). */
  vsig_sigset_t f = full_set();
  for (int i = 0; i < NBAD_SIGS; i++)
    CHECK_ERRNO_SIG(bad_sig(i), vsig_sigdelset(&f, bad_sig(i)), EINVAL);
  vsig_sigset_t f2 = full_set();
  CHECK(set_eq(&f, &f2));
}

TEST(ismember_returns_exactly_one_or_zero) {
  vsig_sigset_t s = SET(VSIG_SIGRTMAX, VSIG_SIGHUP);
  /* 1, not a bit value: callers compare with == 1. */
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGRTMAX), 1);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGHUP), 1);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGINT), 0);
}

TEST(sets_are_independent_values) {
  vsig_sigset_t a = SET(VSIG_SIGUSR1), b = a;
  CHECK_EQ(vsig_sigaddset(&b, VSIG_SIGUSR2), 0);
  CHECK_EQ(vsig_sigismember(&a, VSIG_SIGUSR2), 0);
  CHECK_EQ(vsig_sigismember(&b, VSIG_SIGUSR1), 1);
}
