// run:
/*
 * A guest that never calls the host still gets its handlers: the runner puts
 * a preemption check at every loop head and function entry of the translated
 * code, so a 10 ms ITIMER_REAL reaches this busy loop within one iteration.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

static volatile sig_atomic_t ticks;
static void on_tick(int sig) {
  (void)sig;
  ticks++;
}

int main(void) {
  signal(SIGALRM, on_tick);
  struct itimerval it = {.it_interval = {0, 10000}, .it_value = {0, 10000}};
  setitimer(ITIMER_REAL, &it, NULL);
  printf("spin: busy loop without host calls until 5 ticks\n");
  fflush(stdout);
  unsigned long spins = 0;
  while (ticks < 5) /* no host call in here */
    spins++;
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("spin: %d ticks delivered into the busy loop (%s)\n", (int)ticks,
         spins > 0 ? "it did spin" : "?");
  return 0;
}
