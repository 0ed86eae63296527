/* SPDX-License-Identifier: MIT */
/*
 * Interrupting a thread for asynchronous delivery: a reserved host signal,
 * sent with tgkill, whose handler calls the core on the interrupted thread.
 * There are two, one installed with SA_RESTART and one without: the kernel
 * decides from the handler's flags whether a system call the thread was
 * blocked in restarts, so the core picks the one whose flags match the
 * handler about to run. Both are SA_NODEFER, so that a handler running from
 * one can itself be interrupted for a signal its mask lets through, as
 * native handlers nest.
 *
 * Defaults: SIGRTMAX-1 and SIGRTMAX (host numbers 63 and 64), the real-time
 * signals least likely to be in use; vsig_async_signals chooses others.
 */
#include "../host.h"
#include "linux.h"

#include <errno.h>

static host_lock_t setup_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int intr_sig, intr_sig_restart;

static void on_interrupt(int sig, siginfo_t *info, void *ucontext) {
  (void)sig;
  (void)info;
  vsig__host_interrupted(ucontext);
}

void host_async_signals(int *sig, int *sig_restart) {
  *sig = atomic_load(&intr_sig);
  *sig_restart = atomic_load(&intr_sig_restart);
}

int host_async_setup(int sig, int sig_restart) {
  if (!sig) {
    sig = 63;
    sig_restart = 64;
  }
  if (atomic_load_explicit(&intr_sig, memory_order_acquire))
    return (sig == atomic_load(&intr_sig) && sig_restart == atomic_load(&intr_sig_restart)) ||
                   (sig == 63 && sig_restart == 64)
               ? 0
               : EBUSY;
  if (sig < 1 || sig > 64 || sig_restart < 1 || sig_restart > 64 || sig == SIGKILL ||
      sig == SIGSTOP || sig_restart == SIGKILL || sig_restart == SIGSTOP)
    return EINVAL;
  pthread_mutex_lock(&setup_lock);
  int rc = 0;
  if (!atomic_load(&intr_sig)) {
    (void)ksig_pid(); /* cached now: host_interrupt may run in a signal handler */
    rc = ksig_action(sig, on_interrupt, SA_NODEFER, 0, NULL, NULL);
    if (!rc)
      rc = ksig_action(sig_restart, on_interrupt, SA_NODEFER | SA_RESTART, 0, NULL, NULL);
    if (!rc) {
      ksig_unblock(KBIT(sig) | KBIT(sig_restart));
      atomic_store(&intr_sig_restart, sig_restart);
      atomic_store_explicit(&intr_sig, sig, memory_order_release);
    }
  }
  pthread_mutex_unlock(&setup_lock);
  return rc;
}

void host_async_hold(bool hold) {
  ksigset_t both = KBIT(atomic_load(&intr_sig)) | KBIT(atomic_load(&intr_sig_restart));
  if (hold)
    ksig_block(both);
  else
    ksig_unblock(both);
}

void host_interrupt(int tid, bool restart) {
  ksig_tgkill(tid,
              atomic_load_explicit(restart ? &intr_sig_restart : &intr_sig, memory_order_relaxed));
}
