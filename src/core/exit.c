/* SPDX-License-Identifier: MIT */
/*
 * A process's end as its parent sees it: the zombie that a wait collects, the
 * SIGCHLD that announces it, and the callbacks owed to the embedder.
 */
#include "internal.h"

void child_waiters_wake(struct vsig_proc *p) {
  host_lock(&p->lock);
  for (struct vsig_thr *t = p->threads; t; t = t->next)
    if (t->child_wait)
      host_event_signal(&t->ev);
  host_unlock(&p->lock);
}

/* Registry lock held. Sent from the kernel, as it were: no permission check,
 * si_pid and si_uid are the child's. */
void chld_notify(struct vsig_proc *c, int code, int status, struct after *a) {
  struct vsig_proc *par = c->parent;
  if (!par)
    return;
  host_lock(&par->lock);
  uintptr_t h = handler_of(par, VSIG_SIGCHLD);
  int flags = atomic_load_explicit(&action_of(par, VSIG_SIGCHLD)->flags, memory_order_relaxed);
  bool ended = code == VSIG_CLD_EXITED || code == VSIG_CLD_KILLED || code == VSIG_CLD_DUMPED;
  bool send = h != H_IGN && (ended || !(flags & VSIG_SA_NOCLDSTOP));
  if (send) {
    vsig_siginfo_t info = {0};
    info.si_signo = VSIG_SIGCHLD;
    info.si_code = code;
    info.si_pid = c->pid;
    info.si_uid = atomic_load_explicit(&c->uid, memory_order_relaxed);
    info.si_status = status;
    /* No sending thread: a thread of the parent that takes it while inside
     * vsig runs the handler as the call returns (thread_notify). */
    proc_send(par, VSIG_SIGCHLD, &info, false, NULL, a);
  }
  /* No zombie for a parent that ignores SIGCHLD or set SA_NOCLDWAIT. */
  bool autoreap = ended && (h == H_IGN || (flags & VSIG_SA_NOCLDWAIT));
  host_unlock(&par->lock);
  if (autoreap) {
    c->reaped = true;
    tree_unlink(c);
    if (!c->nthreads)
      proc_remove(c);
  }
  child_waiters_wake(par);
}

static void end_status(const struct vsig_proc *p, int *code, int *status) {
  if (p->term_sig) {
    *code = sig_default(p->term_sig) == DFL_CORE ? VSIG_CLD_DUMPED : VSIG_CLD_KILLED;
    *status = p->term_sig;
  } else {
    *code = VSIG_CLD_EXITED;
    *status = p->exit_code;
  }
}

void exit_report_zombie(struct vsig_proc *p, struct after *a) {
  int code, status;
  end_status(p, &code, &status);
  chld_notify(p, code, status, a);
}

void exit_notify(struct vsig_proc *p, struct after *a) {
  if (p->exit_done)
    return;
  p->exit_done = true;
  p->chld_stop = 0;
  p->chld_cont = false;
  pgrp_recount(p, true); /* an ended member links its group to no shell */
  tree_reparent(p, a);
  exit_report_zombie(p, a);
}

void proc_remove(struct vsig_proc *p) {
  timers_proc_stop(p);
  tree_detach(p);
  pgrp_leave(p);
  reg_del_proc(p);
  proc_forget_default(p);
  if (!p->pins)
    proc_free(p);
  /* else a walk holds it; the last unpin frees it */
}

/* ---- notes ----------------------------------------------------------------------- */

static struct vsig_proc *notes_head, *notes_tail;
/* Posted and not yet taken: every after_run looks, without the lock. */
_Atomic int vsig__notes_count;

void note_post(struct vsig_proc *p, bool dead, int jc_sig, uint32_t jc_seq) {
  if (dead) {
    p->note_dead = true;
    p->todo_dead = true;
  }
  if (jc_sig && (!p->todo_jc || (int32_t)(jc_seq - p->todo_jc_seq) > 0)) {
    p->todo_jc = jc_sig;
    p->todo_jc_seq = jc_seq;
  }
  if (jc_sig && (!p->note_jc || (int32_t)(jc_seq - p->note_jc_seq) > 0)) {
    p->note_jc = jc_sig;
    p->note_jc_seq = jc_seq;
  }
  if (p->note_posted)
    return;
  p->note_posted = true;
  atomic_fetch_add_explicit(&vsig__notes_count, 1, memory_order_relaxed);
  reg_pin(p);
  p->note_next = NULL;
  if (notes_tail)
    notes_tail->note_next = p;
  else
    notes_head = p;
  notes_tail = p;
}

/* Registry lock held. SIGCHLD is sent with no sending thread, so nothing
 * is left for an after. */
static void note_parent(struct vsig_proc *p) {
  struct after a = {0};
  if (p->todo_dead) {
    p->todo_dead = false;
    p->todo_jc = 0;
    exit_notify(p, &a);
  } else if (p->todo_jc) {
    int sig = p->todo_jc;
    p->todo_jc = 0;
    if (!p->destroyed)
      jobctl_report_locked(p, sig, p->todo_jc_seq, &a);
  }
}

/* Right after a walk, so that its caller (a terminate callback, say) finds
 * the ends it caused waitable at once. */
void notes_parent_part(void) {
  for (struct vsig_proc *p = notes_head; p; p = p->note_next)
    note_parent(p);
}

void notes_reset(void) {
  notes_head = notes_tail = NULL;
  atomic_store(&vsig__notes_count, 0);
}

/* One drain per thread at a time: a callback's own vsig calls leave the notes
 * after theirs to the loop below, so callbacks run in the order posted. */
static _Thread_local int draining;

void notes_drain(void) {
  /* A note is posted before the lock its poster holds is dropped, and the
   * poster drains after: it sees its own. */
  if (draining || !atomic_load_explicit(&vsig__notes_count, memory_order_relaxed))
    return;
  draining = 1;
  for (;;) {
    reg_lock();
    struct vsig_proc *p = notes_head;
    if (!p) {
      reg_unlock();
      draining = 0;
      return;
    }
    notes_head = p->note_next;
    if (!notes_head)
      notes_tail = NULL;
    p->note_posted = false;
    atomic_fetch_sub_explicit(&vsig__notes_count, 1, memory_order_relaxed);
    note_parent(p);
    vsig_pid_t pid = p->pid;
    bool dead = p->note_dead;
    int sig = p->term_sig, jc = p->note_jc;
    uint32_t jc_seq = p->note_jc_seq;
    bool is_default = p->is_default;
    p->note_dead = false;
    p->note_jc = 0;
    reg_unlock();
    /* p stays pinned until its callbacks have run. */
    if (jc)
      jobctl_callback(p, jc, jc_seq);
    if (dead && sig)
      proc_dead_callback(pid, sig, is_default);
    else if (dead)
      timers_proc_dead(pid); /* an exit: no terminate callback */
    reg_lock();
    if (reg_unpin(p))
      proc_free(p);
    reg_unlock();
  }
}

/* ---- vsig_proc_exit ---------------------------------------------------------------- */

static int api_proc_exit(vsig_pid_t pid, int status) {
  vsig__init();
  struct after a = {0};
  reg_lock();
  struct vsig_proc *p = proc_lookup(pid);
  if (!p) {
    reg_unlock();
    return ESRCH;
  }
  host_lock(&p->lock);
  proc_end(p, 0, status, &a);
  host_unlock(&p->lock);
  reg_unlock();
  after_run(vsig__tls_self, &a);
  return 0;
}

int vsig_proc_exit(vsig_pid_t pid, int status) {
  API_ENTER();
  int rc = api_proc_exit(pid, status);
  api_leave();
  return rc;
}
