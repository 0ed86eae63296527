/* SPDX-License-Identifier: MIT */
/* Pins down pselect and ppoll's temporary mask: a pending signal it unblocks ends the call with
 * EINTR and its handler runs under that mask; one it blocks stays pending; a ready fd wins. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "diff_common.h"
static volatile sig_atomic_t runs[65], hup_blocked_inside[65];

static void on_sig(int sig) {
  runs[sig]++;
  sigset_t cur;
  pthread_sigmask(SIG_BLOCK, NULL, &cur);
  hup_blocked_inside[sig] = sigismember(&cur, SIGHUP);
}

static sigset_t outside, temp;
static int pfd[2];

static void after(const char *what, int r, int e) {
  if (r < 0)
    say("%s: -1 %s\n", what, errname(e));
  else
    say("%s: %d\n", what, r);
  say("  handler runs USR1 %d (under the temporary mask: %s), USR2 %d; mask after: %s; pending: "
      "%s\n",
      (int)runs[SIGUSR1], runs[SIGUSR1] ? (hup_blocked_inside[SIGUSR1] ? "yes" : "no") : "-",
      (int)runs[SIGUSR2], maskstr(), pendstr());
  runs[SIGUSR1] = runs[SIGUSR2] = 0;
}

static int do_pselect(int with_fd, int zero_timeout, const sigset_t *mask) {
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(pfd[0], &rd);
  struct timespec zero = {0, 0}, longer = {25, 0};
  return pselect(with_fd ? pfd[0] + 1 : 0, with_fd ? &rd : NULL, NULL, NULL,
                 zero_timeout ? &zero : &longer, mask);
}

static int do_ppoll(int zero_timeout, const sigset_t *mask) {
  struct pollfd p = {.fd = pfd[0], .events = POLLIN};
  struct timespec zero = {0, 0};
  return ppoll(&p, 1, zero_timeout ? &zero : NULL, mask);
}

static void *sender(void *arg) {
  (void)arg;
  /* USR1 is blocked here (inherited), so the process-directed signal waits for a
   * thread that unblocks it: main, inside ppoll. */
  kill(getpid(), SIGUSR1);
  return NULL;
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigemptyset(&outside);
  sigaddset(&outside, SIGUSR1);
  sigaddset(&outside, SIGUSR2);
  sigemptyset(&temp);
  sigaddset(&temp, SIGUSR2);
  sigaddset(&temp, SIGHUP);
  pthread_sigmask(SIG_SETMASK, &outside, NULL);
  if (pipe(pfd))
    return 1;
  say("mask outside: %s; temporary mask: %s\n", maskstr(), setstr(&temp));
  int r;

  raise(SIGUSR1);
  r = do_pselect(0, 0, &temp);
  after("pselect, SIGUSR1 pending, 25 s timeout", r, errno);

  raise(SIGUSR2);
  r = do_pselect(0, 1, &temp);
  after("pselect, SIGUSR2 pending, zero timeout", r, errno);
  r = do_pselect(0, 1, NULL);
  after("pselect, SIGUSR2 pending, NULL mask, zero timeout", r, errno);

  raise(SIGUSR1);
  r = do_pselect(0, 1, NULL);
  after("pselect, SIGUSR1 and SIGUSR2 pending, NULL mask, zero timeout", r, errno);

  if (write(pfd[1], "x", 1) != 1)
    return 1;
  raise(SIGUSR1);
  raise(SIGUSR2);
  r = do_pselect(1, 0, &temp);
  after("pselect, SIGUSR1 pending and the pipe readable", r, errno);
  raise(SIGUSR1);
  raise(SIGUSR2);
  r = do_ppoll(0, &temp);
  after("ppoll, SIGUSR1 pending and the pipe readable", r, errno);
  char c;
  if (read(pfd[0], &c, 1) != 1)
    return 1;

  raise(SIGUSR1);
  r = do_ppoll(0, &temp);
  after("ppoll, SIGUSR1 pending, no timeout", r, errno);

  raise(SIGUSR1);
  raise(SIGUSR2);
  sigset_t both = temp;
  sigaddset(&both, SIGUSR1);
  r = do_ppoll(1, &both);
  after("ppoll, SIGUSR1 pending, a temporary mask that blocks it too, zero timeout", r, errno);

  sigset_t none;
  sigemptyset(&none);
  raise(SIGUSR1);
  raise(SIGUSR2);
  r = do_ppoll(1, &none);
  after("ppoll, both pending, empty temporary mask", r, errno);

  /* A signal that arrives while the call waits. */
  pthread_t t;
  pthread_create(&t, NULL, sender, NULL);
  r = do_ppoll(0, &temp);
  after("ppoll, kill(getpid(), SIGUSR1) from a thread", r, errno);
  pthread_join(t, NULL);
  pthread_create(&t, NULL, sender, NULL);
  r = do_pselect(0, 0, &temp);
  after("pselect, kill(getpid(), SIGUSR1) from a thread", r, errno);
  pthread_join(t, NULL);

  /* Errors leave the mask alone and deliver nothing. */
  raise(SIGUSR1);
  struct timespec bad = {0, 1000000000};
  struct pollfd p = {.fd = pfd[0], .events = POLLIN};
  r = ppoll(&p, 1, &bad, &temp);
  after("ppoll, SIGUSR1 pending, timeout {0, 1e9}", r, errno);
  raise(SIGUSR1);
  r = pselect(-1, NULL, NULL, NULL, NULL, &temp);
  after("pselect, SIGUSR1 pending, nfds -1", r, errno);
  raise(SIGUSR1);
  r = pselect(0, NULL, NULL, NULL, &bad, &temp);
  after("pselect, SIGUSR1 pending, timeout {0, 1e9}", r, errno);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  after("after emptying the mask", 0, 0);
  return 0;
}
