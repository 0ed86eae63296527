/* SPDX-License-Identifier: MIT */
/*
 * Direct signals: a standard signal from outside reaches the thread that
 * takes it in one step, as natively, instead of through vsig-bridge and an
 * interrupt (two wake-ups).
 *
 * For these signals an application thread's host mask follows its vsig mask,
 * so the kernel itself picks a thread that has the signal unblocked; the
 * forwarding handler on that thread generates it with the thread as the
 * recipient and runs the vsig handler right there (bridge.c). The others stay
 * blocked on every application thread and go through vsig-bridge: real-time
 * signals, whose values and order only a single taker keeps; SIGCHLD,
 * SIGURG and SIGWINCH, ignored by default, which must not interrupt a thread
 * that leaves them at the default; and SIGCONT and the stop signals, which
 * act on the whole process.
 *
 * Following a mask costs a system call per change, more than a same-thread
 * path costs in all. So:
 *  - blocking is eager: a vsig mask that blocks a direct signal that the host
 *    mask lets through blocks it there first (host_mask_close, called by the
 *    core), and it then stays blocked, so block/unblock pairs cost nothing
 *    after the first;
 *  - unblocking is lazy: the host mask lets the signal through again when a
 *    host handler returns on the thread (the mask saved in its frame is
 *    rewritten: no system call) or a vsig wait ends. Meanwhile vsig-bridge,
 *    which takes every bridged signal no thread lets through, takes it, and
 *    vsig interrupts the thread for it as before.
 * The kernel never interrupts a thread for a direct signal that thread
 * blocks, so no call sees a spurious EINTR; at worst a signal takes the
 * two-step path.
 *
 * Not under ThreadSanitizer, whose runtime postpones a signal and calls the
 * handler with a copy of its context, where a rewritten mask would be lost.
 */
#include "../host.h"
#include "linux.h"

#include <string.h>
#include <ucontext.h>

static _Atomic ksigset_t direct_set;
/* The signals for which the calling thread's host mask follows its vsig
 * mask (none: it does not follow): the direct signals; in a fork child's one
 * thread (no vsig-bridge yet, eager in both directions), every bridged
 * asynchronous signal. */
static _Thread_local ksigset_t follow_set;
static _Thread_local bool eager;
/* What the kernel blocks for the host handlers running on this thread. */
static _Thread_local ksigset_t handler_blocked;
/* The calling thread is forking: its direct signals stay blocked. */
static _Thread_local bool forking;
static _Thread_local ksigset_t fork_saved;

/*
 * vsig-bridge waits for the bridged signals that no thread lets through,
 * never for one that some thread does: the kernel gives that one to such a
 * thread, and a vsig-bridge waiting for it too would take some of them (the
 * kernel picks any thread that waits). So each following thread counts in
 * open_count what its host mask lets through right now (user_open: what it
 * counted, which mirror_opened keeps the same as the core's host_open), the
 * kernel's blocking while a handler runs included, and vsig-bridge waits for what no thread lets
 * through, as it computes that set at the start of each round.
 *
 * It must wait for a signal at once only when a thread takes it that the
 * kernel cannot reach: one that has unblocked it while its host mask still
 * blocks it (stale_count: the lazy unblocking), or one that does not follow
 * at all (a thread of the default process with asynchronous delivery off,
 * stale for every direct signal). Then whoever makes the count of threads
 * that let a signal through reach 0, or makes a thread stale for a signal
 * that no thread lets through, pokes it. Not otherwise: a direct delivery
 * makes its thread's count reach 0 while the handler runs, and a poke there
 * would cost the delivery a system call and vsig-bridge's wake-up. A stale
 * mark stays until its thread lets the signal through again, even if the
 * thread blocks it meanwhile: at worst one poke too many.
 */
static _Atomic int open_count[32], stale_count[32];
static _Thread_local ksigset_t user_open, stale_bits;
static _Atomic ksigset_t watch_base;

ksigset_t mirror_watch_set(void) {
  ksigset_t open = 0;
  for (int sig = 1; sig < 32; sig++)
    if (atomic_load_explicit(&open_count[sig], memory_order_relaxed) > 0)
      open |= KBIT(sig);
  return atomic_load_explicit(&watch_base, memory_order_relaxed) & ~open;
}

void mirror_watch(ksigset_t base) { atomic_store(&watch_base, base); }

/* The calling thread now lets `open` through, as it runs its own code. */
static void set_user_open(ksigset_t open) {
  ksigset_t up = open & ~user_open, down = user_open & ~open;
  user_open = open;
  bool poke = false;
  for (int sig = 1; sig < 32; sig++) {
    if (up & KBIT(sig))
      atomic_fetch_add(&open_count[sig], 1);
    else if ((down & KBIT(sig)) && atomic_fetch_sub(&open_count[sig], 1) == 1 &&
             atomic_load(&stale_count[sig]) > 0)
      poke = true;
  }
  if (poke)
    bridge_rewatch();
}

/* The calling thread is stale for `set` (or no longer, for `clear`). */
static void set_stale(ksigset_t set, ksigset_t clear) {
  ksigset_t fresh = set & ~stale_bits, gone = clear & stale_bits;
  stale_bits = (stale_bits | fresh) & ~gone;
  bool poke = false;
  for (int sig = 1; sig < 32; sig++) {
    if ((fresh & KBIT(sig)) && atomic_fetch_add(&stale_count[sig], 1) == 0 &&
        atomic_load(&open_count[sig]) == 0)
      poke = true;
    else if (gone & KBIT(sig))
      atomic_fetch_sub(&stale_count[sig], 1);
  }
  if (poke)
    bridge_rewatch();
}

uint64_t host_mask_stale(uint64_t set, bool frame_end, uint64_t *deferred) {
  *deferred = 0;
  if (eager) { /* no vsig-bridge to take them: through at once */
    host_mask_open(set);
    return 0;
  }
  /* A frame ending inside a host handler: its return lets them through, or
   * the start of another frame before it (mask_host_undefer). */
  if (frame_end) {
    *deferred = set & handler_blocked;
    set &= ~handler_blocked;
  }
  ksigset_t fresh = set & ~stale_bits;
  if (!fresh)
    return set;
  set_stale(fresh, 0);
  /* One that no thread lets through may already wait in the kernel: the
   * caller unblocked it, so it is delivered before the call returns. */
  ksigset_t unreached = 0;
  for (int sig = 1; sig < 32; sig++)
    if ((fresh & KBIT(sig)) && atomic_load(&open_count[sig]) == 0)
      unreached |= KBIT(sig);
  if (unreached)
    bridge_take_now(unreached);
  return set;
}

#define NOT_DIRECT                                                                                 \
  (KBIT(SIGCHLD) | KBIT(SIGURG) | KBIT(SIGWINCH) | KBIT(SIGCONT) | KBIT(SIGTSTP) | KBIT(SIGTTIN) | \
   KBIT(SIGTTOU))

void mirror_add(ksigset_t bridged) {
#ifndef HOST_TSAN
  ksigset_t d = bridged & (KBIT(32) - 1) & ~NOT_DIRECT;
  atomic_fetch_or(&direct_set, d);
#else
  (void)bridged;
#endif
}

ksigset_t mirror_direct(void) { return atomic_load_explicit(&direct_set, memory_order_relaxed); }

ksigset_t mirror_start(uint64_t mask, bool follow) {
  ksigset_t d = follow ? mirror_direct() : 0;
  eager = false;
  follow_set = d;
  vsig__host_set_follow(d);
  return d & ~mask;
}

ksigset_t mirror_start_child(uint64_t mask, ksigset_t all) {
  eager = true;
  follow_set = all;
  vsig__host_set_follow(all);
  return all & ~mask;
}

void mirror_opened(ksigset_t open) {
  vsig__host_set_open(open);
  if (follow_set || user_open)
    set_user_open(follow_set ? open : 0);
  if (stale_bits & open)
    set_stale(0, open);
}

void mirror_stale_all(bool all) { set_stale(all ? mirror_direct() : 0, all ? 0 : stale_bits); }

ksigset_t mirror_open_now(void) {
  uint64_t mask;
  if (!follow_set || !vsig__host_thread_mask(&mask))
    return 0;
  return follow_set & ~mask;
}

bool mirror_eager(void) { return eager; }

void mirror_stop(void) {
  eager = false;
  follow_set = 0;
  vsig__host_set_follow(0);
  set_user_open(0);
}

bool mirror_following(void) { return follow_set != 0; }

void host_mask_close(uint64_t set) {
  ksig_block(set);
  if (user_open & set)
    set_user_open(user_open & ~set);
}

void mirror_unfollow(void) {
  if (!follow_set)
    return;
  ksig_block(follow_set);
  vsig__host_set_open(0);
  mirror_stop();
}

void host_thread_leaving(void) {
  mirror_unfollow();
  set_stale(0, stale_bits);
}

/* The kernel blocked `blocked` for the handler it is running: what the thread
 * lets through until the handler returns. */
ksigset_t mirror_enter(ksigset_t blocked) {
  ksigset_t before = handler_blocked;
  uint64_t mask;
  if (follow_set && vsig__host_user_mask(&mask)) {
    handler_blocked |= blocked;
    if (blocked & user_open)
      mirror_opened(user_open & ~blocked);
  }
  return before;
}

void mirror_exit(ksigset_t before) { handler_blocked = before; }

void host_mask_open(uint64_t set) {
  ksig_unblock(set);
  mirror_opened(vsig__host_open() | set);
}

/* The handler returns to the thread's own code: the mask it returns with
 * lets through what the vsig mask does. Inside vsig (a handler that
 * interrupted a vsig wait or call) it stays what the interrupted code set;
 * and in a fork, blocked. */
void mirror_leave(void *ucontext) {
  uint64_t mask;
  if (!follow_set || forking || !ucontext || !vsig__host_user_mask(&mask))
    return;
  ksigset_t d = follow_set, saved;
  ucontext_t *uc = ucontext;
  memcpy(&saved, &uc->uc_sigmask, sizeof saved);
  saved = (saved & ~d) | (d & mask);
  memcpy(&uc->uc_sigmask, &saved, sizeof saved);
  mirror_opened(d & ~mask);
}

/* A signal that the kernel gave the forking thread's child while the fork
 * handlers remake its process would go to a process that is not there yet:
 * the direct ones are blocked across the fork, as all the others are, and no
 * handler that returns in between lets them through again. */
void mirror_fork_begin(void) {
  if (!follow_set)
    return;
  forking = true;
  fork_saved = ksig_block(follow_set);
}

void mirror_fork_parent(void) {
  if (!forking)
    return;
  forking = false;
  ksig_setmask(fork_saved);
}

void mirror_fork_child(void) {
  forking = eager = false;
  follow_set = handler_blocked = 0;
  for (int sig = 1; sig < 32; sig++) {
    atomic_store(&open_count[sig], 0);
    atomic_store(&stale_count[sig], 0);
  }
  user_open = stale_bits = 0;
}
