/* SPDX-License-Identifier: MIT */
/* Pins down pthread_kill edge cases: (self, 0) as the very first signal call, signal 0 and
 * bad numbers, and a thread that has exited but is not joined yet (glibc 2.34+: 0). */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff_common.h"
static volatile sig_atomic_t runs;
static volatile pthread_t handler_thread;
static void on_usr1(int sig) {
  (void)sig;
  runs++;
  handler_thread = pthread_self();
}

static _Atomic pid_t exited_tid; /* written by another thread */
static void *exits_at_once(void *arg) {
  (void)arg;
  exited_tid = gettid();
  return (void *)7;
}

static void result(const char *what, int r) { say("%s: %s\n", what, r == 0 ? "0" : errname(r)); }

int main(void) {
  /* Before anything else touches signals. */
  int first = pthread_kill(pthread_self(), 0);
  start();
  result("pthread_kill(pthread_self(), 0) as the first call", first);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);

  result("pthread_kill(self, 0)", pthread_kill(pthread_self(), 0));
  result("pthread_kill(self, 65)", pthread_kill(pthread_self(), 65));
  result("pthread_kill(self, -1)", pthread_kill(pthread_self(), -1));
  result("pthread_kill(self, 1000)", pthread_kill(pthread_self(), 1000));
  say("handler runs: %d\n", (int)runs);
  result("pthread_kill(self, SIGUSR1)", pthread_kill(pthread_self(), SIGUSR1));
  say("handler runs when pthread_kill returned: %d, in this thread: %s\n", (int)runs,
      pthread_equal(handler_thread, pthread_self()) ? "yes" : "no");

  /* Blocked: stays pending on this thread. */
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &usr1, NULL);
  result("pthread_kill(self, SIGUSR1) while blocked", pthread_kill(pthread_self(), SIGUSR1));
  say("pending: %s, handler runs %d\n", pendstr(), (int)runs);
  pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
  say("after unblocking: pending %s, handler runs %d\n", pendstr(), (int)runs);

  /* A thread that has exited (its kernel task is gone) but is not joined. */
  pthread_t t;
  pthread_create(&t, NULL, exits_at_once, NULL);
  char path[64];
  while (!exited_tid)
    usleep(1000);
  snprintf(path, sizeof path, "/proc/self/task/%d", (int)exited_tid);
  struct stat stt;
  while (stat(path, &stt) == 0)
    usleep(1000);
  say("the thread's task is gone: yes\n");
  result("pthread_kill(exited thread, 0)", pthread_kill(t, 0));
  result("pthread_kill(exited thread, SIGUSR1)", pthread_kill(t, SIGUSR1));
  result("pthread_kill(exited thread, 65)", pthread_kill(t, 65));
  result("pthread_sigqueue(exited thread, SIGUSR1, 1)",
         pthread_sigqueue(t, SIGUSR1, (union sigval){.sival_int = 1}));
  void *ret = NULL;
  result("pthread_join(exited thread)", pthread_join(t, &ret));
  say("it returned %d\n", (int)(long)ret);
  say("handler runs: %d, pending: %s\n", (int)runs, pendstr());
  return 0;
}
