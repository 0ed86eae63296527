/* SPDX-License-Identifier: MIT */
/*
 * bench_core's same-thread and cross-thread paths written with the POSIX
 * names only: natively they measure the kernel; under
 * LD_PRELOAD=libvsig-posix.so (run.sh) the same binary measures vsig through
 * the compatibility library, host types converted at the boundary. Prints
 * one line per measurement:  posix_paths <name> <median ns per operation>
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

enum { BATCHES = 15 };

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median over BATCHES of the time per operation of fn(n). */
static double measure(void (*fn)(size_t), size_t n) {
  double v[BATCHES];
  fn(n / 10 + 1); /* warm */
  for (int b = 0; b < BATCHES; b++) {
    int64_t t0 = now_ns();
    fn(n);
    v[b] = (double)(now_ns() - t0) / (double)n;
  }
  qsort(v, BATCHES, sizeof *v, cmp);
  return v[BATCHES / 2];
}

static volatile unsigned long hits;
static void on_sig(int sig) {
  (void)sig;
  hits++;
}

static void raise_handler(size_t n) {
  for (size_t i = 0; i < n; i++)
    raise(SIGUSR1);
}

static void block_raise_unblock(size_t n) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  for (size_t i = 0; i < n; i++) {
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    raise(SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
  }
}

static void sigmask_pair(size_t n) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR2);
  for (size_t i = 0; i < n; i++) {
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
  }
}

static void sigqueue_drain(size_t n) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN);
  struct timespec zero = {0, 0};
  pid_t me = getpid();
  for (size_t i = 0; i < n; i++) {
    CHECK(sigqueue(me, SIGRTMIN, (union sigval){.sival_int = (int)i}) == 0);
    CHECK(sigtimedwait(&s, NULL, &zero) == SIGRTMIN);
  }
}

/* Cross-thread: sigqueue to a thread waiting in sigwaitinfo, one way. */
static _Atomic int64_t sent_at;
static _Atomic long rounds_done;
static int64_t lat[2000];

static void *receiver(void *arg) {
  (void)arg;
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN + 1);
  for (long r = 0; r < 2000; r++) {
    siginfo_t si;
    CHECK(sigwaitinfo(&s, &si) == SIGRTMIN + 1);
    lat[r] = now_ns() - atomic_load(&sent_at);
    atomic_store(&rounds_done, r + 1);
  }
  return NULL;
}

static double xthread(void) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGRTMIN + 1);
  pthread_sigmask(SIG_BLOCK, &s, NULL);
  pthread_t t;
  CHECK(pthread_create(&t, NULL, receiver, NULL) == 0);
  for (long r = 0; r < 2000; r++) {
    struct timespec pause_ = {0, 20000}; /* let the receiver go back to sleep */
    nanosleep(&pause_, NULL);
    atomic_store(&sent_at, now_ns());
    CHECK(sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 0}) == 0);
    while (atomic_load(&rounds_done) <= r)
      ;
  }
  pthread_join(t, NULL);
  double v[2000];
  for (int i = 0; i < 2000; i++)
    v[i] = (double)lat[i];
  qsort(v, 2000, sizeof *v, cmp);
  return v[1000];
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigaction(SIGUSR1, &sa, NULL);
  printf("posix_paths raise_handler %.2f\n", measure(raise_handler, 20000));
  printf("posix_paths block_raise_unblock %.2f\n", measure(block_raise_unblock, 10000));
  printf("posix_paths sigmask_pair %.2f\n", measure(sigmask_pair, 50000));
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  pthread_sigmask(SIG_BLOCK, &rt, NULL);
  printf("posix_paths sigqueue_drain %.2f\n", measure(sigqueue_drain, 10000));
  printf("posix_paths xthread_latency %.2f\n", xthread());
  fflush(stdout);
  return 0;
}
