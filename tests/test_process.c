/* SPDX-License-Identifier: MIT */
/*
 * Several virtual processes: sending by pid, what each process and each thread
 * owns, creating and destroying processes, attaching and detaching threads,
 * priorities, and the special pids of kill.
 */
#include "vt.h"
#include "workers.h"

#include <unistd.h>
#include <vsig.h>

static void *install_loggers(void *arg) {
  (void)arg;
  install_logger(VSIG_SIGUSR1, 0);
  install_logger(VSIG_SIGUSR2, 0);
  install_logger(VSIG_SIGRTMIN, 0);
  install_kick();
  return NULL;
}

/* A root: its own session and group, so kill(0) and kill(-pid) reach it alone
 * (test_tree.c has the tree and its groups). */
static vsig_pid_t new_proc(void) {
  vsig_pid_t pid = 0;
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.parent = VSIG_PID_NONE;
  CHECK_EQ(vsig_proc_create(&a, &pid), 0);
  CHECK(pid > 0);
  run_in(pid, install_loggers, NULL);
  return pid;
}

#define NONE SET(0)

/* A pid that names no process: one that existed and was destroyed. */
static vsig_pid_t gone_pid(void) {
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  CHECK_EQ(vsig_proc_destroy(pid), 0);
  return pid;
}

static int events_on(vsig_thread_t t) {
  int n = 0;
  for (int i = 0; i < event_count(); i++)
    n += events[i].thr == t;
  return n;
}

TEST(kill_and_sigqueue_reach_another_process_by_pid) {
  vsig_pid_t p1 = new_proc(), p2 = new_proc();
  CHECK(p1 != p2);
  struct worker w1 = {0}, w2 = {0}, r1 = {0};
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  /* w1 blocks USR1 too: otherwise it would be the best thread to take it. */
  start(&w1, p1, W_SIGWAITINFO, 9, SET(VSIG_SIGRTMIN, VSIG_SIGUSR1), rt);
  start(&w2, p2, W_SIGWAITINFO, 0, rt, rt);
  start(&r1, p1, W_READY, 0, rt, NONE);

  CHECK_EQ(vsig_sigqueue(p2, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 42}), 0);
  wait_done(&w2);
  CHECK_EQ(w2.sig, VSIG_SIGRTMIN);
  CHECK_EQ(w2.info.si_code, VSIG_SI_QUEUE);
  CHECK_EQ(w2.info.si_value.sival_int, 42);
  CHECK_EQ(w2.info.si_pid, vsig_getpid()); /* the sender's (default) process */
  CHECK_EQ(state_of(w1.id), VSIG_THREAD_SIGWAIT);

  /* From a thread of p1 to p2: si_pid is p1. */
  struct worker w2b = {0};
  start(&w2b, p2, W_SIGWAITINFO, 0, rt, rt);
  CHECK_EQ(command_send(&r1, C_SIGQUEUE, p2, VSIG_SIGRTMIN, 5), 0);
  wait_done(&w2b);
  CHECK_EQ(w2b.info.si_pid, p1);
  CHECK_EQ(w2b.info.si_value.sival_int, 5);

  /* kill by pid, to a handler. */
  CHECK_EQ(vsig_kill(p1, VSIG_SIGUSR1), 0);
  CHECK_EQ(command(&r1, C_POLL, NONE), 0);
  wait_events(3);
  CHECK_EQ(events[2].thr, r1.id);
  CHECK_EQ(events[2].sig, VSIG_SIGUSR1);
  CHECK_EQ(events[2].code, VSIG_SI_USER);
  CHECK_EQ(state_of(w1.id), VSIG_THREAD_SIGWAIT);

  stop_worker(&w1);
  stop_worker(&w2);
  stop_worker(&w2b);
  stop_worker(&r1);
  CHECK_EQ(w1.sig, KICK);
}

TEST(unknown_pid_is_esrch) {
  vsig_pid_t gone = gone_pid();
  CHECK_ERRNO(vsig_kill(gone, VSIG_SIGUSR1), ESRCH);
  CHECK_ERRNO(vsig_kill(gone, 0), ESRCH);
  CHECK_ERRNO(vsig_kill(-gone, VSIG_SIGUSR1), ESRCH);
  CHECK_ERRNO(vsig_sigqueue(gone, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 1}), ESRCH);
  CHECK_ERRNO(vsig_sigqueue(gone, 0, (vsig_sigval_t){.sival_int = 1}), ESRCH);
  int term = -1;
  CHECK_EQ(vsig_proc_status(gone, &term), ESRCH);
  CHECK_EQ(vsig_proc_destroy(gone), ESRCH);
  CHECK_EQ(vsig_thread_create(NULL, NULL, gone, 0, worker_main, &(struct worker){0}), ESRCH);
  /* Nothing was lost on the caller's side by the failed sends. */
  vsig_sigset_t pend;
  CHECK_EQ(vsig_sigpending(&pend), 0);
  CHECK_EQ(pend.bits, 0);
}

static void *attach_to_gone(void *arg) {
  vsig_pid_t pid = *(vsig_pid_t *)arg;
  CHECK_EQ(vsig_thread_attach(pid, 0), ESRCH);
  return NULL;
}

TEST(attach_to_unknown_pid_is_esrch) {
  vsig_pid_t gone = gone_pid();
  pthread_t h;
  CHECK_EQ(pthread_create(&h, NULL, attach_to_gone, &gone), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
}

static void *ignore_usr1(void *arg) {
  (void)arg;
  install_action(VSIG_SIGUSR1, VSIG_SIG_IGN);
  return NULL;
}

static void *read_usr1(void *arg) {
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, arg), 0);
  return NULL;
}

TEST(each_process_has_its_own_actions) {
  vsig_pid_t p1 = new_proc(), p2 = new_proc();
  run_in(p2, ignore_usr1, NULL);
  vsig_sigaction_t a1, a2, a0;
  run_in(p1, read_usr1, &a1);
  run_in(p2, read_usr1, &a2);
  CHECK(a1.sa_sigaction == on_logged);
  CHECK(a1.sa_flags & VSIG_SA_SIGINFO);
  CHECK(a2.sa_handler == VSIG_SIG_IGN);
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &a0), 0);
  CHECK(a0.sa_handler == VSIG_SIG_DFL); /* the caller's default process is untouched */

  struct worker r1 = {0}, r2 = {0};
  start(&r1, p1, W_READY, 0, NONE, NONE);
  start(&r2, p2, W_READY, 0, NONE, NONE);
  CHECK_EQ(vsig_kill(p2, VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_kill(p1, VSIG_SIGUSR1), 0);
  wait_events(1);
  CHECK_EQ(events[0].thr, r1.id);
  int term = -1;
  CHECK_EQ(vsig_proc_status(p2, &term), 0);
  CHECK_EQ(term, 0);
  stop_worker(&r1);
  stop_worker(&r2);
  CHECK_EQ(event_count(), 1);
}

TEST(each_process_has_its_own_pending_set_and_queues) {
  vsig_pid_t p1 = new_proc(), p2 = new_proc();
  vsig_sigset_t blocked = SET(VSIG_SIGRTMIN, VSIG_SIGUSR2);
  struct worker r1 = {0}, r2 = {0};
  start(&r1, p1, W_READY, 0, blocked, NONE);
  start(&r2, p2, W_READY, 0, blocked, NONE);
  for (int v = 1; v <= 3; v++)
    CHECK_EQ(vsig_sigqueue(p1, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = v}), 0);
  for (int v = 10; v <= 20; v += 10)
    CHECK_EQ(vsig_sigqueue(p2, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = v}), 0);
  CHECK_EQ(vsig_kill(p1, VSIG_SIGUSR2), 0);

  CHECK_EQ(command(&r1, C_SIGPENDING, NONE), 0);
  CHECK_EQ(r1.cmd_out.bits, blocked.bits);
  CHECK_EQ(command(&r2, C_SIGPENDING, NONE), 0);
  CHECK_EQ(r2.cmd_out.bits, SET(VSIG_SIGRTMIN).bits);

  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  for (int v = 1; v <= 3; v++) {
    CHECK_EQ(command(&r1, C_TAKE, rt), VSIG_SIGRTMIN);
    CHECK_EQ(r1.cmd_info.si_value.sival_int, v);
  }
  CHECK_EQ(command(&r1, C_TAKE, rt), -1);
  CHECK_EQ(r1.cmd_err, EAGAIN);
  for (int v = 10; v <= 20; v += 10) {
    CHECK_EQ(command(&r2, C_TAKE, rt), VSIG_SIGRTMIN);
    CHECK_EQ(r2.cmd_info.si_value.sival_int, v);
  }
  CHECK_EQ(command(&r2, C_TAKE, rt), -1);
  CHECK_EQ(r2.cmd_err, EAGAIN);
  CHECK_EQ(command(&r1, C_TAKE, SET(VSIG_SIGUSR2)), VSIG_SIGUSR2);
  stop_worker(&r1);
  stop_worker(&r2);
}

TEST(each_thread_has_its_own_mask_and_pending_set) {
  vsig_pid_t p = new_proc();
  vsig_sigset_t both = SET(VSIG_SIGUSR1, VSIG_SIGUSR2);
  struct worker a = {0}, b = {0};
  start(&a, p, W_READY, 0, both, NONE);
  start(&b, p, W_READY, 0, both, NONE);
  CHECK_EQ(command(&a, C_UNBLOCK, SET(VSIG_SIGUSR2)), 0);
  CHECK_EQ(command(&a, C_GETMASK, NONE), 0);
  CHECK_EQ(a.cmd_out.bits, SET(VSIG_SIGUSR1).bits);
  CHECK_EQ(command(&b, C_GETMASK, NONE), 0);
  CHECK_EQ(b.cmd_out.bits, both.bits);

  CHECK_EQ(vsig_pthread_kill(a.id, VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_pthread_kill(b.id, VSIG_SIGUSR2), 0);
  CHECK_EQ(command(&a, C_SIGPENDING, NONE), 0);
  CHECK_EQ(a.cmd_out.bits, SET(VSIG_SIGUSR1).bits);
  CHECK_EQ(command(&b, C_SIGPENDING, NONE), 0);
  CHECK_EQ(b.cmd_out.bits, SET(VSIG_SIGUSR2).bits);
  CHECK_EQ(event_count(), 0);

  CHECK_EQ(command(&a, C_UNBLOCK, SET(VSIG_SIGUSR1)), 0);
  CHECK_EQ(event_count(), 1);
  CHECK_EQ(events[0].thr, a.id);
  CHECK_EQ(command(&b, C_SIGPENDING, NONE), 0);
  CHECK_EQ(b.cmd_out.bits, SET(VSIG_SIGUSR2).bits);
  CHECK_EQ(command(&b, C_UNBLOCK, both), 0);
  CHECK_EQ(event_count(), 2);
  CHECK_EQ(events[1].thr, b.id);
  CHECK_EQ(events[1].sig, VSIG_SIGUSR2);
  stop_worker(&a);
  stop_worker(&b);
}

TEST(proc_create_destroy_status) {
  vsig_pid_t p1, p2;
  CHECK_EQ(vsig_proc_create(NULL, NULL), EINVAL);
  CHECK_EQ(vsig_proc_create(NULL, &p1), 0);
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  CHECK_EQ(vsig_proc_create(&attr, &p2), 0);
  CHECK(p1 > 0 && p2 > 0 && p1 != p2);
  CHECK(p1 != getpid() && p2 != getpid());

  int term = -1;
  CHECK_EQ(vsig_proc_status(p1, &term), 0);
  CHECK_EQ(term, 0);
  CHECK_EQ(vsig_proc_status(p1, NULL), EINVAL);

  struct worker r = {0};
  start(&r, p1, W_READY, 0, SET(0), SET(0));
  CHECK_EQ(vsig_proc_destroy(p1), EBUSY);
  CHECK_EQ(vsig_kill(p1, 0), 0); /* still there */
  stop_worker(&r);               /* its thread detaches as it exits */
  CHECK_EQ(vsig_proc_destroy(p1), 0);
  CHECK_EQ(vsig_proc_status(p1, &term), ESRCH);
  CHECK_EQ(vsig_proc_destroy(p1), ESRCH);
  CHECK_ERRNO(vsig_kill(p1, 0), ESRCH);
  CHECK_EQ(vsig_kill(p2, 0), 0);
  CHECK_EQ(vsig_proc_destroy(p2), 0);
}

TEST(destroying_a_process_leaves_the_others_alone) {
  vsig_pid_t p1 = new_proc(), p2 = new_proc();
  struct worker w = {0};
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  start(&w, p2, W_SIGWAITINFO, 0, rt, rt);
  /* p1's pending queue goes with it. */
  CHECK_EQ(vsig_sigqueue(p1, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 1}), 0);
  CHECK_EQ(vsig_proc_destroy(p1), 0);
  CHECK_EQ(vsig_sigqueue(p2, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 2}), 0);
  wait_done(&w);
  CHECK_EQ(w.info.si_value.sival_int, 2);
  stop_worker(&w);
}

struct attach_ctx {
  vsig_pid_t p, p2;
  vsig_thread_t id;
  int rc[12];
  vsig_pid_t pid_after_detach;
};

static void *attach_detach(void *arg) {
  struct attach_ctx *c = arg;
  c->rc[0] = vsig_thread_attach(c->p, 3);
  c->rc[1] = vsig_getpid() == c->p;
  c->id = vsig_thread_self();
  int prio = -1;
  c->rc[2] = vsig_thread_getpriority(c->id, &prio);
  c->rc[3] = prio;
  c->rc[4] = vsig_thread_attach(c->p, 3);  /* already attached */
  c->rc[5] = vsig_thread_attach(c->p2, 3); /* even to another process */
  c->rc[6] = vsig_thread_detach();
  c->rc[7] = vsig_thread_detach(); /* not attached any more */
  c->rc[8] = vsig_thread_attach(c->p2, 1);
  c->rc[9] = vsig_getpid() == c->p2;
  c->rc[10] = vsig_thread_detach();
  /* A thread that calls vsig unattached joins the default process. */
  c->pid_after_detach = vsig_getpid();
  c->rc[11] = vsig_thread_detach();
  return NULL;
}

TEST(attach_and_detach) {
  struct attach_ctx c = {.p = new_proc(), .p2 = new_proc()};
  pthread_t h;
  CHECK_EQ(pthread_create(&h, NULL, attach_detach, &c), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(c.rc[0], 0);
  CHECK_EQ(c.rc[1], 1);
  CHECK_EQ(c.rc[2], 0);
  CHECK_EQ(c.rc[3], 3);
  CHECK_EQ(c.rc[4], EBUSY);
  CHECK_EQ(c.rc[5], EBUSY);
  CHECK_EQ(c.rc[6], 0);
  CHECK_EQ(c.rc[7], EINVAL);
  CHECK_EQ(c.rc[8], 0);
  CHECK_EQ(c.rc[9], 1);
  CHECK_EQ(c.rc[10], 0);
  CHECK_EQ(c.pid_after_detach, getpid());
  CHECK_EQ(c.rc[11], 0);
  /* The detached thread is gone as a target. */
  int st;
  CHECK_EQ(vsig_thread_getstate(c.id, &st), ESRCH);
  CHECK_EQ(vsig_pthread_kill(c.id, VSIG_SIGUSR1), ESRCH);
  /* The main thread is attached to the default process by its first call. */
  CHECK_EQ(vsig_getpid(), getpid());
  CHECK_EQ(vsig_thread_attach(c.p, 0), EBUSY);
  /* Both processes can go now that no thread is attached. */
  CHECK_EQ(vsig_proc_destroy(c.p), 0);
  CHECK_EQ(vsig_proc_destroy(c.p2), 0);
}

TEST(detaching_thread_gives_its_process_directed_signals_back) {
  vsig_pid_t p = new_proc();
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  struct worker chosen = {.nopoll = true}, other = {0};
  start(&chosen, p, W_READY, 9, SET(0), SET(0));
  start(&other, p, W_READY, 1, rt, SET(0));
  /* Given to chosen (the only thread with it unblocked), which never polls. */
  CHECK_EQ(vsig_sigqueue(p, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 5}), 0);
  CHECK_EQ(vsig_sigqueue(p, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 6}), 0);
  CHECK_EQ(event_count(), 0);
  vsig_thread_t id = chosen.id;
  CHECK_EQ(command(&chosen, C_DETACH, SET(0)), 0);
  CHECK_EQ(pthread_join(chosen.host, NULL), 0);
  int st;
  CHECK_EQ(vsig_thread_getstate(id, &st), ESRCH);

  /* Back on the process, in their order. */
  CHECK_EQ(command(&other, C_SIGPENDING, SET(0)), 0);
  CHECK_EQ(vsig_sigismember(&other.cmd_out, VSIG_SIGRTMIN), 1);
  CHECK_EQ(command(&other, C_UNBLOCK, rt), 0);
  CHECK_EQ(event_count(), 2);
  CHECK_EQ(events[0].thr, other.id);
  CHECK_EQ(events[0].val, 5);
  CHECK_EQ(events[1].thr, other.id);
  CHECK_EQ(events[1].val, 6);
  stop_worker(&other);
  CHECK_EQ(event_count(), 2);
}

static void *attach_and_record(void *arg) {
  vsig_pid_t p = *(vsig_pid_t *)arg;
  CHECK_EQ(vsig_thread_attach(p, 0), 0);
  /* The handler ran before attach returned. */
  CHECK_EQ(event_count(), 1);
  CHECK_EQ(events[0].thr, vsig_thread_self());
  CHECK_EQ(vsig_thread_detach(), 0);
  return NULL;
}

TEST(signal_pending_on_a_process_without_threads_goes_to_the_first_attached) {
  vsig_pid_t p = new_proc();
  CHECK_EQ(vsig_kill(p, VSIG_SIGUSR1), 0);
  pthread_t h;
  CHECK_EQ(pthread_create(&h, NULL, attach_and_record, &p), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(event_count(), 1);
}

TEST(thread_priorities_get_and_set) {
  vsig_pid_t p = new_proc();
  struct worker a = {0}, b = {0};
  start(&a, p, W_READY, 1, SET(0), SET(0));
  start(&b, p, W_READY, 5, SET(0), SET(0));
  int prio = 0;
  CHECK_EQ(vsig_thread_getpriority(a.id, &prio), 0);
  CHECK_EQ(prio, 1);
  CHECK_EQ(vsig_thread_getpriority(b.id, &prio), 0);
  CHECK_EQ(prio, 5);
  CHECK_EQ(vsig_thread_getpriority(a.id, NULL), EINVAL);

  CHECK_EQ(vsig_thread_setpriority(a.id, 10), 0);
  CHECK_EQ(vsig_thread_getpriority(a.id, &prio), 0);
  CHECK_EQ(prio, 10);
  /* Delivery follows the new priority. */
  CHECK_EQ(vsig_kill(p, VSIG_SIGUSR1), 0);
  wait_events(1);
  CHECK_EQ(events[0].thr, a.id);

  CHECK_EQ(vsig_thread_setpriority(a.id, -7), 0);
  CHECK_EQ(vsig_thread_getpriority(a.id, &prio), 0);
  CHECK_EQ(prio, -7);
  CHECK_EQ(vsig_kill(p, VSIG_SIGUSR1), 0);
  wait_events(2);
  CHECK_EQ(events[1].thr, b.id);

  vsig_thread_t gone = a.id;
  stop_worker(&a);
  CHECK_EQ(vsig_thread_setpriority(gone, 1), ESRCH);
  CHECK_EQ(vsig_thread_getpriority(gone, &prio), ESRCH);
  CHECK_EQ(vsig_thread_getpriority(0, &prio), ESRCH);
  stop_worker(&b);
}

static void *getpid_plain(void *arg) {
  *(vsig_pid_t *)arg = vsig_getpid();
  return NULL;
}

TEST(getpid_is_the_callers_process_and_the_default_is_the_host_pid) {
  CHECK_EQ(vsig_getpid(), getpid());
  vsig_pid_t p = new_proc();
  struct worker r = {0};
  start(&r, p, W_READY, 0, SET(0), SET(0));
  CHECK_EQ(command(&r, C_GETPID, SET(0)), p);
  stop_worker(&r);
  /* A host thread that never attached joins the default process. */
  vsig_pid_t got = 0;
  pthread_t h;
  CHECK_EQ(pthread_create(&h, NULL, getpid_plain, &got), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(got, getpid());
}

TEST(kill_zero_is_the_callers_group) {
  vsig_pid_t p = new_proc(), other = new_proc();
  struct worker sender = {.nopoll = true}, mate = {0}, elsewhere = {0};
  start(&mate, p, W_READY, 9, SET(VSIG_SIGUSR1), SET(0));
  start(&elsewhere, other, W_READY, 9, SET(0), SET(0));
  start(&sender, p, W_READY, 0, SET(0), SET(0));
  CHECK_EQ(command_send(&sender, C_KILL, 0, VSIG_SIGUSR1, 0), 0);
  CHECK_EQ(sender.cmd_events, 1);
  CHECK_EQ(events[0].thr, sender.id);
  /* Signal 0 checks the caller's process and sends nothing. */
  CHECK_EQ(command_send(&sender, C_KILL, 0, 0, 0), 0);
  stop_worker(&sender);
  stop_worker(&mate);
  stop_worker(&elsewhere);
  CHECK_EQ(event_count(), 1);
}

TEST(kill_negative_pid_is_that_group) {
  vsig_pid_t p = new_proc(), other = new_proc();
  struct worker r = {0}, elsewhere = {0};
  start(&r, p, W_READY, 0, SET(0), SET(0));
  start(&elsewhere, other, W_READY, 9, SET(0), SET(0));
  CHECK_EQ(vsig_kill(-p, VSIG_SIGUSR1), 0);
  wait_events(1);
  CHECK_EQ(events[0].thr, r.id);
  CHECK_EQ(vsig_kill(-p, 0), 0);
  stop_worker(&r);
  stop_worker(&elsewhere);
  CHECK_EQ(event_count(), 1);
}

/* Every process but the sender's and the reaper (here a named one, so that
 * the default process, the oldest, is reached). */
TEST(kill_minus_one_reaches_every_other_process) {
  install_logger(VSIG_SIGUSR1, 0); /* the default process, where main lives */
  vsig_pid_t p1 = new_proc(), p2 = new_proc(), p3 = new_proc(), reaper = new_proc();
  CHECK_EQ(vsig_set_reaper(reaper), 0);
  struct worker sender = {0}, mate = {0}, r2 = {0}, r3 = {0};
  start(&sender, p1, W_READY, 0, SET(0), SET(0));
  start(&mate, p1, W_READY, 9, SET(0), SET(0));
  start(&r2, p2, W_READY, 0, SET(0), SET(0));
  start(&r3, p3, W_READY, 0, SET(0), SET(0));
  CHECK_EQ(command_send(&sender, C_KILL, -1, VSIG_SIGUSR1, 0), 0);
  vsig_poll(); /* main is the default process's only thread */
  wait_events(3);
  CHECK_EQ(events_on(r2.id), 1);
  CHECK_EQ(events_on(r3.id), 1);
  CHECK_EQ(events_on(vsig_thread_self()), 1);
  CHECK_EQ(command_send(&sender, C_KILL, -1, 0, 0), 0);
  stop_worker(&sender);
  stop_worker(&mate);
  stop_worker(&r2);
  stop_worker(&r3);
  /* Never the sender's own process, nor the reaper (whose SIGUSR1 would
   * have ended it). */
  CHECK_EQ(events_on(sender.id) + events_on(mate.id), 0);
  CHECK_EQ(event_count(), 3);
  int term = -1;
  CHECK_EQ(vsig_proc_status(reaper, &term), 0);
  CHECK_EQ(term, 0);
  CHECK_EQ(vsig_set_reaper(0), 0);
}

TEST(kill_minus_one_with_no_other_process_is_esrch) {
  CHECK_ERRNO(vsig_kill(-1, 0), ESRCH);
  CHECK_ERRNO(vsig_kill(-1, VSIG_SIGUSR1), ESRCH);
  vsig_pid_t p;
  CHECK_EQ(vsig_proc_create(NULL, &p), 0);
  CHECK_EQ(vsig_kill(-1, 0), 0);
}

static void *noop(void *arg) { return arg; }

/* A plain program's first vsig call may be to start a thread in its own
 * (default) process: that process is the host pid from the start. */
TEST(default_process_accepts_threads_by_host_pid_before_any_other_call) {
  pthread_t h;
  vsig_thread_t id = 0;
  CHECK_EQ(vsig_thread_create(&h, &id, getpid(), 0, noop, NULL), 0);
  CHECK(id != 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
  CHECK_EQ(vsig_getpid(), getpid());
}

TEST(default_process_status_by_host_pid_before_any_other_call) {
  int term = -1;
  CHECK_EQ(vsig_proc_status(getpid(), &term), 0);
  CHECK_EQ(term, 0);
}

/* Creating a thread in a process races with destroying that process: the
 * create either fails with ESRCH or links its thread into a live process
 * (then destroy says EBUSY), never into freed memory (ASan checks). */
static void *leave_at_once(void *arg) {
  (void)arg;
  return NULL;
}

struct destroyer {
  _Atomic vsig_pid_t pid;
  _Atomic int stop;
};

static void *destroy_loop(void *arg) {
  struct destroyer *d = arg;
  while (!atomic_load(&d->stop)) {
    vsig_pid_t pid = atomic_load(&d->pid);
    if (pid)
      vsig_proc_destroy(pid);
  }
  return NULL;
}

TEST(thread_create_races_with_proc_destroy) {
  struct destroyer d = {0, 0};
  pthread_t killer;
  CHECK_EQ(pthread_create(&killer, NULL, destroy_loop, &d), 0);
  for (int i = 0; i < 2000; i++) {
    vsig_pid_t pid;
    CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
    atomic_store(&d.pid, pid);
    pthread_t h;
    int rc = vsig_thread_create(&h, NULL, pid, 0, leave_at_once, NULL);
    CHECK(rc == 0 || rc == ESRCH);
    if (rc == 0)
      CHECK_EQ(pthread_join(h, NULL), 0);
  }
  atomic_store(&d.stop, 1);
  CHECK_EQ(pthread_join(killer, NULL), 0);
}

/* A handler may not detach the thread it runs on: the delivery that called it
 * still uses the thread when it returns. */
static _Atomic int detach_rc = -1;
static void try_detach(int sig) {
  (void)sig;
  atomic_store(&detach_rc, vsig_thread_detach());
}

TEST(detach_from_a_handler_is_ebusy) {
  vsig_sigaction_t act = {.sa_handler = try_detach};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, NULL), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(atomic_load(&detach_rc), EBUSY);
  CHECK_EQ(vsig_thread_detach(), 0); /* outside the handler it works */
}
