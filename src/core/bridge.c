/* SPDX-License-Identifier: MIT */
/*
 * The host bridge, the core's side: signals that the host kernel delivers to
 * the host process (from another process, a terminal, a child's exit, the
 * kernel's own SIGPIPE, a fault) become signals of the default process, with
 * their real siginfo, and then follow vsig's delivery algorithm. The host
 * layer catches them (host_bridge_start) and calls back here; its hand-off
 * takes no lock that a vsig call can hold (it defers while the thread holds
 * one) and allocates nothing.
 */
#include "internal.h"

_Atomic int vsig__bridge_on;

static struct vsig_proc *default_process(void) {
  reg_lock();
  struct vsig_proc *p = proc_lookup(host_getpid());
  reg_unlock();
  return p;
}

void vsig__host_internal_thread(void) { vsig__tls_outside = 1; }

uint64_t vsig__host_self_id(void) {
  struct vsig_thr *t = vsig__tls_self;
  return t ? t->node.key : 0;
}

int vsig__host_generate(int sig, const vsig_siginfo_t *info, uint64_t thread, bool queued,
                        bool here) {
  if (!sig_valid(sig))
    return -EINVAL;
  reg_lock();
  struct vsig_proc *p = proc_lookup(host_getpid());
  if (!p) {
    reg_unlock();
    return -ESRCH;
  }
  struct vsig_thr *t = thread ? reg_find_thread(thread) : NULL;
  if (t && t->proc != p)
    t = NULL; /* gone, or not the default process's: the process takes it */
  /* The sender is outside the process, so step 2 applies only to the thread
   * the kernel chose for a process-directed signal, when it runs its own
   * code: the kernel found it unblocked there, and interrupted it already. */
  struct vsig_thr *chosen = vsig__tls_self;
  if (!here || !chosen || chosen->proc != p || vsig__tls_depth)
    chosen = NULL;
  host_lock(&p->lock);
  reg_unlock();
  struct after a = {0};
  int rc =
      t ? thread_send(t, sig, info, queued, NULL, &a) : proc_send(p, sig, info, queued, chosen, &a);
  host_unlock(&p->lock);
  after_run(NULL, &a);
  return rc;
}

bool vsig__host_user_mask(uint64_t *mask) {
  struct vsig_thr *t = vsig__tls_self;
  if (!t || vsig__tls_depth || host_lock_depth() || !t->proc->is_default)
    return false;
  *mask = atomic_load_explicit(&t->mask, memory_order_relaxed);
  return true;
}

bool vsig__host_thread_mask(uint64_t *mask) {
  struct vsig_thr *t = vsig__tls_self;
  if (!t || !t->proc->is_default)
    return false;
  *mask = atomic_load_explicit(&t->mask, memory_order_relaxed);
  return true;
}

bool vsig__host_follows(uint64_t *mask) {
  struct vsig_thr *t = vsig__tls_self;
  return t && t->async && vsig__host_thread_mask(mask);
}

uint64_t vsig__host_open(void) {
  struct vsig_thr *t = vsig__tls_self;
  return t ? atomic_load_explicit(&t->host_open, memory_order_relaxed) : 0;
}

void vsig__host_set_open(uint64_t open) {
  struct vsig_thr *t = vsig__tls_self;
  if (t) {
    atomic_store_explicit(&t->host_open, open, memory_order_relaxed);
    t->host_stale &= (uint32_t)~open;
    t->host_deferred &= (uint32_t)~open;
  }
}

void vsig__host_set_follow(uint64_t follow) {
  struct vsig_thr *t = vsig__tls_self;
  if (t) {
    t->host_follow = follow;
    t->host_stale = t->host_deferred = 0;
  }
}

void vsig__host_room_wait(void) {
  struct vsig_proc *p = default_process();
  if (!p)
    return;
  uint32_t token = host_event_prepare(&p->room_ev);
  atomic_store(&p->room_waiter, 1);
  host_lock(&p->lock);
  /* Its own queue's room comes back through its own releases, which wake
   * it. Its user's limit, reached with other processes' signals, and memory
   * for a cell come back without telling it: it looks again every
   * millisecond, while host signals wait in the kernel's queue. (Room that
   * came back in the meantime: at once.) */
  size_t room = p->queue_max - p->queued;
  bool own_full = room < queue_room_wanted(p) && p->queued > 0;
  bool user_full = atomic_load(&p->acct->queued) >= atomic_load(&p->acct->max);
  struct cell *c = own_full || user_full ? NULL : cell_get();
  if (c)
    cell_put(c);
  host_unlock(&p->lock);
  if (!c)
    host_event_wait(&p->room_ev, token, own_full ? -1 : host_now_ns() + 1000000, false);
  atomic_store(&p->room_waiter, 0);
}

int vsig__host_fault(int sig, vsig_siginfo_t *info, void *ucontext) {
  struct vsig_thr *t = vsig__tls_self;
  if (!t || host_lock_depth())
    return 0; /* a fault inside vsig itself, or on a thread vsig does not know */
  struct vsig_proc *p = t->proc;
  if (atomic_load_explicit(&t->mask, memory_order_relaxed) & SIGBIT(sig))
    return 0; /* blocked: the kernel kills the process, as natively */
  struct frame f = {.sig = sig, .info = *info};
  host_lock(&p->lock);
  struct action *ac = action_of(p, sig);
  f.handler = atomic_load_explicit(&ac->handler, memory_order_relaxed);
  f.amask = atomic_load_explicit(&ac->mask, memory_order_relaxed);
  f.flags = atomic_load_explicit(&ac->flags, memory_order_relaxed);
  bool caught = f.handler != H_DFL && f.handler != H_IGN;
  if (caught && (f.flags & VSIG_SA_RESETHAND)) {
    vsig_sigaction_t dfl = {
        .sa_handler = VSIG_SIG_DFL, .sa_mask = {f.amask}, .sa_flags = f.flags & ~VSIG_SA_SIGINFO};
    (void)action_write(p, sig, &dfl); /* never fails: sig was caught */
  }
  host_unlock(&p->lock);
  if (!caught)
    return 0; /* default or ignored: a fault still kills, as the kernel forces it */
  if (TRACING()) {
    f.trace_id = trace_raise(t, sig, &f.info);
    f.trace_sender = t->node.key;
  }
  void *saved = vsig__tls_uctx;
  vsig__tls_uctx = ucontext;
  run_frame(t, &f, atomic_load_explicit(&t->mask, memory_order_relaxed));
  vsig__tls_uctx = saved;
  return 1;
}

/* These two never fail: api_bridge_enable gave the default process a table
 * of actions of its own before the host layer calls them. */
void vsig__host_inherit_ignored(int sig) {
  struct vsig_proc *p = default_process();
  if (!p || !sig_valid(sig) || sig == VSIG_SIGKILL || sig == VSIG_SIGSTOP)
    return;
  vsig_sigaction_t ign = {.sa_handler = VSIG_SIG_IGN}, cur;
  host_lock(&p->lock);
  action_read(p, sig, &cur);
  if (cur.sa_handler == VSIG_SIG_DFL) /* an action the program set first wins */
    (void)action_write(p, sig, &ign);
  host_unlock(&p->lock);
}

void vsig__host_inherit_handler(int sig, uintptr_t handler, int flags, uint64_t mask) {
  struct vsig_proc *p = default_process();
  if (!p || !sig_valid(sig) || sig == VSIG_SIGKILL || sig == VSIG_SIGSTOP || !invoker_set())
    return;
  vsig_sigaction_t act = {.sa_handler = (vsig_handler_t)handler,
                          .sa_mask = {mask & ~UNBLOCKABLE},
                          .sa_flags = flags & (VSIG_SA_NOCLDSTOP | VSIG_SA_NOCLDWAIT |
                                               VSIG_SA_SIGINFO | VSIG_SA_ONSTACK | VSIG_SA_RESTART |
                                               VSIG_SA_NODEFER | VSIG_SA_RESETHAND)};
  host_lock(&p->lock);
  vsig_sigaction_t cur;
  action_read(p, sig, &cur);
  if (cur.sa_handler == VSIG_SIG_DFL) /* the program's own choice wins */
    (void)action_write(p, sig, &act);
  host_unlock(&p->lock);
}

void vsig__host_action_of(int sig, uintptr_t *handler, int *flags, uint64_t *mask) {
  struct vsig_proc *p = default_process();
  *handler = (uintptr_t)VSIG_SIG_DFL;
  *flags = 0;
  *mask = 0;
  if (!p)
    return;
  vsig_sigaction_t a;
  action_read(p, sig, &a);
  *handler = (uintptr_t)a.sa_handler;
  *flags = a.sa_flags;
  *mask = a.sa_mask.bits;
}

static int api_bridge_hostmask(int for_exec) {
  struct vsig_thr *t = vsig__tls_self;
  if (!atomic_load(&vsig__bridge_on))
    return 0;
  host_bridge_hostmask(for_exec && t ? atomic_load(&t->mask) : 0, for_exec && t);
  return 0;
}

static int api_bridge_expect_self(int sig, int expect) {
  if (!sig_valid(sig))
    return EINVAL;
  if (atomic_load(&vsig__bridge_on))
    host_bridge_expect_self(sig, expect ? 1 : -1);
  return 0;
}

static int api_bridge_enable(const vsig_sigset_t *set) {
  if (!set)
    return EFAULT;
  vsig__init();
  /* The default process exists before any host handler can run: a handler
   * must not allocate it. */
  struct vsig_proc *p = default_process();
  if (!p)
    return ENOMEM;
  /* Actions taken over from the host (the exec rule, a handler installed
   * before) are written while the host layer sets up: the table they go to
   * exists first, so that nothing fails half way. */
  host_lock(&p->lock);
  int rc = actions_own(p);
  host_unlock(&p->lock);
  if (rc < 0)
    return -rc;
  rc = host_bridge_start(set->bits & ~UNBLOCKABLE);
  if (!rc)
    atomic_store(&vsig__bridge_on, 1);
  return rc;
}

int vsig_bridge_enable(const vsig_sigset_t *set) {
  API_ENTER();
  int rc = api_bridge_enable(set);
  api_leave();
  return rc;
}

int vsig_bridge_hostmask(int for_exec) {
  API_ENTER();
  int rc = api_bridge_hostmask(for_exec);
  api_leave();
  return rc;
}

int vsig_bridge_expect_self(int sig, int expect) {
  API_ENTER();
  int rc = api_bridge_expect_self(sig, expect);
  api_leave();
  return rc;
}
