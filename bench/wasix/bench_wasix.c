/*
 * bench_wasix: vsig-wasix in a real WebAssembly host against native Linux,
 * in the same run. The guest half (bench_wasix_guest.c) runs under
 * vsig-wasix-run and reports its own figures; the native half runs here.
 *
 *   wasix_raise_to_callback    guest proc_raise to its callback's first
 *                              instruction, against native raise() to a
 *                              handler's first instruction (medians, less
 *                              the clock read's own median cost)
 *   wasix_interval_jitter_1ms  p50 (and p99) |lateness| of a 1 ms
 *                              proc_raise_interval in a sleeping guest,
 *                              against a native 1 ms ITIMER_REAL handler
 *   wasix_spin_jitter_1ms      the same 1 ms interval reaching a guest that
 *                              spins without host calls: the preemption
 *                              checks' bound (p50, p99, max)
 *   wasix_preempt_check_cost   a busy guest loop with and without the checks
 */
#include "bench.h"

#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define NRAISE 20001
#define NTICK 2000
#define PERIOD 1000000LL

static int64_t v[NRAISE];
static volatile int64_t t_handler;
static volatile int ticks;
static int64_t arrivals[NTICK + 8];

static int cmp(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}
static int64_t pct(int64_t *a, int n, int p) {
  qsort(a, (size_t)n, sizeof *a, cmp);
  return a[(int64_t)(n - 1) * p / 100];
}

static void on_usr1(int sig) {
  t_handler = bench_now_ns();
  (void)sig;
}

static void on_alrm(int sig) {
  int64_t t = bench_now_ns();
  (void)sig;
  if (ticks < NTICK)
    arrivals[ticks] = t;
  ticks++;
}

static int64_t native_raise(void) {
  signal(SIGUSR1, on_usr1);
  for (int i = 0; i < NRAISE; i++) {
    int64_t t0 = bench_now_ns();
    raise(SIGUSR1);
    v[i] = t_handler - t0;
  }
  int64_t raw = pct(v, NRAISE, 50);
  for (int i = 0; i < NRAISE; i++) {
    int64_t a = bench_now_ns();
    v[i] = bench_now_ns() - a;
  }
  return raw - pct(v, NRAISE, 50);
}

/* The same accounting as the guest's: merged expiries skip the grid ahead. */
static void native_jitter(int64_t *p50, int64_t *p99) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alrm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, PERIOD / 1000}, {0, PERIOD / 1000}};
  int64_t start = bench_now_ns();
  BENCH_CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
  while (ticks < NTICK) {
    struct timespec ts = {1, 0};
    nanosleep(&ts, NULL);
  }
  struct itimerval off;
  memset(&off, 0, sizeof off);
  setitimer(ITIMER_REAL, &off, NULL);
  int64_t k = 1;
  for (int i = 0; i < NTICK; i++) {
    int64_t d = arrivals[i] - (start + k * PERIOD);
    v[i] = d < 0 ? -d : d;
    int64_t passed = (arrivals[i] - start) / PERIOD;
    k = passed >= k ? passed + 1 : k + 1;
  }
  *p50 = pct(v, NTICK, 50);
  *p99 = pct(v, NTICK, 99);
}

/* Runs the guest in mode with extra runner options; its one output line's
 * numbers go to out. */
static int guest(const char *opts, const char *mode, long long *out, int n) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "%s %s %s %s", VSIG_WASIX_RUN, opts, BENCH_GUEST, mode);
  FILE *f = popen(cmd, "r");
  BENCH_CHECK(f != NULL);
  char line[256] = {0};
  char *got = fgets(line, sizeof line, f);
  int rc = pclose(f);
  BENCH_CHECK(got != NULL && rc == 0);
  char word[32];
  long long a = 0, b = 0, c = 0;
  int k = sscanf(line, "%31s %lld %lld %lld", word, &a, &b, &c);
  BENCH_CHECK(k - 1 >= n && !strcmp(word, mode));
  out[0] = a;
  if (n > 1)
    out[1] = b;
  if (n > 2)
    out[2] = c;
  return 0;
}

int main(void) {
  long long g[3];
  guest("", "raise", g, 1);
  int64_t nat = native_raise();
  bench_report("wasix_raise_to_callback", (double)g[0], (double)nat);

  guest("", "jitter", g, 3);
  int64_t n50, n99;
  native_jitter(&n50, &n99);
  printf("bench wasix_interval_jitter_1ms: vsig_ns=%lld native_ns=%lld ratio=%.2f vsig_p99_ns=%lld "
         "native_p99_ns=%lld vsig_max_ns=%lld\n",
         g[0], (long long)n50, g[0] > 0 ? (double)n50 / (double)g[0] : 0.0, g[1], (long long)n99,
         g[2]);
  fflush(stdout);

  guest("", "spin", g, 3);
  printf("bench wasix_spin_jitter_1ms: vsig_p50_ns=%lld vsig_p99_ns=%lld vsig_max_ns=%lld\n", g[0],
         g[1], g[2]);
  fflush(stdout);

  /* Alternating runs, medians: the two are different executables. */
  int64_t with[5], without[5];
  for (int i = 0; i < 5; i++) {
    guest("", "compute", g, 1);
    with[i] = g[0];
    guest("--no-preempt", "compute", g, 1);
    without[i] = g[0];
  }
  int64_t w = pct(with, 5, 50), wo = pct(without, 5, 50);
  printf("bench wasix_preempt_check_cost: checked_ns=%lld unchecked_ns=%lld per_iteration_ns=%.3f "
         "overhead_pct=%.1f\n",
         (long long)w, (long long)wo, (double)(w - wo) / 200e6,
         100.0 * (double)(w - wo) / (double)wo);
  return 0;
}
