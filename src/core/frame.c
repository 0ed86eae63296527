/* SPDX-License-Identifier: MIT */
/* Running handlers as the kernel runs signal frames. */
#include "internal.h"

_Atomic(vsig_invoke_fn) vsig__invoker;

void vsig_set_invoker(vsig_invoke_fn fn) { atomic_store(&vsig__invoker, fn); }

/* The handler is the program's own code: while it runs the thread is outside
 * vsig (asynchronous delivery may nest frames on it), and the host context
 * goes to it alone, not to frames that its own vsig calls deliver. */
static void call_handler(const struct frame *f, vsig_siginfo_t *info) {
  unsigned depth = vsig__tls_depth;
  void *uctx = vsig__tls_uctx;
  vsig__tls_depth = 0;
  vsig__tls_uctx = NULL;
  vsig_invoke_fn inv = atomic_load_explicit(&vsig__invoker, memory_order_acquire);
  if (inv) {
    vsig_sigaction_t act = {
        .sa_handler = (vsig_handler_t)f->handler, .sa_mask = {f->amask}, .sa_flags = f->flags};
    inv(f->sig, &act, info, uctx);
  } else if (f->flags & VSIG_SA_SIGINFO) {
    ((vsig_sigaction_fn)f->handler)(f->sig, info, uctx);
  } else {
    ((vsig_handler_t)f->handler)(f->sig);
  }
  vsig__tls_depth = depth;
  vsig__tls_uctx = uctx;
}

/* The signal the kernel would deliver first: a synchronous one, else the lowest. */
static int next_sig(uint64_t avail) {
  uint64_t sync = avail & SYNCHRONOUS_SIGNALS;
  return lowest_sig(sync ? sync : avail);
}

/* Take the next signal that has a handler to run on t, discarding ignored ones
 * on the way. 1 with *f filled, 0 if none is deliverable, -ECANCELED if the
 * process is (or is now) terminated. No lock held. */
static int frame_next(struct vsig_thr *t, struct frame *f) {
  struct vsig_proc *p = t->proc;
  for (;;) {
    host_lock(&p->lock);
    jobctl_park(t); /* a stopped process runs no handler */
    if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD) {
      host_unlock(&p->lock);
      return -ECANCELED;
    }
    uint64_t avail = thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed));
    if (!avail) {
      atomic_store_explicit(&t->attention, 0, memory_order_relaxed);
      host_unlock(&p->lock);
      return 0;
    }
    int sig = next_sig(avail);
    thread_take(t, sig, &f->info);
    f->trace_id = trace_take_id(&f->info, &f->trace_sender);
    /* Whether more is deliverable: a frame's nested check looks at this. */
    atomic_store_explicit(
        &t->attention,
        thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed)) != 0,
        memory_order_relaxed);
    struct action *ac = action_of(p, sig);
    uintptr_t h = atomic_load_explicit(&ac->handler, memory_order_relaxed);
    f->sig = sig;
    f->handler = h;
    f->amask = atomic_load_explicit(&ac->mask, memory_order_relaxed);
    f->flags = atomic_load_explicit(&ac->flags, memory_order_relaxed);
    struct after a = {0};
    if (h == H_IGN || (h == H_DFL && dfl_discarded(p, sig, &a))) {
      if (TRACING()) {
        TRACE_ID(&f->info) = f->trace_id;
        TRACE_SENDER(&f->info) = f->trace_sender;
        trace_discard(p, t, sig, &f->info,
                      h == H_IGN ? VSIG_TRACE_DISCARD_IGNORED : VSIG_TRACE_DISCARD_DEFAULT);
      }
      host_unlock(&p->lock);
      after_run(NULL, &a);
      continue;
    }
    if (h == H_DFL) {
      proc_terminate(p, sig, &a);
      host_unlock(&p->lock);
      after_run(NULL, &a);
      return -ECANCELED;
    }
    if (f->flags & VSIG_SA_RESETHAND) {
      vsig_sigaction_t dfl = {.sa_handler = VSIG_SIG_DFL,
                              .sa_mask = {f->amask},
                              .sa_flags = f->flags & ~VSIG_SA_SIGINFO};
      (void)action_write(p, sig, &dfl); /* never fails: sig was caught */
    }
    host_unlock(&p->lock);
    return 1;
  }
}

/* Is anything perhaps deliverable under mask? Clears attention first (seq_cst,
 * as senders publish then set it), so a signal it misses leaves attention set
 * for the next safe point. */
static bool maybe_deliverable(struct vsig_thr *t, uint64_t mask) {
  if (!atomic_load_explicit(&t->attention, memory_order_relaxed))
    return false;
  atomic_store(&t->attention, 0);
  if ((pending_for(t) & ~mask) || atomic_load(&t->proc->state) == P_DEAD || proc_stopped(t->proc)) {
    atomic_store_explicit(&t->attention, 1, memory_order_relaxed);
    return true;
  }
  return false;
}

/* Frames for every signal deliverable under the current mask, each returning
 * to the mask it found; the first returns to restore. */
static int deliver_frames(struct vsig_thr *t, uint64_t restore, bool first_restores,
                          bool *restart) {
  int ran = 0;
  bool all_restart = true;
  for (;;) {
    if (ran && !maybe_deliverable(t, atomic_load_explicit(&t->mask, memory_order_relaxed)))
      break;
    struct frame f;
    int rc = frame_next(t, &f);
    if (rc < 0)
      return rc;
    if (rc == 0)
      break;
    uint64_t back = atomic_load_explicit(&t->mask, memory_order_relaxed);
    if (!ran && first_restores) {
      back = restore;
    } else if (!ran && t->swap_on) {
      back = t->swap_restore; /* the temporary mask ends with this handler */
      t->swap_on = false;
    }
    rc = run_frame(t, &f, back);
    if (rc < 0)
      return rc;
    ran++;
    if (!(f.flags & VSIG_SA_RESTART))
      all_restart = false;
    if (rc > 0) {
      /* Restoring the mask unblocked something: look with the lock. */
      atomic_store_explicit(&t->attention, 1, memory_order_relaxed);
    }
  }
  if (restart)
    *restart = all_restart;
  return ran;
}

int run_frame(struct vsig_thr *t, struct frame *f, uint64_t restore) {
  uint64_t cur = atomic_load_explicit(&t->mask, memory_order_relaxed);
  uint64_t hmask = cur | f->amask | ((f->flags & VSIG_SA_NODEFER) ? 0 : SIGBIT(f->sig));
  mask_enter_frame(t, hmask);
  t->in_handler++;
  /* Signals still deliverable under the handler mask would get their frames on
   * top of this one, so their handlers run first. */
  if (maybe_deliverable(t, hmask)) {
    int rc = deliver_frames(t, 0, false, NULL);
    if (rc < 0) {
      t->in_handler--;
      return rc;
    }
  }
  bool traced = TRACING(); /* a return event for each deliver event */
  if (traced)
    trace_deliver(t, f);
  call_handler(f, &f->info);
  if (traced)
    trace_return(t, f);
  t->in_handler--;
  return mask_restore_self(t, restore) ? 1 : 0;
}

int deliver_self(struct vsig_thr *t, bool *restart) { return deliver_frames(t, 0, false, restart); }

int deliver_self_restoring(struct vsig_thr *t, uint64_t restore, bool *restart) {
  return deliver_frames(t, restore, true, restart);
}
