/* SPDX-License-Identifier: MIT */
/* Masks: the owner changes its own without a lock; claims on signals it
 * blocks go back to the process. */
#include "internal.h"

static void unclaim_blocked(struct vsig_thr *t, uint64_t blocked, struct after *a) {
  uint64_t b = atomic_load(&t->claimed_set) & blocked;
  while (b) {
    int sig = lowest_sig(b);
    b &= ~SIGBIT(sig);
    thread_unclaim(t, sig, a);
  }
}

void mask_set_locked(struct vsig_thr *t, uint64_t mask, struct after *a) {
  mask &= ~UNBLOCKABLE;
  atomic_store(&t->mask, mask);
  unclaim_blocked(t, mask, a);
  thread_recompute_attention(t);
  if (atomic_load_explicit(&t->attention, memory_order_relaxed))
    a->deliver_self = 1;
}

/* Out of line: the fast path (nothing claimed is blocked) stays small. */
static __attribute__((noinline)) void give_back(struct vsig_thr *t, uint64_t blocked) {
  struct after a = {0};
  host_lock(&t->proc->lock);
  unclaim_blocked(t, blocked, &a);
  host_unlock(&t->proc->lock);
  a.deliver_self = 0;
  after_run(t, &a);
}

/* After the store: a host handler that runs in between sees the new mask
 * and keeps the host's in step with it on its return. close: what the mask
 * now blocks that the host mask lets through; stale: what it now unblocks
 * that the host mask blocks, not reported yet (the host is told once, until
 * its host mask lets it through). frame_end: a handler's frame ends, so what
 * it unblocks is not the program's own doing. */
static __attribute__((noinline)) void follow_host(struct vsig_thr *t, uint64_t close,
                                                  uint64_t stale, bool frame_end) {
  if (close) {
    host_mask_close(close);
    atomic_fetch_and_explicit(&t->host_open, ~close, memory_order_relaxed);
  }
  if (stale) {
    uint64_t deferred = 0;
    t->host_stale |= (uint32_t)host_mask_stale(stale, frame_end, &deferred);
    t->host_deferred |= (uint32_t)deferred;
  }
}

void mask_host_undefer(struct vsig_thr *t, uint64_t mask) {
  uint64_t bits = t->host_deferred & ~mask;
  t->host_deferred = 0;
  if (bits)
    host_mask_open(bits);
}

static inline bool mask_set(struct vsig_thr *t, uint64_t mask, bool frame_end) {
  mask &= ~UNBLOCKABLE;
  uint64_t old = atomic_load_explicit(&t->mask, memory_order_relaxed);
  if (mask == old)
    return false;
  atomic_store(&t->mask, mask); /* seq_cst: pairs with the sender's reload */
  uint64_t follow = t->host_follow;
  if (follow) {
    uint64_t open = atomic_load_explicit(&t->host_open, memory_order_relaxed);
    uint64_t close = mask & open, stale = old & ~mask & follow & ~open & ~(uint64_t)t->host_stale;
    if (close | stale)
      follow_host(t, close, stale, frame_end);
  }
  uint64_t blocked = mask & ~old;
  if (blocked && (atomic_load(&t->claimed_set) & blocked))
    give_back(t, blocked);
  return (old & ~mask) && (pending_for(t) & ~mask);
}

bool mask_set_self(struct vsig_thr *t, uint64_t mask) { return mask_set(t, mask, false); }

bool mask_restore_self(struct vsig_thr *t, uint64_t mask) { return mask_set(t, mask, true); }

bool mask_enter_frame(struct vsig_thr *t, uint64_t mask) {
  if (!t->host_follow)
    return mask_set(t, mask, false);
  bool r = mask_set(t, mask, false);
  if (t->host_deferred)
    mask_host_undefer(t, mask & ~UNBLOCKABLE);
  return r;
}
