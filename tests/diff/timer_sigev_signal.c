/* SPDX-License-Identifier: MIT */
/* Pins down SIGEV_SIGNAL POSIX timers: si_code SI_TIMER with sigev_value, overruns counted
 * while the signal is pending (si_overrun = timer_getoverrun), gettime, SIGEV_NONE, errors. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff_common.h"
static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static timer_t mk(clockid_t clk, int signo, int value) {
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = signo;
  sev.sigev_value.sival_int = value;
  timer_t t;
  if (timer_create(clk, &sev, &t) != 0) {
    say("timer_create: %s\n", errname(errno));
    _exit(1);
  }
  return t;
}

static const char *code(int c) {
  return c == SI_TIMER   ? "SI_TIMER"
         : c == SI_QUEUE ? "SI_QUEUE"
         : c == SI_USER  ? "SI_USER"
                         : "other";
}

int main(void) {
  start();
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  sigaddset(&set, SIGRTMIN + 1);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  siginfo_t si;

  /* One shot. */
  timer_t a = mk(CLOCK_MONOTONIC, SIGRTMIN, 77);
  struct itimerspec one = {{0, 0}, {0, 10000000}}, cur;
  say("timer_settime(10 ms one-shot): %d\n", timer_settime(a, 0, &one, NULL));
  int s = sigwaitinfo(&set, &si);
  say("sigwaitinfo: %s, si_code %s, value %d, si_overrun %d\n", signame(s), code(si.si_code),
      si.si_value.sival_int, si.si_overrun);
  say("timer_getoverrun: %d\n", timer_getoverrun(a));
  timer_gettime(a, &cur);
  say("timer_gettime after expiry: value %ld.%09ld interval %ld.%09ld\n", (long)cur.it_value.tv_sec,
      cur.it_value.tv_nsec, (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);

  /* Periodic 1 ms with the signal blocked: expiries while pending are overruns. */
  timer_t b = mk(CLOCK_MONOTONIC, SIGRTMIN + 1, 88);
  struct itimerspec per = {{0, 1000000}, {0, 1000000}};
  long long t0 = now_ns();
  timer_settime(b, 0, &per, NULL);
  timer_gettime(b, &cur);
  say("timer_gettime while armed: value in (0, 1 ms]: %s, interval %ld.%09ld\n",
      cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 1000000
          ? "yes"
          : "no",
      (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
  while (now_ns() - t0 < 30000000) {
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
  sigset_t only_b;
  sigemptyset(&only_b);
  sigaddset(&only_b, SIGRTMIN + 1);
  s = sigwaitinfo(&only_b, &si);
  int ov = timer_getoverrun(b);
  say("after 30 ms: %s, si_code %s, value %d, si_overrun >= 10: %s, timer_getoverrun equals it: "
      "%s\n",
      signame(s), code(si.si_code), si.si_value.sival_int, si.si_overrun >= 10 ? "yes" : "no",
      ov == si.si_overrun ? "yes" : "no");
  struct itimerspec off = {{0, 0}, {0, 0}}, old;
  timer_settime(b, 0, &off, &old);
  say("disarming returned the old interval %ld.%09ld\n", (long)old.it_interval.tv_sec,
      old.it_interval.tv_nsec);
  struct timespec zero = {0, 0};
  while (sigtimedwait(&only_b, &si, &zero) > 0)
    ;

  /* Absolute CLOCK_REALTIME deadline in the past: fires at once. */
  timer_t c = mk(CLOCK_REALTIME, SIGUSR1, 99);
  struct itimerspec past = {{0, 0}, {1, 0}};
  say("timer_settime(TIMER_ABSTIME, 1 s after the epoch): %d\n",
      timer_settime(c, TIMER_ABSTIME, &past, NULL));
  sigset_t only_u;
  sigemptyset(&only_u);
  sigaddset(&only_u, SIGUSR1);
  s = sigwaitinfo(&only_u, &si);
  say("sigwaitinfo: %s, si_code %s, value %d\n", signame(s), code(si.si_code),
      si.si_value.sival_int);

  /* Re-arming a one-shot, then deleting with the signal pending. */
  timer_settime(a, 0, &one, NULL);
  sigset_t only_a;
  sigemptyset(&only_a);
  sigaddset(&only_a, SIGRTMIN);
  s = sigwaitinfo(&only_a, &si);
  say("re-armed one-shot: %s value %d\n", signame(s), si.si_value.sival_int);

  /* SIGEV_NONE: nothing is sent, the time still runs. */
  struct sigevent none;
  memset(&none, 0, sizeof none);
  none.sigev_notify = SIGEV_NONE;
  timer_t d;
  say("timer_create(SIGEV_NONE): %d\n", timer_create(CLOCK_MONOTONIC, &none, &d));
  struct itimerspec ten = {{0, 0}, {10, 0}};
  timer_settime(d, 0, &ten, NULL);
  timer_gettime(d, &cur);
  say("SIGEV_NONE timer_gettime: value in (9 s, 10 s]: %s\n",
      (cur.it_value.tv_sec == 9 && cur.it_value.tv_nsec > 0) ||
              (cur.it_value.tv_sec == 10 && cur.it_value.tv_nsec == 0)
          ? "yes"
          : "no");
  say("pending: %s\n", pendstr());

  /* Errors. */
  struct sigevent bad;
  memset(&bad, 0, sizeof bad);
  bad.sigev_notify = SIGEV_SIGNAL;
  bad.sigev_signo = 65;
  timer_t e;
  int r = timer_create(CLOCK_MONOTONIC, &bad, &e);
  say("timer_create(sigev_signo 65): %d %s\n", r, errname(errno));
  bad.sigev_signo = SIGUSR1;
  r = timer_create(12345, &bad, &e);
  say("timer_create(clock 12345): %d %s\n", r, errname(errno));
  bad.sigev_notify = 12345;
  r = timer_create(CLOCK_MONOTONIC, &bad, &e);
  say("timer_create(sigev_notify 12345): %d %s\n", r, errname(errno));
  struct itimerspec badv = {{0, 0}, {0, 1000000000}};
  r = timer_settime(a, 0, &badv, NULL);
  say("timer_settime(value {0, 1e9}): %d %s\n", r, errname(errno));
  struct itimerspec badi = {{0, -1}, {1, 0}};
  r = timer_settime(a, 0, &badi, NULL);
  say("timer_settime(interval {0, -1}): %d %s\n", r, errname(errno));
  say("timer_delete: %d %d %d %d\n", timer_delete(a), timer_delete(b), timer_delete(c),
      timer_delete(d));
  r = timer_getoverrun(a);
  say("timer_getoverrun(deleted): %d %s\n", r, errname(errno));
  r = timer_delete(a);
  say("timer_delete(deleted): %d %s\n", r, errname(errno));
  r = timer_settime(a, 0, &one, NULL);
  say("timer_settime(deleted): %d %s\n", r, errname(errno));
  return 0;
}
