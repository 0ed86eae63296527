/* SPDX-License-Identifier: MIT */
/*
 * Timing helpers shared by the benchmarks. Every measurement runs vsig and the
 * native call in the same process, in alternating batches, so that frequency
 * scaling, a noisy neighbour or a cold cache hurts both sides alike; the median
 * of the batches keeps a single preempted batch from moving the result.
 */
#ifndef VSIG_BENCH_H
#define VSIG_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Odd, so the median is one real batch rather than an average of two. */
#define BENCH_BATCHES 21

/* One batch: run the operation n times. */
typedef void (*bench_loop_fn)(size_t n, void *arg);

static inline int64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Keeps the compiler from dropping or hoisting work whose result is unused. */
static inline void bench_escape(void *p) { __asm__ __volatile__("" : : "g"(p) : "memory"); }

static inline void bench_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static int bench_cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts v in place. */
static inline double bench_median(double *v, size_t n) {
  qsort(v, n, sizeof *v, bench_cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static inline double bench_batch_ns_per_op(bench_loop_fn fn, void *arg, size_t n) {
  int64_t t0 = bench_now_ns();
  fn(n, arg);
  return (double)(bench_now_ns() - t0) / (double)n;
}

/*
 * Median per-op time of vsig_fn and native_fn over BENCH_BATCHES batches.
 * The two sides get their own batch sizes because they differ by orders of
 * magnitude: each batch should last about a millisecond, long enough to dwarf
 * the clock read and short enough to fit between preemptions. One untimed
 * batch of each warms caches, lazy binding and vsig's attach of the calling
 * thread. Which side goes first alternates, so neither always inherits the
 * other's cache state.
 */
static inline void bench_pair(bench_loop_fn vsig_fn, size_t vsig_n, bench_loop_fn native_fn,
                              size_t native_n, void *arg, double *vsig_ns, double *native_ns) {
  double v[BENCH_BATCHES], nat[BENCH_BATCHES];
  vsig_fn(vsig_n, arg);
  native_fn(native_n, arg);
  for (int b = 0; b < BENCH_BATCHES; b++) {
    if (b % 2) {
      v[b] = bench_batch_ns_per_op(vsig_fn, arg, vsig_n);
      nat[b] = bench_batch_ns_per_op(native_fn, arg, native_n);
    } else {
      nat[b] = bench_batch_ns_per_op(native_fn, arg, native_n);
      v[b] = bench_batch_ns_per_op(vsig_fn, arg, vsig_n);
    }
  }
  *vsig_ns = bench_median(v, BENCH_BATCHES);
  *native_ns = bench_median(nat, BENCH_BATCHES);
}

/* The one line scripts parse; see issue 2. */
static inline void bench_report(const char *name, double vsig_ns, double native_ns) {
  printf("bench %s: vsig_ns=%.2f native_ns=%.2f ratio=%.2f\n", name, vsig_ns, native_ns,
         vsig_ns > 0 ? native_ns / vsig_ns : 0.0);
  fflush(stdout);
}

/* A benchmark that measures something other than what it claims is worse than
 * none: stop loudly instead of printing a number. */
#define BENCH_CHECK(cond)                                                                          \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

#endif
