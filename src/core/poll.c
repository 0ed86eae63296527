/* SPDX-License-Identifier: MIT */
/* Safe points: vsig_poll, and the embedder's own blocking calls. */
#include "internal.h"

static int api_poll(void) {
  struct vsig_thr *t = vsig__tls_self;
  if (!t || !atomic_load_explicit(&t->attention, memory_order_relaxed))
    return 0;
  if (deliver_self(t, NULL) >= 0)
    return 0;
  return t->proc->term_sig;
}

static int api_block_begin(int interruptible, vsig_wake_fn wake, void *arg) {
  if (interruptible && !wake)
    return EINVAL;
  struct vsig_thr *t = self_thread();
  if (!t)
    return -no_self();
  if (t->in_block)
    return EBUSY;
  struct vsig_proc *p = t->proc;
  host_lock(&p->lock);
  jobctl_park(t);
  int rc = 0;
  if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD)
    rc = ECANCELED;
  else if (interruptible &&
           thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed)))
    rc = EINTR;
  if (rc != ECANCELED) {
    t->in_block = true;
    if (!rc) {
      t->wake_fn = interruptible ? wake : NULL;
      t->wake_arg = arg;
      set_state(t, interruptible ? T_INTR : T_NONINTR);
    }
  }
  host_unlock(&p->lock);
  return rc;
}

static int api_block_end(void) {
  struct vsig_thr *t = vsig__tls_self;
  if (!t || !t->in_block)
    return EINVAL;
  struct vsig_proc *p = t->proc;
  host_lock(&p->lock);
  jobctl_park(t); /* the embedder's call ended while stopped: wait for SIGCONT */
  t->in_block = false;
  t->wake_fn = NULL;
  t->wake_arg = NULL;
  set_state(t, T_READY);
  host_unlock(&p->lock);
  bool restart = true;
  int n = deliver_self(t, &restart);
  if (n < 0)
    return ECANCELED;
  if (n == 0)
    return 0;
  return restart ? VSIG_ERESTART : EINTR;
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_poll(void) {
  API_ENTER();
  int rc = api_poll();
  api_leave();
  return rc;
}

int vsig_block_begin(int interruptible, vsig_wake_fn wake, void *arg) {
  API_ENTER();
  int rc = api_block_begin(interruptible, wake, arg);
  api_leave();
  return rc;
}

int vsig_block_end(void) {
  API_ENTER();
  int rc = api_block_end();
  api_leave();
  return rc;
}
