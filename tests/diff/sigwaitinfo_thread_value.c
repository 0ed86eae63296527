/* SPDX-License-Identifier: MIT */
/* Pins down sigwaitinfo in a thread taking process-directed sigqueue values from main (si_code
 * SI_QUEUE, si_pid, si_uid), also when sent before it waits; sigtimedwait's timeout and EAGAIN. */
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
static sigset_t set;
static sem_t took_first, sent_two;
static struct { int sig, code, value, pid_ok, uid_ok; } got[3];
static int timed_result, timed_errno;

static void *waiter(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++) {
    if (i == 1) { /* main queues two signals before we wait again */
      sem_post(&took_first);
      while (sem_wait(&sent_two) != 0)
        ;
    }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    got[i].sig = sigwaitinfo(&set, &si);
    got[i].code = si.si_code;
    got[i].value = si.si_value.sival_int;
    got[i].pid_ok = si.si_pid == getpid();
    got[i].uid_ok = si.si_uid == getuid();
  }
  /* Nothing more comes: a short timed wait ends with EAGAIN. */
  struct timespec ms20 = {0, 20000000};
  siginfo_t si;
  timed_result = sigtimedwait(&set, &si, &ms20);
  timed_errno = errno;
  return NULL;
}

int main(void) {
  start();
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  sem_init(&took_first, 0, 0);
  sem_init(&sent_two, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  /* Before or after the thread waits: the same. */
  int r = sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 1234});
  say("main: sigqueue(SIGRTMIN, 1234): %d\n", r);
  while (sem_wait(&took_first) != 0)
    ;
  r = sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 5678});
  int r2 = sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 42});
  say("main: sigqueue(SIGRTMIN, 5678): %d, sigqueue(SIGUSR1, 42): %d\n", r, r2);
  say("main: pending as main sees it: %s\n", pendstr());
  sem_post(&sent_two);
  pthread_join(t, NULL);
  for (int i = 0; i < 3; i++)
    say("thread: sigwaitinfo %d: %s, si_code %s, value %d, si_pid ours %s, si_uid ours %s\n", i + 1,
        signame(got[i].sig), got[i].code == SI_QUEUE ? "SI_QUEUE" : "other", got[i].value,
        got[i].pid_ok ? "yes" : "no", got[i].uid_ok ? "yes" : "no");
  say("thread: sigtimedwait(20 ms) with nothing sent: %d %s\n", timed_result, errname(timed_errno));
  say("main: pending %s\n", pendstr());
  return 0;
}
