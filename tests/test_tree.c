/* SPDX-License-Identifier: MIT */
/*
 * The process tree, ends, SIGCHLD and waits: parents and vsig_getppid, the
 * reaper, vsig_proc_exit, the status words and siginfo a parent gets, every
 * selector and option of vsig_waitpid and vsig_waitid, SIG_IGN and
 * SA_NOCLDWAIT, waits interrupted by handlers, and the races of a child that
 * ends while its parent starts waiting or changes SIGCHLD's action.
 *
 * ctest-labels: concurrency
 */
#include "procs.h"

#include <unistd.h>

/* ---- parents ------------------------------------------------------------------------ */

static void *ppid_of_caller(void *arg) {
  *(vsig_pid_t *)arg = vsig_getppid();
  return NULL;
}

static vsig_pid_t ppid_in(vsig_pid_t pid) {
  vsig_pid_t pp = -5;
  in_proc(pid, ppid_of_caller, &pp);
  return pp;
}

struct mk {
  vsig_pid_t child;
};
static void *make_child_here(void *arg) {
  struct mk *m = arg;
  CHECK_EQ(vsig_proc_create(NULL, &m->child), 0);
  return NULL;
}

TEST(parent_is_the_creating_threads_process_by_default) {
  vsig_pid_t main_pid = vsig_getpid();
  vsig_pid_t p;
  CHECK_EQ(vsig_proc_create(NULL, &p), 0);
  CHECK_EQ(ppid_in(p), main_pid);
  struct mk m = {0};
  in_proc(p, make_child_here, &m);
  CHECK_EQ(ppid_in(m.child), p);
  vsig_pid_t q = mkproc(m.child);
  CHECK_EQ(ppid_in(q), m.child);
  vsig_pid_t r = mkproc(VSIG_PID_NONE);
  CHECK_EQ(ppid_in(r), 0);
  /* The default process's parent is the host's. */
  CHECK_EQ(vsig_getppid(), getppid());
}

TEST(create_with_a_bad_parent_changes_nothing) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  vsig_pid_t gone = mkproc(VSIG_PID_NONE), pid = 12345;
  CHECK_EQ(vsig_proc_destroy(gone), 0);
  a.parent = gone;
  CHECK_EQ(vsig_proc_create(&a, &pid), ESRCH);
  CHECK_EQ(pid, 12345);
  a.parent = -2;
  CHECK_EQ(vsig_proc_create(&a, &pid), EINVAL);
  /* An ended parent takes no children. */
  vsig_pid_t dead = mkproc(VSIG_PID_NONE);
  CHECK_EQ(vsig_proc_exit(dead, 0), 0);
  a.parent = dead;
  CHECK_EQ(vsig_proc_create(&a, &pid), ESRCH);
  a.parent = 0;
  a.uid = VSIG_UID_SAME;
  CHECK_EQ(vsig_proc_create(&a, &pid), EINVAL);
  CHECK_EQ(pid, 12345);
}

/* ---- exit and wait ------------------------------------------------------------------- */

struct w {
  vsig_pid_t pid;
  int options;
  vsig_pid_t rc;
  int err;
  int status;
  _Atomic int done;
};

static void *do_waitpid(void *arg) {
  struct w *w = arg;
  errno = 0;
  w->rc = vsig_waitpid(w->pid, &w->status, w->options);
  w->err = errno;
  atomic_store(&w->done, 1);
  return NULL;
}

static struct w wait_in(vsig_pid_t parent, vsig_pid_t pid, int options) {
  struct w w = {.pid = pid, .options = options, .status = -1};
  in_proc(parent, do_waitpid, &w);
  return w;
}

TEST(exit_status_reaches_the_parents_waitpid_once) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE), c = mkproc(par);
  CHECK_EQ(vsig_proc_exit(c, 7 | 0x300), 0); /* status & 0xff */
  struct w w = wait_in(par, c, 0);
  CHECK_EQ(w.rc, c);
  CHECK(VSIG_WIFEXITED(w.status));
  CHECK_EQ(VSIG_WEXITSTATUS(w.status), 7);
  CHECK(!VSIG_WIFSIGNALED(w.status));
  CHECK(!VSIG_WIFSTOPPED(w.status));
  CHECK(!VSIG_WIFCONTINUED(w.status));
  w = wait_in(par, c, 0);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, ECHILD);
  /* Reaped with no thread left: gone. */
  CHECK_EQ(vsig_proc_destroy(c), ESRCH);
}

TEST(death_by_signal_is_killed_or_dumped) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  const struct {
    int sig, core;
  } cases[] = {{VSIG_SIGTERM, 0},
               {VSIG_SIGKILL, 0},
               {VSIG_SIGQUIT, 1},
               {VSIG_SIGSEGV, 1},
               {VSIG_SIGRTMIN + 2, 0}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    vsig_pid_t c = mkproc(par);
    CHECK_EQ(vsig_kill(c, cases[i].sig), 0);
    struct w w = wait_in(par, c, 0);
    CHECK_EQ(w.rc, c);
    CHECK(VSIG_WIFSIGNALED(w.status));
    CHECK(!VSIG_WIFEXITED(w.status));
    CHECK_EQ(VSIG_WTERMSIG(w.status), cases[i].sig);
    CHECK_EQ(!!VSIG_WCOREDUMP(w.status), cases[i].core);
  }
}

TEST(an_ended_process_keeps_its_first_end) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE), c = mkproc(par);
  CHECK_EQ(vsig_kill(c, VSIG_SIGTERM), 0);
  CHECK_EQ(vsig_proc_exit(c, 3), 0);
  struct w w = wait_in(par, c, 0);
  CHECK_EQ(VSIG_WTERMSIG(w.status), VSIG_SIGTERM);
  CHECK_EQ(vsig_proc_exit(c, 0), ESRCH); /* reaped and gone */
  vsig_pid_t d = mkproc(par);
  CHECK_EQ(vsig_proc_exit(d, 4), 0);
  CHECK_EQ(vsig_proc_exit(d, 5), 0);
  CHECK_EQ(vsig_kill(d, VSIG_SIGKILL), 0); /* a zombie takes and drops it */
  w = wait_in(par, d, 0);
  CHECK_EQ(VSIG_WEXITSTATUS(w.status), 4);
  CHECK_EQ(term_of(mkproc(par)), 0);
}

struct sigchld {
  vsig_siginfo_t info;
  int rc;
};

/* A thread of the parent that blocks SIGCHLD and takes one (a process with
 * no thread takes a signal's default action at once: SIGCHLD's ignores it). */
struct catcher {
  struct sigchld s;
  vsig_thread_t id;
  pthread_t h;
};
static void *catch_sigchld(void *arg) {
  struct sigchld *s = arg;
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGCHLD);
  vsig_sigaddset(&set, VSIG_SIGUSR2); /* the test's "no SIGCHLD came" */
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &set, NULL), 0);
  s->rc = vsig_sigwaitinfo(&set, &s->info);
  return NULL;
}
static void catcher_start(struct catcher *c, vsig_pid_t par) {
  c->h = in_proc_async(par, catch_sigchld, &c->s, &c->id);
  WAIT_FOR(thread_state(c->id) == VSIG_THREAD_SIGWAIT);
}
static void catcher_end(struct catcher *c) { CHECK_EQ(pthread_join(c->h, NULL), 0); }

TEST(sigchld_names_the_child_its_uid_and_status) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.parent = par;
  a.uid = 321;
  vsig_pid_t c;
  CHECK_EQ(vsig_proc_create(&a, &c), 0);
  struct catcher ct = {0};
  catcher_start(&ct, par);
  CHECK_EQ(vsig_proc_exit(c, 9), 0);
  catcher_end(&ct);
  struct sigchld s = ct.s;
  CHECK_EQ(s.rc, VSIG_SIGCHLD);
  CHECK_EQ(s.info.si_code, VSIG_CLD_EXITED);
  CHECK_EQ(s.info.si_pid, c);
  CHECK_EQ(s.info.si_uid, 321);
  CHECK_EQ(s.info.si_status, 9);
  vsig_pid_t k = mkproc(par);
  catcher_start(&ct, par);
  CHECK_EQ(vsig_kill(k, VSIG_SIGABRT), 0);
  catcher_end(&ct);
  s = ct.s;
  CHECK_EQ(s.info.si_code, VSIG_CLD_DUMPED);
  CHECK_EQ(s.info.si_status, VSIG_SIGABRT);
  vsig_pid_t t = mkproc(par);
  catcher_start(&ct, par);
  CHECK_EQ(vsig_kill(t, VSIG_SIGHUP), 0);
  catcher_end(&ct);
  s = ct.s;
  CHECK_EQ(s.info.si_code, VSIG_CLD_KILLED);
  CHECK_EQ(s.info.si_status, VSIG_SIGHUP);
  /* The zombies are still there for wait. */
  CHECK_EQ(wait_in(par, c, VSIG_WNOHANG).rc, c);
  CHECK_EQ(wait_in(par, k, VSIG_WNOHANG).rc, k);
  CHECK_EQ(wait_in(par, t, VSIG_WNOHANG).rc, t);
}

TEST(wnohang_and_the_errors_of_waitpid) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  struct w w = wait_in(par, -1, VSIG_WNOHANG);
  CHECK_EQ(w.rc, -1); /* no children at all */
  CHECK_EQ(w.err, ECHILD);
  vsig_pid_t c = mkproc(par);
  w = wait_in(par, -1, VSIG_WNOHANG);
  CHECK_EQ(w.rc, 0); /* one, still running */
  w = wait_in(par, c, 0x40000000);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, EINVAL);
  w = wait_in(par, c, VSIG_WNOWAIT); /* waitid's only */
  CHECK_EQ(w.err, EINVAL);
  /* Not our child: ECHILD, even though it exists. */
  vsig_pid_t stranger = mkproc(VSIG_PID_NONE);
  w = wait_in(par, stranger, VSIG_WNOHANG);
  CHECK_EQ(w.err, ECHILD);
  w = wait_in(par, -2147483647 - 1, 0);
  CHECK_EQ(w.err, ESRCH);
  CHECK_EQ(vsig_proc_exit(c, 0), 0);
  /* A NULL status is allowed. */
  struct w n = {.pid = c, .options = 0};
  in_proc(par, do_waitpid, &n);
  CHECK_EQ(n.rc, c);
}

/* waitpid(0) is the caller's group, waitpid(-g) group g, -1 any child. */
static void *setpgid_self(void *arg) {
  CHECK_EQ(vsig_setpgid(0, *(vsig_pid_t *)arg), 0);
  return NULL;
}

TEST(waitpid_selectors_by_group) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  vsig_pid_t same = mkproc(par), other = mkproc(par);
  vsig_pid_t zero = 0;
  in_proc(other, setpgid_self, &zero); /* other leads a group of its own */
  CHECK_EQ(vsig_getpgid(other), other);
  CHECK_EQ(vsig_proc_exit(other, 1), 0);
  CHECK_EQ(wait_in(par, 0, VSIG_WNOHANG).rc, 0); /* not in the caller's group */
  CHECK_EQ(wait_in(par, -par, VSIG_WNOHANG).rc, 0);
  CHECK_EQ(wait_in(par, -other, VSIG_WNOHANG).rc, other);
  CHECK_EQ(vsig_proc_exit(same, 2), 0);
  struct w w = wait_in(par, 0, 0);
  CHECK_EQ(w.rc, same);
  CHECK_EQ(VSIG_WEXITSTATUS(w.status), 2);
  CHECK_EQ(wait_in(par, -1, VSIG_WNOHANG).err, ECHILD);
}

struct wi {
  int idtype;
  vsig_pid_t id;
  int options;
  int rc, err;
  vsig_siginfo_t info;
};
static void *do_waitid(void *arg) {
  struct wi *w = arg;
  memset(&w->info, 0xa5, sizeof w->info);
  errno = 0;
  w->rc = vsig_waitid(w->idtype, w->id, &w->info, w->options);
  w->err = errno;
  return NULL;
}

static struct wi waitid_in(vsig_pid_t parent, int idtype, vsig_pid_t id, int options) {
  struct wi w = {.idtype = idtype, .id = id, .options = options};
  in_proc(parent, do_waitid, &w);
  return w;
}

TEST(waitid_fills_a_siginfo_and_wnowait_leaves_the_zombie) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE), c = mkproc(par);
  struct wi w = waitid_in(par, VSIG_P_ALL, 0, VSIG_WEXITED | VSIG_WNOHANG);
  CHECK_EQ(w.rc, 0);
  CHECK_EQ(w.info.si_pid, 0); /* nothing yet: zeroed */
  CHECK_EQ(w.info.si_signo, 0);
  CHECK_EQ(vsig_proc_exit(c, 42), 0);
  for (int i = 0; i < 2; i++) {
    w = waitid_in(par, VSIG_P_PID, c, VSIG_WEXITED | VSIG_WNOWAIT);
    CHECK_EQ(w.rc, 0);
    CHECK_EQ(w.info.si_signo, VSIG_SIGCHLD);
    CHECK_EQ(w.info.si_code, VSIG_CLD_EXITED);
    CHECK_EQ(w.info.si_pid, c);
    CHECK_EQ(w.info.si_status, 42);
  }
  w = waitid_in(par, VSIG_P_PGID, vsig_getpgid(c), VSIG_WEXITED);
  CHECK_EQ(w.rc, 0);
  CHECK_EQ(w.info.si_pid, c);
  w = waitid_in(par, VSIG_P_ALL, 0, VSIG_WEXITED | VSIG_WNOHANG);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, ECHILD);
}

TEST(waitid_errors) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  (void)mkproc(par);
  CHECK_EQ(waitid_in(par, VSIG_P_ALL, 0, VSIG_WNOHANG).err, EINVAL); /* no event named */
  CHECK_EQ(waitid_in(par, VSIG_P_ALL, 0, VSIG_WEXITED | 0x40000000).err, EINVAL);
  CHECK_EQ(waitid_in(par, 7, 0, VSIG_WEXITED).err, EINVAL);
  CHECK_EQ(waitid_in(par, VSIG_P_PID, 0, VSIG_WEXITED).err, EINVAL);
  CHECK_EQ(waitid_in(par, VSIG_P_PID, -3, VSIG_WEXITED).err, EINVAL);
  CHECK_EQ(waitid_in(par, VSIG_P_PGID, -3, VSIG_WEXITED).err, EINVAL);
  CHECK_EQ(waitid_in(par, VSIG_P_PID, 999999, VSIG_WEXITED).err, ECHILD);
}

/* ---- no zombies ----------------------------------------------------------------------- */

static void *set_sigchld(void *arg) {
  vsig_sigaction_t *a = arg;
  CHECK_EQ(vsig_sigaction(VSIG_SIGCHLD, a, NULL), 0);
  return NULL;
}

static _Atomic int chld_hits;
static void on_chld(int sig) {
  (void)sig;
  atomic_fetch_add(&chld_hits, 1);
}

TEST(sigchld_ignored_leaves_no_zombie_and_no_signal) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  vsig_sigaction_t ign = {.sa_handler = VSIG_SIG_IGN};
  in_proc(par, set_sigchld, &ign);
  vsig_pid_t c = mkproc(par);
  struct catcher ct = {0};
  catcher_start(&ct, par);
  CHECK_EQ(vsig_proc_exit(c, 0), 0);
  CHECK_EQ(wait_in(par, -1, 0).err, ECHILD);
  /* No SIGCHLD came: the catcher still waits; a sent one ends it. */
  CHECK_EQ(thread_state(ct.id), VSIG_THREAD_SIGWAIT);
  CHECK_EQ(vsig_pthread_kill(ct.id, VSIG_SIGUSR2), 0);
  catcher_end(&ct);
  CHECK_EQ(ct.s.rc, VSIG_SIGUSR2);
  CHECK_EQ(vsig_proc_destroy(c), ESRCH); /* already gone */
}

TEST(sa_nocldwait_leaves_no_zombie_but_signals) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  vsig_sigaction_t h = {.sa_handler = on_chld, .sa_flags = VSIG_SA_NOCLDWAIT};
  in_proc(par, set_sigchld, &h);
  vsig_pid_t c = mkproc(par);
  struct catcher ct = {0};
  catcher_start(&ct, par);
  CHECK_EQ(vsig_kill(c, VSIG_SIGTERM), 0);
  catcher_end(&ct);
  struct sigchld s = ct.s;
  CHECK_EQ(s.rc, VSIG_SIGCHLD);
  CHECK_EQ(s.info.si_code, VSIG_CLD_KILLED);
  CHECK_EQ(wait_in(par, -1, 0).err, ECHILD);
}

/* A process reaped while its thread is still attached goes when it leaves. */
static void *exit_own_process_and_linger(void *arg) {
  _Atomic int *step = arg;
  CHECK_EQ(vsig_proc_exit(vsig_getpid(), 5), 0);
  CHECK_ERRNO(vsig_pause(), ECANCELED);
  atomic_store(step, 1);
  while (atomic_load(step) != 2)
    pause_briefly();
  return NULL;
}

TEST(a_reaped_process_goes_with_its_last_thread) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE), c = mkproc(par);
  _Atomic int step = 0;
  pthread_t h = in_proc_async(c, exit_own_process_and_linger, &step, NULL);
  WAIT_FOR(atomic_load(&step) == 1);
  struct w w = wait_in(par, c, 0);
  CHECK_EQ(w.rc, c);
  CHECK_EQ(VSIG_WEXITSTATUS(w.status), 5);
  CHECK_EQ(term_of(c), 0); /* still there: its thread is */
  atomic_store(&step, 2);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(vsig_proc_destroy(c), ESRCH);
}

/* ---- waiting and handlers -------------------------------------------------------------- */

static void on_usr1(int sig) { (void)sig; }
static void *set_usr1(void *arg) {
  vsig_sigaction_t a = {.sa_handler = on_usr1, .sa_flags = *(int *)arg};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &a, NULL), 0);
  return NULL;
}

TEST(a_handler_interrupts_the_wait_with_eintr) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE), c = mkproc(par);
  int flags = 0;
  in_proc(par, set_usr1, &flags);
  struct w w = {.pid = -1};
  vsig_thread_t id;
  pthread_t h = in_proc_async(par, do_waitpid, &w, &id);
  WAIT_FOR(thread_state(id) == VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(vsig_kill(par, VSIG_SIGUSR1), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(w.rc, -1);
  CHECK_EQ(w.err, EINTR);
  CHECK_EQ(term_of(c), 0);
}

TEST(sa_restart_resumes_the_wait) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE), c = mkproc(par);
  int flags = VSIG_SA_RESTART;
  in_proc(par, set_usr1, &flags);
  struct w w = {.pid = c};
  vsig_thread_t id;
  pthread_t h = in_proc_async(par, do_waitpid, &w, &id);
  WAIT_FOR(thread_state(id) == VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(vsig_kill(par, VSIG_SIGUSR1), 0);
  WAIT_FOR(thread_state(id) == VSIG_THREAD_INTERRUPTIBLE); /* back to waiting */
  CHECK_EQ(atomic_load(&w.done), 0);
  CHECK_EQ(vsig_proc_exit(c, 11), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(w.rc, c);
  CHECK_EQ(VSIG_WEXITSTATUS(w.status), 11);
}

TEST(a_wait_ends_with_ecanceled_when_its_process_ends) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  (void)mkproc(par);
  struct w w = {.pid = -1};
  vsig_thread_t id;
  pthread_t h = in_proc_async(par, do_waitpid, &w, &id);
  WAIT_FOR(thread_state(id) == VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(vsig_kill(par, VSIG_SIGKILL), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(w.err, ECANCELED);
}

/* ---- the reaper ----------------------------------------------------------------------- */

TEST(orphans_go_to_the_named_reaper_else_the_oldest_process) {
  vsig_pid_t reaper = mkproc(VSIG_PID_NONE), par = mkproc(VSIG_PID_NONE);
  vsig_pid_t kid = mkproc(par), zombie = mkproc(par);
  CHECK_EQ(vsig_proc_exit(zombie, 6), 0);
  CHECK_EQ(vsig_set_reaper(reaper), 0);
  struct catcher ct = {0};
  catcher_start(&ct, reaper);
  CHECK_EQ(vsig_proc_exit(par, 0), 0);
  CHECK_EQ(ppid_in(kid), reaper);
  /* The zombie was told to its new parent, and it can collect it. */
  catcher_end(&ct);
  CHECK_EQ(ct.s.info.si_pid, zombie);
  struct w w = wait_in(reaper, zombie, 0);
  CHECK_EQ(VSIG_WEXITSTATUS(w.status), 6);
  CHECK_EQ(vsig_set_reaper(0), 0);
  vsig_pid_t par2 = mkproc(VSIG_PID_NONE), kid2 = mkproc(par2);
  CHECK_EQ(vsig_proc_destroy(par2), 0); /* destroyed: no SIGCHLD, same rule */
  CHECK_EQ(ppid_in(kid2), reaper);      /* the oldest living process */
  vsig_pid_t gone = mkproc(VSIG_PID_NONE);
  CHECK_EQ(vsig_proc_destroy(gone), 0);
  CHECK_EQ(vsig_set_reaper(gone), ESRCH);
}

/* ---- races ------------------------------------------------------------------------------ */

struct racer {
  vsig_pid_t child;
  _Atomic int go;
};
static void *exit_on_go(void *arg) {
  struct racer *r = arg;
  while (!atomic_load(&r->go))
    ;
  CHECK_EQ(vsig_proc_exit(r->child, 3), 0);
  return NULL;
}

/* A child ends while its parent starts waiting: the wait always returns it. */
TEST(child_exits_while_parent_starts_waiting) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  for (int i = 0; i < 300; i++) {
    struct racer r = {.child = mkproc(par)};
    pthread_t h;
    CHECK_EQ(pthread_create(&h, NULL, exit_on_go, &r), 0);
    struct w w = {.pid = r.child};
    vsig_thread_t id;
    atomic_store(&r.go, 1);
    pthread_t wt = in_proc_async(par, do_waitpid, &w, &id);
    CHECK_EQ(pthread_join(wt, NULL), 0);
    CHECK_EQ(pthread_join(h, NULL), 0);
    CHECK_EQ(w.rc, r.child);
    CHECK_EQ(VSIG_WEXITSTATUS(w.status), 3);
  }
}

struct flipper {
  vsig_pid_t par;
  _Atomic int stop;
};
static void *flip_sigchld(void *arg) {
  struct flipper *f = arg;
  vsig_sigaction_t ign = {.sa_handler = VSIG_SIG_IGN}, dfl = {.sa_handler = VSIG_SIG_DFL};
  for (int i = 0; !atomic_load(&f->stop); i++)
    CHECK_EQ(vsig_sigaction(VSIG_SIGCHLD, i & 1 ? &ign : &dfl, NULL), 0);
  return NULL;
}

/* SIGCHLD's action changes while children end: each child is either reaped
 * at once (SIG_IGN at its end) or left for exactly one wait; never both,
 * never neither. */
TEST(children_end_while_sigchld_action_changes) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  struct flipper f = {.par = par};
  pthread_t fh = in_proc_async(par, flip_sigchld, &f, NULL);
  enum { N = 500 };
  static vsig_pid_t kids[N];
  for (int i = 0; i < N; i++)
    kids[i] = mkproc(par);
  for (int i = 0; i < N; i++)
    CHECK_EQ(vsig_proc_exit(kids[i], i & 0xff), 0);
  atomic_store(&f.stop, 1);
  CHECK_EQ(pthread_join(fh, NULL), 0);
  int reaped = 0, gone = 0;
  for (int i = 0; i < N; i++) {
    struct w w = wait_in(par, kids[i], VSIG_WNOHANG);
    if (w.rc == kids[i]) {
      CHECK_EQ(VSIG_WEXITSTATUS(w.status), i & 0xff);
      reaped++;
    } else {
      CHECK_EQ(w.err, ECHILD);
      CHECK_EQ(vsig_proc_destroy(kids[i]), ESRCH);
      gone++;
    }
  }
  CHECK_EQ(reaped + gone, N);
  CHECK_EQ(wait_in(par, -1, VSIG_WNOHANG).err, ECHILD);
}

/* Ends and stops caused by a group send reach the parent as a single send's
 * do (they are handled once the group walk has let go of the registry). */
TEST(group_sends_report_ends_and_stops_to_the_parent) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE);
  vsig_pid_t a = mkproc(par), b = mkproc(par);
  in_proc(a, setpgid_self, &(vsig_pid_t){0});
  in_proc(b, setpgid_self, &a); /* b joins a's group */
  CHECK_EQ(vsig_killpg(a, VSIG_SIGSTOP), 0);
  struct w w = wait_in(par, -a, VSIG_WUNTRACED);
  CHECK(VSIG_WIFSTOPPED(w.status));
  struct w w2 = wait_in(par, -a, VSIG_WUNTRACED);
  CHECK(VSIG_WIFSTOPPED(w2.status));
  CHECK(w.rc != w2.rc);
  CHECK_EQ(vsig_killpg(a, VSIG_SIGKILL), 0);
  w = wait_in(par, -a, 0);
  w2 = wait_in(par, -a, 0);
  CHECK_EQ(VSIG_WTERMSIG(w.status), VSIG_SIGKILL);
  CHECK_EQ(VSIG_WTERMSIG(w2.status), VSIG_SIGKILL);
  CHECK_EQ(w.rc + w2.rc, a + b);
  CHECK_EQ(wait_in(par, -1, VSIG_WNOHANG).err, ECHILD);
}

static void on_chld_plain(int sig) { (void)sig; }

/* A child ready when a handler is due: waitpid returns the child (the kernel
 * looks at the children first) and the handler runs as it returns. */
TEST(a_ready_child_wins_over_a_due_handler) {
  vsig_pid_t par = mkproc(VSIG_PID_NONE), c = mkproc(par);
  vsig_sigaction_t h = {.sa_handler = on_chld_plain}; /* no SA_RESTART */
  in_proc(par, set_sigchld, &h);
  struct w w = {.pid = c};
  vsig_thread_t id;
  pthread_t t = in_proc_async(par, do_waitpid, &w, &id);
  WAIT_FOR(thread_state(id) == VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(vsig_proc_exit(c, 3), 0); /* SIGCHLD and the zombie together */
  CHECK_EQ(pthread_join(t, NULL), 0);
  CHECK_EQ(w.rc, c);
  CHECK_EQ(VSIG_WEXITSTATUS(w.status), 3);
}
