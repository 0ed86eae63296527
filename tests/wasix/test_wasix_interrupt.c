/*
 * ctest-labels: concurrency
 * Blocking imports interrupted by a signal from another thread: poll_oneoff
 * (clock-only and with fds), fd_read, sigsuspend and pause return EINTR
 * after the guest's handler ran, as blocked system calls would; a signal
 * sent while the guest runs its own code runs at its next import, whichever
 * it is. No durations are asserted: the
 * waits are a minute long and end only through the signal.
 */
#include "fake_guest.h"

#include <pthread.h>
#include <unistd.h>

static void put32(uint32_t off, uint32_t v) { memcpy(AT(off), &v, 4); }
static void put64(uint32_t off, uint64_t v) { memcpy(AT(off), &v, 8); }

struct sender {
  vsig_pid_t pid;
  vsig_thread_t tid;
};

/* Waits until the guest thread is blocked, then signals its process. */
static void *send_when_blocked(void *p) {
  struct sender *s = p;
  for (;;) {
    int st;
    CHECK_EQ(vsig_thread_getstate(s->tid, &st), 0);
    if (st == VSIG_THREAD_INTERRUPTIBLE)
      break;
    usleep(1000);
  }
  CHECK_EQ(vsig_kill(s->pid, VSIG_SIGUSR1), 0);
  return NULL;
}

static void handler_and_sender(pthread_t *th, struct sender *s) {
  memset(AT(100), 0, 16);
  put32(100, IDX_PLAIN);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 100, 0), 0);
  s->pid = G.pid;
  s->tid = G.tid;
  CHECK_EQ(pthread_create(th, NULL, send_when_blocked, s), 0);
}

static void minute_clock(uint32_t in, uint64_t userdata) {
  memset(AT(in), 0, 48);
  put64(in, userdata);
  put32(in + 16, 1);
  put64(in + 24, 60000000000ull);
}

TEST(poll_oneoff_sleep_is_interrupted_with_eintr) {
  fake_setup();
  pthread_t th;
  struct sender s;
  handler_and_sender(&th, &s);
  minute_clock(1000, 1);
  put32(3000, 99);
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, 1000, 2000, 1, 3000), VSIG_WASI_EINTR);
  CHECK_EQ(F.calls, 1); /* the handler ran first */
  CHECK_EQ(F.arg0[0], VSIG_SIGUSR1);
  pthread_join(th, NULL);
}

TEST(poll_oneoff_on_fds_is_interrupted_with_eintr) {
  fake_setup();
  int p[2];
  CHECK_EQ(pipe(p), 0);
  G.fd_host[0] = p[0];
  pthread_t th;
  struct sender s;
  handler_and_sender(&th, &s);
  memset(AT(1000), 0, 48);
  *AT(1008) = 1; /* fd_read on an empty pipe */
  minute_clock(1048, 2);
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, 1000, 2000, 2, 3000), VSIG_WASI_EINTR);
  CHECK_EQ(F.calls, 1);
  pthread_join(th, NULL);
  close(p[0]);
  close(p[1]);
}

TEST(fd_read_is_interrupted_with_eintr) {
  fake_setup();
  int p[2];
  CHECK_EQ(pipe(p), 0);
  G.fd_host[0] = p[0];
  pthread_t th;
  struct sender s;
  handler_and_sender(&th, &s);
  put32(200, 1000);
  put32(204, 16);
  CHECK_EQ(vsig_wasi_fd_read(&G, 0, 200, 1, 300), VSIG_WASI_EINTR);
  CHECK_EQ(F.calls, 1);
  pthread_join(th, NULL);
  close(p[0]);
  close(p[1]);
}

/* A guest blocked in sigsuspend is woken by a kill from another guest's
 * thread: cross-process delivery by pid through the imports. */
TEST(sigsuspend_woken_by_another_process) {
  fake_setup();
  pthread_t th;
  struct sender s;
  handler_and_sender(&th, &s);
  memset(AT(500), 0, 8);
  CHECK_EQ(vsig_posix_sigsuspend(&G, 500), VSIG_WASI_EINTR);
  CHECK_EQ(F.calls, 1);
  pthread_join(th, NULL);
}

TEST(pause_woken_by_another_process) {
  fake_setup();
  pthread_t th;
  struct sender s;
  handler_and_sender(&th, &s);
  CHECK_EQ(vsig_posix_pause(&G), VSIG_WASI_EINTR);
  CHECK_EQ(F.calls, 1);
  pthread_join(th, NULL);
}

/* ---- every host call is a safe point ------------------------------------------------ */

static vsig_pid_t target;
static void *kill_target(void *unused) {
  (void)unused;
  CHECK_EQ(vsig_kill(target, VSIG_SIGUSR1), 0);
  return NULL;
}

/* A signal sent from another thread while the guest runs its own code (no
 * vsig call) waits for the guest's next import, whichever it is, and runs
 * there, before the import returns. */
TEST(every_import_runs_a_pending_handler_before_returning) {
  fake_setup();
  memset(AT(100), 0, 16);
  put32(100, IDX_PLAIN);
  CHECK_EQ(vsig_posix_sigaction(&G, VSIG_SIGUSR1, 100, 0), 0);
  target = G.pid;
  for (int k = 0; k < 7; k++) {
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, kill_target, NULL), 0);
    CHECK_EQ(pthread_join(th, NULL), 0);
    CHECK_EQ(F.calls, k); /* not yet: the guest made no host call */
    put32(200, 300);
    put32(204, 0);
    switch (k) {
    case 0:
      CHECK_EQ(vsig_wasi_sched_yield(&G), 0);
      break;
    case 1:
      CHECK_EQ(vsig_wasi_clock_time_get(&G, 1, 0, 400), 0);
      break;
    case 2:
      CHECK_EQ(vsig_wasi_fd_write(&G, 1, 200, 1, 400), 0);
      break;
    case 3:
      CHECK_EQ(vsig_wasi_args_sizes_get(&G, 400, 404), 0);
      break;
    case 4:
      CHECK_EQ(vsig_wasix_proc_id(&G, 400), 0);
      break;
    case 5:
      CHECK_EQ(vsig_posix_sigpending(&G, 400), 0);
      break;
    default:
      CHECK_EQ(vsig_wasi_random_get(&G, 400, 8), 0);
      break;
    }
    CHECK_EQ(F.calls, k + 1);
  }
}

/* ---- one thread, chosen by the RTEMS steps, not every thread --------------------- */

static _Atomic int waiter_got;

static void *sigwait_thread(void *p) {
  (void)p;
  vsig_sigset_t set = {.bits = 1ull << (VSIG_SIGUSR1 - 1)};
  vsig_siginfo_t info;
  waiter_got = vsig_sigwaitinfo(&set, &info);
  return NULL;
}

struct kill_arg {
  vsig_pid_t target;
};

/* Sends from a thread of another process, so step 2 (the sender) never applies. */
static void *kill_from_elsewhere(void *p) {
  struct kill_arg *k = p;
  vsig_pid_t q;
  CHECK_EQ(vsig_proc_create(NULL, &q), 0);
  CHECK_EQ(vsig_thread_attach(q, 0), 0);
  CHECK_EQ(vsig_kill(k->target, VSIG_SIGUSR1), 0);
  CHECK_EQ(vsig_thread_detach(), 0);
  return NULL;
}

static void kill_and_join(vsig_pid_t target) {
  pthread_t th;
  struct kill_arg k = {target};
  CHECK_EQ(pthread_create(&th, NULL, kill_from_elsewhere, &k), 0);
  pthread_join(th, NULL);
}

TEST(process_directed_signal_reaches_exactly_one_thread) {
  fake_setup();
  put_name(100, "cb");
  vsig_wasix_callback_signal(&G, 100, 2);
  /* A second thread of the guest's process waits for SIGUSR1 (step 3). */
  pthread_t host;
  vsig_thread_t waiter;
  CHECK_EQ(vsig_thread_create(&host, &waiter, G.pid, 5, sigwait_thread, NULL), 0);
  for (;;) {
    int st;
    CHECK_EQ(vsig_thread_getstate(waiter, &st), 0);
    if (st == VSIG_THREAD_SIGWAIT)
      break;
    usleep(1000);
  }
  kill_and_join(G.pid);
  pthread_join(host, NULL);
  CHECK_EQ(waiter_got, VSIG_SIGUSR1);
  vsig_wasix_safepoint();
  CHECK_EQ(F.calls, 0); /* the guest's callback did not get it too */
  /* No waiter now: the guest's thread, which has it unblocked, takes it (step 4). */
  kill_and_join(G.pid);
  vsig_wasix_safepoint();
  CHECK_EQ(F.calls, 1);
  CHECK_EQ(F.arg0[0], VSIG_WASIX_SIGUSR1);
}
