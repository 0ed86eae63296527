/* SPDX-License-Identifier: MIT */
/*
 * handler_on_kill: the smallest vsig program worth running.
 *
 * It installs a handler for SIGUSR1, sends SIGUSR1 to its own virtual process
 * and watches the handler run. Along the way it shows what the handler is told
 * (the siginfo fields), how a value rides along with sigqueue, and what
 * blocking a signal does.
 *
 * Nothing here touches the real signals of the host process: vsig keeps its
 * own actions, masks and pending sets in user space. That is also why the
 * handler may call printf: it runs at a well-defined point in vsig's code on
 * the receiving thread, never asynchronously in the middle of an instruction.
 */
#include <vsig.h>

#include <stdio.h>
#include <string.h>

static const char *code_name(int code) {
  switch (code) {
  case VSIG_SI_USER:
    return "SI_USER (sent by kill)";
  case VSIG_SI_QUEUE:
    return "SI_QUEUE (sent by sigqueue)";
  case VSIG_SI_TKILL:
    return "SI_TKILL (sent by raise or pthread_kill)";
  default:
    return "other";
  }
}

/* With SA_SIGINFO the handler gets the whole siginfo, not just the number. */
static void on_usr1(int sig, vsig_siginfo_t *info, void *context) {
  (void)context;
  printf("  handler: got signal %d\n", sig);
  printf("  handler:   si_signo = %d\n", info->si_signo);
  printf("  handler:   si_code  = %d, %s\n", info->si_code, code_name(info->si_code));
  printf("  handler:   si_pid   = %d (the sender's virtual process)\n", (int)info->si_pid);
  printf("  handler:   si_uid   = %u\n", (unsigned)info->si_uid);
  if (info->si_code == VSIG_SI_QUEUE)
    printf("  handler:   si_value = %d\n", info->si_value.sival_int);

  /* POSIX blocks the signal while its own handler runs (unless SA_NODEFER),
   * so a second SIGUSR1 now would wait instead of re-entering this function. */
  vsig_sigset_t now;
  vsig_sigprocmask(VSIG_SIG_BLOCK, NULL, &now);
  printf("  handler:   SIGUSR1 blocked while the handler runs: %s\n",
         vsig_sigismember(&now, VSIG_SIGUSR1) ? "yes" : "no");
}

int main(void) {
  /* This thread was never attached explicitly: its first vsig call attaches it
   * to the default virtual process, whose pid is the host pid. */
  vsig_pid_t me = vsig_getpid();
  printf("main: running as a thread of virtual process %d\n", (int)me);

  vsig_sigaction_t act;
  memset(&act, 0, sizeof act);
  act.sa_sigaction = on_usr1;
  act.sa_flags = VSIG_SA_SIGINFO;
  vsig_sigemptyset(&act.sa_mask);
  if (vsig_sigaction(VSIG_SIGUSR1, &act, NULL) != 0) {
    perror("vsig_sigaction");
    return 1;
  }
  printf("main: installed a SA_SIGINFO handler for SIGUSR1\n");

  /* The sending thread belongs to the target process and does not block the
   * signal, so the delivery algorithm picks the sender itself, and the handler
   * runs before kill returns. */
  printf("\nmain: kill(%d, SIGUSR1)\n", (int)me);
  int rc = vsig_kill(me, VSIG_SIGUSR1);
  printf("main: kill returned %d, after the handler ran\n", rc);

  printf("\nmain: sigqueue(%d, SIGUSR1, 42): the same, carrying a value\n", (int)me);
  rc = vsig_sigqueue(me, VSIG_SIGUSR1, (vsig_sigval_t){.sival_int = 42});
  printf("main: sigqueue returned %d\n", rc);

  /* A blocked signal is not lost: it waits as pending until unblocked, and the
   * call that unblocks it runs the handler before returning. */
  vsig_sigset_t usr1, pending;
  vsig_sigemptyset(&usr1);
  vsig_sigaddset(&usr1, VSIG_SIGUSR1);
  vsig_sigprocmask(VSIG_SIG_BLOCK, &usr1, NULL);
  printf("\nmain: blocked SIGUSR1, then kill(%d, SIGUSR1)\n", (int)me);
  vsig_kill(me, VSIG_SIGUSR1);
  vsig_sigpending(&pending);
  printf("main: kill returned; no handler ran; SIGUSR1 pending: %s\n",
         vsig_sigismember(&pending, VSIG_SIGUSR1) ? "yes" : "no");
  printf("main: unblocking SIGUSR1\n");
  vsig_sigprocmask(VSIG_SIG_UNBLOCK, &usr1, NULL);
  vsig_sigpending(&pending);
  printf("main: sigprocmask returned; SIGUSR1 pending: %s\n",
         vsig_sigismember(&pending, VSIG_SIGUSR1) ? "yes" : "no");
  return 0;
}
