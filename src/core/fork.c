/* SPDX-License-Identifier: MIT */
/*
 * fork: the child gets its own default process (pid = its host pid) whose only
 * thread is the forking one, with the actions and mask it had and nothing
 * pending, as POSIX says of fork. Everything else of the parent is freed.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void lock_proc(struct vsig_proc *p, void *arg) {
  (void)arg;
  host_lock(&p->lock);
}

static void unlock_proc(struct vsig_proc *p, void *arg) {
  (void)arg;
  host_unlock(&p->lock);
}

static void prepare(void) {
  trace_fork_prepare();
  reg_lock();
  tsvc_lock();
  reg_each_proc(lock_proc, NULL);
  cells_fork_prepare();
}

static void parent(void) {
  cells_fork_parent();
  reg_each_proc(unlock_proc, NULL);
  tsvc_unlock();
  reg_unlock();
  trace_fork_parent();
}

static void free_thread(struct vsig_thr *t, void *self) {
  if (t != self)
    free(t);
}

static void free_proc(struct vsig_proc *p, void *arg) {
  (void)arg;
  host_unlock(&p->lock);
  /* Its cells go with every other one (cells_fork_child). */
  p->pending.head = p->pending.tail = NULL;
  proc_free(p);
}

static void child_rebuild(void);

/* The locks prepare took are released (the processes') or made anew (the
 * registry's, the service's) here: the count of held locks starts again. */
static void child(void) {
  trace_fork_child();
  child_rebuild();
  host_lock_depth_reset();
}

static void child_rebuild(void) {
  struct vsig_thr *self = vsig__tls_self;
  struct vsig_proc *np = NULL;
  bool acts_ok = false;
  if (self) {
    struct vsig_proc *op = self->proc;
    np = proc_new(&op->attr, host_getpid());
    if (np) {
      np->is_default = true;
      /* The forking process's user ids, as they are now. */
      atomic_store(&np->uid, atomic_load(&op->uid));
      atomic_store(&np->euid, atomic_load(&op->euid));
      atomic_store(&np->suid, atomic_load(&op->suid));
      struct uacct *u = uacct_get(atomic_load(&np->uid));
      if (u)
        np->acct = u;
      acts_ok = actions_copy(np, op) == 0;
    }
  }
  tsvc_reset_after_fork(); /* timers are not inherited */
  reg_each_thread(free_thread, self);
  reg_each_proc(free_proc, NULL);
  cells_fork_child(self);
  reg_reset(); /* also re-initialises the registry lock we held */
  pgrp_reset();
  uacct_reset_after_fork();
  tree_reset();
  notes_reset();
  proc_reset_default(np);
  if (!self)
    return;
  /* The child's only process is a root: its own session and group. */
  if (!np || !acts_ok || pgrp_join_new(np, np->pid, np->pid) < 0 || reg_add_proc(np) < 0) {
    if (np) {
      pgrp_leave(np);
      proc_free(np);
    }
    proc_reset_default(NULL);
    free(self);
    vsig__tls_self = NULL;
    return;
  }
  /* The forking thread goes on where it was: inside a handler, a callback or
   * an embedder's blocking call, with its priority. Nothing pending. */
  struct vsig_thr keep = *self;
  memset(self, 0, sizeof *self);
  self->node.key = keep.node.key;
  self->wake.heap_idx = HEAP_NONE;
  atomic_init(&self->mask, atomic_load(&keep.mask));
  self->proc = np;
  self->host = pthread_self();
  self->host_known = true;
  self->priority = keep.priority;
  self->in_handler = keep.in_handler;
  self->in_callback = keep.in_callback;
  self->in_block = keep.in_block;
  self->wake_fn = keep.wake_fn;
  self->wake_arg = keep.wake_arg;
  self->state = keep.in_block ? keep.state : T_READY;
  self->async = keep.async;
  atomic_init(&self->host_tid, host_thread_id()); /* the child's thread has its own id */
  self->state_since = ++np->clock;
  np->threads = self;
  np->nthreads = 1;
  if (reg_add_thread(self) < 0) {
    np->threads = NULL;
    np->nthreads = 0;
    free(self);
    vsig__tls_self = NULL;
  }
}

void fork_register(void) { pthread_atfork(prepare, parent, child); }
