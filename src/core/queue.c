/* SPDX-License-Identifier: MIT */
/* Pending-signal containers and the per-process pool of queue entries. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void publish(struct sigq *q, int sig, bool present) {
  uint64_t s = atomic_load_explicit(&q->set, memory_order_relaxed);
  s = present ? (s | SIGBIT(sig)) : (s & ~SIGBIT(sig));
  atomic_store(&q->set, s); /* seq_cst: see internal.h */
}

bool sigq_put(struct vsig_proc *p, struct sigq *q, int sig, struct inst *in) {
  if (!in->n) {
    if (q->unq & SIGBIT(sig))
      return false; /* merges with the unqueued instance already there */
    q->unq |= SIGBIT(sig);
    cinfo_pack(&q->unq_info[sig], &in->info);
  } else {
    struct qnode *n = in->n;
    if (pool_owns(p, n))
      ((struct qentry *)n)->info = in->info;
    n->next = NULL;
    if (q->tail[sig])
      q->tail[sig]->next = n;
    else
      q->head[sig] = n;
    q->tail[sig] = n;
  }
  q->count[sig]++;
  publish(q, sig, true);
  return true;
}

bool sigq_take(struct vsig_proc *p, struct sigq *q, int sig, struct inst *out) {
  struct qnode *n = q->head[sig];
  if (n) {
    q->head[sig] = n->next;
    if (!n->next)
      q->tail[sig] = NULL;
    out->n = n;
    if (pool_owns(p, n))
      out->info = ((struct qentry *)n)->info;
    else
      timer_node_taken(n, &out->info);
  } else if (q->unq & SIGBIT(sig)) {
    q->unq &= ~SIGBIT(sig);
    out->n = NULL;
    cinfo_unpack(&out->info, &q->unq_info[sig], sig);
  } else {
    return false;
  }
  if (--q->count[sig] == 0)
    publish(q, sig, false);
  return true;
}

/* Remove one node from the middle of its queue (a deleted timer's). */
bool sigq_unlink(struct sigq *q, int sig, struct qnode *n) {
  for (struct qnode **pp = &q->head[sig], *prev = NULL; *pp; prev = *pp, pp = &(*pp)->next) {
    if (*pp != n)
      continue;
    *pp = n->next;
    if (q->tail[sig] == n)
      q->tail[sig] = prev;
    if (--q->count[sig] == 0)
      publish(q, sig, false);
    return true;
  }
  return false;
}

void sigq_drop_sig(struct vsig_proc *p, struct sigq *q, int sig) {
  struct inst in;
  while (sigq_take(p, q, sig, &in))
    pool_release(p, &in);
}

void sigq_drop_all(struct vsig_proc *p, struct sigq *q) {
  uint64_t s = atomic_load_explicit(&q->set, memory_order_relaxed);
  while (s) {
    int sig = lowest_sig(s);
    s &= ~SIGBIT(sig);
    sigq_drop_sig(p, q, sig);
  }
}

/* The slots are reserved here but neither cleared nor linked: a slot is
 * first handed out from the untouched end (pool_bump), so creating a process
 * touches none of them (and the host maps no page of a large pool it never
 * uses). Freed slots go to the free list. */
int pool_init(struct vsig_proc *p, size_t n) {
  p->pool = malloc(n * sizeof *p->pool);
  if (!p->pool)
    return -ENOMEM;
  p->queue_max = n;
  p->pool_free = NULL;
  p->pool_bump = 0;
  p->pool_nfree = n;
  return 0;
}

void pool_destroy(struct vsig_proc *p) {
  free(p->pool);
  p->pool = NULL;
  p->pool_free = NULL;
}

/* Take a slot before anything is marked pending, so a full pool fails the
 * call with nothing changed. Without required, a full pool leaves in->e NULL
 * and the instance travels unqueued. */
int pool_reserve(struct vsig_proc *p, struct inst *in, bool required) {
  in->n = p->pool_free                  ? p->pool_free
          : p->pool_bump < p->queue_max ? &p->pool[p->pool_bump].node
                                        : NULL;
  if (in->n && !uacct_charge(p))
    in->n = NULL; /* the user's limit: as a full queue */
  if (in->n) {
    if (p->pool_free)
      p->pool_free = in->n->next;
    else
      p->pool_bump++;
    p->pool_nfree--;
    return 0;
  }
  return required ? -EAGAIN : 0;
}

/* A timer's own node needs nothing: sigq_take already marked it free. */
void pool_release(struct vsig_proc *p, struct inst *in) {
  if (in->n && pool_owns(p, in->n)) {
    uacct_uncharge(p);
    in->n->next = p->pool_free;
    p->pool_free = in->n;
    p->pool_nfree++;
    if (atomic_load_explicit(&p->pool_waiter, memory_order_relaxed) &&
        (p->pool_nfree >= pool_room_wanted(p) || p->pool_nfree == p->queue_max))
      host_event_signal(&p->pool_ev);
  }
  in->n = NULL;
}
