// run:
/*
 * alarm() fires: pause() returns -1/EINTR once the SIGALRM handler has run.
 * alarm also reports what was left of the alarm it replaces.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t fired;
static void on_alarm(int sig) {
  (void)sig;
  fired++;
}

int main(void) {
  signal(SIGALRM, on_alarm);
  alarm(30);
  unsigned left = alarm(1); /* replaces the 30 s alarm */
  printf("alarm: replaced an alarm with %s seconds left; alarm(1) armed\n",
         left > 25 && left <= 30 ? "about 30" : "?");
  int r = pause();
  printf("alarm: pause returned %d (%s), SIGALRM handler ran %d time(s)\n", r,
         errno == EINTR ? "EINTR" : "?", (int)fired);
  printf("alarm: nothing left armed: alarm(0) = %u\n", alarm(0));
  return 0;
}
