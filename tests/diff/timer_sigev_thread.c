/* SPDX-License-Identifier: MIT */
/* Pins down SIGEV_THREAD POSIX timers: the notify function runs in a thread other than the
 * caller's with sigev_value, once per expiry of a periodic 10 ms timer (counted by a semaphore). */
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
#define N 10

static sem_t sem;
static pthread_t main_thread;
static int marker;
static int runs, bad_value, in_main;
static char notify_mask[1024];

static void notify(union sigval v) {
  int n = __atomic_add_fetch(&runs, 1, __ATOMIC_SEQ_CST);
  if (v.sival_ptr != &marker)
    __atomic_store_n(&bad_value, 1, __ATOMIC_SEQ_CST);
  if (pthread_equal(pthread_self(), main_thread))
    __atomic_store_n(&in_main, 1, __ATOMIC_SEQ_CST);
  if (n == 1)
    snprintf(notify_mask, sizeof notify_mask, "%s", maskstr());
  if (n <= N)
    sem_post(&sem);
}

static int once_value;
static void notify_once(union sigval v) {
  once_value = v.sival_int;
  sem_post(&sem);
}

int main(void) {
  start();
  main_thread = pthread_self();
  sem_init(&sem, 0, 0);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &usr1, NULL);
  say("creator's mask: %s\n", maskstr());

  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD;
  sev.sigev_notify_function = notify;
  sev.sigev_value.sival_ptr = &marker;
  timer_t t;
  int r = timer_create(CLOCK_MONOTONIC, &sev, &t);
  say("timer_create(CLOCK_MONOTONIC, SIGEV_THREAD): %d\n", r);
  struct itimerspec its = {{0, 10000000}, {0, 10000000}};
  say("timer_settime(10 ms periodic): %d\n", timer_settime(t, 0, &its, NULL));
  for (int i = 0; i < N; i++)
    while (sem_wait(&sem) != 0)
      ;
  timer_delete(t);
  say("after %d posts: notify ran at least %d times: %s; always with sigev_value: %s; "
      "in the main thread: %s\n",
      N, N, __atomic_load_n(&runs, __ATOMIC_SEQ_CST) >= N ? "yes" : "no",
      __atomic_load_n(&bad_value, __ATOMIC_SEQ_CST) ? "no" : "yes",
      __atomic_load_n(&in_main, __ATOMIC_SEQ_CST) ? "yes" : "no");
  say("the notify thread's mask: %s\n", notify_mask);

  /* One shot, CLOCK_REALTIME, an int value. */
  sev.sigev_notify_function = notify_once;
  sev.sigev_value.sival_int = 42;
  r = timer_create(CLOCK_REALTIME, &sev, &t);
  struct itimerspec one = {{0, 0}, {0, 5000000}};
  timer_settime(t, 0, &one, NULL);
  while (sem_wait(&sem) != 0)
    ;
  say("one-shot SIGEV_THREAD timer: notify got %d\n", once_value);
  struct itimerspec left;
  timer_gettime(t, &left);
  say("timer_gettime after it fired: %ld.%09ld, interval %ld.%09ld\n", (long)left.it_value.tv_sec,
      left.it_value.tv_nsec, (long)left.it_interval.tv_sec, left.it_interval.tv_nsec);
  say("timer_delete: %d\n", timer_delete(t));
  say("pending in main: %s\n", pendstr());
  return 0;
}
