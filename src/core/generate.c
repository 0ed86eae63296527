/* SPDX-License-Identifier: MIT */
/* Generation: the checks every send makes, and putting an instance where it
 * belongs (a process or thread queue, or straight to a waiter). */
#include "internal.h"

void proc_send_inst(struct vsig_proc *p, int sig, struct inst *in, struct vsig_thr *self,
                    struct after *a) {
  if (sigq_put(p, &p->pending, sig, in))
    proc_distribute(p, sig, self, a);
  else if (TRACING())
    trace_discard(p, NULL, sig, &in->info, VSIG_TRACE_DISCARD_MERGED);
}

/* The checks every send makes before anything is marked pending: 1 to go on
 * with *in ready, 0 to drop the signal, or -EAGAIN (nothing changed). t is
 * the target thread, NULL for the process. */
static int prepare(struct vsig_proc *p, struct vsig_thr *t, struct sigq *target, int sig,
                   const vsig_siginfo_t *info, bool queued, struct inst *in, struct after *a) {
  int why;
  if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD) {
    why = VSIG_TRACE_DISCARD_ZOMBIE; /* a zombie accepts and drops signals */
    goto drop;
  }
  if (sig_is_jobctl(sig))
    jobctl_generated(p, sig, a); /* whatever the action or mask */
  if (handler_of(p, sig) == H_IGN) {
    why = VSIG_TRACE_DISCARD_IGNORED; /* step 1 */
    goto drop;
  }
  in->n = NULL;
  if (sig_is_rt(sig)) {
    int rc = queue_reserve(p, in, queued);
    if (rc)
      return rc;
  } else if (atomic_load_explicit(&target->set, memory_order_relaxed) & SIGBIT(sig)) {
    why = VSIG_TRACE_DISCARD_MERGED; /* a standard signal has one pending instance */
    goto drop;
  }
  in->info = *info;
  return 1;
drop:
  if (TRACING())
    trace_generate_discard(p, t, sig, info, why);
  return 0;
}

int proc_send(struct vsig_proc *p, int sig, const vsig_siginfo_t *info, bool queued,
              struct vsig_thr *self, struct after *a) {
  struct inst in;
  int rc = prepare(p, NULL, &p->pending, sig, info, queued, &in, a);
  if (rc > 0) {
    if (TRACING()) {
      vsig__trace_cause = trace_generate(p, NULL, sig, &in.info);
      proc_send_inst(p, sig, &in, self, a);
      vsig__trace_cause = 0;
    } else {
      proc_send_inst(p, sig, &in, self, a);
    }
  }
  return rc < 0 ? rc : 0;
}

void thread_send_inst(struct vsig_thr *t, int sig, struct inst *in, struct vsig_thr *self,
                      struct after *a) {
  struct vsig_proc *p = t->proc;
  const uint64_t bit = SIGBIT(sig);
  if (t->state == T_SIGWAIT && (t->waitset & bit) && !proc_stopped(p)) {
    if (in->n && in->n->kind == QN_TIMER)
      timer_node_taken(in->n, &in->info); /* a timer's siginfo is made when taken */
    handoff(t, sig, in);
    return;
  }
  if (!sigq_put(p, &t->tpending, sig, in)) {
    if (TRACING())
      trace_discard(p, t, sig, &in->info, VSIG_TRACE_DISCARD_MERGED);
    return;
  }
  if (load_mask(t) & bit)
    return; /* blocked: stays pending on the thread */
  uintptr_t h = handler_of(p, sig);
  if (h == H_DFL) {
    if (dfl_discarded(p, sig, a)) {
      if (TRACING())
        trace_discard_queue(p, t, &t->tpending, sig, VSIG_TRACE_DISCARD_DEFAULT);
      sigq_drop_sig(p, &t->tpending, sig);
    } else if (!proc_stopped(p) || sig == VSIG_SIGKILL) {
      proc_terminate(p, sig, a); /* a stopped process keeps it for SIGCONT */
    }
    return;
  }
  if (t == self) {
    atomic_store(&t->attention, 1); /* seq_cst: see deliver_self */
    a->deliver_self = 1;
  } else {
    thread_notify(t, sig);
  }
}

int thread_send(struct vsig_thr *t, int sig, const vsig_siginfo_t *info, bool queued,
                struct vsig_thr *self, struct after *a) {
  struct inst in;
  int rc = prepare(t->proc, t, &t->tpending, sig, info, queued, &in, a);
  if (rc > 0) {
    if (TRACING())
      trace_generate(t->proc, t, sig, &in.info);
    thread_send_inst(t, sig, &in, self, a);
  }
  return rc < 0 ? rc : 0;
}

/* Removing an instance from the process queue (a deleted timer's) may leave
 * more claims than instances: take the surplus back from some claimants. */
void proc_pending_shrunk(struct vsig_proc *p, int sig) {
  for (struct vsig_thr *t = p->threads; t && proc_claimed(p, sig) > pending_count(p, sig);
       t = t->next)
    if (thread_claims(t, sig))
      claims_dec(t, sig, 1);
}
