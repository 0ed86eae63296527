/* SPDX-License-Identifier: MIT */
/*
 * Job control: a stop signal's default action stops the whole process, with
 * its threads in every state (running with asynchronous delivery, polling,
 * in a handler, in each vsig wait, in an embedder's call), until SIGCONT; what
 * a stopped process does with the signals it gets; stop and continue as the
 * parent and the embedder see them; orphaned process groups.
 *
 * A stopped thread is checked by its lack of progress: a counter that does
 * not move over a while. That can only pass wrongly (a thread that would have
 * moved later), never fail wrongly.
 *
 * ctest-labels: concurrency
 */
#include "procs.h"

#include <unistd.h>

static void settle(void) {
  for (int i = 0; i < 100; i++)
    pause_briefly(); /* about 20 ms */
}

/* ---- the embedder's callback ----------------------------------------------------------- */

static _Atomic int jc_calls, jc_last_stopped, jc_last_sig;
static _Atomic vsig_pid_t jc_last_pid;
static void on_jobctl(vsig_pid_t pid, int is_stopped, int sig, void *arg) {
  (void)arg;
  atomic_store(&jc_last_pid, pid);
  atomic_store(&jc_last_stopped, is_stopped);
  atomic_store(&jc_last_sig, sig);
  atomic_fetch_add(&jc_calls, 1);
}

/* ---- threads in every state ------------------------------------------------------------- */

static _Atomic int usr1_runs, quit, rt_release, in_rt_handler;
static void on_usr1(int sig) {
  (void)sig;
  atomic_fetch_add(&usr1_runs, 1);
}
static void on_rt(int sig) {
  (void)sig;
  atomic_store(&in_rt_handler, 1);
  while (!atomic_load(&rt_release))
    ; /* the program's own code: no safe point */
}

struct th {
  vsig_thread_t id;
  pthread_t h;
  _Atomic long progress;
  _Atomic int done;
  int rc, err;
  _Atomic int woken;
};

static void *polling(void *arg) {
  struct th *t = arg;
  while (!atomic_load(&quit)) {
    vsig_poll();
    atomic_fetch_add(&t->progress, 1);
  }
  return NULL;
}

/* The program's own code: not instrumented under TSan, as a guest's would not
 * be. (An instrumented atomic parked inside the interrupt would hold TSan's
 * lock on that address, and the test's read of it would wait forever.) */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OWN_CODE __attribute__((no_sanitize("thread")))
#endif
#endif
#if !defined(OWN_CODE) && defined(__SANITIZE_THREAD__)
#define OWN_CODE __attribute__((no_sanitize_thread))
#endif
#ifndef OWN_CODE
#define OWN_CODE
#endif

OWN_CODE static void *spinning_async(void *arg) {
  struct th *t = arg;
  CHECK_EQ(vsig_thread_set_async(1), 0);
  while (!atomic_load(&quit))
    atomic_fetch_add(&t->progress, 1); /* never a vsig call */
  return NULL;
}

static void *in_handler(void *arg) {
  struct th *t = arg;
  CHECK_EQ(vsig_raise(VSIG_SIGRTMIN), 0); /* returns once the handler is released */
  atomic_fetch_add(&t->progress, 1);
  atomic_store(&t->done, 1);
  return NULL;
}

static void *sigwaiting(void *arg) {
  struct th *t = arg;
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGUSR2);
  int sig = 0;
  t->rc = vsig_sigwait(&set, &sig);
  t->err = sig;
  atomic_store(&t->done, 1);
  return NULL;
}

static void *pausing(void *arg) {
  struct th *t = arg;
  errno = 0;
  t->rc = vsig_pause();
  t->err = errno;
  atomic_store(&t->done, 1);
  return NULL;
}

static void *sleeping(void *arg) {
  struct th *t = arg;
  struct timespec ts = {60, 0};
  errno = 0;
  t->rc = vsig_nanosleep(&ts, NULL);
  t->err = errno;
  atomic_store(&t->done, 1);
  return NULL;
}

static void on_wake(void *arg) { atomic_store(&((struct th *)arg)->woken, 1); }

static void *embedder_call(void *arg) {
  struct th *t = arg;
  int rc = vsig_block_begin(1, on_wake, t);
  CHECK_EQ(rc, 0);
  while (!atomic_load(&t->woken) && !atomic_load(&quit))
    pause_briefly(); /* the embedder's own wait */
  t->rc = vsig_block_end();
  atomic_store(&t->done, 1);
  return NULL;
}

static void *blocked_usr1(void *arg) {
  /* Keeps SIGUSR1 blocked so that it goes to the other threads. */
  struct th *t = arg;
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGUSR1);
  vsig_sigaddset(&set, VSIG_SIGUSR2);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &set, NULL), 0);
  return sigwaiting(t);
}

static void *setup_actions(void *arg) {
  (void)arg;
  vsig_sigaction_t a = {.sa_handler = on_usr1};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &a, NULL), 0);
  vsig_sigaction_t r = {.sa_handler = on_rt};
  CHECK_EQ(vsig_sigaction(VSIG_SIGRTMIN, &r, NULL), 0);
  return NULL;
}

static long still(struct th *t) {
  settle();
  long a = atomic_load(&t->progress);
  settle();
  return atomic_load(&t->progress) - a;
}

TEST(stop_and_continue_with_threads_in_every_state) {
  vsig_set_jobctl_callback(on_jobctl, NULL);
  vsig_pid_t p = mkproc(VSIG_PID_NONE);
  in_proc(p, setup_actions, NULL);
  struct th poll = {0}, spin = {0}, hand = {0}, sw = {0}, pa = {0}, sl = {0}, emb = {0};
  poll.h = in_proc_async(p, polling, &poll, &poll.id);
  spin.h = in_proc_async(p, spinning_async, &spin, &spin.id);
  hand.h = in_proc_async(p, in_handler, &hand, &hand.id);
  sw.h = in_proc_async(p, blocked_usr1, &sw, &sw.id);
  pa.h = in_proc_async(p, pausing, &pa, &pa.id);
  sl.h = in_proc_async(p, sleeping, &sl, &sl.id);
  emb.h = in_proc_async(p, embedder_call, &emb, &emb.id);
  WAIT_FOR(atomic_load(&in_rt_handler));
  WAIT_FOR(thread_state(sw.id) == VSIG_THREAD_SIGWAIT);
  WAIT_FOR(thread_state(pa.id) == VSIG_THREAD_INTERRUPTIBLE);
  WAIT_FOR(thread_state(sl.id) == VSIG_THREAD_INTERRUPTIBLE);
  WAIT_FOR(thread_state(emb.id) == VSIG_THREAD_INTERRUPTIBLE);
  WAIT_FOR(atomic_load(&spin.progress) > 0 && atomic_load(&poll.progress) > 0);

  CHECK_EQ(vsig_kill(p, VSIG_SIGSTOP), 0);
  CHECK_EQ(stopped(p), 1);
  CHECK_EQ(atomic_load(&jc_calls), 1);
  CHECK_EQ(atomic_load(&jc_last_pid), p);
  CHECK_EQ(atomic_load(&jc_last_stopped), 1);
  CHECK_EQ(atomic_load(&jc_last_sig), VSIG_SIGSTOP);
  /* Running code parks: the poller at its next vsig_poll, the spinner by an
   * interrupt. */
  CHECK_EQ(still(&poll), 0);
  CHECK_EQ(still(&spin), 0);
  /* Nothing is delivered while stopped: not a handler, not a waited signal. */
  CHECK_EQ(vsig_kill(p, VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_kill(p, VSIG_SIGUSR2), 0);
  /* A handler left while stopped parks on its way out. */
  atomic_store(&rt_release, 1);
  settle();
  CHECK_EQ(atomic_load(&usr1_runs), 0);
  CHECK_EQ(atomic_load(&sw.done), 0);
  CHECK_EQ(atomic_load(&pa.done), 0);
  CHECK_EQ(atomic_load(&sl.done), 0);
  CHECK_EQ(atomic_load(&emb.done), 0);
  CHECK_EQ(atomic_load(&hand.done), 0);
  CHECK_EQ(stopped(p), 1);
  /* SIGSTOP again: no second stop, no second report. */
  CHECK_EQ(vsig_kill(p, VSIG_SIGSTOP), 0);
  CHECK_EQ(atomic_load(&jc_calls), 1);

  CHECK_EQ(vsig_kill(p, VSIG_SIGCONT), 0);
  CHECK_EQ(stopped(p), 0);
  CHECK_EQ(atomic_load(&jc_calls), 2);
  CHECK_EQ(atomic_load(&jc_last_stopped), 0);
  CHECK_EQ(atomic_load(&jc_last_sig), VSIG_SIGCONT);
  WAIT_FOR(atomic_load(&sw.done));
  CHECK_EQ(sw.rc, 0);
  CHECK_EQ(sw.err, VSIG_SIGUSR2);
  WAIT_FOR(atomic_load(&usr1_runs) == 1);
  WAIT_FOR(atomic_load(&hand.done));
  long before = atomic_load(&poll.progress), sbefore = atomic_load(&spin.progress);
  WAIT_FOR(atomic_load(&poll.progress) > before && atomic_load(&spin.progress) > sbefore);
  atomic_store(&quit, 1);
  CHECK_EQ(vsig_kill(p, VSIG_SIGKILL), 0); /* ends the waits */
  struct th *all[] = {&poll, &spin, &hand, &sw, &pa, &sl, &emb};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    CHECK_EQ(pthread_join(all[i]->h, NULL), 0);
  vsig_set_jobctl_callback(NULL, NULL);
}

/* ---- what a stopped process does with signals ----------------------------------------- */

TEST(a_stopped_process_keeps_fatal_signals_until_sigcont_but_not_sigkill) {
  vsig_pid_t p = mkproc(VSIG_PID_NONE);
  CHECK_EQ(vsig_kill(p, VSIG_SIGSTOP), 0);
  CHECK_EQ(stopped(p), 1);
  CHECK_EQ(vsig_kill(p, VSIG_SIGTERM), 0);
  CHECK_EQ(term_of(p), 0); /* pending */
  CHECK_EQ(stopped(p), 1);
  CHECK_EQ(vsig_kill(p, VSIG_SIGCONT), 0);
  CHECK_EQ(term_of(p), VSIG_SIGTERM);
  vsig_pid_t q = mkproc(VSIG_PID_NONE);
  CHECK_EQ(vsig_kill(q, VSIG_SIGSTOP), 0);
  CHECK_EQ(vsig_kill(q, VSIG_SIGKILL), 0);
  CHECK_EQ(term_of(q), VSIG_SIGKILL);
  CHECK_EQ(stopped(q), 0);
}

static void on_any(int sig) { (void)sig; }
static void *catch_and_block(void *arg) {
  (void)arg;
  vsig_sigaction_t a = {.sa_handler = on_any};
  const int sigs[] = {VSIG_SIGTSTP, VSIG_SIGTTIN, VSIG_SIGCONT};
  for (int i = 0; i < 3; i++)
    CHECK_EQ(vsig_sigaction(sigs[i], &a, NULL), 0);
  return NULL;
}

/* A thread that blocks everything and reads the pending set on request (a
 * new thread would take what its empty mask lets through). */
struct holder {
  _Atomic int quit, ask, ready;
  vsig_sigset_t set;
  vsig_thread_t id;
};
static void *hold_blocked(void *arg) {
  struct holder *h = arg;
  vsig_sigset_t all;
  vsig_sigfillset(&all);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &all, NULL), 0);
  atomic_store(&h->ready, 1);
  while (!atomic_load(&h->quit)) {
    if (atomic_load(&h->ask)) {
      CHECK_EQ(vsig_sigpending(&h->set), 0);
      atomic_store(&h->ask, 0);
    }
    pause_briefly();
  }
  return NULL;
}
static vsig_sigset_t pending_on(struct holder *h) {
  atomic_store(&h->ask, 1);
  WAIT_FOR(!atomic_load(&h->ask));
  return h->set;
}

TEST(sigcont_discards_pending_stop_signals_and_a_stop_pending_sigcont) {
  vsig_pid_t p = mkproc(VSIG_PID_NONE);
  in_proc(p, catch_and_block, NULL);
  struct holder hd = {0};
  pthread_t h = in_proc_async(p, hold_blocked, &hd, &hd.id);
  WAIT_FOR(atomic_load(&hd.ready));
  CHECK_EQ(vsig_kill(p, VSIG_SIGTSTP), 0);
  CHECK_EQ(vsig_kill(p, VSIG_SIGTTIN), 0);
  vsig_sigset_t s = pending_on(&hd);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGTSTP), 1);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGTTIN), 1);
  CHECK_EQ(vsig_kill(p, VSIG_SIGCONT), 0); /* caught and blocked: still discards them */
  s = pending_on(&hd);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGTSTP), 0);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGTTIN), 0);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGCONT), 1);
  CHECK_EQ(vsig_kill(p, VSIG_SIGTSTP), 0);
  s = pending_on(&hd);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGCONT), 0);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGTSTP), 1);
  /* Thread-directed ones too. */
  CHECK_EQ(vsig_pthread_kill(hd.id, VSIG_SIGCONT), 0);
  s = pending_on(&hd);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGTSTP), 0);
  CHECK_EQ(vsig_pthread_kill(hd.id, VSIG_SIGTTIN), 0);
  s = pending_on(&hd);
  CHECK_EQ(vsig_sigismember(&s, VSIG_SIGCONT), 0);
  atomic_store(&hd.quit, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
}

/* ---- the parent's view ------------------------------------------------------------------ */

struct w {
  vsig_pid_t pid;
  int options;
  vsig_pid_t rc;
  int err, status;
};
static void *do_waitpid(void *arg) {
  struct w *w = arg;
  errno = 0;
  w->rc = vsig_waitpid(w->pid, &w->status, w->options);
  w->err = errno;
  return NULL;
}
static struct w wait_in(vsig_pid_t parent, vsig_pid_t pid, int options) {
  struct w w = {.pid = pid, .options = options, .status = -1};
  in_proc(parent, do_waitpid, &w);
  return w;
}

struct catcher {
  vsig_siginfo_t info[4];
  int n, want;
  vsig_thread_t id;
  pthread_t h;
};
static void *catch_sigchld(void *arg) {
  struct catcher *c = arg;
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGCHLD);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &set, NULL), 0);
  while (c->n < c->want)
    CHECK_EQ(vsig_sigwaitinfo(&set, &c->info[c->n++]), VSIG_SIGCHLD);
  return NULL;
}

static void *set_sigchld_flags(void *arg) {
  vsig_sigaction_t a = {.sa_handler = on_any, .sa_flags = *(int *)arg};
  CHECK_EQ(vsig_sigaction(VSIG_SIGCHLD, &a, NULL), 0);
  return NULL;
}

/* SIGCHLD recorded by a handler, whichever thread of the parent runs it (a
 * new thread has nothing blocked, so a sigwait catcher could miss one). */
static _Atomic int chld_codes[8], chld_status[8], nchld;
static void on_chld_info(int sig, vsig_siginfo_t *info, void *uc) {
  (void)sig;
  (void)uc;
  int n = atomic_fetch_add(&nchld, 1);
  if (n < 8) {
    atomic_store(&chld_status[n], info->si_status);
    atomic_store(&chld_codes[n], info->si_code);
  }
}
static void *record_sigchld(void *arg) {
  (void)arg;
  vsig_sigaction_t a = {.sa_sigaction = on_chld_info,
                        .sa_flags = VSIG_SA_SIGINFO | VSIG_SA_RESTART};
  CHECK_EQ(vsig_sigaction(VSIG_SIGCHLD, &a, NULL), 0);
  return NULL;
}
static void *run_pending(void *arg) {
  (void)arg; /* attaching runs what is pending on the process */
  return NULL;
}

TEST(the_parent_sees_stop_and_continue) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE), c = mkproc(par);
  in_proc(par, record_sigchld, NULL);
  CHECK_EQ(vsig_kill(c, VSIG_SIGSTOP), 0);
  CHECK_EQ(wait_in(par, c, VSIG_WNOHANG).rc, 0); /* without WUNTRACED: nothing */
  struct w w = wait_in(par, c, VSIG_WUNTRACED);
  CHECK_EQ(w.rc, c);
  CHECK(VSIG_WIFSTOPPED(w.status));
  CHECK_EQ(VSIG_WSTOPSIG(w.status), VSIG_SIGSTOP);
  CHECK_EQ(wait_in(par, c, VSIG_WUNTRACED | VSIG_WNOHANG).rc, 0); /* reported once */
  CHECK_EQ(vsig_kill(c, VSIG_SIGCONT), 0);
  w = wait_in(par, c, VSIG_WCONTINUED);
  CHECK_EQ(w.rc, c);
  CHECK(VSIG_WIFCONTINUED(w.status));
  in_proc(par, run_pending, NULL);
  CHECK_EQ(atomic_load(&nchld), 2);
  CHECK_EQ(atomic_load(&chld_codes[0]), VSIG_CLD_STOPPED);
  CHECK_EQ(atomic_load(&chld_status[0]), VSIG_SIGSTOP);
  CHECK_EQ(atomic_load(&chld_codes[1]), VSIG_CLD_CONTINUED);
  CHECK_EQ(atomic_load(&chld_status[1]), VSIG_SIGCONT);
  /* A stopped child killed: its end is what a wait reports. */
  CHECK_EQ(vsig_kill(c, VSIG_SIGSTOP), 0);
  CHECK_EQ(vsig_kill(c, VSIG_SIGKILL), 0);
  w = wait_in(par, c, 0);
  CHECK_EQ(VSIG_WTERMSIG(w.status), VSIG_SIGKILL);
}

TEST(sa_nocldstop_keeps_sigchld_for_ends_only) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE), c = mkproc(par);
  int flags = VSIG_SA_NOCLDSTOP;
  in_proc(par, set_sigchld_flags, &flags);
  struct catcher ct = {.want = 1};
  ct.h = in_proc_async(par, catch_sigchld, &ct, &ct.id);
  WAIT_FOR(thread_state(ct.id) == VSIG_THREAD_SIGWAIT);
  CHECK_EQ(vsig_kill(c, VSIG_SIGSTOP), 0);
  CHECK_EQ(vsig_kill(c, VSIG_SIGCONT), 0);
  CHECK_EQ(vsig_proc_exit(c, 1), 0);
  CHECK_EQ(pthread_join(ct.h, NULL), 0);
  CHECK_EQ(ct.info[0].si_code, VSIG_CLD_EXITED); /* the first one it got */
}

/* ---- orphaned groups ------------------------------------------------------------------- */

static void *own_group(void *arg) {
  (void)arg;
  CHECK_EQ(vsig_setpgid(0, 0), 0);
  return NULL;
}

TEST(terminal_stop_signals_do_not_stop_an_orphaned_group) {
  vsig_pid_t root = mkproc(VSIG_PID_NONE); /* its group has no parent outside it */
  CHECK_EQ(vsig_kill(root, VSIG_SIGTSTP), 0);
  CHECK_EQ(vsig_kill(root, VSIG_SIGTTIN), 0);
  CHECK_EQ(vsig_kill(root, VSIG_SIGTTOU), 0);
  CHECK_EQ(stopped(root), 0);
  CHECK_EQ(vsig_kill(root, VSIG_SIGSTOP), 0); /* SIGSTOP always */
  CHECK_EQ(stopped(root), 1);
  CHECK_EQ(vsig_kill(root, VSIG_SIGCONT), 0);
  /* A child in a group of its own, whose parent is in the session: the
   * shell's case. Its terminal stops stop it. */
  vsig_pid_t job = mkproc(root);
  in_proc(job, own_group, NULL);
  CHECK_EQ(vsig_kill(job, VSIG_SIGTSTP), 0);
  CHECK_EQ(stopped(job), 1);
  CHECK_EQ(vsig_kill(job, VSIG_SIGCONT), 0);
  CHECK_EQ(vsig_kill(job, VSIG_SIGTTOU), 0);
  CHECK_EQ(stopped(job), 1);
  CHECK_EQ(vsig_kill(job, VSIG_SIGCONT), 0);
  CHECK_EQ(stopped(job), 0);
}

static _Atomic int order[4], norder;
static void record(int sig) { atomic_store(&order[atomic_fetch_add(&norder, 1) & 3], sig); }
static void *record_hup_cont(void *arg) {
  (void)arg;
  vsig_sigaction_t a = {.sa_handler = record};
  CHECK_EQ(vsig_sigaction(VSIG_SIGHUP, &a, NULL), 0);
  CHECK_EQ(vsig_sigaction(VSIG_SIGCONT, &a, NULL), 0);
  return NULL;
}
static void *poll_until_two(void *arg) {
  (void)arg;
  while (atomic_load(&norder) < 2)
    vsig_poll();
  return NULL;
}

TEST(a_group_orphaned_with_a_stopped_member_gets_sighup_then_sigcont) {
  vsig_pid_t reaper = mkproc(VSIG_PID_NONE); /* another session */
  CHECK_EQ(vsig_set_reaper(reaper), 0);
  vsig_pid_t shell = mkproc(VSIG_PID_NONE), job = mkproc(shell);
  in_proc(job, own_group, NULL);
  in_proc(job, record_hup_cont, NULL);
  pthread_t h = in_proc_async(job, poll_until_two, NULL, NULL);
  CHECK_EQ(vsig_kill(job, VSIG_SIGSTOP), 0);
  CHECK_EQ(stopped(job), 1);
  CHECK_EQ(vsig_proc_exit(shell, 0), 0); /* job's group loses its shell */
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(stopped(job), 0);
  /* Both came while it was stopped (SIGHUP sent first), so both are due when
   * it continues: their frames nest as the kernel's do, SIGHUP's below, so
   * SIGCONT's handler runs first. */
  CHECK_EQ(atomic_load(&order[0]), VSIG_SIGCONT);
  CHECK_EQ(atomic_load(&order[1]), VSIG_SIGHUP);
  /* Orphaned now: a terminal stop no longer stops it. */
  CHECK_EQ(vsig_kill(job, VSIG_SIGTSTP), 0);
  CHECK_EQ(stopped(job), 0);
  CHECK_EQ(vsig_set_reaper(0), 0);
}

TEST(a_group_orphaned_with_no_stopped_member_gets_nothing) {
  vsig_pid_t reaper = mkproc(VSIG_PID_NONE);
  CHECK_EQ(vsig_set_reaper(reaper), 0);
  vsig_pid_t shell = mkproc(VSIG_PID_NONE), job = mkproc(shell);
  in_proc(job, own_group, NULL);
  CHECK_EQ(vsig_proc_exit(shell, 0), 0);
  /* No thread: a SIGHUP would have ended it (default action). */
  CHECK_EQ(term_of(job), 0);
  CHECK_EQ(vsig_set_reaper(0), 0);
}

TEST(proc_stopped_errors) {
  int s;
  CHECK_EQ(vsig_proc_stopped(vsig_getpid(), NULL), EINVAL);
  vsig_pid_t gone = mkproc(VSIG_PID_NONE);
  CHECK_EQ(vsig_proc_destroy(gone), 0);
  CHECK_EQ(vsig_proc_stopped(gone, &s), ESRCH);
}

/* ---- job control at every kind of generation ----------------------------------------- */

static void *raise_cont_discards_tstp(void *arg) {
  (void)arg;
  vsig_sigaction_t a = {.sa_handler = on_any};
  CHECK_EQ(vsig_sigaction(VSIG_SIGTSTP, &a, NULL), 0);
  CHECK_EQ(vsig_sigaction(VSIG_SIGCONT, &a, NULL), 0);
  vsig_sigset_t set, p;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGTSTP);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &set, NULL), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGTSTP), 0);
  CHECK_EQ(vsig_sigpending(&p), 0);
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGTSTP), 1);
  CHECK_EQ(vsig_raise(VSIG_SIGCONT), 0); /* caught, unblocked: still discards */
  CHECK_EQ(vsig_sigpending(&p), 0);
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGTSTP), 0);
  return NULL;
}

TEST(raise_applies_the_job_control_rules) {
  in_proc(mkproc(VSIG_PID_NONE), raise_cont_discards_tstp, NULL);
}

static void *arm_cont_timer(void *arg) {
  (void)arg;
  vsig_sigevent_t ev = {0};
  ev.sigev_notify = VSIG_SIGEV_SIGNAL;
  ev.sigev_signo = VSIG_SIGCONT;
  vsig_timer_t id;
  CHECK_EQ(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &ev, &id), 0);
  vsig_itimerspec_t its = {.it_value = {1, 0}};
  CHECK_EQ(vsig_timer_settime(id, 0, &its, NULL), 0);
  return NULL;
}

TEST(a_timers_sigcont_continues) {
  CHECK_EQ(vsig_clock_set_manual(0), 0);
  vsig_pid_t p = mkproc(VSIG_PID_NONE);
  in_proc(p, arm_cont_timer, NULL);
  CHECK_EQ(vsig_kill(p, VSIG_SIGSTOP), 0);
  CHECK_EQ(stopped(p), 1);
  CHECK_EQ(vsig_clock_advance(1000000000), 0);
  CHECK_EQ(stopped(p), 0);
}

static _Atomic int woken;
static void wake_me(void *arg) {
  (void)arg;
  atomic_store(&woken, 1);
}
static void *embedder_blocks(void *arg) {
  (void)arg;
  CHECK_EQ(vsig_block_begin(1, wake_me, NULL), 0);
  WAIT_FOR(atomic_load(&woken));
  CHECK_EQ(vsig_block_end(), ECANCELED);
  return NULL;
}

TEST(sigkill_of_a_stopped_process_wakes_an_embedder_call) {
  vsig_pid_t p = mkproc(VSIG_PID_NONE);
  vsig_thread_t id;
  pthread_t h = in_proc_async(p, embedder_blocks, NULL, &id);
  WAIT_FOR(thread_state(id) == VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(vsig_kill(p, VSIG_SIGSTOP), 0);
  CHECK_EQ(atomic_load(&woken), 0);
  CHECK_EQ(vsig_kill(p, VSIG_SIGKILL), 0);
  CHECK_EQ(atomic_load(&woken), 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
}

TEST(destroying_a_shell_sends_its_stopped_jobs_sighup_and_sigcont) {
  vsig_pid_t reaper = mkproc(VSIG_PID_NONE);
  CHECK_EQ(vsig_set_reaper(reaper), 0);
  vsig_pid_t shell = mkproc(VSIG_PID_NONE), job = mkproc(shell);
  in_proc(job, own_group, NULL);
  CHECK_EQ(vsig_kill(job, VSIG_SIGSTOP), 0);
  CHECK_EQ(vsig_proc_destroy(shell), 0);
  /* No thread and SIGHUP at its default: it ended of it, at once. */
  CHECK_EQ(term_of(job), VSIG_SIGHUP);
  CHECK_EQ(vsig_set_reaper(0), 0);
}

/* A stop and a continue sent at once, many times: the parent's last report
 * and the embedder's last callback always match the process's state. */
static _Atomic int cb_last_stopped = -1;
static void last_state(vsig_pid_t pid, int is_stopped, int sig, void *arg) {
  (void)pid;
  (void)sig;
  (void)arg;
  atomic_store(&cb_last_stopped, is_stopped);
}

struct racing {
  vsig_pid_t p;
  int sig;
  pthread_barrier_t *start, *end;
  int rounds;
};
static void *send_each_round(void *arg) {
  struct racing *r = arg;
  for (int i = 0; i < r->rounds; i++) {
    pthread_barrier_wait(r->start);
    CHECK_EQ(vsig_kill(r->p, r->sig), 0);
    pthread_barrier_wait(r->end);
  }
  return NULL;
}

TEST(racing_stop_and_continue_reports_end_in_the_final_state) {
  vsig_set_jobctl_callback(last_state, NULL);
  vsig_pid_t par = mkproc(VSIG_PID_NONE), p = mkproc(par);
  enum { ROUNDS = 2000 };
  pthread_barrier_t start, end;
  pthread_barrier_init(&start, NULL, 3);
  pthread_barrier_init(&end, NULL, 3);
  struct racing a = {p, VSIG_SIGSTOP, &start, &end, ROUNDS};
  struct racing b = {p, VSIG_SIGCONT, &start, &end, ROUNDS};
  pthread_t ha, hb;
  CHECK_EQ(pthread_create(&ha, NULL, send_each_round, &a), 0);
  CHECK_EQ(pthread_create(&hb, NULL, send_each_round, &b), 0);
  for (int i = 0; i < ROUNDS; i++) {
    pthread_barrier_wait(&start);
    pthread_barrier_wait(&end);
    int s = stopped(p);
    int told = atomic_load(&cb_last_stopped);
    if (told != -1 && told != s)
      VT_FAIL("round %d: stopped %d, last callback said %d", i, s, told);
    /* The parent's reports: the last one a wait sees is the current state. */
    int last = -1;
    struct w w;
    while ((w = wait_in(par, p, VSIG_WUNTRACED | VSIG_WCONTINUED | VSIG_WNOHANG)).rc == p)
      last = VSIG_WIFSTOPPED(w.status);
    if (last != -1 && last != s)
      VT_FAIL("round %d: stopped %d, the parent's last report said %d", i, s, last);
  }
  CHECK_EQ(pthread_join(ha, NULL), 0);
  CHECK_EQ(pthread_join(hb, NULL), 0);
  vsig_set_jobctl_callback(NULL, NULL);
}
