// run: -n 2
/*
 * Two guest processes exchange signals by pid. The runner starts instance 0
 * (ping) and, once it waits, instance 1 (pong); both read every pid from
 * VSIG_WASIX_PIDS. Ping waits for replies with sigwaitinfo; pong catches the
 * ball in a handler that sees the sender's pid in siginfo.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pid_t peer_pid[2];
static volatile sig_atomic_t balls, done;

static void catch_ball(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  printf("pong: caught ball %d, sent by %s\n", ++balls, si->si_pid == peer_pid[0] ? "ping" : "?");
}

static void on_term(int sig) {
  (void)sig;
  done = 1;
}

int main(void) {
  int me = atoi(getenv("VSIG_WASIX_INSTANCE"));
  sscanf(getenv("VSIG_WASIX_PIDS"), "%d,%d", &peer_pid[0], &peer_pid[1]);
  sigset_t usr1, usr2, none;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigemptyset(&none);
  if (me == 0) {
    sigprocmask(SIG_BLOCK, &usr2, NULL);
    printf("ping: waiting for pong to be ready\n");
    siginfo_t si;
    sigwaitinfo(&usr2, &si);
    printf("ping: pong (pid %s) is ready\n",
           si.si_pid == peer_pid[1] ? "from VSIG_WASIX_PIDS" : "?");
    for (int i = 1; i <= 3; i++) {
      printf("ping: serving ball %d\n", i);
      fflush(stdout);
      kill(peer_pid[1], SIGUSR1);
      sigwaitinfo(&usr2, &si);
      printf("ping: ball %d came back\n", i);
    }
    fflush(stdout);
    kill(peer_pid[1], SIGTERM);
    return 0;
  }
  struct sigaction sa = {.sa_flags = SA_SIGINFO};
  sa.sa_sigaction = catch_ball;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  signal(SIGTERM, on_term);
  /* Signals arrive only inside sigsuspend: no ball is missed between checks. */
  sigset_t both = usr1;
  sigaddset(&both, SIGTERM);
  sigprocmask(SIG_BLOCK, &both, NULL);
  kill(peer_pid[0], SIGUSR2);
  while (!done) {
    int before = balls;
    sigsuspend(&none);
    if (balls != before) {
      printf("pong: returning ball %d\n", balls);
      fflush(stdout);
      kill(peer_pid[0], SIGUSR2);
    }
  }
  printf("pong: SIGTERM from ping, game over\n");
  return 0;
}
