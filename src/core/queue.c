/* SPDX-License-Identifier: MIT */
/*
 * Pending-signal queues, and the limits on queued instances.
 *
 * A queue is one list of every instance pending there, in the order they came,
 * so that it costs the same 40 bytes whatever is pending; taking a signal
 * finds its oldest instance in it (as Linux's collect_signal does). The
 * process queue counts the instances of each real-time signal, because its
 * claims are counted against them; a thread queue finds out from the list
 * whether another instance is left.
 */
#include "internal.h"

#include <string.h>

static void publish(struct sigq *q, int sig, bool present) {
  uint64_t s = atomic_load_explicit(&q->set, memory_order_relaxed);
  s = present ? (s | SIGBIT(sig)) : (s & ~SIGBIT(sig));
  atomic_store(&q->set, s); /* seq_cst: see internal.h */
}

static void link_node(struct sigq *q, int sig, struct qnode *n) {
  n->sig = (uint8_t)sig;
  n->next = NULL;
  if (q->tail)
    q->tail->next = n;
  else
    q->head = n;
  q->tail = n;
}

static void unlink_node(struct sigq *q, struct qnode *prev, struct qnode *n) {
  if (prev)
    prev->next = n->next;
  else
    q->head = n->next;
  if (q->tail == n)
    q->tail = prev;
}

static uint32_t *rt_counter(struct vsig_proc *p, struct sigq *q, int sig) {
  return q == &p->pending && sig_is_rt(sig) ? &p->rt_count[sig - VSIG_SIGRTMIN] : NULL;
}

bool sigq_put(struct vsig_proc *p, struct sigq *q, int sig, struct inst *in) {
  if (!in->n) {
    if (q->unq & SIGBIT(sig))
      return false; /* merges with the unqueued instance already there */
    q->unq |= SIGBIT(sig);
    struct cell *c = cell_get();
    if (c) {
      c->node.kind = QN_UNQ;
      cinfo_pack(&c->info, &in->info);
      link_node(q, sig, &c->node);
    } else {
      q->bare |= SIGBIT(sig);
    }
  } else {
    if (in->n->kind == QN_QUEUED)
      cinfo_pack(&CELL_OF(in->n)->info, &in->info);
    link_node(q, sig, in->n);
  }
  uint32_t *cnt = rt_counter(p, q, sig);
  if (cnt)
    ++*cnt;
  publish(q, sig, true);
  return true;
}

/* Is an instance of sig left in q, one removed? rest: where in the list one
 * may still be (after the oldest, when the oldest was taken). */
static bool still_pending(struct vsig_proc *p, struct sigq *q, int sig, struct qnode *rest) {
  uint32_t *cnt = rt_counter(p, q, sig);
  if (cnt)
    return --*cnt != 0;
  if (!sig_is_rt(sig))
    return false; /* a standard signal has one instance */
  if (q->bare & SIGBIT(sig))
    return true;
  for (; rest; rest = rest->next)
    if (rest->sig == sig)
      return true;
  return false;
}

bool sigq_take(struct vsig_proc *p, struct sigq *q, int sig, struct inst *out) {
  if (!(atomic_load_explicit(&q->set, memory_order_relaxed) & SIGBIT(sig)))
    return false;
  struct qnode *prev = NULL, *n = q->head;
  while (n && n->sig != sig) {
    prev = n;
    n = n->next;
  }
  struct qnode *rest = NULL;
  if (n) {
    rest = n->next;
    unlink_node(q, prev, n);
    if (n->kind == QN_TIMER) {
      out->n = n;
      timer_node_taken(n, &out->info);
    } else {
      cinfo_unpack(&out->info, &CELL_OF(n)->info, sig);
      if (n->kind == QN_UNQ) {
        q->unq &= ~SIGBIT(sig);
        cell_put(CELL_OF(n));
        out->n = NULL;
      } else {
        out->n = n;
      }
    }
  } else if (q->bare & SIGBIT(sig)) {
    q->bare &= ~SIGBIT(sig);
    q->unq &= ~SIGBIT(sig);
    out->n = NULL;
    info_clear(&out->info);
    out->info.si_signo = sig;
    out->info.si_code = VSIG_SI_USER;
  } else {
    return false;
  }
  if (!still_pending(p, q, sig, rest))
    publish(q, sig, false);
  return true;
}

/* Remove one node from the middle of its queue (a deleted timer's). */
bool sigq_unlink(struct vsig_proc *p, struct sigq *q, int sig, struct qnode *n) {
  for (struct qnode *m = q->head, *prev = NULL; m; prev = m, m = m->next) {
    if (m != n)
      continue;
    unlink_node(q, prev, n);
    /* Instances of sig may come before n as well as after it. */
    if (!still_pending(p, q, sig, q->head))
      publish(q, sig, false);
    return true;
  }
  return false;
}

/* One pass over the list: taking the instances one by one would look from
 * the head for each. */
void sigq_drop_sig(struct vsig_proc *p, struct sigq *q, int sig) {
  if (!(atomic_load_explicit(&q->set, memory_order_relaxed) & SIGBIT(sig)))
    return;
  for (struct qnode **pp = &q->head, *prev = NULL; *pp;) {
    struct qnode *n = *pp;
    if (n->sig != sig) {
      prev = n;
      pp = &n->next;
      continue;
    }
    *pp = n->next;
    if (q->tail == n)
      q->tail = prev;
    struct inst in = {.n = n};
    if (n->kind == QN_TIMER) {
      timer_node_taken(n, &in.info); /* the timer's own state: not pending */
    } else if (n->kind == QN_UNQ) {
      cell_put(CELL_OF(n));
      in.n = NULL;
    }
    queue_release(p, &in);
  }
  q->unq &= ~SIGBIT(sig);
  q->bare &= ~SIGBIT(sig);
  uint32_t *cnt = rt_counter(p, q, sig);
  if (cnt)
    *cnt = 0;
  publish(q, sig, false);
}

void sigq_drop_all(struct vsig_proc *p, struct sigq *q) {
  uint64_t s = atomic_load_explicit(&q->set, memory_order_relaxed);
  while (s) {
    int sig = lowest_sig(s);
    s &= ~SIGBIT(sig);
    sigq_drop_sig(p, q, sig);
  }
}

void sigq_free_cells(struct sigq *q) {
  for (struct qnode *n = q->head, *next; n; n = next) {
    next = n->next;
    if (n->kind != QN_TIMER)
      cell_put(CELL_OF(n));
  }
  q->head = q->tail = NULL;
  q->unq = q->bare = 0;
  atomic_store_explicit(&q->set, 0, memory_order_relaxed);
}

/* A timer's own node needs nothing: sigq_take already marked it free. */
void queue_release(struct vsig_proc *p, struct inst *in) {
  if (in->n && in->n->kind == QN_QUEUED) {
    uacct_uncharge(p);
    p->queued--;
    cell_put(CELL_OF(in->n));
    if (atomic_load_explicit(&p->room_waiter, memory_order_relaxed) &&
        (p->queue_max - p->queued >= queue_room_wanted(p) || p->queued == 0))
      host_event_signal(&p->room_ev);
  }
  in->n = NULL;
}
