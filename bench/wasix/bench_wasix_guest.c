/*
 * The guest half of bench_wasix (built for wasm32-wasi, run by vsig-wasix-run).
 * Modes (argv[1]):
 *   raise   median ns from just before wasix proc_raise to the first
 *           instruction of the callback, less the median cost of the clock
 *           read itself (two back-to-back reads), over 20,001 raises.
 *   jitter  p50/p99 |lateness| of a 1 ms proc_raise_interval(repeat) over
 *           2,000 expiries against the drift-free grid start + k ms; the
 *           guest sleeps in poll_oneoff between ticks.
 *   spin    the same with the guest in a busy loop that never calls the host:
 *           what the preemption checks achieve (the spinning-guest bound).
 *   compute a fixed busy computation, for the cost of the checks (run with
 *           and without them).
 * Prints one line: "<mode> <numbers...>".
 */
#include "wasix_signal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static int64_t pct(int64_t *v, int n, int p) {
  qsort(v, (size_t)n, sizeof *v, cmp);
  return v[(int64_t)(n - 1) * p / 100];
}

#define NRAISE 20001
#define NTICK 2000
#define PERIOD 1000000LL

static int64_t samples[NRAISE];
static volatile int64_t t_cb;
static volatile int ticks;
static int64_t arrivals[NTICK + 8];

__attribute__((export_name("on_raise"))) void on_raise(int sig) {
  t_cb = now(); /* the callback's first instruction */
  (void)sig;
}

__attribute__((export_name("on_tick"))) void on_tick(int sig) {
  int64_t t = now();
  (void)sig;
  if (ticks < NTICK)
    arrivals[ticks] = t;
  ticks++;
}

static void callback(const char *name) { wasix_callback_signal(name, (uint32_t)strlen(name)); }

static void mode_raise(void) {
  callback("on_raise");
  for (int i = 0; i < NRAISE; i++) {
    int64_t t0 = now();
    wasix_proc_raise(WASIX_SIGUSR1);
    samples[i] = t_cb - t0;
  }
  int64_t raw = pct(samples, NRAISE, 50);
  for (int i = 0; i < NRAISE; i++) {
    int64_t a = now();
    samples[i] = now() - a;
  }
  int64_t clk = pct(samples, NRAISE, 50);
  printf("raise %lld %lld\n", (long long)(raw - clk), (long long)clk);
}

/* |lateness| of each tick against start + k * PERIOD; a tick that arrives
 * after later deadlines also passed stands for the first of them (the others
 * merged into it: a standard signal has one pending instance). */
static int lateness(int64_t start, int n) {
  int m = 0;
  int64_t k = 1;
  for (int i = 0; i < n; i++) {
    int64_t d = arrivals[i] - (start + k * PERIOD);
    samples[m++] = d < 0 ? -d : d;
    int64_t passed = (arrivals[i] - start) / PERIOD;
    k = passed >= k ? passed + 1 : k + 1;
  }
  return m;
}

static void mode_jitter(int spin) {
  callback("on_tick");
  int64_t start = now();
  wasix_proc_raise_interval(WASIX_SIGALRM, 1, 1);
  if (spin) {
    while (ticks < NTICK) { /* no host call in this loop */
    }
  } else {
    while (ticks < NTICK) {
      struct timespec ts = {1, 0};
      nanosleep(&ts, NULL); /* each tick ends it with EINTR */
    }
  }
  wasix_proc_raise_interval(WASIX_SIGALRM, 0, 0);
  int m = lateness(start, NTICK);
  int64_t p50 = pct(samples, m, 50), p99 = pct(samples, m, 99), max = samples[m - 1];
  printf("%s %lld %lld %lld\n", spin ? "spin" : "jitter", (long long)p50, (long long)p99,
         (long long)max);
}

static void mode_compute(void) {
  /* The worst case for the checks: a one-multiply loop body, not unrolled,
   * so every iteration passes a check. */
  volatile uint32_t sink = 0;
  int64_t t0 = now();
  uint32_t h = 2166136261u;
#pragma clang loop unroll(disable)
  for (uint32_t i = 0; i < 200000000u; i++)
    h = (h ^ i) * 16777619u;
  sink = h;
  (void)sink;
  printf("compute %lld\n", (long long)(now() - t0));
}

int main(int argc, char **argv) {
  const char *m = argc > 1 ? argv[1] : "raise";
  if (!strcmp(m, "raise"))
    mode_raise();
  else if (!strcmp(m, "jitter"))
    mode_jitter(0);
  else if (!strcmp(m, "spin"))
    mode_jitter(1);
  else if (!strcmp(m, "compute"))
    mode_compute();
  else
    return 2;
  return 0;
}
