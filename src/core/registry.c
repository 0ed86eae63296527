/* SPDX-License-Identifier: MIT */
/* Lookup of processes by pid and threads by id: two intrusive hash tables
 * (htab.c) under one lock. Only setup paths (create, attach, detach) write them. */
#include "internal.h"

#include <stdlib.h>

static host_lock_t reg_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct htab procs, threads;
static uint64_t next_tid = 1;
/* Virtual pids start above Linux's PID_MAX_LIMIT (2^22) so they never collide
 * with the host pid that the default process uses. */
static vsig_pid_t next_pid = (1 << 22) + 1;

void reg_lock(void) { host_lock(&reg_mutex); }
void reg_unlock(void) { host_unlock(&reg_mutex); }

struct vsig_proc *reg_find_proc(vsig_pid_t pid) {
  struct hnode *n = htab_find(&procs, (uint64_t)(uint32_t)pid);
  return n ? NODE_OWNER(n, struct vsig_proc, node) : NULL;
}

struct vsig_thr *reg_find_thread(vsig_thread_t id) {
  struct hnode *n = htab_find(&threads, id);
  return n ? NODE_OWNER(n, struct vsig_thr, node) : NULL;
}

/* Every process in creation order (see struct vsig_proc). */
static struct vsig_proc *all_head, *all_tail;

static void all_unlink(struct vsig_proc *p) {
  if (p->all_prev)
    p->all_prev->all_next = p->all_next;
  else
    all_head = p->all_next;
  if (p->all_next)
    p->all_next->all_prev = p->all_prev;
  else
    all_tail = p->all_prev;
  p->all_prev = p->all_next = NULL;
}

int reg_add_proc(struct vsig_proc *p) {
  p->node.key = (uint64_t)(uint32_t)p->pid;
  int rc = htab_add(&procs, &p->node);
  if (rc == 0) {
    p->all_prev = all_tail;
    p->all_next = NULL;
    if (all_tail)
      all_tail->all_next = p;
    else
      all_head = p;
    all_tail = p;
  }
  return rc;
}

void reg_del_proc(struct vsig_proc *p) {
  htab_del(&procs, &p->node);
  if (p->pins)
    p->destroyed = true; /* stays in the list, out of lookups, until unpinned */
  else
    all_unlink(p);
}

struct vsig_proc *reg_first_proc(void) {
  struct vsig_proc *p = all_head;
  while (p && p->destroyed)
    p = p->all_next;
  return p;
}

struct vsig_proc *reg_next_proc(struct vsig_proc *p) {
  do
    p = p->all_next;
  while (p && p->destroyed);
  return p;
}

void reg_pin(struct vsig_proc *p) { p->pins++; }

bool reg_unpin(struct vsig_proc *p) {
  if (--p->pins || !p->destroyed)
    return false;
  all_unlink(p);
  return true;
}

int reg_add_thread(struct vsig_thr *t) { return htab_add(&threads, &t->node); }
void reg_del_thread(struct vsig_thr *t) { htab_del(&threads, &t->node); }

struct each_ctx {
  void (*pfn)(struct vsig_proc *, void *);
  void (*tfn)(struct vsig_thr *, void *);
  void *arg;
};

static void each_proc_node(struct hnode *n, void *arg) {
  struct each_ctx *c = arg;
  c->pfn(NODE_OWNER(n, struct vsig_proc, node), c->arg);
}

static void each_thread_node(struct hnode *n, void *arg) {
  struct each_ctx *c = arg;
  c->tfn(NODE_OWNER(n, struct vsig_thr, node), c->arg);
}

void reg_each_proc(void (*fn)(struct vsig_proc *, void *), void *arg) {
  struct each_ctx c = {fn, NULL, arg};
  htab_each(&procs, each_proc_node, &c);
}

void reg_each_thread(void (*fn)(struct vsig_thr *, void *), void *arg) {
  struct each_ctx c = {NULL, fn, arg};
  htab_each(&threads, each_thread_node, &c);
}

/* After fork: the child rebuilds the tables from scratch. */
void reg_reset(void) {
  htab_free(&procs);
  htab_free(&threads);
  all_head = all_tail = NULL;
  host_lock_init(&reg_mutex);
}

uint64_t reg_next_thread_id(void) { return next_tid++; }

vsig_pid_t reg_next_pid(void) {
  for (;;) {
    vsig_pid_t pid = next_pid;
    next_pid = pid == INT32_MAX ? (1 << 22) + 1 : pid + 1;
    /* Not a living process's, nor a group's or session's id (POSIX: a
     * process id is not reused while it names a group). */
    if (!reg_find_proc(pid) && !pgrp_id_in_use(pid))
      return pid;
  }
}
