/* SPDX-License-Identifier: MIT */
/* Pins down SIGEV_THREAD_ID timers (Linux): the signal goes to the named thread only, even
 * when another thread has it unblocked; a tid outside the process is EINVAL. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#include "diff_common.h"
static pthread_t target;
static volatile pid_t target_tid;
static sem_t ready, armed;
static volatile sig_atomic_t in_target, in_other, timer_code, timer_value;

static void on_usr2(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  if (pthread_equal(pthread_self(), target))
    in_target++;
  else
    in_other++;
  timer_code = si->si_code;
  timer_value = si->si_value.sival_int;
}

static void *thread_main(void *arg) {
  (void)arg;
  target_tid = gettid();
  /* SIGUSR2 is blocked here except inside sigsuspend. */
  sem_post(&ready);
  sigset_t none;
  sigemptyset(&none);
  while (!in_target)
    sigsuspend(&none);
  say("target thread: handler ran here, si_code %s, value %d\n",
      timer_code == SI_TIMER ? "SI_TIMER" : "other", (int)timer_value);

  /* Periodic, taken with sigwaitinfo. */
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  sem_post(&ready);
  for (int i = 1; i <= 3; i++) {
    siginfo_t si;
    int s = sigwaitinfo(&rt, &si);
    say("target thread: sigwaitinfo %d: %s, si_code %s, value %d\n", i, signame(s),
        si.si_code == SI_TIMER ? "SI_TIMER" : "other", si.si_value.sival_int);
  }
  sem_wait(&armed);
  return NULL;
}

static void *exits(void *arg) {
  *(pid_t *)arg = gettid();
  return NULL;
}

int main(void) {
  start();
  sem_init(&ready, 0, 0);
  sem_init(&armed, 0, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr2;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR2, &sa, NULL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigaddset(&set, SIGRTMIN);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  pthread_create(&target, NULL, thread_main, NULL);
  /* Main unblocks SIGUSR2: a process-directed signal could come here, this one may not. */
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
  sem_wait(&ready);

  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = SIGUSR2;
  sev.sigev_value.sival_int = 55;
  sev.sigev_notify_thread_id = target_tid;
  timer_t t;
  say("timer_create(SIGEV_THREAD_ID, SIGUSR2, the thread): %d\n",
      timer_create(CLOCK_MONOTONIC, &sev, &t));
  struct itimerspec one = {{0, 0}, {0, 10000000}};
  timer_settime(t, 0, &one, NULL);
  sem_wait(&ready);
  timer_delete(t);
  say("SIGUSR2 handler runs: in the target %d, elsewhere %d\n", (int)in_target, (int)in_other);

  sev.sigev_signo = SIGRTMIN;
  sev.sigev_value.sival_int = 66;
  timer_create(CLOCK_MONOTONIC, &sev, &t);
  struct itimerspec per = {{0, 5000000}, {0, 5000000}};
  timer_settime(t, 0, &per, NULL);
  sem_post(&armed);
  pthread_join(target, NULL);
  timer_delete(t);
  say("main's pending: %s\n", pendstr());

  /* Thread ids that are not ours. */
  sev.sigev_notify_thread_id = getppid();
  int r = timer_create(CLOCK_MONOTONIC, &sev, &t);
  say("timer_create(SIGEV_THREAD_ID, another process's pid): %d %s\n", r, errname(errno));
  pid_t gone = 0;
  pthread_t x;
  pthread_create(&x, NULL, exits, &gone);
  pthread_join(x, NULL);
  /* pthread_join returns when the tid is cleared; the task goes a little later. */
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%d", (int)gone);
  struct stat st;
  while (stat(path, &st) == 0)
    usleep(1000);
  sev.sigev_notify_thread_id = gone;
  r = timer_create(CLOCK_MONOTONIC, &sev, &t);
  say("timer_create(SIGEV_THREAD_ID, a gone thread's tid): %d %s\n", r, errname(errno));
  sev.sigev_notify_thread_id = gettid();
  sev.sigev_signo = 65;
  r = timer_create(CLOCK_MONOTONIC, &sev, &t);
  say("timer_create(SIGEV_THREAD_ID, signal 65): %d %s\n", r, errname(errno));
  return 0;
}
