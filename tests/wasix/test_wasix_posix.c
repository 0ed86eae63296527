/*
 * The vsig_posix_v1 imports on a fake guest: actions with table handlers and
 * siginfo frames, masks, pending sets, waits, sends, timers; errors and bad
 * pointers (EFAULT, and nothing changes).
 */
#include "fake_guest.h"

#define BIT(s) (1ull << ((s)-1))

static void put_act(uint32_t off, uint32_t handler, int32_t flags, uint64_t mask) {
  vsig_wasm_sigaction_t a = {.handler = handler, .flags = flags, .mask = mask};
  memcpy(AT(off), &a, sizeof a);
}

static vsig_wasm_sigaction_t get_act(uint32_t off) {
  vsig_wasm_sigaction_t a;
  memcpy(&a, AT(off), sizeof a);
  return a;
}

static void put64(uint32_t off, uint64_t v) { memcpy(AT(off), &v, 8); }
static uint64_t get64(uint32_t off) {
  uint64_t v;
  memcpy(&v, AT(off), 8);
  return v;
}

TEST(sigaction_installs_a_table_handler_and_reports_it) {
  fake_setup();
  put_act(100, IDX_PLAIN, VSIG_SA_RESTART, BIT(VSIG_SIGUSR2));
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 100, 0), 0);
  CHECK_EQ(vsig_posix_raise(&G, VSIG_SIGUSR1), 0);
  CHECK_EQ(F.calls, 1);
  CHECK_EQ(F.route[0], VSIG_WASIX_ROUTE_HANDLER);
  CHECK_EQ(F.arg0[0], VSIG_SIGUSR1); /* Linux numbering in this module */
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 0, 200), 0);
  vsig_wasm_sigaction_t o = get_act(200);
  CHECK_EQ(o.handler, IDX_PLAIN);
  CHECK_EQ(o.flags, VSIG_SA_RESTART); /* the guest's flags, not the trampoline's */
  CHECK_EQ(o.mask, BIT(VSIG_SIGUSR2));
}

TEST(siginfo_handler_gets_a_frame_below_the_red_zone) {
  fake_setup();
  F.sp = 50000;
  put_act(100, IDX_SIGINFO, VSIG_SA_SIGINFO, 0);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGRTMIN + 3, 100, 0), 0);
  CHECK_EQ(vsig_posix_sigqueue(&G, (uint32_t)G.pid, VSIG_SIGRTMIN + 3, 4242), 0);
  CHECK_EQ(F.calls, 1);
  CHECK_EQ(F.route[0], VSIG_WASIX_ROUTE_SIGINFO);
  CHECK(F.arg1[0] + sizeof(vsig_wasm_siginfo_t) <= 50000 - 128);
  CHECK_EQ(F.info[0].si_signo, VSIG_SIGRTMIN + 3);
  CHECK_EQ(F.info[0].si_code, VSIG_SI_QUEUE);
  CHECK_EQ(F.info[0].si_value, 4242);
  CHECK_EQ(F.info[0].si_pid, G.pid);
  CHECK_EQ(F.sp, 50000);
}

TEST(sigaction_errors_change_nothing) {
  fake_setup();
  put_act(100, IDX_PLAIN, 0, 0);
  CHECK_EQ(vsig_posix_sigaction(&G, 0, 100, 0), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_sigaction(&G, 65, 100, 0), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGKILL, 100, 0), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, MEM_SIZE - 8, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 100, MEM_SIZE - 4), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 0xfffffff8u, 0), VSIG_WASI_EFAULT);
  put_act(300, 99, 0, 0); /* not a function of the table */
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 300, 0), VSIG_WASI_EINVAL);
  put_act(300, IDX_PLAIN, VSIG_SA_SIGINFO, 0); /* wrong type for SA_SIGINFO */
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 300, 0), VSIG_WASI_EINVAL);
  vsig_sigaction_t cur;
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, NULL, &cur), 0);
  CHECK(cur.sa_handler == VSIG_SIG_DFL);
  CHECK_EQ(G.route[VSIG_SIGUSR1], VSIG_WASIX_ROUTE_NONE);
}

/* Flags vsig does not know are accepted and dropped, as Linux does. */
TEST(unknown_flags_are_dropped) {
  fake_setup();
  put_act(300, IDX_PLAIN, 0x00000100 | VSIG_SA_RESTART, 0);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 300, 400), 0);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 0, 400), 0);
  CHECK_EQ(get_act(400).flags, (uint32_t)VSIG_SA_RESTART);
}

TEST(sig_ign_and_sig_dfl_values) {
  fake_setup();
  put_act(100, VSIG_WASM_SIG_IGN, 0, 0);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 100, 0), 0);
  CHECK_EQ(vsig_posix_raise(&G, VSIG_SIGUSR1), 0); /* ignored: no call, no death */
  CHECK_EQ(F.calls, 0);
  put_act(100, VSIG_WASM_SIG_DFL, 0, 0);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 100, 200), 0);
  CHECK_EQ(get_act(200).handler, VSIG_WASM_SIG_IGN);
}

TEST(sigprocmask_blocks_and_unblocking_runs_handlers) {
  fake_setup();
  put_act(100, IDX_PLAIN, 0, 0);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR2, 100, 0), 0);
  put64(200, BIT(VSIG_SIGUSR2));
  CHECK_EQ(vsig_posix_sigprocmask(&G, VSIG_SIG_BLOCK, 200, 0), 0);
  CHECK_EQ(vsig_posix_raise(&G, VSIG_SIGUSR2), 0);
  CHECK_EQ(F.calls, 0);
  CHECK_EQ(vsig_posix_sigpending(&G, 300), 0);
  CHECK_EQ(get64(300), BIT(VSIG_SIGUSR2));
  CHECK_EQ(vsig_posix_sigprocmask(&G, VSIG_SIG_UNBLOCK, 200, 400), 0);
  CHECK_EQ(F.calls, 1);
  CHECK_EQ(get64(400), BIT(VSIG_SIGUSR2)); /* the old mask */
}

TEST(sigprocmask_errors_change_nothing) {
  fake_setup();
  put64(200, BIT(VSIG_SIGUSR2));
  CHECK_EQ(vsig_posix_sigprocmask(&G, 7, 200, 0), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_sigprocmask(&G, VSIG_SIG_BLOCK, 200, MEM_SIZE - 7), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_sigprocmask(&G, VSIG_SIG_BLOCK, MEM_SIZE, 0), VSIG_WASI_EFAULT);
  vsig_sigset_t m;
  CHECK_EQ(vsig_sigprocmask(VSIG_SIG_BLOCK, NULL, &m), 0);
  CHECK_EQ(m.bits, 0);
  CHECK_EQ(vsig_posix_sigpending(&G, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_sigpending(&G, 0xfffffffcu), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_sigsuspend(&G, MEM_SIZE - 1), VSIG_WASI_EFAULT);
}

TEST(sigtimedwait_takes_the_lowest_with_its_value) {
  fake_setup();
  put64(200, BIT(VSIG_SIGRTMIN) | BIT(VSIG_SIGRTMIN + 5));
  CHECK_EQ(vsig_posix_sigprocmask(&G, VSIG_SIG_BLOCK, 200, 0), 0);
  CHECK_EQ(vsig_posix_sigqueue(&G, (uint32_t)G.pid, VSIG_SIGRTMIN + 5, 5), 0);
  CHECK_EQ(vsig_posix_sigqueue(&G, (uint32_t)G.pid, VSIG_SIGRTMIN, 1), 0);
  CHECK_EQ(vsig_posix_sigqueue(&G, (uint32_t)G.pid, VSIG_SIGRTMIN, 2), 0);
  vsig_wasm_timespec_t zero = {0, 0, 0};
  memcpy(AT(600), &zero, sizeof zero);
  int expect_sig[] = {VSIG_SIGRTMIN, VSIG_SIGRTMIN, VSIG_SIGRTMIN + 5};
  int expect_val[] = {1, 2, 5};
  for (int i = 0; i < 3; i++) {
    CHECK_EQ(vsig_posix_sigtimedwait(&G, 200, 301 /* misaligned */, 600, 700), 0);
    vsig_wasm_siginfo_t si;
    memcpy(&si, AT(301), sizeof si);
    CHECK_EQ(load32(700), expect_sig[i]);
    CHECK_EQ(si.si_signo, expect_sig[i]);
    CHECK_EQ(si.si_value, expect_val[i]);
    CHECK_EQ(si.si_code, VSIG_SI_QUEUE);
  }
  CHECK_EQ(vsig_posix_sigtimedwait(&G, 200, 0, 600, 0), VSIG_WASI_EAGAIN);
}

TEST(sigtimedwait_errors) {
  fake_setup();
  put64(200, BIT(VSIG_SIGUSR1));
  vsig_wasm_timespec_t bad = {0, 1000000000, 0};
  memcpy(AT(600), &bad, sizeof bad);
  CHECK_EQ(vsig_posix_sigtimedwait(&G, 200, 0, 600, 0), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_sigtimedwait(&G, 0, 0, 600, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_sigtimedwait(&G, 200, MEM_SIZE - 39, 600, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_sigtimedwait(&G, 200, 0, 0xfffffff8u, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_sigtimedwait(&G, 200, 0, 600, MEM_SIZE - 2), VSIG_WASI_EFAULT);
}

TEST(kill_sigqueue_and_threads) {
  fake_setup();
  CHECK_EQ(vsig_posix_kill(&G, 999999, VSIG_SIGUSR1), VSIG_WASI_ESRCH);
  CHECK_EQ(vsig_posix_kill(&G, (uint32_t)G.pid, 65), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_kill(&G, (uint32_t)G.pid, 0), 0);
  CHECK_EQ(vsig_posix_sigqueue(&G, 999999, VSIG_SIGRTMIN, 1), VSIG_WASI_ESRCH);
  CHECK_EQ(vsig_posix_thread_kill(&G, 0, VSIG_SIGUSR1), VSIG_WASI_ESRCH);
  CHECK_EQ(vsig_posix_thread_kill(&G, (uint32_t)G.tid, 0), 0);
  CHECK_EQ(vsig_posix_thread_sigqueue(&G, (uint32_t)G.tid, 99, 1), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_getpid(&G, 40), 0);
  CHECK_EQ(load32(40), (uint32_t)G.pid);
  CHECK_EQ(vsig_posix_gettid(&G, 44), 0);
  CHECK_EQ(load32(44), (uint32_t)G.tid);
  CHECK_EQ(vsig_posix_getpid(&G, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_gettid(&G, MEM_SIZE), VSIG_WASI_EFAULT);
}

TEST(sigqueue_full_pool_is_eagain_kill_never) {
  fake_setup();
  put64(200, BIT(VSIG_SIGRTMIN));
  CHECK_EQ(vsig_posix_sigprocmask(&G, VSIG_SIG_BLOCK, 200, 0), 0);
  int n = 0;
  while (vsig_posix_sigqueue(&G, (uint32_t)G.pid, VSIG_SIGRTMIN, 1) == 0 && n < 100000)
    n++;
  CHECK_EQ(n, VSIG_SIGQUEUE_MAX_DEFAULT);
  CHECK_EQ(vsig_posix_sigqueue(&G, (uint32_t)G.pid, VSIG_SIGRTMIN, 1), VSIG_WASI_EAGAIN);
  CHECK_EQ(vsig_posix_kill(&G, (uint32_t)G.pid, VSIG_SIGRTMIN), 0);
}

/* ---- timers --------------------------------------------------------------------------- */

#define MS 1000000LL

static int advance(int64_t ns) {
  int rc = vsig_clock_advance(ns);
  vsig_wasix_safepoint();
  return rc;
}

TEST(alarm_and_itimer_share_sigalrm) {
  CHECK_EQ(vsig_clock_set_manual(0), 0);
  fake_setup();
  put_act(100, IDX_PLAIN, 0, 0);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGALRM, 100, 0), 0);
  CHECK_EQ(vsig_posix_alarm(&G, 3, 40), 0);
  CHECK_EQ(load32(40), 0);
  CHECK_EQ(advance(1000 * MS), 0);
  CHECK_EQ(vsig_posix_alarm(&G, 5, 40), 0);
  CHECK_EQ(load32(40), 2); /* 2 s left of the first */
  vsig_wasm_itimerval_t it = {.it_interval = {0, 250000}, .it_value = {0, 500000}};
  memcpy(AT(500), &it, sizeof it);
  CHECK_EQ(vsig_posix_setitimer(&G, VSIG_ITIMER_REAL, 500, 600), 0);
  vsig_wasm_itimerval_t old;
  memcpy(&old, AT(600), sizeof old);
  CHECK_EQ(old.it_value.tv_sec, 5); /* the alarm it replaced */
  CHECK_EQ(advance(500 * MS - 1), 0);
  CHECK_EQ(F.calls, 0);
  CHECK_EQ(advance(1), 0);
  CHECK_EQ(F.calls, 1);
  CHECK_EQ(advance(250 * MS), 0);
  CHECK_EQ(F.calls, 2);
  CHECK_EQ(vsig_posix_getitimer(&G, VSIG_ITIMER_REAL, 700), 0);
  vsig_wasm_itimerval_t now;
  memcpy(&now, AT(700), sizeof now);
  CHECK_EQ(now.it_interval.tv_usec, 250000);
  CHECK_EQ(vsig_posix_setitimer(&G, VSIG_ITIMER_VIRTUAL, 500, 0), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_setitimer(&G, VSIG_ITIMER_REAL, 0, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_getitimer(&G, VSIG_ITIMER_REAL, MEM_SIZE - 31), VSIG_WASI_EFAULT);
}

TEST(posix_timer_with_value_and_overruns) {
  CHECK_EQ(vsig_clock_set_manual(0), 0);
  fake_setup();
  put_act(100, IDX_SIGINFO, VSIG_SA_SIGINFO, 0);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGRTMIN + 1, 100, 0), 0);
  vsig_wasm_sigevent_t ev = {
      .sigev_value = 77, .sigev_signo = VSIG_SIGRTMIN + 1, .sigev_notify = VSIG_SIGEV_SIGNAL};
  memcpy(AT(200), &ev, sizeof ev);
  CHECK_EQ(vsig_posix_timer_create(&G, VSIG_WASM_CLOCK_MONOTONIC, 200, 300), 0);
  uint32_t id = load32(300);
  vsig_wasm_itimerspec_t its = {.it_interval = {.tv_sec = 0, .tv_nsec = 10 * MS},
                                .it_value = {.tv_sec = 0, .tv_nsec = 10 * MS}};
  memcpy(AT(400), &its, sizeof its);
  CHECK_EQ(vsig_posix_timer_settime(&G, id, 0, 400, 0), 0);
  CHECK_EQ(advance(10 * MS), 0);
  CHECK_EQ(F.calls, 1);
  CHECK_EQ(F.info[0].si_value, 77);
  CHECK_EQ(F.info[0].si_code, VSIG_SI_TIMER);
  CHECK_EQ((uint32_t)F.info[0].si_timerid, id);
  /* Three periods with no safe point: one signal, two overruns. */
  CHECK_EQ(vsig_clock_advance(30 * MS), 0);
  vsig_wasix_safepoint();
  CHECK_EQ(F.calls, 2);
  CHECK_EQ(F.info[1].si_overrun, 2);
  CHECK_EQ(vsig_posix_timer_getoverrun(&G, id, 500), 0);
  CHECK_EQ(load32(500), 2);
  CHECK_EQ(vsig_posix_timer_gettime(&G, id, 600), 0);
  vsig_wasm_itimerspec_t cur;
  memcpy(&cur, AT(600), sizeof cur);
  CHECK_EQ(cur.it_interval.tv_nsec, 10 * MS);
  CHECK_EQ(vsig_posix_timer_delete(&G, id), 0);
  CHECK_EQ(vsig_posix_timer_delete(&G, id), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_timer_create(&G, 9, 200, 300), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_timer_create(&G, VSIG_WASM_CLOCK_MONOTONIC, 200, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_timer_create(&G, VSIG_WASM_CLOCK_MONOTONIC, MEM_SIZE - 15, 300),
           VSIG_WASI_EFAULT);
  ev.sigev_notify = VSIG_SIGEV_THREAD;
  memcpy(AT(200), &ev, sizeof ev);
  CHECK_EQ(vsig_posix_timer_create(&G, VSIG_WASM_CLOCK_MONOTONIC, 200, 300), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_timer_settime(&G, 12345, 0, 400, 0), VSIG_WASI_EINVAL);
}

/* Every pointer the timer and thread imports take is checked before anything
 * changes: a failed call arms, disarms and sends nothing. */
TEST(timer_and_thread_errors_change_nothing) {
  CHECK_EQ(vsig_clock_set_manual(0), 0);
  fake_setup();
  put_act(100, IDX_PLAIN, 0, 0);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGALRM, 100, 0), 0);
  CHECK_EQ(vsig_posix_alarm(&G, 1, MEM_SIZE - 3), VSIG_WASI_EFAULT);
  vsig_wasm_itimerval_t it = {.it_interval = {0, 0}, .it_value = {0, 1000}};
  memcpy(AT(500), &it, sizeof it);
  CHECK_EQ(vsig_posix_setitimer(&G, VSIG_ITIMER_REAL, 500, MEM_SIZE - 31), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_setitimer(&G, VSIG_ITIMER_REAL, MEM_SIZE - 31, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(advance(2000 * MS), 0);
  CHECK_EQ(F.calls, 0);                    /* nothing was armed */
  CHECK_EQ(vsig_posix_alarm(&G, 0, 0), 0); /* ret_left is optional */

  vsig_wasm_sigevent_t ev = {
      .sigev_value = 1, .sigev_signo = VSIG_SIGALRM, .sigev_notify = VSIG_SIGEV_SIGNAL};
  memcpy(AT(200), &ev, sizeof ev);
  CHECK_EQ(vsig_posix_timer_create(&G, VSIG_WASM_CLOCK_MONOTONIC, 200, 300), 0);
  uint32_t id = load32(300);
  vsig_wasm_itimerspec_t its = {.it_interval = {.tv_sec = 0}, .it_value = {.tv_nsec = MS}};
  memcpy(AT(400), &its, sizeof its);
  CHECK_EQ(vsig_posix_timer_settime(&G, id, 0, 400, MEM_SIZE - 31), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_timer_settime(&G, id, 0, MEM_SIZE - 31, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_timer_settime(&G, id, 0, 0, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(advance(10 * MS), 0);
  CHECK_EQ(F.calls, 0);
  CHECK_EQ(vsig_posix_timer_gettime(&G, id, MEM_SIZE - 31), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_timer_gettime(&G, id, 0), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_timer_getoverrun(&G, id, MEM_SIZE - 3), VSIG_WASI_EFAULT);
  CHECK_EQ(vsig_posix_timer_gettime(&G, 12345, 600), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_timer_getoverrun(&G, 12345, 600), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_timer_delete(&G, id), 0);

  CHECK_EQ(vsig_posix_thread_kill(&G, 0xffffff, VSIG_SIGUSR1), VSIG_WASI_ESRCH);
  CHECK_EQ(vsig_posix_thread_kill(&G, (uint32_t)G.tid, 65), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_posix_thread_sigqueue(&G, 0xffffff, VSIG_SIGRTMIN, 1), VSIG_WASI_ESRCH);
  CHECK_EQ(vsig_posix_thread_sigqueue(&G, (uint32_t)G.tid, 0xffffffffu, 1), VSIG_WASI_EINVAL);
  CHECK_EQ(F.calls, 0);
}
