/* SPDX-License-Identifier: MIT */
/*
 * fork: the child gets a working vsig of its own, as POSIX says of fork: its
 * own default process (pid = the child's host pid) with the forking thread as
 * its only thread, actions and mask inherited, nothing pending.
 */
#include "vt.h"
#include "workers.h"

#include <sys/wait.h>
#include <unistd.h>
#include <vsig.h>

/* In the child: report a failed check through the exit status only, so that
 * nothing of the parent's (stdio buffers, atexit) runs twice. */
#define CHILD_CHECK(cond)                                                                          \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: child: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);              \
      _exit(1);                                                                                    \
    }                                                                                              \
  } while (0)

static void wait_child(pid_t pid) {
  int st = 0;
  CHECK_EQ(waitpid(pid, &st, 0), pid);
  if (!WIFEXITED(st))
    VT_FAIL("child died by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
  CHECK_EQ(WEXITSTATUS(st), 0);
}

static void *sigwait_rtmin(void *arg) {
  vsig_sigset_t set = SET(VSIG_SIGRTMIN);
  vsig_siginfo_t info;
  *(int *)arg = vsig_sigwaitinfo(&set, &info) == VSIG_SIGRTMIN ? info.si_value.sival_int : -1;
  return NULL;
}

/* What every child checks: the state it was forked with, then that it works. */
static void child_checks(vsig_thread_t self_before, vsig_thread_t other_thread,
                         vsig_pid_t other_proc, vsig_sigset_t mask_before) {
  CHILD_CHECK(vsig_getpid() == getpid());
  CHILD_CHECK(vsig_thread_self() == self_before);
  int st;
  /* The parent's other threads and processes do not exist here. */
  CHILD_CHECK(vsig_thread_getstate(other_thread, &st) == ESRCH);
  CHILD_CHECK(vsig_pthread_kill(other_thread, VSIG_SIGUSR1) == ESRCH);
  errno = 0;
  CHILD_CHECK(vsig_kill(other_proc, 0) == -1 && errno == ESRCH);
  int term = -1;
  CHILD_CHECK(vsig_proc_status(getpid(), &term) == 0 && term == 0);

  /* Actions and mask inherited. */
  vsig_sigaction_t act;
  CHILD_CHECK(vsig_sigaction(VSIG_SIGUSR1, NULL, &act) == 0);
  CHILD_CHECK(act.sa_sigaction == on_logged && (act.sa_flags & VSIG_SA_SIGINFO));
  vsig_sigset_t mask;
  CHILD_CHECK(vsig_sigprocmask(VSIG_SIG_BLOCK, NULL, &mask) == 0);
  CHILD_CHECK(mask.bits == mask_before.bits);
  /* Nothing pending, though the parent had signals pending on both its
   * process and this thread. */
  vsig_sigset_t pend;
  CHILD_CHECK(vsig_sigpending(&pend) == 0 && pend.bits == 0);

  /* It works: raise to a handler, sigqueue to a sigwaitinfo. */
  int before = event_count();
  CHILD_CHECK(vsig_raise(VSIG_SIGUSR1) == 0);
  CHILD_CHECK(event_count() == before + 1);
  CHILD_CHECK(events[before].thr == self_before && events[before].code == VSIG_SI_TKILL);
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  CHILD_CHECK(vsig_sigprocmask(VSIG_SIG_BLOCK, &rt, NULL) == 0);
  CHILD_CHECK(vsig_sigqueue(getpid(), VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 77}) == 0);
  vsig_siginfo_t info;
  CHILD_CHECK(vsig_sigwaitinfo(&rt, &info) == VSIG_SIGRTMIN);
  CHILD_CHECK(info.si_value.sival_int == 77 && info.si_pid == getpid());
  /* New threads are vsig threads of the child's process. */
  int got = 0;
  pthread_t h;
  CHILD_CHECK(vsig_thread_create(&h, NULL, getpid(), 0, sigwait_rtmin, &got) == 0);
  CHILD_CHECK(vsig_sigqueue(getpid(), VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 78}) == 0);
  CHILD_CHECK(pthread_join(h, NULL) == 0);
  CHILD_CHECK(got == 78);
}

TEST(child_has_its_own_default_process_with_the_forking_thread_only) {
  install_logger(VSIG_SIGUSR1, 0);
  install_kick();
  vsig_sigset_t mask = SET(VSIG_SIGUSR2, VSIG_SIGRTMIN + 1);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_SETMASK, &mask, NULL), 0);
  /* Something pending on the process and on this thread. */
  struct worker other = {0};
  start(&other, getpid(), W_SIGWAITINFO, 0, allset(), SET(VSIG_SIGHUP));
  CHECK_EQ(vsig_kill(getpid(), VSIG_SIGUSR2), 0);
  CHECK_EQ(
      vsig_pthread_sigqueue(vsig_thread_self(), VSIG_SIGRTMIN + 1, (vsig_sigval_t){.sival_int = 1}),
      0);
  vsig_pid_t p;
  CHECK_EQ(vsig_proc_create(NULL, &p), 0);
  vsig_thread_t self = vsig_thread_self();

  fflush(NULL);
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    child_checks(self, other.id, p, mask);
    _exit(0);
  }
  wait_child(pid);

  /* The parent is untouched. */
  vsig_sigset_t pend;
  CHECK_EQ(vsig_sigpending(&pend), 0);
  CHECK_EQ(pend.bits, mask.bits);
  CHECK_EQ(state_of(other.id), VSIG_THREAD_SIGWAIT);
  CHECK_EQ(vsig_pthread_kill(other.id, VSIG_SIGHUP), 0);
  wait_done(&other);
  CHECK_EQ(other.sig, VSIG_SIGHUP);
  stop_worker(&other);
  CHECK_EQ(vsig_kill(p, 0), 0);
}

struct forker {
  vsig_pid_t p, q;
  vsig_thread_t other;
  pid_t child;
};

static void *install_in_p(void *arg) {
  (void)arg;
  install_logger(VSIG_SIGUSR1, 0);
  install_kick();
  return NULL;
}

static void *fork_from_p(void *arg) {
  struct forker *f = arg;
  vsig_sigset_t mask = SET(VSIG_SIGTERM);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_SETMASK, &mask, NULL), 0);
  CHECK_EQ(vsig_kill(f->p, VSIG_SIGTERM), 0); /* pending on p, blocked everywhere */
  vsig_thread_t self = vsig_thread_self();
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    /* The child's process is its own default process, not a copy of p. */
    child_checks(self, f->other, f->p, mask);
    CHILD_CHECK(vsig_getpid() != f->p);
    _exit(0);
  }
  f->child = pid;
  return NULL;
}

TEST(forking_from_a_thread_of_a_created_process) {
  struct forker f = {0};
  CHECK_EQ(vsig_proc_create(NULL, &f.p), 0);
  run_in(f.p, install_in_p, NULL);
  struct worker other = {0};
  start(&other, f.p, W_READY, 0, SET(VSIG_SIGTERM), SET(0));
  f.other = other.id;
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, f.p, 0, fork_from_p, &f), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK(f.child > 0);
  wait_child(f.child);
  /* In the parent the signal is still pending on p. */
  CHECK_EQ(command(&other, C_SIGPENDING, SET(0)), 0);
  CHECK_EQ(vsig_sigismember(&other.cmd_out, VSIG_SIGTERM), 1);
  stop_worker(&other);
}

TEST(child_default_action_kills_the_child_not_the_parent) {
  CHECK_EQ(vsig_getpid(), getpid());
  fflush(NULL);
  pid_t pid = fork();
  CHECK(pid >= 0);
  if (pid == 0) {
    vsig_kill(getpid(), VSIG_SIGTERM);
    _exit(99);
  }
  int st = 0;
  CHECK_EQ(waitpid(pid, &st, 0), pid);
  CHECK(WIFSIGNALED(st));
  CHECK_EQ(WTERMSIG(st), VSIG_SIGTERM);
  int term = -1;
  CHECK_EQ(vsig_proc_status(getpid(), &term), 0);
  CHECK_EQ(term, 0);
}

/* ---- fork from inside a handler or an embedder call (issue 6.5) -------------------- */

static _Atomic pid_t forked_child;

static void fork_in_handler(int sig) {
  (void)sig;
  pid_t pid = fork();
  if (pid == 0) {
    /* The child is inside the handler, as its parent: not detachable yet. */
    CHILD_CHECK(vsig_thread_detach() == EBUSY);
    atomic_store(&forked_child, 0);
    return;
  }
  atomic_store(&forked_child, pid);
}

TEST(fork_in_a_handler_keeps_the_handler_nesting_and_priority) {
  vsig_thread_t me = vsig_thread_self();
  CHECK_EQ(vsig_thread_setpriority(me, 7), 0);
  vsig_sigaction_t act = {.sa_handler = fork_in_handler};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, NULL), 0);
  atomic_store(&forked_child, -1);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  pid_t pid = atomic_load(&forked_child);
  if (pid == 0) {
    /* Child: the handler has returned, so the thread may leave now, and it
     * kept its priority. */
    int prio = -1;
    CHILD_CHECK(vsig_thread_getpriority(vsig_thread_self(), &prio) == 0 && prio == 7);
    CHILD_CHECK(vsig_thread_detach() == 0);
    _exit(0);
  }
  CHECK(pid > 0);
  wait_child(pid);
}

TEST(fork_in_an_embedder_call_keeps_the_call) {
  vsig_thread_t me = vsig_thread_self();
  CHECK_EQ(vsig_block_begin(0, NULL, NULL), 0);
  pid_t pid = fork();
  if (pid == 0) {
    int st = -1;
    CHILD_CHECK(vsig_thread_getstate(me, &st) == 0 && st == VSIG_THREAD_NONINTERRUPTIBLE);
    CHILD_CHECK(vsig_thread_detach() == EBUSY);
    CHILD_CHECK(vsig_block_end() == 0);
    CHILD_CHECK(vsig_thread_detach() == 0);
    _exit(0);
  }
  CHECK(pid > 0);
  CHECK_EQ(vsig_block_end(), 0);
  wait_child(pid);
}
