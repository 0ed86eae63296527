/* SPDX-License-Identifier: MIT */
/*
 * rt_values: real-time signals carry values and queue up; standard ones do not.
 *
 * The program blocks a few signals, queues several instances of each with
 * sigqueue, each carrying a value, and then drains them with sigwaitinfo. The
 * order they come out in is the point:
 *   - lowest signal number first (a real-time signal's number is its priority);
 *   - within one real-time signal, first in, first out, each with its own value;
 *   - a standard signal (SIGUSR1 here) holds at most one pending instance, so
 *     sending it twice leaves one.
 * Last, it shows that the queue is bounded: a process queues at most
 * queue_max real-time signals at once, and sigqueue reports EAGAIN beyond.
 */
#include <vsig.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

/* The one thread of the second process: it blocks SIGRTMIN, so its signals
 * stay queued, and leaves when told with SIGUSR2. */
static atomic_int holder_ready;
static void *holder(void *arg) {
  (void)arg;
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGRTMIN);
  vsig_sigaddset(&set, VSIG_SIGUSR2);
  vsig_pthread_sigmask(VSIG_SIG_BLOCK, &set, NULL);
  atomic_store(&holder_ready, 1);
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGUSR2);
  int sig;
  vsig_sigwait(&set, &sig);
  return NULL;
}

static void name_of(int sig, char *buf, size_t len) {
  if (sig == VSIG_SIGUSR1)
    snprintf(buf, len, "SIGUSR1");
  else if (sig == VSIG_SIGRTMIN)
    snprintf(buf, len, "SIGRTMIN");
  else
    snprintf(buf, len, "SIGRTMIN+%d", sig - VSIG_SIGRTMIN);
}

static void queue_one(vsig_pid_t pid, int sig, int value) {
  char name[24];
  name_of(sig, name, sizeof name);
  int rc = vsig_sigqueue(pid, sig, (vsig_sigval_t){.sival_int = value});
  printf("  sigqueue(%-10s, value %3d) -> %d\n", name, value, rc);
}

int main(void) {
  vsig_pid_t me = vsig_getpid();

  /* Blocked, the signals wait in the queue instead of being acted upon: that
   * is what lets sigwaitinfo collect them afterwards. */
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGUSR1);
  vsig_sigaddset(&set, VSIG_SIGRTMIN);
  vsig_sigaddset(&set, VSIG_SIGRTMIN + 1);
  vsig_sigaddset(&set, VSIG_SIGRTMIN + 2);
  vsig_sigprocmask(VSIG_SIG_BLOCK, &set, NULL);

  printf("Queue signals in a jumbled order (SIGRTMIN is %d, SIGUSR1 is %d):\n", VSIG_SIGRTMIN,
         VSIG_SIGUSR1);
  queue_one(me, VSIG_SIGRTMIN + 2, 10);
  queue_one(me, VSIG_SIGRTMIN, 20);
  queue_one(me, VSIG_SIGUSR1, 30);
  queue_one(me, VSIG_SIGRTMIN + 1, 40);
  queue_one(me, VSIG_SIGRTMIN, 50);
  queue_one(me, VSIG_SIGRTMIN + 2, 60);
  queue_one(me, VSIG_SIGUSR1, 70); /* merges with the SIGUSR1 already pending */
  queue_one(me, VSIG_SIGRTMIN, 80);

  vsig_sigset_t pending;
  vsig_sigpending(&pending);
  printf("\nPending now:");
  for (int sig = 1; sig < VSIG_NSIG; sig++) {
    if (vsig_sigismember(&pending, sig) == 1) {
      char name[24];
      name_of(sig, name, sizeof name);
      printf(" %s", name);
    }
  }
  printf("\n\nDrain with sigwaitinfo, one instance per call:\n");

  /* A zero timeout turns sigtimedwait into "take one if there is one", which
   * is how the loop learns that the queue is empty (EAGAIN). */
  const struct timespec zero = {0, 0};
  for (;;) {
    vsig_siginfo_t info;
    int sig = vsig_sigtimedwait(&set, &info, &zero);
    if (sig < 0) {
      printf("  sigtimedwait -> %s: nothing left\n", errno == EAGAIN ? "EAGAIN" : strerror(errno));
      break;
    }
    char name[24];
    name_of(sig, name, sizeof name);
    printf("  got %-10s value %3d\n", name, info.si_value.sival_int);
  }
  printf("SIGUSR1 came out once, with the value of the first send; each real-time\n"
         "instance came out with its own value, in the order it was sent.\n");

  /* A second virtual process with the smallest queue limit POSIX allows. Its
   * only thread blocks SIGRTMIN, so nothing takes those signals: they all stay
   * queued until the limit. */
  vsig_proc_attr_t attr;
  vsig_proc_attr_init(&attr);
  attr.queue_max = VSIG_POSIX_SIGQUEUE_MAX;
  vsig_pid_t other;
  if (vsig_proc_create(&attr, &other) != 0) {
    fprintf(stderr, "vsig_proc_create failed\n");
    return 1;
  }
  pthread_t host;
  vsig_thread_t thread;
  if (vsig_thread_create(&host, &thread, other, 0, holder, NULL) != 0) {
    fprintf(stderr, "vsig_thread_create failed\n");
    return 1;
  }
  while (!atomic_load(&holder_ready))
    sched_yield();
  printf("\nProcess %d has room for %d queued signals. Fill it:\n", (int)other,
         VSIG_POSIX_SIGQUEUE_MAX);
  /* Bounded, so a broken limit shows up as a wrong count, not a hang. */
  int sent = 0;
  while (sent < 2 * VSIG_POSIX_SIGQUEUE_MAX &&
         vsig_sigqueue(other, VSIG_SIGRTMIN, (vsig_sigval_t){.sival_int = sent}) == 0)
    sent++;
  printf("  %d sigqueue calls succeeded; the next one failed with %s\n", sent,
         errno == EAGAIN ? "EAGAIN" : strerror(errno));
  vsig_pthread_kill(thread, VSIG_SIGUSR2);
  pthread_join(host, NULL);
  vsig_proc_destroy(other);
  return 0;
}
