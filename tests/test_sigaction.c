/* SPDX-License-Identifier: MIT */
/* sigaction and signal: examining and changing actions, and what an action
 * does when its signal is delivered.
 *
 * ctest-labels: concurrency (a race on a process's first change of action)
 * test-hooks: internal (the failure hook of that change's allocation) */
#include "conform.h"

static atomic_int hits;
static int last_sig;
static vsig_siginfo_t last_info;
static vsig_sigset_t mask_in_handler;
static vsig_sigaction_t action_in_handler;

static void on_sig(int sig) {
  last_sig = sig;
  mask_in_handler = cur_mask();
  atomic_fetch_add(&hits, 1);
}

static void on_info(int sig, vsig_siginfo_t *info, void *ctx) {
  last_sig = sig;
  (void)ctx;
  last_info = *info;
  mask_in_handler = cur_mask();
  CHECK_EQ(vsig_sigaction(sig, NULL, &action_in_handler), 0);
  atomic_fetch_add(&hits, 1);
}

static void other(int sig) { (void)sig; }

static void poison(vsig_sigaction_t *a) { memset(a, 0xa5, sizeof *a); }
static bool poisoned(const vsig_sigaction_t *a) {
  vsig_sigaction_t p;
  poison(&p);
  return memcmp(a, &p, sizeof p) == 0;
}

static void check_dfl(int sig) {
  vsig_sigaction_t o;
  poison(&o);
  CHECK_EQ_SIG(sig, vsig_sigaction(sig, NULL, &o), 0);
  CHECK_EQ_SIG(sig, (uintptr_t)o.sa_handler, (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ_SIG(sig, o.sa_flags, 0);
  CHECK(set_empty(&o.sa_mask));
}

/* ---- examining and changing -------------------------------------------------- */

TEST(every_action_starts_as_sig_dfl) {
  for (int sig = 1; sig < VSIG_NSIG; sig++)
    check_dfl(sig);
}

TEST(set_action_reads_back_unchanged) {
  const int flags =
      VSIG_SA_SIGINFO | VSIG_SA_RESTART | VSIG_SA_NOCLDSTOP | VSIG_SA_ONSTACK | VSIG_SA_NOCLDWAIT;
  vsig_sigaction_t act = {.sa_sigaction = on_info,
                          .sa_mask = SET(VSIG_SIGHUP, VSIG_SIGRTMIN, VSIG_SIGRTMAX),
                          .sa_flags = flags};
  CHECK_EQ(vsig_sigaction(VSIG_SIGCHLD, &act, NULL), 0);
  vsig_sigaction_t o;
  poison(&o);
  CHECK_EQ(vsig_sigaction(VSIG_SIGCHLD, NULL, &o), 0);
  CHECK((uintptr_t)o.sa_sigaction == (uintptr_t)on_info);
  CHECK_EQ(o.sa_flags, flags);
  CHECK(set_eq(&o.sa_mask, &act.sa_mask));
  /* Other signals are untouched. */
  check_dfl(VSIG_SIGUSR1);
}

TEST(rt_signals_and_sigrtmax_take_actions) {
  for (int sig = VSIG_SIGRTMIN; sig <= VSIG_SIGRTMAX; sig++) {
    set_handler(sig, on_sig, 0, EMPTY());
    vsig_sigaction_t o;
    CHECK_EQ_SIG(sig, vsig_sigaction(sig, NULL, &o), 0);
    CHECK_EQ_SIG(sig, (uintptr_t)o.sa_handler, (uintptr_t)on_sig);
  }
  CHECK_EQ(vsig_raise(VSIG_SIGRTMAX), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(last_sig, VSIG_SIGRTMAX);
}

TEST(oact_receives_the_previous_action) {
  set_handler(VSIG_SIGUSR1, on_sig, VSIG_SA_RESTART, SET(VSIG_SIGINT));
  vsig_sigaction_t act = {.sa_handler = VSIG_SIG_IGN}, o;
  poison(&o);
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, &o), 0);
  CHECK_EQ((uintptr_t)o.sa_handler, (uintptr_t)on_sig);
  CHECK_EQ(o.sa_flags, VSIG_SA_RESTART);
  vsig_sigset_t want = SET(VSIG_SIGINT);
  CHECK(set_eq(&o.sa_mask, &want));
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &o), 0);
  CHECK_EQ((uintptr_t)o.sa_handler, (uintptr_t)VSIG_SIG_IGN);
}

TEST(act_and_oact_may_be_the_same_object) {
  set_handler(VSIG_SIGUSR2, on_sig, 0, EMPTY());
  vsig_sigaction_t a = {.sa_handler = other, .sa_flags = VSIG_SA_NODEFER};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR2, &a, &a), 0);
  CHECK_EQ((uintptr_t)a.sa_handler, (uintptr_t)on_sig); /* the old one came back */
  CHECK_EQ(a.sa_flags, 0);
  vsig_sigaction_t now;
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR2, NULL, &now), 0);
  CHECK_EQ((uintptr_t)now.sa_handler, (uintptr_t)other); /* and the new one is set */
  CHECK_EQ(now.sa_flags, VSIG_SA_NODEFER);
}

TEST(null_act_only_examines) {
  set_handler(VSIG_SIGTERM, on_sig, 0, EMPTY());
  CHECK_EQ(vsig_sigaction(VSIG_SIGTERM, NULL, NULL), 0);
  vsig_sigaction_t o;
  CHECK_EQ(vsig_sigaction(VSIG_SIGTERM, NULL, &o), 0);
  CHECK_EQ((uintptr_t)o.sa_handler, (uintptr_t)on_sig);
  CHECK_EQ(vsig_raise(VSIG_SIGTERM), 0);
  CHECK_EQ(hits, 1);
}

TEST(bad_signal_is_einval_and_writes_nothing) {
  vsig_sigaction_t act = {.sa_handler = on_sig}, o;
  for (int i = -1; i < NBAD_SIGS; i++) {
    int sig = i < 0 ? 0 : bad_sig(i);
    poison(&o);
    CHECK_ERRNO_SIG(sig, vsig_sigaction(sig, &act, &o), EINVAL);
    CHECK(poisoned(&o));
    CHECK_ERRNO_SIG(sig, vsig_sigaction(sig, NULL, &o), EINVAL);
    CHECK(poisoned(&o));
    CHECK_ERRNO_SIG(sig, vsig_sigaction(sig, &act, NULL), EINVAL);
    CHECK_ERRNO_SIG(sig, vsig_sigaction(sig, NULL, NULL), EINVAL);
  }
  for (int sig = 1; sig < VSIG_NSIG; sig++)
    check_dfl(sig);
}

TEST(sigkill_and_sigstop_cannot_be_changed) {
  const vsig_handler_t hs[] = {on_sig, VSIG_SIG_IGN, VSIG_SIG_DFL};
  const int sigs[] = {VSIG_SIGKILL, VSIG_SIGSTOP};
  for (int i = 0; i < 2; i++) {
    for (int j = 0; j < 3; j++) {
      vsig_sigaction_t act = {.sa_handler = hs[j]}, o;
      poison(&o);
      CHECK_ERRNO_SIG(sigs[i], vsig_sigaction(sigs[i], &act, &o), EINVAL);
      CHECK(poisoned(&o)); /* a failed call writes nothing */
    }
    /* Examining them is allowed. */
    check_dfl(sigs[i]);
  }
}

/* As the kernel (5.11 and later): bits it does not know are accepted and
 * dropped; SA_INTERRUPT, the absence of SA_RESTART, is one of them. */
TEST(unknown_flag_bits_and_sa_interrupt_are_accepted_and_dropped) {
  const int given[] = {0x8, 0x100, VSIG_SA_INTERRUPT, VSIG_SA_SIGINFO | 0x10,
                       VSIG_SA_RESTART | VSIG_SA_INTERRUPT};
  const int kept[] = {0, 0, 0, VSIG_SA_SIGINFO, VSIG_SA_RESTART};
  for (int i = 0; i < 5; i++) {
    vsig_sigaction_t act = {.sa_handler = other, .sa_flags = given[i]}, o;
    CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, NULL), 0);
    CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &o), 0);
    CHECK_EQ((uintptr_t)o.sa_handler, (uintptr_t)other);
    CHECK_EQ_SIG(i, o.sa_flags, kept[i]);
  }
  /* SA_INTERRUPT alone: the handler runs and an embedder call fails with EINTR. */
  set_handler(VSIG_SIGUSR1, on_sig, VSIG_SA_INTERRUPT, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
}

TEST(sa_mask_never_holds_sigkill_or_sigstop) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, full_set());
  vsig_sigaction_t o;
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &o), 0);
  CHECK_EQ(vsig_sigismember(&o.sa_mask, VSIG_SIGKILL), 0);
  CHECK_EQ(vsig_sigismember(&o.sa_mask, VSIG_SIGSTOP), 0);
  CHECK_EQ(vsig_sigismember(&o.sa_mask, VSIG_SIGUSR2), 1);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(vsig_sigismember(&mask_in_handler, VSIG_SIGKILL), 0);
  CHECK_EQ(vsig_sigismember(&mask_in_handler, VSIG_SIGSTOP), 0);
  CHECK_EQ(vsig_sigismember(&mask_in_handler, VSIG_SIGRTMAX), 1);
}

/* ---- discarding pending signals ------------------------------------------------ */

TEST(sig_ign_discards_pending_instances) {
  vsig_sigset_t s = SET(VSIG_SIGUSR1, VSIG_SIGRTMIN);
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  set_handler(VSIG_SIGRTMIN, on_sig, 0, EMPTY());
  block(s);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0); /* process-directed */
  CHECK_EQ(vsig_raise(VSIG_SIGRTMIN), 0);              /* thread-directed */
  for (int i = 0; i < 3; i++)
    CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = i}), 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_eq(&p, &s));

  vsig_sigaction_t ign = {.sa_handler = VSIG_SIG_IGN};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &ign, NULL), 0);
  p = cur_pending();
  vsig_sigset_t left = SET(VSIG_SIGRTMIN);
  CHECK(set_eq(&p, &left)); /* only the one set to SIG_IGN goes */
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGRTMIN, VSIG_SIG_IGN), (uintptr_t)on_sig);
  p = cur_pending();
  CHECK(set_empty(&p));

  /* Nothing comes back when a handler is installed and the signals unblocked. */
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  set_handler(VSIG_SIGRTMIN, on_sig, 0, EMPTY());
  unblock(s);
  CHECK_EQ(hits, 0);
}

TEST(sig_dfl_on_default_ignore_signal_discards_pending) {
  const int sigs[] = {VSIG_SIGCHLD, VSIG_SIGURG, VSIG_SIGWINCH};
  for (int i = 0; i < 3; i++) {
    int sig = sigs[i];
    set_handler(sig, on_sig, 0, EMPTY());
    block(SET(sig));
    CHECK_EQ_SIG(sig, vsig_raise(sig), 0);
    CHECK_EQ_SIG(sig, vsig_kill(vsig_getpid(), sig), 0);
    vsig_sigset_t p = cur_pending();
    CHECK_EQ_SIG(sig, vsig_sigismember(&p, sig), 1);
    CHECK_EQ_SIG(sig, (uintptr_t)vsig_signal(sig, VSIG_SIG_DFL), (uintptr_t)on_sig);
    p = cur_pending();
    CHECK_EQ_SIG(sig, vsig_sigismember(&p, sig), 0);
    set_handler(sig, on_sig, 0, EMPTY());
    unblock(SET(sig));
    CHECK_EQ_SIG(sig, hits, 0);
  }
}

/* SIGCONT's default, for a process that is not stopped, is to ignore it:
 * setting SIG_DFL discards a pending SIGCONT, as Linux does. Stop signals are
 * not ignored by default, so theirs stay pending. (Sending one of them
 * discards the other's pending instances: test_jobctl.c.) */
TEST(sig_dfl_on_sigcont_discards_pending) {
  set_handler(VSIG_SIGCONT, on_sig, 0, EMPTY());
  set_handler(VSIG_SIGTSTP, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGCONT, VSIG_SIGTSTP));
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGCONT), 0);
  CHECK_EQ(vsig_sigismember(&(vsig_sigset_t){cur_pending().bits}, VSIG_SIGCONT), 1);
  set_handler(VSIG_SIGCONT, VSIG_SIG_DFL, 0, EMPTY());
  CHECK_EQ(vsig_sigismember(&(vsig_sigset_t){cur_pending().bits}, VSIG_SIGCONT), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGTSTP), 0);
  set_handler(VSIG_SIGTSTP, VSIG_SIG_DFL, 0, EMPTY());
  vsig_sigset_t p = cur_pending();
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGTSTP), 1);
}

TEST(sig_dfl_on_terminating_signal_and_new_handler_keep_pending) {
  set_handler(VSIG_SIGUSR1, other, 0, EMPTY());
  block(SET(VSIG_SIGUSR1));
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  vsig_sigaction_t dfl = {.sa_handler = VSIG_SIG_DFL};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &dfl, NULL), 0);
  vsig_sigset_t p = cur_pending();
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGUSR1), 1);
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  p = cur_pending();
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGUSR1), 1);
  /* The action in force at delivery is the one that runs. */
  unblock(SET(VSIG_SIGUSR1));
  CHECK_EQ(hits, 1);
  CHECK_EQ(last_sig, VSIG_SIGUSR1);
}

/* ---- actions are per process ---------------------------------------------------- */

static void *query_usr1(void *arg) {
  vsig_sigaction_t *o = arg;
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, o), 0);
  return NULL;
}

struct in_proc {
  vsig_pid_t pid;
  vsig_sigaction_t o;
};

/* A plain host thread that joins another virtual process. */
static void *attach_and_query_usr1(void *arg) {
  struct in_proc *q = arg;
  CHECK_EQ(vsig_thread_attach(q->pid, 0), 0);
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &q->o), 0);
  CHECK_EQ(vsig_thread_detach(), 0);
  return NULL;
}

TEST(actions_are_shared_by_threads_but_not_processes) {
  set_handler(VSIG_SIGUSR1, on_sig, VSIG_SA_NODEFER, EMPTY());
  vsig_sigaction_t o;
  pthread_t h;
  spawn(&h, query_usr1, &o);
  join(h);
  CHECK_EQ((uintptr_t)o.sa_handler, (uintptr_t)on_sig);
  CHECK_EQ(o.sa_flags, VSIG_SA_NODEFER);

  struct in_proc q;
  CHECK_EQ(vsig_proc_create(NULL, &q.pid), 0);
  CHECK_EQ(pthread_create(&h, NULL, attach_and_query_usr1, &q), 0);
  join(h);
  CHECK_EQ((uintptr_t)q.o.sa_handler, (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ(vsig_proc_destroy(q.pid), 0);
}

/* ---- what an action does at delivery -------------------------------------------- */

static vsig_uid_t host_uid(void) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  return a.uid;
}

TEST(sa_siginfo_handler_gets_siginfo) {
  set_action(VSIG_SIGUSR2, on_info, 0, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(last_sig, VSIG_SIGUSR2);
  CHECK_EQ(last_info.si_signo, VSIG_SIGUSR2);
  CHECK_EQ(last_info.si_errno, 0);
  CHECK_EQ(last_info.si_code, VSIG_SI_TKILL);
  CHECK_EQ(last_info.si_pid, vsig_getpid());
  CHECK_EQ(last_info.si_uid, host_uid());

  /* SA_SIGINFO is one bit among others, not the whole of sa_flags. */
  set_action(VSIG_SIGUSR2, on_info, VSIG_SA_RESTART | VSIG_SA_ONSTACK, EMPTY());
  vsig_sigval_t v = {.sival_int = -77};
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGUSR2, v), 0);
  CHECK_EQ(hits, 2);
  CHECK_EQ(last_info.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(last_info.si_value.sival_int, -77);
}

TEST(plain_handler_gets_the_signal_number) {
  set_handler(VSIG_SIGHUP, on_sig, VSIG_SA_RESTART, EMPTY());
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGHUP), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(last_sig, VSIG_SIGHUP);
}

TEST(handler_mask_is_old_mask_sa_mask_and_signal) {
  block(SET(VSIG_SIGINT));
  set_handler(VSIG_SIGUSR1, on_sig, 0, SET(VSIG_SIGHUP, VSIG_SIGRTMAX));
  vsig_sigset_t want = SET(VSIG_SIGINT, VSIG_SIGHUP, VSIG_SIGRTMAX, VSIG_SIGUSR1);
  vsig_sigset_t before = cur_mask();

  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0); /* run at once */
  CHECK_EQ(hits, 1);
  CHECK(set_eq(&mask_in_handler, &want));
  vsig_sigset_t after = cur_mask();
  CHECK(set_eq(&after, &before));

  /* Delivered on unblocking: the old mask is the one after the unblock. */
  block(SET(VSIG_SIGUSR1));
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
  unblock(SET(VSIG_SIGUSR1));
  CHECK_EQ(hits, 2);
  CHECK(set_eq(&mask_in_handler, &want));
  after = cur_mask();
  CHECK(set_eq(&after, &before));
}

TEST(sa_nodefer_leaves_the_signal_unblocked_in_its_handler) {
  set_handler(VSIG_SIGUSR1, on_sig, VSIG_SA_NODEFER, SET(VSIG_SIGUSR2));
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  vsig_sigset_t want = SET(VSIG_SIGUSR2);
  CHECK(set_eq(&mask_in_handler, &want));
  /* ... unless sa_mask names it. */
  set_handler(VSIG_SIGUSR1, on_sig, VSIG_SA_NODEFER, SET(VSIG_SIGUSR1));
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  want = SET(VSIG_SIGUSR1);
  CHECK(set_eq(&mask_in_handler, &want));
  CHECK_EQ(hits, 2);
}

static void scramble_mask(int sig) {
  (void)sig;
  atomic_fetch_add(&hits, 1);
  vsig_sigset_t s = SET(VSIG_SIGTERM, VSIG_SIGRTMIN);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_SETMASK, &s, NULL), 0);
}

TEST(mask_is_restored_exactly_even_if_the_handler_changed_it) {
  block(SET(VSIG_SIGINT, VSIG_SIGRTMAX));
  vsig_sigset_t before = cur_mask();
  set_handler(VSIG_SIGUSR1, scramble_mask, 0, SET(VSIG_SIGHUP));
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  vsig_sigset_t after = cur_mask();
  CHECK(set_eq(&after, &before));

  block(SET(VSIG_SIGUSR1));
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  unblock(SET(VSIG_SIGUSR1));
  CHECK_EQ(hits, 2);
  after = cur_mask();
  vsig_sigset_t want = SET(VSIG_SIGINT, VSIG_SIGRTMAX);
  CHECK(set_eq(&after, &want));
}

TEST(sa_resethand_resets_to_sig_dfl_on_entry) {
  /* A default-ignore signal, so the second delivery is harmless. */
  set_action(VSIG_SIGURG, on_info, VSIG_SA_RESETHAND | VSIG_SA_RESTART, SET(VSIG_SIGHUP));
  CHECK_EQ(vsig_raise(VSIG_SIGURG), 0);
  CHECK_EQ(hits, 1);
  /* Already reset inside the handler, and SA_SIGINFO cleared (POSIX). */
  CHECK_EQ((uintptr_t)action_in_handler.sa_handler, (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ(action_in_handler.sa_flags & VSIG_SA_SIGINFO, 0);
  vsig_sigaction_t o;
  CHECK_EQ(vsig_sigaction(VSIG_SIGURG, NULL, &o), 0);
  CHECK_EQ((uintptr_t)o.sa_handler, (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ(o.sa_flags & VSIG_SA_SIGINFO, 0);
  CHECK_EQ(vsig_raise(VSIG_SIGURG), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGURG), 0);
  CHECK_EQ(hits, 1);
}

TEST(sa_resethand_second_delivery_takes_the_default_action) {
  vsig_set_terminate_callback(on_terminate, NULL);
  set_handler(VSIG_SIGUSR1, on_sig, VSIG_SA_RESETHAND, EMPTY());
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(term_calls, 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(term_calls, 1);
  CHECK_EQ(term_sig, VSIG_SIGUSR1);
  CHECK_EQ(term_pid, vsig_getpid());
  int st = -1;
  CHECK_EQ(vsig_proc_status(vsig_getpid(), &st), 0);
  CHECK_EQ(st, VSIG_SIGUSR1);
}

TEST(sig_ign_action_drops_new_signals) {
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGTERM, VSIG_SIG_IGN), (uintptr_t)VSIG_SIG_DFL);
  block(SET(VSIG_SIGTERM));
  CHECK_EQ(vsig_raise(VSIG_SIGTERM), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGTERM), 0);
  unblock(SET(VSIG_SIGTERM));
  /* Reaching here means SIGTERM did not take the default action. */
  set_handler(VSIG_SIGTERM, on_sig, 0, EMPTY());
  CHECK_EQ(hits, 0);
}

/* ---- signal() ---------------------------------------------------------------------- */

TEST(signal_returns_previous_handler_and_sets_sa_restart) {
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGUSR1, on_sig), (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGUSR1, other), (uintptr_t)on_sig);
  vsig_sigaction_t o;
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &o), 0);
  CHECK_EQ((uintptr_t)o.sa_handler, (uintptr_t)other);
  CHECK(o.sa_flags & VSIG_SA_RESTART);
  CHECK_EQ(o.sa_flags & VSIG_SA_SIGINFO, 0);
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGUSR1, on_sig), (uintptr_t)other);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
  /* signal() installs a handler that stays. */
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 2);
}

TEST(signal_bad_input_is_sig_err_einval) {
  for (int i = -1; i < NBAD_SIGS; i++) {
    int sig = i < 0 ? 0 : bad_sig(i);
    CHECK_ERRNO_SIG(sig, (intptr_t)vsig_signal(sig, on_sig), EINVAL);
  }
  CHECK_ERRNO((intptr_t)vsig_signal(VSIG_SIGKILL, on_sig), EINVAL);
  CHECK_ERRNO((intptr_t)vsig_signal(VSIG_SIGKILL, VSIG_SIG_IGN), EINVAL);
  CHECK_ERRNO((intptr_t)vsig_signal(VSIG_SIGSTOP, on_sig), EINVAL);
  CHECK_ERRNO((intptr_t)vsig_signal(VSIG_SIGSTOP, VSIG_SIG_IGN), EINVAL);
  check_dfl(VSIG_SIGKILL);
  check_dfl(VSIG_SIGSTOP);
}

TEST(signal_sig_ign_discards_pending) {
  set_handler(VSIG_SIGUSR2, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR2));
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0);
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGUSR2, VSIG_SIG_IGN), (uintptr_t)on_sig);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGUSR2, on_sig), (uintptr_t)VSIG_SIG_IGN);
  unblock(SET(VSIG_SIGUSR2));
  CHECK_EQ(hits, 0);
}

/* ---- the table of actions ---------------------------------------------------------- */

/* Processes whose actions are all the default share one table; the first
 * change to anything else allocates the process's own. The library's hook
 * (action.c, not exported: this file links the library's objects): when
 * n > 0, the n-th such allocation from now fails. */
extern _Atomic int vsig__fail_acts_alloc;

static void fail_next_table(void) { atomic_store(&vsig__fail_acts_alloc, 1); }

/* Run fn(arg) on a thread of a new process, then destroy the process. */
static void in_new_proc(void *(*fn)(void *), void *arg) {
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, fn, arg), 0);
  join(h);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
}

/* sig's action as the process's threads and vsig_proc_sigaction see it. */
static void check_action(int sig, const vsig_sigaction_t *want) {
  vsig_sigaction_t o[2];
  poison(&o[0]);
  poison(&o[1]);
  CHECK_EQ(vsig_sigaction(sig, NULL, &o[0]), 0);
  CHECK_EQ(vsig_proc_sigaction(vsig_getpid(), sig, &o[1]), 0);
  for (int i = 0; i < 2; i++) {
    CHECK_EQ((uintptr_t)o[i].sa_handler, (uintptr_t)want->sa_handler);
    CHECK_EQ(o[i].sa_flags, want->sa_flags);
    CHECK(set_eq(&o[i].sa_mask, &want->sa_mask));
  }
}

static const vsig_sigaction_t dfl_action = {.sa_handler = VSIG_SIG_DFL};

static void *enomem_changes_nothing(void *arg) {
  (void)arg;
  vsig_sigaction_t act = {.sa_sigaction = on_info,
                          .sa_mask = SET(VSIG_SIGHUP),
                          .sa_flags = VSIG_SA_SIGINFO | VSIG_SA_RESTART};
  vsig_sigaction_t ign = {.sa_handler = VSIG_SIG_IGN};
  block(SET(VSIG_SIGUSR1));
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0); /* pending: a failed SIG_IGN keeps it */

  fail_next_table();
  vsig_sigaction_t o;
  poison(&o);
  CHECK_ERRNO(vsig_sigaction(VSIG_SIGUSR1, &act, &o), ENOMEM);
  CHECK_EQ(atomic_load(&vsig__fail_acts_alloc), 0); /* it was the allocation that failed */
  CHECK(poisoned(&o));                              /* nor is anything reported */
  check_action(VSIG_SIGUSR1, &dfl_action);

  fail_next_table();
  CHECK_ERRNO(vsig_sigaction(VSIG_SIGUSR1, &ign, NULL), ENOMEM);
  vsig_sigset_t p = cur_pending(), usr1 = SET(VSIG_SIGUSR1);
  CHECK(set_eq(&p, &usr1));
  check_action(VSIG_SIGUSR1, &dfl_action);

  fail_next_table();
  errno = 0;
  CHECK((uintptr_t)vsig_signal(VSIG_SIGUSR1, on_sig) == (uintptr_t)VSIG_SIG_ERR);
  CHECK_EQ(errno, ENOMEM);
  check_action(VSIG_SIGUSR1, &dfl_action);

  /* With memory again the same change succeeds... */
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, &o), 0);
  CHECK_EQ((uintptr_t)o.sa_handler, (uintptr_t)VSIG_SIG_DFL);
  check_action(VSIG_SIGUSR1, &act);
  /* ...and later changes allocate nothing: the process has its table. */
  fail_next_table();
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR2, &ign, NULL), 0);
  CHECK((uintptr_t)vsig_signal(VSIG_SIGHUP, on_sig) == (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR2, &dfl_action, NULL), 0);
  CHECK_EQ(atomic_load(&vsig__fail_acts_alloc), 1);
  atomic_store(&vsig__fail_acts_alloc, 0);
  check_action(VSIG_SIGUSR1, &act);
  check_action(VSIG_SIGUSR2, &dfl_action);

  /* The instance that stayed pending meets the action that was finally set. */
  atomic_store(&hits, 0);
  unblock(SET(VSIG_SIGUSR1));
  CHECK_EQ(atomic_load(&hits), 1);
  CHECK_EQ(last_sig, VSIG_SIGUSR1);
  return NULL;
}

TEST(first_change_out_of_memory_is_enomem_and_changes_nothing) {
  in_new_proc(enomem_changes_nothing, NULL);
}

static void *dfl_writes_allocate_nothing(void *arg) {
  (void)arg;
  fail_next_table();
  for (int sig = 1; sig < VSIG_NSIG; sig++) {
    if (sig == VSIG_SIGKILL || sig == VSIG_SIGSTOP)
      continue;
    vsig_sigaction_t o;
    CHECK_EQ_SIG(sig, vsig_sigaction(sig, &dfl_action, &o), 0);
    CHECK_EQ_SIG(sig, (uintptr_t)o.sa_handler, (uintptr_t)VSIG_SIG_DFL);
  }
  /* Signals meet the shared defaults: ignored, or queued while blocked. */
  CHECK_EQ(vsig_raise(VSIG_SIGURG), 0);
  block(SET(VSIG_SIGUSR1));
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  vsig_sigset_t p = cur_pending(), usr1 = SET(VSIG_SIGUSR1);
  CHECK(set_eq(&p, &usr1));
  CHECK_EQ(atomic_load(&vsig__fail_acts_alloc), 1); /* nothing allocated */
  /* Still on the shared table: the first real change is what allocates. */
  CHECK_ERRNO(vsig_sigaction(VSIG_SIGUSR2, &(vsig_sigaction_t){.sa_handler = on_sig}, NULL),
              ENOMEM);
  return NULL;
}

TEST(explicit_sig_dfl_keeps_the_shared_table) { in_new_proc(dfl_writes_allocate_nothing, NULL); }

/* Any difference from the default needs the process's own table: a mask or
 * a flag with SIG_DFL too. */
static void *default_handler_with_mask_or_flags(void *arg) {
  (void)arg;
  vsig_sigaction_t with_mask = {.sa_handler = VSIG_SIG_DFL, .sa_mask = SET(VSIG_SIGHUP)};
  vsig_sigaction_t with_flag = {.sa_handler = VSIG_SIG_DFL, .sa_flags = VSIG_SA_RESTART};
  fail_next_table();
  CHECK_ERRNO(vsig_sigaction(VSIG_SIGUSR1, &with_mask, NULL), ENOMEM);
  fail_next_table();
  CHECK_ERRNO(vsig_sigaction(VSIG_SIGUSR1, &with_flag, NULL), ENOMEM);
  fail_next_table();
  CHECK((uintptr_t)vsig_signal(VSIG_SIGUSR1, VSIG_SIG_DFL) == (uintptr_t)VSIG_SIG_ERR);
  check_action(VSIG_SIGUSR1, &dfl_action);
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &with_mask, NULL), 0);
  check_action(VSIG_SIGUSR1, &with_mask);
  return NULL;
}

TEST(sig_dfl_with_a_mask_or_flags_is_a_change) {
  in_new_proc(default_handler_with_mask_or_flags, NULL);
}

/* A new process starts on the shared table whatever its creator did. */
static void *first_change_allocates(void *arg) {
  (void)arg;
  check_action(VSIG_SIGUSR1, &dfl_action);
  fail_next_table();
  CHECK_ERRNO(vsig_sigaction(VSIG_SIGUSR1, &(vsig_sigaction_t){.sa_handler = other}, NULL), ENOMEM);
  return NULL;
}

TEST(new_process_of_a_process_with_its_own_table_shares_the_defaults) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  in_new_proc(first_change_allocates, NULL);
}

/* A race on the first change: one thread raises a signal and reads its
 * action in a loop while another makes that change, which switches the
 * process to its own table. The reader sees the old action or the new one,
 * whole, never a mix, and never the old one again once it saw the new. */
#define RACE_SIG VSIG_SIGURG /* its default ignores it: a raise at SIG_DFL is harmless */
#define RACE_FLAGS (VSIG_SA_SIGINFO | VSIG_SA_RESTART | VSIG_SA_NODEFER)
#define RACE_ROUNDS 256
#define RACE_AFTER 100 /* rounds of the reader once it saw the new action */

struct race {
  atomic_int reader_ready, bad, handled;
};
static struct race *race_now;

static void race_handler(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)ctx;
  /* The frame was built from one whole action: siginfo came (SA_SIGINFO),
   * sa_mask is blocked and the signal itself is not (SA_NODEFER). */
  vsig_sigset_t m = cur_mask();
  if (!info || info->si_signo != sig || vsig_sigismember(&m, VSIG_SIGHUP) != 1 ||
      vsig_sigismember(&m, VSIG_SIGRTMIN) != 1 || vsig_sigismember(&m, sig) != 0)
    atomic_store(&race_now->bad, 1);
  atomic_fetch_add(&race_now->handled, 1);
}

static vsig_sigaction_t race_action(void) {
  return (vsig_sigaction_t){.sa_sigaction = race_handler,
                            .sa_mask = SET(VSIG_SIGHUP, VSIG_SIGRTMIN),
                            .sa_flags = RACE_FLAGS};
}

/* 0: the default, 1: the new action, -1: anything else (a mix). */
static int classify(const vsig_sigaction_t *a) {
  vsig_sigaction_t want = race_action();
  if ((uintptr_t)a->sa_handler == (uintptr_t)VSIG_SIG_DFL && a->sa_flags == 0 &&
      set_empty(&a->sa_mask))
    return 0;
  if ((uintptr_t)a->sa_sigaction == (uintptr_t)race_handler && a->sa_flags == RACE_FLAGS &&
      set_eq(&a->sa_mask, &want.sa_mask))
    return 1;
  return -1;
}

static void *race_reader(void *arg) {
  struct race *r = arg;
  atomic_store(&r->reader_ready, 1);
  bool seen_new = false;
  for (int after = 0; after < RACE_AFTER;) {
    CHECK_EQ(vsig_raise(RACE_SIG), 0); /* reads the action without the lock */
    vsig_sigaction_t a, b;
    CHECK_EQ(vsig_sigaction(RACE_SIG, NULL, &a), 0);
    CHECK_EQ(vsig_proc_sigaction(vsig_getpid(), RACE_SIG, &b), 0);
    int ca = classify(&a), cb = classify(&b);
    if (ca < 0 || cb < 0 || (seen_new && (ca == 0 || cb == 0)))
      atomic_store(&r->bad, 1);
    if (ca == 1)
      seen_new = true;
    if (seen_new)
      after++;
  }
  return NULL;
}

static void *race_writer(void *arg) {
  struct race *r = arg;
  while (!atomic_load(&r->reader_ready))
    sched_yield();
  vsig_sigaction_t act = race_action();
  CHECK_EQ(vsig_sigaction(RACE_SIG, &act, NULL), 0);
  return NULL;
}

TEST(first_change_racing_with_raise_and_reads_is_seen_whole) {
  for (int round = 0; round < RACE_ROUNDS; round++) {
    struct race r = {0};
    race_now = &r;
    vsig_pid_t pid;
    CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
    pthread_t hr, hw;
    CHECK_EQ(vsig_thread_create(&hr, NULL, pid, 0, race_reader, &r), 0);
    CHECK_EQ(vsig_thread_create(&hw, NULL, pid, 0, race_writer, &r), 0);
    join(hw);
    join(hr);
    CHECK_EQ(atomic_load(&r.bad), 0);
    /* Every raise after the reader saw the new action ran the handler. */
    CHECK(atomic_load(&r.handled) >= RACE_AFTER - 1);
    CHECK_EQ(vsig_proc_destroy(pid), 0);
  }
}
