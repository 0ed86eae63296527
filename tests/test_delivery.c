/* SPDX-License-Identifier: MIT */
/*
 * The delivery algorithm for process-directed signals (SPEC.md, "Which text
 * wins" 2), with real threads in each state. Every test works in a process of
 * its own (P) that the main thread is not part of, so only the workers compete.
 * The RTEMS steps:
 *   1 ignored: nobody; 2 the sending thread if it has it unblocked;
 *   3 the highest-priority sigwait-family waiter; 4 the highest-priority thread
 *   with it unblocked, ties: ready, then interruptible, then non-interruptible,
 *   then the one that entered its state first; 5 pending for the first thread
 *   that unblocks or waits.
 */
#include "vt.h"
#include "workers.h"

#include <unistd.h>
#include <vsig.h>

static vsig_pid_t P;

static void *install_loggers(void *arg) {
  (void)arg;
  install_logger(VSIG_SIGUSR1, 0);
  install_logger(VSIG_SIGUSR2, 0);
  install_logger(VSIG_SIGRTMIN, 0);
  /* A handler does not block its own signal: see the exactly-once test. */
  install_logger(VSIG_SIGRTMIN + 1, VSIG_SA_NODEFER);
  install_kick();
  return NULL;
}

static void *ignore_usr1_rtmin(void *arg) {
  (void)arg;
  install_action(VSIG_SIGUSR1, VSIG_SIG_IGN);
  install_action(VSIG_SIGRTMIN, VSIG_SIG_IGN);
  return NULL;
}

static void setup(void) {
  CHECK_EQ(vsig_proc_create(NULL, &P), 0);
  run_in(P, install_loggers, NULL);
}

static void send_kill(int sig) { CHECK_EQ(vsig_kill(P, sig), 0); }

static void send_value(int sig, int val) {
  CHECK_EQ(vsig_sigqueue(P, sig, (vsig_sigval_t){.sival_int = val}), 0);
}

static const vsig_sigset_t *none(void) {
  static vsig_sigset_t s;
  vsig_sigemptyset(&s);
  return &s;
}
#define NONE (*none())

/* ---- step 1 ---------------------------------------------------------------- */

TEST(step1_ignored_signal_goes_to_nobody) {
  setup();
  run_in(P, ignore_usr1_rtmin, NULL);
  struct worker ready = {0}, waiter = {0}, blocked = {0};
  start(&ready, P, W_READY, 5, NONE, NONE);
  start(&waiter, P, W_SIGWAITINFO, 9, SET(VSIG_SIGUSR1, VSIG_SIGRTMIN),
        SET(VSIG_SIGUSR1, VSIG_SIGRTMIN));
  start(&blocked, P, W_READY, 1, SET(VSIG_SIGUSR1, VSIG_SIGRTMIN), NONE);

  send_kill(VSIG_SIGUSR1);
  send_value(VSIG_SIGRTMIN, 1);
  /* Not even a thread waiting for it in sigwaitinfo is given it. */
  CHECK_EQ(state_of(waiter.id), VSIG_THREAD_SIGWAIT);
  /* Nor is it left pending for later: a blocking thread does not see it. */
  CHECK_EQ(command(&blocked, C_SIGPENDING, NONE), 0);
  CHECK_EQ(blocked.cmd_out.bits, 0);
  /* Catching it again and unblocking delivers nothing. */
  run_in(P, install_loggers, NULL);
  CHECK_EQ(command(&blocked, C_UNBLOCK, SET(VSIG_SIGUSR1, VSIG_SIGRTMIN)), 0);

  stop_worker(&ready);
  stop_worker(&waiter);
  stop_worker(&blocked);
  CHECK_EQ(waiter.sig, KICK);
  CHECK_EQ(event_count(), 0);
}

/* ---- step 2 ---------------------------------------------------------------- */

TEST(step2_sending_thread_takes_a_signal_it_has_unblocked) {
  setup();
  struct worker sender = {.nopoll = true}, ready = {0}, waiter = {0};
  /* Both of the others would win steps 3 and 4: the sender still comes first. */
  start(&waiter, P, W_SIGWAITINFO, 9, SET(VSIG_SIGUSR1), SET(VSIG_SIGUSR1));
  start(&ready, P, W_READY, 9, NONE, NONE);
  start(&sender, P, W_READY, 0, NONE, NONE);

  CHECK_EQ(command_send(&sender, C_KILL, P, VSIG_SIGUSR1, 0), 0);
  /* The handler ran on the sender before its kill returned. */
  CHECK_EQ(sender.cmd_events, 1);
  wait_events(1);
  CHECK_EQ(events[0].thr, sender.id);
  CHECK_EQ(events[0].code, VSIG_SI_USER);
  CHECK_EQ(state_of(waiter.id), VSIG_THREAD_SIGWAIT);

  stop_worker(&sender);
  stop_worker(&ready);
  stop_worker(&waiter);
  CHECK_EQ(waiter.sig, KICK);
  CHECK_EQ(event_count(), 1);
}

TEST(step2_does_not_apply_when_the_sender_blocks_the_signal) {
  setup();
  struct worker sender = {.nopoll = true}, ready = {0}, waiter = {0};
  start(&ready, P, W_READY, 9, NONE, NONE);
  start(&waiter, P, W_SIGWAITINFO, 1, SET(VSIG_SIGUSR1), SET(VSIG_SIGUSR1));
  start(&sender, P, W_READY, 0, SET(VSIG_SIGUSR1), NONE);

  CHECK_EQ(command_send(&sender, C_KILL, P, VSIG_SIGUSR1, 0), 0);
  wait_done(&waiter); /* step 3: the waiter, though the ready thread ranks higher */
  CHECK_EQ(waiter.sig, VSIG_SIGUSR1);
  wait_events(1);
  CHECK_EQ(events[0].thr, waiter.id);

  stop_worker(&sender);
  stop_worker(&ready);
  stop_worker(&waiter);
  CHECK_EQ(event_count(), 1);
}

/* ---- step 3 ---------------------------------------------------------------- */

TEST(step3_highest_priority_sigwait_family_waiter) {
  setup();
  struct worker w2 = {0}, w6 = {0}, w4 = {0}, other = {0}, ready = {0};
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  /* One of each of sigwait, sigwaitinfo, sigtimedwait. */
  start(&w2, P, W_SIGWAIT, 2, rt, rt);
  start(&w6, P, W_SIGWAITINFO, 6, rt, rt);
  start(&w4, P, W_SIGTIMEDWAIT, 4, rt, rt);
  /* Waiting, but for something else. */
  start(&other, P, W_SIGWAITINFO, 20, SET(VSIG_SIGRTMIN, VSIG_SIGUSR2), SET(VSIG_SIGUSR2));
  /* Would win step 4, but step 3 comes first. */
  start(&ready, P, W_READY, 10, NONE, NONE);

  send_value(VSIG_SIGRTMIN, 1);
  wait_done(&w6);
  send_value(VSIG_SIGRTMIN, 2);
  wait_done(&w4);
  send_value(VSIG_SIGRTMIN, 3);
  wait_done(&w2);
  send_value(VSIG_SIGRTMIN, 4); /* no waiter left: step 4 */
  wait_events(4);
  CHECK_EQ(events[0].thr, w6.id);
  CHECK_EQ(events[0].val, 1);
  CHECK_EQ(events[0].code, VSIG_SI_QUEUE);
  CHECK_EQ(events[1].thr, w4.id);
  CHECK_EQ(events[1].val, 2);
  CHECK_EQ(events[2].thr, w2.id);
  CHECK_EQ(w2.sig, VSIG_SIGRTMIN);
  CHECK_EQ(events[3].thr, ready.id);
  CHECK_EQ(events[3].val, 4);
  CHECK_EQ(state_of(other.id), VSIG_THREAD_SIGWAIT);

  stop_worker(&other);
  stop_worker(&ready);
  stop_worker(&w2);
  stop_worker(&w4);
  stop_worker(&w6);
  CHECK_EQ(other.sig, KICK);
  CHECK_EQ(event_count(), 4);
}

/* ---- step 4 ---------------------------------------------------------------- */

TEST(step4_highest_priority_thread_with_it_unblocked) {
  setup();
  struct worker r1 = {0}, r8 = {0}, r3 = {0}, masked = {0}, paused = {0}, susp = {0};
  start(&r1, P, W_READY, 1, NONE, NONE);
  start(&r8, P, W_READY, 8, NONE, NONE);
  start(&r3, P, W_READY, 3, NONE, NONE);
  /* Higher priority, but the signal is blocked in each. */
  start(&masked, P, W_READY, 20, SET(VSIG_SIGUSR1), NONE);
  start(&paused, P, W_PAUSE, 20, SET(VSIG_SIGUSR1), NONE);
  start(&susp, P, W_SIGSUSPEND, 20, NONE, SET(VSIG_SIGUSR1));

  send_kill(VSIG_SIGUSR1);
  wait_events(1);
  CHECK_EQ(events[0].thr, r8.id);

  CHECK_EQ(state_of(paused.id), VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(state_of(susp.id), VSIG_THREAD_INTERRUPTIBLE);
  stop_worker(&r1);
  stop_worker(&r8);
  stop_worker(&r3);
  stop_worker(&masked);
  stop_worker(&paused);
  stop_worker(&susp);
  CHECK_EQ(event_count(), 1);
}

/*
 * Equal priorities: ready first, then the interruptible kind, then
 * non-interruptible. The workers are started in the opposite order, so that
 * "waited longest" alone would pick the wrong one each time.
 */
static void tie_order(int intr_mode) {
  setup();
  struct worker nonintr = {0}, intr = {0}, ready = {0};
  vsig_sigset_t usr1 = SET(VSIG_SIGUSR1);
  start(&nonintr, P, W_BLOCK_NONINTR, 5, NONE, NONE);
  if (intr_mode == W_SIGSUSPEND)
    start(&intr, P, W_SIGSUSPEND, 5, usr1, NONE); /* unblocked only while suspended */
  else
    start(&intr, P, intr_mode, 5, NONE, NONE);
  start(&ready, P, W_READY, 5, NONE, NONE);

  send_kill(VSIG_SIGUSR1);
  wait_events(1);
  CHECK_EQ(events[0].thr, ready.id);
  CHECK_EQ(command(&ready, C_BLOCK, usr1), 0);

  send_kill(VSIG_SIGUSR1);
  wait_done(&intr);
  wait_events(2);
  CHECK_EQ(events[1].thr, intr.id);
  if (intr_mode == W_BLOCK_INTR) {
    CHECK_EQ(intr.woken, 1);
    CHECK_EQ(intr.rc, EINTR);
  } else {
    CHECK_EQ(intr.rc, -1);
    CHECK_EQ(intr.err, EINTR);
  }

  send_kill(VSIG_SIGUSR1);
  /* Chosen, but not woken: the handler runs when it leaves the call. */
  CHECK_EQ(state_of(nonintr.id), VSIG_THREAD_NONINTERRUPTIBLE);
  CHECK_EQ(event_count(), 2);
  atomic_store(&nonintr.stop, 1);
  wait_done(&nonintr);
  CHECK_EQ(nonintr.rc, EINTR);
  wait_events(3);
  CHECK_EQ(events[2].thr, nonintr.id);

  stop_worker(&ready);
  stop_worker(&intr);
  stop_worker(&nonintr);
  CHECK_EQ(event_count(), 3);
}

TEST(step4_tie_ready_then_pause_then_noninterruptible) { tie_order(W_PAUSE); }
TEST(step4_tie_ready_then_sigsuspend_then_noninterruptible) { tie_order(W_SIGSUSPEND); }
TEST(step4_tie_ready_then_nanosleep_then_noninterruptible) { tie_order(W_NANOSLEEP); }
TEST(step4_tie_ready_then_block_interruptible_then_noninterruptible) { tie_order(W_BLOCK_INTR); }

TEST(step4_priority_beats_state) {
  setup();
  struct worker nonintr = {0}, paused = {0}, ready = {0};
  start(&ready, P, W_READY, 3, NONE, NONE);
  start(&paused, P, W_PAUSE, 5, NONE, NONE);
  start(&nonintr, P, W_BLOCK_NONINTR, 7, NONE, NONE);

  /* Non-interruptible at 7 beats interruptible at 5 and ready at 3. */
  send_value(VSIG_SIGRTMIN, 1);
  CHECK_EQ(state_of(nonintr.id), VSIG_THREAD_NONINTERRUPTIBLE);
  CHECK_EQ(state_of(paused.id), VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(event_count(), 0);
  atomic_store(&nonintr.stop, 1);
  wait_done(&nonintr);
  wait_events(1);
  CHECK_EQ(events[0].thr, nonintr.id);
  CHECK_EQ(events[0].val, 1);

  /* Interruptible at 5 beats ready at 3. */
  send_value(VSIG_SIGRTMIN, 2);
  wait_done(&paused);
  wait_events(2);
  CHECK_EQ(events[1].thr, paused.id);
  CHECK_EQ(events[1].val, 2);

  send_value(VSIG_SIGRTMIN, 3);
  wait_events(3);
  CHECK_EQ(events[2].thr, ready.id);

  stop_worker(&ready);
  stop_worker(&paused);
  stop_worker(&nonintr);
  CHECK_EQ(event_count(), 3);
}

/* ---- equal priority, equal state: the one that entered it first ------------ */

static void waited_longest(int mode) {
  setup();
  struct worker w[3] = {{0}};
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  bool waits = worker_waits(mode);
  for (int i = 0; i < 3; i++)
    start(&w[i], P, mode, 4, waits ? rt : NONE, waits ? rt : NONE);
  for (int i = 0; i < 3; i++) {
    send_value(VSIG_SIGRTMIN, i);
    if (mode == W_BLOCK_NONINTR)
      atomic_store(&w[i].stop, 1);
    wait_done(&w[i]);
    wait_events(i + 1);
    CHECK_EQ(events[i].thr, w[i].id);
    CHECK_EQ(events[i].val, i);
  }
  for (int i = 0; i < 3; i++)
    stop_worker(&w[i]);
  CHECK_EQ(event_count(), 3);
}

TEST(tie_waited_longest_sigwaitinfo) { waited_longest(W_SIGWAITINFO); }
TEST(tie_waited_longest_pause) { waited_longest(W_PAUSE); }
TEST(tie_waited_longest_nanosleep) { waited_longest(W_NANOSLEEP); }
TEST(tie_waited_longest_block_interruptible) { waited_longest(W_BLOCK_INTR); }
TEST(tie_waited_longest_noninterruptible) { waited_longest(W_BLOCK_NONINTR); }

/* Among ready threads it is the time since becoming ready that counts, not the
 * order of creation: a thread that has just come back from pause is the
 * newest ready thread. */
TEST(tie_waited_longest_ready_counts_from_entering_ready) {
  setup();
  struct worker a = {0}, b = {0};
  start(&a, P, W_READY, 4, NONE, NONE);
  start(&b, P, W_READY, 4, NONE, NONE);
  command_async(&a, C_PAUSE, NONE);
  wait_state(a.id, VSIG_THREAD_INTERRUPTIBLE);
  CHECK_EQ(vsig_pthread_kill(a.id, VSIG_SIGUSR2), 0);
  command_wait(&a);
  CHECK_EQ(a.cmd_err, EINTR);
  wait_events(1);
  CHECK_EQ(events[0].thr, a.id);
  CHECK_EQ(events[0].sig, VSIG_SIGUSR2);

  send_value(VSIG_SIGRTMIN, 7);
  wait_events(2);
  CHECK_EQ(events[1].thr, b.id);
  CHECK_EQ(events[1].val, 7);
  stop_worker(&a);
  stop_worker(&b);
  CHECK_EQ(event_count(), 2);
}

/* ---- step 5 ---------------------------------------------------------------- */

TEST(step5_pending_until_the_first_thread_unblocks_it) {
  setup();
  struct worker hi = {0}, lo = {0};
  vsig_sigset_t usr1 = SET(VSIG_SIGUSR1);
  start(&hi, P, W_READY, 9, usr1, NONE);
  start(&lo, P, W_READY, 1, usr1, NONE);
  send_kill(VSIG_SIGUSR1);

  /* Pending on the process, so every thread that blocks it sees it. */
  CHECK_EQ(command(&hi, C_SIGPENDING, NONE), 0);
  CHECK_EQ(vsig_sigismember(&hi.cmd_out, VSIG_SIGUSR1), 1);
  CHECK_EQ(command(&lo, C_SIGPENDING, NONE), 0);
  CHECK_EQ(vsig_sigismember(&lo.cmd_out, VSIG_SIGUSR1), 1);
  CHECK_EQ(event_count(), 0);

  /* The low-priority thread unblocks first: it is the recipient, and the
   * handler has run by the time its pthread_sigmask returns. */
  CHECK_EQ(command(&lo, C_UNBLOCK, usr1), 0);
  CHECK_EQ(event_count(), 1);
  CHECK_EQ(events[0].thr, lo.id);
  CHECK_EQ(command(&hi, C_SIGPENDING, NONE), 0);
  CHECK_EQ(vsig_sigismember(&hi.cmd_out, VSIG_SIGUSR1), 0);
  CHECK_EQ(command(&hi, C_UNBLOCK, usr1), 0);

  stop_worker(&hi);
  stop_worker(&lo);
  CHECK_EQ(event_count(), 1);
}

TEST(step5_pending_until_the_first_thread_waits_for_it) {
  setup();
  struct worker hi = {0}, waiter = {0};
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  start(&hi, P, W_READY, 9, rt, NONE);
  send_value(VSIG_SIGRTMIN, 42);
  CHECK_EQ(event_count(), 0);

  /* It never blocks: the signal is already there. Spawned by hi so that it
   * blocks the signal from its first instant. */
  spawn_worker(&hi, &waiter, W_SIGWAITINFO, 0, rt, rt, false);
  wait_done(&waiter);
  CHECK_EQ(waiter.sig, VSIG_SIGRTMIN);
  CHECK_EQ(waiter.info.si_value.sival_int, 42);
  CHECK_EQ(waiter.info.si_code, VSIG_SI_QUEUE);

  CHECK_EQ(command(&hi, C_UNBLOCK, rt), 0);
  stop_worker(&hi);
  stop_worker(&waiter);
  CHECK_EQ(event_count(), 1);
  CHECK_EQ(events[0].thr, waiter.id);
}

/* ---- thread-directed and process-directed ----------------------------------- */

TEST(thread_directed_signal_stays_with_its_thread) {
  setup();
  struct worker target = {0}, ready = {0}, waiter = {0};
  vsig_sigset_t usr1 = SET(VSIG_SIGUSR1);
  start(&target, P, W_READY, 0, usr1, NONE);
  start(&ready, P, W_READY, 9, NONE, NONE);
  start(&waiter, P, W_SIGWAITINFO, 9, usr1, usr1);

  CHECK_EQ(vsig_pthread_kill(target.id, VSIG_SIGUSR1), 0);
  CHECK_EQ(state_of(waiter.id), VSIG_THREAD_SIGWAIT);
  CHECK_EQ(event_count(), 0);
  CHECK_EQ(command(&target, C_SIGPENDING, NONE), 0);
  CHECK_EQ(target.cmd_out.bits, usr1.bits);
  CHECK_EQ(command(&ready, C_SIGPENDING, NONE), 0);
  CHECK_EQ(ready.cmd_out.bits, 0);

  CHECK_EQ(command(&target, C_UNBLOCK, usr1), 0);
  CHECK_EQ(event_count(), 1);
  CHECK_EQ(events[0].thr, target.id);
  CHECK_EQ(events[0].code, VSIG_SI_TKILL);

  stop_worker(&target);
  stop_worker(&ready);
  stop_worker(&waiter);
  CHECK_EQ(waiter.sig, KICK);
  CHECK_EQ(event_count(), 1);
}

TEST(thread_directed_signal_goes_to_its_waiting_thread_not_a_better_one) {
  setup();
  struct worker lo = {0}, hi = {0};
  vsig_sigset_t usr1 = SET(VSIG_SIGUSR1);
  start(&hi, P, W_SIGWAITINFO, 9, usr1, usr1);
  start(&lo, P, W_SIGWAITINFO, 1, usr1, usr1);
  CHECK_EQ(vsig_pthread_kill(lo.id, VSIG_SIGUSR1), 0);
  wait_done(&lo);
  CHECK_EQ(lo.sig, VSIG_SIGUSR1);
  CHECK_EQ(lo.info.si_code, VSIG_SI_TKILL);
  CHECK_EQ(state_of(hi.id), VSIG_THREAD_SIGWAIT);
  stop_worker(&hi);
  stop_worker(&lo);
  CHECK_EQ(hi.sig, KICK);
}

TEST(process_directed_signal_is_delivered_to_exactly_one_thread) {
  setup();
  enum { NREADY = 4, NWAIT = 2, N = 300 };
  struct worker r[NREADY] = {{0}}, w[NWAIT] = {{0}};
  /* SA_NODEFER: a ready thread running the handler still has the signal
   * unblocked, so step 4 always has the priority-2 threads to choose from. */
  const int sig = VSIG_SIGRTMIN + 1;
  vsig_sigset_t rt = SET(sig);
  for (int i = 0; i < NWAIT; i++)
    start(&w[i], P, W_SIGWAITINFO, i, rt, rt);
  for (int i = 0; i < NREADY; i++)
    start(&r[i], P, W_READY, 2 * (i % 2), NONE, NONE);
  for (int v = 0; v < N; v++)
    send_value(sig, v);
  wait_events(N);
  for (int i = 0; i < NREADY; i++)
    stop_worker(&r[i]);
  for (int i = 0; i < NWAIT; i++)
    stop_worker(&w[i]);
  CHECK_EQ(event_count(), N);

  static int seen[N];
  for (int i = 0; i < N; i++) {
    CHECK(events[i].val >= 0 && events[i].val < N);
    seen[events[i].val]++;
  }
  for (int v = 0; v < N; v++)
    CHECK_EQ(seen[v], 1);
  /* Steps 3 then 4: each waiter takes one; the rest go to the two ready
   * threads of priority 2, never to those of priority 0. */
  for (int i = 0; i < NWAIT; i++)
    CHECK_EQ(w[i].sig, sig);
  for (int i = 0; i < N; i++)
    CHECK(events[i].thr != r[0].id && events[i].thr != r[2].id);
}

/* ---- a chosen thread that blocks the signal before taking it -------------------- */

TEST(signal_chosen_for_a_thread_that_then_blocks_it_goes_to_another) {
  setup();
  struct worker chosen = {.nopoll = true}, other = {0};
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  start(&chosen, P, W_READY, 9, NONE, NONE);
  start(&other, P, W_READY, 1, NONE, NONE);

  send_value(VSIG_SIGRTMIN, 7); /* step 4 picks chosen, which is not polling */
  CHECK_EQ(event_count(), 0);
  CHECK_EQ(command(&chosen, C_BLOCK, rt), 0);
  wait_events(1);
  CHECK_EQ(events[0].thr, other.id);
  CHECK_EQ(events[0].val, 7);

  /* Not delivered a second time to the thread it was first given to. */
  CHECK_EQ(command(&chosen, C_UNBLOCK, rt), 0);
  CHECK_EQ(command(&chosen, C_POLL, NONE), 0);
  CHECK_EQ(command(&chosen, C_SIGPENDING, NONE), 0);
  stop_worker(&chosen);
  stop_worker(&other);
  CHECK_EQ(event_count(), 1);
}

TEST(signal_chosen_for_a_thread_that_then_blocks_it_waits_for_the_next_taker) {
  setup();
  struct worker chosen = {.nopoll = true}, masked = {0}, waiter = {0};
  vsig_sigset_t rt = SET(VSIG_SIGRTMIN);
  start(&chosen, P, W_READY, 9, NONE, NONE);
  start(&masked, P, W_READY, 1, rt, NONE);

  send_value(VSIG_SIGRTMIN, 8);
  CHECK_EQ(command(&chosen, C_BLOCK, rt), 0);
  /* No other thread takes it: it is pending on the process again, where
   * every thread blocking it sees it. */
  CHECK_EQ(command(&masked, C_SIGPENDING, NONE), 0);
  CHECK_EQ(vsig_sigismember(&masked.cmd_out, VSIG_SIGRTMIN), 1);
  CHECK_EQ(command(&chosen, C_SIGPENDING, NONE), 0);
  CHECK_EQ(vsig_sigismember(&chosen.cmd_out, VSIG_SIGRTMIN), 1);
  CHECK_EQ(event_count(), 0);

  spawn_worker(&masked, &waiter, W_READY, 0, rt, NONE, true);
  CHECK_EQ(command(&waiter, C_TAKE, rt), VSIG_SIGRTMIN);
  CHECK_EQ(waiter.cmd_info.si_value.sival_int, 8);
  CHECK_EQ(command(&masked, C_SIGPENDING, NONE), 0);
  CHECK_EQ(vsig_sigismember(&masked.cmd_out, VSIG_SIGRTMIN), 0);

  CHECK_EQ(command(&chosen, C_UNBLOCK, rt), 0);
  CHECK_EQ(command(&masked, C_UNBLOCK, rt), 0);
  stop_worker(&chosen);
  stop_worker(&masked);
  stop_worker(&waiter);
  CHECK_EQ(event_count(), 0);
}

/* ---- seniority changes only with the state (issue 6.8) ------------------------------- */

/* A waiter woken for a signal that is withdrawn before it runs (here: the
 * action becomes SIG_IGN) goes on waiting where it was: it still waited
 * longest. The test works in the default process, whose main thread blocks
 * SIGUSR1, so that the withdrawal follows the send at once; a round in which
 * the waiter was quicker than that is not conclusive and is tried again. */
TEST(withdrawn_wake_up_keeps_the_waiters_seniority) {
  vsig_sigset_t usr1 = SET(VSIG_SIGUSR1);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &usr1, NULL), 0);
  install_kick();
  bool conclusive = false;
  for (int round = 0; round < 100 && !conclusive; round++) {
    install_logger(VSIG_SIGUSR1, 0);
    struct worker a = {0}, b = {0};
    start(&a, getpid(), W_PAUSE, 0, NONE, NONE);
    start(&b, getpid(), W_PAUSE, 0, NONE, NONE);
    int before = event_count();
    CHECK_EQ(vsig_kill(getpid(), VSIG_SIGUSR1), 0); /* a: it waited longest */
    install_action(VSIG_SIGUSR1, VSIG_SIG_IGN);     /* and now it is gone */
    /* Unless a took it before the SIG_IGN (then the round proves nothing). */
    WAIT_UNTIL(state_of(a.id) == VSIG_THREAD_INTERRUPTIBLE || atomic_load(&a.done));
    for (int i = 0; i < 100; i++)
      nap(); /* a is back asleep: give its wake-up every chance to finish */
    if (event_count() == before && !atomic_load(&a.done)) {
      conclusive = true;
      install_logger(VSIG_SIGUSR1, 0);
      CHECK_EQ(vsig_kill(getpid(), VSIG_SIGUSR1), 0);
      wait_events(before + 1);
      CHECK_EQ(events[before].thr, a.id);
    }
    stop_worker(&a);
    stop_worker(&b);
  }
  CHECK(conclusive);
}
