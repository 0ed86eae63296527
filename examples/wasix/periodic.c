// run:
/*
 * A periodic task on the WASIX ABI alone: callback_signal names the exported
 * function every signal reaches, proc_raise_interval(SIGALRM, 20 ms, repeat)
 * drives it, and proc_raise_interval(SIGALRM, 0, ...) cancels it. The main
 * loop sleeps; each tick interrupts the sleep (EINTR) and is counted.
 */
#include "wasix_signal.h"

#include <stdio.h>
#include <time.h>

static volatile int ticks;

__attribute__((export_name("on_signal"))) void on_signal(int wasix_sig) {
  if (wasix_sig == WASIX_SIGALRM)
    ticks++;
}

int main(void) {
  const char name[] = "on_signal";
  wasix_callback_signal(name, sizeof name - 1);
  printf("periodic: proc_raise_interval(SIGALRM, 20 ms, repeat=true)\n");
  if (wasix_proc_raise_interval(WASIX_SIGALRM, 20, 1) != 0)
    return 1;
  int seen = 0;
  while (seen < 5) {
    struct timespec ts = {10, 0};
    nanosleep(&ts, NULL); /* each tick ends the sleep early */
    while (seen < ticks && seen < 5)
      printf("periodic: tick %d\n", ++seen);
  }
  wasix_proc_raise_interval(WASIX_SIGALRM, 0, 0);
  int at_cancel = ticks;
  printf("periodic: cancelled with interval 0\n");
  struct timespec quiet = {0, 100000000}; /* five periods */
  while (nanosleep(&quiet, &quiet) != 0) {
  }
  printf("periodic: ticks after cancelling: %d\n", ticks - at_cancel);
  return 0;
}
