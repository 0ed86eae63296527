/* SPDX-License-Identifier: MIT */
/* sigaction and signal: examining and changing actions, and what an action
 * does when its signal is delivered. */
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
