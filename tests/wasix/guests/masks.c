// run:
/*
 * Masks and delivery order seen from a guest: a blocked signal stays
 * pending and its handler runs before the unblocking sigprocmask returns;
 * inside a handler the mask is old | sa_mask | the signal and the old mask is
 * back afterwards; real-time signals come lowest number first, each FIFO;
 * SA_RESETHAND; SIG_IGN discards a pending signal; errors come back as errno.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static char order[64];
static int norder;
static sigset_t in_handler;

static void record(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  order[norder++] = (char)('a' + sig - SIGRTMIN);
  order[norder++] = (char)('0' + si->si_value.sival_int);
}

static void look(int sig) {
  (void)sig;
  sigprocmask(SIG_BLOCK, NULL, &in_handler);
}

static int member(const sigset_t *s, int sig) { return sigismember(s, sig); }

int main(void) {
  sigset_t usr1, cur, pend;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);

  struct sigaction sa = {0};
  sa.sa_handler = look;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaction(SIGUSR1, &sa, NULL);

  sigprocmask(SIG_BLOCK, &usr1, NULL);
  raise(SIGUSR1);
  sigpending(&pend);
  printf("blocked SIGUSR1 pending: %d\n", member(&pend, SIGUSR1));
  sigprocmask(SIG_UNBLOCK, &usr1, &cur);
  printf("handler ran inside the unblocking sigprocmask: %d\n", member(&in_handler, SIGUSR1));
  printf("handler mask had SIGUSR1 and sa_mask SIGUSR2: %d %d\n", member(&in_handler, SIGUSR1),
         member(&in_handler, SIGUSR2));
  sigprocmask(SIG_BLOCK, NULL, &cur);
  printf("mask after the handler: SIGUSR1 %d SIGUSR2 %d\n", member(&cur, SIGUSR1),
         member(&cur, SIGUSR2));

  /* Real-time: queue while blocked, then unblock all at once. */
  struct sigaction rt = {.sa_flags = SA_SIGINFO};
  rt.sa_sigaction = record;
  sigemptyset(&rt.sa_mask);
  sigset_t rts;
  sigemptyset(&rts);
  for (int s = SIGRTMIN; s <= SIGRTMIN + 2; s++) {
    sigaction(s, &rt, NULL);
    sigaddset(&rts, s);
    sigaddset(&rt.sa_mask, s); /* each handler blocks the others: no nesting */
  }
  for (int s = SIGRTMIN; s <= SIGRTMIN + 2; s++)
    sigaction(s, &rt, NULL);
  sigprocmask(SIG_BLOCK, &rts, NULL);
  int seq[][2] = {{2, 1}, {0, 1}, {2, 2}, {1, 1}, {0, 2}};
  for (int i = 0; i < 5; i++)
    sigqueue(getpid(), SIGRTMIN + seq[i][0], (union sigval){.sival_int = seq[i][1]});
  sigprocmask(SIG_UNBLOCK, &rts, NULL);
  order[norder] = 0;
  printf("real-time delivery order (signal, value): %s\n", order);

  /* SA_RESETHAND: the second SIGUSR2 finds SIG_DFL again. */
  struct sigaction once = {.sa_flags = SA_RESETHAND};
  once.sa_handler = look;
  sigemptyset(&once.sa_mask);
  sigaction(SIGUSR2, &once, NULL);
  raise(SIGUSR2);
  struct sigaction now;
  sigaction(SIGUSR2, NULL, &now);
  printf("SA_RESETHAND: handler reset to SIG_DFL: %d\n", now.sa_handler == SIG_DFL);

  /* SIG_IGN discards a pending instance. */
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  raise(SIGUSR1);
  signal(SIGUSR1, SIG_IGN);
  sigpending(&pend);
  printf("SIG_IGN discarded pending SIGUSR1: %d\n", !member(&pend, SIGUSR1));

  /* Errors, as errno. */
  errno = 0;
  printf("sigaction(SIGKILL): %d %s\n", sigaction(SIGKILL, &sa, NULL),
         errno == EINVAL ? "EINVAL" : "?");
  errno = 0;
  printf("kill(no such pid): %d %s\n", kill(999999, SIGUSR1), errno == ESRCH ? "ESRCH" : "?");
  errno = 0;
  printf("sigpending(bad pointer): %d %s\n", sigpending((sigset_t *)0xfffffff0u),
         errno == EFAULT ? "EFAULT" : "?");
  errno = 0;
  struct sigaction bad = {0};
  bad.sa_handler = (void (*)(int))12345; /* not a function of the table */
  printf("sigaction(handler not a function): %d %s\n", sigaction(SIGUSR2, &bad, NULL),
         errno == EINVAL ? "EINVAL" : "?");
  return 0;
}
