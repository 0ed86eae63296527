/* SPDX-License-Identifier: MIT */
/*
 * The embedder's blocking API: vsig_block_begin / vsig_block_end bracket a
 * blocking call of the embedder's own. Interruptible: a signal that picks the
 * thread calls the wake function (on the sender's thread, before the send
 * returns), and block_end runs the handlers and says EINTR, VSIG_ERESTART (all
 * had SA_RESTART) or 0. Non-interruptible: never woken, handlers at block_end.
 */
#include "vt.h"
#include "workers.h"

#include <vsig.h>

#define NONE SET(0)

static vsig_pid_t P;

static void no_wake(void *arg) { (void)arg; }

static void *install(void *arg) {
  (void)arg;
  install_logger(VSIG_SIGUSR1, 0);
  install_logger(VSIG_SIGUSR2, VSIG_SA_RESTART);
  install_logger(VSIG_SIGRTMIN, VSIG_SA_RESTART);
  install_kick();
  return NULL;
}

static void *ignore_usr1(void *arg) {
  (void)arg;
  install_action(VSIG_SIGUSR1, VSIG_SIG_IGN);
  return NULL;
}

static void setup(void) {
  CHECK_EQ(vsig_proc_create(NULL, &P), 0);
  run_in(P, install, NULL);
}

static void release(struct worker *w) {
  atomic_store(&w->stop, 1);
  wait_done(w);
}

TEST(wake_is_called_when_a_signal_picks_the_blocked_thread) {
  setup();
  struct worker b = {.hold = true};
  start(&b, P, W_BLOCK_INTR, 0, NONE, NONE);
  CHECK_EQ(b.begin_rc, 0);
  CHECK_EQ(atomic_load(&b.woken), 0);
  CHECK_EQ(vsig_kill(P, VSIG_SIGUSR1), 0);
  /* The sender called wake before kill returned; the handler waits for
   * block_end, on the blocked thread. */
  CHECK_EQ(atomic_load(&b.woken), 1);
  CHECK_EQ(event_count(), 0);
  release(&b);
  CHECK_EQ(b.rc, EINTR);
  CHECK_EQ(event_count(), 1);
  CHECK_EQ(events[0].thr, b.id);
  stop_worker(&b);
}

TEST(wake_is_called_for_a_thread_directed_signal) {
  setup();
  struct worker b = {.hold = true};
  start(&b, P, W_BLOCK_INTR, 0, NONE, NONE);
  CHECK_EQ(vsig_pthread_kill(b.id, VSIG_SIGUSR1), 0);
  CHECK_EQ(atomic_load(&b.woken), 1);
  release(&b);
  CHECK_EQ(b.rc, EINTR);
  CHECK_EQ(event_count(), 1);
  CHECK_EQ(events[0].code, VSIG_SI_TKILL);
  stop_worker(&b);
}

TEST(block_end_gives_erestart_when_every_handler_had_sa_restart) {
  setup();
  struct worker b = {.hold = true};
  start(&b, P, W_BLOCK_INTR, 0, NONE, NONE);
  CHECK_EQ(vsig_kill(P, VSIG_SIGUSR2), 0);
  CHECK_EQ(vsig_sigqueue(P, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 1}), 0);
  CHECK(atomic_load(&b.woken) >= 1);
  release(&b);
  CHECK_EQ(b.rc, VSIG_ERESTART);
  CHECK_EQ(event_count(), 2);
  stop_worker(&b);
}

TEST(block_end_gives_eintr_when_any_handler_lacked_sa_restart) {
  setup();
  struct worker b = {.hold = true};
  start(&b, P, W_BLOCK_INTR, 0, NONE, NONE);
  CHECK_EQ(vsig_kill(P, VSIG_SIGUSR2), 0);                                       /* restart */
  CHECK_EQ(vsig_sigqueue(P, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = 1}), 0); /* restart */
  CHECK_EQ(vsig_kill(P, VSIG_SIGUSR1), 0);                                       /* not */
  release(&b);
  CHECK_EQ(b.rc, EINTR);
  CHECK_EQ(event_count(), 3);
  for (int i = 0; i < 3; i++)
    CHECK_EQ(events[i].thr, b.id);
  stop_worker(&b);
}

TEST(block_end_gives_zero_when_no_handler_ran) {
  setup();
  struct worker b = {0};
  start(&b, P, W_BLOCK_INTR, 0, NONE, NONE);
  release(&b);
  CHECK_EQ(b.rc, 0);
  struct worker n = {0};
  start(&n, P, W_BLOCK_NONINTR, 0, NONE, NONE);
  release(&n);
  CHECK_EQ(n.rc, 0);
  stop_worker(&b);
  stop_worker(&n);
  /* And on a plain thread of the default process. */
  CHECK_EQ(vsig_block_begin(0, NULL, NULL), 0);
  CHECK_EQ(vsig_block_end(), 0);
  CHECK_EQ(event_count(), 0);
}

TEST(ignored_or_blocked_signal_does_not_wake) {
  setup();
  run_in(P, ignore_usr1, NULL);
  struct worker b = {.hold = true}, masked = {.hold = true}, ready = {0};
  start(&b, P, W_BLOCK_INTR, 9, NONE, NONE);
  start(&masked, P, W_BLOCK_INTR, 9, SET(VSIG_SIGUSR2), NONE);
  start(&ready, P, W_READY, 0, NONE, NONE);
  CHECK_EQ(vsig_kill(P, VSIG_SIGUSR1), 0); /* ignored */
  CHECK_EQ(atomic_load(&b.woken), 0);
  CHECK_EQ(vsig_pthread_kill(masked.id, VSIG_SIGUSR2), 0); /* blocked by it */
  CHECK_EQ(atomic_load(&masked.woken), 0);
  /* A process-directed one goes to a thread that has it unblocked. */
  CHECK_EQ(vsig_kill(P, VSIG_SIGUSR2), 0);
  CHECK_EQ(atomic_load(&masked.woken), 0);
  CHECK_EQ(atomic_load(&b.woken), 1);
  release(&b);
  CHECK_EQ(b.rc, VSIG_ERESTART);
  release(&masked);
  CHECK_EQ(masked.rc, 0); /* its own signal is still blocked, still pending */
  stop_worker(&b);
  stop_worker(&masked);
  stop_worker(&ready);
  CHECK_EQ(event_count(), 1);
  CHECK_EQ(events[0].thr, b.id);
}

TEST(already_deliverable_signal_makes_block_begin_eintr) {
  setup();
  /* The only thread with it unblocked, and not polling: the signal is
   * given to it and waits for its next safe point. */
  struct worker r = {.nopoll = true};
  start(&r, P, W_READY, 0, NONE, NONE);
  CHECK_EQ(vsig_kill(P, VSIG_SIGUSR1), 0);
  CHECK_EQ(event_count(), 0);
  CHECK_EQ(command(&r, C_BLOCKCALL, NONE), EINTR);
  CHECK_EQ(atomic_load(&r.woken), 0); /* it never blocked, so nothing to wake */
  CHECK_EQ(r.cmd_rc2, EINTR);         /* block_end ran the handler */
  CHECK_EQ(event_count(), 1);
  CHECK_EQ(events[0].thr, r.id);
  /* Nothing left: the next call blocks normally and ends with 0. */
  CHECK_EQ(command(&r, C_BLOCKCALL, NONE), 0);
  CHECK_EQ(r.cmd_rc2, 0);
  stop_worker(&r);
}

TEST(blocked_pending_signal_does_not_interrupt_block_begin) {
  vsig_sigset_t usr1 = SET(VSIG_SIGUSR1);
  install_logger(VSIG_SIGUSR1, VSIG_SA_RESTART);
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &usr1, NULL), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(event_count(), 0);
  /* Blocked: it does not interrupt. */
  CHECK_EQ(vsig_block_begin(1, no_wake, NULL), 0);
  CHECK_EQ(vsig_block_end(), 0);
  CHECK_EQ(event_count(), 0);
}

TEST(non_interruptible_thread_is_not_woken_and_gets_its_signal_at_block_end) {
  setup();
  struct worker n = {.wake_nonintr = true}, ready = {0};
  start(&n, P, W_BLOCK_NONINTR, 9, NONE, NONE);
  start(&ready, P, W_READY, 0, NONE, NONE);
  CHECK_EQ(vsig_kill(P, VSIG_SIGUSR1), 0);
  /* Chosen (priority 9), but not woken; the handler waits for block_end. */
  CHECK_EQ(atomic_load(&n.woken), 0);
  CHECK_EQ(state_of(n.id), VSIG_THREAD_NONINTERRUPTIBLE);
  CHECK_EQ(event_count(), 0);
  CHECK_EQ(vsig_pthread_kill(n.id, VSIG_SIGUSR2), 0);
  CHECK_EQ(atomic_load(&n.woken), 0);
  release(&n);
  CHECK_EQ(n.rc, EINTR);
  CHECK_EQ(event_count(), 2);
  CHECK_EQ(events[0].thr, n.id);
  CHECK_EQ(events[1].thr, n.id);
  stop_worker(&n);
  stop_worker(&ready);
}

TEST(non_interruptible_block_end_gives_erestart_for_sa_restart_handlers) {
  setup();
  struct worker n = {0};
  start(&n, P, W_BLOCK_NONINTR, 0, NONE, NONE);
  CHECK_EQ(vsig_kill(P, VSIG_SIGUSR2), 0);
  release(&n);
  CHECK_EQ(n.rc, VSIG_ERESTART);
  CHECK_EQ(event_count(), 1);
  stop_worker(&n);
}

TEST(block_api_errors) {
  CHECK_EQ(vsig_block_end(), EINVAL); /* not inside a blocking call */
  CHECK_EQ(vsig_block_begin(1, NULL, NULL), EINVAL);
  CHECK_EQ(vsig_block_end(), EINVAL); /* the failed begin left nothing open */
  CHECK_EQ(vsig_block_begin(1, no_wake, NULL), 0);
  CHECK_EQ(vsig_block_begin(1, no_wake, NULL), EBUSY);
  CHECK_EQ(vsig_block_begin(0, NULL, NULL), EBUSY);
  CHECK_EQ(vsig_block_end(), 0);
  CHECK_EQ(vsig_block_end(), EINVAL);
}

TEST(termination_wakes_and_cancels_blocked_calls) {
  setup();
  struct worker b = {.hold = true}, n = {.wake_nonintr = true}, r = {0};
  start(&b, P, W_BLOCK_INTR, 0, SET(VSIG_SIGTERM), NONE);
  start(&n, P, W_BLOCK_NONINTR, 0, SET(VSIG_SIGTERM), NONE);
  start(&r, P, W_READY, 0, NONE, NONE);
  vsig_set_terminate_callback(NULL, NULL);
  CHECK_EQ(vsig_kill(P, VSIG_SIGTERM), 0); /* not the default process: no host death */
  CHECK_EQ(atomic_load(&b.woken), 1);
  release(&b);
  release(&n);
  CHECK_EQ(b.rc, ECANCELED);
  CHECK_EQ(n.rc, ECANCELED);
  CHECK_EQ(command(&r, C_BLOCKCALL, NONE), ECANCELED);
  CHECK_EQ(r.cmd_rc2, EINVAL); /* begin failed, so there is nothing to end */
  stop_worker(&b);
  stop_worker(&n);
  stop_worker(&r);
}
