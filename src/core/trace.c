/* SPDX-License-Identifier: MIT */
/*
 * The trace hook: one function pointer that the hook points load (relaxed,
 * predicted null) and, when set, the events they report through it. The
 * function and its argument change together under a sequence counter; the
 * writer holds a vsig lock meanwhile, so no host signal handler on its own
 * thread reads them half-written (it defers while a lock is held), and a
 * reader elsewhere waits the few stores it takes.
 */
#include "internal.h"

#include <string.h>

_Atomic(vsig_trace_fn) vsig__trace_fn;
static _Atomic(void *) trace_arg;
static _Atomic uint32_t trace_seq;
static host_lock_t trace_lock = PTHREAD_MUTEX_INITIALIZER;

/* Instance ids: sends count up from 1; timers' signals have the top bit. */
static _Atomic uint64_t next_id;
static _Atomic uint32_t next_timer_seq;

_Thread_local uint64_t vsig__trace_cause;

static bool hook_read(vsig_trace_fn *fn, void **arg) {
  for (;;) {
    uint32_t s = atomic_load_explicit(&trace_seq, memory_order_acquire);
    if (s & 1)
      continue;
    vsig_trace_fn f = atomic_load_explicit(&vsig__trace_fn, memory_order_relaxed);
    void *a = atomic_load_explicit(&trace_arg, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&trace_seq, memory_order_relaxed) == s) {
      *fn = f;
      *arg = a;
      return f != NULL;
    }
  }
}

void vsig_set_trace_fn(vsig_trace_fn fn, void *arg) {
  host_lock(&trace_lock);
  uint32_t s = atomic_load_explicit(&trace_seq, memory_order_relaxed);
  atomic_store_explicit(&trace_seq, s + 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&trace_arg, arg, memory_order_relaxed);
  atomic_store_explicit(&vsig__trace_fn, fn, memory_order_relaxed);
  atomic_store_explicit(&trace_seq, s + 2, memory_order_release);
  host_unlock(&trace_lock);
}

void trace_fork_prepare(void) { host_lock(&trace_lock); }
void trace_fork_parent(void) { host_unlock(&trace_lock); }
void trace_fork_child(void) { host_lock_init(&trace_lock); }

void vsig_get_trace_fn(vsig_trace_fn *fn, void **arg) {
  vsig_trace_fn f;
  void *a;
  hook_read(&f, &a);
  if (fn)
    *fn = f;
  if (arg)
    *arg = a;
}

/* An event with what every kind has: the time, and where it happens. */
static void event_init(vsig_trace_event_t *ev, int kind) {
  memset(ev, 0, sizeof *ev);
  ev->size = (uint32_t)sizeof *ev;
  ev->kind = kind;
  ev->time_ns = clock_now();
  struct vsig_thr *self = vsig__tls_outside ? NULL : vsig__tls_self;
  if (self) {
    ev->self = self->node.key;
    ev->self_pid = self->proc->pid;
  }
}

static void emit(const vsig_trace_event_t *ev) {
  vsig_trace_fn fn;
  void *arg;
  if (hook_read(&fn, &arg))
    fn(ev, arg);
}

/* The fields a signal's siginfo gives. */
static void from_info(vsig_trace_event_t *ev, const vsig_siginfo_t *info) {
  ev->sig = info->si_signo;
  ev->code = info->si_code;
  ev->sender_pid = info->si_pid;
  ev->value = info->si_value;
  ev->sender = TRACE_SENDER(info);
  if (info->si_code == VSIG_SI_TIMER) {
    ev->timer = info->si_timerid;
    ev->overrun = info->si_overrun;
  }
}

static uint64_t new_id(void) {
  return atomic_fetch_add_explicit(&next_id, 1, memory_order_relaxed) + 1;
}

static void generated(struct vsig_proc *p, struct vsig_thr *t, int sig, const vsig_siginfo_t *info,
                      uint64_t id) {
  vsig_trace_event_t ev;
  event_init(&ev, VSIG_TRACE_GENERATE);
  from_info(&ev, info);
  ev.sig = sig;
  ev.id = id;
  ev.pid = p->pid;
  ev.thread = t ? t->node.key : 0;
  emit(&ev);
}

uint64_t trace_generate(struct vsig_proc *p, struct vsig_thr *t, int sig, vsig_siginfo_t *info) {
  uint64_t id = new_id();
  TRACE_ID(info) = id;
  TRACE_SENDER(info) = vsig__tls_outside || !vsig__tls_self ? 0 : vsig__tls_self->node.key;
  generated(p, t, sig, info, id);
  return id;
}

void trace_generate_discard(struct vsig_proc *p, struct vsig_thr *t, int sig,
                            const vsig_siginfo_t *info, int reason) {
  vsig_siginfo_t copy = *info;
  trace_generate(p, t, sig, &copy);
  trace_discard(p, t, sig, &copy, reason);
}

uint64_t trace_raise(struct vsig_thr *t, int sig, const vsig_siginfo_t *info) {
  (void)sig;
  uint64_t id = new_id();
  vsig_trace_event_t ev;
  event_init(&ev, VSIG_TRACE_GENERATE);
  from_info(&ev, info);
  ev.sender = t->node.key;
  ev.id = id;
  ev.pid = t->proc->pid;
  ev.thread = t->node.key;
  emit(&ev);
  return id;
}

void trace_raise_discard(struct vsig_thr *t, int sig) {
  vsig_siginfo_t info;
  info_init(&info, sig, VSIG_SI_TKILL, t);
  uintptr_t h = handler_of(t->proc, sig);
  trace_generate_discard(t->proc, t, sig, &info,
                         h == H_IGN ? VSIG_TRACE_DISCARD_IGNORED : VSIG_TRACE_DISCARD_DEFAULT);
}

void trace_choose(struct vsig_proc *p, int sig, struct vsig_thr *chosen, int step) {
  vsig_trace_event_t ev;
  event_init(&ev, VSIG_TRACE_CHOOSE);
  ev.pid = p->pid;
  ev.sig = sig;
  ev.thread = chosen ? chosen->node.key : 0;
  ev.reason = step;
  ev.id = vsig__trace_cause;
  emit(&ev);
}

void trace_discard(struct vsig_proc *p, struct vsig_thr *t, int sig, const vsig_siginfo_t *info,
                   int reason) {
  vsig_trace_event_t ev;
  event_init(&ev, VSIG_TRACE_DISCARD);
  from_info(&ev, info);
  ev.sig = sig;
  ev.id = TRACE_ID(info);
  ev.pid = p->pid;
  ev.thread = t ? t->node.key : 0;
  ev.reason = reason;
  emit(&ev);
}

static void discard_sig(struct vsig_proc *p, struct vsig_thr *t, struct sigq *q, int sig,
                        int reason) {
  vsig_siginfo_t info;
  for (struct qnode *n = q->head; n; n = n->next) {
    if (n->sig != sig)
      continue;
    if (n->kind == QN_TIMER)
      timer_node_info(n, &info);
    else
      cinfo_unpack(&info, &CELL_OF(n)->info, sig);
    trace_discard(p, t, sig, &info, reason);
  }
  if (q->bare & SIGBIT(sig)) {
    memset(&info, 0, sizeof info);
    info.si_signo = sig;
    trace_discard(p, t, sig, &info, reason);
  }
}

void trace_discard_queue(struct vsig_proc *p, struct vsig_thr *t, struct sigq *q, int sig,
                         int reason) {
  if (sig) {
    discard_sig(p, t, q, sig, reason);
    return;
  }
  uint64_t set = atomic_load_explicit(&q->set, memory_order_relaxed);
  while (set) {
    sig = lowest_sig(set);
    set &= ~SIGBIT(sig);
    discard_sig(p, t, q, sig, reason);
  }
}

void trace_deliver(struct vsig_thr *t, const struct frame *f) {
  vsig_trace_event_t ev;
  event_init(&ev, VSIG_TRACE_DELIVER);
  /* raise's fast path, not traced at its start, fills the siginfo only for
   * handlers that read it: otherwise only the signal is known. */
  if (f->trace_id || (f->flags & VSIG_SA_SIGINFO) || invoker_set())
    from_info(&ev, &f->info);
  ev.sig = f->sig;
  ev.id = f->trace_id;
  ev.sender = f->trace_id ? f->trace_sender : ev.sender;
  ev.pid = t->proc->pid;
  ev.thread = t->node.key;
  ev.reason = t->in_handler;
  emit(&ev);
}

void trace_return(struct vsig_thr *t, const struct frame *f) {
  vsig_trace_event_t ev;
  event_init(&ev, VSIG_TRACE_RETURN);
  ev.sig = f->sig;
  ev.id = f->trace_id;
  ev.pid = t->proc->pid;
  ev.thread = t->node.key;
  ev.reason = t->in_handler; /* the depth it ran at */
  emit(&ev);
}

void trace_accept(struct vsig_thr *t, const vsig_siginfo_t *info, uint64_t id, uint64_t sender) {
  vsig_trace_event_t ev;
  event_init(&ev, VSIG_TRACE_ACCEPT);
  from_info(&ev, info);
  ev.id = id;
  ev.sender = sender;
  ev.pid = t->proc->pid;
  ev.thread = t->node.key;
  emit(&ev);
}

void trace_timer(struct vsig_timer *tm, struct vsig_proc *p) {
  vsig_trace_event_t ev;
  event_init(&ev, VSIG_TRACE_TIMER);
  ev.pid = p->pid;
  ev.sig = tm->notify == TN_NONE ? 0 : tm->sig;
  ev.thread = tm->notify == TN_THREAD ? tm->to.thread->node.key : 0;
  ev.timer = tm->id;
  ev.overrun = tm->overrun;
  ev.code = VSIG_SI_TIMER;
  ev.value = tm->value;
  /* Its signal still pending: this expiry is an overrun of that one. */
  ev.id = tm->queued ? trace_timer_id(tm->trace_seq) : 0;
  emit(&ev);
}

void trace_timer_signal(struct vsig_timer *tm, struct vsig_proc *p) {
  uint32_t seq = atomic_fetch_add_explicit(&next_timer_seq, 1, memory_order_relaxed) + 1;
  if (!seq) /* wrapped: 0 means none */
    seq = atomic_fetch_add_explicit(&next_timer_seq, 1, memory_order_relaxed) + 1;
  tm->trace_seq = seq;
  vsig_siginfo_t info;
  timer_node_info(&tm->qn, &info);
  generated(p, tm->notify == TN_THREAD ? tm->to.thread : NULL, tm->sig, &info, trace_timer_id(seq));
}

void trace_timer_gone(struct vsig_timer *tm, struct vsig_proc *p) {
  vsig_siginfo_t info;
  timer_node_info(&tm->qn, &info);
  trace_discard(p, tm->notify == TN_THREAD ? tm->to.thread : NULL, tm->sig, &info,
                VSIG_TRACE_DISCARD_TIMER_GONE);
}

void trace_terminate(struct vsig_proc *p, int sig) {
  vsig_trace_event_t ev;
  event_init(&ev, VSIG_TRACE_TERMINATE);
  ev.pid = p->pid;
  ev.sig = sig;
  emit(&ev);
}
