/* SPDX-License-Identifier: MIT */
/*
 * Job control: a stop signal's default action stops the whole process, and
 * SIGCONT continues it.
 *
 * A stopped process's threads park at their next safe point (every path into
 * a handler goes through frame_next, which parks first) and in their vsig
 * waits, which do not return while it is stopped. Threads running their own
 * code with asynchronous delivery on are interrupted so that they park at
 * once; code that never reaches a safe point is the embedder's, told through
 * the job-control callback. While stopped nothing is delivered: a signal with
 * a handler waits for the threads, one whose default action ends the process
 * stays pending (only SIGKILL ends a stopped process), as the kernel keeps a
 * stopped process's signals until SIGCONT.
 */
#include "internal.h"

static host_lock_t jc_lock = PTHREAD_MUTEX_INITIALIZER;
static vsig_jobctl_fn jc_fn;
static void *jc_arg;

void jobctl_stop(struct vsig_proc *p, int sig, struct after *a) {
  if (p->is_default && atomic_load_explicit(&vsig__bridge_on, memory_order_relaxed)) {
    a->stop_sig = sig; /* the host process stops, as natively */
    return;
  }
  /* A terminal's stop signals cannot stop a group that no shell controls. */
  if (sig != VSIG_SIGSTOP && atomic_load_explicit(&p->pgrp_orphaned, memory_order_relaxed))
    return;
  if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD || proc_stopped(p))
    return;
  atomic_store(&p->stopped, sig);
  a->jc_seq = ++p->jc_seq;
  struct vsig_thr *self = vsig__tls_self;
  for (struct vsig_thr *t = p->threads; t; t = t->next) {
    atomic_store(&t->attention, 1); /* seq_cst: see deliver_self */
    if (t == self)
      a->deliver_self = 1; /* parks on its way out of vsig */
    else if (t->async && t->state == T_READY && !atomic_exchange(&t->intr_pending, 1))
      /* The restarting interrupt: a host call it stops in resumes afterwards,
       * as after a native stop. */
      host_interrupt(atomic_load_explicit(&t->host_tid, memory_order_relaxed), true);
  }
  a->jc_pid = p->pid;
  a->jc_sig = sig;
}

static void continue_proc(struct vsig_proc *p, struct vsig_thr *self, struct after *a) {
  atomic_store(&p->stopped, 0);
  for (struct vsig_thr *t = p->threads; t; t = t->next) {
    atomic_store(&t->attention, 1);
    host_event_signal(&t->ev);
  }
  /* What came while it was stopped goes to its threads now (or, with none,
   * takes its default action). */
  uint64_t pend = atomic_load_explicit(&p->pending.set, memory_order_relaxed);
  while (pend) {
    int sig = lowest_sig(pend);
    pend &= ~SIGBIT(sig);
    proc_distribute(p, sig, self && self->proc == p ? self : NULL, a);
  }
  for (struct vsig_thr *t = p->threads; t; t = t->next) {
    uint64_t tp = atomic_load_explicit(&t->tpending.set, memory_order_relaxed) & ~load_mask(t);
    while (tp) {
      int sig = lowest_sig(tp);
      tp &= ~SIGBIT(sig);
      uintptr_t h = handler_of(p, sig);
      if (h == H_DFL && !dfl_discards(sig)) {
        proc_terminate(p, sig, a);
        return;
      }
      if (h != H_DFL && t != self)
        thread_notify(t, sig);
    }
  }
  a->jc_pid = p->pid;
  a->jc_sig = VSIG_SIGCONT;
  a->jc_seq = ++p->jc_seq;
}

void jobctl_generated(struct vsig_proc *p, int sig, struct after *a) {
  if (sig == VSIG_SIGCONT) {
    for (uint64_t s = STOP_SIGNALS; s; s &= s - 1)
      discard_everywhere(p, lowest_sig(s));
    if (proc_stopped(p) && atomic_load_explicit(&p->state, memory_order_relaxed) != P_DEAD)
      continue_proc(p, vsig__tls_self, a);
  } else if (STOP_SIGNALS & SIGBIT(sig)) {
    discard_everywhere(p, VSIG_SIGCONT);
  }
}

bool jobctl_park_slow(struct vsig_thr *t) {
  struct vsig_proc *p = t->proc;
  bool slept = false;
  while (proc_stopped(p) && atomic_load_explicit(&p->state, memory_order_relaxed) != P_DEAD) {
    uint32_t token = host_event_prepare(&t->ev);
    host_unlock(&p->lock);
    host_event_wait(&t->ev, token, -1, false);
    host_lock(&p->lock);
    slept = true;
  }
  return slept;
}

void vsig_set_jobctl_callback(vsig_jobctl_fn fn, void *arg) {
  host_lock(&jc_lock);
  jc_fn = fn;
  jc_arg = arg;
  host_unlock(&jc_lock);
}

/* The parent learns of it through SIGCHLD and its waits (unless SA_NOCLDSTOP),
 * then the embedder through its callback. Reports can reach here out of order
 * (two senders racing): one older than the last applied is dropped. */
void jobctl_report_locked(struct vsig_proc *p, int sig, uint32_t seq, struct after *a) {
  if (p->exit_done || (int32_t)(seq - p->jc_reported) <= 0)
    return;
  p->jc_reported = seq;
  if (sig == VSIG_SIGCONT) {
    p->chld_cont = true;
    p->chld_stop = 0;
    chld_notify(p, VSIG_CLD_CONTINUED, VSIG_SIGCONT, a);
  } else {
    p->chld_stop = sig;
    p->chld_cont = false;
    chld_notify(p, VSIG_CLD_STOPPED, sig, a);
  }
}

/* One caller at a time per process runs the callback, for the latest state,
 * and again while it changed meanwhile: the embedder sees the process's
 * states in order, a quick stop and continue possibly folded into none. */
void jobctl_callback(struct vsig_proc *p, int sig, uint32_t seq) {
  host_lock(&jc_lock);
  if ((int32_t)(seq - p->jc_want_seq) > 0) {
    p->jc_want_seq = seq;
    p->jc_want = sig == VSIG_SIGCONT ? 0 : sig;
  }
  if (p->jc_calling) {
    host_unlock(&jc_lock); /* the caller in progress takes it */
    return;
  }
  p->jc_calling = true;
  while (p->jc_want != p->jc_told && !p->exit_done &&
         atomic_load_explicit(&p->state, memory_order_relaxed) != P_DEAD) {
    int want = p->jc_want;
    p->jc_told = want;
    vsig_jobctl_fn fn = jc_fn;
    void *arg = jc_arg;
    host_unlock(&jc_lock);
    if (fn)
      fn(p->pid, want != 0, want ? want : VSIG_SIGCONT, arg);
    host_lock(&jc_lock);
  }
  p->jc_calling = false;
  host_unlock(&jc_lock);
}

void jobctl_report(vsig_pid_t pid, int sig, uint32_t seq) {
  struct after a = {0};
  reg_lock();
  struct vsig_proc *p = reg_find_proc(pid);
  if (p) {
    jobctl_report_locked(p, sig, seq, &a);
    reg_pin(p); /* for the callback, run without the lock */
  }
  reg_unlock();
  after_run(vsig__tls_self, &a);
  if (!p)
    return;
  jobctl_callback(p, sig, seq);
  reg_lock();
  if (reg_unpin(p))
    proc_free(p);
  reg_unlock();
}

static int api_proc_stopped(vsig_pid_t pid, int *stopped) {
  if (!stopped)
    return EINVAL;
  vsig__init();
  reg_lock();
  struct vsig_proc *p = proc_lookup(pid);
  if (p)
    *stopped = proc_stopped(p);
  reg_unlock();
  return p ? 0 : ESRCH;
}

int vsig_proc_stopped(vsig_pid_t pid, int *stopped) {
  API_ENTER();
  int rc = api_proc_stopped(pid, stopped);
  api_leave();
  return rc;
}
