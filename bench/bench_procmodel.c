/* SPDX-License-Identifier: MIT */
/*
 * The process model against the host's in the same run:
 *  - proc_create_destroy: vsig_proc_create + vsig_proc_destroy, against
 *    fork + _exit + waitpid;
 *  - waitpid_round_trip: a child's end to its parent's return from a blocked
 *    waitpid (vsig_proc_exit from another thread, against a native child told
 *    through a pipe to _exit);
 *  - kill_pgrp_1000: one signal to a group of 1,000 processes whose action
 *    ignores it (vsig_killpg, against killpg over 1,000 forked children);
 *  - bytes_per_idle_process: heap per process without threads, measured over
 *    1,000,000 processes: children of one process (the usual case: a
 *    runtime's guests), and roots, each leading a session and a group of its
 *    own.
 */

#include "bench.h"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vsig.h>

static vsig_proc_attr_t root_attr(void) {
  vsig_proc_attr_t a;
  BENCH_CHECK(vsig_proc_attr_init(&a) == 0);
  a.parent = VSIG_PID_NONE;
  return a;
}

/* ---- create and destroy ---------------------------------------------------------------- */

static void vsig_create_destroy(size_t n, void *arg) {
  vsig_proc_attr_t *a = arg;
  for (size_t i = 0; i < n; i++) {
    vsig_pid_t p;
    BENCH_CHECK(vsig_proc_create(a, &p) == 0);
    BENCH_CHECK(vsig_proc_destroy(p) == 0);
  }
}

static void native_fork_exit_wait(size_t n, void *arg) {
  (void)arg;
  for (size_t i = 0; i < n; i++) {
    pid_t c = fork();
    BENCH_CHECK(c >= 0);
    if (c == 0)
      _exit(0);
    int st;
    BENCH_CHECK(waitpid(c, &st, 0) == c);
  }
}

/* ---- waitpid round trip ---------------------------------------------------------------- */

struct rt {
  vsig_pid_t parent;
  _Atomic vsig_pid_t child;
  _Atomic int64_t t_end, t_back;
  _Atomic int quit;
};

static void *vsig_waiter(void *arg) {
  struct rt *r = arg;
  while (!atomic_load(&r->quit)) {
    int st;
    vsig_pid_t got = vsig_waitpid(-1, &st, 0);
    if (got > 0)
      atomic_store(&r->t_back, bench_now_ns());
  }
  return NULL;
}

static double vsig_waitpid_round_trip(int n) {
  struct rt r = {0};
  vsig_proc_attr_t a = root_attr();
  BENCH_CHECK(vsig_proc_create(&a, &r.parent) == 0);
  pthread_t h;
  vsig_thread_t id;
  BENCH_CHECK(vsig_thread_create(&h, &id, r.parent, 0, vsig_waiter, &r) == 0);
  double *v = calloc((size_t)n, sizeof *v);
  a.parent = r.parent;
  for (int i = 0; i < n; i++) {
    vsig_pid_t c;
    BENCH_CHECK(vsig_proc_create(&a, &c) == 0);
    int state = -1;
    do
      BENCH_CHECK(vsig_thread_getstate(id, &state) == 0);
    while (state != VSIG_THREAD_INTERRUPTIBLE);
    atomic_store(&r.t_back, 0);
    int64_t t0 = bench_now_ns();
    BENCH_CHECK(vsig_proc_exit(c, 0) == 0);
    while (!atomic_load(&r.t_back))
      bench_cpu_relax();
    v[i] = (double)(atomic_load(&r.t_back) - t0);
  }
  atomic_store(&r.quit, 1);
  vsig_pid_t last;
  BENCH_CHECK(vsig_proc_create(&a, &last) == 0);
  BENCH_CHECK(vsig_proc_exit(last, 0) == 0);
  BENCH_CHECK(pthread_join(h, NULL) == 0);
  BENCH_CHECK(vsig_proc_exit(r.parent, 0) == 0);
  BENCH_CHECK(vsig_proc_destroy(r.parent) == 0);
  double m = bench_median(v, (size_t)n);
  free(v);
  return m;
}

static double native_waitpid_round_trip(int n) {
  double *v = calloc((size_t)n, sizeof *v);
  for (int i = 0; i < n; i++) {
    int fd[2];
    BENCH_CHECK(pipe(fd) == 0);
    pid_t c = fork();
    BENCH_CHECK(c >= 0);
    if (c == 0) {
      char b;
      close(fd[1]);
      if (read(fd[0], &b, 1) != 1)
        _exit(1);
      _exit(0);
    }
    close(fd[0]);
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL); /* the child is blocked in read by now */
    int64_t t0 = bench_now_ns();
    BENCH_CHECK(write(fd[1], "x", 1) == 1);
    int st;
    BENCH_CHECK(waitpid(c, &st, 0) == c);
    v[i] = (double)(bench_now_ns() - t0);
    close(fd[1]);
  }
  double m = bench_median(v, (size_t)n);
  free(v);
  return m;
}

/* ---- a group of 1,000 ----------------------------------------------------------------- */

enum { GROUP = 1000 };

static double vsig_kill_pgrp(int reps) {
  vsig_proc_attr_t a = root_attr();
  vsig_pid_t leader;
  BENCH_CHECK(vsig_proc_create(&a, &leader) == 0);
  a.parent = leader;
  static vsig_pid_t kids[GROUP - 1];
  for (int i = 0; i < GROUP - 1; i++)
    BENCH_CHECK(vsig_proc_create(&a, &kids[i]) == 0);
  double *v = calloc((size_t)reps, sizeof *v);
  for (int r = 0; r < reps; r++) {
    int64_t t0 = bench_now_ns();
    BENCH_CHECK(vsig_killpg(leader, VSIG_SIGWINCH) == 0);
    v[r] = (double)(bench_now_ns() - t0);
  }
  for (int i = 0; i < GROUP - 1; i++)
    BENCH_CHECK(vsig_proc_destroy(kids[i]) == 0);
  BENCH_CHECK(vsig_proc_destroy(leader) == 0);
  double m = bench_median(v, (size_t)reps);
  free(v);
  return m;
}

static double native_kill_pgrp(int reps) {
  static pid_t kids[GROUP];
  pid_t pgid = 0;
  for (int i = 0; i < GROUP; i++) {
    pid_t c = fork();
    BENCH_CHECK(c >= 0);
    if (c == 0) {
      signal(SIGWINCH, SIG_DFL);
      for (;;)
        pause();
    }
    if (i == 0)
      pgid = c;
    setpgid(c, pgid);
    kids[i] = c;
  }
  for (int i = 0; i < GROUP; i++)
    BENCH_CHECK(getpgid(kids[i]) == pgid);
  double *v = calloc((size_t)reps, sizeof *v);
  for (int r = 0; r < reps; r++) {
    int64_t t0 = bench_now_ns();
    BENCH_CHECK(killpg(pgid, SIGWINCH) == 0);
    v[r] = (double)(bench_now_ns() - t0);
  }
  BENCH_CHECK(killpg(pgid, SIGKILL) == 0);
  for (int i = 0; i < GROUP; i++)
    BENCH_CHECK(waitpid(kids[i], NULL, 0) == kids[i]);
  double m = bench_median(v, (size_t)reps);
  free(v);
  return m;
}

/* ---- memory -------------------------------------------------------------------------------- */

static size_t heap_in_use(void) {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

static double bytes_per_process(int n, vsig_pid_t parent) {
  vsig_proc_attr_t a = root_attr();
  a.parent = parent;
  vsig_pid_t *pids = calloc((size_t)n, sizeof *pids);
  BENCH_CHECK(pids);
  size_t before = heap_in_use();
  for (int i = 0; i < n; i++)
    BENCH_CHECK(vsig_proc_create(&a, &pids[i]) == 0);
  size_t after = heap_in_use();
  for (int i = 0; i < n; i++)
    BENCH_CHECK(vsig_proc_destroy(pids[i]) == 0);
  free(pids);
  return (double)(after - before) / n;
}

int main(void) {
  (void)vsig_getpid();
  vsig_proc_attr_t a = root_attr();
  double v, nat;
  bench_pair(vsig_create_destroy, 2000, native_fork_exit_wait, 20, &a, &v, &nat);
  bench_report("proc_create_destroy", v, nat);

  v = vsig_waitpid_round_trip(201);
  nat = native_waitpid_round_trip(51);
  bench_report("waitpid_round_trip", v, nat);

  v = vsig_kill_pgrp(101);
  nat = native_kill_pgrp(101);
  bench_report("kill_pgrp_1000", v, nat);

  enum { N = 1000000 };
  vsig_proc_attr_t ra = root_attr();
  vsig_pid_t parent;
  BENCH_CHECK(vsig_proc_create(&ra, &parent) == 0);
  double child = bytes_per_process(N, parent);
  double root = bytes_per_process(N, VSIG_PID_NONE);
  printf("bench bytes_per_idle_process: vsig_bytes=%.0f (children of one process) "
         "vsig_bytes_root=%.0f (each its own session and group) target=1024 native=none; "
         "at 1,000,000: %.2f GB (a host process costs the kernel about 10 KB of its own and "
         "far more in memory maps)\n",
         child, root, child * N / 1e9);
  return 0;
}
