/* SPDX-License-Identifier: MIT */
/* Pins down a strict C11 + _POSIX_C_SOURCE 200809L program: CLOCK_REALTIME timers, sigaction,
 * sigwaitinfo, nanosleep; and its signal(), which <signal.h> then maps to glibc's __sysv_signal. */
/* diff-cflags: -std=c11 -U_GNU_SOURCE */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *sname(int sig) {
  if (sig == SIGUSR1)
    return "SIGUSR1";
  if (sig == SIGUSR2)
    return "SIGUSR2";
  if (sig == SIGRTMIN)
    return "SIGRTMIN";
  return "another signal";
}

static const char *ename(int e) {
  return e == EINTR ? "EINTR" : e == EAGAIN ? "EAGAIN" : e == EINVAL ? "EINVAL" : "another errno";
}

static volatile sig_atomic_t runs;
static void on_sig(int sig) {
  (void)sig;
  runs++;
}

static void say_flags(int sig) {
  struct sigaction old;
  sigaction(sig, NULL, &old);
  printf("  %s: %s, SA_RESETHAND %s, SA_NODEFER %s, SA_RESTART %s\n", sname(sig),
         old.sa_handler == SIG_DFL  ? "SIG_DFL"
         : old.sa_handler == on_sig ? "on_sig"
                                    : "other",
         old.sa_flags & SA_RESETHAND ? "yes" : "no", old.sa_flags & SA_NODEFER ? "yes" : "no",
         old.sa_flags & SA_RESTART ? "yes" : "no");
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
  struct timespec now;
  int r = clock_gettime(CLOCK_REALTIME, &now);
  printf("clock_gettime(CLOCK_REALTIME): %d, after 2020: %s\n", r,
         now.tv_sec > 1577836800 ? "yes" : "no");
  printf("clock_getres(CLOCK_REALTIME): %d\n", clock_getres(CLOCK_REALTIME, &now));

  /* A CLOCK_REALTIME timer, absolute deadline 20 ms ahead, taken with sigwaitinfo. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGRTMIN;
  sev.sigev_value.sival_int = 12;
  timer_t t;
  printf("timer_create(CLOCK_REALTIME): %d\n", timer_create(CLOCK_REALTIME, &sev, &t));
  struct itimerspec at = {{0, 0}, {0, 0}};
  clock_gettime(CLOCK_REALTIME, &at.it_value);
  at.it_value.tv_nsec += 20000000;
  if (at.it_value.tv_nsec >= 1000000000) {
    at.it_value.tv_nsec -= 1000000000;
    at.it_value.tv_sec++;
  }
  printf("timer_settime(TIMER_ABSTIME): %d\n", timer_settime(t, TIMER_ABSTIME, &at, NULL));
  siginfo_t si;
  int s = sigwaitinfo(&set, &si);
  struct timespec after;
  clock_gettime(CLOCK_REALTIME, &after);
  printf("sigwaitinfo: %s, si_code SI_TIMER: %s, value %d, not before the deadline: %s\n", sname(s),
         si.si_code == SI_TIMER ? "yes" : "no", si.si_value.sival_int,
         after.tv_sec > at.it_value.tv_sec ||
                 (after.tv_sec == at.it_value.tv_sec && after.tv_nsec >= at.it_value.tv_nsec)
             ? "yes"
             : "no");
  timer_delete(t);
  fflush(stdout);

  /* signal() in a strict POSIX program: the System V one, reset on delivery. */
  printf("signal(SIGUSR1, on_sig) returned SIG_DFL: %s\n",
         signal(SIGUSR1, on_sig) == SIG_DFL ? "yes" : "no");
  say_flags(SIGUSR1);
  raise(SIGUSR1);
  printf("after one raise: handler runs %d\n", (int)runs);
  say_flags(SIGUSR1);

  /* sigaction works as everywhere. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR2, &sa, NULL);
  sigset_t u2;
  sigemptyset(&u2);
  sigaddset(&u2, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &u2, NULL);
  raise(SIGUSR2);
  sigset_t none;
  sigemptyset(&none);
  r = sigsuspend(&none);
  printf("sigsuspend: %d %s, handler runs %d\n", r, ename(errno), (int)runs);

  /* nanosleep with a bad value. */
  struct timespec bad = {0, 1000000000};
  r = nanosleep(&bad, NULL);
  printf("nanosleep({0, 1e9}): %d %s\n", r, ename(errno));
  r = clock_nanosleep(CLOCK_REALTIME, 0, &bad, NULL);
  printf("clock_nanosleep(CLOCK_REALTIME, {0, 1e9}): %s\n", ename(r));
  return 0;
}
