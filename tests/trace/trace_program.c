/* SPDX-License-Identifier: MIT */
/*
 * Run with VSIG_TRACE=file.json by run.sh: thread A (main) kills the process,
 * whose only thread with SIGUSR1 unblocked is B, so B's handler runs it; then
 * a raise, a discarded signal and a timer expiry. Prints "A B PID" for the
 * checker. With the argument "terminate" the process then ends by SIGTERM's
 * default action, and the trace is written on the way down.
 */
#include <vsig.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_int hits, ready;

static void on_usr1(int sig) {
  (void)sig;
  atomic_fetch_add(&hits, 1);
}

static void must(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "trace_program: %s failed\n", what);
    exit(2);
  }
}

static void *thread_b(void *arg) {
  (void)arg;
  vsig_sigset_t s;
  vsig_sigemptyset(&s);
  vsig_sigaddset(&s, VSIG_SIGUSR1);
  must(vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &s, NULL) == 0, "unblock");
  atomic_store(&ready, 1);
  while (atomic_load(&hits) < 1)
    vsig_poll();
  return NULL;
}

int main(int argc, char **argv) {
  vsig_sigaction_t act;
  memset(&act, 0, sizeof act);
  act.sa_handler = on_usr1;
  must(vsig_sigaction(VSIG_SIGUSR1, &act, NULL) == 0, "sigaction");
  vsig_sigset_t s;
  vsig_sigemptyset(&s);
  vsig_sigaddset(&s, VSIG_SIGUSR1);
  must(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL) == 0, "block");

  pthread_t host;
  vsig_thread_t b = 0;
  must(vsig_thread_create(&host, &b, vsig_getpid(), 0, thread_b, NULL) == 0, "thread_create");
  while (!atomic_load(&ready))
    sched_yield();
  must(vsig_kill(vsig_getpid(), VSIG_SIGUSR1) == 0, "kill");
  must(pthread_join(host, NULL) == 0, "join");

  must(vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &s, NULL) == 0, "unblock");
  must(vsig_raise(VSIG_SIGUSR1) == 0, "raise");
  must(vsig_signal(VSIG_SIGUSR2, VSIG_SIG_IGN) != VSIG_SIG_ERR, "signal");
  must(vsig_raise(VSIG_SIGUSR2) == 0, "raise ignored");

  vsig_sigevent_t sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = VSIG_SIGEV_SIGNAL;
  sev.sigev_signo = VSIG_SIGUSR1;
  vsig_timer_t tm;
  must(vsig_timer_create(VSIG_CLOCK_MONOTONIC, &sev, &tm) == 0, "timer_create");
  vsig_itimerspec_t its;
  memset(&its, 0, sizeof its);
  its.it_value.tv_nsec = 1000000;
  must(vsig_timer_settime(tm, 0, &its, NULL) == 0, "timer_settime");
  while (atomic_load(&hits) < 3)
    vsig_poll();
  must(vsig_timer_delete(tm) == 0, "timer_delete");

  printf("%llu %llu %d\n", (unsigned long long)vsig_thread_self(), (unsigned long long)b,
         (int)vsig_getpid());
  fflush(stdout);
  if (argc > 1 && strcmp(argv[1], "terminate") == 0) {
    vsig_raise(VSIG_SIGTERM);
    return 3; /* not reached */
  }
  return 0;
}
