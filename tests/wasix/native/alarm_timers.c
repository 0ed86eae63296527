/*
 * alarm, pause, itimers, POSIX timers and interrupted sleeps, compared with
 * the host's libc. Nothing here prints a time: only what was returned, in
 * which order, with which errno.
 */
#define _XOPEN_SOURCE 700
#include "log.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
  alarms++;
  log_sig("handler:", sig);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  /* sigaction, not signal: glibc's signal() under _XOPEN_SOURCE has System V
   * semantics (the handler is reset), musl's and the shim's BSD ones. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);

  /* 1. alarm returns what was left of the one it replaces. */
  printf("alarm(50): %u\n", alarm(50));
  printf("alarm(20): %u\n", alarm(20));
  printf("alarm(0): %u\n", alarm(0));
  printf("alarm(0) again: %u\n", alarm(0));

  /* 2. alarm fires: pause returns -1/EINTR after the handler. */
  alarm(1);
  errno = 0;
  int r = pause();
  printf("pause: %d EINTR %d alarms %d\n", r, errno == EINTR, (int)alarms);
  log_flush("alarm");

  /* 3. A sleep interrupted by a signal reports EINTR and what was left. */
  alarm(1);
  struct timespec five = {5, 0}, rem = {0, 0};
  errno = 0;
  r = nanosleep(&five, &rem);
  printf("nanosleep: %d EINTR %d, more than 2 s left %d\n", r, errno == EINTR, rem.tv_sec >= 2);
  log_flush("nanosleep");

  /* 4. A periodic ITIMER_REAL, waited for with sigsuspend, then disarmed. */
  sigset_t alrm, old;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  sigprocmask(SIG_BLOCK, &alrm, &old);
  struct itimerval it = {{0, 10000}, {0, 10000}}, got;
  printf("setitimer: %d\n", setitimer(ITIMER_REAL, &it, NULL));
  alarms = 0;
  while (alarms < 3) {
    errno = 0;
    r = sigsuspend(&old);
    if (r != -1 || errno != EINTR)
      printf("sigsuspend: %d errno %d\n", r, errno);
  }
  getitimer(ITIMER_REAL, &got);
  printf("getitimer: interval %ld us, armed %d\n", (long)got.it_interval.tv_usec,
         got.it_value.tv_sec > 0 || got.it_value.tv_usec > 0);
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, &got);
  printf("disarmed: old interval %ld us\n", (long)got.it_interval.tv_usec);
  getitimer(ITIMER_REAL, &got);
  printf("getitimer after: %ld %ld\n", (long)got.it_value.tv_sec, (long)got.it_value.tv_usec);
  sigprocmask(SIG_SETMASK, &old, NULL);
  log_flush("itimer");
  errno = 0;
  r = setitimer(ITIMER_REAL + 99, &it, NULL);
  printf("setitimer(bad which): %d EINVAL %d\n", r, errno == EINVAL);

  /* 5. A POSIX timer whose expiry queues a value to sigwaitinfo. */
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN + 2);
  sigprocmask(SIG_BLOCK, &rt, NULL);
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGRTMIN + 2;
  sev.sigev_value.sival_int = 42;
  timer_t t;
  printf("timer_create: %d\n", timer_create(CLOCK_MONOTONIC, &sev, &t));
  struct itimerspec ts = {{0, 0}, {0, 5000000}};
  printf("timer_settime: %d\n", timer_settime(t, 0, &ts, NULL));
  siginfo_t si;
  int s = sigwaitinfo(&rt, &si);
  printf("sigwaitinfo: %s code SI_TIMER %d value %d overrun %d\n", sname(s), si.si_code == SI_TIMER,
         si.si_value.sival_int, timer_getoverrun(t));
  struct itimerspec left;
  timer_gettime(t, &left);
  printf("one-shot disarmed: %d\n", left.it_value.tv_sec == 0 && left.it_value.tv_nsec == 0);
  printf("timer_delete: %d\n", timer_delete(t));
  return 0;
}
