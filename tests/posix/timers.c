/* SPDX-License-Identifier: MIT */
/* An ordinary POSIX program using alarm, setitimer and a POSIX timer, run on
 * vsig through vsig/posix.h. Real clock: it checks counts and order only. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define EXPECT(c)                                                                                  \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c);                                      \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) { alarms += sig == SIGALRM; }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  EXPECT(sigaction(SIGALRM, &sa, NULL) == 0);

  /* alarm interrupts a sleep. */
  EXPECT(alarm(1) == 0);
  EXPECT(alarm(1) == 1); /* re-arming reports the old one, rounded up */
  unsigned left = sleep(30);
  EXPECT(alarms == 1 && left > 0 && left <= 30);

  /* setitimer: 3 periods of 2 ms, counted by sigwaitinfo. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGALRM);
  EXPECT(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
  struct itimerval it = {{0, 2000}, {0, 2000}}, old;
  EXPECT(setitimer(ITIMER_REAL, &it, NULL) == 0);
  for (int i = 0; i < 3; i++) {
    siginfo_t si;
    EXPECT(sigwaitinfo(&set, &si) == SIGALRM);
  }
  memset(&it, 0, sizeof it);
  EXPECT(setitimer(ITIMER_REAL, &it, &old) == 0);
  EXPECT(old.it_interval.tv_usec == 2000);

  /* A POSIX timer with a real-time signal and a value. */
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  EXPECT(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGRTMIN;
  sev.sigev_value.sival_int = 1234;
  timer_t tid;
  EXPECT(timer_create(CLOCK_MONOTONIC, &sev, &tid) == 0);
  struct itimerspec its = {{0, 1000000}, {0, 1000000}};
  EXPECT(timer_settime(tid, 0, &its, NULL) == 0);
  for (int i = 0; i < 5; i++) {
    siginfo_t si;
    EXPECT(sigwaitinfo(&set, &si) == SIGRTMIN);
    EXPECT(si.si_code == SI_TIMER && si.si_value.sival_int == 1234);
    EXPECT(si.si_overrun >= 0 && timer_getoverrun(tid) == si.si_overrun);
  }
  EXPECT(timer_delete(tid) == 0);
  errno = 0;
  EXPECT(timer_delete(tid) == -1 && errno == EINVAL);
  puts("timers: all checks passed");
  return 0;
}
