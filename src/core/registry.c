/* SPDX-License-Identifier: MIT */
/* Lookup of processes by pid and threads by id: two intrusive hash tables
 * under one lock. Only setup paths (create, attach, detach) write them. */
#include "internal.h"

#include <stdlib.h>

struct htab {
  struct hnode **b;
  size_t nb, n;
};

static host_lock_t reg_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct htab procs, threads;
static uint64_t next_tid = 1;
/* Virtual pids start above Linux's PID_MAX_LIMIT (2^22) so they never collide
 * with the host pid that the default process uses. */
static vsig_pid_t next_pid = (1 << 22) + 1;

void reg_lock(void) { host_lock(&reg_mutex); }
void reg_unlock(void) { host_unlock(&reg_mutex); }

static size_t slot(const struct htab *h, uint64_t key) {
  key ^= key >> 29;
  key *= UINT64_C(0xbf58476d1ce4e5b9);
  key ^= key >> 32;
  return (size_t)key & (h->nb - 1);
}

static struct hnode *hfind(const struct htab *h, uint64_t key) {
  if (!h->nb)
    return NULL;
  for (struct hnode *n = h->b[slot(h, key)]; n; n = n->next)
    if (n->key == key)
      return n;
  return NULL;
}

static int hadd(struct htab *h, struct hnode *node) {
  if (h->n + 1 > h->nb / 2) {
    size_t nb = h->nb ? h->nb * 2 : 16;
    struct hnode **b = calloc(nb, sizeof *b);
    if (!b)
      return -ENOMEM;
    struct htab nh = {b, nb, h->n};
    for (size_t i = 0; i < h->nb; i++) {
      for (struct hnode *n = h->b[i], *next; n; n = next) {
        next = n->next;
        size_t s = slot(&nh, n->key);
        n->next = b[s];
        b[s] = n;
      }
    }
    free(h->b);
    *h = nh;
  }
  size_t s = slot(h, node->key);
  node->next = h->b[s];
  h->b[s] = node;
  h->n++;
  return 0;
}

static void hdel(struct htab *h, struct hnode *node) {
  for (struct hnode **pp = &h->b[slot(h, node->key)]; *pp; pp = &(*pp)->next) {
    if (*pp == node) {
      *pp = node->next;
      h->n--;
      return;
    }
  }
}

static void heach(struct htab *h, void (*fn)(struct hnode *, void *), void *arg) {
  for (size_t i = 0; i < h->nb; i++) {
    for (struct hnode *n = h->b[i], *next; n; n = next) {
      next = n->next;
      fn(n, arg);
    }
  }
}

struct vsig_proc *reg_find_proc(vsig_pid_t pid) {
  struct hnode *n = hfind(&procs, (uint64_t)(uint32_t)pid);
  return n ? (struct vsig_proc *)((char *)n - offsetof(struct vsig_proc, node)) : NULL;
}

struct vsig_thr *reg_find_thread(vsig_thread_t id) {
  struct hnode *n = hfind(&threads, id);
  return n ? (struct vsig_thr *)((char *)n - offsetof(struct vsig_thr, node)) : NULL;
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
  int rc = hadd(&procs, &p->node);
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
  hdel(&procs, &p->node);
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

int reg_add_thread(struct vsig_thr *t) { return hadd(&threads, &t->node); }
void reg_del_thread(struct vsig_thr *t) { hdel(&threads, &t->node); }

struct each_ctx {
  void (*pfn)(struct vsig_proc *, void *);
  void (*tfn)(struct vsig_thr *, void *);
  void *arg;
};

static void each_proc_node(struct hnode *n, void *arg) {
  struct each_ctx *c = arg;
  c->pfn((struct vsig_proc *)((char *)n - offsetof(struct vsig_proc, node)), c->arg);
}

static void each_thread_node(struct hnode *n, void *arg) {
  struct each_ctx *c = arg;
  c->tfn((struct vsig_thr *)((char *)n - offsetof(struct vsig_thr, node)), c->arg);
}

void reg_each_proc(void (*fn)(struct vsig_proc *, void *), void *arg) {
  struct each_ctx c = {fn, NULL, arg};
  heach(&procs, each_proc_node, &c);
}

void reg_each_thread(void (*fn)(struct vsig_thr *, void *), void *arg) {
  struct each_ctx c = {NULL, fn, arg};
  heach(&threads, each_thread_node, &c);
}

/* After fork: the child rebuilds the tables from scratch. */
void reg_reset(void) {
  free(procs.b);
  free(threads.b);
  procs = (struct htab){0};
  threads = (struct htab){0};
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
