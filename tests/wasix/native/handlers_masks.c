/*
 * Handlers and masks, compared with the host's libc: sa_mask holds a signal
 * raised inside a handler until it returns; several signals unblocked at
 * once run in the host kernel's order; SA_RESETHAND, SA_NODEFER, SIG_IGN
 * discarding a pending signal, default actions that ignore, and the errors
 * of sigaction and the sigset functions.
 */
#define _XOPEN_SOURCE 700
#include "log.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static void on_usr1_raises_usr2(int sig) {
  log_sig("begin:", sig);
  raise(SIGUSR2);
  sigset_t p;
  sigpending(&p);
  log_num("usr2-pending-inside:", sigismember(&p, SIGUSR2));
  log_sig("end:", sig);
}

static void plain(int sig) {
  log_sig("begin:", sig);
  log_sig("end:", sig);
}

static void rt_plain(int sig) {
  log_num("begin:rt+", sig - SIGRTMIN);
  log_num("end:rt+", sig - SIGRTMIN);
}

static volatile sig_atomic_t depth;
static void nodefer(int sig) {
  log_num("nodefer-depth:", depth);
  if (depth++ < 2)
    raise(sig);
}

static void install(int sig, void (*h)(int), int flags, const int *mask) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  for (; mask && *mask; mask++)
    sigaddset(&sa.sa_mask, *mask);
  if (sigaction(sig, &sa, NULL) != 0)
    printf("sigaction(%s) failed: errno %d\n", sname(sig), errno);
}

/* The call's result and whether it set errno to EINVAL, read after it. */
#define einval(what, call)                                                                         \
  do {                                                                                             \
    errno = 0;                                                                                     \
    int r_ = (call);                                                                               \
    printf("%s: %d errno EINVAL %d\n", what, r_, errno == EINVAL);                                 \
  } while (0)

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);

  /* 1. sa_mask: USR2 raised inside the USR1 handler waits for its return. */
  int usr2[] = {SIGUSR2, 0};
  install(SIGUSR1, on_usr1_raises_usr2, 0, usr2);
  install(SIGUSR2, plain, 0, NULL);
  raise(SIGUSR1);
  log_flush("sa_mask");

  /* 2. Blocked, pending, then unblocked together: the kernel's order. */
  install(SIGUSR1, plain, 0, NULL);
  install(SIGHUP, plain, 0, NULL);
  install(SIGRTMIN, rt_plain, 0, NULL);
  install(SIGRTMIN + 1, rt_plain, 0, NULL);
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGUSR2);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGRTMIN);
  sigaddset(&set, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &set, &old);
  raise(SIGRTMIN + 1);
  raise(SIGUSR2);
  raise(SIGRTMIN);
  raise(SIGUSR1);
  raise(SIGHUP);
  sigset_t p;
  sigpending(&p);
  printf("pending: USR1 %d USR2 %d HUP %d RTMIN %d RTMIN+1 %d ALRM %d\n", sigismember(&p, SIGUSR1),
         sigismember(&p, SIGUSR2), sigismember(&p, SIGHUP), sigismember(&p, SIGRTMIN),
         sigismember(&p, SIGRTMIN + 1), sigismember(&p, SIGALRM));
  printf("handlers ran while blocked: %d\n", (int)log_len);
  sigprocmask(SIG_SETMASK, &old, NULL);
  log_flush("unblocked together");

  /* 3. A handler's mask: the old mask | sa_mask | the signal, then restored. */
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGUSR2);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("mask after: HUP %d USR2 %d\n", sigismember(&now, SIGHUP), sigismember(&now, SIGUSR2));
  log_flush("masked handler");

  /* 4. SA_RESETHAND runs once, then the action is SIG_DFL; SA_NODEFER nests. */
  install(SIGUSR1, plain, SA_RESETHAND, NULL);
  raise(SIGUSR1);
  struct sigaction cur;
  sigaction(SIGUSR1, NULL, &cur);
  printf("after SA_RESETHAND: %s\n", cur.sa_handler == SIG_DFL ? "SIG_DFL" : "still caught");
  install(SIGUSR1, nodefer, SA_NODEFER, NULL);
  raise(SIGUSR1);
  log_flush("resethand, nodefer");

  /* 5. Ignoring a pending signal discards it; default-ignored signals do nothing. */
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  sigprocmask(SIG_BLOCK, &set, NULL);
  raise(SIGUSR2);
  signal(SIGUSR2, SIG_IGN);
  sigpending(&p);
  printf("pending USR2 after SIG_IGN: %d\n", sigismember(&p, SIGUSR2));
  signal(SIGUSR2, plain);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  raise(SIGCHLD);
  raise(SIGURG);
  printf("after SIGCHLD and SIGURG at SIG_DFL: still running\n");
  void (*prev)(int) = signal(SIGUSR2, SIG_DFL);
  printf("signal() returned the handler: %d\n", prev == plain);
  log_flush("ignore");

  /* 6. Errors. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = plain;
  einval("sigaction(SIGKILL)", sigaction(SIGKILL, &sa, NULL));
  einval("sigaction(SIGSTOP)", sigaction(SIGSTOP, &sa, NULL));
  einval("sigaction(0)", sigaction(0, &sa, NULL));
  einval("sigaction(65)", sigaction(65, &sa, NULL));
  einval("sigprocmask(99)", sigprocmask(99, &set, NULL));
  einval("sigaddset(0)", sigaddset(&set, 0));
  einval("raise(65)", raise(65));
  errno = 0;
  printf("kill(getpid(), 0): %d\n", kill(getpid(), 0));
  sigfillset(&set);
  sigprocmask(SIG_SETMASK, &set, NULL);
  sigprocmask(SIG_SETMASK, NULL, &now);
  printf("fill mask: KILL %d STOP %d USR1 %d\n", sigismember(&now, SIGKILL),
         sigismember(&now, SIGSTOP), sigismember(&now, SIGUSR1));
  sigemptyset(&set);
  sigprocmask(SIG_SETMASK, &set, NULL);

  /* 7. A default action that terminates: how the run ends. */
  printf("raising SIGTERM\n");
  raise(SIGTERM);
  printf("not reached\n");
  return 0;
}
