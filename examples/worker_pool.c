/* SPDX-License-Identifier: MIT */
/*
 * worker_pool: three worker threads at different priorities take signals with
 * sigwaitinfo, and the main thread sends them signals one at a time to show who
 * gets each one, and why.
 *
 * The rule at work (step 3 of vsig's delivery algorithm): a signal sent to a
 * process goes to the highest-priority thread that is waiting for it in the
 * sigwait family. A busy worker is not waiting, so the next one down gets it.
 * When nobody waits, the signal stays pending on the process until some thread
 * asks for it.
 *
 * Every step waits until the workers are where the explanation says they are
 * (vsig_thread_getstate, a counter, a semaphore), so the output is the same on
 * every run and no sleep is needed.
 */
#include <vsig.h>

#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct worker {
  const char *name;
  int priority;
  vsig_thread_t id;
  pthread_t host;
  sem_t release; /* posted by main when the worker may finish its "job" */
  bool busy;     /* main's own bookkeeping */
};

/* Started lowest priority first, each waiting before the next starts, so that
 * when high wins it is by priority, not by having waited longest (the rule
 * that breaks ties between equal priorities). */
static struct worker workers[] = {
    {.name = "low", .priority = 10},
    {.name = "mid", .priority = 20},
    {.name = "high", .priority = 30},
};
enum { NWORKERS = sizeof workers / sizeof workers[0] };

/* Bumped by a worker after it has printed, so main's next line comes after. */
static atomic_int taken;

static vsig_sigset_t pool_signals; /* what the workers wait for */

static const char *sig_name(int sig) {
  switch (sig) {
  case VSIG_SIGUSR1:
    return "SIGUSR1";
  case VSIG_SIGUSR2:
    return "SIGUSR2";
  case VSIG_SIGTERM:
    return "SIGTERM";
  default:
    return "?";
  }
}

static void *worker_main(void *arg) {
  struct worker *w = arg;
  for (;;) {
    vsig_siginfo_t info;
    int sig = vsig_sigwaitinfo(&pool_signals, &info);
    if (sig == VSIG_SIGTERM) {
      printf("  worker %-4s (priority %d): SIGTERM, leaving\n", w->name, w->priority);
      return NULL;
    }
    printf("  worker %-4s (priority %d): took %s (value %d), busy with it now\n", w->name,
           w->priority, sig_name(sig), info.si_value.sival_int);
    atomic_fetch_add(&taken, 1);
    /* The "job": until main releases it the worker is not in sigwaitinfo, so
     * signals pass it by. */
    sem_wait(&w->release);
  }
}

static void wait_until_waiting(struct worker *w) {
  int state = -1;
  while (vsig_thread_getstate(w->id, &state) == 0 && state != VSIG_THREAD_SIGWAIT)
    sched_yield();
}

/* Send sig to the process and wait until a worker reports taking it. */
static void send_and_watch(int sig, int value) {
  int before = atomic_load(&taken);
  vsig_sigqueue(vsig_getpid(), sig, (vsig_sigval_t){.sival_int = value});
  while (atomic_load(&taken) == before)
    sched_yield();
}

static struct worker *worker_named(const char *name) {
  for (int i = 0; i < NWORKERS; i++)
    if (strcmp(workers[i].name, name) == 0)
      return &workers[i];
  return NULL;
}

static void mark_busy(const char *name) { worker_named(name)->busy = true; }

int main(void) {
  vsig_pid_t me = vsig_getpid();

  /* Block the pool's signals in main before creating the workers: they inherit
   * the mask. With the signals blocked in every thread, no thread can take
   * them as a handler (step 2 or 4 of delivery); only sigwaitinfo can. */
  vsig_sigemptyset(&pool_signals);
  vsig_sigaddset(&pool_signals, VSIG_SIGUSR1);
  vsig_sigaddset(&pool_signals, VSIG_SIGUSR2);
  vsig_sigaddset(&pool_signals, VSIG_SIGTERM);
  vsig_sigprocmask(VSIG_SIG_BLOCK, &pool_signals, NULL);

  for (int i = 0; i < NWORKERS; i++) {
    struct worker *w = &workers[i];
    sem_init(&w->release, 0, 0);
    int rc = vsig_thread_create(&w->host, &w->id, me, w->priority, worker_main, w);
    if (rc != 0) {
      fprintf(stderr, "vsig_thread_create: error %d\n", rc);
      return 1;
    }
    wait_until_waiting(w);
    printf("main: started worker %-4s at priority %d; it waits in sigwaitinfo\n", w->name,
           w->priority);
  }

  printf("\n1. All three workers wait in sigwaitinfo. sigqueue(SIGUSR1, 1):\n");
  printf("   the highest-priority waiter wins, though it has waited the least.\n");
  send_and_watch(VSIG_SIGUSR1, 1);
  mark_busy("high");

  printf("\n2. high is busy, mid and low wait. sigqueue(SIGUSR2, 2):\n");
  printf("   high is not waiting, so the best waiter is mid.\n");
  send_and_watch(VSIG_SIGUSR2, 2);
  mark_busy("mid");

  printf("\n3. Only low waits. sigqueue(SIGUSR1, 3): low gets it, priority or not.\n");
  send_and_watch(VSIG_SIGUSR1, 3);
  mark_busy("low");

  printf("\n4. Everyone is busy. sigqueue(SIGUSR2, 4): nobody waits, so it stays\n");
  printf("   pending on the process.\n");
  vsig_sigqueue(me, VSIG_SIGUSR2, (vsig_sigval_t){.sival_int = 4});
  vsig_sigset_t pending;
  vsig_sigpending(&pending);
  printf("main: SIGUSR2 pending: %s\n", vsig_sigismember(&pending, VSIG_SIGUSR2) ? "yes" : "no");

  printf("\n5. Release low only. Back in sigwaitinfo it finds SIGUSR2 already\n");
  printf("   pending and takes it at once: a pending signal goes to whoever asks\n");
  printf("   first, whatever their priority.\n");
  int before = atomic_load(&taken);
  sem_post(&worker_named("low")->release);
  while (atomic_load(&taken) == before)
    sched_yield();

  /* pthread_kill aims at one thread, so each SIGTERM reaches the worker it is
   * meant for even though all of them wait for SIGTERM. One at a time keeps
   * the goodbyes in order. */
  printf("\n6. Shut down: pthread_kill(worker, SIGTERM) to each in turn.\n");
  for (int i = 0; i < NWORKERS; i++) {
    struct worker *w = &workers[i];
    vsig_pthread_kill(w->id, VSIG_SIGTERM);
    if (w->busy)
      sem_post(&w->release);
    pthread_join(w->host, NULL);
    sem_destroy(&w->release);
  }
  printf("main: all workers gone\n");
  return 0;
}
