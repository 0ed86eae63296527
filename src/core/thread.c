/* SPDX-License-Identifier: MIT */
/* vsig threads: attaching host threads, creating them, detaching at exit. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

_Thread_local struct vsig_thr *vsig__tls_self;
_Thread_local int vsig__tls_outside;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;

void thread_detach_self(struct vsig_thr *t);
void fork_register(void);

#if UINTPTR_MAX == UINT64_MAX
/* An idle vsig thread costs at most 512 bytes beyond its host thread, with
 * malloc's 16-byte header. */
_Static_assert(sizeof(struct vsig_thr) <= 496, "an idle thread must stay within 512 bytes");
#endif

static void on_host_thread_exit(void *arg) {
  struct vsig_thr *t = arg;
  vsig__tls_self = t;
  thread_detach_self(t);
}

static void init(void) {
  pthread_key_create(&exit_key, on_host_thread_exit);
  fork_register();
  host_trace_init();
}

void vsig__init(void) { pthread_once(&init_once, init); }

void thread_async_init(struct vsig_thr *t);

/* On the thread itself: its host identity, for interrupts. */
static void bind_self(struct vsig_thr *t) {
  host_lock(&t->proc->lock);
  thread_async_init(t);
  host_unlock(&t->proc->lock);
  /* A thread that delivers asynchronously lets the bridge's direct signals
   * through its host mask where its mask does (host_open). */
  vsig__tls_self = t;
  uint64_t open = host_thread_started(atomic_load_explicit(&t->mask, memory_order_relaxed),
                                      t->proc->is_default, t->async);
  atomic_store_explicit(&t->host_open, open, memory_order_relaxed);
  pthread_setspecific(exit_key, t);
}

/* Registry lock held. The thread starts ready with the given mask. */
static int thread_new(struct vsig_proc *p, int priority, uint64_t mask, bool allow_dead,
                      struct vsig_thr **out) {
  struct vsig_thr *t = calloc(1, sizeof *t);
  if (!t)
    return -ENOMEM;
  t->node.key = reg_next_thread_id();
  t->wake.heap_idx = HEAP_NONE;
  t->priority = priority;
  atomic_init(&t->mask, mask & ~UNBLOCKABLE);
  if (reg_add_thread(t) < 0) {
    free(t);
    return -ENOMEM;
  }
  host_lock(&p->lock);
  if (!allow_dead && atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD) {
    host_unlock(&p->lock);
    reg_del_thread(t);
    free(t);
    return -ESRCH;
  }
  t->proc = p;
  t->state = T_READY;
  t->state_since = ++p->clock;
  struct vsig_thr **pp = &p->threads;
  while (*pp)
    pp = &(*pp)->next;
  *pp = t;
  p->nthreads++;
  thread_recompute_attention(t);
  host_unlock(&p->lock);
  *out = t;
  return 0;
}

struct vsig_thr *vsig__self_slow(void) {
  if (vsig__tls_outside)
    return NULL;
  vsig__init();
  reg_lock();
  struct vsig_proc *p = proc_default();
  struct vsig_thr *t = NULL;
  if (p && thread_new(p, 0, 0, true, &t) == 0) {
    t->host = pthread_self();
    t->host_known = true;
  }
  reg_unlock();
  if (t)
    bind_self(t);
  return t;
}

static int api_thread_attach(vsig_pid_t pid, int priority) {
  vsig__init();
  if (vsig__tls_self)
    return EBUSY;
  if (vsig__tls_outside)
    return EPERM; /* vsig's own threads never join a process */
  reg_lock();
  struct vsig_proc *p = proc_lookup(pid);
  struct vsig_thr *t = NULL;
  int rc = p ? thread_new(p, priority, 0, false, &t) : -ESRCH;
  if (rc == 0) {
    t->host = pthread_self();
    t->host_known = true;
  }
  reg_unlock();
  if (rc)
    return -rc;
  bind_self(t);
  /* Signals left pending on the process are for the first thread that has
   * them unblocked: this one. */
  if (atomic_load_explicit(&t->attention, memory_order_relaxed))
    deliver_self(t, NULL);
  return 0;
}

/* Unlink t from its process; whatever process-directed signals it held go to
 * another thread or back to the process. */
static void thread_remove(struct vsig_thr *t) {
  struct after a = {0};
  reg_lock();
  struct vsig_proc *p = t->proc;
  tsvc_lock();
  host_lock(&p->lock);
  timers_thread_gone(t);
  reg_del_thread(t);
  struct vsig_thr **pp = &p->threads;
  while (*pp != t)
    pp = &(*pp)->next;
  *pp = t->next;
  p->nthreads--;
  if (TRACING())
    trace_discard_queue(p, t, &t->tpending, 0, VSIG_TRACE_DISCARD_THREAD_GONE);
  sigq_drop_all(p, &t->tpending);
  atomic_store(&t->mask, ALL_SIGNALS & ~UNBLOCKABLE); /* t takes nothing more */
  uint64_t claimed = atomic_load(&t->claimed_set);
  while (claimed) {
    int sig = lowest_sig(claimed);
    claimed &= ~SIGBIT(sig);
    thread_unclaim(t, sig, &a);
  }
  host_unlock(&p->lock);
  tsvc_unlock();
  /* A process already waited for goes with its last thread. */
  if (p->reaped && !p->nthreads)
    proc_remove(p);
  reg_unlock();
  after_run(NULL, &a);
  cells_thread_gone(t);
  free(t);
}

/* While it leaves, the thread is outside any process: a terminate callback
 * that its leaving causes must not attach it again. */
void thread_detach_self(struct vsig_thr *t) {
  host_thread_leaving();
  vsig__tls_self = NULL;
  pthread_setspecific(exit_key, NULL);
  vsig__tls_outside++;
  thread_remove(t);
  vsig__tls_outside--;
}

static int api_thread_detach(void) {
  struct vsig_thr *t = vsig__tls_self;
  if (!t)
    return EINVAL;
  if (t->in_block || t->in_handler || t->in_callback)
    return EBUSY; /* the call, handler or callback we are in still uses the thread */
  thread_detach_self(t);
  return 0;
}

struct start_ctx {
  struct vsig_thr *t;
  void *(*start)(void *);
  void *arg;
};

static void note_host(vsig_thread_t id, pthread_t host) {
  reg_lock();
  struct vsig_thr *t = reg_find_thread(id);
  if (t) {
    t->host = host;
    t->host_known = true;
  }
  reg_unlock();
}

static void *trampoline(void *arg) {
  struct start_ctx c = *(struct start_ctx *)arg;
  free(arg);
  note_host(c.t->node.key, pthread_self());
  bind_self(c.t);
  if (atomic_load_explicit(&c.t->attention, memory_order_relaxed))
    deliver_self(c.t, NULL);
  return c.start(c.arg);
}

/* Create a vsig thread of process pid and its host thread. It inherits the
 * caller's mask when the caller is in that process; with inherit_priority, its
 * priority too. The lookup and the linking happen under one registry hold, so
 * the process cannot be destroyed in between. */
static int create(pthread_t *host, vsig_thread_t *thread, vsig_pid_t pid, int priority,
                  bool inherit_priority, const uint64_t *start_mask, vsig_create_fn create_fn,
                  const pthread_attr_t *attr, void *(*start)(void *), void *arg) {
  struct start_ctx *c = malloc(sizeof *c);
  if (!c)
    return ENOMEM;
  struct vsig_thr *self = vsig__tls_self, *t = NULL;
  reg_lock();
  struct vsig_proc *p = proc_lookup(pid);
  int rc = -ESRCH;
  if (p) {
    uint64_t mask = start_mask ? *start_mask : 0;
    if (self && self->proc == p) {
      if (!start_mask)
        mask = atomic_load(&self->mask);
      if (inherit_priority) {
        host_lock(&p->lock);
        priority = self->priority;
        host_unlock(&p->lock);
      }
    }
    rc = thread_new(p, priority, mask, false, &t);
  }
  reg_unlock();
  if (rc) {
    free(c);
    return -rc;
  }
  vsig_thread_t id = t->node.key;
  *c = (struct start_ctx){t, start, arg};
  /* The caller's handle is written by the host's pthread_create itself,
   * before the new thread runs (as glibc does): its code may read it. */
  pthread_t h, *hp = host ? host : &h;
  if (create_fn)
    host_bridge_before_thread(); /* host_pthread_create's first step: a fork child's bridge */
  rc =
      create_fn ? create_fn(hp, attr, trampoline, c) : host_pthread_create(hp, attr, trampoline, c);
  if (rc) {
    free(c);
    thread_remove(t);
    return rc;
  }
  h = *hp;
  /* The new thread may already have run and exited: touch it only by id. */
  note_host(id, h);
  if (thread)
    *thread = id;
  return 0;
}

static int api_thread_create(pthread_t *host, vsig_thread_t *thread, vsig_pid_t pid, int priority,
                             void *(*start)(void *), void *arg) {
  if (!start)
    return EINVAL;
  vsig__init();
  return create(host, thread, pid, priority, false, NULL, NULL, NULL, start, arg);
}

static int api_pthread_create(pthread_t *host, const pthread_attr_t *attr, void *(*start)(void *),
                              void *arg) {
  if (!start || !host)
    return EINVAL;
  struct vsig_thr *self = self_thread();
  if (!self)
    return vsig__tls_outside ? EPERM : EAGAIN;
  return create(host, NULL, self->proc->pid, 0, true, NULL, NULL, attr, start, arg);
}

static int api_pthread_create_ex(pthread_t *host, const pthread_attr_t *attr,
                                 const vsig_sigset_t *mask, vsig_create_fn create_fn,
                                 void *(*start)(void *), void *arg) {
  if (!start || !host)
    return EINVAL;
  struct vsig_thr *self = self_thread();
  if (!self)
    return vsig__tls_outside ? EPERM : EAGAIN;
  return create(host, NULL, self->proc->pid, 0, true, mask ? &mask->bits : NULL, create_fn, attr,
                start, arg);
}

static vsig_thread_t api_thread_self(void) {
  struct vsig_thr *t = self_thread();
  return t ? t->node.key : 0;
}

struct host_match {
  pthread_t host;
  vsig_thread_t id;
};

static void match_host(struct vsig_thr *t, void *arg) {
  struct host_match *m = arg;
  if (!m->id && t->host_known && pthread_equal(t->host, m->host))
    m->id = t->node.key;
}

static int api_thread_from_host(pthread_t host, vsig_thread_t *thread) {
  if (!thread)
    return EINVAL;
  vsig__init();
  struct host_match m = {host, 0};
  reg_lock();
  reg_each_thread(match_host, &m);
  reg_unlock();
  if (!m.id)
    return ESRCH;
  *thread = m.id;
  return 0;
}

static int api_thread_getstate(vsig_thread_t thread, int *state) {
  if (!state)
    return EINVAL;
  vsig__init();
  reg_lock();
  struct vsig_thr *t = reg_find_thread(thread);
  if (t) {
    host_lock(&t->proc->lock);
    static const int map[] = {[T_READY] = VSIG_THREAD_READY,
                              [T_SIGWAIT] = VSIG_THREAD_SIGWAIT,
                              [T_INTR] = VSIG_THREAD_INTERRUPTIBLE,
                              [T_NONINTR] = VSIG_THREAD_NONINTERRUPTIBLE};
    *state = map[t->state];
    host_unlock(&t->proc->lock);
  }
  reg_unlock();
  return t ? 0 : ESRCH;
}

static int with_thread(vsig_thread_t id, int *prio, bool set) {
  vsig__init();
  reg_lock();
  struct vsig_thr *t = reg_find_thread(id);
  if (t) {
    host_lock(&t->proc->lock);
    if (set)
      t->priority = *prio;
    else
      *prio = t->priority;
    host_unlock(&t->proc->lock);
  }
  reg_unlock();
  return t ? 0 : ESRCH;
}

static int api_thread_setpriority(vsig_thread_t thread, int priority) {
  return with_thread(thread, &priority, true);
}

static int api_thread_getpriority(vsig_thread_t thread, int *priority) {
  if (!priority)
    return EINVAL;
  return with_thread(thread, priority, false);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_thread_attach(vsig_pid_t pid, int priority) {
  API_ENTER();
  int rc = api_thread_attach(pid, priority);
  api_leave();
  return rc;
}

int vsig_thread_detach(void) {
  API_ENTER();
  int rc = api_thread_detach();
  api_leave();
  return rc;
}

int vsig_thread_create(pthread_t *host, vsig_thread_t *thread, vsig_pid_t pid, int priority,
                       void *(*start)(void *), void *arg) {
  API_ENTER();
  int rc = api_thread_create(host, thread, pid, priority, start, arg);
  api_leave();
  return rc;
}

int vsig_pthread_create(pthread_t *host, const pthread_attr_t *attr, void *(*start)(void *),
                        void *arg) {
  API_ENTER();
  int rc = api_pthread_create(host, attr, start, arg);
  api_leave();
  return rc;
}

vsig_thread_t vsig_thread_self(void) {
  API_ENTER();
  vsig_thread_t rc = api_thread_self();
  api_leave();
  return rc;
}

int vsig_thread_from_host(pthread_t host, vsig_thread_t *thread) {
  API_ENTER();
  int rc = api_thread_from_host(host, thread);
  api_leave();
  return rc;
}

struct tid_match {
  int tid;
  vsig_thread_t id;
};

static void match_tid(struct vsig_thr *t, void *arg) {
  struct tid_match *m = arg;
  if (!m->id && atomic_load_explicit(&t->host_tid, memory_order_relaxed) == m->tid)
    m->id = t->node.key;
}

static int api_thread_from_host_tid(int tid, vsig_thread_t *thread) {
  if (!thread || tid <= 0)
    return EINVAL;
  vsig__init();
  struct tid_match m = {tid, 0};
  reg_lock();
  reg_each_thread(match_tid, &m);
  reg_unlock();
  if (!m.id)
    return ESRCH;
  *thread = m.id;
  return 0;
}

int vsig_thread_getstate(vsig_thread_t thread, int *state) {
  API_ENTER();
  int rc = api_thread_getstate(thread, state);
  api_leave();
  return rc;
}

int vsig_thread_setpriority(vsig_thread_t thread, int priority) {
  API_ENTER();
  int rc = api_thread_setpriority(thread, priority);
  api_leave();
  return rc;
}

int vsig_thread_getpriority(vsig_thread_t thread, int *priority) {
  API_ENTER();
  int rc = api_thread_getpriority(thread, priority);
  api_leave();
  return rc;
}

int vsig_pthread_create_ex(pthread_t *host, const pthread_attr_t *attr, const vsig_sigset_t *mask,
                           vsig_create_fn create_fn, void *(*start)(void *), void *arg) {
  API_ENTER();
  int rc = api_pthread_create_ex(host, attr, mask, create_fn, start, arg);
  api_leave();
  return rc;
}

int vsig_creating_thread(void) { return host_creating_thread(); }

int vsig_thread_from_host_tid(int tid, vsig_thread_t *thread) {
  API_ENTER();
  int rc = api_thread_from_host_tid(tid, thread);
  api_leave();
  return rc;
}
