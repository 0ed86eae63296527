/* SPDX-License-Identifier: MIT */
/*
 * periodic_and_alarm: signals that come from time.
 *
 * Part 1, a periodic task. vsig_proc_raise_interval (WASIX proc_raise_interval)
 * sends SIGUSR1 to this virtual process every 20 ms. The program keeps SIGUSR1
 * blocked and takes each tick with sigwaitinfo, so the "task" runs in ordinary
 * code rather than in a handler. Once it deliberately falls behind, to show
 * that missed periods are not silently lost: the next tick reports them in
 * si_overrun. Then it cancels the interval with 0.
 *
 * Part 2, a timeout. alarm(1) arms a one-second SIGALRM; a long nanosleep is
 * cut short by the SIGALRM handler and says how much of the sleep was left.
 *
 * Everything runs on the real (host) clock, so the printed times wobble by a
 * millisecond or so from run to run.
 */
#include <vsig.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t t0;

/* Milliseconds since the program started, on vsig's clock: the clock the
 * timers themselves run on. */
static double ms(void) { return (double)(vsig_clock_now() - t0) / 1e6; }

static void busy_for_ms(long n) {
  /* A host sleep stands in for real work that makes no vsig call: the ticks
   * due meanwhile are generated all the same, by vsig's timer thread. */
  struct timespec ts = {n / 1000, (n % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void periodic_task(void) {
  printf("Part 1: SIGUSR1 every 20 ms from vsig_proc_raise_interval\n");

  /* Blocked, each tick stays pending until sigwaitinfo takes it; unblocked
   * with no handler, SIGUSR1's default action would end the process. */
  vsig_sigset_t usr1;
  vsig_sigemptyset(&usr1);
  vsig_sigaddset(&usr1, VSIG_SIGUSR1);
  vsig_sigprocmask(VSIG_SIG_BLOCK, &usr1, NULL);

  int rc = vsig_proc_raise_interval(VSIG_SIGUSR1, 20, 1 /* repeat */);
  printf("  %6.1f ms  proc_raise_interval(SIGUSR1, 20 ms, repeat) -> %d\n", ms(), rc);

  for (int tick = 1; tick <= 5; tick++) {
    vsig_siginfo_t info;
    int sig = vsig_sigwaitinfo(&usr1, &info);
    printf("  %6.1f ms  tick %d: signal %d, si_code %s, si_overrun %d\n", ms(), tick, sig,
           info.si_code == VSIG_SI_TIMER ? "SI_TIMER" : "other", info.si_overrun);
    if (info.si_overrun > 0)
      printf("             (%d later period(s) ended while this tick was pending: counted, "
             "not queued)\n",
             info.si_overrun);
    if (tick == 3) {
      /* Falling behind by more than two periods: the tick due meanwhile
       * stays pending, and those after it are counted on it as overruns
       * instead of piling up. */
      printf("  %6.1f ms  tick 3's work takes 50 ms (two and a half periods)\n", ms());
      busy_for_ms(50);
    }
  }

  /* 0 cancels. The schedule is drift-free (each deadline is the previous one
   * plus 20 ms), which is why the ticks above stay on the 20 ms grid even
   * after the slow one. */
  rc = vsig_proc_raise_interval(VSIG_SIGUSR1, 0, 0);
  printf("  %6.1f ms  proc_raise_interval(SIGUSR1, 0) -> %d: cancelled\n", ms(), rc);

  /* Cancelling stops future ticks but, as POSIX says for timers, leaves one
   * already pending alone; take any such so the check below is honest. */
  struct timespec none = {0, 0};
  while (vsig_sigtimedwait(&usr1, NULL, &none) == VSIG_SIGUSR1)
    printf("  %6.1f ms  (a tick that was already pending when we cancelled)\n", ms());

  struct timespec wait = {0, 60 * 1000000L};
  int got = vsig_sigtimedwait(&usr1, NULL, &wait);
  printf("  %6.1f ms  waited 60 ms for another tick: %s\n", ms(),
         got < 0 && errno == EAGAIN ? "none came (EAGAIN)" : "one came?!");
}

static volatile sig_atomic_t alarm_rang;

/* Only records the fact: the code that was waiting decides what to do. */
static void on_alarm(int sig) {
  (void)sig;
  alarm_rang = 1;
}

static void alarm_timeout(void) {
  printf("\nPart 2: alarm(1) as a timeout for a 3 s nanosleep\n");

  vsig_sigaction_t act;
  memset(&act, 0, sizeof act);
  act.sa_handler = on_alarm;
  vsig_sigemptyset(&act.sa_mask);
  vsig_sigaction(VSIG_SIGALRM, &act, NULL);

  /* A process has one alarm: arming again replaces it and reports what was
   * left of the old one (in whole seconds, rounded up). */
  unsigned int left = vsig_alarm(30);
  printf("  %6.1f ms  alarm(30) -> %u (no alarm was armed)\n", ms(), left);
  left = vsig_alarm(1);
  printf("  %6.1f ms  alarm(1)  -> %u (seconds left on the alarm it replaced)\n", ms(), left);

  struct timespec req = {3, 0}, rem = {0, 0};
  int rc = vsig_nanosleep(&req, &rem);
  int err = errno;
  printf("  %6.1f ms  nanosleep(3 s) -> %d, errno %s, handler ran: %s\n", ms(), rc,
         rc < 0 && err == EINTR ? "EINTR" : "?", alarm_rang ? "yes" : "no");
  printf("  %6.1f ms  unslept: %.3f s of the 3 s\n", ms(),
         (double)rem.tv_sec + (double)rem.tv_nsec / 1e9);

  /* The alarm fired, so nothing is armed any more. */
  printf("  %6.1f ms  alarm(0)  -> %u (nothing left to cancel)\n", ms(), vsig_alarm(0));
}

int main(void) {
  t0 = vsig_clock_now();
  periodic_task();
  alarm_timeout();
  return 0;
}
