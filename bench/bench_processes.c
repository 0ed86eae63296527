/* SPDX-License-Identifier: MIT */
/*
 * Process-scale benchmarks. kill_all_100k: vsig_kill(-1, sig) over 100,000
 * thread-less virtual processes, once with a signal whose default action
 * discards it (the walk alone) and once with SIGTERM, which ends each process
 * and runs the terminate callback for it. Nothing native is measured: a host
 * has no 100,000 processes in one address space to compare with.
 */
#include "bench.h"

#include <stdatomic.h>
#include <vsig.h>

enum { NPROC = 100000 };

static _Atomic long terminated;
static void on_terminate(vsig_pid_t pid, int sig, void *arg) {
  (void)pid;
  (void)sig;
  (void)arg;
  atomic_fetch_add_explicit(&terminated, 1, memory_order_relaxed);
}

static void make_processes(vsig_pid_t *pids) {
  vsig_proc_attr_t a;
  BENCH_CHECK(vsig_proc_attr_init(&a) == 0);
  a.queue_max = VSIG_POSIX_SIGQUEUE_MAX;
  for (int i = 0; i < NPROC; i++)
    BENCH_CHECK(vsig_proc_create(&a, &pids[i]) == 0);
}

static void destroy_processes(const vsig_pid_t *pids) {
  for (int i = 0; i < NPROC; i++)
    BENCH_CHECK(vsig_proc_destroy(pids[i]) == 0);
}

int main(void) {
  static vsig_pid_t pids[NPROC];
  vsig_set_terminate_callback(on_terminate, NULL);
  (void)vsig_getpid(); /* the caller's own process exists and is skipped */

  make_processes(pids);
  int64_t t0 = bench_now_ns();
  BENCH_CHECK(vsig_kill(-1, VSIG_SIGCHLD) == 0);
  int64_t walk = bench_now_ns() - t0;
  t0 = bench_now_ns();
  BENCH_CHECK(vsig_kill(-1, VSIG_SIGTERM) == 0);
  int64_t kill = bench_now_ns() - t0;
  BENCH_CHECK(atomic_load(&terminated) == NPROC);
  destroy_processes(pids);

  printf("bench kill_all_100k_discard: vsig_ns=%.0f per_process_ns=%.1f native=none\n",
         (double)walk, (double)walk / NPROC);
  printf("bench kill_all_100k: vsig_ns=%.0f per_process_ns=%.1f native=none "
         "(each process ends and its terminate callback runs)\n",
         (double)kill, (double)kill / NPROC);
  return 0;
}
