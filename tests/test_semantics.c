/* SPDX-License-Identifier: MIT */
/*
 * SPEC.md, "Semantics that reference implementations got wrong": one test per
 * item, named after the property (the timer item is tested with the timers).
 */
/* ctest-labels: concurrency */
#include "conform.h"

static vsig_sigval_t ival(int v) { return (vsig_sigval_t){.sival_int = v}; }

/* Every handler invocation, in order, on whichever thread ran it. */
#define MAXREC 256
struct rec {
  int sig, code, value;
  vsig_thread_t thread;
  vsig_sigset_t mask;
};
static struct rec recs[MAXREC];
static atomic_int nrec;

static void record(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)ctx;
  int n = atomic_fetch_add(&nrec, 1);
  if (n < MAXREC)
    recs[n] =
        (struct rec){sig, info->si_code, info->si_value.sival_int, vsig_thread_self(), cur_mask()};
}

static int count_sig(int sig) {
  int c = 0;
  for (int i = 0; i < atomic_load(&nrec) && i < MAXREC; i++)
    c += recs[i].sig == sig;
  return c;
}

#define QMAX VSIG_POSIX_SIGQUEUE_MAX
static void small_pool(void) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.queue_max = QMAX;
  CHECK_EQ(vsig_default_proc_attr(&a), 0);
}

/* ---- sigwait family: lowest of pending & set, never outside, queued siginfo ---------- */

struct acceptor {
  vsig_sigset_t set;
  atomic_int ready;
  int got;
  vsig_siginfo_t info;
};

static void *accept_one(void *arg) {
  struct acceptor *a = arg;
  block(a->set);
  atomic_store(&a->ready, 1);
  a->got = vsig_sigwaitinfo(&a->set, &a->info);
  return NULL;
}

TEST(sigwait_family_takes_lowest_of_pending_and_set_never_outside_and_keeps_siginfo) {
  const int rt = VSIG_SIGRTMIN, rt1 = VSIG_SIGRTMIN + 1;
  block(SET(VSIG_SIGHUP, VSIG_SIGINT, VSIG_SIGUSR1, rt, rt1));
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), rt1, ival(5)), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), rt, ival(1)), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), rt, ival(2)), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGUSR1, ival(3)), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGHUP), 0); /* lowest of all, but not in set */
  CHECK_EQ(vsig_raise(VSIG_SIGINT), 0);               /* likewise */
  vsig_sigset_t set = SET(VSIG_SIGUSR1, rt, rt1);

  int sig = 0;
  CHECK_EQ(vsig_sigwait(&set, &sig), 0);
  CHECK_EQ(sig, VSIG_SIGUSR1);
  vsig_siginfo_t info;
  CHECK_EQ(vsig_sigwaitinfo(&set, &info), rt);
  CHECK_EQ(info.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(info.si_value.sival_int, 1);
  struct timespec zero = {0, 0};
  CHECK_EQ(vsig_sigtimedwait(&set, &info, &zero), rt);
  CHECK_EQ(info.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(info.si_value.sival_int, 2);
  CHECK_EQ(vsig_sigtimedwait(&set, &info, &zero), rt1);
  CHECK_EQ(info.si_value.sival_int, 5);
  CHECK_EQ(info.si_pid, vsig_getpid());
  CHECK_ERRNO(vsig_sigtimedwait(&set, &info, &zero), EAGAIN);
  vsig_sigset_t p = cur_pending(), outside = SET(VSIG_SIGHUP, VSIG_SIGINT);
  CHECK(set_eq(&p, &outside));

  /* Handed to a thread already waiting: the siginfo travels with it. */
  struct acceptor a = {.set = SET(rt)};
  pthread_t h;
  vsig_thread_t t = spawn(&h, accept_one, &a);
  await_state(t, VSIG_THREAD_SIGWAIT);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), rt, ival(99)), 0);
  join(h);
  CHECK_EQ(a.got, rt);
  CHECK_EQ(a.info.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(a.info.si_value.sival_int, 99);
}

/* ---- sa_flags are bit flags ----------------------------------------------------------- */

static atomic_int depth, max_depth, nest_calls;
/* Raises its signal again from its first run only. */
static void nest_once(int sig, vsig_siginfo_t *info, void *ctx) {
  int d = atomic_fetch_add(&depth, 1) + 1;
  if (d > atomic_load(&max_depth))
    atomic_store(&max_depth, d);
  record(sig, info, ctx);
  if (atomic_fetch_add(&nest_calls, 1) == 0)
    CHECK_EQ(vsig_raise(sig), 0);
  atomic_fetch_sub(&depth, 1);
}

TEST(sa_flags_are_bit_flags) {
  /* SA_SIGINFO among other bits still selects sa_sigaction ... */
  const int f1 = VSIG_SA_SIGINFO | VSIG_SA_RESTART | VSIG_SA_NODEFER | VSIG_SA_ONSTACK;
  vsig_sigaction_t act = {.sa_sigaction = nest_once, .sa_flags = f1}, o;
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, NULL), 0);
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &o), 0);
  CHECK_EQ(o.sa_flags, f1);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGUSR1, ival(42)), 0);
  CHECK_EQ(nrec, 2);
  CHECK_EQ(recs[0].code, VSIG_SI_QUEUE);
  CHECK_EQ(recs[0].value, 42);
  CHECK_EQ(recs[1].code, VSIG_SI_TKILL);
  /* ... and SA_NODEFER among them still lets the handler nest. */
  CHECK_EQ(max_depth, 2);
  CHECK_EQ(vsig_sigismember(&recs[0].mask, VSIG_SIGUSR1), 0);

  /* SA_RESETHAND among other bits still resets. */
  const int f2 = VSIG_SA_SIGINFO | VSIG_SA_RESETHAND | VSIG_SA_RESTART | VSIG_SA_NOCLDSTOP;
  set_action(VSIG_SIGCHLD, record, f2, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGCHLD), 0);
  CHECK_EQ(nrec, 3);
  CHECK_EQ(recs[2].sig, VSIG_SIGCHLD);
  CHECK_EQ(recs[2].code, VSIG_SI_TKILL);
  CHECK_EQ(vsig_sigaction(VSIG_SIGCHLD, NULL, &o), 0);
  CHECK_EQ((uintptr_t)o.sa_handler, (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ(vsig_raise(VSIG_SIGCHLD), 0); /* default: ignored */
  CHECK_EQ(nrec, 3);

  /* Without SA_NODEFER (other bits set) the signal is blocked in its handler. */
  max_depth = 0;
  nest_calls = 0;
  set_action(VSIG_SIGUSR2, nest_once, VSIG_SA_RESTART | VSIG_SA_ONSTACK, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  CHECK_EQ(nrec, 5);
  CHECK_EQ(max_depth, 1);
  CHECK_EQ(vsig_sigismember(&recs[3].mask, VSIG_SIGUSR2), 1);
}

/* ---- a queue entry is reserved first; only sigqueue fails with EAGAIN ---------------- */

TEST(queue_entry_reserved_before_pending_and_only_sigqueue_fails_with_eagain) {
  small_pool();
  vsig_set_terminate_callback(on_terminate, NULL);
  const int rt = VSIG_SIGRTMIN + 3;
  set_action(rt, record, 0, EMPTY());
  set_action(VSIG_SIGUSR1, record, 0, EMPTY());
  block(SET(rt, VSIG_SIGUSR1));
  for (int i = 0; i < QMAX; i++)
    CHECK_EQ(vsig_sigqueue(vsig_getpid(), rt, ival(i)), 0);

  /* Full: the queued calls fail and change nothing ... */
  const vsig_sigset_t before = cur_pending();
  CHECK_ERRNO(vsig_sigqueue(vsig_getpid(), rt, ival(-1)), EAGAIN);
  CHECK_ERRNO(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMAX, ival(-1)), EAGAIN);
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), rt, ival(-1)), EAGAIN);
  vsig_sigset_t after = cur_pending();
  CHECK(set_eq(&after, &before));

  /* ... while kill and pthread_kill still succeed. */
  CHECK_EQ(vsig_kill(vsig_getpid(), rt), 0);
  CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), rt), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGUSR1, ival(7)), 0); /* no slot needed */

  unblock(SET(rt, VSIG_SIGUSR1));
  CHECK_EQ(term_calls, 0);
  CHECK_EQ(count_sig(VSIG_SIGUSR1), 1);
  CHECK_EQ(count_sig(rt), QMAX + 2);
  int q = 0, user = 0, tkill = 0;
  for (int i = 0; i < nrec; i++) {
    if (recs[i].sig != rt)
      continue;
    if (recs[i].code == VSIG_SI_QUEUE)
      CHECK_EQ(recs[i].value, q++); /* every queued one, in order, none of the failed */
    user += recs[i].code == VSIG_SI_USER;
    tkill += recs[i].code == VSIG_SI_TKILL;
  }
  CHECK_EQ(q, QMAX);
  CHECK_EQ(user, 1);
  CHECK_EQ(tkill, 1);
}

/* ---- signal 0 ------------------------------------------------------------------------- */

static void *nothing(void *arg) { return arg; }

TEST(signal_zero_checks_target_and_sends_nothing) {
  small_pool();
  vsig_set_terminate_callback(on_terminate, NULL);
  set_action(VSIG_SIGRTMIN, record, 0, EMPTY());
  block(SET(VSIG_SIGRTMIN));
  for (int i = 0; i < QMAX; i++)
    CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMIN, ival(i)), 0);
  const vsig_sigset_t before = cur_pending();

  CHECK_EQ(vsig_kill(vsig_getpid(), 0), 0);
  CHECK_EQ(vsig_kill(0, 0), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), 0, ival(1)), 0); /* full pool: still not EAGAIN */
  CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), 0), 0);
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), 0, ival(1)), 0);
  CHECK_EQ(vsig_pthread_kill_host(pthread_self(), 0), 0);
  vsig_sigset_t after = cur_pending();
  CHECK(set_eq(&after, &before));
  CHECK_EQ(nrec, 0);
  CHECK_EQ(term_calls, 0);

  /* Another process is a valid target; a vanished one is not. */
  vsig_pid_t p2;
  CHECK_EQ(vsig_proc_create(NULL, &p2), 0);
  CHECK_EQ(vsig_kill(p2, 0), 0);
  CHECK_EQ(vsig_kill(-1, 0), 0);
  CHECK_EQ(vsig_sigqueue(p2, 0, ival(1)), 0);
  CHECK_EQ(vsig_proc_destroy(p2), 0);
  CHECK_ERRNO(vsig_kill(p2, 0), ESRCH);
  CHECK_ERRNO(vsig_sigqueue(p2, 0, ival(1)), ESRCH);
  CHECK_ERRNO(vsig_kill(-1, 0), ESRCH);
  pthread_t h;
  vsig_thread_t gone = spawn(&h, nothing, NULL);
  join(h);
  CHECK_EQ(vsig_pthread_kill(gone, 0), ESRCH);
  CHECK_EQ(vsig_pthread_sigqueue(gone, 0, ival(1)), ESRCH);
}

/* ---- pause and sigsuspend ------------------------------------------------------------- */

struct waiter {
  int kind; /* 0 pause, 1 sigsuspend */
  vsig_sigset_t blocked, during;
  atomic_int done;
  int rc, err, recs_at_return;
  vsig_sigset_t pending_after;
};

static void *wait_for_handler(void *arg) {
  struct waiter *w = arg;
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_SETMASK, &w->blocked, NULL), 0);
  /* Pending and blocked now, unblocked by sigsuspend's mask: discarded then,
   * with no handler, so it must not end the wait. */
  if (w->kind)
    CHECK_EQ(vsig_raise(VSIG_SIGCHLD), 0);
  errno = 0;
  w->rc = w->kind ? vsig_sigsuspend(&w->during) : vsig_pause();
  w->err = errno;
  w->recs_at_return = atomic_load(&nrec);
  w->pending_after = cur_pending();
  atomic_store(&w->done, 1);
  return NULL;
}

TEST(pause_and_sigsuspend_return_eintr_only_after_a_handler_ran) {
  set_action(VSIG_SIGUSR1, record, 0, EMPTY());
  block(SET(VSIG_SIGUSR1, VSIG_SIGCHLD)); /* main takes nothing */
  for (int kind = 0; kind < 2; kind++) {
    /* A default-ignore signal and a blocked one come first: neither may end
     * the wait, and the blocked one may not be consumed without its handler. */
    atomic_store(&nrec, 0);
    struct waiter w = {.kind = kind,
                       .blocked =
                           kind ? SET(VSIG_SIGUSR1, VSIG_SIGUSR2, VSIG_SIGCHLD) : SET(VSIG_SIGUSR2),
                       .during = SET(VSIG_SIGUSR2)};
    set_action(VSIG_SIGUSR2, record, 0, EMPTY());
    pthread_t h;
    vsig_thread_t t = spawn(&h, wait_for_handler, &w);
    await_state(t, VSIG_THREAD_INTERRUPTIBLE);
    CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGCHLD), 0);
    CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR2), 0);
    if (await_state_or(t, VSIG_THREAD_INTERRUPTIBLE, &w.done))
      CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
    join(h);
    CHECK_EQ_SIG(kind, w.rc, -1);
    CHECK_EQ_SIG(kind, w.err, EINTR);
    CHECK_EQ_SIG(kind, w.recs_at_return, 1); /* USR1's handler had run */
    CHECK_EQ(recs[0].sig, VSIG_SIGUSR1);
    CHECK_EQ(recs[0].thread, t);
    vsig_sigset_t usr2 = SET(VSIG_SIGUSR2);
    CHECK(set_eq(&w.pending_after, &usr2)); /* still there, not consumed */
  }
}

/* ---- no lost wake-up ------------------------------------------------------------------- */

enum { L_SUSPEND, L_SIGWAIT, L_PAUSE, L_SLEEP, L_KINDS };
#define ROUNDS 20000

struct looper {
  int kind;
  atomic_int ready, rounds;
  int bad;
};

static atomic_int loop_hits;
static void count_hit(int sig) {
  (void)sig;
  atomic_fetch_add(&loop_hits, 1);
}

static void *loop_waits(void *arg) {
  struct looper *l = arg;
  vsig_sigset_t usr1 = SET(VSIG_SIGUSR1), none = EMPTY();
  if (l->kind == L_SUSPEND || l->kind == L_SIGWAIT)
    block(usr1);
  else
    unblock(usr1);
  /* Only now: a signal sent before the unblock would be taken by it, not by
   * the first wait. */
  atomic_store(&l->ready, 1);
  for (int i = 0; i < ROUNDS; i++) {
    int sig = 0;
    struct timespec req = {3600, 0};
    errno = 0;
    switch (l->kind) {
    case L_SUSPEND:
      l->bad += vsig_sigsuspend(&none) != -1 || errno != EINTR;
      break;
    case L_SIGWAIT:
      l->bad += vsig_sigwait(&usr1, &sig) != 0 || sig != VSIG_SIGUSR1;
      break;
    case L_PAUSE:
      l->bad += vsig_pause() != -1 || errno != EINTR;
      break;
    case L_SLEEP:
      l->bad += vsig_nanosleep(&req, NULL) != -1 || errno != EINTR;
      break;
    }
    atomic_store(&l->rounds, i + 1);
  }
  return NULL;
}

TEST(check_for_pending_and_going_to_sleep_are_atomic_no_lost_wakeup) {
  set_handler(VSIG_SIGUSR1, count_hit, 0, EMPTY());
  block(SET(VSIG_SIGUSR1)); /* process-directed ones go to the looper */
  for (int kind = 0; kind < L_KINDS; kind++) {
    struct looper l = {.kind = kind};
    pthread_t h;
    vsig_thread_t t = spawn(&h, loop_waits, &l);
    await_at_least(&l.ready, 1);
    for (int i = 0; i < ROUNDS; i++) {
      /* Send as soon as the previous round ended, racing the next wait: a lost
       * wake-up leaves the looper asleep forever (the test then times out). */
      await_at_least(&l.rounds, i);
      if (i % 2)
        CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
      else
        CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
    }
    join(h);
    CHECK_EQ_SIG(kind, l.bad, 0);
    CHECK_EQ_SIG(kind, l.rounds, ROUNDS);
    CHECK_EQ_SIG(kind, loop_hits, kind == L_SIGWAIT ? 0 : ROUNDS);
    atomic_store(&loop_hits, 0);
  }
}

/* ---- process-directed: exactly one thread; thread-directed: its thread ------------------ */

#define NPAUSERS 4
static _Thread_local int my_user, my_tkill;
static void count_codes(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  my_user += info->si_code == VSIG_SI_USER;
  my_tkill += info->si_code == VSIG_SI_TKILL;
}

struct pauser {
  atomic_int done;
  int user, tkill, err;
};

static void *pause_and_count(void *arg) {
  struct pauser *p = arg;
  unblock(SET(VSIG_SIGUSR1));
  errno = 0;
  vsig_pause();
  p->err = errno;
  p->user = my_user;
  p->tkill = my_tkill;
  atomic_store(&p->done, 1);
  return NULL;
}

struct holder {
  atomic_int ready, go;
  vsig_sigset_t pending;
  int got;
  vsig_siginfo_t info;
};

static void *hold_then_accept(void *arg) {
  struct holder *b = arg;
  vsig_sigset_t s = SET(VSIG_SIGUSR2);
  block(s);
  atomic_store(&b->ready, 1);
  await_at_least(&b->go, 1);
  b->pending = cur_pending();
  b->got = vsig_sigwaitinfo(&s, &b->info);
  return NULL;
}

TEST(process_directed_goes_to_exactly_one_thread_thread_directed_stays_with_its_thread) {
  set_action(VSIG_SIGUSR1, count_codes, 0, EMPTY());
  block(SET(VSIG_SIGUSR1));
  struct pauser ps[NPAUSERS] = {0};
  pthread_t hs[NPAUSERS];
  vsig_thread_t ts[NPAUSERS];
  for (int i = 0; i < NPAUSERS; i++)
    ts[i] = spawn(&hs[i], pause_and_count, &ps[i]);
  for (int i = 0; i < NPAUSERS; i++)
    await_state(ts[i], VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  for (;;) {
    int done = 0;
    for (int i = 0; i < NPAUSERS; i++)
      done += atomic_load(&ps[i].done);
    if (done)
      break;
    sched_yield();
  }
  for (int i = 0; i < NPAUSERS; i++)
    if (!atomic_load(&ps[i].done))
      CHECK_EQ(vsig_pthread_kill(ts[i], VSIG_SIGUSR1), 0);
  int users = 0;
  for (int i = 0; i < NPAUSERS; i++) {
    join(hs[i]);
    CHECK_EQ_SIG(i, ps[i].err, EINTR);
    CHECK_EQ_SIG(i, ps[i].user + ps[i].tkill, 1);
    users += ps[i].user;
  }
  CHECK_EQ(users, 1);

  /* Thread-directed, blocked in its target, with another thread waiting for
   * that very signal and main having it unblocked: it stays with its target. */
  set_action(VSIG_SIGUSR2, record, 0, EMPTY());
  struct holder b = {0};
  struct acceptor a = {.set = SET(VSIG_SIGUSR2)};
  pthread_t hb, ha;
  vsig_thread_t tb = spawn(&hb, hold_then_accept, &b);
  vsig_thread_t ta = spawn(&ha, accept_one, &a);
  await_at_least(&b.ready, 1);
  await_state(ta, VSIG_THREAD_SIGWAIT);
  CHECK_EQ(vsig_pthread_sigqueue(tb, VSIG_SIGUSR2, ival(111)), 0);
  CHECK_EQ(vsig_pthread_sigqueue(ta, VSIG_SIGUSR2, ival(222)), 0);
  join(ha);
  CHECK_EQ(a.got, VSIG_SIGUSR2);
  CHECK_EQ(a.info.si_value.sival_int, 222);
  atomic_store(&b.go, 1);
  join(hb);
  CHECK_EQ(vsig_sigismember(&b.pending, VSIG_SIGUSR2), 1);
  CHECK_EQ(b.got, VSIG_SIGUSR2);
  CHECK_EQ(b.info.si_value.sival_int, 111);
  CHECK_EQ(nrec, 0); /* main's handler never saw it */
}

/* ---- the mask during a handler; SA_RESETHAND; SA_SIGINFO ----------------------------- */

static void record_and_scramble(int sig, vsig_siginfo_t *info, void *ctx) {
  record(sig, info, ctx);
  vsig_sigset_t s = SET(VSIG_SIGTERM, VSIG_SIGRTMAX);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_SETMASK, &s, NULL), 0);
}

struct masked_pauser {
  vsig_sigset_t blocked, after;
  atomic_int done;
};

static void *pause_masked(void *arg) {
  struct masked_pauser *m = arg;
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_SETMASK, &m->blocked, NULL), 0);
  vsig_pause();
  m->after = cur_mask();
  atomic_store(&m->done, 1);
  return NULL;
}

TEST(handler_mask_is_old_or_sa_mask_or_signal_restored_exactly_resethand_and_siginfo) {
  vsig_proc_attr_t pa;
  CHECK_EQ(vsig_proc_attr_init(&pa), 0);
  const int sa_flags[] = {0, VSIG_SA_NODEFER};
  for (int f = 0; f < 2; f++) {
    atomic_store(&nrec, 0);
    set_action(VSIG_SIGUSR1, record_and_scramble, sa_flags[f], SET(VSIG_SIGHUP, VSIG_SIGKILL));
    vsig_sigset_t old = SET(VSIG_SIGINT);
    CHECK_EQ(vsig_sigprocmask(VSIG_SIG_SETMASK, &old, NULL), 0);
    vsig_sigset_t want =
        f ? SET(VSIG_SIGINT, VSIG_SIGHUP) : SET(VSIG_SIGINT, VSIG_SIGHUP, VSIG_SIGUSR1);

    CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0); /* straight away */
    block(SET(VSIG_SIGUSR1));
    CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
    unblock(SET(VSIG_SIGUSR1)); /* on unblocking */
    vsig_sigset_t now = cur_mask();
    CHECK(set_eq(&now, &old));

    struct masked_pauser m = {.blocked = SET(VSIG_SIGINT)};
    pthread_t h;
    vsig_thread_t t = spawn(&h, pause_masked, &m);
    await_state(t, VSIG_THREAD_INTERRUPTIBLE);
    CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0); /* in another, waiting thread */
    join(h);
    CHECK(set_eq(&m.after, &old));

    CHECK_EQ(nrec, 3);
    for (int i = 0; i < 3; i++) {
      CHECK_EQ_SIG(i, recs[i].sig, VSIG_SIGUSR1);
      CHECK(set_eq(&recs[i].mask, &want));
    }
    CHECK_EQ(recs[0].code, VSIG_SI_TKILL);
    CHECK_EQ(recs[1].code, VSIG_SI_USER);
    CHECK_EQ(recs[2].code, VSIG_SI_TKILL);
    CHECK_EQ(recs[2].thread, t);
  }

  /* SA_RESETHAND: the handler runs once, then the default action applies. */
  vsig_set_terminate_callback(on_terminate, NULL);
  atomic_store(&nrec, 0);
  set_action(VSIG_SIGUSR2, record, VSIG_SA_RESETHAND, EMPTY());
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR2), 0);
  CHECK_EQ(nrec, 1);
  vsig_sigaction_t o;
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR2, NULL, &o), 0);
  CHECK_EQ((uintptr_t)o.sa_handler, (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ(o.sa_flags & VSIG_SA_SIGINFO, 0);
  CHECK_EQ(term_calls, 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR2), 0);
  CHECK_EQ(nrec, 1);
  CHECK_EQ(term_calls, 1);
  CHECK_EQ(term_sig, VSIG_SIGUSR2);
}

/* ---- SIG_IGN discards pending instances everywhere -------------------------------------- */

struct bystander {
  atomic_int ready, stage, go;
  vsig_sigset_t before, after;
};

static void *bystander(void *arg) {
  struct bystander *b = arg;
  block(SET(VSIG_SIGUSR1, VSIG_SIGRTMIN, VSIG_SIGCHLD));
  atomic_store(&b->ready, 1);
  await_at_least(&b->go, 1);
  b->before = cur_pending();
  atomic_store(&b->stage, 1);
  await_at_least(&b->go, 2);
  b->after = cur_pending();
  unblock(SET(VSIG_SIGUSR1, VSIG_SIGRTMIN, VSIG_SIGCHLD)); /* nothing may run */
  return NULL;
}

TEST(setting_sig_ign_or_default_ignore_discards_pending_in_process_and_every_thread) {
  const vsig_sigset_t sigs = SET(VSIG_SIGUSR1, VSIG_SIGRTMIN, VSIG_SIGCHLD);
  set_action(VSIG_SIGUSR1, record, 0, EMPTY());
  set_action(VSIG_SIGRTMIN, record, 0, EMPTY());
  set_action(VSIG_SIGCHLD, record, 0, EMPTY());
  block(sigs);
  struct bystander b = {0};
  pthread_t h;
  vsig_thread_t t = spawn(&h, bystander, &b);
  await_at_least(&b.ready, 1);
  /* Process-directed, to main, and to the other thread; queued and not. */
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGCHLD), 0);
  for (int i = 0; i < 3; i++)
    CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMIN, ival(i)), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGRTMIN), 0);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_pthread_kill(t, VSIG_SIGCHLD), 0);
  CHECK_EQ(vsig_pthread_sigqueue(t, VSIG_SIGRTMIN, ival(9)), 0);
  CHECK_EQ(vsig_pthread_sigqueue(t, VSIG_SIGRTMIN, ival(10)), 0);
  atomic_store(&b.go, 1);
  await_at_least(&b.stage, 1);
  vsig_sigset_t mine = cur_pending();
  CHECK(set_eq(&mine, &sigs));
  CHECK(set_eq(&b.before, &sigs));

  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGUSR1, VSIG_SIG_IGN), (uintptr_t)record);
  vsig_sigaction_t ign = {.sa_handler = VSIG_SIG_IGN}, dfl = {.sa_handler = VSIG_SIG_DFL};
  CHECK_EQ(vsig_sigaction(VSIG_SIGRTMIN, &ign, NULL), 0);
  CHECK_EQ(vsig_sigaction(VSIG_SIGCHLD, &dfl, NULL), 0); /* default: ignore */
  mine = cur_pending();
  CHECK(set_empty(&mine));
  /* Handlers again: nothing that was pending may come back. */
  set_action(VSIG_SIGUSR1, record, 0, EMPTY());
  set_action(VSIG_SIGRTMIN, record, 0, EMPTY());
  set_action(VSIG_SIGCHLD, record, 0, EMPTY());
  atomic_store(&b.go, 2);
  join(h);
  CHECK(set_empty(&b.after));
  unblock(sigs);
  CHECK_EQ(nrec, 0);
}

/* ---- SIGKILL and SIGSTOP ------------------------------------------------------------------- */

static void never(int sig) { (void)sig; }

TEST(sigkill_and_sigstop_cannot_be_caught_ignored_or_blocked) {
  vsig_set_terminate_callback(on_terminate, NULL);
  const int ks[] = {VSIG_SIGKILL, VSIG_SIGSTOP};
  for (int i = 0; i < 2; i++) {
    vsig_sigaction_t catch = {.sa_handler = never}, ign = {.sa_handler = VSIG_SIG_IGN};
    vsig_sigaction_t dfl = {.sa_handler = VSIG_SIG_DFL};
    CHECK_ERRNO_SIG(ks[i], vsig_sigaction(ks[i], &catch, NULL), EINVAL);
    CHECK_ERRNO_SIG(ks[i], vsig_sigaction(ks[i], &ign, NULL), EINVAL);
    CHECK_ERRNO_SIG(ks[i], vsig_sigaction(ks[i], &dfl, NULL), EINVAL);
    CHECK_ERRNO_SIG(ks[i], (intptr_t)vsig_signal(ks[i], never), EINVAL);
    CHECK_ERRNO_SIG(ks[i], (intptr_t)vsig_signal(ks[i], VSIG_SIG_IGN), EINVAL);
  }
  /* Masks drop them silently: sigprocmask, pthread_sigmask, sa_mask, sigsuspend. */
  vsig_sigset_t all = full_set();
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_SETMASK, &all, NULL), 0);
  vsig_sigset_t m = cur_mask();
  CHECK_EQ(vsig_sigismember(&m, VSIG_SIGKILL), 0);
  CHECK_EQ(vsig_sigismember(&m, VSIG_SIGSTOP), 0);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &all, NULL), 0);
  m = cur_mask();
  CHECK_EQ(vsig_sigismember(&m, VSIG_SIGKILL), 0);
  set_action(VSIG_SIGUSR1, record, 0, all);
  vsig_sigaction_t o;
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &o), 0);
  CHECK_EQ(vsig_sigismember(&o.sa_mask, VSIG_SIGKILL), 0);
  CHECK_EQ(vsig_sigismember(&o.sa_mask, VSIG_SIGSTOP), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0); /* pending: everything else is blocked */
  vsig_sigset_t susp = SET(VSIG_SIGKILL, VSIG_SIGSTOP);
  CHECK_ERRNO(vsig_sigsuspend(&susp), EINTR);
  CHECK_EQ(nrec, 1);
  CHECK_EQ(vsig_sigismember(&recs[0].mask, VSIG_SIGKILL), 0);
  CHECK_EQ(vsig_sigismember(&recs[0].mask, VSIG_SIGSTOP), 0);

  /* SIGSTOP is never held pending: it stops the process at once (here one
   * without threads, which no SIGCONT from this test would have to wake), and
   * SIGKILL ends even a stopped process. */
  vsig_pid_t other;
  CHECK_EQ(vsig_proc_create(NULL, &other), 0);
  CHECK_EQ(vsig_kill(other, VSIG_SIGSTOP), 0);
  int stopped = 0, term = -1;
  CHECK_EQ(vsig_proc_stopped(other, &stopped), 0);
  CHECK_EQ(stopped, 1);
  CHECK_EQ(vsig_kill(other, VSIG_SIGKILL), 0);
  CHECK_EQ(vsig_proc_status(other, &term), 0);
  CHECK_EQ(term, VSIG_SIGKILL);
  CHECK_EQ(term_calls, 1);
  term_calls = 0;
  CHECK_EQ(vsig_proc_destroy(other), 0);
  vsig_sigset_t p = cur_pending();
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGSTOP), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGKILL), 0);
  CHECK_EQ(term_calls, 1);
  CHECK_EQ(term_sig, VSIG_SIGKILL);
}

/* ---- standard signals coalesce; real-time ones queue, FIFO, lowest first -------------- */

TEST(standard_signals_do_not_queue_rt_signals_queue_fifo_lowest_first_each_once) {
  const int r0 = VSIG_SIGRTMIN, r1 = VSIG_SIGRTMIN + 1, r2 = VSIG_SIGRTMIN + 2;
  const int rmax = VSIG_SIGRTMAX;
  const int sigs[] = {VSIG_SIGUSR1, VSIG_SIGUSR2, r0, r1, r2, rmax};
  vsig_sigset_t all = EMPTY();
  for (int i = 0; i < 6; i++)
    CHECK_EQ(vsig_sigaddset(&all, sigs[i]), 0);
  /* Each handler blocks the others, so each one ends before the next is
   * delivered and the record shows the delivery order. */
  for (int i = 0; i < 6; i++)
    set_action(sigs[i], record, 0, all);
  block(all);
  for (int i = 0; i < 3; i++) {
    CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGUSR2, ival(i)), 0);
    CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  }
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), rmax, ival(70)), 0);
  for (int i = 1; i <= 3; i++)
    CHECK_EQ(vsig_sigqueue(vsig_getpid(), r2, ival(20 + i)), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), r1), 0);
  for (int i = 1; i <= 3; i++)
    CHECK_EQ(vsig_sigqueue(vsig_getpid(), r0, ival(i)), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), r1), 0);
  unblock(all);

  const struct {
    int sig, code, value;
  } want[] = {
      {VSIG_SIGUSR1, VSIG_SI_USER, 0}, {VSIG_SIGUSR2, VSIG_SI_QUEUE, 0}, {r0, VSIG_SI_QUEUE, 1},
      {r0, VSIG_SI_QUEUE, 2},          {r0, VSIG_SI_QUEUE, 3},           {r1, VSIG_SI_USER, 0},
      {r1, VSIG_SI_USER, 0},           {r2, VSIG_SI_QUEUE, 21},          {r2, VSIG_SI_QUEUE, 22},
      {r2, VSIG_SI_QUEUE, 23},         {rmax, VSIG_SI_QUEUE, 70}};
  const int n = sizeof want / sizeof want[0];
  CHECK_EQ(nrec, n);
  for (int i = 0; i < n; i++) {
    CHECK_EQ_SIG(i, recs[i].sig, want[i].sig);
    CHECK_EQ_SIG(i, recs[i].code, want[i].code);
    if (want[i].code == VSIG_SI_QUEUE)
      CHECK_EQ_SIG(i, recs[i].value, want[i].value);
  }
}

/* Several signals deliverable at once get their frames as the kernel sets them
 * up: the lowest first, each under the mask of the ones before it, so without
 * sa_mask the handler of the last one runs first (measured on Linux 6.18:
 * RTMIN+1, RTMIN, RTMIN, USR2, USR1 for this sequence). */
TEST(simultaneous_signals_nest_as_kernel_frames) {
  const int r0 = VSIG_SIGRTMIN, r1 = VSIG_SIGRTMIN + 1;
  const int sigs[] = {VSIG_SIGUSR1, VSIG_SIGUSR2, r0, r1};
  vsig_sigset_t all = EMPTY();
  for (int i = 0; i < 4; i++) {
    set_action(sigs[i], record, 0, EMPTY());
    CHECK_EQ(vsig_sigaddset(&all, sigs[i]), 0);
  }
  block(all);
  CHECK_EQ(vsig_kill(vsig_getpid(), r1), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR2), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), r0, ival(1)), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), r0, ival(2)), 0);
  unblock(all);
  const int want[] = {r1, r0, r0, VSIG_SIGUSR2, VSIG_SIGUSR1};
  CHECK_EQ(nrec, 5);
  for (int i = 0; i < 5; i++)
    CHECK_EQ_SIG(i, recs[i].sig, want[i]);
  /* The second r0 waited for the first's handler to return (r0 blocks itself)
   * and came in FIFO order. */
  CHECK_EQ(recs[1].value, 1);
  CHECK_EQ(recs[2].value, 2);
  /* Each nested handler ran with the masks of the frames below it. */
  CHECK_EQ(vsig_sigismember(&recs[0].mask, VSIG_SIGUSR1), 1);
  CHECK_EQ(vsig_sigismember(&recs[0].mask, VSIG_SIGUSR2), 1);
  CHECK_EQ(vsig_sigismember(&recs[0].mask, r0), 1);
  CHECK_EQ(vsig_sigismember(&recs[4].mask, VSIG_SIGUSR2), 0);
}

/* A synchronous signal (the kind a fault raises) is delivered before lower
 * numbered ones, as the kernel does. */
TEST(synchronous_signals_are_delivered_before_lower_numbers) {
  vsig_sigset_t both = SET(VSIG_SIGSEGV, VSIG_SIGUSR1);
  set_action(VSIG_SIGSEGV, record, 0, both);
  set_action(VSIG_SIGUSR1, record, 0, both);
  block(both);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGSEGV), 0);
  unblock(both);
  CHECK_EQ(nrec, 2);
  CHECK_EQ(recs[0].sig, VSIG_SIGSEGV);
  CHECK_EQ(recs[1].sig, VSIG_SIGUSR1);
}

/* ---- signal numbers are checked against the table's real size ------------------------ */

TEST(signal_numbers_are_validated_against_the_real_table_size) {
  const int last = VSIG_NSIG - 1, past = VSIG_NSIG;
  CHECK_EQ(last, VSIG_SIGRTMAX);
  vsig_sigset_t s = EMPTY();
  CHECK_EQ(vsig_sigaddset(&s, last), 0);
  CHECK_EQ(vsig_sigismember(&s, last), 1);
  CHECK_EQ(vsig_sigdelset(&s, last), 0);
  CHECK_ERRNO(vsig_sigaddset(&s, past), EINVAL);
  CHECK_ERRNO(vsig_sigdelset(&s, past), EINVAL);
  CHECK_ERRNO(vsig_sigismember(&s, past), EINVAL);
  CHECK(set_empty(&s));
  vsig_sigset_t f = full_set();
  CHECK_EQ(vsig_sigismember(&f, last), 1);

  set_action(last, record, 0, EMPTY());
  vsig_sigaction_t act = {.sa_handler = never};
  CHECK_ERRNO(vsig_sigaction(past, &act, NULL), EINVAL);
  CHECK_ERRNO(vsig_sigaction(past, NULL, NULL), EINVAL);
  CHECK_ERRNO((intptr_t)vsig_signal(past, never), EINVAL);

  CHECK_EQ(vsig_raise(last), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), last), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), last, ival(1)), 0);
  CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), last), 0);
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), last, ival(2)), 0);
  CHECK_EQ(vsig_pthread_kill_host(pthread_self(), last), 0);
  CHECK_EQ(nrec, 6);

  CHECK_ERRNO(vsig_raise(past), EINVAL);
  CHECK_ERRNO(vsig_kill(vsig_getpid(), past), EINVAL);
  CHECK_ERRNO(vsig_sigqueue(vsig_getpid(), past, ival(1)), EINVAL);
  CHECK_EQ(vsig_pthread_kill(vsig_thread_self(), past), EINVAL);
  CHECK_EQ(vsig_pthread_sigqueue(vsig_thread_self(), past, ival(1)), EINVAL);
  CHECK_EQ(vsig_pthread_kill_host(pthread_self(), past), EINVAL);
  for (int i = 0; i < NBAD_SIGS; i++) {
    int b = bad_sig(i);
    CHECK_ERRNO_SIG(b, vsig_raise(b), EINVAL);
    CHECK_ERRNO_SIG(b, vsig_kill(vsig_getpid(), b), EINVAL);
    CHECK_EQ_SIG(b, vsig_pthread_kill(vsig_thread_self(), b), EINVAL);
  }
  CHECK_EQ(nrec, 6);

  /* The last signal is also reported and accepted like any other. */
  block(SET(last));
  CHECK_EQ(vsig_raise(last), 0);
  vsig_sigset_t p = cur_pending();
  CHECK_EQ(vsig_sigismember(&p, last), 1);
  vsig_sigset_t ls = SET(last);
  int sig = 0;
  CHECK_EQ(vsig_sigwait(&ls, &sig), 0);
  CHECK_EQ(sig, last);
}
