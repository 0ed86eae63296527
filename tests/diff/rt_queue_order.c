/* SPDX-License-Identifier: MIT */
/* Pins down real-time queueing across threads: 1000 sigqueue'd SIGRTMIN with values reach a
 * sigwaitinfo thread each exactly once and in order; queued ones come lowest signal first, FIFO. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff_common.h"
#define N 1000

static sigset_t set;
static sem_t phase1_done, phase2;
static int received, out_of_order, bad_code, extra;
static int order2[2 * 300][2];

static void *taker(void *arg) {
  (void)arg;
  siginfo_t si;
  for (int i = 0; i < N; i++) {
    int s = sigwaitinfo(&set, &si);
    if (s != SIGRTMIN || si.si_value.sival_int != i)
      out_of_order++;
    if (si.si_code != SI_QUEUE)
      bad_code++;
    received++;
  }
  struct timespec zero = {0, 0};
  while (sigtimedwait(&set, &si, &zero) > 0)
    extra++;
  sem_post(&phase1_done);
  /* Phase 2: main queues 300 of SIGRTMIN+1 then 300 of SIGRTMIN before we take any. */
  while (sem_wait(&phase2) != 0)
    ;
  for (int i = 0; i < 600; i++) {
    order2[i][0] = sigwaitinfo(&set, &si);
    order2[i][1] = si.si_value.sival_int;
  }
  return NULL;
}

int main(void) {
  start();
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  sigaddset(&set, SIGRTMIN + 1);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  sem_init(&phase1_done, 0, 0);
  sem_init(&phase2, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, taker, NULL);
  int eagain = 0, failed = 0;
  for (int i = 0; i < N; i++) {
    while (sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = i}) != 0) {
      if (errno != EAGAIN) {
        failed++;
        break;
      }
      eagain++; /* the queue is full for now: let the taker catch up */
      sched_yield();
    }
  }
  say("main: queued %d SIGRTMIN with values 0..%d, failures other than EAGAIN: %d\n", N, N - 1,
      failed);
  while (sem_wait(&phase1_done) != 0)
    ;
  for (int i = 0; i < 300; i++)
    sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 1000 + i});
  for (int i = 0; i < 300; i++)
    sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 2000 + i});
  sem_post(&phase2);
  pthread_join(t, NULL);
  say("thread: received %d, out of order or wrong value %d, not SI_QUEUE %d, extra %d\n", received,
      out_of_order, bad_code, extra);
  int ok = 1;
  for (int i = 0; i < 600; i++) {
    int want_sig = i < 300 ? SIGRTMIN : SIGRTMIN + 1;
    int want_val = i < 300 ? 2000 + i : 1000 + (i - 300);
    if (order2[i][0] != want_sig || order2[i][1] != want_val)
      ok = 0;
  }
  say("thread: 300 SIGRTMIN+1 queued before 300 SIGRTMIN came as all SIGRTMIN (FIFO), then all "
      "SIGRTMIN+1 (FIFO): %s\n",
      ok ? "yes" : "no");
  say("first of phase 2: %s %d; last: %s %d\n", signame(order2[0][0]), order2[0][1],
      signame(order2[599][0]), order2[599][1]);
  say("main: pending %s\n", pendstr());
  return 0;
}
