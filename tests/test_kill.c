/* SPDX-License-Identifier: MIT */
/* kill: process-directed signals by pid. */
/* ctest-labels: concurrency */
#include "conform.h"

static atomic_int hits;
static vsig_siginfo_t last_info;
static void on_info(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  last_info = *info;
  atomic_fetch_add(&hits, 1);
}

static vsig_uid_t host_uid(void) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  return a.uid;
}

/* A pid that no process has: virtual pids count up from 2^22 + 1. */
#define NO_SUCH_PID (INT32_MAX - 12345)

TEST(kill_self_runs_the_handler_before_returning) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(last_info.si_signo, VSIG_SIGUSR1);
  CHECK_EQ(last_info.si_code, VSIG_SI_USER);
  CHECK_EQ(last_info.si_errno, 0);
  CHECK_EQ(last_info.si_pid, vsig_getpid());
  CHECK_EQ(last_info.si_uid, host_uid());
}

TEST(pid_zero_and_minus_pid_mean_the_process_itself) {
  set_action(VSIG_SIGUSR2, on_info, 0, EMPTY());
  CHECK_EQ(vsig_kill(0, VSIG_SIGUSR2), 0);
  CHECK_EQ(hits, 1);
  CHECK_EQ(last_info.si_code, VSIG_SI_USER);
  CHECK_EQ(vsig_kill(-vsig_getpid(), VSIG_SIGUSR2), 0);
  CHECK_EQ(hits, 2);
}

TEST(blocked_standard_signal_is_pending_once) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  block(SET(VSIG_SIGUSR1));
  for (int i = 0; i < 5; i++)
    CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 0);
  vsig_sigset_t p = cur_pending();
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGUSR1), 1);
  unblock(SET(VSIG_SIGUSR1));
  CHECK_EQ(hits, 1);
}

TEST(blocked_rt_signal_sent_by_kill_queues_each_instance) {
  const int rt = VSIG_SIGRTMIN + 5;
  set_action(rt, on_info, 0, EMPTY());
  block(SET(rt));
  for (int i = 0; i < 5; i++)
    CHECK_EQ(vsig_kill(vsig_getpid(), rt), 0);
  unblock(SET(rt));
  CHECK_EQ(hits, 5);
  CHECK_EQ(last_info.si_code, VSIG_SI_USER);
}

TEST(bad_signal_is_einval_and_sends_nothing) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  for (int i = 0; i < NBAD_SIGS; i++) {
    int sig = bad_sig(i);
    CHECK_ERRNO_SIG(sig, vsig_kill(vsig_getpid(), sig), EINVAL);
    CHECK_ERRNO_SIG(sig, vsig_kill(0, sig), EINVAL);
    CHECK_ERRNO_SIG(sig, vsig_kill(-1, sig), EINVAL);
  }
  CHECK_EQ(hits, 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
}

TEST(unknown_pid_is_esrch) {
  CHECK_ERRNO(vsig_kill(NO_SUCH_PID, VSIG_SIGUSR1), ESRCH);
  CHECK_ERRNO(vsig_kill(-NO_SUCH_PID, VSIG_SIGUSR1), ESRCH);
  CHECK_ERRNO(vsig_kill(INT_MAX, VSIG_SIGUSR1), ESRCH);
  CHECK_ERRNO(vsig_kill(INT_MIN, VSIG_SIGUSR1), ESRCH); /* -INT_MIN has no process */
  CHECK_ERRNO(vsig_kill(NO_SUCH_PID, 0), ESRCH);
  /* A process that existed once. */
  vsig_pid_t gone;
  CHECK_EQ(vsig_proc_create(NULL, &gone), 0);
  CHECK_EQ(vsig_kill(gone, 0), 0);
  CHECK_EQ(vsig_proc_destroy(gone), 0);
  CHECK_ERRNO(vsig_kill(gone, VSIG_SIGTERM), ESRCH);
  CHECK_ERRNO(vsig_kill(-gone, VSIG_SIGTERM), ESRCH);
}

TEST(kill_minus_one_with_no_other_process_is_esrch) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  CHECK_ERRNO(vsig_kill(-1, VSIG_SIGUSR1), ESRCH);
  CHECK_ERRNO(vsig_kill(-1, 0), ESRCH);
  CHECK_EQ(hits, 0); /* never the caller's own process */
}

TEST(signal_zero_checks_the_target_and_sends_nothing) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  block(SET(VSIG_SIGUSR1));
  CHECK_EQ(vsig_kill(vsig_getpid(), 0), 0);
  CHECK_EQ(vsig_kill(0, 0), 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
  unblock(SET(VSIG_SIGUSR1));
  CHECK_EQ(hits, 0);
}

struct ptc {
  atomic_int ready;
  vsig_siginfo_t info;
  int got;
};

/* A thread of another process: it blocks USR1 (so an early one waits) and
 * accepts it. */
static void *accept_usr1(void *arg) {
  struct ptc *c = arg;
  block(SET(VSIG_SIGUSR1));
  atomic_store(&c->ready, 1);
  vsig_sigset_t s = SET(VSIG_SIGUSR1);
  c->got = vsig_sigwaitinfo(&s, &c->info);
  return NULL;
}

TEST(kill_minus_one_signals_every_other_process) {
  set_action(VSIG_SIGUSR1, on_info, 0, EMPTY());
  vsig_pid_t p2, p3;
  CHECK_EQ(vsig_proc_create(NULL, &p2), 0);
  CHECK_EQ(vsig_proc_create(NULL, &p3), 0);
  struct ptc c2 = {0}, c3 = {0};
  pthread_t h2, h3;
  CHECK_EQ(vsig_thread_create(&h2, NULL, p2, 0, accept_usr1, &c2), 0);
  CHECK_EQ(vsig_thread_create(&h3, NULL, p3, 0, accept_usr1, &c3), 0);
  await_at_least(&c2.ready, 1);
  await_at_least(&c3.ready, 1);
  CHECK_EQ(vsig_kill(-1, 0), 0);
  CHECK_EQ(vsig_kill(-1, VSIG_SIGUSR1), 0);
  join(h2);
  join(h3);
  CHECK_EQ(c2.got, VSIG_SIGUSR1);
  CHECK_EQ(c3.got, VSIG_SIGUSR1);
  CHECK_EQ(c2.info.si_code, VSIG_SI_USER);
  CHECK_EQ(c2.info.si_pid, vsig_getpid());
  CHECK_EQ(c3.info.si_pid, vsig_getpid());
  CHECK_EQ(hits, 0); /* the caller's process is left out */
  CHECK_EQ(vsig_proc_destroy(p2), 0);
  CHECK_EQ(vsig_proc_destroy(p3), 0);
}

/* A process without a parent leads a group of its own. */
TEST(kill_minus_pid_signals_that_group) {
  vsig_pid_t p2;
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.parent = VSIG_PID_NONE;
  CHECK_EQ(vsig_proc_create(&a, &p2), 0);
  struct ptc c = {0};
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, p2, 0, accept_usr1, &c), 0);
  await_at_least(&c.ready, 1);
  CHECK_EQ(vsig_kill(-p2, VSIG_SIGUSR1), 0);
  join(h);
  CHECK_EQ(c.got, VSIG_SIGUSR1);
  CHECK_EQ(vsig_proc_destroy(p2), 0);
}

struct sender {
  vsig_pid_t from, to;
  int rc;
};

static void *attach_and_kill(void *arg) {
  struct sender *s = arg;
  CHECK_EQ(vsig_thread_attach(s->from, 0), 0);
  s->rc = vsig_kill(s->to, VSIG_SIGUSR2);
  CHECK_EQ(vsig_thread_detach(), 0);
  return NULL;
}

TEST(siginfo_names_the_sending_process_and_its_uid) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.uid = 4242;           /* si_uid is the real one */
  a.euid = vsig_getuid(); /* the effective one gives the permission */
  struct sender s = {.to = vsig_getpid()};
  CHECK_EQ(vsig_proc_create(&a, &s.from), 0);
  vsig_sigset_t set = SET(VSIG_SIGUSR2);
  block(set);
  pthread_t h;
  CHECK_EQ(pthread_create(&h, NULL, attach_and_kill, &s), 0);
  vsig_siginfo_t info;
  CHECK_EQ(vsig_sigwaitinfo(&set, &info), VSIG_SIGUSR2);
  join(h);
  CHECK_EQ(s.rc, 0);
  CHECK_EQ(info.si_signo, VSIG_SIGUSR2);
  CHECK_EQ(info.si_code, VSIG_SI_USER);
  CHECK_EQ(info.si_pid, s.from);
  CHECK_EQ(info.si_uid, 4242);
  CHECK_EQ(vsig_proc_destroy(s.from), 0);
}

TEST(default_action_terminates_the_process) {
  vsig_set_terminate_callback(on_terminate, NULL);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGTERM), 0);
  CHECK_EQ(term_calls, 1);
  CHECK_EQ(term_sig, VSIG_SIGTERM);
  CHECK_EQ(term_pid, vsig_getpid());
  int st = 0;
  CHECK_EQ(vsig_proc_status(vsig_getpid(), &st), 0);
  CHECK_EQ(st, VSIG_SIGTERM);
}

TEST(default_ignore_and_sig_ign_do_nothing) {
  vsig_set_terminate_callback(on_terminate, NULL);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGCHLD), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGWINCH), 0);
  CHECK_EQ((uintptr_t)vsig_signal(VSIG_SIGTERM, VSIG_SIG_IGN), (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGTERM), 0);
  CHECK_EQ(term_calls, 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p));
}

TEST(kill_never_fails_with_eagain_at_the_queue_limit) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.queue_max = VSIG_POSIX_SIGQUEUE_MAX;
  CHECK_EQ(vsig_default_proc_attr(&a), 0); /* before the default process exists */
  const int rt = VSIG_SIGRTMIN;
  /* Each handler blocks both, so they run in delivery order. */
  set_action(rt, on_info, 0, SET(rt, VSIG_SIGUSR1));
  set_action(VSIG_SIGUSR1, on_info, 0, SET(rt, VSIG_SIGUSR1));
  block(SET(rt, VSIG_SIGUSR1));
  int queued = 0;
  while (vsig_sigqueue(vsig_getpid(), rt, (vsig_sigval_t){.sival_int = queued}) == 0)
    queued++;
  CHECK_EQ(errno, EAGAIN);
  CHECK_EQ(queued, VSIG_POSIX_SIGQUEUE_MAX);
  CHECK_EQ(vsig_kill(vsig_getpid(), rt), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  unblock(SET(rt, VSIG_SIGUSR1));
  /* USR1 once, every queued instance, and the one kill sent. */
  CHECK_EQ(hits, 1 + queued + 1);
  CHECK_EQ(last_info.si_signo, rt);
  CHECK_EQ(last_info.si_code, VSIG_SI_USER); /* the kill came last */
}

/* ---- kill(-1) walks the processes once (issue 6.10) ----------------------------- */

struct walk {
  vsig_pid_t first;
  int n;
  _Atomic int calls;
  unsigned char seen[4096];
  int destroyed_unseen;
};
static struct walk g_walk;

/* The walk signals every process under the registry lock; the callbacks run
 * once it is dropped, one per process, in order. Each destroys its process,
 * and every third one the next process too, whose callback is still to come,
 * and creates a new process: the callbacks owed must survive all three
 * without touching freed memory. */
static void walk_callback(vsig_pid_t pid, int sig, void *arg) {
  (void)arg;
  CHECK_EQ(sig, VSIG_SIGTERM);
  int i = pid - g_walk.first;
  CHECK(i >= 0 && i < g_walk.n); /* the processes created here are never reached */
  CHECK(g_walk.seen[i] != 1);    /* once */
  atomic_fetch_add(&g_walk.calls, 1);
  CHECK_EQ(vsig_proc_destroy(pid), g_walk.seen[i] == 2 ? ESRCH : 0);
  g_walk.seen[i] = 1;
  if (i % 3 == 0 && i + 1 < g_walk.n) {
    CHECK_EQ(vsig_proc_destroy(pid + 1), 0);
    g_walk.seen[i + 1] = 2;
    g_walk.destroyed_unseen++;
  }
  vsig_pid_t extra;
  CHECK_EQ(vsig_proc_create(NULL, &extra), 0);
}

TEST(kill_all_survives_callbacks_that_destroy_and_create_processes) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.queue_max = VSIG_POSIX_SIGQUEUE_MAX;
  g_walk.n = 3000;
  for (int i = 0; i < g_walk.n; i++) {
    vsig_pid_t p;
    CHECK_EQ(vsig_proc_create(&a, &p), 0);
    if (i == 0)
      g_walk.first = p;
    CHECK_EQ(p, g_walk.first + i); /* pids count up */
  }
  vsig_set_terminate_callback(walk_callback, NULL);
  block(SET(VSIG_SIGTERM)); /* the caller's own process is skipped anyway */
  CHECK_EQ(vsig_kill(-1, VSIG_SIGTERM), 0);
  /* Every process was killed, and told once, destroyed or not. */
  CHECK_EQ(atomic_load(&g_walk.calls), g_walk.n);
  for (int i = 0; i < g_walk.n; i++)
    CHECK_EQ_SIG(i, g_walk.seen[i], 1);
  CHECK(g_walk.destroyed_unseen > 0);
  vsig_sigset_t p = cur_pending();
  CHECK(set_empty(&p)); /* nothing for the caller */
}

static _Atomic int big_calls;
static void count_and_destroy(vsig_pid_t pid, int sig, void *arg) {
  (void)sig;
  (void)arg;
  atomic_fetch_add(&big_calls, 1);
  vsig_proc_destroy(pid);
}

/* 100,000 processes: linear in the count (it was quadratic, about ten minutes
 * here, past ctest's timeout). No time is asserted. */
TEST(kill_all_over_a_hundred_thousand_processes) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.queue_max = VSIG_POSIX_SIGQUEUE_MAX;
  const int n = 100000;
  for (int i = 0; i < n; i++) {
    vsig_pid_t p;
    CHECK_EQ(vsig_proc_create(&a, &p), 0);
  }
  vsig_set_terminate_callback(count_and_destroy, NULL);
  CHECK_EQ(vsig_kill(-1, 0), 0);
  CHECK_EQ(vsig_kill(-1, VSIG_SIGTERM), 0);
  CHECK_EQ(atomic_load(&big_calls), n);
  CHECK_EQ(vsig_kill(-1, VSIG_SIGTERM), -1); /* nobody left but the caller */
  CHECK_EQ(errno, ESRCH);
}
