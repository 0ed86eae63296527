/*
 * Queued signals and the sigwait family, compared with the host's libc:
 * sigwaitinfo takes standard signals before real-time ones and real-time
 * ones lowest first, each in sending order with its value and si_code;
 * standard signals do not queue; sigtimedwait's timeout; an SA_SIGINFO
 * handler gets the value; sigsuspend returns EINTR after the handler and
 * puts the mask back.
 */
#define _XOPEN_SOURCE 700
#include "log.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static const char *code_name(int code) {
  return code == SI_QUEUE   ? "SI_QUEUE"
         : code == SI_USER  ? "SI_USER"
         : code == SI_TKILL ? "SI_TKILL"
                            : "other";
}

static void on_info(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  log_num("handler:rt+", sig - SIGRTMIN);
  log_num("value:", si->si_value.sival_int);
  log_num("queued:", si->si_code == SI_QUEUE);
  log_num("from-self:", si->si_pid == getpid());
}

static void plain(int sig) { log_sig("handler:", sig); }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  pid_t me = getpid();
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGUSR2);
  sigaddset(&set, SIGRTMIN);
  sigaddset(&set, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &set, NULL);

  /* 1. The order sigwaitinfo takes them in. */
  union sigval v;
  v.sival_int = 7;
  sigqueue(me, SIGRTMIN + 1, v);
  v.sival_int = 5;
  sigqueue(me, SIGRTMIN, v);
  v.sival_int = 6;
  sigqueue(me, SIGRTMIN, v);
  kill(me, SIGUSR2);
  kill(me, SIGUSR2); /* not queued: one USR2 */
  v.sival_int = 99;
  sigqueue(me, SIGUSR1, v);
  v.sival_int = 8;
  sigqueue(me, SIGRTMIN + 1, v);
  for (int i = 0; i < 6; i++) {
    siginfo_t si;
    struct timespec zero = {0, 0};
    int s = sigtimedwait(&set, &si, &zero);
    if (s < 0) {
      printf("sigtimedwait: -1 EAGAIN %d\n", errno == EAGAIN);
      continue;
    }
    printf("took %s signo %d code %s value %d from self %d\n", sname(s), si.si_signo == s,
           code_name(si.si_code), si.si_code == SI_QUEUE ? si.si_value.sival_int : -1,
           si.si_pid == me);
  }

  /* 2. A timeout that expires. */
  struct timespec ten_ms = {0, 10000000};
  errno = 0;
  int r = sigtimedwait(&set, NULL, &ten_ms);
  printf("sigtimedwait 10 ms: %d EAGAIN %d\n", r, errno == EAGAIN);
  struct timespec bad = {0, 1000000000};
  errno = 0;
  r = sigtimedwait(&set, NULL, &bad);
  printf("sigtimedwait tv_nsec 1e9: %d EINVAL %d\n", r, errno == EINVAL);

  /* 3. sigwait. */
  raise(SIGUSR2);
  int got = 0;
  r = sigwait(&set, &got);
  printf("sigwait: %d %s\n", r, sname(got));

  /* 4. An SA_SIGINFO handler gets the value when the signal is unblocked. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_info;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGRTMIN, &sa, NULL);
  v.sival_int = 41;
  sigqueue(me, SIGRTMIN, v);
  v.sival_int = 42;
  sigqueue(me, SIGRTMIN, v);
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  sigprocmask(SIG_UNBLOCK, &rt, NULL);
  log_flush("siginfo handler");

  /* 5. sigsuspend: the handler runs inside, EINTR, the old mask is back. */
  signal(SIGUSR1, plain);
  raise(SIGUSR1); /* blocked: pending */
  sigset_t wait_mask;
  sigemptyset(&wait_mask);
  errno = 0;
  r = sigsuspend(&wait_mask);
  int e = errno;
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("sigsuspend: %d EINTR %d; USR1 blocked again %d\n", r, e == EINTR,
         sigismember(&now, SIGUSR1));
  log_flush("sigsuspend");
  return 0;
}
