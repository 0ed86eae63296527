/* SPDX-License-Identifier: MIT */
/* Pins down the GNU names a program gets by defining _GNU_SOURCE itself before any include:
 * strerrorname_np, strerrordesc_np, sigabbrev_np, sigdescr_np, with errno values from signal calls.
 */
/* diff-cflags: -U_GNU_SOURCE */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

static void line(const char *call, int e) {
  printf("%s: errno %s (%s)\n", call, strerrorname_np(e), strerrordesc_np(e));
  fflush(stdout);
}

static void on_watchdog(int sig) {
  (void)sig;
  static const char m[] = "watchdog\n";
  ssize_t r = write(1, m, sizeof m - 1);
  (void)r;
  _exit(99);
}

static void watchdog(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_watchdog;
  sigaction(SIGALRM, &sa, NULL);
  alarm(30);
}

int main(void) {
  watchdog();
  printf("strerrorname_np(EINTR): %s\n", strerrorname_np(EINTR));
  printf("strerrorname_np(EAGAIN) and EWOULDBLOCK: %s %s\n", strerrorname_np(EAGAIN),
         strerrorname_np(EWOULDBLOCK));
  printf("strerrorname_np(0): %s\n", strerrorname_np(0) ? strerrorname_np(0) : "NULL");
  printf("sigabbrev_np(SIGINT): %s, sigdescr_np(SIGINT): %s\n", sigabbrev_np(SIGINT),
         sigdescr_np(SIGINT));
  printf("sigabbrev_np(SIGIO) %s, sigabbrev_np(SIGPOLL) %s, sigabbrev_np(SIGCHLD) %s\n",
         sigabbrev_np(SIGIO), sigabbrev_np(SIGPOLL), sigabbrev_np(SIGCHLD));
  fflush(stdout);

  /* errno values produced by signal calls, by name. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  if (sigaction(SIGKILL, &sa, NULL) != 0)
    line("sigaction(SIGKILL)", errno);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  struct timespec zero = {0, 0};
  if (sigtimedwait(&set, NULL, &zero) < 0)
    line("sigtimedwait(nothing pending, zero timeout)", errno);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  sigset_t empty;
  sigemptyset(&empty);
  raise(SIGUSR1); /* handled at once */
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGUSR1);
  if (sigsuspend(&empty) != 0)
    line("sigsuspend", errno);
  if (kill(getpid(), 65) != 0)
    line("kill(getpid(), 65)", errno);
  int r = pthread_kill(pthread_self(), 65);
  line("pthread_kill(self, 65) returned", r);
  return 0;
}
