/* SIGTERM's default action terminates the guest process (the runner reports
 * "killed by SIGTERM" and exits 143); nothing after the raise runs. */
#include <signal.h>
#include <stdio.h>

int main(void) {
  printf("raising SIGTERM with its default action\n");
  fflush(stdout);
  raise(SIGTERM);
  printf("not reached\n");
  return 0;
}
