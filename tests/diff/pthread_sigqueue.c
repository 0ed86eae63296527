/* SPDX-License-Identifier: MIT */
/* Pins down pthread_sigqueue to another thread: the SA_SIGINFO handler runs in that thread
 * with si_code SI_QUEUE, the value, our pid and uid; signal 0 and bad numbers. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diff_common.h"
static pthread_t target;
static volatile sig_atomic_t runs;
static struct { int sig, code, value, in_target, pid_ok, uid_ok; } seen[4];

static void on_info(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  int i = runs;
  if (i < 4) {
    seen[i].sig = sig;
    seen[i].code = si->si_code;
    seen[i].value = si->si_value.sival_int;
    seen[i].in_target = pthread_equal(pthread_self(), target);
    seen[i].pid_ok = si->si_pid == getpid();
    seen[i].uid_ok = si->si_uid == getuid();
  }
  runs = i + 1;
}

static const char *code(int c) {
  switch (c) {
  case SI_QUEUE:
    return "SI_QUEUE";
  case SI_TKILL:
    return "SI_TKILL";
  case SI_USER:
    return "SI_USER";
  default:
    return "other";
  }
}

static int ready[2], go_on[2], start_p[2];

static void *thread_main(void *arg) {
  (void)arg;
  /* The signals are blocked here until sigsuspend takes them. */
  sigset_t none;
  sigemptyset(&none);
  if (write(ready[1], "r", 1) != 1)
    return NULL;
  /* Both are pending before the first sigsuspend: which one the kernel takes
   * first does not depend on how fast this thread wakes. */
  char s;
  if (read(start_p[0], &s, 1) != 1)
    return NULL;
  while (runs < 2)
    sigsuspend(&none);
  char c;
  if (read(go_on[0], &c, 1) != 1)
    return NULL;
  if (write(ready[1], "r", 1) != 1)
    return NULL;
  while (runs < 3)
    sigsuspend(&none);
  return NULL;
}

static void result(const char *what, int r) { say("%s: %s\n", what, r == 0 ? "0" : errname(r)); }

int main(void) {

  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_info;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGRTMIN, &sa, NULL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGRTMIN);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  if (pipe(ready) || pipe(go_on) || pipe(start_p))
    return 1;
  pthread_create(&target, NULL, thread_main, NULL);
  char c;
  if (read(ready[0], &c, 1) != 1)
    return 1;

  result("pthread_sigqueue(thread, 0, 7)",
         pthread_sigqueue(target, 0, (union sigval){.sival_int = 7}));
  result("pthread_sigqueue(thread, SIGRTMIN, 100)",
         pthread_sigqueue(target, SIGRTMIN, (union sigval){.sival_int = 100}));
  result("pthread_sigqueue(thread, SIGUSR1, 42)",
         pthread_sigqueue(target, SIGUSR1, (union sigval){.sival_int = 42}));
  result("pthread_sigqueue(thread, 65, 1)",
         pthread_sigqueue(target, 65, (union sigval){.sival_int = 1}));
  result("pthread_sigqueue(thread, -1, 1)",
         pthread_sigqueue(target, -1, (union sigval){.sival_int = 1}));
  if (write(start_p[1], "s", 1) != 1)
    return 1;
  if (write(go_on[1], "g", 1) != 1)
    return 1;
  if (read(ready[0], &c, 1) != 1)
    return 1;
  /* The target is past its first two signals; a thread-directed signal while main
   * blocks it stays with the target. */
  result("pthread_sigqueue(thread, SIGRTMIN, -5)",
         pthread_sigqueue(target, SIGRTMIN, (union sigval){.sival_int = -5}));
  pthread_join(target, NULL);
  say("main's pending: %s\n", pendstr());
  for (int i = 0; i < runs && i < 4; i++)
    say("delivery %d: %s, si_code %s, value %d, in the target thread: %s, si_pid ours: %s, "
        "si_uid ours: %s\n",
        i + 1, signame(seen[i].sig), code(seen[i].code), seen[i].value,
        seen[i].in_target ? "yes" : "no", seen[i].pid_ok ? "yes" : "no",
        seen[i].uid_ok ? "yes" : "no");
  say("handler runs: %d\n", (int)runs);

  /* To ourselves: delivered before pthread_sigqueue returns once unblocked. */
  target = pthread_self();
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  result("pthread_sigqueue(self, SIGUSR1, 9)",
         pthread_sigqueue(pthread_self(), SIGUSR1, (union sigval){.sival_int = 9}));
  say("handler runs: %d, last value %d, si_code %s, in this thread: %s\n", (int)runs, seen[3].value,
      code(seen[3].code), seen[3].in_target ? "yes" : "no");
  return 0;
}
