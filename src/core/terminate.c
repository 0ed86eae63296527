/* SPDX-License-Identifier: MIT */
/* The end of a virtual process: a default action that terminates it, or
 * vsig_proc_exit. */
#include "internal.h"

#include <string.h>

void proc_end(struct vsig_proc *p, int sig, int code, struct after *a) {
  if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD)
    return;
  atomic_store(&p->state, P_DEAD);
  p->term_sig = sig;
  p->exit_code = code & 0xff;
  bool was_stopped = proc_stopped(p);
  atomic_store(&p->stopped, 0);
  if (TRACING()) {
    trace_terminate(p, sig);
    trace_discard_queue(p, NULL, &p->pending, 0, VSIG_TRACE_DISCARD_TERMINATED);
    for (struct vsig_thr *t = p->threads; t; t = t->next)
      trace_discard_queue(p, t, &t->tpending, 0, VSIG_TRACE_DISCARD_TERMINATED);
  }
  sigq_drop_all(p, &p->pending);
  memset(p->rt_claimed, 0, sizeof p->rt_claimed);
  p->std_claimed = 0;
  for (struct vsig_thr *t = p->threads; t; t = t->next) {
    sigq_drop_all(p, &t->tpending);
    memset(t->rt_claims, 0, sizeof t->rt_claims);
    atomic_store(&t->claimed_set, 0);
    atomic_store(&t->attention, 1); /* seq_cst: see deliver_self */
    bool waiting = t->state == T_INTR || t->state == T_SIGWAIT;
    if (was_stopped || waiting)
      host_event_signal(&t->ev); /* parked, or in a vsig wait */
    if (waiting && t->wake_fn)
      t->wake_fn(t->wake_arg); /* in the embedder's call, stopped or not */
  }
  /* What it held is free again, and so is the room it set aside. */
  atomic_fetch_sub_explicit(&p->acct->queued, p->acct_room, memory_order_relaxed);
  p->acct_room = 0;
  a->dead_pid = p->pid;
  a->dead_sig = sig;
  a->dead_default = p->is_default;
}

void proc_terminate(struct vsig_proc *p, int sig, struct after *a) { proc_end(p, sig, 0, a); }
