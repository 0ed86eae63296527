/* SPDX-License-Identifier: MIT */
/*
 * The host bridge on Linux (the core's side is src/core/bridge.c).
 *
 * Two kinds of host signals:
 *  - synchronous ones, which the kernel sends to the thread that caused them:
 *    faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS), SIGPIPE and
 *    SIGXFSZ from a write, SIGABRT from abort(). They stay unblocked on every
 *    thread and a handler catches them on that thread: a fault runs the vsig
 *    handler at once, the others are generated thread-directed.
 *  - all the others. They are blocked on every application thread and taken
 *    by one internal thread, vsig-bridge, with sigwaitinfo. So the kernel
 *    never interrupts an application thread for a signal vsig then gives to
 *    another (a spurious EINTR). vsig then interrupts the thread it picks
 *    (async.c). They too have a handler, which forwards what reaches a thread
 *    whose host mask vsig did not set (one made before the bridge, or in the
 *    moment before a new thread resets its mask): the kernel never takes a
 *    default action itself.
 *
 * A synchronous signal that arrives while its thread holds a vsig lock cannot
 * be generated there (the handler would wait for the lock its own thread
 * holds): it goes into a small ring, and vsig-bridge generates it.
 *
 * Host dispositions follow the default process's actions: SIG_IGN is SIG_IGN
 * in the kernel (so a write to a closed pipe gives EPIPE, and ignored SIGCHLD
 * leaves no zombie), SIGCHLD's SA_NOCLDSTOP and SA_NOCLDWAIT reach the kernel,
 * and a synchronous signal with SA_ONSTACK is caught on the alternate stack.
 */
#include "../host.h"
#include "linux.h"

#include <errno.h>
#include <string.h>
#include <vsig.h>

#define FAULT_SIGS                                                                                 \
  (KBIT(SIGSEGV) | KBIT(SIGBUS) | KBIT(SIGFPE) | KBIT(SIGILL) | KBIT(SIGTRAP) | KBIT(SIGSYS))
#define SYNC_SIGS (FAULT_SIGS | KBIT(SIGPIPE) | KBIT(SIGXFSZ) | KBIT(SIGABRT))
/* glibc keeps 32 and 33 for itself (thread cancellation, set*id). */
#define LIBC_SIGS (KBIT(32) | KBIT(33))

static host_lock_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static ksigset_t sync_set, async_set;
static _Atomic int bridge_on, bridge_tid;
/* Copies of the process's own kill(0, sig) that the kernel will hand back. */
static _Atomic int expected_self[65];

void host_bridge_expect_self(int sig) { atomic_fetch_add(&expected_self[sig], 1); }

static bool expected_copy(int sig, const siginfo_t *si) {
  if (si->si_code != SI_USER || si->si_pid != ksig_pid())
    return false;
  int n = atomic_load(&expected_self[sig]);
  while (n > 0)
    if (atomic_compare_exchange_weak(&expected_self[sig], &n, n - 1))
      return true;
  return false;
}

void host_bridge_hostmask(uint64_t mask, bool exact) {
  if (exact) {
    /* The program an exec starts inherits this mask: make it the vsig one,
     * with the bridge's own signals (the interrupts) never blocked. */
    ksig_setmask(mask);
  } else {
    ksig_setmask(async_set); /* what every application thread has */
  }
}

/* ---- the ring of deferred synchronous signals ---------------------------------------- */

enum { RING = 128 };
enum { SLOT_FREE, SLOT_WRITING, SLOT_FULL };
static struct {
  _Atomic int state;
  int sig;
  uint64_t thread;
  vsig_siginfo_t info;
} ring[RING];

/* In a signal handler: no lock, no allocation. Standard signals merge, so an
 * entry already there for the same signal and thread is enough. */
static void defer(int sig, uint64_t thread, const vsig_siginfo_t *info) {
  for (int i = 0; i < RING; i++)
    if (atomic_load(&ring[i].state) == SLOT_FULL && ring[i].sig == sig && ring[i].thread == thread)
      return;
  for (;;) {
    for (int i = 0; i < RING; i++) {
      int free_ = SLOT_FREE;
      if (atomic_compare_exchange_strong(&ring[i].state, &free_, SLOT_WRITING)) {
        ring[i].sig = sig;
        ring[i].thread = thread;
        ring[i].info = *info;
        atomic_store(&ring[i].state, SLOT_FULL);
        int sigs[2];
        host_async_signals(&sigs[0], &sigs[1]);
        ksig_tgkill(atomic_load(&bridge_tid), sigs[0]); /* vsig-bridge drains it */
        return;
      }
    }
    /* Full: 128 different signals deferred at once; vsig-bridge empties it
     * without waiting for any lock first. */
  }
}

static void drain(void) {
  for (int i = 0; i < RING; i++) {
    if (atomic_load(&ring[i].state) != SLOT_FULL)
      continue;
    int sig = ring[i].sig;
    uint64_t thread = ring[i].thread;
    vsig_siginfo_t info = ring[i].info;
    atomic_store(&ring[i].state, SLOT_FREE);
    vsig__host_generate(sig, &info, thread, false);
  }
}

/* ---- synchronous signals ---------------------------------------------------------------- */

static bool sent_by_kernel_to_this_thread(int sig, const siginfo_t *si) {
  if (si->si_code == SI_TKILL)
    return true; /* tgkill, raise, abort, pthread_kill */
  /* The kernel's SIGPIPE and SIGXFSZ look like kill() from the process itself. */
  return (sig == SIGPIPE || sig == SIGXFSZ) && si->si_code == SI_USER && si->si_pid == ksig_pid();
}

/* In a signal handler: generate now, or defer when this thread holds a vsig
 * lock (the generation would wait for it). A handler due on this thread runs
 * right here, where the kernel interrupted it, as a native one would. */
static void forward(int sig, const siginfo_t *si, const vsig_siginfo_t *info, void *ucontext) {
  if (expected_copy(sig, si))
    return;
  uint64_t thread = sent_by_kernel_to_this_thread(sig, si) ? vsig__host_self_id() : 0;
  if (host_lock_depth()) {
    defer(sig, thread, info);
    return;
  }
  vsig__host_generate(sig, info, thread, false);
  vsig__host_interrupted(ucontext);
}

static void on_async(int sig, siginfo_t *si, void *ucontext) {
  int err = errno;
  vsig_siginfo_t info;
  ksiginfo_to_vsig(si, &info);
  forward(sig, si, &info, ucontext);
  errno = err;
}

static void on_sync(int sig, siginfo_t *si, void *ucontext) {
  int err = errno;
  vsig_siginfo_t info;
  ksiginfo_to_vsig(si, &info);
  if ((KBIT(sig) & FAULT_SIGS) && si->si_code > 0) {
    if (vsig__host_fault(sig, &info, ucontext)) {
      errno = err;
      return;
    }
    /* Blocked, default or ignored: the process dies of it, as natively. A
     * real fault happens again when the instruction runs again, now at the
     * kernel's default (a core dump shows where); others are re-sent. */
    ksig_action(sig, KH_DFL, 0, 0, NULL, NULL);
    if (sig == SIGTRAP || sig == SIGSYS)
      host_die_by_signal(sig);
    return;
  }
  forward(sig, si, &info, ucontext);
  errno = err;
}

/* ---- following the default process's actions -------------------------------------------- */

static void follow(int sig, uintptr_t handler, int flags) {
  ksigset_t bit = KBIT(sig);
  if (!((sync_set | async_set) & bit))
    return;
  if (handler == (uintptr_t)VSIG_SIG_IGN) {
    ksig_action(sig, KH_IGN, 0, 0, NULL, NULL);
    return;
  }
  if (sync_set & bit) {
    int kflags = flags & (VSIG_SA_ONSTACK | VSIG_SA_RESTART | VSIG_SA_NODEFER);
    ksig_action(sig, on_sync, kflags, 0, NULL, NULL);
    return;
  }
  /* Blocked on every application thread, waited for by vsig-bridge; the
   * handler only forwards strays. SIGCHLD's flags decide zombies and stop
   * notices in the kernel. */
  int kflags = SA_RESTART;
  if (sig == SIGCHLD)
    kflags |= flags & (VSIG_SA_NOCLDSTOP | VSIG_SA_NOCLDWAIT);
  ksig_action(sig, on_async, kflags, 0, NULL, NULL);
}

void host_bridge_action(int sig, uintptr_t handler, int flags) {
  if (atomic_load(&bridge_on))
    follow(sig, handler, flags);
}

/* ---- vsig-bridge ----------------------------------------------------------------------- */

static void *bridge_thread(void *arg) {
  (void)arg;
  atomic_store(&bridge_tid, host_thread_id());
  int intr, intr_restart;
  host_async_signals(&intr, &intr_restart);
  for (;;) {
    siginfo_t si;
    int sig = ksig_timedwait(async_set | KBIT(intr), &si, NULL);
    if (sig < 0)
      continue; /* EINTR */
    if (sig == intr) {
      drain();
      continue;
    }
    if (expected_copy(sig, &si))
      continue;
    vsig_siginfo_t info;
    ksiginfo_to_vsig(&si, &info);
    /* Real-time signals keep their values: each takes a queue entry, and when
     * the pool is full the next ones wait in the kernel's queue meanwhile. */
    bool queued = sig >= 32;
    while (vsig__host_generate(sig, &info, 0, queued) == -EAGAIN)
      vsig__host_pool_wait();
  }
  return NULL;
}

static void forget_after_fork(void) {
  /* The child has no vsig-bridge yet: host_bridge_restart starts one. */
  atomic_store(&bridge_tid, 0);
}

static void restart_in_child(void) {
  forget_after_fork();
  if (atomic_load(&bridge_on))
    host_thread_spawn(bridge_thread, NULL, "vsig-bridge");
}

int host_bridge_start(uint64_t set) {
  int rc = host_async_setup(0, 0); /* vsig-bridge is woken with its signal */
  if (rc)
    return rc;
  int intr, intr_restart;
  host_async_signals(&intr, &intr_restart);
  set &= ~(LIBC_SIGS | KBIT(SIGKILL) | KBIT(SIGSTOP) | KBIT(intr) | KBIT(intr_restart));
  pthread_mutex_lock(&start_lock);
  ksigset_t add = set & ~(sync_set | async_set);
  /* The exec rule: what the host process started with ignored starts ignored. */
  for (int sig = 1; sig <= 64; sig++) {
    if (!(add & KBIT(sig)))
      continue;
    khandler_t old = KH_DFL;
    if (syscall_query_action(sig, &old) == 0 && old == KH_IGN)
      vsig__host_inherit_ignored(sig);
  }
  sync_set |= add & SYNC_SIGS;
  async_set |= add & ~SYNC_SIGS;
  /* Application threads created from now on inherit the block. */
  ksig_block(add & ~SYNC_SIGS);
  ksig_unblock(add & SYNC_SIGS);
  atomic_store(&bridge_on, 1);
  for (int sig = 1; sig <= 64; sig++) {
    if (!(add & KBIT(sig)))
      continue;
    uintptr_t h;
    int flags;
    vsig__host_action_of(sig, &h, &flags);
    follow(sig, h, flags);
  }
  if (!atomic_load(&bridge_tid)) {
    static bool atfork_set;
    if (!atfork_set) {
      pthread_atfork(NULL, NULL, restart_in_child);
      atfork_set = true;
    }
    rc = host_thread_spawn(bridge_thread, NULL, "vsig-bridge");
    if (!rc)
      while (!atomic_load(&bridge_tid))
        sched_yield(); /* it takes signals only once it is waiting for them */
  } else {
    ksig_tgkill(atomic_load(&bridge_tid), intr); /* wait for the new ones too */
  }
  pthread_mutex_unlock(&start_lock);
  return rc;
}

void host_thread_started(void) {
  if (atomic_load(&bridge_on))
    ksig_setmask(async_set); /* whatever pthread_create gave it */
}

void host_bridge_rescue(void) {
  if (!atomic_load_explicit(&bridge_on, memory_order_relaxed))
    return;
  /* A signal sent from outside to this thread alone (tgkill) is blocked here
   * and pending on this thread: take it now that the thread waits. */
  static const struct timespec zero = {0, 0};
  siginfo_t si;
  int sig;
  while ((sig = ksig_timedwait(async_set, &si, &zero)) > 0) {
    vsig_siginfo_t info;
    ksiginfo_to_vsig(&si, &info);
    uint64_t thread = si.si_code == SI_TKILL ? vsig__host_self_id() : 0;
    while (vsig__host_generate(sig, &info, thread, sig >= 32) == -EAGAIN)
      vsig__host_pool_wait();
  }
}

void host_stop_process(int sig) {
  /* The kernel stops the whole process when a thread takes a stop signal at
   * its default disposition: send it to this thread alone and let it
   * through; the thread goes on here once the process is continued. */
  khandler_t old_h;
  int old_flags;
  ksig_action(sig, KH_DFL, 0, 0, &old_h, &old_flags);
  ksigset_t old = ksig_block(0);
  ksig_tgkill(host_thread_id(), sig);
  ksig_unblock(KBIT(sig));
  ksig_setmask(old);
  if (old_h != KH_DFL)
    ksig_action(sig, old_h, old_flags, 0, NULL, NULL);
}
