/* SPDX-License-Identifier: MIT */
/* sigprocmask and pthread_sigmask: the calling thread's mask.
 * sigprocmask answers -1/errno, pthread_sigmask an error number. */
/* ctest-labels: concurrency */
#include "conform.h"

typedef int (*maskfn)(int, const vsig_sigset_t *, vsig_sigset_t *);

/* Call fn and return 0 or the error, whichever convention fn follows. */
static int call_mask(maskfn fn, int how, const vsig_sigset_t *set, vsig_sigset_t *oset) {
  errno = 0;
  int rc = fn(how, set, oset);
  int err = errno;
  if (fn != vsig_sigprocmask || rc == 0)
    return rc;
  CHECK_EQ(rc, -1);
  return err;
}

static const maskfn fns[] = {vsig_sigprocmask, vsig_pthread_sigmask};

static atomic_int hits;
static int order[8], norder;
static void on_sig(int sig) {
  if (norder < 8)
    order[norder++] = sig;
  atomic_fetch_add(&hits, 1);
}

TEST(initial_mask_is_empty) {
  vsig_sigset_t m = cur_mask();
  CHECK(set_empty(&m));
}

TEST(sig_block_sig_unblock_sig_setmask) {
  for (int f = 0; f < 2; f++) {
    vsig_sigset_t e = EMPTY(), o;
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_SETMASK, &e, NULL), 0);

    vsig_sigset_t a = SET(VSIG_SIGUSR1, VSIG_SIGRTMIN);
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_BLOCK, &a, &o), 0);
    CHECK(set_empty(&o));
    vsig_sigset_t b = SET(VSIG_SIGHUP, VSIG_SIGRTMAX);
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_BLOCK, &b, &o), 0); /* union */
    CHECK(set_eq(&o, &a));
    vsig_sigset_t m = cur_mask();
    vsig_sigset_t want = SET(VSIG_SIGUSR1, VSIG_SIGRTMIN, VSIG_SIGHUP, VSIG_SIGRTMAX);
    CHECK(set_eq(&m, &want));

    /* Unblocking one that is not blocked is not an error. */
    vsig_sigset_t u = SET(VSIG_SIGUSR1, VSIG_SIGINT);
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_UNBLOCK, &u, &o), 0);
    CHECK(set_eq(&o, &want));
    m = cur_mask();
    want = SET(VSIG_SIGRTMIN, VSIG_SIGHUP, VSIG_SIGRTMAX);
    CHECK(set_eq(&m, &want));

    vsig_sigset_t s = SET(VSIG_SIGTERM);
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_SETMASK, &s, &o), 0);
    CHECK(set_eq(&o, &want));
    m = cur_mask();
    CHECK(set_eq(&m, &s));
  }
}

TEST(null_set_only_examines_whatever_how_is) {
  block(SET(VSIG_SIGUSR2));
  vsig_sigset_t want = cur_mask();
  const int hows[] = {VSIG_SIG_BLOCK, VSIG_SIG_UNBLOCK, VSIG_SIG_SETMASK, -1, 3, INT_MAX};
  for (int f = 0; f < 2; f++) {
    for (int i = 0; i < 6; i++) {
      /* POSIX: with a null set, how is not significant. */
      vsig_sigset_t o = full_set();
      CHECK_EQ(call_mask(fns[f], hows[i], NULL, &o), 0);
      CHECK(set_eq(&o, &want));
      CHECK_EQ(call_mask(fns[f], hows[i], NULL, NULL), 0);
    }
  }
  vsig_sigset_t m = cur_mask();
  CHECK(set_eq(&m, &want));
}

TEST(bad_how_is_einval_and_changes_nothing) {
  block(SET(VSIG_SIGUSR1, VSIG_SIGRTMAX));
  const vsig_sigset_t before = cur_mask();
  const int hows[] = {-1, 3, 4, 42, INT_MAX, INT_MIN};
  vsig_sigset_t s = SET(VSIG_SIGINT), o;
  for (int i = 0; i < 6; i++) {
    memset(&o, 0x5a, sizeof o);
    CHECK_ERRNO(vsig_sigprocmask(hows[i], &s, &o), EINVAL);
    CHECK_EQ(o.bits, 0x5a5a5a5a5a5a5a5aull); /* oset not written */
    memset(&o, 0x5a, sizeof o);
    errno = 1234;
    CHECK_EQ(vsig_pthread_sigmask(hows[i], &s, &o), EINVAL);
    CHECK_EQ(errno, 1234); /* an error number, errno left alone */
    CHECK_EQ(o.bits, 0x5a5a5a5a5a5a5a5aull);
    vsig_sigset_t m = cur_mask();
    CHECK(set_eq(&m, &before));
  }
}

TEST(pthread_sigmask_leaves_errno_on_success) {
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  errno = 4321;
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
  CHECK_EQ(errno, 4321);
}

TEST(set_and_oset_may_be_the_same_object) {
  for (int f = 0; f < 2; f++) {
    vsig_sigset_t e = EMPTY();
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_SETMASK, &e, NULL), 0);
    block(SET(VSIG_SIGHUP));
    vsig_sigset_t s = SET(VSIG_SIGUSR1);
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_BLOCK, &s, &s), 0);
    vsig_sigset_t old = SET(VSIG_SIGHUP), now = SET(VSIG_SIGHUP, VSIG_SIGUSR1);
    CHECK(set_eq(&s, &old));
    vsig_sigset_t m = cur_mask();
    CHECK(set_eq(&m, &now));
  }
}

TEST(sigkill_and_sigstop_are_silently_never_blocked) {
  for (int f = 0; f < 2; f++) {
    vsig_sigset_t all = full_set();
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_BLOCK, &all, NULL), 0);
    vsig_sigset_t m = cur_mask();
    CHECK_EQ(vsig_sigismember(&m, VSIG_SIGKILL), 0);
    CHECK_EQ(vsig_sigismember(&m, VSIG_SIGSTOP), 0);
    for (int sig = 1; sig < VSIG_NSIG; sig++)
      if (sig != VSIG_SIGKILL && sig != VSIG_SIGSTOP)
        CHECK_EQ_SIG(sig, vsig_sigismember(&m, sig), 1);
    vsig_sigset_t ks = SET(VSIG_SIGKILL, VSIG_SIGSTOP);
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_SETMASK, &ks, NULL), 0);
    m = cur_mask();
    CHECK(set_empty(&m));
  }
}

TEST(blocked_signal_waits_and_unblocking_delivers_before_return) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  for (int f = 0; f < 2; f++) {
    vsig_sigset_t s = SET(VSIG_SIGUSR1);
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_BLOCK, &s, NULL), 0);
    CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
    CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
    CHECK_EQ(hits, 2 * f);
    CHECK_EQ(call_mask(fns[f], VSIG_SIG_UNBLOCK, &s, NULL), 0);
    /* One process-directed and one thread-directed instance: both run. */
    CHECK_EQ(hits, 2 * f + 2);
  }
}

TEST(unblocking_delivers_every_pending_rt_signal_lowest_first) {
  const int a = VSIG_SIGRTMIN, b = VSIG_SIGRTMIN + 1, c = VSIG_SIGRTMAX;
  vsig_sigset_t s = SET(a, b, c);
  /* Each handler blocks the others: handlers run in delivery order. */
  set_handler(a, on_sig, 0, s);
  set_handler(b, on_sig, 0, s);
  set_handler(c, on_sig, 0, s);
  block(s);
  CHECK_EQ(vsig_raise(c), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), b), 0);
  CHECK_EQ(vsig_raise(a), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), c), 0);
  CHECK_EQ(hits, 0);
  vsig_sigset_t none = EMPTY();
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_SETMASK, &none, NULL), 0);
  CHECK_EQ(hits, 4);
  CHECK_EQ(order[0], a);
  CHECK_EQ(order[1], b);
  CHECK_EQ(order[2], c);
  CHECK_EQ(order[3], c);
}

/* ---- the mask belongs to the thread ---------------------------------------------- */

struct masks {
  vsig_sigset_t at_start, after_change;
};

static void *child_masks(void *arg) {
  struct masks *m = arg;
  m->at_start = cur_mask();
  vsig_sigset_t s = SET(VSIG_SIGINT);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_SETMASK, &s, NULL), 0);
  m->after_change = cur_mask();
  return NULL;
}

TEST(mask_is_per_thread_and_inherited_at_creation) {
  block(SET(VSIG_SIGUSR1, VSIG_SIGRTMIN));
  const vsig_sigset_t mine = cur_mask();
  struct masks m;
  pthread_t h;
  spawn(&h, child_masks, &m);
  join(h);
  CHECK(set_eq(&m.at_start, &mine));
  vsig_sigset_t want = SET(VSIG_SIGINT);
  CHECK(set_eq(&m.after_change, &want));
  vsig_sigset_t now = cur_mask();
  CHECK(set_eq(&now, &mine)); /* the child's change did not touch ours */
}

TEST(both_pointers_null_is_a_no_op) {
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, NULL, NULL), 0);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_SETMASK, NULL, NULL), 0);
  vsig_sigset_t m = cur_mask();
  CHECK(set_empty(&m));
}
