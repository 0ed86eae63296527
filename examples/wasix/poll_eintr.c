// run:
/*
 * A guest blocked in poll_oneoff (the WASI call behind nanosleep, sleep and
 * poll) is woken by a signal: its handler runs, and the call fails with
 * EINTR as a blocked system call would.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <wasi/api.h>

static volatile sig_atomic_t handled;
static void on_alarm(int sig) { handled = sig; }

int main(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {.it_value = {0, 50000}}; /* SIGALRM in 50 ms */
  setitimer(ITIMER_REAL, &it, NULL);
  printf("poll_eintr: poll_oneoff on a 10 s clock, SIGALRM due in 50 ms\n");
  __wasi_subscription_t sub;
  memset(&sub, 0, sizeof sub);
  sub.userdata = 1;
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub.u.u.clock.timeout = 10000000000ull;
  __wasi_event_t ev;
  __wasi_size_t n = 99;
  __wasi_errno_t e = __wasi_poll_oneoff(&sub, &ev, 1, &n);
  printf("poll_eintr: poll_oneoff returned %s, handler %s\n",
         e == __WASI_ERRNO_INTR ? "EINTR" : "?",
         handled == SIGALRM ? "ran for SIGALRM" : "did not run");
  return e == __WASI_ERRNO_INTR ? 0 : 1;
}
