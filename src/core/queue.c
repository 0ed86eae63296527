/* Pending-signal containers and the per-process pool of queue entries. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void publish(struct sigq *q, int sig, bool present) {
  uint64_t s = atomic_load_explicit(&q->set, memory_order_relaxed);
  s = present ? (s | SIGBIT(sig)) : (s & ~SIGBIT(sig));
  atomic_store(&q->set, s); /* seq_cst: see internal.h */
}

bool sigq_put(struct sigq *q, int sig, struct inst *in) {
  if (!in->e) {
    if (q->unq & SIGBIT(sig))
      return false; /* merges with the unqueued instance already there */
    q->unq |= SIGBIT(sig);
    q->unq_info[sig] = in->info;
  } else {
    struct qentry *e = in->e;
    e->info = in->info;
    e->next = NULL;
    if (q->tail[sig])
      q->tail[sig]->next = e;
    else
      q->head[sig] = e;
    q->tail[sig] = e;
  }
  q->count[sig]++;
  publish(q, sig, true);
  return true;
}

bool sigq_take(struct sigq *q, int sig, struct inst *out) {
  struct qentry *e = q->head[sig];
  if (e) {
    q->head[sig] = e->next;
    if (!e->next)
      q->tail[sig] = NULL;
    out->e = e;
    out->info = e->info;
  } else if (q->unq & SIGBIT(sig)) {
    q->unq &= ~SIGBIT(sig);
    out->e = NULL;
    out->info = q->unq_info[sig];
  } else {
    return false;
  }
  if (--q->count[sig] == 0)
    publish(q, sig, false);
  return true;
}

void sigq_drop_sig(struct vsig_proc *p, struct sigq *q, int sig) {
  struct inst in;
  while (sigq_take(q, sig, &in))
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

int pool_init(struct vsig_proc *p, size_t n) {
  p->pool = calloc(n, sizeof *p->pool);
  if (!p->pool)
    return -ENOMEM;
  p->queue_max = n;
  p->pool_free = NULL;
  for (size_t i = n; i-- > 0;) {
    p->pool[i].next = p->pool_free;
    p->pool_free = &p->pool[i];
  }
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
  in->e = p->pool_free;
  if (in->e) {
    p->pool_free = in->e->next;
    return 0;
  }
  return required ? -EAGAIN : 0;
}

void pool_release(struct vsig_proc *p, struct inst *in) {
  if (in->e) {
    in->e->next = p->pool_free;
    p->pool_free = in->e;
    in->e = NULL;
  }
}
