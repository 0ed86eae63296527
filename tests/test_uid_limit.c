/* SPDX-License-Identifier: MIT */
/*
 * The per-user limit on queued signals: shared by every process of a real
 * user id, EAGAIN at it, kill's unqueued instance, the count following a
 * process's end and a change of its real user id.
 */
#include "procs.h"

static void on_rt(int sig) { (void)sig; }
static void *catch_rt(void *arg) {
  (void)arg;
  vsig_sigaction_t a = {.sa_handler = on_rt};
  CHECK_EQ(vsig_sigaction(VSIG_SIGRTMIN, &a, NULL), 0);
  CHECK_EQ(vsig_sigaction(VSIG_SIGRTMIN + 1, &a, NULL), 0);
  return NULL;
}

/* A process of uid with no thread, where caught real-time signals stay
 * pending (no thread takes them). */
static vsig_pid_t proc_of_uid(vsig_uid_t uid) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.parent = VSIG_PID_NONE;
  a.uid = uid;
  a.euid = 0; /* privileged: may change its ids */
  vsig_pid_t p;
  CHECK_EQ(vsig_proc_create(&a, &p), 0);
  in_proc(p, catch_rt, NULL);
  return p;
}

static size_t held(vsig_uid_t uid) {
  size_t q = 0;
  CHECK_EQ(vsig_get_uid_sigqueue(uid, &q, NULL), 0);
  return q;
}

static int queue(vsig_pid_t p, int v) {
  return vsig_sigqueue(p, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = v});
}

TEST(the_limit_is_shared_by_a_users_processes) {
  size_t max = 0;
  CHECK_EQ(vsig_get_uid_sigqueue(7001, NULL, &max), 0);
  CHECK_EQ(max, VSIG_UID_SIGQUEUE_MAX_DEFAULT);
  CHECK_EQ(vsig_set_uid_sigqueue_max(7001, 5), 0);
  vsig_pid_t a = proc_of_uid(7001), b = proc_of_uid(7001), other = proc_of_uid(7002);
  for (int i = 0; i < 3; i++)
    CHECK_EQ(queue(a, i), 0);
  CHECK_EQ(queue(b, 3), 0);
  CHECK_EQ(queue(b, 4), 0);
  CHECK_EQ(held(7001), 5);
  CHECK_ERRNO(queue(a, 5), EAGAIN);
  CHECK_ERRNO(queue(b, 5), EAGAIN);
  CHECK_EQ(held(7001), 5);      /* a failed call changes nothing */
  CHECK_EQ(queue(other, 0), 0); /* another user's account */
  /* kill still leaves one unqueued instance, as the kernel lets kill exceed it. */
  CHECK_EQ(vsig_kill(a, VSIG_SIGRTMIN + 1), 0);
  CHECK_EQ(held(7001), 5);
  /* An end discards what a process held; the room is the user's again. */
  CHECK_EQ(vsig_kill(a, VSIG_SIGKILL), 0);
  CHECK_EQ(held(7001), 2);
  CHECK_EQ(queue(b, 6), 0);
  CHECK_EQ(vsig_proc_destroy(b), 0); /* destroyed with 3 pending */
  CHECK_EQ(held(7001), 0);
  CHECK_EQ(vsig_proc_destroy(a), 0);
  CHECK_EQ(vsig_proc_destroy(other), 0);
  CHECK_EQ(held(7002), 0);
}

struct agent {
  vsig_uid_t to;
  _Atomic int ready, go;
};
static void *become_on_go(void *arg) {
  struct agent *g = arg;
  vsig_sigset_t all;
  vsig_sigfillset(&all);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &all, NULL), 0);
  atomic_store(&g->ready, 1);
  WAIT_FOR(atomic_load(&g->go));
  CHECK_EQ(vsig_setuid(g->to), 0);
  return NULL;
}

TEST(a_change_of_real_uid_moves_what_the_process_holds) {
  vsig_pid_t p = proc_of_uid(7101);
  struct agent g = {.to = 7102};
  pthread_t h = in_proc_async(p, become_on_go, &g, NULL);
  WAIT_FOR(atomic_load(&g.ready));
  for (int i = 0; i < 4; i++)
    CHECK_EQ(queue(p, i), 0);
  /* The 4, and the room it set aside for its next ones (far from the limit). */
  CHECK(held(7101) >= 4 && held(7101) < 4 + 2 * 8);
  atomic_store(&g.go, 1);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(held(7101), 0);
  CHECK_EQ(held(7102), 4);
  CHECK_EQ(vsig_proc_destroy(p), 0);
  CHECK_EQ(held(7102), 0);
}

TEST(errors) {
  CHECK_EQ(vsig_get_uid_sigqueue(7201, NULL, NULL), EINVAL);
  size_t q = 1, m = 0;
  CHECK_EQ(vsig_get_uid_sigqueue(7201, &q, &m), 0); /* made on first use */
  CHECK_EQ(q, 0);
  CHECK_EQ(m, VSIG_UID_SIGQUEUE_MAX_DEFAULT);
}
