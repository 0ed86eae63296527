/* SPDX-License-Identifier: MIT */
/* Pins down process-directed delivery: kill(getpid(), SIGUSR1) reaches the one thread that
 * has SIGUSR1 unblocked, whether it waits in sigsuspend or runs its own code, exactly once. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diff_common.h"
static pthread_t worker;
static sem_t ready;
static volatile sig_atomic_t runs, in_worker, in_other;

static void on_usr1(int sig) {
  (void)sig;
  runs++;
  if (pthread_equal(pthread_self(), worker))
    in_worker++;
  else
    in_other++;
}

/* Waits in sigsuspend: SIGUSR1 blocked outside it, so nothing is lost. */
static void *suspender(void *arg) {
  (void)arg;
  sigset_t none;
  sigemptyset(&none);
  sem_post(&ready);
  while (!runs)
    sigsuspend(&none);
  return NULL;
}

/* Unblocks SIGUSR1 and spins in its own code, in no call at all. */
static void *spinner(void *arg) {
  (void)arg;
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
  sem_post(&ready);
  while (!runs)
    __asm__ volatile("" ::: "memory");
  return NULL;
}

/* Unblocks SIGUSR1 and sleeps in read() on a pipe nobody writes: EINTR. */
static int never[2];
static int read_result, read_errno;
static _Atomic pid_t reader_tid; /* written by another thread */
static void *reader(void *arg) {
  (void)arg;
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
  reader_tid = gettid();
  sem_post(&ready);
  char c;
  read_result = (int)read(never[0], &c, 1);
  read_errno = errno;
  return NULL;
}

/* The state letter of our thread TID in /proc, or 0. */
static char task_state(pid_t tid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
  FILE *f = fopen(path, "r");
  if (!f)
    return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p && p[1] == ' ' ? p[2] : 0;
}

static void round_with(const char *what, void *(*fn)(void *)) {
  runs = in_worker = in_other = 0;
  pthread_create(&worker, NULL, fn, NULL);
  while (sem_wait(&ready) != 0)
    ;
  if (fn == reader) /* until the reader is surely asleep in read() */
    for (int asleep = 0; asleep < 2;) {
      asleep = task_state(reader_tid) == 'S' ? asleep + 1 : 0;
      usleep(2000);
    }
  int r = kill(getpid(), SIGUSR1);
  pthread_join(worker, NULL);
  say("%s: kill %d, handler runs %d, in the worker %d, elsewhere %d, main's pending %s\n", what, r,
      (int)runs, (int)in_worker, (int)in_other, pendstr());
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &usr1, NULL);
  if (pipe(never))
    return 1;

  round_with("worker in sigsuspend", suspender);
  round_with("worker spinning with SIGUSR1 unblocked", spinner);
  /* No SA_RESTART: read fails with EINTR. */
  round_with("worker in read() with SIGUSR1 unblocked", reader);
  say("  read returned %d %s\n", read_result, errname(read_errno));

  /* The same with sigqueue and a value. */
  runs = in_worker = in_other = 0;
  pthread_create(&worker, NULL, suspender, NULL);
  while (sem_wait(&ready) != 0)
    ;
  sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 1});
  pthread_join(worker, NULL);
  say("sigqueue to the process: handler runs %d, in the worker %d, elsewhere %d\n", (int)runs,
      (int)in_worker, (int)in_other);
  say("main's mask: %s\n", maskstr());
  return 0;
}
