// run: -n 2
/*
 * A real-time signal carries a value to sigwaitinfo in another guest:
 * instance 1 queues SIGRTMIN+1 three times with values 100, 200, 300 to
 * instance 0, which has it blocked and takes them, in order, with their
 * values, si_code SI_QUEUE and the sender's pid.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  int me = atoi(getenv("VSIG_WASIX_INSTANCE"));
  pid_t pids[2];
  sscanf(getenv("VSIG_WASIX_PIDS"), "%d,%d", &pids[0], &pids[1]);
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN + 1);
  if (me == 0) {
    sigprocmask(SIG_BLOCK, &rt, NULL);
    for (int i = 0; i < 3; i++) {
      siginfo_t si;
      int s = sigwaitinfo(&rt, &si); /* the first wait lets instance 1 start */
      printf("receiver: SIGRTMIN+%d value %d si_code %s from %s\n", s - SIGRTMIN,
             si.si_value.sival_int, si.si_code == SI_QUEUE ? "SI_QUEUE" : "?",
             si.si_pid == pids[1] ? "the sender" : "?");
    }
    return 0;
  }
  for (int v = 100; v <= 300; v += 100) {
    union sigval val = {.sival_int = v};
    sigqueue(pids[0], SIGRTMIN + 1, val);
  }
  return 0;
}
