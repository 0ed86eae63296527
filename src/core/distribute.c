/* SPDX-License-Identifier: MIT */
/*
 * Distribution: which thread gets a process-directed signal.
 *
 * A process-directed signal is put in the process's pending queue; then
 * proc_distribute picks a recipient for each instance by the RTEMS algorithm:
 *   1. ignored: discarded at generation (proc_send);
 *   2. the sending thread, if it is in the process and has it unblocked;
 *   3. the highest-priority thread in the sigwait family waiting for it;
 *   4. the highest-priority thread with it unblocked: ready before blocked
 *      in an interruptible call before blocked in a non-interruptible one;
 *   5. otherwise it stays pending, for the first thread to unblock or wait.
 * Ties (same priority, same state) go to the thread that entered its state first.
 *
 * A waiter (step 3) is handed the oldest instance at once. A thread chosen in
 * step 2 or 4 gets a claim: the promise of one instance, which it takes (again
 * the oldest) at its next safe point. Instances never leave the process queue
 * before they are taken, so every taker gets the oldest one and real-time
 * signals keep their FIFO order across threads. A thread that blocks a signal
 * it holds claims on gives them back, and they are handed on again.
 */
#include "internal.h"

uint64_t thread_takeable(struct vsig_thr *t, uint64_t mask) {
  struct vsig_proc *p = t->proc;
  uint64_t out = atomic_load_explicit(&t->tpending.set, memory_order_relaxed) & ~mask;
  uint64_t pp = atomic_load_explicit(&p->pending.set, memory_order_relaxed) & ~mask & ~out;
  while (pp) {
    int sig = lowest_sig(pp);
    pp &= ~SIGBIT(sig);
    if (thread_claims(t, sig) || unclaimed(p, sig))
      out |= SIGBIT(sig);
  }
  return out;
}

bool thread_take(struct vsig_thr *t, int sig, vsig_siginfo_t *info) {
  struct vsig_proc *p = t->proc;
  struct inst in;
  if (sigq_take(p, &t->tpending, sig, &in)) {
    /* thread-directed first */
  } else if (thread_claims(t, sig) || unclaimed(p, sig)) {
    if (!sigq_take(p, &p->pending, sig, &in))
      return false;
    if (thread_claims(t, sig))
      claims_dec(t, sig, 1);
  } else {
    return false;
  }
  *info = in.info;
  queue_release(p, &in);
  return true;
}

static int state_rank(enum thr_state s) {
  switch (s) {
  case T_READY:
    return 0;
  case T_SIGWAIT:
  case T_INTR:
    return 1;
  default:
    return 2;
  }
}

/* Is a a better recipient than b (b may be NULL)? */
static bool better(struct vsig_thr *a, struct vsig_thr *b, bool by_state) {
  if (!b)
    return true;
  if (a->priority != b->priority)
    return a->priority > b->priority;
  if (by_state && state_rank(a->state) != state_rank(b->state))
    return state_rank(a->state) < state_rank(b->state);
  return a->state_since < b->state_since;
}

static struct vsig_thr *best_waiter(struct vsig_proc *p, int sig) {
  struct vsig_thr *best = NULL;
  for (struct vsig_thr *t = p->threads; t; t = t->next)
    if (t->state == T_SIGWAIT && (t->waitset & SIGBIT(sig)) && better(t, best, false))
      best = t;
  return best;
}

static struct vsig_thr *best_unblocked(struct vsig_proc *p, int sig) {
  struct vsig_thr *best = NULL;
  for (struct vsig_thr *t = p->threads; t; t = t->next)
    if (!(load_mask(t) & SIGBIT(sig)) && better(t, best, true))
      best = t;
  return best;
}

/* A sigwait-family waiter takes the instance directly: it is no longer pending
 * anywhere, so no other thread can take it too. */
void handoff(struct vsig_thr *w, int sig, struct inst *in) {
  cinfo_pack(&w->wait_info, &in->info);
  queue_release(w->proc, in);
  w->waitset = 0;
  set_state(w, T_READY);
  atomic_store_explicit(&w->wait_sig, sig, memory_order_release);
  host_event_signal(&w->ev);
}

void thread_unclaim(struct vsig_thr *t, int sig, struct after *a) {
  uint32_t n = thread_claims(t, sig);
  if (n) {
    claims_dec(t, sig, n);
    proc_distribute(t->proc, sig, t, a);
  }
}

void proc_distribute(struct vsig_proc *p, int sig, struct vsig_thr *self, struct after *a) {
  const uint64_t bit = SIGBIT(sig);
  struct inst in;
  while (unclaimed(p, sig) > 0) {
    if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD)
      return;
    struct vsig_thr *t = NULL;
    int step = VSIG_TRACE_CHOSE_SENDER;
    if (self && self->proc == p && !(load_mask(self) & bit)) {
      t = self;
    } else {
      /* A stopped process's waiters take it when continued. */
      struct vsig_thr *w = proc_stopped(p) ? NULL : best_waiter(p, sig);
      if (w) {
        if (TRACING())
          trace_choose(p, sig, w, VSIG_TRACE_CHOSE_WAITER);
        sigq_take(p, &p->pending, sig, &in);
        handoff(w, sig, &in);
        continue;
      }
      t = best_unblocked(p, sig);
      step = VSIG_TRACE_CHOSE_UNBLOCKED;
    }
    uintptr_t h = handler_of(p, sig);
    /* Step 5: it stays pending, unless the process has no threads at all:
     * then nothing blocks it and its default action is taken at once. */
    if (!t && (p->threads || h != H_DFL)) {
      if (TRACING())
        trace_choose(p, sig, NULL, VSIG_TRACE_CHOSE_NONE);
      return;
    }
    if (h == H_IGN || (h == H_DFL && dfl_discarded(p, sig, a))) {
      sigq_take(p, &p->pending, sig, &in);
      if (TRACING())
        trace_discard(p, NULL, sig, &in.info,
                      h == H_IGN ? VSIG_TRACE_DISCARD_IGNORED : VSIG_TRACE_DISCARD_DEFAULT);
      queue_release(p, &in);
      continue;
    }
    if (TRACING() && t)
      trace_choose(p, sig, t, step);
    if (h == H_DFL) {
      if (proc_stopped(p) && sig != VSIG_SIGKILL)
        return; /* only SIGKILL ends a stopped process; the rest wait for SIGCONT */
      proc_terminate(p, sig, a);
      return;
    }
    claims_inc(t, sig);
    if (load_mask(t) & bit) {
      /* t blocked it after we chose it, and may not have seen the claim. */
      claims_dec(t, sig, thread_claims(t, sig));
      continue;
    }
    if (t == self) {
      atomic_store(&t->attention, 1); /* seq_cst: see deliver_self */
      a->deliver_self = 1;
    } else {
      thread_notify(t, sig);
    }
  }
}
