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
 *    Most standard ones are direct (mirror.c): a thread's host mask lets
 *    them through where its vsig mask does, and the kernel gives one to such
 *    a thread, whose handler makes it that thread's at once: one step, as
 *    natively. vsig-bridge takes those that no thread lets through.
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
/* A fork child starts with one thread and no vsig-bridge (a thread made in
 * the fork handler could deadlock against a sanitizer's fork locks): its one
 * thread lets the bridge's signals through and the forwarding handler takes
 * them, until the child makes its first thread; then vsig-bridge starts. */
static _Atomic int bridge_pending_in_child;
/* Deferred signals with no vsig-bridge to take them: the thread takes them
 * itself once it holds no vsig lock (host_unlock). */
_Atomic int host_bridge_orphans;
/* Copies of the process's own kill(0, sig) that the kernel will hand back. */
static _Atomic int expected_self[65];

/* Only a copy the kernel will hand back is expected: the signal is bridged
 * and not ignored by the host (then the kernel drops it at once). */
void host_bridge_expect_self(int sig, int n) {
  khandler_t h = KH_DFL;
  if (!((sync_set | async_set) & KBIT(sig)) || syscall_query_action(sig, &h, NULL, NULL) != 0 ||
      h == KH_IGN)
    return;
  int cur = atomic_load(&expected_self[sig]);
  while (!atomic_compare_exchange_weak(&expected_self[sig], &cur, cur + n > 0 ? cur + n : 0))
    ;
}

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
    /* The program an exec starts inherits this mask: make it exactly the
     * vsig one. */
    ksig_setmask(mask);
    mirror_opened(mirror_open_now());
  } else {
    ksigset_t open = mirror_open_now();
    ksig_setmask(async_set & ~open); /* what every application thread has */
    mirror_exit(0);                  /* after a jump out of handlers: none runs any more */
    mirror_opened(open);
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
        int tid = atomic_load(&bridge_tid);
        if (!tid) {
          atomic_fetch_add(&host_bridge_orphans, 1); /* taken at this thread's last unlock */
          return;
        }
        int sigs[2];
        host_async_signals(&sigs[0], &sigs[1]);
        ksig_tgkill(tid, sigs[0]); /* vsig-bridge drains it */
        return;
      }
    }
    /* Full: 128 different signals deferred at once; vsig-bridge empties it
     * without waiting for any lock first. */
  }
}

static void drain_ring(void) {
  atomic_store(&host_bridge_orphans, 0);
  for (int i = 0; i < RING; i++) {
    if (atomic_load(&ring[i].state) != SLOT_FULL)
      continue;
    int sig = ring[i].sig;
    uint64_t thread = ring[i].thread;
    vsig_siginfo_t info = ring[i].info;
    atomic_store(&ring[i].state, SLOT_FREE);
    vsig__host_generate(sig, &info, thread, false, false);
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
 * lock (the generation would wait for it). A process-directed signal is this
 * thread's when it has it unblocked, as the kernel chose it: its handler runs
 * right here, where the kernel interrupted it, as a native one would. */
static void forward(int sig, const siginfo_t *si, const vsig_siginfo_t *info, void *ucontext) {
  if (expected_copy(sig, si))
    return;
  uint64_t thread = sent_by_kernel_to_this_thread(sig, si) ? vsig__host_self_id() : 0;
  if (host_lock_depth()) {
    defer(sig, thread, info);
    return;
  }
  vsig__host_generate(sig, info, thread, false, true);
  vsig__host_interrupted(ucontext);
}

/* What the kernel blocks while on_async runs for each signal: the direct
 * ones' handler masks follow the vsig handler's. */
static _Atomic ksigset_t async_blocks[65];

static void on_async(int sig, siginfo_t *si, void *ucontext) {
  int err = errno;
  ksigset_t before = mirror_enter(atomic_load_explicit(&async_blocks[sig], memory_order_relaxed));
  vsig_siginfo_t info;
  ksiginfo_to_vsig(si, &info);
  forward(sig, si, &info, ucontext);
  mirror_leave(ucontext);
  mirror_exit(before);
  errno = err;
}

static void on_sync(int sig, siginfo_t *si, void *ucontext) {
  int err = errno;
  vsig_siginfo_t info;
  ksiginfo_to_vsig(si, &info);
  if ((KBIT(sig) & FAULT_SIGS) && si->si_code > 0) {
    if (vsig__host_fault(sig, &info, ucontext)) {
      mirror_leave(ucontext);
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
  mirror_leave(ucontext); /* what a handler's mask blocked meanwhile is the kernel's to restore */
  errno = err;
}

/* ---- following the default process's actions -------------------------------------------- */

static void follow(int sig, uintptr_t handler, int flags, uint64_t mask) {
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
  int kflags = SA_RESTART;
  ksigset_t kmask = 0;
  /* A fork child's one thread takes every signal from the kernel itself. */
  bool child = atomic_load(&bridge_pending_in_child);
  ksigset_t mirrored = child ? async_set : mirror_direct();
  if (mirrored & bit) {
    /* The kernel interrupts the thread that runs the handler: whether the
     * call it was in restarts, and what is blocked meanwhile, are the vsig
     * handler's. A default action ends the process (one that ignores the
     * signal restarts what it interrupted; in a fork child's one thread a
     * call that never restarts fails with EINTR, which natively it does not). */
    if (handler != (uintptr_t)VSIG_SIG_DFL) {
      kflags = flags & (VSIG_SA_RESTART | VSIG_SA_NODEFER);
      kmask = mask & mirrored;
    }
  }
  /* Otherwise blocked on every application thread, waited for by
   * vsig-bridge; the handler only forwards strays. SIGCHLD's flags decide
   * zombies and stop notices in the kernel. */
  if (sig == SIGCHLD)
    kflags |= flags & (VSIG_SA_NOCLDSTOP | VSIG_SA_NOCLDWAIT);
  atomic_store_explicit(&async_blocks[sig], kmask | ((kflags & SA_NODEFER) ? 0 : bit),
                        memory_order_relaxed);
  ksig_action(sig, on_async, kflags, kmask, NULL, NULL);
}

void host_bridge_action(int sig, uintptr_t handler, int flags, uint64_t mask) {
  if (atomic_load(&bridge_on))
    follow(sig, handler, flags, mask);
}

/* ---- vsig-bridge ----------------------------------------------------------------------- */

/* ---- taking signals from the kernel ---------------------------------------------------- */

/*
 * vsig-bridge sleeps in sigtimedwait for every bridged signal that no
 * application thread lets through (mirror_watch_set): the kernel hands it
 * those at once, and wakes it for nothing else. (A signalfd would wake it for
 * every signal the process gets, direct ones too, and on two cores that
 * wake-up delays the thread that takes a direct one.)
 *
 * It is the only taker of real-time signals from the process's queue, so
 * their instances keep the kernel's order though it takes one without a
 * lock. A thread that is about to wait in vsig, or asks what is pending,
 * first makes sure that a signal another process sent before (say, before it
 * exited) is pending in vsig, as natively: it has vsig-bridge take what is
 * pending, and takes itself standard signals and the real-time ones sent to
 * it alone (its own queue, which only it can take). Every taker generates
 * under take_lock, one signal at a time. When the default process is at its
 * queue limit, a real-time signal already taken waits in `held` (it comes
 * first next time) and the rest stay in the kernel's queue; only vsig-bridge
 * waits for room.
 */
static pthread_mutex_t take_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  _Atomic bool full; /* also read without the lock: is anything held? */
  int sig;
  siginfo_t si;
} held;
/* vsig-bridge's rounds: each takes everything it waits for that is pending. */
static _Atomic uint32_t rounds;
/* vsig-bridge waits for room, which only takers from vsig's queue make. */
static _Atomic bool room_waiting;
static _Atomic bool pokes_lost;

/* Under take_lock: generate what was taken. 1, or -1 held for room. */
static int hand_over(int sig, const siginfo_t *si) {
  if (expected_copy(sig, si))
    return 1;
  vsig_siginfo_t info;
  ksiginfo_to_vsig(si, &info);
  uint64_t thread = si->si_code == SI_TKILL ? vsig__host_self_id() : 0;
  /* Real-time signals keep their values: each takes a queue entry. */
  if (vsig__host_generate(sig, &info, thread, sig >= 32, false) == -EAGAIN) {
    if (si != &held.si) {
      held.sig = sig;
      held.si = *si;
    }
    atomic_store_explicit(&held.full, true, memory_order_relaxed);
    return -1;
  }
  atomic_store_explicit(&held.full, false, memory_order_relaxed);
  return 1;
}

/* Take one signal (held first) under take_lock: 1 taken, 0 nothing pending,
 * -1 a real-time signal waits in held for room in the queue. The lock is held for one
 * signal at a time, so a thread about to wait never waits long for it. */
static int take_one(ksigset_t set, int intr) {
  static const struct timespec zero = {0, 0};
  pthread_mutex_lock(&take_lock);
  int rc;
  if (atomic_load_explicit(&held.full, memory_order_relaxed)) {
    rc = hand_over(held.sig, &held.si);
  } else {
    siginfo_t si;
    int sig = ksig_timedwait(set, &si, &zero);
    if (sig <= 0 || sig == intr) {
      pthread_mutex_unlock(&take_lock);
      if (sig == intr)
        drain_ring();
      return sig > 0;
    }
    rc = hand_over(sig, &si);
  }
  pthread_mutex_unlock(&take_lock);
  return rc;
}

/* Everything pending, in order: true, or false at the queue limit. */
static bool take_pending(ksigset_t set, int intr) {
  for (;;) {
    int rc = take_one(set, intr);
    if (rc <= 0)
      return rc == 0;
  }
}

void bridge_rewatch(void) {
  int tid = atomic_load(&bridge_tid), intr, intr_restart;
  host_async_signals(&intr, &intr_restart);
  /* It waits for the new set from its next round. The interrupt signal is a
   * real-time one, which the kernel refuses (EAGAIN) when the user's
   * RLIMIT_SIGPENDING is used up: vsig-bridge then looks again on its own. */
  if (tid && ksig_tgkill(tid, intr) != 0)
    atomic_store(&pokes_lost, true);
}

static void *bridge_thread(void *arg) {
  (void)arg;
  vsig__host_internal_thread(); /* a callback that runs here is outside any process */
  int intr, intr_restart;
  host_async_signals(&intr, &intr_restart);
  atomic_store(&bridge_tid, host_thread_id());
  drain_ring(); /* what a fork child's thread deferred before this thread was there */
  for (;;) {
    if (atomic_load(&held.full)) {
      atomic_store(&room_waiting, true);
      vsig__host_room_wait(); /* room first; the rest wait in the kernel */
      atomic_store(&room_waiting, false);
    } else {
      /* A lost poke is seen within a second (10 ms once one was lost). */
      static const struct timespec idle = {1, 0}, soon = {0, 10000000};
      siginfo_t si;
      bool lost = atomic_exchange(&pokes_lost, false);
      int sig = ksig_timedwait(mirror_watch_set() | KBIT(intr), &si, lost ? &soon : &idle);
      if (sig == intr) {
        drain_ring();
      } else if (sig > 0) {
        pthread_mutex_lock(&take_lock);
        hand_over(sig, &si);
        pthread_mutex_unlock(&take_lock);
      }
    }
    take_pending(mirror_watch_set(), intr);
    atomic_fetch_add(&rounds, 1);
    ksig_futex_wake(&rounds);
  }
  return NULL;
}

/* The real-time signals in `rt` that were sent to the calling thread alone,
 * one at a time while its own queue still has one: a taker of the process's
 * queue would take vsig-bridge's place there. false at the queue limit. */
static bool take_own(ksigset_t rt, int intr) {
  for (int sig = 32; sig <= 64; sig++) {
    ksigset_t own;
    while ((rt & KBIT(sig)) && ksig_pending_own(&own) && (own & KBIT(sig))) {
      int rc = take_one(KBIT(sig), intr);
      if (rc < 0)
        return false;
      if (rc == 0)
        break;
    }
  }
  return true;
}

void host_bridge_take_pending(void) {
  if (!atomic_load_explicit(&bridge_on, memory_order_relaxed))
    return;
  /* One system call when nothing is pending, the usual case. */
  ksigset_t pending = ksig_pending() & async_set;
  if (!pending && !atomic_load_explicit(&held.full, memory_order_relaxed))
    return;
  int intr, intr_restart;
  host_async_signals(&intr, &intr_restart);
  int tid = atomic_load(&bridge_tid);
  if (!tid || tid == host_thread_id()) {
    /* A fork child's one thread, or vsig-bridge itself (a callback of its
     * asks): the only taker. */
    take_pending(async_set, intr);
    return;
  }
  const ksigset_t standard = KBIT(32) - 1;
  ksigset_t own = 0;
  bool known = ksig_pending_own(&own);
  /* Real-time signals in the process's queue: vsig-bridge takes them, in a
   * round that starts after this look. A few rounds at most: a flood of new
   * ones is not what was pending before. */
  for (int i = 0; i < 4; i++) {
    ksigset_t theirs = pending & mirror_watch_set() & ~standard & ~(known ? own : pending);
    if (!theirs || atomic_load(&held.full) || atomic_load(&room_waiting))
      break;
    uint32_t seen = atomic_load(&rounds);
    ksig_tgkill(tid, intr);
    /* Not while it waits for room, which this thread's taking may make, nor
     * for longer than 100 ms (a callback on vsig-bridge may wait for us). */
    for (int ms = 0; ms < 100 && atomic_load(&rounds) == seen && !atomic_load(&held.full) &&
                     !atomic_load(&room_waiting);
         ms++)
      ksig_futex_wait(&rounds, seen, 1000000);
    pending = ksig_pending() & async_set;
  }
  bool done = take_pending(async_set & standard, intr);
  if (done)
    done = known ? take_own(own & async_set & ~standard, intr)
                 : take_pending(pending & ~standard, intr); /* cannot tell: the order may suffer */
  if (!done) /* vsig-bridge waits for room: never a thread that may make it */
    ksig_tgkill(tid, intr);
}

void bridge_take_now(ksigset_t set) {
  set &= async_set & (KBIT(32) - 1);
  if (!set || host_lock_depth() || !(ksig_pending() & set))
    return;
  int intr, intr_restart;
  host_async_signals(&intr, &intr_restart);
  take_pending(set, intr);
}

void host_bridge_unlocked(void) {
  if (!atomic_load(&bridge_tid))
    drain_ring();
}

/* The calling thread, whose vsig mask is mask, starts following it: what its
 * host mask lets through. */
static ksigset_t start_following(uint64_t mask) {
  ksigset_t open = mirror_start(mask, true);
  if (!mirror_following())
    return 0; /* no direct signals (ThreadSanitizer) */
  ksig_unblock(open);
  mirror_stale_all(false); /* what it blocks now is not stale */
  mirror_opened(open);
  return open;
}

/* The same for the calling thread, if it is a thread of the default process
 * with asynchronous delivery on. */
static void follow_here(void) {
  uint64_t mask;
  if (vsig__host_follows(&mask))
    start_following(mask);
  else if (vsig__host_thread_mask(&mask))
    mirror_stale_all(true); /* asynchronous delivery off */
}

static void follow_set(ksigset_t set);

void host_bridge_before_thread(void) {
  if (!atomic_exchange(&bridge_pending_in_child, 0))
    return;
  /* The child's first new thread: from now on the bridge's signals go to
   * vsig-bridge, and this thread (and the new one) block them again. */
  ksig_block(async_set);
  mirror_stop();
  vsig__host_set_open(0);
  host_thread_spawn(bridge_thread, NULL, "vsig-bridge");
  while (!atomic_load(&bridge_tid))
    sched_yield();
  follow_set(async_set);
  follow_here();
}

static void forget_after_fork(void) {
  /* The child has no vsig-bridge yet: host_bridge_restart starts one. */
  atomic_store(&bridge_tid, 0);
  pthread_mutex_init(&take_lock, NULL);
}

/* The host actions of set follow the default process's. */
static void follow_set(ksigset_t set) {
  for (int sig = 1; sig <= 64; sig++) {
    if (!(set & KBIT(sig)))
      continue;
    uintptr_t h;
    int flags;
    uint64_t mask;
    vsig__host_action_of(sig, &h, &flags, &mask);
    follow(sig, h, flags, mask);
  }
}

static void restart_in_child(void) {
  forget_after_fork();
  mirror_fork_child();
  if (!atomic_load(&bridge_on))
    return;
  /* Its one thread takes every signal itself until it makes a thread (then
   * vsig-bridge starts): its host mask lets through every bridged signal its
   * mask does, and follows the mask at once both ways. */
  atomic_store(&bridge_pending_in_child, 1);
  uint64_t mask;
  ksigset_t open = vsig__host_thread_mask(&mask) ? mirror_start_child(mask, async_set) : async_set;
  ksigset_t cur = ksig_block(0);
  ksig_setmask((cur & ~async_set) | (async_set & ~open));
  mirror_opened(open);
  follow_set(async_set); /* the vsig handlers' flags, for every signal now */
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
  /* The exec rule: what the host process started with ignored starts ignored.
   * A handler someone installed before the bridge (a sanitizer's runtime,
   * another library's constructor) is taken over when the embedder can call
   * host-style handlers (an invoker is set). */
  for (int sig = 1; sig <= 64; sig++) {
    if (!(add & KBIT(sig)))
      continue;
    khandler_t old = KH_DFL;
    int flags = 0;
    ksigset_t mask = 0;
    if (syscall_query_action(sig, &old, &flags, &mask) != 0)
      continue;
    if (old == KH_IGN)
      vsig__host_inherit_ignored(sig);
    else if (old != KH_DFL)
      vsig__host_inherit_handler(sig, (uintptr_t)old, flags, mask);
  }
  sync_set |= add & SYNC_SIGS;
  async_set |= add & ~SYNC_SIGS;
  mirror_add(add & ~SYNC_SIGS);
  mirror_watch(async_set);
  /* Application threads created from now on inherit the block. */
  ksig_block(add & ~SYNC_SIGS);
  ksig_unblock(add & SYNC_SIGS);
  atomic_store(&bridge_on, 1);
  follow_set(add);
  if (!atomic_load(&bridge_tid)) {
    static bool atfork_set;
    if (!atfork_set) {
      pthread_atfork(mirror_fork_begin, mirror_fork_parent, restart_in_child);
      atfork_set = true;
    }
    rc = host_thread_spawn(bridge_thread, NULL, "vsig-bridge");
    if (rc) {
      /* No thread to take them: give the host its signals back as they were. */
      atomic_store(&bridge_on, 0);
      for (int sig = 1; sig <= 64; sig++)
        if (add & KBIT(sig))
          ksig_action(sig, KH_DFL, 0, 0, NULL, NULL);
      ksig_unblock(add);
      sync_set &= ~add;
      async_set &= ~add;
    } else {
      while (!atomic_load(&bridge_tid))
        sched_yield(); /* it takes signals only once it is waiting for them */
    }
  } else {
    ksig_tgkill(atomic_load(&bridge_tid), intr); /* wait for the new ones too */
  }
  if (!rc)
    follow_here();
  pthread_mutex_unlock(&start_lock);
  return rc;
}

uint64_t host_thread_started(uint64_t mask, bool in_default_process, bool async) {
  if (!atomic_load(&bridge_on) || atomic_load(&bridge_pending_in_child))
    return 0;
  bool follow = in_default_process && async;
  ksigset_t open = mirror_start(mask, follow);
  ksig_setmask(async_set & ~open); /* whatever pthread_create gave it */
  mirror_opened(open);
  if (!mirror_following() && in_default_process)
    mirror_stale_all(true);
  return open;
}

uint64_t host_thread_follow(uint64_t mask, bool follow) {
  if (!atomic_load(&bridge_on) || atomic_load(&bridge_pending_in_child))
    return 0;
  if (!follow) {
    mirror_unfollow();
    mirror_stale_all(true);
    return 0;
  }
  return mirror_following() ? vsig__host_open() : start_following(mask);
}

/*
 * While a thread sleeps in a vsig wait its host mask lets the bridge's
 * standard signals through: one sent from outside to this thread alone (tgkill),
 * which vsig-bridge cannot take, then wakes it (the forwarding handler
 * generates it). A process-directed one the kernel gives it instead is
 * forwarded the same way; the sleep is vsig's, so nothing sees EINTR.
 * Standard signals only: real-time ones keep their values and order only if
 * vsig-bridge alone takes them from the kernel. Awake again, its host mask
 * lets through the direct signals its mask does (the lazy unblocking).
 */
bool host_bridge_sleep_begin(uint64_t *saved) {
  if (!atomic_load_explicit(&bridge_on, memory_order_relaxed))
    return false;
  if (!atomic_load(&bridge_tid)) { /* a fork child's one thread: it takes them all */
    if (!mirror_eager())
      return false;
    *saved = ksig_unblock(async_set);
    return true;
  }
  *saved = ksig_unblock(async_set & (KBIT(32) - 1));
  return true;
}

void host_bridge_sleep_end(uint64_t saved) {
  ksigset_t open = mirror_open_now();
  ksig_setmask((saved | async_set) & ~open);
  mirror_opened(open);
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
