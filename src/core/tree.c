/* SPDX-License-Identifier: MIT */
/*
 * The process tree: every process but a root has a parent, which learns of its
 * end through SIGCHLD and vsig_waitpid. When a process goes, its children go to
 * the reaper: the process the embedder named, else the default process, else
 * the oldest living one (the part init plays on Linux). Registry lock throughout.
 */
#include "internal.h"

static struct vsig_proc *named_reaper;

static bool alive(const struct vsig_proc *p) {
  return !p->destroyed && !p->exit_done &&
         atomic_load_explicit(&p->state, memory_order_relaxed) != P_DEAD;
}

static void unlink_raw(struct vsig_proc *k) {
  struct vsig_proc *par = k->parent;
  if (!par)
    return;
  if (k->kid_prev)
    k->kid_prev->kid_next = k->kid_next;
  else
    par->kids = k->kid_next;
  if (k->kid_next)
    k->kid_next->kid_prev = k->kid_prev;
  k->kid_prev = k->kid_next = NULL;
  k->parent = NULL;
}

void tree_unlink(struct vsig_proc *k) {
  unlink_raw(k);
  pgrp_recount(k, false);
}

static void kid_link(struct vsig_proc *k, struct vsig_proc *par) {
  k->parent = par;
  k->kid_prev = NULL;
  k->kid_next = par->kids;
  if (par->kids)
    par->kids->kid_prev = k;
  par->kids = k;
}

void tree_attach(struct vsig_proc *p, struct vsig_proc *parent) {
  if (parent)
    kid_link(p, parent);
  pgrp_recount(p, false);
}

struct vsig_proc *tree_reaper(struct vsig_proc *dying) {
  if (named_reaper && named_reaper != dying && alive(named_reaper))
    return named_reaper;
  /* The default process stands for the host process, older than every
   * process made in it, even when vsig made it later. */
  struct vsig_proc *d = proc_default_made();
  if (d && d != dying && alive(d))
    return d;
  for (struct vsig_proc *q = reg_first_proc(); q; q = reg_next_proc(q))
    if (q != dying && alive(q))
      return q;
  return NULL;
}

/* p's children (zombies too) go to the reaper; a zombie among them is
 * reported to it, as if it had just ended. */
/* Whether a is k or one of k's descendants (a named reaper may be). */
static bool within(const struct vsig_proc *a, const struct vsig_proc *k) {
  for (; a; a = a->parent)
    if (a == k)
      return true;
  return false;
}

void tree_reparent(struct vsig_proc *p, struct after *a) {
  struct vsig_proc *r = tree_reaper(p);
  while (p->kids) {
    struct vsig_proc *k = p->kids;
    unlink_raw(k);
    if (r && !within(r, k))
      kid_link(k, r); /* never under itself: then it has no parent */
    /* Its group may have lost its link to a shell: SIGHUP if stopped. */
    pgrp_recount(k, true);
    if (k->exit_done && !k->reaped) {
      if (k->parent) {
        exit_report_zombie(k, a);
      } else {
        k->reaped = true; /* nobody will wait for it */
        if (!k->nthreads)
          proc_remove(k);
      }
    }
  }
  if (r)
    child_waiters_wake(r);
}

void tree_detach(struct vsig_proc *p) {
  /* SIGCHLD is sent with no sending thread, so nothing is left to run. */
  struct after a = {0};
  struct vsig_proc *par = p->parent;
  tree_unlink(p);
  if (par)
    child_waiters_wake(par); /* it may have no child left to wait for */
  tree_reparent(p, &a);
  if (named_reaper == p)
    named_reaper = NULL;
}

void tree_reset(void) { named_reaper = NULL; }

static int api_set_reaper(vsig_pid_t pid) {
  vsig__init();
  reg_lock();
  int rc = 0;
  if (pid == 0) {
    named_reaper = NULL;
  } else {
    struct vsig_proc *p = proc_lookup(pid);
    if (p && alive(p))
      named_reaper = p;
    else
      rc = ESRCH;
  }
  reg_unlock();
  return rc;
}

static vsig_pid_t api_getppid(void) {
  struct vsig_thr *t = self_thread();
  if (!t)
    return 0; /* in no process */
  reg_lock();
  struct vsig_proc *p = t->proc;
  vsig_pid_t pp = p->parent ? p->parent->pid : p->is_default ? host_getppid() : 0;
  reg_unlock();
  return pp;
}

int vsig_set_reaper(vsig_pid_t pid) {
  API_ENTER();
  int rc = api_set_reaper(pid);
  api_leave();
  return rc;
}

vsig_pid_t vsig_getppid(void) {
  API_ENTER();
  vsig_pid_t rc = api_getppid();
  api_leave();
  return rc;
}
