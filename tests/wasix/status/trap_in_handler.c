/* A trap inside a signal handler stops the guest cleanly: the runner reports
 * it and exits 134, and the host survives (its guard-page handler still
 * works, then vsig-wasix unwinds through the handler frame). */
#include <signal.h>
#include <stdio.h>

static void bad(int sig) {
  (void)sig;
  volatile int *p = (volatile int *)0xfffffff0u;
  *p = 1; /* outside the guest's memory */
}

int main(void) {
  signal(SIGUSR1, bad);
  printf("about to trap in a handler\n");
  fflush(stdout);
  raise(SIGUSR1);
  printf("not reached\n");
  return 0;
}
