/* SPDX-License-Identifier: MIT */
/* An ordinary threaded POSIX program, run on vsig through vsig/posix.h:
 * a signal-handling thread with sigwait, pthread_kill, and sleeps that a
 * handler interrupts. Exits 0 when every check holds. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXPECT(c)                                                                                  \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                                      \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

static sigset_t waited;
static int received[3];

static void *signal_thread(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++) {
    int sig;
    EXPECT(sigwait(&waited, &sig) == 0);
    received[i] = sig;
  }
  return NULL;
}

static volatile sig_atomic_t woken;
static void on_usr2(int sig) { woken = sig; }

static pthread_t sleeper_id;
static int sleeper_ready;
static void *sleeper(void *arg) {
  (void)arg;
  sigset_t usr2; /* inherited blocked from main: take it here */
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  EXPECT(pthread_sigmask(SIG_UNBLOCK, &usr2, NULL) == 0);
  __atomic_store_n(&sleeper_ready, 1, __ATOMIC_RELEASE);
  /* A signal that lands before the sleep starts still ends it: it is taken
   * at the sleep's first check. */
  struct timespec req = {30, 0}, rem;
  int rc = nanosleep(&req, &rem);
  EXPECT(rc == -1 && errno == EINTR && woken == SIGUSR2);
  EXPECT(rem.tv_sec > 0 && rem.tv_sec <= 30);
  return NULL;
}

int main(void) {
  /* Block SIGINT/SIGTERM/SIGHUP everywhere; one thread takes them with sigwait. */
  sigemptyset(&waited);
  sigaddset(&waited, SIGINT);
  sigaddset(&waited, SIGTERM);
  sigaddset(&waited, SIGHUP);
  EXPECT(pthread_sigmask(SIG_BLOCK, &waited, NULL) == 0);
  pthread_t th;
  EXPECT(pthread_create(&th, NULL, signal_thread, NULL) == 0);
  EXPECT(kill(getpid(), SIGINT) == 0);
  EXPECT(kill(getpid(), SIGTERM) == 0);
  EXPECT(pthread_kill(th, SIGHUP) == 0);
  EXPECT(pthread_join(th, NULL) == 0);
  /* Each arrives once; the order depends on how many were pending at once
   * (sigwait takes the lowest number first). */
  int seen = 0;
  for (int i = 0; i < 3; i++)
    seen |= 1 << received[i];
  EXPECT(seen == (1 << SIGINT | 1 << SIGTERM | 1 << SIGHUP));

  /* A handler interrupts another thread's nanosleep. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr2;
  sigemptyset(&sa.sa_mask);
  EXPECT(sigaction(SIGUSR2, &sa, NULL) == 0);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  EXPECT(pthread_sigmask(SIG_BLOCK, &usr2, NULL) == 0); /* main does not take it */
  EXPECT(pthread_create(&sleeper_id, NULL, sleeper, NULL) == 0);
  while (!__atomic_load_n(&sleeper_ready, __ATOMIC_ACQUIRE))
    usleep(100);
  EXPECT(pthread_kill(sleeper_id, SIGUSR2) == 0);
  EXPECT(pthread_join(sleeper_id, NULL) == 0);

  /* pthread_kill with signal 0 checks the thread; an invalid signal is EINVAL. */
  EXPECT(pthread_kill(pthread_self(), 0) == 0);
  EXPECT(pthread_kill(pthread_self(), 999) == EINVAL);

  puts("threads: all checks passed");
  return 0;
}
