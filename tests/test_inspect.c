/* SPDX-License-Identifier: MIT */
/* Inspection: any thread's mask and pending set, any process's pending set
 * and actions, read from another thread. */
/* ctest-labels: concurrency */
#include "conform.h"

#include <unistd.h>

static void on_sig(int sig) { (void)sig; }

/* A thread that blocks what it is given, says so, and waits to be let go. */
struct holder {
  vsig_sigset_t block;
  atomic_int ready, go;
  int suspend; /* sigsuspend on block instead of blocking it */
};

static void *hold(void *arg) {
  struct holder *h = arg;
  if (h->suspend) {
    atomic_store(&h->ready, 1);
    vsig_sigsuspend(&h->block);
    return NULL;
  }
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &h->block, NULL), 0);
  atomic_store(&h->ready, 1);
  while (!atomic_load(&h->go))
    sched_yield();
  return NULL;
}

TEST(thread_sigmask_reads_another_threads_mask) {
  struct holder h = {.block = SET(VSIG_SIGUSR2, VSIG_SIGRTMIN)};
  pthread_t host;
  vsig_thread_t id = spawn(&host, hold, &h);
  await_at_least(&h.ready, 1);
  vsig_sigset_t s = EMPTY();
  CHECK_EQ(vsig_thread_sigmask(id, &s), 0);
  CHECK(set_eq(&s, &h.block));
  /* ... and the caller's own, which is not the other's. */
  block(SET(VSIG_SIGHUP));
  CHECK_EQ(vsig_thread_sigmask(vsig_thread_self(), &s), 0);
  vsig_sigset_t mine = cur_mask();
  CHECK(set_eq(&s, &mine));
  atomic_store(&h.go, 1);
  join(host);
}

TEST(thread_sigmask_shows_the_mask_of_sigsuspend_while_it_waits) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR1)); /* the thread inherits it; sigsuspend lifts it */
  struct holder h = {.block = SET(VSIG_SIGUSR2, VSIG_SIGKILL), .suspend = 1};
  pthread_t host;
  vsig_thread_t id = spawn(&host, hold, &h);
  await_state(id, VSIG_THREAD_INTERRUPTIBLE);
  vsig_sigset_t s = EMPTY();
  CHECK_EQ(vsig_thread_sigmask(id, &s), 0);
  vsig_sigset_t want = SET(VSIG_SIGUSR2); /* SIGKILL cannot be blocked */
  CHECK(set_eq(&s, &want));
  CHECK_EQ(vsig_pthread_kill(id, VSIG_SIGUSR1), 0);
  join(host);
}

TEST(thread_sigpending_is_the_threads_own) {
  struct holder h = {.block = SET(VSIG_SIGUSR1, VSIG_SIGUSR2, VSIG_SIGRTMIN)};
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  block(SET(VSIG_SIGUSR2)); /* USR2 sent to the process stays there */
  pthread_t host;
  vsig_thread_t id = spawn(&host, hold, &h);
  await_at_least(&h.ready, 1);
  CHECK_EQ(vsig_pthread_kill(id, VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_pthread_sigqueue(id, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 3}), 0);
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR2), 0);
  vsig_sigset_t s = EMPTY();
  CHECK_EQ(vsig_thread_sigpending(id, &s), 0);
  vsig_sigset_t want = SET(VSIG_SIGUSR1, VSIG_SIGRTMIN);
  CHECK(set_eq(&s, &want));
  CHECK_EQ(vsig_thread_sigpending(vsig_thread_self(), &s), 0);
  CHECK(set_empty(&s));
  /* Reading takes nothing. */
  CHECK_EQ(vsig_thread_sigpending(id, &s), 0);
  CHECK(set_eq(&s, &want));
  atomic_store(&h.go, 1);
  join(host); /* it leaves with them pending: they go with it */
}

TEST(proc_sigpending_is_the_process_directed_set) {
  block(SET(VSIG_SIGUSR1, VSIG_SIGUSR2, VSIG_SIGRTMAX));
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMAX, (vsig_sigval_t){.sival_int = 1}), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR2), 0); /* thread-directed: not the process's */
  vsig_sigset_t s = EMPTY();
  CHECK_EQ(vsig_proc_sigpending(vsig_getpid(), &s), 0);
  vsig_sigset_t want = SET(VSIG_SIGUSR1, VSIG_SIGRTMAX);
  CHECK(set_eq(&s, &want));
  CHECK_EQ(vsig_thread_sigpending(vsig_thread_self(), &s), 0);
  want = SET(VSIG_SIGUSR2);
  CHECK(set_eq(&s, &want));
}

/* A thread of another process: a handler for USR1 there, USR2 ignored, USR1
 * blocked. */
struct other {
  atomic_int ready, go;
};
static void *other_main(void *arg) {
  struct other *o = arg;
  vsig_sigaction_t act = {.sa_handler = on_sig,
                          .sa_mask = SET(VSIG_SIGHUP),
                          .sa_flags = VSIG_SA_RESTART | VSIG_SA_NODEFER};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, NULL), 0);
  CHECK(vsig_signal(VSIG_SIGUSR2, VSIG_SIG_IGN) != VSIG_SIG_ERR);
  block(SET(VSIG_SIGUSR1));
  atomic_store(&o->ready, 1);
  while (!atomic_load(&o->go))
    sched_yield();
  return NULL;
}

TEST(another_process_pending_set_and_actions) {
  vsig_pid_t pid = 0;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  struct other o = {0};
  pthread_t host;
  vsig_thread_t tid = 0;
  CHECK_EQ(vsig_thread_create(&host, &tid, pid, 0, other_main, &o), 0);
  await_at_least(&o.ready, 1);
  CHECK_EQ(vsig_kill(pid, VSIG_SIGUSR1), 0);
  vsig_sigset_t s = EMPTY();
  CHECK_EQ(vsig_proc_sigpending(pid, &s), 0);
  vsig_sigset_t want = SET(VSIG_SIGUSR1);
  CHECK(set_eq(&s, &want));
  CHECK_EQ(vsig_proc_sigpending(vsig_getpid(), &s), 0);
  CHECK(set_empty(&s));

  vsig_sigaction_t a;
  memset(&a, 0xff, sizeof a);
  CHECK_EQ(vsig_proc_sigaction(pid, VSIG_SIGUSR1, &a), 0);
  CHECK(a.sa_handler == on_sig);
  want = SET(VSIG_SIGHUP);
  CHECK(set_eq(&a.sa_mask, &want));
  CHECK_EQ(a.sa_flags, VSIG_SA_RESTART | VSIG_SA_NODEFER);
  CHECK_EQ(vsig_proc_sigaction(pid, VSIG_SIGUSR2, &a), 0);
  CHECK(a.sa_handler == VSIG_SIG_IGN);
  /* The caller's process has its own. */
  CHECK_EQ(vsig_proc_sigaction(vsig_getpid(), VSIG_SIGUSR1, &a), 0);
  CHECK(a.sa_handler == VSIG_SIG_DFL);
  /* SIGKILL and SIGSTOP read too (SIG_DFL, always). */
  CHECK_EQ(vsig_proc_sigaction(pid, VSIG_SIGKILL, &a), 0);
  CHECK(a.sa_handler == VSIG_SIG_DFL);
  CHECK_EQ(vsig_proc_sigaction(pid, VSIG_SIGSTOP, &a), 0);
  CHECK(a.sa_handler == VSIG_SIG_DFL);
  atomic_store(&o.go, 1);
  join(host);
}

TEST(a_terminated_process_reads_until_destroyed) {
  vsig_pid_t pid = 0;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  /* No threads: the default action is taken at once. */
  CHECK_EQ(vsig_kill(pid, VSIG_SIGTERM), 0);
  int term = 0;
  CHECK_EQ(vsig_proc_status(pid, &term), 0);
  CHECK_EQ(term, VSIG_SIGTERM);
  vsig_sigset_t s = full_set();
  CHECK_EQ(vsig_proc_sigpending(pid, &s), 0);
  CHECK(set_empty(&s));
  vsig_sigaction_t a;
  CHECK_EQ(vsig_proc_sigaction(pid, VSIG_SIGTERM, &a), 0);
  CHECK(a.sa_handler == VSIG_SIG_DFL);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
  CHECK_EQ(vsig_proc_sigpending(pid, &s), ESRCH);
  CHECK_EQ(vsig_proc_sigaction(pid, VSIG_SIGTERM, &a), ESRCH);
}

TEST(asking_about_the_default_process_does_not_make_it) {
  /* The first vsig calls of this process: the default process is not made. */
  vsig_sigset_t s = full_set();
  CHECK_EQ(vsig_proc_sigpending(getpid(), &s), 0);
  CHECK(set_empty(&s));
  vsig_sigaction_t a;
  memset(&a, 0xff, sizeof a);
  CHECK_EQ(vsig_proc_sigaction(getpid(), VSIG_SIGINT, &a), 0);
  CHECK(a.sa_handler == VSIG_SIG_DFL);
  CHECK(set_empty(&a.sa_mask));
  CHECK_EQ(a.sa_flags, 0);
  /* Its attributes can still be chosen: it does not exist yet. */
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  CHECK_EQ(vsig_default_proc_attr(&attr), 0);
}

TEST(unknown_threads_and_processes_are_esrch) {
  vsig_sigset_t s = full_set();
  const vsig_thread_t threads[] = {0, UINT64_MAX, 1u << 30};
  for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++) {
    CHECK_EQ(vsig_thread_sigmask(threads[i], &s), ESRCH);
    CHECK_EQ(vsig_thread_sigpending(threads[i], &s), ESRCH);
  }
  (void)vsig_getpid();
  const vsig_pid_t pids[] = {0, -1, INT_MIN, INT_MAX};
  vsig_sigaction_t a;
  for (size_t i = 0; i < sizeof pids / sizeof pids[0]; i++) {
    CHECK_EQ(vsig_proc_sigpending(pids[i], &s), ESRCH);
    CHECK_EQ(vsig_proc_sigaction(pids[i], VSIG_SIGUSR1, &a), ESRCH);
  }
  /* Nothing was written. */
  vsig_sigset_t full = full_set();
  CHECK(set_eq(&s, &full));
}

TEST(null_pointers_and_bad_signals_are_einval) {
  vsig_thread_t self = vsig_thread_self();
  CHECK_EQ(vsig_thread_sigmask(self, NULL), EINVAL);
  CHECK_EQ(vsig_thread_sigpending(self, NULL), EINVAL);
  CHECK_EQ(vsig_proc_sigpending(vsig_getpid(), NULL), EINVAL);
  CHECK_EQ(vsig_proc_sigaction(vsig_getpid(), VSIG_SIGUSR1, NULL), EINVAL);
  vsig_sigaction_t a;
  CHECK_EQ(vsig_proc_sigaction(vsig_getpid(), 0, &a), EINVAL);
  for (int i = 0; i < NBAD_SIGS; i++)
    CHECK_EQ_SIG(bad_sig(i), vsig_proc_sigaction(vsig_getpid(), bad_sig(i), &a), EINVAL);
  /* EINVAL comes before ESRCH: the arguments are checked first. */
  CHECK_EQ(vsig_proc_sigaction(-1, 0, &a), EINVAL);
  CHECK_EQ(vsig_thread_sigmask(0, NULL), EINVAL);
}

TEST(a_thread_that_left_is_esrch) {
  struct holder h = {.block = EMPTY()};
  pthread_t host;
  vsig_thread_t id = spawn(&host, hold, &h);
  await_at_least(&h.ready, 1);
  atomic_store(&h.go, 1);
  join(host);
  /* Gone: ESRCH, never a stale read. */
  vsig_sigset_t s;
  CHECK_EQ(vsig_thread_sigmask(id, &s), ESRCH);
  CHECK_EQ(vsig_thread_sigpending(id, &s), ESRCH);
}
