/* SPDX-License-Identifier: MIT */
/*
 * Asynchronous delivery: a thread that runs its own code, or sits in a host
 * blocking call, is interrupted when a handler becomes due on it, and the
 * handler runs on it at once, as a native one would (with the kernel's EINTR
 * and SA_RESTART rules for the call it interrupts). The host does the
 * interrupting (host_interrupt, a reserved host signal on Linux); the core
 * decides when, and keeps handlers out of vsig itself: an interrupt that finds
 * the thread inside a vsig call, or holding a vsig lock, is deferred to the
 * moment the call returns.
 */
#include "internal.h"

_Thread_local unsigned vsig__tls_depth;
_Thread_local int vsig__tls_deferred;
_Thread_local void *vsig__tls_uctx;

static _Atomic int async_default;

/* Run what became due while the thread was inside vsig. errno is the call's. */
void api_deferred(void) {
  vsig__tls_deferred = 0;
  struct vsig_thr *t = vsig__tls_self;
  if (!t || !atomic_load(&t->attention))
    return;
  int err = errno;
  vsig__tls_depth++;
  deliver_self(t, NULL);
  vsig__tls_depth--;
  errno = err;
}

void thread_interrupt(struct vsig_thr *t, int sig) {
  if (atomic_exchange(&t->intr_pending, 1))
    return; /* one on its way already: it delivers everything due */
  int flags = atomic_load_explicit(&action_of(t->proc, sig)->flags, memory_order_relaxed);
  host_interrupt(atomic_load_explicit(&t->host_tid, memory_order_relaxed),
                 (flags & VSIG_SA_RESTART) != 0);
}

void vsig__host_interrupted(void *ucontext) {
  struct vsig_thr *t = vsig__tls_self;
  if (!t)
    return;
  atomic_store(&t->intr_pending, 0);
  if (vsig__tls_depth || host_lock_depth()) {
    vsig__tls_deferred = 1; /* inside vsig: handlers run as the call returns */
    return;
  }
  if (!atomic_load(&t->attention))
    return;
  /* Errno is not saved: a native handler that changes it changes it for the
   * interrupted code too. vsig itself leaves it alone here. */
  void *saved = vsig__tls_uctx;
  vsig__tls_uctx = ucontext;
  vsig__tls_depth++;
  deliver_self(t, NULL);
  vsig__tls_depth--;
  vsig__tls_deferred = 0;
  vsig__tls_uctx = saved;
}

static int set_async(struct vsig_thr *t, bool on) {
  if (on) {
    int rc = host_async_setup(0, 0);
    if (rc)
      return rc;
  }
  host_lock(&t->proc->lock);
  t->async = on;
  host_unlock(&t->proc->lock);
  if (t->proc->is_default) /* the bridge's direct signals come to it, or no longer */
    atomic_store_explicit(
        &t->host_open, host_thread_follow(atomic_load_explicit(&t->mask, memory_order_relaxed), on),
        memory_order_relaxed);
  /* Something may have become due while it was off. */
  if (on && atomic_load(&t->attention))
    vsig__tls_deferred = 1;
  return 0;
}

/* New threads (attached, created, or the default process's first) start with
 * the default. */
void thread_async_init(struct vsig_thr *t) {
  atomic_store_explicit(&t->host_tid, host_thread_id(), memory_order_relaxed);
  if (atomic_load_explicit(&async_default, memory_order_relaxed))
    t->async = true;
}

static int api_thread_set_async(int enable) {
  struct vsig_thr *t = self_thread();
  if (!t)
    return -no_self();
  return set_async(t, enable != 0);
}

static int api_set_async_default(int enable) {
  if (enable) {
    int rc = host_async_setup(0, 0);
    if (rc)
      return rc;
  }
  atomic_store(&async_default, enable != 0);
  return 0;
}

static int api_async_signals(int sig, int sig_restart) {
  if (sig == sig_restart || !sig_valid(sig) || !sig_valid(sig_restart))
    return EINVAL;
  return host_async_setup(sig, sig_restart);
}

/* A temporary mask around a host blocking call, as pselect's: the first
 * handler that runs restores the old mask on its return, as sigsuspend's.
 * Nothing is delivered here: the caller first learns whether its call would
 * return at once anyway (a ready descriptor, a bad argument), as the kernel
 * checks those before it looks at signals. */
static int api_sigmask_swap(const vsig_sigset_t *temp, vsig_sigset_t *old) {
  if (!temp)
    return EFAULT;
  struct vsig_thr *t = self_thread();
  if (!t)
    return -no_self();
  uint64_t cur = atomic_load_explicit(&t->mask, memory_order_relaxed);
  if (old)
    old->bits = cur;
  t->swap_restore = cur;
  t->swap_on = true;
  mask_set_self(t, temp->bits);
  struct vsig_proc *p = t->proc;
  host_lock(&p->lock);
  bool due = thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed)) != 0;
  host_unlock(&p->lock);
  return due ? EINTR : 0;
}

static int api_sigmask_swap_deliver(void) {
  struct vsig_thr *t = vsig__tls_self;
  if (!t)
    return 0;
  return deliver_self(t, NULL) > 0 ? EINTR : 0;
}

static int api_sigmask_swap_end(void) {
  struct vsig_thr *t = vsig__tls_self;
  if (!t || !t->swap_on)
    return 0; /* a handler already restored it */
  t->swap_on = false;
  if (mask_set_self(t, t->swap_restore))
    deliver_self(t, NULL);
  return 0;
}

/* A jump out of handlers (siglongjmp): the frames it left are gone. */
static int api_handler_unwind(unsigned depth, const vsig_sigset_t *mask) {
  struct vsig_thr *t = vsig__tls_self;
  if (!t)
    return EINVAL;
  if (depth < (unsigned)t->in_handler)
    t->in_handler = (int)depth;
  t->swap_on = false;
  vsig__tls_uctx = NULL;
  if (mask && mask_set_self(t, mask->bits))
    deliver_self(t, NULL);
  return 0;
}

static int api_async_hold(int hold) {
  int sig, sig_restart;
  host_async_signals(&sig, &sig_restart);
  if (!sig)
    return 0;
  host_async_hold(hold != 0);
  return 0;
}

/* Public entry points. */
int vsig_async_hold(int hold) {
  API_ENTER();
  int rc = api_async_hold(hold);
  api_leave();
  return rc;
}

void vsig_async_get_signals(int *sig, int *sig_restart) {
  int a, b;
  host_async_signals(&a, &b);
  if (sig)
    *sig = a;
  if (sig_restart)
    *sig_restart = b;
}

int vsig_sigmask_swap(const vsig_sigset_t *temp, vsig_sigset_t *old) {
  API_ENTER();
  int rc = api_sigmask_swap(temp, old);
  api_leave();
  return rc;
}

int vsig_sigmask_swap_deliver(void) {
  API_ENTER();
  int rc = api_sigmask_swap_deliver();
  api_leave();
  return rc;
}

int vsig_sigmask_swap_end(void) {
  API_ENTER();
  int rc = api_sigmask_swap_end();
  api_leave();
  return rc;
}

unsigned vsig_handler_depth(void) {
  struct vsig_thr *t = vsig__tls_self;
  return t ? (unsigned)t->in_handler : 0;
}

int vsig_handler_unwind(unsigned depth, const vsig_sigset_t *mask) {
  API_ENTER();
  int rc = api_handler_unwind(depth, mask);
  api_leave();
  return rc;
}

int vsig_thread_set_async(int enable) {
  API_ENTER();
  int rc = api_thread_set_async(enable);
  api_leave();
  return rc;
}

int vsig_set_async_default(int enable) {
  API_ENTER();
  int rc = api_set_async_default(enable);
  api_leave();
  return rc;
}

int vsig_async_signals(int sig, int sig_restart) {
  API_ENTER();
  int rc = api_async_signals(sig, sig_restart);
  api_leave();
  return rc;
}
