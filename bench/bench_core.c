/* SPDX-License-Identifier: MIT */
/*
 * vsig against the native Linux calls doing the same job, in the same run.
 * Prints one line per measurement:
 *   bench <name>: vsig_ns=<median> native_ns=<median> ratio=<native/vsig>
 *
 * vsig's structures are laid out so <signal.h> and vsig.h can be included
 * together, which lets both sides live in one file and share one harness.
 *
 * With the argument "xthread_idle" it also measures the cross-thread wake of
 * a receiver that has gone to sleep in the kernel (see xthread below).
 */
#include "bench.h"

#include <vsig.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* ---- sigset --------------------------------------------------------------- */

static void sigset_vsig(size_t n, void *arg) {
  (void)arg;
  vsig_sigset_t s;
  size_t hits = 0;
  int sig = 1;
  for (size_t i = 0; i < n; i++) {
    vsig_sigemptyset(&s);
    vsig_sigaddset(&s, sig);
    hits += (size_t)vsig_sigismember(&s, sig);
    vsig_sigdelset(&s, sig);
    bench_escape(&s);
    sig = sig == 31 ? 1 : sig + 1; /* a varying signal defeats any constant folding */
  }
  BENCH_CHECK(hits == n);
}

static void sigset_native(size_t n, void *arg) {
  (void)arg;
  sigset_t s;
  size_t hits = 0;
  int sig = 1;
  for (size_t i = 0; i < n; i++) {
    sigemptyset(&s);
    sigaddset(&s, sig);
    hits += (size_t)sigismember(&s, sig);
    sigdelset(&s, sig);
    bench_escape(&s);
    sig = sig == 31 ? 1 : sig + 1;
  }
  BENCH_CHECK(hits == n);
}

/* ---- handlers ---------------------------------------------------------------- */

static volatile unsigned long vsig_hits, native_hits;
static void on_vsig(int sig) {
  (void)sig;
  vsig_hits = vsig_hits + 1;
}
static void on_native(int sig) {
  (void)sig;
  native_hits = native_hits + 1;
}

static void install_handlers(void) {
  vsig_sigaction_t va;
  memset(&va, 0, sizeof va);
  va.sa_handler = on_vsig;
  BENCH_CHECK(vsig_sigaction(VSIG_SIGUSR1, &va, NULL) == 0);

  struct sigaction na;
  memset(&na, 0, sizeof na);
  na.sa_handler = on_native;
  sigemptyset(&na.sa_mask);
  BENCH_CHECK(sigaction(SIGUSR1, &na, NULL) == 0);
}

/* ---- raise_handler ------------------------------------------------------------ */

static void raise_vsig(size_t n, void *arg) {
  (void)arg;
  unsigned long before = vsig_hits;
  for (size_t i = 0; i < n; i++)
    vsig_raise(VSIG_SIGUSR1);
  BENCH_CHECK(vsig_hits - before == n);
}

static void raise_native(size_t n, void *arg) {
  (void)arg;
  unsigned long before = native_hits;
  for (size_t i = 0; i < n; i++)
    raise(SIGUSR1);
  BENCH_CHECK(native_hits - before == n);
}

/* ---- block_raise_unblock ------------------------------------------------------ */

static void bru_vsig(size_t n, void *arg) {
  (void)arg;
  vsig_sigset_t usr1;
  vsig_sigemptyset(&usr1);
  vsig_sigaddset(&usr1, VSIG_SIGUSR1);
  for (size_t i = 0; i < n; i++) {
    unsigned long before = vsig_hits;
    vsig_pthread_sigmask(VSIG_SIG_BLOCK, &usr1, NULL);
    vsig_raise(VSIG_SIGUSR1);
    /* Blocked, so it must wait for the unblock; anything else is not this path. */
    BENCH_CHECK(vsig_hits == before);
    vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &usr1, NULL);
    BENCH_CHECK(vsig_hits == before + 1);
  }
}

static void bru_native(size_t n, void *arg) {
  (void)arg;
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  for (size_t i = 0; i < n; i++) {
    unsigned long before = native_hits;
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    raise(SIGUSR1);
    BENCH_CHECK(native_hits == before);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    BENCH_CHECK(native_hits == before + 1);
  }
}

/* ---- sigmask_pair ----------------------------------------------------------------- */

static void mask_vsig(size_t n, void *arg) {
  (void)arg;
  vsig_sigset_t s;
  vsig_sigemptyset(&s);
  vsig_sigaddset(&s, VSIG_SIGUSR2);
  for (size_t i = 0; i < n; i++) {
    vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL);
    vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &s, NULL);
  }
}

static void mask_native(size_t n, void *arg) {
  (void)arg;
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR2);
  for (size_t i = 0; i < n; i++) {
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
  }
}

/* ---- sigqueue_drain ---------------------------------------------------------------- */

/* The queued signal is blocked for the whole run (set up in main), so each
 * sigqueue leaves exactly one instance for the zero-timeout wait to take. */
static void drain_vsig(size_t n, void *arg) {
  (void)arg;
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGRTMIN);
  const struct timespec zero = {0, 0};
  vsig_pid_t pid = vsig_getpid();
  for (size_t i = 0; i < n; i++) {
    vsig_siginfo_t info;
    vsig_sigqueue(pid, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = (int)i});
    int sig = vsig_sigtimedwait(&set, &info, &zero);
    BENCH_CHECK(sig == VSIG_SIGRTMIN && info.si_value.sival_int == (int)i);
  }
}

static void drain_native(size_t n, void *arg) {
  (void)arg;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  const struct timespec zero = {0, 0};
  pid_t pid = getpid();
  for (size_t i = 0; i < n; i++) {
    siginfo_t info;
    sigqueue(pid, SIGRTMIN, (union sigval){.sival_int = (int)i});
    int sig = sigtimedwait(&set, &info, &zero);
    BENCH_CHECK(sig == SIGRTMIN && info.si_value.sival_int == (int)i);
  }
}

/* ---- xthread_latency ----------------------------------------------------------------
 *
 * One sender (the main thread), one receiver blocked in sigwaitinfo, one signal
 * in flight at a time. For each round the sender waits until the receiver has
 * committed to waiting, stamps CLOCK_MONOTONIC into a shared slot and sends;
 * the receiver subtracts the stamp from the time sigwaitinfo returned. The
 * round number travels as the signal's value, so a lost or duplicated signal
 * shows up as a wrong slot rather than a plausible number.
 *
 * "Committed to waiting" is each side's own notion: for vsig the thread state
 * vsig reports (vsig_thread_getstate), for Linux the kernel's task state 'S'
 * (asleep in rt_sigtimedwait). Without this the sender could race the receiver
 * back into its call and time a signal that was merely pending.
 *
 * vsig's waiter spins for a while before it sleeps on a futex, so the default
 * measurement catches it spinning, which is the case of a busy receiver. With
 * idle set, the sender waits for the vsig receiver to reach the kernel too,
 * which times vsig's futex wake against the kernel's signal wake.
 */

enum { XT_WARMUP = 200, XT_ROUNDS = 4001, XT_TOTAL = XT_WARMUP + XT_ROUNDS };
#define XT_VSIG_SIG (VSIG_SIGRTMIN + 2)
#define XT_NATIVE_SIG (SIGRTMIN + 2)

struct xt {
  _Atomic int64_t stamp;
  _Atomic int done; /* the receiver has recorded the last round */
  _Atomic pid_t tid;
  double lat[XT_TOTAL];
};

static void xt_record(struct xt *x, int round, int64_t now) {
  BENCH_CHECK(round >= 0 && round < XT_TOTAL);
  x->lat[round] = (double)(now - atomic_load_explicit(&x->stamp, memory_order_acquire));
  atomic_store_explicit(&x->done, 1, memory_order_release);
}

static void *xt_vsig_receiver(void *arg) {
  struct xt *x = arg;
  atomic_store(&x->tid, gettid());
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, XT_VSIG_SIG);
  for (;;) {
    vsig_siginfo_t info;
    int sig = vsig_sigwaitinfo(&set, &info);
    int64_t now = bench_now_ns();
    BENCH_CHECK(sig == XT_VSIG_SIG);
    if (info.si_value.sival_int < 0)
      return NULL;
    xt_record(x, info.si_value.sival_int, now);
  }
}

static void *xt_native_receiver(void *arg) {
  struct xt *x = arg;
  atomic_store(&x->tid, gettid());
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, XT_NATIVE_SIG);
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&set, &info);
    int64_t now = bench_now_ns();
    BENCH_CHECK(sig == XT_NATIVE_SIG);
    if (info.si_value.sival_int < 0)
      return NULL;
    xt_record(x, info.si_value.sival_int, now);
  }
}

/* A /proc stat file of the receiver, read again from the start on every poll. */
static int xt_open_stat(pid_t tid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
  int fd = open(path, O_RDONLY);
  BENCH_CHECK(fd >= 0);
  return fd;
}

static bool xt_kernel_asleep(int fd) {
  char buf[512];
  ssize_t len = pread(fd, buf, sizeof buf - 1, 0);
  BENCH_CHECK(len > 0);
  buf[len] = '\0';
  /* The command name may itself contain ')': the state follows the last one. */
  char *close = strrchr(buf, ')');
  BENCH_CHECK(close && close[1] == ' ');
  return close[2] == 'S';
}

static void xt_wait_done(struct xt *x) {
  while (!atomic_load_explicit(&x->done, memory_order_acquire))
    bench_cpu_relax();
  atomic_store_explicit(&x->done, 0, memory_order_relaxed);
}

static double xt_median(struct xt *x) { return bench_median(x->lat + XT_WARMUP, XT_ROUNDS); }

static double xthread_vsig(struct xt *x, bool idle) {
  memset(x, 0, sizeof *x);
  /* The receiver inherits the sender's mask: with the signal blocked in every
   * thread, only the waiter can take it (step 3 of delivery), never the sender. */
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, XT_VSIG_SIG);
  BENCH_CHECK(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &set, NULL) == 0);
  pthread_t host;
  vsig_thread_t rx;
  BENCH_CHECK(vsig_thread_create(&host, &rx, vsig_getpid(), 0, xt_vsig_receiver, x) == 0);
  while (!atomic_load(&x->tid))
    bench_cpu_relax();
  int fd = idle ? xt_open_stat(atomic_load(&x->tid)) : -1;
  vsig_pid_t pid = vsig_getpid();
  for (int i = 0; i < XT_TOTAL; i++) {
    int state;
    do {
      BENCH_CHECK(vsig_thread_getstate(rx, &state) == 0);
    } while (state != VSIG_THREAD_SIGWAIT || (idle && !xt_kernel_asleep(fd)));
    atomic_store_explicit(&x->stamp, bench_now_ns(), memory_order_release);
    BENCH_CHECK(vsig_sigqueue(pid, XT_VSIG_SIG, (vsig_sigval_t){.sival_int = i}) == 0);
    xt_wait_done(x);
  }
  BENCH_CHECK(vsig_sigqueue(pid, XT_VSIG_SIG, (vsig_sigval_t){.sival_int = -1}) == 0);
  BENCH_CHECK(pthread_join(host, NULL) == 0);
  if (fd >= 0)
    close(fd);
  return xt_median(x);
}

static double xthread_native(struct xt *x) {
  memset(x, 0, sizeof *x);
  /* Blocked before pthread_create so the receiver inherits it: the kernel then
   * has no thread but the one in sigwaitinfo to give the signal to. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, XT_NATIVE_SIG);
  BENCH_CHECK(pthread_sigmask(SIG_BLOCK, &set, NULL) == 0);
  pthread_t host;
  BENCH_CHECK(pthread_create(&host, NULL, xt_native_receiver, x) == 0);
  while (!atomic_load(&x->tid))
    bench_cpu_relax();
  int fd = xt_open_stat(atomic_load(&x->tid));
  pid_t pid = getpid();
  for (int i = 0; i < XT_TOTAL; i++) {
    while (!xt_kernel_asleep(fd))
      bench_cpu_relax();
    atomic_store_explicit(&x->stamp, bench_now_ns(), memory_order_release);
    BENCH_CHECK(sigqueue(pid, XT_NATIVE_SIG, (union sigval){.sival_int = i}) == 0);
    xt_wait_done(x);
  }
  BENCH_CHECK(sigqueue(pid, XT_NATIVE_SIG, (union sigval){.sival_int = -1}) == 0);
  BENCH_CHECK(pthread_join(host, NULL) == 0);
  close(fd);
  return xt_median(x);
}

static void trace_nothing(const vsig_trace_event_t *ev, void *arg) {
  (void)ev;
  (void)arg;
}

/* ---- main ----------------------------------------------------------------------------- */

int main(int argc, char **argv) {
  bool idle = argc > 1 && strcmp(argv[1], "xthread_idle") == 0;
  double v, nat;

  bench_pair(sigset_vsig, 1000000, sigset_native, 200000, NULL, &v, &nat);
  bench_report("sigset", v, nat);

  install_handlers();
  bench_pair(raise_vsig, 50000, raise_native, 1000, NULL, &v, &nat);
  bench_report("raise_handler", v, nat);

  bench_pair(bru_vsig, 20000, bru_native, 500, NULL, &v, &nat);
  bench_report("block_raise_unblock", v, nat);

  bench_pair(mask_vsig, 200000, mask_native, 5000, NULL, &v, &nat);
  bench_report("sigmask_pair", v, nat);

  vsig_sigset_t vrt;
  vsig_sigemptyset(&vrt);
  vsig_sigaddset(&vrt, VSIG_SIGRTMIN);
  BENCH_CHECK(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &vrt, NULL) == 0);
  sigset_t nrt;
  sigemptyset(&nrt);
  sigaddset(&nrt, SIGRTMIN);
  BENCH_CHECK(pthread_sigmask(SIG_BLOCK, &nrt, NULL) == 0);
  bench_pair(drain_vsig, 20000, drain_native, 1000, NULL, &v, &nat);
  bench_report("sigqueue_drain", v, nat);

  /* The same paths with a trace hook that does nothing: the cost of the
   * events themselves (with none set, each hook point is one load). */
  vsig_set_trace_fn(trace_nothing, NULL);
  bench_pair(raise_vsig, 50000, raise_native, 1000, NULL, &v, &nat);
  bench_report("raise_handler_traced", v, nat);
  bench_pair(drain_vsig, 20000, drain_native, 1000, NULL, &v, &nat);
  bench_report("sigqueue_drain_traced", v, nat);
  vsig_set_trace_fn(NULL, NULL);

  /* Too big for the stack, and reused by both sides. */
  static struct xt x;
  v = xthread_vsig(&x, false);
  nat = xthread_native(&x);
  bench_report("xthread_latency", v, nat);
  if (idle) {
    v = xthread_vsig(&x, true);
    bench_report("xthread_latency_idle", v, nat);
  }
  return 0;
}
