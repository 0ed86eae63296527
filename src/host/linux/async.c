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

/* The handlers' mask: both signals under TSan (tsan.c), none otherwise. */
static _Atomic ksigset_t handler_mask;

HOST_NO_TSAN static void on_interrupt(int sig, siginfo_t *info, void *ucontext) {
  if (host_tsan_postpone(sig, info, ucontext,
                         atomic_load_explicit(&handler_mask, memory_order_relaxed)))
    return;
  vsig__host_interrupted(ucontext);
  mirror_leave(ucontext); /* what the thread unblocked since comes in directly again */
}

void host_async_signals(int *sig, int *sig_restart) {
  *sig = atomic_load(&intr_sig);
  *sig_restart = atomic_load(&intr_sig_restart);
}

int host_async_setup(int sig, int sig_restart) {
  bool any = !sig; /* the defaults, or whatever is set up already */
  if (any) {
    sig = 63;
    sig_restart = 64;
  }
  if (atomic_load_explicit(&intr_sig, memory_order_acquire))
    return any || (sig == atomic_load(&intr_sig) && sig_restart == atomic_load(&intr_sig_restart))
               ? 0
               : EBUSY;
  /* Real-time signals only, and not glibc's (32, 33): the standard ones have
   * meanings the bridge must keep. */
  if (sig < 34 || sig > 64 || sig_restart < 34 || sig_restart > 64 || sig == sig_restart)
    return EINVAL;
  pthread_mutex_lock(&setup_lock);
  int rc = 0;
  if (!atomic_load(&intr_sig)) {
    (void)ksig_pid(); /* cached now: host_interrupt may run in a signal handler */
    host_tsan_setup();
    ksigset_t mask = 0;
#ifdef HOST_TSAN
    mask = KBIT(sig) | KBIT(sig_restart);
#endif
    atomic_store_explicit(&handler_mask, mask, memory_order_relaxed);
    rc = ksig_action(sig, on_interrupt, SA_NODEFER, mask, NULL, NULL);
    if (!rc) {
      rc = ksig_action(sig_restart, on_interrupt, SA_NODEFER | SA_RESTART, mask, NULL, NULL);
      if (rc)
        ksig_action(sig, KH_DFL, 0, 0, NULL, NULL); /* nothing half set up */
    }
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

/*
 * An interrupt asked for while this thread holds a vsig lock (always the
 * process lock, when the core asks) is sent as the thread releases its last
 * one. Sent under the lock, it wakes the target, often on this very core,
 * where it preempts the sender; its first step, taking that lock for the
 * handler, then sleeps until the sender runs again and unlocks: two more
 * context switches per delivery. The target cannot leave its process while
 * the lock is held, so its id is taken then; in the instant after, a target
 * that exits makes the late tgkill fail with ESRCH.
 */
enum { LATE_MAX = 8 };
static _Thread_local struct {
  _Atomic int tid; /* 0: free, or already sent */
  int sig;
} late[LATE_MAX];
static _Thread_local _Atomic unsigned late_n;

void host_interrupt(int tid, bool restart) {
  int sig = atomic_load_explicit(restart ? &intr_sig_restart : &intr_sig, memory_order_relaxed);
  unsigned n = atomic_load_explicit(&late_n, memory_order_relaxed);
  if (!host_lock_depth() || n == LATE_MAX) {
    ksig_tgkill(tid, sig);
    return;
  }
  late[n].sig = sig;
  atomic_store_explicit(&late[n].tid, tid, memory_order_relaxed);
  atomic_store_explicit(&late_n, n + 1, memory_order_relaxed);
}

/* At the last unlock. A host handler that runs in between on this thread may
 * send some itself: each entry is claimed with one exchange, so it goes once. */
void host_interrupts_flush(void) {
  unsigned n;
  while ((n = atomic_load_explicit(&late_n, memory_order_relaxed)) > 0) {
    int sig = late[n - 1].sig;
    int tid = atomic_exchange_explicit(&late[n - 1].tid, 0, memory_order_relaxed);
    atomic_store_explicit(&late_n, n - 1, memory_order_relaxed);
    if (tid)
      ksig_tgkill(tid, sig);
  }
}

bool host_interrupts_waiting(void) { return atomic_load_explicit(&late_n, memory_order_relaxed); }
