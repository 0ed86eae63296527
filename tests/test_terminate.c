/* SPDX-License-Identifier: MIT */
/*
 * Default actions: default-ignore signals are discarded; a terminating default
 * action ends the virtual process. Its threads leave blocking vsig calls with
 * ECANCELED, vsig_poll returns the signal, vsig_proc_status reports it, and the
 * terminate callback hears of it once. Without a callback, the default process
 * takes the host process down with that signal, as a native one would.
 */
#include "vt.h"
#include "workers.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vsig.h>

#define NONE SET(0)

static _Atomic int cb_calls;
static _Atomic vsig_pid_t cb_pid;
static _Atomic int cb_sig;

static void on_terminate(vsig_pid_t pid, int sig, void *arg) {
  CHECK(arg == &cb_calls);
  atomic_store(&cb_pid, pid);
  atomic_store(&cb_sig, sig);
  atomic_fetch_add(&cb_calls, 1);
}

static void *install_kick_only(void *arg) {
  (void)arg;
  install_kick();
  return NULL;
}

/* A root: its own session and group (kill(-pid) reaches it). */
static vsig_pid_t new_proc(void) {
  vsig_pid_t pid;
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.parent = VSIG_PID_NONE;
  CHECK_EQ(vsig_proc_create(&a, &pid), 0);
  run_in(pid, install_kick_only, NULL);
  return pid;
}

static int status_of(vsig_pid_t pid) {
  int term = -1;
  CHECK_EQ(vsig_proc_status(pid, &term), 0);
  return term;
}

static const int terminating[] = {
    VSIG_SIGHUP,    VSIG_SIGINT,  VSIG_SIGQUIT, VSIG_SIGILL,    VSIG_SIGTRAP, VSIG_SIGABRT,
    VSIG_SIGBUS,    VSIG_SIGFPE,  VSIG_SIGKILL, VSIG_SIGUSR1,   VSIG_SIGSEGV, VSIG_SIGUSR2,
    VSIG_SIGPIPE,   VSIG_SIGALRM, VSIG_SIGTERM, VSIG_SIGSTKFLT, VSIG_SIGXCPU, VSIG_SIGXFSZ,
    VSIG_SIGVTALRM, VSIG_SIGPROF, VSIG_SIGIO,   VSIG_SIGPWR,    VSIG_SIGSYS,  0};

static const int default_ignore[] = {VSIG_SIGCHLD, VSIG_SIGURG, VSIG_SIGWINCH, 0};

/* ---- default ignore ---------------------------------------------------------- */

TEST(default_ignore_signals_are_discarded) {
  vsig_pid_t p = new_proc();
  struct worker r = {0}, w = {0};
  start(&r, p, W_READY, 0, NONE, NONE);
  for (const int *s = default_ignore; *s; s++) {
    CHECK_EQ(vsig_kill(p, *s), 0);
    CHECK_EQ(vsig_sigqueue(p, *s, (vsig_sigval_t){.sival_int = 1}), 0);
    CHECK_EQ(vsig_pthread_kill(r.id, *s), 0);
  }
  /* Nothing arrives later either: once blocked, none of them is pending. */
  vsig_sigset_t ign = SET(VSIG_SIGCHLD, VSIG_SIGURG, VSIG_SIGWINCH);
  CHECK_EQ(command(&r, C_BLOCK, ign), 0);
  CHECK_EQ(command(&r, C_SIGPENDING, NONE), 0);
  CHECK_EQ(r.cmd_out.bits, 0);
  CHECK_EQ(status_of(p), 0);
  /* The process still works. */
  start(&w, p, W_SIGWAITINFO, 0, SET(VSIG_SIGRTMIN), SET(VSIG_SIGRTMIN));
  CHECK_EQ(vsig_sigqueue(p, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 3}), 0);
  wait_done(&w);
  CHECK_EQ(w.info.si_value.sival_int, 3);
  stop_worker(&r);
  stop_worker(&w);
  CHECK_EQ(status_of(p), 0);
}

TEST(default_ignore_signals_are_discarded_in_the_default_process) {
  for (const int *s = default_ignore; *s; s++) {
    CHECK_EQ(vsig_kill(getpid(), *s), 0);
    CHECK_EQ(vsig_raise(*s), 0);
  }
  vsig_sigset_t ign = SET(VSIG_SIGCHLD, VSIG_SIGURG, VSIG_SIGWINCH), pend;
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &ign, NULL), 0);
  CHECK_EQ(vsig_sigpending(&pend), 0);
  CHECK_EQ(pend.bits, 0);
  CHECK_EQ(status_of(getpid()), 0);
}

/* ---- termination --------------------------------------------------------------- */

TEST(terminating_signal_ends_every_blocking_call_with_ecanceled) {
  vsig_set_terminate_callback(on_terminate, &cb_calls);
  vsig_pid_t p = new_proc();
  struct worker ready = {0}, swi = {0}, stw = {0}, sw = {0}, pa = {0}, su = {0}, ns = {0};
  struct worker bi = {.hold = true}, bn = {0};
  vsig_sigset_t usr2 = SET(VSIG_SIGUSR2);
  /* Every thread but the ready one blocks SIGTERM, so the ready one is picked. */
  vsig_sigset_t term = SET(VSIG_SIGTERM, VSIG_SIGUSR2);
  start(&swi, p, W_SIGWAITINFO, 0, term, usr2);
  start(&stw, p, W_SIGTIMEDWAIT, 0, term, usr2);
  start(&sw, p, W_SIGWAIT, 0, term, usr2);
  start(&pa, p, W_PAUSE, 0, term, NONE);
  start(&su, p, W_SIGSUSPEND, 0, NONE, term);
  start(&ns, p, W_NANOSLEEP, 0, term, NONE);
  start(&bi, p, W_BLOCK_INTR, 0, term, NONE);
  start(&bn, p, W_BLOCK_NONINTR, 0, term, NONE);
  start(&ready, p, W_READY, 0, NONE, NONE);

  CHECK_EQ(vsig_kill(p, VSIG_SIGTERM), 0);
  CHECK_EQ(status_of(p), VSIG_SIGTERM);
  CHECK_EQ(atomic_load(&cb_calls), 1);
  CHECK_EQ(atomic_load(&cb_pid), p);
  CHECK_EQ(atomic_load(&cb_sig), VSIG_SIGTERM);

  struct worker *calls[] = {&swi, &stw, &pa, &su, &ns};
  for (size_t i = 0; i < sizeof calls / sizeof *calls; i++) {
    wait_done(calls[i]);
    CHECK_EQ(calls[i]->rc, -1);
    CHECK_EQ(calls[i]->err, ECANCELED);
  }
  wait_done(&sw);
  CHECK_EQ(sw.rc, ECANCELED); /* sigwait returns its error */
  /* The interruptible embedder call is woken; both leave with ECANCELED. */
  WAIT_UNTIL(atomic_load(&bi.woken) >= 1);
  atomic_store(&bi.stop, 1);
  atomic_store(&bn.stop, 1);
  wait_done(&bi);
  wait_done(&bn);
  CHECK_EQ(bi.rc, ECANCELED);
  CHECK_EQ(bn.rc, ECANCELED);
  /* A thread at a safe point learns it from vsig_poll. */
  WAIT_UNTIL(ready.poll_rc != 0);
  CHECK_EQ(ready.poll_rc, VSIG_SIGTERM);

  /* Calls made after the end fail the same way, without blocking. */
  command(&ready, C_PAUSE, NONE);
  CHECK_EQ(ready.cmd_rc, -1);
  CHECK_EQ(ready.cmd_err, ECANCELED);
  command(&ready, C_TAKE, usr2);
  CHECK_EQ(ready.cmd_rc, -1);
  CHECK_EQ(ready.cmd_err, ECANCELED);
  command(&ready, C_BLOCKCALL, NONE);
  CHECK_EQ(ready.cmd_rc, ECANCELED);

  stop_worker(&ready);
  struct worker *rest[] = {&swi, &stw, &sw, &pa, &su, &ns, &bi, &bn};
  for (size_t i = 0; i < sizeof rest / sizeof *rest; i++)
    stop_worker(rest[i]);
  CHECK_EQ(atomic_load(&cb_calls), 1);
  CHECK_EQ(status_of(p), VSIG_SIGTERM);
  /* With no thread left the process can be removed. */
  CHECK_EQ(vsig_proc_destroy(p), 0);
}

TEST(zombie_accepts_kill_and_stays_terminated) {
  vsig_set_terminate_callback(on_terminate, &cb_calls);
  vsig_pid_t p = new_proc();
  struct worker r = {0};
  start(&r, p, W_READY, 0, NONE, NONE);
  CHECK_EQ(vsig_kill(p, VSIG_SIGINT), 0);
  CHECK_EQ(status_of(p), VSIG_SIGINT);
  CHECK_EQ(vsig_kill(p, VSIG_SIGTERM), 0);
  CHECK_EQ(vsig_kill(p, VSIG_SIGKILL), 0);
  CHECK_EQ(vsig_kill(p, 0), 0);
  CHECK_EQ(vsig_kill(-p, VSIG_SIGHUP), 0);
  CHECK_EQ(vsig_sigqueue(p, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 1}), 0);
  CHECK_EQ(vsig_pthread_kill(r.id, VSIG_SIGUSR1), 0);
  CHECK_EQ(status_of(p), VSIG_SIGINT);
  CHECK_EQ(atomic_load(&cb_calls), 1);
  CHECK_EQ(atomic_load(&cb_sig), VSIG_SIGINT);
  stop_worker(&r);
  CHECK_EQ(vsig_kill(p, VSIG_SIGTERM), 0); /* no threads left: still a zombie */
  CHECK_EQ(status_of(p), VSIG_SIGINT);
  CHECK_EQ(atomic_load(&cb_calls), 1);
}

struct racer {
  vsig_pid_t p;
  int sig;
  _Atomic int *go;
};

static void *race_kill(void *arg) {
  struct racer *r = arg;
  while (!atomic_load(r->go))
    sched_yield();
  CHECK_EQ(vsig_kill(r->p, r->sig), 0);
  return NULL;
}

TEST(terminate_callback_is_told_exactly_once_under_concurrent_senders) {
  vsig_set_terminate_callback(on_terminate, &cb_calls);
  (void)vsig_getpid(); /* the default process exists from the first call */
  vsig_pid_t p = new_proc();
  struct worker r1 = {0}, r2 = {0};
  start(&r1, p, W_READY, 0, NONE, NONE);
  start(&r2, p, W_READY, 0, NONE, NONE);
  enum { N = 6 };
  static const int sigs[N] = {VSIG_SIGTERM, VSIG_SIGINT,   VSIG_SIGHUP,
                              VSIG_SIGUSR1, VSIG_SIGRTMIN, VSIG_SIGQUIT};
  _Atomic int go = 0;
  struct racer rs[N];
  pthread_t h[N];
  for (int i = 0; i < N; i++) {
    rs[i] = (struct racer){p, sigs[i], &go};
    CHECK_EQ(vsig_thread_create(&h[i], NULL, getpid(), 0, race_kill, &rs[i]), 0);
  }
  atomic_store(&go, 1);
  for (int i = 0; i < N; i++)
    CHECK_EQ(pthread_join(h[i], NULL), 0);
  CHECK_EQ(atomic_load(&cb_calls), 1);
  CHECK_EQ(atomic_load(&cb_pid), p);
  int sig = atomic_load(&cb_sig);
  CHECK_EQ(status_of(p), sig);
  bool known = false;
  for (int i = 0; i < N; i++)
    known |= sig == sigs[i];
  CHECK(known);
  WAIT_UNTIL(r1.poll_rc != 0 && r2.poll_rc != 0);
  CHECK_EQ(r1.poll_rc, sig);
  CHECK_EQ(r2.poll_rc, sig);
  stop_worker(&r1);
  stop_worker(&r2);
  CHECK_EQ(atomic_load(&cb_calls), 1);
}

/* One host thread attaches to a fresh process per signal and kills its own
 * process: step 2 picks it, and the default action ends the process. */
static void *each_signal(void *arg) {
  (void)arg;
  int count = 0;
  for (int sig = 1; sig < VSIG_NSIG; sig++) {
    bool terminates = sig >= VSIG_SIGRTMIN;
    for (const int *s = terminating; *s; s++)
      terminates |= *s == sig;
    vsig_pid_t p;
    CHECK_EQ(vsig_proc_create(NULL, &p), 0);
    if (sig == VSIG_SIGSTOP) {
      /* Stops it (test_jobctl.c); a stopped thread would not come back here. */
      CHECK_EQ(vsig_kill(p, sig), 0);
      int stopped = 0;
      CHECK_EQ(vsig_proc_stopped(p, &stopped), 0);
      CHECK_EQ(stopped, 1);
      CHECK_EQ(vsig_kill(p, VSIG_SIGCONT), 0);
      CHECK_EQ(vsig_proc_stopped(p, &stopped), 0);
      CHECK_EQ(stopped, 0);
      CHECK_EQ(vsig_proc_destroy(p), 0);
      CHECK_EQ(vsig_thread_detach(), 0); /* the calls above made it the default process's */
      continue;
    }
    CHECK_EQ(vsig_thread_attach(p, 0), 0);
    CHECK_EQ(vsig_kill(p, sig), 0);
    int term = -1;
    CHECK_EQ(vsig_proc_status(p, &term), 0);
    if (terminates) {
      if (term != sig)
        VT_FAIL("signal %d: status %d", sig, term);
      CHECK_EQ(atomic_load(&cb_calls), ++count);
      CHECK_EQ(atomic_load(&cb_sig), sig);
      CHECK_EQ(atomic_load(&cb_pid), p);
      CHECK_EQ(vsig_poll(), sig);
    } else {
      /* Ignored and continue; the terminal stop signals are discarded too,
       * as p's group (the default process's) is orphaned: the default
       * process has no parent in vsig. */
      if (term != 0)
        VT_FAIL("signal %d: status %d", sig, term);
      CHECK_EQ(vsig_poll(), 0);
    }
    CHECK_EQ(vsig_thread_detach(), 0);
    CHECK_EQ(vsig_proc_destroy(p), 0);
  }
  return NULL;
}

TEST(every_terminating_default_action_terminates) {
  vsig_set_terminate_callback(on_terminate, &cb_calls);
  pthread_t h;
  CHECK_EQ(pthread_create(&h, NULL, each_signal, NULL), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
}

TEST(sigkill_terminates_even_when_every_thread_blocks_everything) {
  vsig_set_terminate_callback(on_terminate, &cb_calls);
  vsig_pid_t p = new_proc();
  struct worker r = {0}, w = {0};
  start(&r, p, W_READY, 0, allset(), NONE);
  start(&w, p, W_SIGWAITINFO, 0, allset(), SET(VSIG_SIGKILL, VSIG_SIGUSR1));
  CHECK_EQ(vsig_kill(p, VSIG_SIGKILL), 0);
  CHECK_EQ(status_of(p), VSIG_SIGKILL);
  CHECK_EQ(atomic_load(&cb_calls), 1);
  wait_done(&w);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, ECANCELED);
  stop_worker(&r);
  stop_worker(&w);
}

TEST(blocked_terminating_signal_terminates_only_when_unblocked) {
  vsig_set_terminate_callback(on_terminate, &cb_calls);
  vsig_pid_t p = new_proc();
  struct worker r = {0};
  start(&r, p, W_READY, 0, SET(VSIG_SIGTERM), NONE);
  CHECK_EQ(vsig_kill(p, VSIG_SIGTERM), 0);
  CHECK_EQ(status_of(p), 0);
  CHECK_EQ(atomic_load(&cb_calls), 0);
  command(&r, C_UNBLOCK, SET(VSIG_SIGTERM));
  CHECK_EQ(status_of(p), VSIG_SIGTERM);
  CHECK_EQ(atomic_load(&cb_calls), 1);
  WAIT_UNTIL(r.poll_rc != 0);
  CHECK_EQ(r.poll_rc, VSIG_SIGTERM);
  stop_worker(&r);
}

TEST(thread_directed_terminating_signal_terminates_the_whole_process) {
  vsig_set_terminate_callback(on_terminate, &cb_calls);
  vsig_pid_t p = new_proc();
  struct worker target = {.nopoll = true}, other = {0};
  start(&target, p, W_READY, 0, NONE, NONE);
  start(&other, p, W_PAUSE, 0, NONE, NONE);
  CHECK_EQ(vsig_pthread_kill(target.id, VSIG_SIGUSR2), 0);
  CHECK_EQ(status_of(p), VSIG_SIGUSR2);
  wait_done(&other);
  CHECK_EQ(other.err, ECANCELED);
  stop_worker(&target);
  stop_worker(&other);
  CHECK_EQ(atomic_load(&cb_calls), 1);
}

TEST(sigwait_accepts_a_signal_whose_default_would_terminate) {
  vsig_set_terminate_callback(on_terminate, &cb_calls);
  vsig_pid_t p = new_proc();
  struct worker w = {0};
  start(&w, p, W_SIGWAITINFO, 0, SET(VSIG_SIGTERM), SET(VSIG_SIGTERM));
  CHECK_EQ(vsig_kill(p, VSIG_SIGTERM), 0);
  wait_done(&w);
  CHECK_EQ(w.sig, VSIG_SIGTERM);
  CHECK_EQ(status_of(p), 0);
  CHECK_EQ(atomic_load(&cb_calls), 0);
  stop_worker(&w);
}

TEST(callback_for_the_default_process_keeps_the_host_alive) {
  vsig_set_terminate_callback(on_terminate, &cb_calls);
  CHECK_EQ(vsig_kill(getpid(), VSIG_SIGTERM), 0);
  CHECK_EQ(atomic_load(&cb_calls), 1);
  CHECK_EQ(atomic_load(&cb_pid), getpid());
  CHECK_EQ(atomic_load(&cb_sig), VSIG_SIGTERM);
  CHECK_EQ(status_of(getpid()), VSIG_SIGTERM);
  CHECK_ERRNO(vsig_pause(), ECANCELED);
  CHECK_EQ(vsig_poll(), VSIG_SIGTERM);
}

/* ---- the default process without a callback: the host process dies -------- */

enum how { BY_KILL, BY_RAISE, BY_OTHER_THREAD, BY_SIGQUEUE };

static _Atomic int poller_ready;

static void *poll_forever(void *arg) {
  int sig = *(int *)arg;
  vsig_sigset_t s = SET(sig);
  vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &s, NULL); /* it inherited the block */
  atomic_store(&poller_ready, 1);
  for (;;) {
    vsig_poll();
    sched_yield();
  }
  return NULL;
}

static void child_dies(int sig, enum how how) {
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    switch (how) {
    case BY_KILL:
      vsig_kill(getpid(), sig);
      break;
    case BY_RAISE:
      vsig_raise(sig);
      break;
    case BY_SIGQUEUE:
      vsig_sigqueue(getpid(), sig, (vsig_sigval_t){.sival_int = 1});
      break;
    case BY_OTHER_THREAD: {
      /* The main thread blocks it, so a polling thread is picked. */
      vsig_sigset_t s = SET(sig);
      vsig_sigprocmask(VSIG_SIG_BLOCK, &s, NULL);
      pthread_t h;
      vsig_thread_create(&h, NULL, getpid(), 0, poll_forever, &sig);
      while (!atomic_load(&poller_ready))
        sched_yield();
      vsig_kill(getpid(), sig);
      for (;;)
        sched_yield();
    }
    }
    _exit(99); /* still alive: wrong */
  }
  int st = 0;
  CHECK_EQ(waitpid(pid, &st, 0), pid);
  if (!WIFSIGNALED(st))
    VT_FAIL("signal %d: child exited with status %d instead of dying", sig,
            WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  CHECK_EQ(WTERMSIG(st), sig);
}

TEST(default_process_without_callback_kills_the_host_process) {
  child_dies(SIGTERM, BY_KILL);
  child_dies(SIGUSR1, BY_RAISE);
  child_dies(SIGHUP, BY_OTHER_THREAD);
  /* Real-time signals, including the two glibc keeps for itself. */
  child_dies(VSIG_SIGRTMIN, BY_KILL);
  child_dies(VSIG_SIGRTMIN + 1, BY_SIGQUEUE);
  child_dies(VSIG_SIGRTMIN + 5, BY_RAISE);
  child_dies(SIGKILL, BY_KILL);
}

TEST(process_without_threads_is_terminated_by_a_fatal_signal) {
  vsig_set_terminate_callback(on_terminate, &cb_calls);
  vsig_pid_t p = new_proc();               /* its only thread has come and gone */
  CHECK_EQ(vsig_kill(p, VSIG_SIGCHLD), 0); /* default ignore: nothing */
  CHECK_EQ(status_of(p), 0);
  CHECK_EQ(vsig_kill(p, VSIG_SIGTERM), 0); /* no thread could block it */
  CHECK_EQ(status_of(p), VSIG_SIGTERM);
  CHECK_EQ(atomic_load(&cb_calls), 1);
  CHECK_EQ(atomic_load(&cb_pid), p);
  CHECK_EQ(vsig_proc_destroy(p), 0);
}

/* ---- the callback and the thread it runs on (issue 6.1, 6.2, 6.7) ---------------- */

struct self_detacher {
  vsig_pid_t pid;
  vsig_thread_t tid;
  _Atomic int blocked, may_go;
  int suspend_rc, suspend_err, detach_in_cb, detach_after;
};
static struct self_detacher *g_det;

static void detach_in_callback(vsig_pid_t pid, int sig, void *arg) {
  (void)sig;
  (void)arg;
  if (pid == g_det->pid && vsig_thread_self() == g_det->tid)
    g_det->detach_in_cb = vsig_thread_detach();
}

static void *block_then_suspend(void *arg) {
  struct self_detacher *d = arg;
  d->tid = vsig_thread_self();
  vsig_sigset_t term = SET(VSIG_SIGTERM), none = SET(0);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &term, NULL), 0);
  atomic_store(&d->blocked, 1);
  WAIT_UNTIL(atomic_load(&d->may_go));
  /* Unblocking finds the fatal action on this thread: the callback runs here. */
  errno = 0;
  d->suspend_rc = vsig_sigsuspend(&none);
  d->suspend_err = errno;
  d->detach_after = vsig_thread_detach();
  return NULL;
}

/* A callback that tries to detach the thread it runs on is refused: the vsig
 * call below it still uses the thread. */
TEST(callback_cannot_detach_the_thread_running_it) {
  struct self_detacher d = {.detach_in_cb = -1, .detach_after = -1};
  g_det = &d;
  CHECK_EQ(vsig_proc_create(NULL, &d.pid), 0);
  vsig_set_terminate_callback(detach_in_callback, NULL);
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, d.pid, 0, block_then_suspend, &d), 0);
  WAIT_UNTIL(atomic_load(&d.blocked));
  CHECK_EQ(vsig_kill(d.pid, VSIG_SIGTERM), 0); /* blocked there: stays pending */
  CHECK_EQ(status_of(d.pid), 0);
  atomic_store(&d.may_go, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(d.detach_in_cb, EBUSY);
  CHECK_EQ(d.suspend_rc, -1);
  CHECK_EQ(d.suspend_err, ECANCELED);
  CHECK_EQ(d.detach_after, 0); /* out of every vsig call, it may leave */
  CHECK_EQ(status_of(d.pid), VSIG_SIGTERM);
  CHECK_EQ(vsig_proc_destroy(d.pid), 0);
}

struct outside_report {
  _Atomic int calls;
  vsig_pid_t getpid;
  vsig_thread_t self;
  int attach, sigmask_err, kill_rc, kill_err;
  char name[32];
  int blocked_int, blocked_term, blocked_rt;
};
static struct outside_report g_out;
static vsig_pid_t g_victim;

static void report_outside(vsig_pid_t pid, int sig, void *arg) {
  (void)sig;
  (void)arg;
  if (pid != g_victim)
    return;
  g_out.getpid = vsig_getpid();
  g_out.self = vsig_thread_self();
  g_out.attach = vsig_thread_attach(getpid(), 0);
  vsig_sigset_t s = SET(VSIG_SIGUSR2);
  errno = 0;
  g_out.sigmask_err = vsig_sigprocmask(VSIG_SIG_BLOCK, &s, NULL) == -1 ? errno : 0;
  errno = 0;
  g_out.kill_rc = vsig_kill(getpid(), 0); /* sending from outside is allowed */
  g_out.kill_err = errno;
  pthread_getname_np(pthread_self(), g_out.name, sizeof g_out.name);
  sigset_t host;
  pthread_sigmask(SIG_BLOCK, NULL, &host);
  g_out.blocked_int = sigismember(&host, SIGINT);
  g_out.blocked_term = sigismember(&host, SIGTERM);
  g_out.blocked_rt = sigismember(&host, SIGRTMIN);
  atomic_fetch_add(&g_out.calls, 1);
}

static void *arm_ualarm(void *arg) {
  (void)arg;
  CHECK_EQ(vsig_ualarm(1000, 0), 0UL); /* SIGALRM's default kills the process */
  return NULL;
}

static _Atomic int usr1_on_main;
static void count_usr1(int sig) {
  (void)sig;
  atomic_fetch_add(&usr1_on_main, 1);
}

static void *send_usr1_to_default(void *arg) {
  vsig_thread_t main_tid = *(vsig_thread_t *)arg;
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &s, NULL), 0);
  WAIT_UNTIL(state_of(main_tid) == VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(vsig_kill(getpid(), VSIG_SIGUSR1), 0);
  return NULL;
}

/* When a timer's signal kills a process, the callback runs on vsig's timer
 * thread, which belongs to no process: vsig calls there act as from outside
 * and never make it a vsig thread that would then hold process-directed
 * signals forever. The thread is named and blocks every host signal. */
TEST(timer_kill_callback_runs_outside_any_process) {
  vsig_set_terminate_callback(report_outside, NULL);
  vsig_thread_t main_tid = vsig_thread_self(); /* the default process exists */
  CHECK_EQ(vsig_proc_create(NULL, &g_victim), 0);
  run_in(g_victim, arm_ualarm, NULL); /* the victim now has no thread */
  WAIT_UNTIL(atomic_load(&g_out.calls) == 1);
  CHECK_EQ(status_of(g_victim), VSIG_SIGALRM);
  CHECK_EQ(g_out.getpid, 0);
  CHECK_EQ(g_out.self, 0);
  CHECK_EQ(g_out.attach, EPERM);
  CHECK_EQ(g_out.sigmask_err, EPERM);
  CHECK_EQ(g_out.kill_rc, 0);
  CHECK_EQ(strcmp(g_out.name, "vsig-timer"), 0);
  CHECK_EQ(g_out.blocked_int, 1);
  CHECK_EQ(g_out.blocked_term, 1);
  CHECK_EQ(g_out.blocked_rt, 1);
  /* The default process still has only its real threads: a process-directed
   * signal reaches the main thread in its interruptible sleep. */
  install_action(VSIG_SIGUSR1, count_usr1);
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, getpid(), 0, send_usr1_to_default, &main_tid), 0);
  struct timespec ts = {30, 0};
  errno = 0;
  CHECK_EQ(vsig_nanosleep(&ts, NULL), -1);
  CHECK_EQ(errno, EINTR);
  CHECK_EQ(atomic_load(&usr1_on_main), 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(vsig_proc_destroy(g_victim), 0);
}

/* The callback and its argument are one unit: a termination racing with a
 * change of callback gets the old pair or the new one, never a mix.
 * ctest-labels: concurrency */
static int arg_a, arg_b;
static _Atomic int mixed, pair_calls;
static void cb_a(vsig_pid_t pid, int sig, void *arg) {
  (void)pid;
  (void)sig;
  if (arg != &arg_a)
    atomic_fetch_add(&mixed, 1);
  atomic_fetch_add(&pair_calls, 1);
}
static void cb_b(vsig_pid_t pid, int sig, void *arg) {
  (void)pid;
  (void)sig;
  if (arg != &arg_b)
    atomic_fetch_add(&mixed, 1);
  atomic_fetch_add(&pair_calls, 1);
}

static _Atomic int flipping;
static void *flip_callbacks(void *arg) {
  (void)arg;
  while (atomic_load(&flipping)) {
    vsig_set_terminate_callback(cb_a, &arg_a);
    vsig_set_terminate_callback(cb_b, &arg_b);
  }
  return NULL;
}

TEST(callback_and_argument_change_together) {
  vsig_set_terminate_callback(cb_a, &arg_a);
  atomic_store(&flipping, 1);
  pthread_t h;
  CHECK_EQ(pthread_create(&h, NULL, flip_callbacks, NULL), 0);
  const int rounds = 20000;
  for (int i = 0; i < rounds; i++) {
    vsig_pid_t p;
    CHECK_EQ(vsig_proc_create(NULL, &p), 0);
    CHECK_EQ(vsig_kill(p, VSIG_SIGTERM), 0); /* no threads: dies at once */
    CHECK_EQ(vsig_proc_destroy(p), 0);
  }
  atomic_store(&flipping, 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(atomic_load(&pair_calls), rounds);
  CHECK_EQ(atomic_load(&mixed), 0);
}
