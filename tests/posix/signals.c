/* SPDX-License-Identifier: MIT */
/* An ordinary POSIX program: built with -include vsig/posix.h it runs on vsig.
 * Exits 0 when every check holds. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_code, got_value;

static void on_usr1(int sig, siginfo_t *info, void *ctx) {
  (void)ctx;
  got_usr1 = sig;
  got_code = info->si_code;
  got_value = info->si_value.sival_int;
}

#define EXPECT(c)                                                                                  \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                                      \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_usr1;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  EXPECT(sigaction(SIGUSR1, &sa, NULL) == 0);

  EXPECT(raise(SIGUSR1) == 0);
  EXPECT(got_usr1 == SIGUSR1 && got_code == SI_TKILL);

  got_usr1 = 0;
  EXPECT(kill(getpid(), SIGUSR1) == 0);
  EXPECT(got_usr1 == SIGUSR1 && got_code == SI_USER);

  /* Blocked: pending, then delivered by the unblocking sigprocmask. */
  sigset_t set, pend;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  EXPECT(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
  got_usr1 = 0;
  union sigval v = {.sival_int = 42};
  EXPECT(sigqueue(getpid(), SIGUSR1, v) == 0);
  EXPECT(got_usr1 == 0);
  EXPECT(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1) == 1);
  EXPECT(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
  EXPECT(got_usr1 == SIGUSR1 && got_code == SI_QUEUE && got_value == 42);

  /* Real-time signals queue, in order, and sigwaitinfo keeps their values. */
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN + 1);
  EXPECT(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
  for (int i = 0; i < 5; i++) {
    v.sival_int = 100 + i;
    EXPECT(sigqueue(getpid(), SIGRTMIN + 1, v) == 0);
  }
  for (int i = 0; i < 5; i++) {
    siginfo_t si;
    EXPECT(sigwaitinfo(&set, &si) == SIGRTMIN + 1);
    EXPECT(si.si_code == SI_QUEUE && si.si_value.sival_int == 100 + i);
    EXPECT(si.si_pid == getpid());
  }
  struct timespec zero = {0, 0};
  errno = 0;
  EXPECT(sigtimedwait(&set, NULL, &zero) == -1 && errno == EAGAIN);

  /* fork: the child has its own process, inherits the action, nothing pending. */
  EXPECT(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
  EXPECT(sigqueue(getpid(), SIGRTMIN + 1, v) == 0);
  pid_t parent = getpid();
  pid_t child = fork();
  EXPECT(child >= 0);
  if (child == 0) {
    if (getpid() == parent)
      _exit(10);
    sigset_t p2;
    sigpending(&p2);
    if (sigismember(&p2, SIGRTMIN + 1))
      _exit(11);
    got_usr1 = 0;
    raise(SIGUSR1);
    _exit(got_usr1 == SIGUSR1 ? 0 : 12);
  }
  int status;
  EXPECT(waitpid(child, &status, 0) == child);
  EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT(sigpending(&pend) == 0 && sigismember(&pend, SIGRTMIN + 1) == 1);

  /* An unhandled SIGTERM ends the process as a native one would. */
  child = fork();
  if (child == 0) {
    kill(getpid(), SIGTERM);
    _exit(0);
  }
  EXPECT(waitpid(child, &status, 0) == child);
  EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == 15);

  puts("signals: all checks passed");
  return 0;
}
