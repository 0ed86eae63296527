/* SPDX-License-Identifier: MIT */
/*
 * embedder: a small runtime on vsig, the program docs/embedding.md explains.
 *
 * The runtime (main) creates a virtual process and one guest thread in it.
 * The guest installs handlers, then:
 *   1. computes, calling vsig_poll() at every step, while a per-process
 *      interval timer (vsig_proc_raise_interval) sends it SIGALRM;
 *   2. makes a blocking "system call" of the runtime, a read on an eventfd,
 *      bracketed by vsig_block_begin/vsig_block_end: the runtime sends
 *      SIGUSR1, whose SA_RESTART handler makes the read restart, then writes
 *      the data;
 *   3. reads again and is interrupted by SIGUSR2, whose handler has no
 *      SA_RESTART: the read fails with EINTR;
 *   4. reads again while a one-shot interval timer fires SIGALRM with its
 *      default action: the process is terminated, the read ends with
 *      ECANCELED, and the terminate callback runs on vsig's timer thread.
 * The runtime then joins the guest thread and destroys the process.
 *
 * The output is the same on every run (the program checks each step and
 * exits 1 if one goes wrong); every wait is bounded, none depends on timing.
 */
#include <vsig.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "embedder: %s:%d: %s\n", __FILE__, __LINE__, #cond);                         \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

/* Bound on every wait: generous for a loaded machine, never reached normally. */
enum { DEADLINE_S = 60 };

/* wake() adds WAKE_UNIT to the eventfd; data from the runtime adds less than
 * that, so a read tells the two apart. */
#define WAKE_UNIT (UINT64_C(1) << 32)

/* One guest process of the runtime. */
struct guest {
  vsig_pid_t pid;
  vsig_thread_t tid;
  pthread_t host;
  int efd;                /* the guest's eventfd: data and wake-ups */
  _Atomic int phase;      /* how far the guest has got (handshakes) */
  _Atomic int usr1_runs;  /* SIGUSR1 handler runs */
  _Atomic int alarm_runs; /* SIGALRM handler runs */
};
static struct guest g;

/* What the terminate callback saw. */
static struct {
  pthread_t main, guest, where;
  vsig_pid_t pid;
  _Atomic int sig; /* written last */
} term;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the runtime's callbacks ------------------------------------------------ */

/* vsig calls this with the guest process's lock held, from whichever thread
 * made a signal deliverable to the blocked guest (here the runtime's main
 * thread, or vsig's timer thread). It must not call vsig and must not block.
 * It may run before the guest is asleep in read(), or more than once: the
 * eventfd keeps the wake-up until the next read. */
static void wake(void *arg) {
  struct guest *gs = arg;
  uint64_t v = WAKE_UNIT;
  ssize_t n = write(gs->efd, &v, sizeof v);
  (void)n; /* the counter is far from overflowing */
}

/* Once per terminated process, with no vsig lock held, on the thread that
 * found the fatal action. Only record: the runtime acts on it from its own
 * thread. */
static void on_terminate(vsig_pid_t pid, int sig, void *arg) {
  (void)arg;
  term.where = pthread_self();
  term.pid = pid;
  atomic_store(&term.sig, sig);
}

/* ---- the runtime's blocking call ------------------------------------------- */

/* read() on the guest's eventfd as a guest system call: returns the data (> 0),
 * -EINTR, or -ECANCELED. *restarts counts the SA_RESTART restarts. */
static int64_t rt_read(struct guest *gs, int *restarts) {
  for (;;) {
    int rc = vsig_block_begin(1, wake, gs);
    if (rc != 0 && rc != EINTR)
      return -rc; /* ECANCELED: the process is gone; do not call block_end */
    uint64_t v = 0;
    if (rc == 0 && read(gs->efd, &v, sizeof v) != (ssize_t)sizeof v)
      v = 0;
    rc = vsig_block_end(); /* runs the handlers the signals brought */
    uint64_t data = v % WAKE_UNIT;
    if (data)
      return (int64_t)data; /* data that was read is never lost to a signal */
    switch (rc) {
    case 0:
      continue; /* woken, but no handler ran: read again */
    case VSIG_ERESTART:
      ++*restarts; /* every handler had SA_RESTART */
      continue;
    case EINTR:
      return -EINTR;
    default:
      return -ECANCELED;
    }
  }
}

/* ---- the guest ------------------------------------------------------------------ */

/* vsig handlers run at safe points of their own thread, so printf is fine. */
static void on_usr1(int sig) {
  printf("guest: the handler of signal %d (%s) ran, inside vsig_block_end\n", sig,
         vsig_strsignal(sig));
  fflush(stdout);
  atomic_fetch_add(&g.usr1_runs, 1); /* after printing: the runtime waits for it */
}

static void on_usr2(int sig) {
  printf("guest: the handler of signal %d (%s) ran, inside vsig_block_end\n", sig,
         vsig_strsignal(sig));
  fflush(stdout);
}

static void on_alarm(int sig) {
  (void)sig;
  atomic_fetch_add(&g.alarm_runs, 1);
}

static void set_action(int sig, vsig_handler_t handler, int flags) {
  vsig_sigaction_t act;
  memset(&act, 0, sizeof act);
  act.sa_handler = handler;
  act.sa_flags = flags;
  vsig_sigemptyset(&act.sa_mask);
  CHECK(vsig_sigaction(sig, &act, NULL) == 0);
}

static void *guest_main(void *arg) {
  struct guest *gs = arg;
  term.guest = pthread_self();
  CHECK(vsig_getpid() == gs->pid);
  set_action(VSIG_SIGUSR1, on_usr1, VSIG_SA_RESTART);
  set_action(VSIG_SIGUSR2, on_usr2, 0);
  set_action(VSIG_SIGALRM, on_alarm, VSIG_SA_RESTART);
  printf("guest: handlers installed; computing, with vsig_poll() at every step\n");

  /* 1. Compute; a 2 ms interval timer ticks; handlers run at vsig_poll(). */
  CHECK(vsig_proc_raise_interval(VSIG_SIGALRM, 2, 1) == 0);
  int64_t deadline = now_ns() + (int64_t)DEADLINE_S * 1000000000;
  volatile uint64_t work = 1;
  while (atomic_load(&gs->alarm_runs) < 3) {
    for (int i = 0; i < 1000; i++)
      work = work * 6364136223846793005u + 1442695040888963407u;
    CHECK(vsig_poll() == 0); /* one load unless a signal is deliverable */
    CHECK(now_ns() < deadline);
  }
  CHECK(vsig_proc_raise_interval(VSIG_SIGALRM, 0, 0) == 0); /* cancel */
  /* A tick may still be pending: setting SIG_IGN discards it. */
  CHECK(vsig_signal(VSIG_SIGALRM, VSIG_SIG_IGN) != VSIG_SIG_ERR);
  printf("guest: 3 SIGALRM ticks from the interval timer ran at vsig_poll() safe points\n");
  fflush(stdout);

  /* 2. A blocking read that SIGUSR1 interrupts and SA_RESTART restarts. */
  int restarts = 0;
  atomic_store(&gs->phase, 2);
  int64_t r = rt_read(gs, &restarts);
  CHECK(r == 42 && restarts == 1);
  printf("guest: read returned %" PRId64 " after %d restart (SIGUSR1 has SA_RESTART)\n", r,
         restarts);
  fflush(stdout);

  /* 3. SIGUSR2's handler has no SA_RESTART: the read fails with EINTR. */
  restarts = 0;
  atomic_store(&gs->phase, 3);
  r = rt_read(gs, &restarts);
  CHECK(r == -EINTR && restarts == 0);
  printf("guest: read failed with %s (SIGUSR2 has no SA_RESTART)\n", "EINTR");

  /* 4. SIGALRM's default action terminates the process. */
  CHECK(vsig_signal(VSIG_SIGALRM, VSIG_SIG_DFL) != VSIG_SIG_ERR);
  CHECK(vsig_proc_raise_interval(VSIG_SIGALRM, 5, 0) == 0); /* once, in 5 ms */
  printf("guest: SIGALRM has its default action again; a one-shot 5 ms timer is armed\n");
  fflush(stdout);
  atomic_store(&gs->phase, 4);
  r = rt_read(gs, &restarts);
  CHECK(r == -ECANCELED);
  printf("guest: read ended with ECANCELED: the process was terminated\n");
  int sig = vsig_poll();
  CHECK(sig == VSIG_SIGALRM);
  printf("guest: vsig_poll() returns %d (%s); leaving\n", sig, vsig_strsignal(sig));
  fflush(stdout);
  return NULL; /* the thread's exit detaches it from the process */
}

/* ---- the runtime ------------------------------------------------------------------ */

/* Wait until the guest has reached phase, its SIGUSR1 handler has run usr1
 * times, and it is blocked in an interruptible call. */
static void wait_for_guest(int phase, int usr1) {
  int64_t deadline = now_ns() + (int64_t)DEADLINE_S * 1000000000;
  for (;;) {
    int state = -1;
    CHECK(vsig_thread_getstate(g.tid, &state) == 0);
    if (atomic_load(&g.phase) >= phase && atomic_load(&g.usr1_runs) >= usr1 &&
        state == VSIG_THREAD_INTERRUPTIBLE)
      return;
    CHECK(now_ns() < deadline);
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
}

int main(void) {
  term.main = pthread_self();
  vsig_set_terminate_callback(on_terminate, NULL); /* before anything can die */

  g.efd = eventfd(0, EFD_CLOEXEC);
  CHECK(g.efd >= 0);
  vsig_proc_attr_t attr;
  CHECK(vsig_proc_attr_init(&attr) == 0); /* always: it zeroes the reserved words */
  attr.queue_max = 64;
  CHECK(vsig_proc_create(&attr, &g.pid) == 0);
  printf("runtime: created a guest process (virtual pid above 2^22: %s)\n",
         g.pid > (1 << 22) ? "yes" : "no");
  fflush(stdout);
  CHECK(vsig_thread_create(&g.host, &g.tid, g.pid, 0, guest_main, &g) == 0);

  wait_for_guest(2, 0);
  printf("runtime: the guest is blocked in its read; sending SIGUSR1\n");
  fflush(stdout);
  CHECK(vsig_kill(g.pid, VSIG_SIGUSR1) == 0);

  wait_for_guest(2, 1); /* the handler ran and the read was restarted */
  printf("runtime: the guest restarted its read; writing 42 to its eventfd\n");
  fflush(stdout);
  uint64_t data = 42;
  CHECK(write(g.efd, &data, sizeof data) == (ssize_t)sizeof data);

  wait_for_guest(3, 1);
  printf("runtime: the guest is blocked in its read again; sending SIGUSR2\n");
  fflush(stdout);
  CHECK(vsig_kill(g.pid, VSIG_SIGUSR2) == 0);

  /* Phase 4 needs nothing from the runtime: the guest's own timer ends it. */
  CHECK(pthread_join(g.host, NULL) == 0);
  /* The guest may leave before the callback has returned on the timer thread. */
  int64_t deadline = now_ns() + (int64_t)DEADLINE_S * 1000000000;
  while (!atomic_load(&term.sig)) {
    CHECK(now_ns() < deadline);
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
  int sig = atomic_load(&term.sig);
  CHECK(sig == VSIG_SIGALRM && term.pid == g.pid);
  const char *where = pthread_equal(term.where, term.main)    ? "the runtime's thread"
                      : pthread_equal(term.where, term.guest) ? "the guest's thread"
                                                              : "vsig's timer thread";
  printf("runtime: the terminate callback ran on %s for signal %d (%s)\n", where, sig,
         vsig_strsignal(sig));
  int status = -1;
  CHECK(vsig_proc_status(g.pid, &status) == 0 && status == VSIG_SIGALRM);
  printf("runtime: vsig_proc_status: the guest process is a zombie, terminated by %d\n", status);
  CHECK(vsig_proc_destroy(g.pid) == 0); /* its only thread has exited */
  CHECK(vsig_proc_status(g.pid, &status) == ESRCH);
  printf("runtime: guest process destroyed\n");
  close(g.efd);
  return 0;
}
