/*
 * The wasix_32v1 imports, called directly on a fake guest: normal use, every
 * error, bad guest pointers, WASIX numbering, and proc_raise_interval timing
 * on vsig's manual clock.
 */
#include "fake_guest.h"

static void callback_on(void) {
  put_name(100, "cb");
  vsig_wasix_callback_signal(&G, 100, 2);
  CHECK(G.callback != NULL);
}

TEST(signal_numbers_map_both_ways) {
  for (uint32_t ws = 1; ws < VSIG_WASIX_NSIG; ws++) {
    int s = vsig_wasix_sig_to_vsig(ws);
    CHECK(s > 0 && s != VSIG_SIGSTKFLT);
    CHECK_EQ(vsig_wasix_sig_from_vsig(s), ws);
  }
  CHECK_EQ(vsig_wasix_sig_to_vsig(VSIG_WASIX_SIGCHLD), VSIG_SIGCHLD);
  CHECK_EQ(vsig_wasix_sig_to_vsig(VSIG_WASIX_SIGSYS), VSIG_SIGSYS);
  CHECK_EQ(vsig_wasix_sig_to_vsig(0), 0);
  CHECK_EQ(vsig_wasix_sig_to_vsig(31), 0);
  CHECK_EQ(vsig_wasix_sig_from_vsig(VSIG_SIGSTKFLT), 0);
  CHECK_EQ(vsig_wasix_sig_from_vsig(VSIG_SIGRTMIN), 0);
}

TEST(proc_raise_runs_the_callback_before_returning_with_the_wasix_number) {
  fake_setup();
  callback_on();
  CHECK_EQ(vsig_wasix_proc_raise(&G, VSIG_WASIX_SIGCHLD), 0);
  CHECK_EQ(F.calls, 1);
  CHECK_EQ(F.route[0], VSIG_WASIX_ROUTE_CALLBACK);
  CHECK_EQ(F.arg0[0], VSIG_WASIX_SIGCHLD); /* 16, not Linux's 17 */
  CHECK_EQ(vsig_wasix_proc_raise(&G, VSIG_WASIX_SIGSYS), 0);
  CHECK_EQ(F.arg0[1], 30);
}

TEST(proc_raise_errors) {
  fake_setup();
  callback_on();
  CHECK_EQ(vsig_wasix_proc_raise(&G, 31), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_wasix_proc_raise(&G, 255), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_wasix_proc_raise(&G, 0), 0); /* signal 0: checks only */
  CHECK_EQ(F.calls, 0);
}

TEST(callback_runs_with_the_signal_masked_and_red_zone_skipped) {
  fake_setup();
  callback_on();
  F.sp = 40000;
  CHECK_EQ(vsig_wasix_proc_raise(&G, VSIG_WASIX_SIGUSR1), 0);
  CHECK_EQ(F.calls, 1);
  /* The handler's frame starts below the 128-byte red zone, 16-aligned. */
  CHECK(F.sp_seen[0] <= 40000 - 128);
  CHECK_EQ(F.sp_seen[0] % 16, 0);
  CHECK_EQ(F.sp, 40000); /* put back */
}

TEST(proc_signal_to_pids) {
  fake_setup();
  callback_on();
  CHECK_EQ(vsig_wasix_proc_signal(&G, 0, VSIG_WASIX_SIGUSR1), VSIG_WASI_ESRCH);
  CHECK_EQ(vsig_wasix_proc_signal(&G, 999999, VSIG_WASIX_SIGUSR1), VSIG_WASI_ESRCH);
  CHECK_EQ(vsig_wasix_proc_signal(&G, 0x80000000u, VSIG_WASIX_SIGUSR1), VSIG_WASI_ESRCH);
  CHECK_EQ(vsig_wasix_proc_signal(&G, (uint32_t)G.pid, 40), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_wasix_proc_signal(&G, (uint32_t)G.pid, 0), 0);
  CHECK_EQ(F.calls, 0);
  CHECK_EQ(vsig_wasix_proc_signal(&G, (uint32_t)G.pid, VSIG_WASIX_SIGUSR2), 0);
  CHECK_EQ(F.calls, 1);
  CHECK_EQ(F.arg0[0], VSIG_WASIX_SIGUSR2);
  /* Another process: its default action terminates it. */
  vsig_pid_t other;
  CHECK_EQ(vsig_proc_create(NULL, &other), 0);
  CHECK_EQ(vsig_wasix_proc_signal(&G, (uint32_t)other, VSIG_WASIX_SIGTERM), 0);
  int term;
  CHECK_EQ(vsig_proc_status(other, &term), 0);
  CHECK_EQ(term, VSIG_SIGTERM);
}

TEST(thread_signal_to_tids) {
  fake_setup();
  callback_on();
  CHECK_EQ(vsig_wasix_thread_signal(&G, 0, VSIG_WASIX_SIGHUP), VSIG_WASI_ESRCH);
  CHECK_EQ(vsig_wasix_thread_signal(&G, 0xffffff, VSIG_WASIX_SIGHUP), VSIG_WASI_ESRCH);
  CHECK_EQ(vsig_wasix_thread_signal(&G, (uint32_t)G.tid, 77), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_wasix_thread_signal(&G, (uint32_t)G.tid, VSIG_WASIX_SIGHUP), 0);
  CHECK_EQ(F.calls, 1);
  CHECK_EQ(F.arg0[0], VSIG_WASIX_SIGHUP);
}

TEST(callback_signal_routes_default_signals_only_and_unregisters) {
  fake_setup();
  vsig_sigaction_t ign = {.sa_flags = 0}, cur;
  ign.sa_handler = VSIG_SIG_IGN;
  CHECK_EQ(vsig_sigaction(VSIG_SIGPIPE, &ign, NULL), 0);
  callback_on();
  CHECK_EQ(vsig_sigaction(VSIG_SIGPIPE, NULL, &cur), 0);
  CHECK(cur.sa_handler == VSIG_SIG_IGN); /* ignored stays ignored */
  CHECK_EQ(vsig_sigaction(VSIG_SIGKILL, NULL, &cur), 0);
  CHECK(cur.sa_handler == VSIG_SIG_DFL);
  CHECK_EQ(G.route[VSIG_SIGUSR1], VSIG_WASIX_ROUTE_CALLBACK);
  CHECK_EQ(G.route[VSIG_SIGRTMIN], VSIG_WASIX_ROUTE_NONE); /* no WASIX number */
  put_name(200, "missing");
  vsig_wasix_callback_signal(&G, 200, 7);
  CHECK(G.callback == NULL);
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &cur), 0);
  CHECK(cur.sa_handler == VSIG_SIG_DFL);
  CHECK_EQ(G.route[VSIG_SIGUSR1], VSIG_WASIX_ROUTE_NONE);
}

TEST(callback_signal_bad_name_pointer_changes_nothing) {
  fake_setup();
  callback_on();
  void *before = G.callback;
  vsig_wasix_callback_signal(&G, MEM_SIZE - 1, 2);     /* past the end */
  vsig_wasix_callback_signal(&G, 0xffffffffu, 0xffff); /* wraps */
  CHECK(G.callback == before);
  CHECK_EQ(vsig_wasix_proc_raise(&G, VSIG_WASIX_SIGUSR1), 0);
  CHECK_EQ(F.calls, 1);
}

TEST(proc_signals_lists_ignored_signals) {
  fake_setup();
  CHECK_EQ(vsig_wasix_proc_signals_sizes_get(&G, 64), 0);
  CHECK_EQ(load32(64), 0);
  vsig_sigaction_t ign = {.sa_flags = 0};
  ign.sa_handler = VSIG_SIG_IGN;
  CHECK_EQ(vsig_sigaction(VSIG_SIGCHLD, &ign, NULL), 0);
  CHECK_EQ(vsig_sigaction(VSIG_SIGHUP, &ign, NULL), 0);
  CHECK_EQ(vsig_wasix_proc_signals_sizes_get(&G, 64), 0);
  CHECK_EQ(load32(64), 2);
  memset(AT(300), 0xaa, 8);
  CHECK_EQ(vsig_wasix_proc_signals_get(&G, 301), 0); /* misaligned: fine */
  CHECK_EQ(*AT(301), VSIG_WASIX_SIGHUP);
  CHECK_EQ(*AT(302), VSIG_WASIX_DISP_IGNORE);
  CHECK_EQ(*AT(303), VSIG_WASIX_SIGCHLD); /* WASIX number 16 */
  CHECK_EQ(*AT(304), VSIG_WASIX_DISP_IGNORE);
  CHECK_EQ(*AT(305), 0xaa); /* nothing written past the two entries */
}

TEST(bad_pointers_are_memviolation_or_overflow_never_a_crash) {
  fake_setup();
  CHECK_EQ(vsig_wasix_proc_signals_sizes_get(&G, MEM_SIZE - 3), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasix_proc_signals_sizes_get(&G, MEM_SIZE), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasix_proc_signals_sizes_get(&G, 0xfffffffeu), VSIG_WASI_EOVERFLOW);
  CHECK_EQ(vsig_wasix_proc_id(&G, MEM_SIZE), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasix_thread_id(&G, 0xffffffffu), VSIG_WASI_EOVERFLOW);
  vsig_sigaction_t ign = {.sa_flags = 0};
  ign.sa_handler = VSIG_SIG_IGN;
  CHECK_EQ(vsig_sigaction(VSIG_SIGHUP, &ign, NULL), 0);
  CHECK_EQ(vsig_wasix_proc_signals_get(&G, MEM_SIZE - 1), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasix_proc_signals_get(&G, MEM_SIZE - 2), 0);
  CHECK_EQ(vsig_wasix_proc_signals_get(&G, 0xffffffffu), VSIG_WASI_EOVERFLOW);
}

TEST(proc_id_and_thread_id) {
  fake_setup();
  CHECK_EQ(vsig_wasix_proc_id(&G, 8), 0);
  CHECK_EQ(load32(8), (uint32_t)vsig_getpid());
  CHECK_EQ(vsig_wasix_thread_id(&G, 13), 0);
  CHECK_EQ(load32(13), (uint32_t)vsig_thread_self());
}

/* ---- proc_raise_interval on the manual clock: no sleeping ------------------- */

#define MS 1000000LL

/* Move the manual clock, then reach a safe point as a guest would at its
 * next host call or preemption check. */
static int advance(int64_t ns) {
  int rc = vsig_clock_advance(ns);
  vsig_wasix_safepoint();
  return rc;
}

static void interval_setup(void) {
  CHECK_EQ(vsig_clock_set_manual(0), 0);
  fake_setup();
  callback_on();
}

TEST(interval_repeat_fires_at_exactly_k_times_the_interval) {
  interval_setup();
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, VSIG_WASIX_SIGALRM, 10, 1), 0);
  for (int k = 1; k <= 50; k++) {
    CHECK_EQ(advance(10 * MS - 1), 0);
    CHECK_EQ(F.calls, k - 1); /* not a nanosecond early */
    CHECK_EQ(advance(1), 0);
    CHECK_EQ(F.calls, k); /* at k * 10 ms exactly: no drift */
    CHECK_EQ(F.arg0[k - 1 < 63 ? k - 1 : 63], VSIG_WASIX_SIGALRM);
  }
}

TEST(interval_without_repeat_fires_once) {
  interval_setup();
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, VSIG_WASIX_SIGUSR1, 5, 0), 0);
  CHECK_EQ(advance(5 * MS), 0);
  CHECK_EQ(F.calls, 1);
  CHECK_EQ(advance(100 * MS), 0);
  CHECK_EQ(F.calls, 1);
}

TEST(interval_zero_cancels) {
  interval_setup();
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, VSIG_WASIX_SIGALRM, 10, 1), 0);
  CHECK_EQ(advance(10 * MS), 0);
  CHECK_EQ(advance(15 * MS), 0);
  CHECK_EQ(F.calls, 2);
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, VSIG_WASIX_SIGALRM, 0, 1), 0);
  CHECK_EQ(advance(100 * MS), 0);
  CHECK_EQ(F.calls, 2);
}

TEST(interval_rearm_replaces_and_other_signals_keep_theirs) {
  interval_setup();
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, VSIG_WASIX_SIGALRM, 10, 1), 0);
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, VSIG_WASIX_SIGUSR2, 7, 1), 0);
  CHECK_EQ(advance(5 * MS), 0);
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, VSIG_WASIX_SIGALRM, 30, 1), 0); /* from now */
  int alrm = 0, usr2 = 0;
  for (int t = 6; t <= 35; t++) {
    CHECK_EQ(advance(MS), 0);
    alrm = usr2 = 0;
    for (int i = 0; i < F.calls && i < 64; i++) {
      alrm += F.arg0[i] == VSIG_WASIX_SIGALRM;
      usr2 += F.arg0[i] == VSIG_WASIX_SIGUSR2;
    }
    CHECK_EQ(alrm, t >= 35 ? 1 : 0); /* 5 + 30 ms, not 10 */
    CHECK_EQ(usr2, t / 7);           /* untouched */
  }
}

TEST(interval_errors) {
  interval_setup();
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, 0, 10, 1), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, 31, 10, 1), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, 200, 10, 1), VSIG_WASI_EINVAL);
  CHECK_EQ(advance(100 * MS), 0);
  CHECK_EQ(F.calls, 0);
}

static vsig_pid_t other_pid;
static void *arm_in_other_process(void *unused) {
  (void)unused;
  CHECK_EQ(vsig_thread_attach(other_pid, 0), 0);
  /* Same signal, other process: its own timer, 25 ms, once. */
  CHECK_EQ(vsig_proc_raise_interval(VSIG_SIGALRM, 25, 0), 0);
  CHECK_EQ(vsig_thread_detach(), 0);
  return NULL;
}

TEST(interval_timers_are_per_process_and_signal) {
  interval_setup();
  /* Another instance, not a child of ours (whose end would send us SIGCHLD). */
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.parent = VSIG_PID_NONE;
  CHECK_EQ(vsig_proc_create(&a, &other_pid), 0);
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, VSIG_WASIX_SIGALRM, 10, 1), 0);
  pthread_t t;
  CHECK_EQ(pthread_create(&t, NULL, arm_in_other_process, NULL), 0);
  CHECK_EQ(pthread_join(t, NULL), 0);
  int term = -1;
  CHECK_EQ(advance(10 * MS), 0);
  CHECK_EQ(advance(10 * MS), 0);
  CHECK_EQ(F.calls, 2); /* ours: not replaced by the other process's */
  CHECK_EQ(vsig_proc_status(other_pid, &term), 0);
  CHECK_EQ(term, 0);
  CHECK_EQ(advance(5 * MS), 0);
  CHECK_EQ(vsig_proc_status(other_pid, &term), 0);
  CHECK_EQ(term, VSIG_SIGALRM); /* its default action, at 25 ms */
  CHECK_EQ(F.calls, 2);
  CHECK_EQ(advance(5 * MS), 0);
  CHECK_EQ(F.calls, 3); /* ours goes on: 30 ms */
}

TEST(interval_too_long_to_represent_never_fires) {
  interval_setup();
  CHECK_EQ(vsig_wasix_proc_raise_interval(&G, VSIG_WASIX_SIGALRM, UINT64_MAX, 1), 0);
  CHECK_EQ(advance(INT64_MAX / 2), 0);
  CHECK_EQ(F.calls, 0);
}

/* ---- stopping the guest ------------------------------------------------------------- */

static void exit_7(void *g) { vsig_wasi_proc_exit(g, 7); }

TEST(proc_exit_unwinds_to_the_entry_frame) {
  fake_setup();
  CHECK_EQ(vsig_wasix_call(&G, exit_7, &G), VSIG_WASIX_EXITED);
  CHECK_EQ(G.exit_code, 7);
}

static void exit_in_handler(vsig_wasix_guest_t *g) { vsig_wasi_proc_exit(g, 9); }
static void raise_usr1(void *g) {
  vsig_wasix_proc_raise(g, VSIG_WASIX_SIGUSR1);
  VT_FAIL("proc_raise returned after the handler exited");
}

TEST(proc_exit_in_a_handler_unwinds_through_vsig_cleanly) {
  fake_setup();
  callback_on();
  F.during = exit_in_handler;
  CHECK_EQ(vsig_wasix_call(&G, raise_usr1, &G), VSIG_WASIX_EXITED);
  CHECK_EQ(G.exit_code, 9);
  /* vsig's state is intact: the handler mask is gone, the thread detaches. */
  vsig_sigset_t m;
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, NULL, &m), 0);
  CHECK_EQ(m.bits, 0);
  vsig_wasix_guest_unbind(&G);
  CHECK_EQ(vsig_thread_detach(), 0);
}

static void raise_term(void *g) {
  vsig_wasix_proc_raise(g, VSIG_WASIX_SIGTERM);
  VT_FAIL("proc_raise returned after a fatal default action");
}

TEST(fatal_default_action_stops_the_guest) {
  fake_setup();
  CHECK_EQ(vsig_wasix_call(&G, raise_term, &G), VSIG_WASIX_KILLED);
  CHECK_EQ(G.term_sig, VSIG_SIGTERM);
}

TEST(no_room_for_a_handler_frame_is_a_trap) {
  fake_setup();
  callback_on();
  F.sp = 64;
  CHECK_EQ(vsig_wasix_call(&G, raise_usr1, &G), VSIG_WASIX_TRAPPED);
  CHECK_EQ(F.calls, 0);
}

TEST(safepoint_runs_handlers_when_the_poll_word_is_set) {
  fake_setup();
  callback_on();
  vsig_sigset_t usr1 = {.bits = 1ull << (VSIG_SIGUSR1 - 1)};
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, &usr1, NULL), 0);
  CHECK_EQ(vsig_kill(G.pid, VSIG_SIGUSR1), 0);
  CHECK_EQ(F.calls, 0);
  /* Unblock without running handlers: only the poll word shows it. */
  vsig_sigset_t none = {0};
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_SETMASK, &none, NULL), 0);
  CHECK_EQ(F.calls, 1); /* vsig delivers on unblocking already */
  CHECK_EQ(atomic_load(vsig_wasix_poll_word), 0);
  vsig_wasix_safepoint(); /* nothing to do: still one call */
  CHECK_EQ(F.calls, 1);
}
