/* SPDX-License-Identifier: MIT */
/*
 * vsig's timer service against the native Linux timers, in the same run.
 * Prints one line per measurement, every figure named:
 *   bench <name>: vsig_<figure>=<v> ... native_<figure>=<v> ...
 *
 *   timer_jitter_1ms      1 ms periodic POSIX timer taken with sigwaitinfo:
 *                         |arrival - ideal deadline| p50/p99/max, lost expiries
 *   itimer_jitter_1ms     the same through setitimer(ITIMER_REAL)
 *   timer_arm_cancel      timer_settime arm, then disarm, per timer
 *   timer_arm_cancel_earliest  arm+disarm of the one timer in an idle service
 *   timer_arm_cancel_100k 100,000 timers armed at once, then all disarmed
 *   timer_arm_cancel_1m   arm/disarm with 1,000,000 timers already armed
 *   timer_memory_1m       bytes per armed timer
 *   timer_cpu_10k_10ms_*  CPU used while 10,000 timers fire every 10 ms
 *
 * Arguments name the parts to run (jitter arm many memory cpu; default all).
 * --slack=NS sets the caller's timer slack before vsig starts its service
 * thread, which inherits it: the diagnostic for the jitter analysis.
 */
#include <vsig.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define HAVE_MALLINFO2 1
#endif

/* ---- small helpers -------------------------------------------------------------- */

/* A benchmark that measures something other than what it claims is worse than
 * none: stop loudly instead of printing a number. */
#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: check failed: %s (errno %d)\n", __FILE__, __LINE__, #cond, errno);   \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

#define NS_PER_S 1000000000LL
/* Odd, so the median is one real batch rather than an average of two. */
#define BATCHES 21

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static int64_t cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static struct timespec ts_of(int64_t ns) {
  return (struct timespec){.tv_sec = (time_t)(ns / NS_PER_S), .tv_nsec = (long)(ns % NS_PER_S)};
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts v in place. */
static double median(double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Deterministic, so vsig and native get the same deadlines in the same order. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Far enough that nothing armed by the benchmarks fires while it runs; the
 * random part spreads the deadlines so the heap is not fed in sorted order,
 * which would make every insertion a single comparison. */
static int64_t far_ns(void) { return 3600 * NS_PER_S + (int64_t)(rng() % NS_PER_S); }

/* Native signals used here; all are blocked in every thread (see main). */
#define N_TSIG (SIGRTMIN)
#define N_STOP SIGUSR2
#define V_TSIG VSIG_SIGRTMIN
#define V_STOP VSIG_SIGUSR2

/* ---- 1. period jitter --------------------------------------------------------------- */

#define JIT_PERIOD_NS 1000000LL
#define JIT_ROUNDS 4
#define JIT_PER_ROUND 500 /* expiries per round: 2,000 per variant in all */
#define JIT_LEAD_NS (2 * JIT_PERIOD_NS)

struct jstat {
  double us[JIT_ROUNDS * JIT_PER_ROUND + 64];
  size_t n;
  long lost;
};

static void jit_record(struct jstat *js, int64_t arrival, int64_t ideal) {
  int64_t d = arrival - ideal;
  if (js->n < sizeof js->us / sizeof js->us[0])
    js->us[js->n++] = (double)(d < 0 ? -d : d) / 1000.0;
}

/*
 * POSIX timer variants. Armed at an absolute start on CLOCK_MONOTONIC (vsig's
 * host clock is CLOCK_MONOTONIC too), so the ideal deadline of expiry k is
 * exactly start + k * period. A signal stands for the expiry that queued it
 * plus si_overrun later ones, so the index advances by 1 + si_overrun.
 */
static void jit_vsig_timer(struct jstat *js) {
  vsig_sigevent_t sev = {.sigev_notify = VSIG_SIGEV_SIGNAL, .sigev_signo = V_TSIG};
  vsig_timer_t t;
  CHECK(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &t) == 0);
  int64_t start = vsig_clock_now() + JIT_LEAD_NS;
  vsig_itimerspec_t its = {.it_interval = ts_of(JIT_PERIOD_NS), .it_value = ts_of(start)};
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, V_TSIG);
  CHECK(vsig_timer_settime(t, VSIG_TIMER_ABSTIME, &its, NULL) == 0);
  for (int64_t k = 0; k < JIT_PER_ROUND;) {
    vsig_siginfo_t info;
    int s = vsig_sigwaitinfo(&set, &info);
    int64_t arrival = now_ns();
    CHECK(s == V_TSIG && info.si_code == VSIG_SI_TIMER);
    jit_record(js, arrival, start + k * JIT_PERIOD_NS);
    js->lost += info.si_overrun;
    k += 1 + info.si_overrun;
  }
  CHECK(vsig_timer_delete(t) == 0); /* discards a signal still pending */
}

static void jit_native_timer(struct jstat *js) {
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = N_TSIG;
  timer_t t;
  CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0);
  int64_t start = now_ns() + JIT_LEAD_NS;
  struct itimerspec its = {.it_interval = ts_of(JIT_PERIOD_NS), .it_value = ts_of(start)};
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, N_TSIG);
  CHECK(timer_settime(t, TIMER_ABSTIME, &its, NULL) == 0);
  for (int64_t k = 0; k < JIT_PER_ROUND;) {
    siginfo_t info;
    int s = sigwaitinfo(&set, &info);
    int64_t arrival = now_ns();
    if (s < 0 && errno == EINTR)
      continue;
    CHECK(s == N_TSIG && info.si_code == SI_TIMER);
    jit_record(js, arrival, start + k * JIT_PERIOD_NS);
    js->lost += info.si_overrun;
    k += 1 + info.si_overrun;
  }
  CHECK(timer_delete(t) == 0);
  struct timespec zero = {0, 0};
  while (sigtimedwait(&set, NULL, &zero) > 0) {
  }
}

/*
 * ITIMER_REAL variants. setitimer takes only a relative time and SIGALRM
 * carries no overrun count, so the index of the expiry a signal stands for is
 * inferred from the clock:
 *  - the grid starts at the time read just before the call; what the call
 *    itself takes before reading its clock counts against the implementation;
 *  - a signal normally stands for the next expiry not yet accounted; deadlines
 *    that had also passed when it arrived are counted lost (a standard signal
 *    merges expiries while pending, and itimers report no overruns);
 *  - a signal arriving when no unaccounted deadline has passed stands for one
 *    of those counted lost: vsig, when its service is late, sends the first
 *    missed expiry as a signal of its own once the waiter has taken the
 *    previous one. It is un-lost and measured against the latest deadline
 *    before it, the smallest lateness it can have.
 */
struct itacct {
  int64_t k; /* expiries accounted, received or lost */
  int64_t start;
  long lost;
};

static void itimer_account(struct jstat *js, struct itacct *a, int64_t arrival) {
  int64_t passed = (arrival - a->start) / JIT_PERIOD_NS; /* deadlines at or before arrival */
  if (passed <= a->k && a->lost > 0) {
    a->lost--;
    jit_record(js, arrival, a->start + passed * JIT_PERIOD_NS);
    return;
  }
  jit_record(js, arrival, a->start + (a->k + 1) * JIT_PERIOD_NS);
  a->k++;
  if (passed > a->k) {
    a->lost += (long)(passed - a->k);
    a->k = passed;
  }
}

static void jit_vsig_itimer(struct jstat *js) {
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGALRM);
  vsig_itimerval_t iv = {.it_interval = {0, JIT_PERIOD_NS / 1000},
                         .it_value = {0, JIT_PERIOD_NS / 1000}};
  struct itacct a = {0, now_ns(), 0};
  CHECK(vsig_setitimer(VSIG_ITIMER_REAL, &iv, NULL) == 0);
  while (a.k < JIT_PER_ROUND) {
    int s = vsig_sigwaitinfo(&set, NULL);
    int64_t arrival = now_ns();
    CHECK(s == VSIG_SIGALRM);
    itimer_account(js, &a, arrival);
  }
  js->lost += a.lost;
  vsig_itimerval_t off;
  memset(&off, 0, sizeof off);
  CHECK(vsig_setitimer(VSIG_ITIMER_REAL, &off, NULL) == 0);
  struct timespec zero = {0, 0};
  while (vsig_sigtimedwait(&set, NULL, &zero) > 0) {
  }
}

static void jit_native_itimer(struct jstat *js) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGALRM);
  struct itimerval iv = {.it_interval = {0, JIT_PERIOD_NS / 1000},
                         .it_value = {0, JIT_PERIOD_NS / 1000}};
  struct itacct a = {0, now_ns(), 0};
  CHECK(setitimer(ITIMER_REAL, &iv, NULL) == 0);
  while (a.k < JIT_PER_ROUND) {
    int s = sigwaitinfo(&set, NULL);
    int64_t arrival = now_ns();
    if (s < 0 && errno == EINTR)
      continue;
    CHECK(s == SIGALRM);
    itimer_account(js, &a, arrival);
  }
  js->lost += a.lost;
  struct itimerval off;
  memset(&off, 0, sizeof off);
  CHECK(setitimer(ITIMER_REAL, &off, NULL) == 0);
  struct timespec zero = {0, 0};
  while (sigtimedwait(&set, NULL, &zero) > 0) {
  }
}

static void jit_print(const char *name, struct jstat *v, struct jstat *n) {
  struct jstat *s[2] = {v, n};
  double p50[2], p99[2], max[2];
  for (int i = 0; i < 2; i++) {
    qsort(s[i]->us, s[i]->n, sizeof s[i]->us[0], cmp_double);
    size_t c = s[i]->n;
    p50[i] = s[i]->us[c / 2];
    p99[i] = s[i]->us[(c * 99 + 99) / 100 - 1];
    max[i] = s[i]->us[c - 1];
  }
  printf(
      "bench %s: vsig_p50_us=%.1f vsig_p99_us=%.1f vsig_max_us=%.1f vsig_lost=%ld "
      "native_p50_us=%.1f native_p99_us=%.1f native_max_us=%.1f native_lost=%ld samples=%zu/%zu\n",
      name, p50[0], p99[0], max[0], v->lost, p50[1], p99[1], max[1], n->lost, v->n, n->n);
  fflush(stdout);
}

static struct jstat jv, jn, iv_, in_;

/* Rounds alternate which side goes first, so a noisy stretch of the machine
 * hurts both rather than one. */
static void bench_jitter(void) {
  for (int r = 0; r < JIT_ROUNDS; r++) {
    if (r % 2) {
      jit_vsig_timer(&jv);
      jit_native_timer(&jn);
      jit_vsig_itimer(&iv_);
      jit_native_itimer(&in_);
    } else {
      jit_native_timer(&jn);
      jit_vsig_timer(&jv);
      jit_native_itimer(&in_);
      jit_vsig_itimer(&iv_);
    }
  }
  jit_print("timer_jitter_1ms", &jv, &jn);
  jit_print("itimer_jitter_1ms", &iv_, &in_);
}

/* ---- 2. arm and cancel ------------------------------------------------------------------ */

#define AC_K 256 /* timers armed per batch: a batch lasts tens of microseconds */

static vsig_timer_t *vsig_timers(size_t n) {
  vsig_timer_t *t = malloc(n * sizeof *t);
  CHECK(t);
  vsig_sigevent_t sev = {.sigev_notify = VSIG_SIGEV_SIGNAL, .sigev_signo = V_TSIG};
  for (size_t i = 0; i < n; i++)
    CHECK(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &t[i]) == 0);
  return t;
}

static timer_t *native_timers(size_t n) {
  timer_t *t = malloc(n * sizeof *t);
  CHECK(t);
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = N_TSIG;
  for (size_t i = 0; i < n; i++)
    CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t[i]) == 0);
  return t;
}

static vsig_itimerspec_t *vspecs(size_t n) {
  vsig_itimerspec_t *s = calloc(n, sizeof *s);
  CHECK(s);
  for (size_t i = 0; i < n; i++)
    s[i].it_value = ts_of(far_ns());
  return s;
}

/* The same deadlines as v, so both sides sort the same sequence. */
static struct itimerspec *nspecs(const vsig_itimerspec_t *v, size_t n) {
  struct itimerspec *s = calloc(n, sizeof *s);
  CHECK(s);
  for (size_t i = 0; i < n; i++)
    s[i].it_value = v[i].it_value;
  return s;
}

static const vsig_itimerspec_t v_off;
static const struct itimerspec n_off;

/* Arm all n, then disarm all n in the same order; ns per arm and per disarm. */
static void ac_vsig(const vsig_timer_t *t, const vsig_itimerspec_t *s, size_t n, double *arm,
                    double *cancel) {
  int64_t t0 = now_ns();
  for (size_t i = 0; i < n; i++)
    vsig_timer_settime(t[i], 0, &s[i], NULL);
  int64_t t1 = now_ns();
  for (size_t i = 0; i < n; i++)
    vsig_timer_settime(t[i], 0, &v_off, NULL);
  int64_t t2 = now_ns();
  *arm = (double)(t1 - t0) / (double)n;
  *cancel = (double)(t2 - t1) / (double)n;
}

static void ac_native(const timer_t *t, const struct itimerspec *s, size_t n, double *arm,
                      double *cancel) {
  int64_t t0 = now_ns();
  for (size_t i = 0; i < n; i++)
    timer_settime(t[i], 0, &s[i], NULL);
  int64_t t1 = now_ns();
  for (size_t i = 0; i < n; i++)
    timer_settime(t[i], 0, &n_off, NULL);
  int64_t t2 = now_ns();
  *arm = (double)(t1 - t0) / (double)n;
  *cancel = (double)(t2 - t1) / (double)n;
}

/* A batch is checked once for real: the loops above skip checks to time only
 * the calls. */
static void ac_verify(const vsig_timer_t *vt, const vsig_itimerspec_t *vs, const timer_t *nt,
                      const struct itimerspec *ns) {
  vsig_itimerspec_t vg;
  struct itimerspec ng;
  CHECK(vsig_timer_settime(vt[0], 0, &vs[0], NULL) == 0);
  CHECK(vsig_timer_gettime(vt[0], &vg) == 0 && vg.it_value.tv_sec >= 3599);
  CHECK(vsig_timer_settime(vt[0], 0, &v_off, NULL) == 0);
  CHECK(vsig_timer_gettime(vt[0], &vg) == 0 && vg.it_value.tv_sec == 0 && vg.it_value.tv_nsec == 0);
  CHECK(timer_settime(nt[0], 0, &ns[0], NULL) == 0);
  CHECK(timer_gettime(nt[0], &ng) == 0 && ng.it_value.tv_sec >= 3599);
  CHECK(timer_settime(nt[0], 0, &n_off, NULL) == 0);
}

struct acres {
  double v_arm, v_cancel, n_arm, n_cancel;
};

static struct acres ac_batches(const vsig_timer_t *vt, const vsig_itimerspec_t *vs,
                               const timer_t *nt, const struct itimerspec *ns, size_t n) {
  double va[BATCHES], vc[BATCHES], na[BATCHES], nc[BATCHES];
  ac_vsig(vt, vs, n, &va[0], &vc[0]); /* warm-up */
  ac_native(nt, ns, n, &na[0], &nc[0]);
  for (int b = 0; b < BATCHES; b++) {
    if (b % 2) {
      ac_vsig(vt, vs, n, &va[b], &vc[b]);
      ac_native(nt, ns, n, &na[b], &nc[b]);
    } else {
      ac_native(nt, ns, n, &na[b], &nc[b]);
      ac_vsig(vt, vs, n, &va[b], &vc[b]);
    }
  }
  return (struct acres){median(va, BATCHES), median(vc, BATCHES), median(na, BATCHES),
                        median(nc, BATCHES)};
}

static void print_ac(const char *name, const char *extra, struct acres r) {
  printf("bench %s: %svsig_arm_ns=%.1f vsig_cancel_ns=%.1f native_arm_ns=%.1f "
         "native_cancel_ns=%.1f\n",
         name, extra, r.v_arm, r.v_cancel, r.n_arm, r.n_cancel);
  fflush(stdout);
}

/* One timer armed and disarmed, over and over, with nothing else armed: each
 * arm makes it the earliest deadline, which vsig's service thread must be
 * told about. */
static void bench_arm_earliest(vsig_timer_t vt, timer_t nt) {
  enum { PAIRS = 2000 };
  double v[BATCHES], n[BATCHES];
  vsig_itimerspec_t vs = {.it_value = ts_of(3600 * NS_PER_S)};
  struct itimerspec ns = {.it_value = ts_of(3600 * NS_PER_S)};
  for (int b = -1; b < BATCHES; b++) {
    int64_t t0 = now_ns();
    for (int i = 0; i < PAIRS; i++) {
      vsig_timer_settime(vt, 0, &vs, NULL);
      vsig_timer_settime(vt, 0, &v_off, NULL);
    }
    int64_t t1 = now_ns();
    for (int i = 0; i < PAIRS; i++) {
      timer_settime(nt, 0, &ns, NULL);
      timer_settime(nt, 0, &n_off, NULL);
    }
    int64_t t2 = now_ns();
    if (b >= 0) {
      v[b] = (double)(t1 - t0) / PAIRS;
      n[b] = (double)(t2 - t1) / PAIRS;
    }
  }
  printf("bench timer_arm_cancel_earliest: vsig_pair_ns=%.1f native_pair_ns=%.1f\n",
         median(v, BATCHES), median(n, BATCHES));
  fflush(stdout);
}

static void bench_arm(void) {
  vsig_timer_t *vt = vsig_timers(AC_K + 1);
  timer_t *nt = native_timers(AC_K + 1);
  vsig_itimerspec_t *vs = vspecs(AC_K);
  struct itimerspec *ns = nspecs(vs, AC_K);
  ac_verify(vt, vs, nt, ns);

  bench_arm_earliest(vt[AC_K], nt[AC_K]);

  /* A timer due before all the others stays the earliest, so these arms are
   * the common case: inserting among other timers. */
  vsig_itimerspec_t vbg = {.it_value = ts_of(1800 * NS_PER_S)};
  struct itimerspec nbg = {.it_value = ts_of(1800 * NS_PER_S)};
  CHECK(vsig_timer_settime(vt[AC_K], 0, &vbg, NULL) == 0);
  CHECK(timer_settime(nt[AC_K], 0, &nbg, NULL) == 0);
  char extra[32];
  snprintf(extra, sizeof extra, "n=%d ", AC_K);
  print_ac("timer_arm_cancel", extra, ac_batches(vt, vs, nt, ns, AC_K));

  for (size_t i = 0; i <= AC_K; i++) {
    CHECK(vsig_timer_delete(vt[i]) == 0);
    CHECK(timer_delete(nt[i]) == 0);
  }
  free(vt);
  free(nt);
  free(vs);
  free(ns);
}

/* ---- RLIMIT_SIGPENDING -------------------------------------------------------------------- */

/* Every native POSIX timer holds one unit of RLIMIT_SIGPENDING for its
 * preallocated signal. Raise the soft limit as far as the hard one allows
 * (root may raise both) and say how many native timers fit. */
static size_t native_timer_room(size_t want) {
  struct rlimit rl;
  CHECK(getrlimit(RLIMIT_SIGPENDING, &rl) == 0);
  rlim_t need = (rlim_t)want + 4096; /* headroom for other pending signals */
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
    struct rlimit up = {need,
                        rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? rl.rlim_max : need};
    if (setrlimit(RLIMIT_SIGPENDING, &up) != 0) {
      up.rlim_cur = rl.rlim_max;
      up.rlim_max = rl.rlim_max;
      setrlimit(RLIMIT_SIGPENDING, &up);
    }
    CHECK(getrlimit(RLIMIT_SIGPENDING, &rl) == 0);
  }
  if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
    return want;
  return rl.rlim_cur > 8192 ? (size_t)rl.rlim_cur - 8192 : 0;
}

/* ---- 2b. many timers armed at once --------------------------------------------------------- */

#define MANY 100000

static void bench_many(void) {
  size_t nn = native_timer_room(MANY);
  vsig_timer_t *vt = vsig_timers(MANY);
  timer_t *nt = nn ? native_timers(nn) : NULL;
  vsig_itimerspec_t *vs = vspecs(MANY);
  struct itimerspec *ns = nspecs(vs, MANY);
  enum { REPS = 5 };
  double va[REPS], vc[REPS], na[REPS], nc[REPS];
  for (int r = 0; r < REPS; r++) {
    ac_vsig(vt, vs, MANY, &va[r], &vc[r]);
    if (nt)
      ac_native(nt, ns, nn, &na[r], &nc[r]);
    else
      na[r] = nc[r] = 0;
  }
  struct acres res = {median(va, REPS), median(vc, REPS), median(na, REPS), median(nc, REPS)};
  char extra[64];
  snprintf(extra, sizeof extra, "n=%d native_n=%zu ", MANY, nn);
  print_ac("timer_arm_cancel_100k", extra, res);
  for (size_t i = 0; i < MANY; i++)
    CHECK(vsig_timer_delete(vt[i]) == 0);
  for (size_t i = 0; i < nn; i++)
    CHECK(timer_delete(nt[i]) == 0);
  free(vt);
  free(nt);
  free(vs);
  free(ns);
}

/* ---- 3. memory per armed timer -------------------------------------------------------------- */

#define MEM_N 1000000

static int64_t heap_bytes(void) {
#ifdef HAVE_MALLINFO2
  struct mallinfo2 mi = mallinfo2(); /* sums every arena, plus mmapped blocks */
  return (int64_t)(mi.uordblks + mi.hblkhd);
#else
  return -1;
#endif
}

static int64_t rss_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f)
    return -1;
  long size = 0, rss = 0;
  int got = fscanf(f, "%ld %ld", &size, &rss);
  fclose(f);
  return got == 2 ? (int64_t)rss * sysconf(_SC_PAGESIZE) : -1;
}

struct memres {
  int64_t heap0, heap1, heap2, rss0, rss2;
  double del_ns;
  struct acres at1m;
};

/* Runs as a vsig thread of a process of its own, so the million timers count
 * against that process's timer_max and go away with it. */
static void *mem_thread(void *arg) {
  struct memres *m = arg;
  vsig_timer_t *ids = malloc(MEM_N * sizeof *ids);
  CHECK(ids);
  vsig_sigevent_t sev = {.sigev_notify = VSIG_SIGEV_SIGNAL, .sigev_signo = V_TSIG};
  vsig_itimerspec_t its;
  memset(&its, 0, sizeof its);
  m->heap0 = heap_bytes();
  m->rss0 = rss_bytes();
  for (size_t i = 0; i < MEM_N; i++)
    CHECK(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &ids[i]) == 0);
  m->heap1 = heap_bytes();
  for (size_t i = 0; i < MEM_N; i++) {
    its.it_value = ts_of(far_ns());
    CHECK(vsig_timer_settime(ids[i], 0, &its, NULL) == 0);
  }
  m->heap2 = heap_bytes();
  m->rss2 = rss_bytes();

  /* Arm and cancel among a million armed timers: against the 256-timer batch
   * of timer_arm_cancel this shows what O(log n) costs in practice. */
  vsig_timer_t *vt = vsig_timers(AC_K);
  vsig_itimerspec_t *vs = vspecs(AC_K);
  double va[BATCHES], vc[BATCHES];
  ac_vsig(vt, vs, AC_K, &va[0], &vc[0]);
  for (int b = 0; b < BATCHES; b++)
    ac_vsig(vt, vs, AC_K, &va[b], &vc[b]);
  m->at1m = (struct acres){median(va, BATCHES), median(vc, BATCHES), 0, 0};
  for (size_t i = 0; i < AC_K; i++)
    CHECK(vsig_timer_delete(vt[i]) == 0);
  free(vt);
  free(vs);

  int64_t t0 = now_ns();
  for (size_t i = 0; i < MEM_N; i++)
    CHECK(vsig_timer_delete(ids[i]) == 0);
  m->del_ns = (double)(now_ns() - t0) / MEM_N;
  free(ids);
  return NULL;
}

/* Bytes of one object of a kernel slab cache, and how many are allocated. */
static bool slab_read(const char *cache, const char *file, long *v) {
  char path[128];
  snprintf(path, sizeof path, "/sys/kernel/slab/%s/%s", cache, file);
  FILE *f = fopen(path, "r");
  if (!f)
    return false;
  bool ok = fscanf(f, "%ld", v) == 1;
  fclose(f);
  return ok;
}

/*
 * The kernel's memory for a native timer is not visible from user space
 * except through slab statistics (root only). Count the objects the
 * posix_timers_cache (struct k_itimer) and sigqueue caches gain while n
 * native timers are created and armed, times their slab object size. The
 * caches may be merged with others of the same size, so this is the object
 * cost only, and approximate if the machine is busy.
 */
static void native_memory(char *out, size_t len) {
  size_t n = native_timer_room(MANY);
  long kobj = 0, ksz = 0, qobj = 0, qsz = 0, kobj2 = 0, qobj2 = 0;
  bool have_k = slab_read("posix_timers_cache", "objects", &kobj) &&
                slab_read("posix_timers_cache", "slab_size", &ksz);
  bool have_q = slab_read("sigqueue", "objects", &qobj) && slab_read("sigqueue", "slab_size", &qsz);
  if (!have_k || n == 0) {
    snprintf(out, len, "native_bytes_per_timer=n/a native_source=kernel_slab_unreadable");
    return;
  }
  timer_t *nt = native_timers(n);
  struct itimerspec its;
  memset(&its, 0, sizeof its);
  for (size_t i = 0; i < n; i++) {
    its.it_value = ts_of(far_ns());
    CHECK(timer_settime(nt[i], 0, &its, NULL) == 0);
  }
  slab_read("posix_timers_cache", "objects", &kobj2);
  if (have_q)
    slab_read("sigqueue", "objects", &qobj2);
  for (size_t i = 0; i < n; i++)
    CHECK(timer_delete(nt[i]) == 0);
  free(nt);
  double per = ((double)(kobj2 - kobj) * (double)ksz +
                (have_q ? (double)(qobj2 - qobj) * (double)qsz : 0.0)) /
               (double)n;
  snprintf(out, len,
           "native_bytes_per_timer=%.1f native_source=slab_objects(posix_timers_cache=%ldB", per,
           ksz);
  size_t used = strlen(out);
  if (have_q)
    snprintf(out + used, len - used, ",sigqueue=%ldB) native_n=%zu", qsz, n);
  else
    snprintf(out + used, len - used, ") native_n=%zu", n);
}

static void bench_memory(void) {
  vsig_proc_attr_t attr;
  CHECK(vsig_proc_attr_init(&attr) == 0);
  if (attr.timer_max < MEM_N + 2 * AC_K)
    attr.timer_max = MEM_N + 2 * AC_K;
  vsig_pid_t pid;
  CHECK(vsig_proc_create(&attr, &pid) == 0);
  struct memres m;
  memset(&m, 0, sizeof m);
  pthread_t host;
  CHECK(vsig_thread_create(&host, NULL, pid, 0, mem_thread, &m) == 0);
  CHECK(pthread_join(host, NULL) == 0);
  int rc;
  for (int tries = 0; (rc = vsig_proc_destroy(pid)) == EBUSY && tries < 1000; tries++)
    usleep(1000); /* the thread detaches on its way out, maybe after join returns */
  CHECK(rc == 0);

  char native[192];
  native_memory(native, sizeof native);
  /* Sanitizer builds replace malloc, and mallinfo2 then sees nothing. */
  if (m.heap0 >= 0 && m.heap2 > m.heap0)
    printf("bench timer_memory_1m: n=%d vsig_bytes_per_timer=%.1f vsig_create_bytes=%.1f "
           "vsig_arm_bytes=%.1f vsig_rss_bytes_per_timer=%.1f vsig_delete_ns=%.1f %s\n",
           MEM_N, (double)(m.heap2 - m.heap0) / MEM_N, (double)(m.heap1 - m.heap0) / MEM_N,
           (double)(m.heap2 - m.heap1) / MEM_N, (double)(m.rss2 - m.rss0) / MEM_N, m.del_ns,
           native);
  else
    printf("bench timer_memory_1m: n=%d vsig_bytes_per_timer=n/a vsig_rss_bytes_per_timer=%.1f "
           "vsig_delete_ns=%.1f %s\n",
           MEM_N, (double)(m.rss2 - m.rss0) / MEM_N, m.del_ns, native);
  /* No native figure: RLIMIT_SIGPENDING (one unit per timer) keeps an
   * ordinary user far below a million native timers. */
  printf("bench timer_arm_cancel_1m: n=%d vsig_arm_ns=%.1f vsig_cancel_ns=%.1f "
         "native_arm_ns=n/a native_cancel_ns=n/a\n",
         MEM_N, m.at1m.v_arm, m.at1m.v_cancel);
  fflush(stdout);
}

/* ---- 4. CPU while 10,000 timers fire every 10 ms ------------------------------------------- */

/*
 * CPU time of this process (every thread, user and system) over a 2 s window.
 * It flatters native somewhat: Linux expires hrtimers in interrupt context,
 * and that work is charged to this process only when the interrupt happens
 * to land on one of its threads. The signal counts show how much work each
 * side actually delivered for its CPU time: an expiry merged into si_overrun
 * costs the receiver nothing.
 */

#define CPU_N 10000
#define CPU_PERIOD_NS (10 * 1000000LL)
#define CPU_RUN_NS (2 * NS_PER_S)

struct consumer {
  atomic_long signals, overruns;
  pthread_t host;
  vsig_thread_t vt;
};

static void *vsig_consumer(void *arg) {
  struct consumer *c = arg;
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, V_TSIG);
  vsig_sigaddset(&set, V_STOP);
  for (;;) {
    vsig_siginfo_t info;
    int s = vsig_sigwaitinfo(&set, &info);
    if (s == V_STOP)
      return NULL;
    CHECK(s == V_TSIG);
    atomic_store_explicit(&c->signals, atomic_load_explicit(&c->signals, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    atomic_store_explicit(
        &c->overruns, atomic_load_explicit(&c->overruns, memory_order_relaxed) + info.si_overrun,
        memory_order_relaxed);
  }
}

static void *native_consumer(void *arg) {
  struct consumer *c = arg;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, N_TSIG);
  sigaddset(&set, N_STOP);
  for (;;) {
    siginfo_t info;
    int s = sigwaitinfo(&set, &info);
    if (s < 0 && errno == EINTR)
      continue;
    if (s == N_STOP)
      return NULL;
    CHECK(s == N_TSIG);
    atomic_store_explicit(&c->signals, atomic_load_explicit(&c->signals, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    atomic_store_explicit(
        &c->overruns, atomic_load_explicit(&c->overruns, memory_order_relaxed) + info.si_overrun,
        memory_order_relaxed);
  }
}

struct cpures {
  double cpu_ms, wall_ms;
  long signals, overruns;
};

/* First deadlines spread evenly over one period, as timers armed at unrelated
 * moments would be, rather than all expiring in one burst. */
static int64_t cpu_first(int64_t base, size_t i) {
  return base + CPU_PERIOD_NS + (int64_t)i * (CPU_PERIOD_NS / CPU_N);
}

static void sleep_ns(int64_t ns) {
  struct timespec ts = ts_of(ns);
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* Window: from the first deadline to CPU_RUN_NS later; arming is outside,
 * and so are the signals taken while it went on. Overruns are counted when a
 * signal is taken, so a receiver that lags behind by a few periods at the
 * window's start adds those few periods per timer: a few percent of the 200. */
static struct cpures cpu_measure(int64_t base, struct consumer *c) {
  sleep_ns(base + CPU_PERIOD_NS - now_ns());
  long s0 = atomic_load(&c->signals), o0 = atomic_load(&c->overruns);
  int64_t w0 = now_ns(), c0 = cpu_ns();
  sleep_ns(CPU_RUN_NS);
  int64_t w1 = now_ns(), c1 = cpu_ns();
  long s1 = atomic_load(&c->signals), o1 = atomic_load(&c->overruns);
  return (struct cpures){(double)(c1 - c0) / 1e6, (double)(w1 - w0) / 1e6, s1 - s0, o1 - o0};
}

static struct cpures cpu_vsig(bool signal) {
  struct consumer c = {0};
  if (signal)
    CHECK(vsig_thread_create(&c.host, &c.vt, vsig_getpid(), 0, vsig_consumer, &c) == 0);
  vsig_sigevent_t sev = {.sigev_notify = signal ? VSIG_SIGEV_SIGNAL : VSIG_SIGEV_NONE,
                         .sigev_signo = V_TSIG};
  vsig_timer_t *t = malloc(CPU_N * sizeof *t);
  CHECK(t);
  int64_t base = vsig_clock_now();
  for (size_t i = 0; i < CPU_N; i++) {
    CHECK(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &t[i]) == 0);
    vsig_itimerspec_t its = {.it_interval = ts_of(CPU_PERIOD_NS),
                             .it_value = ts_of(cpu_first(base, i))};
    CHECK(vsig_timer_settime(t[i], VSIG_TIMER_ABSTIME, &its, NULL) == 0);
  }
  struct cpures r = cpu_measure(base, &c);
  for (size_t i = 0; i < CPU_N; i++)
    CHECK(vsig_timer_delete(t[i]) == 0);
  free(t);
  if (signal) {
    CHECK(vsig_pthread_kill(c.vt, V_STOP) == 0);
    CHECK(pthread_join(c.host, NULL) == 0);
  }
  return r;
}

static struct cpures cpu_native(bool signal) {
  struct consumer c = {0};
  if (signal)
    CHECK(pthread_create(&c.host, NULL, native_consumer, &c) == 0);
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = signal ? SIGEV_SIGNAL : SIGEV_NONE;
  sev.sigev_signo = N_TSIG;
  timer_t *t = malloc(CPU_N * sizeof *t);
  CHECK(t);
  int64_t base = now_ns();
  for (size_t i = 0; i < CPU_N; i++) {
    CHECK(timer_create(CLOCK_MONOTONIC, &sev, &t[i]) == 0);
    struct itimerspec its = {.it_interval = ts_of(CPU_PERIOD_NS),
                             .it_value = ts_of(cpu_first(base, i))};
    CHECK(timer_settime(t[i], TIMER_ABSTIME, &its, NULL) == 0);
  }
  struct cpures r = cpu_measure(base, &c);
  for (size_t i = 0; i < CPU_N; i++)
    CHECK(timer_delete(t[i]) == 0);
  free(t);
  if (signal) {
    CHECK(pthread_kill(c.host, N_STOP) == 0);
    CHECK(pthread_join(c.host, NULL) == 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, N_TSIG);
    struct timespec zero = {0, 0};
    while (sigtimedwait(&set, NULL, &zero) > 0) {
    }
  }
  return r;
}

static void bench_cpu(void) {
  long expected = (long)(CPU_N * (CPU_RUN_NS / CPU_PERIOD_NS));
  struct cpures vn = cpu_vsig(false), nn = cpu_native(false);
  /* Linux never runs a SIGEV_NONE timer's hrtimer: timer_gettime computes
   * the expiries it would have had, so the native side costs nothing here. */
  printf("bench timer_cpu_10k_10ms_none: wall_ms=%.0f vsig_cpu_ms=%.1f native_cpu_ms=%.1f\n",
         vn.wall_ms, vn.cpu_ms, nn.cpu_ms);
  fflush(stdout);
  size_t room = native_timer_room(CPU_N);
  struct cpures vs = cpu_vsig(true);
  if (room < CPU_N) {
    printf("bench timer_cpu_10k_10ms_signal: wall_ms=%.0f expected=%ld vsig_cpu_ms=%.1f "
           "vsig_signals=%ld vsig_overruns=%ld native_cpu_ms=n/a "
           "native_note=RLIMIT_SIGPENDING_allows_only_%zu_signal_timers\n",
           vs.wall_ms, expected, vs.cpu_ms, vs.signals, vs.overruns, room);
    return;
  }
  struct cpures ns = cpu_native(true);
  printf("bench timer_cpu_10k_10ms_signal: wall_ms=%.0f expected=%ld vsig_cpu_ms=%.1f "
         "vsig_signals=%ld vsig_overruns=%ld native_cpu_ms=%.1f native_signals=%ld "
         "native_overruns=%ld\n",
         vs.wall_ms, expected, vs.cpu_ms, vs.signals, vs.overruns, ns.cpu_ms, ns.signals,
         ns.overruns);
  fflush(stdout);
}

/* ---- main ------------------------------------------------------------------------------------ */

static bool wanted(int argc, char **argv, const char *part) {
  bool any = false;
  for (int i = 1; i < argc; i++) {
    if (strncmp(argv[i], "--", 2) == 0)
      continue;
    any = true;
    if (strcmp(argv[i], part) == 0)
      return true;
  }
  return !any;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (strncmp(argv[i], "--slack=", 8) == 0)
      CHECK(prctl(PR_SET_TIMERSLACK, strtoul(argv[i] + 8, NULL, 10), 0, 0, 0) == 0);

  /* Before any thread exists, vsig's service thread included: threads
   * inherit the mask, and a native timer signal must only ever be taken by
   * sigwaitinfo, never acted on by a thread that happens not to block it. */
  sigset_t native;
  sigemptyset(&native);
  sigaddset(&native, N_TSIG);
  sigaddset(&native, N_STOP);
  sigaddset(&native, SIGALRM);
  CHECK(pthread_sigmask(SIG_BLOCK, &native, NULL) == 0);

  vsig_sigset_t vset;
  vsig_sigemptyset(&vset);
  vsig_sigaddset(&vset, V_TSIG);
  vsig_sigaddset(&vset, V_STOP);
  vsig_sigaddset(&vset, VSIG_SIGALRM);
  CHECK(vsig_sigprocmask(VSIG_SIG_BLOCK, &vset, NULL) == 0);

  /* Jitter first, on a timer service with nothing else armed; memory before
   * the 100,000-timer run, which would otherwise have grown vsig's heap array
   * already and hidden part of the cost. */
  if (wanted(argc, argv, "jitter"))
    bench_jitter();
  if (wanted(argc, argv, "memory"))
    bench_memory();
  if (wanted(argc, argv, "arm"))
    bench_arm();
  if (wanted(argc, argv, "many"))
    bench_many();
  if (wanted(argc, argv, "cpu"))
    bench_cpu();
  return 0;
}
