/* SPDX-License-Identifier: MIT */
/* Pins down deferred cancellation of a thread blocked in sigwait, sigwaitinfo, sigtimedwait,
 * sigsuspend, pause, nanosleep, sleep, clock_nanosleep: cleanup handlers run, join gets
 * PTHREAD_CANCELED. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff_common.h"
static const char *const calls[] = {"sigwait", "sigwaitinfo", "sigtimedwait", "sigsuspend",
                                    "pause",   "nanosleep",   "sleep",        "clock_nanosleep"};
#define NCALLS (int)(sizeof calls / sizeof calls[0])

static sem_t ready;
static sigset_t usr1;

static void cleanup(void *arg) { say("  cleanup handler ran for %s\n", (const char *)arg); }

static void *victim(void *arg) {
  int which = (int)(long)arg;
  int sig = 0, r = 0;
  siginfo_t si;
  struct timespec ts = {25, 0};
  pthread_cleanup_push(cleanup, (void *)calls[which]);
  sem_post(&ready);
  switch (which) {
  case 0:
    r = sigwait(&usr1, &sig);
    break;
  case 1:
    r = sigwaitinfo(&usr1, &si);
    break;
  case 2:
    r = sigtimedwait(&usr1, &si, &ts);
    break;
  case 3:
    r = sigsuspend(&usr1);
    break;
  case 4:
    r = pause();
    break;
  case 5:
    r = nanosleep(&ts, NULL);
    break;
  case 6:
    r = (int)sleep(25);
    break;
  default:
    r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
    break;
  }
  say("  not reached: %s returned %d\n", calls[which], r);
  pthread_cleanup_pop(0);
  return NULL;
}

int main(void) {
  start();
  sem_init(&ready, 0, 0);
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  /* The victims inherit SIGUSR1 blocked (nothing sends it), and SIGALRM blocked so
   * that the watchdog stays the main thread's. */
  sigset_t both = usr1;
  sigaddset(&both, SIGALRM);
  for (int i = 0; i < NCALLS; i++) {
    pthread_t t;
    pthread_sigmask(SIG_BLOCK, &both, NULL);
    pthread_create(&t, NULL, victim, (void *)(long)i);
    pthread_sigmask(SIG_UNBLOCK, &both, NULL);
    while (sem_wait(&ready) != 0)
      ;
    say("%s:\n", calls[i]);
    int r = pthread_cancel(t);
    void *ret = NULL;
    int j = pthread_join(t, &ret);
    say("  pthread_cancel %s, pthread_join %s, result %s\n", errname(r), errname(j),
        ret == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "something else");
  }
  say("pending at the end: %s\n", pendstr());
  return 0;
}
