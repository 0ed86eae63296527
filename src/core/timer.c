/* SPDX-License-Identifier: MIT */
/* Timers as the processes see them: their signals, overruns and ownership. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define TIMER_OF(n) ((struct vsig_timer *)((char *)(n)-offsetof(struct vsig_timer, qn)))

struct vsig_proc *timer_proc(const struct vsig_timer *t) {
  return t->notify == TN_THREAD ? t->to.thread->proc : t->to.proc;
}

/* The siginfo of a timer signal is made when it is taken, so that it carries
 * the overruns counted while it waited. */
void timer_node_info(const struct qnode *n, vsig_siginfo_t *info) {
  const struct vsig_timer *t = TIMER_OF(n);
  info_clear(info);
  info->si_signo = t->sig;
  info->si_code = VSIG_SI_TIMER;
  info->si_value = t->value;
  info->si_timerid = t->id;
  info->si_overrun = t->overrun;
  TRACE_ID(info) = trace_timer_id(t->trace_seq);
}

void timer_node_taken(struct qnode *n, vsig_siginfo_t *info) {
  struct vsig_timer *t = TIMER_OF(n);
  timer_node_info(n, info);
  t->trace_seq = 0;
  t->last_overrun = t->overrun;
  t->overrun = 0;
  t->queued = 0;
}

void timer_generate(struct vsig_timer *t, struct vsig_proc *p, struct after *a) {
  if (TRACING())
    trace_timer(t, p);
  if (t->queued) {
    if (t->overrun < INT32_MAX)
      t->overrun++;
    return;
  }
  /* A timer's SIGCONT continues and a stop signal's discards a pending
   * SIGCONT, as any sender's (prepare in generate.c). */
  if (sig_is_jobctl(t->sig) && atomic_load_explicit(&p->state, memory_order_relaxed) != P_DEAD)
    jobctl_generated(p, t->sig, a);
  if (handler_of(p, t->sig) == H_IGN)
    return;
  struct sigq *target = t->notify == TN_THREAD ? &t->to.thread->tpending : &p->pending;
  if (!sig_is_rt(t->sig) &&
      (atomic_load_explicit(&target->set, memory_order_relaxed) & SIGBIT(t->sig))) {
    /* A standard signal has one pending instance: this expiry merges into the
     * one already there (from kill or another timer) and is counted on the
     * timer's next signal. */
    if (t->overrun < INT32_MAX)
      t->overrun++;
    return;
  }
  struct inst in = {.n = &t->qn};
  if (TRACING())
    trace_timer_signal(t, p);
  t->queued = 1;
  if (t->notify == TN_THREAD)
    thread_send_inst(t->to.thread, t->sig, &in, NULL, a);
  else
    proc_send_inst(p, t->sig, &in, NULL, a);
}

void timer_unqueue(struct vsig_timer *t, struct vsig_proc *p) {
  if (!t->queued)
    return;
  if (TRACING())
    trace_timer_gone(t, p);
  t->trace_seq = 0;
  t->queued = 0;
  if (sigq_unlink(p, &p->pending, t->sig, &t->qn)) {
    proc_pending_shrunk(p, t->sig);
    return;
  }
  for (struct vsig_thr *th = p->threads; th; th = th->next)
    if (sigq_unlink(p, &th->tpending, t->sig, &t->qn))
      return;
}

/* ---- a process's timer table -------------------------------------------------------- */

struct vsig_timer *timer_alloc_internal(struct vsig_proc *p, int sig) {
  struct vsig_timer *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->heap_idx = HEAP_NONE;
  t->id = -1; /* si_timerid of alarm and interval timers */
  t->notify = TN_PROC;
  t->to.proc = p;
  t->sig = (uint8_t)sig;
  return t;
}

struct vsig_timer *ptimer_get(struct vsig_proc *p, vsig_timer_t id) {
  if (id < 0 || (uint32_t)id >= p->timers.hiwater)
    return NULL;
  struct vsig_timer *t = &p->timers.chunks[id / TCHUNK][id % TCHUNK];
  return t->notify == TN_FREE ? NULL : t;
}

/* Process lock held. */
struct vsig_timer *ptimer_new(struct vsig_proc *p, int *err) {
  struct ptimers *pt = &p->timers;
  if (pt->used >= p->attr.timer_max) {
    *err = EAGAIN;
    return NULL;
  }
  int32_t id;
  if (pt->nfree) {
    id = pt->free_ids[--pt->nfree];
  } else {
    if (pt->hiwater % TCHUNK == 0) {
      uint32_t c = pt->hiwater / TCHUNK;
      if (c == pt->nchunks) {
        uint32_t n = pt->nchunks ? pt->nchunks * 2 : 4;
        struct vsig_timer **chunks = realloc(pt->chunks, n * sizeof *chunks);
        if (!chunks) {
          *err = ENOMEM;
          return NULL;
        }
        pt->chunks = chunks;
        pt->nchunks = n;
      }
      pt->chunks[c] = calloc(TCHUNK, sizeof(struct vsig_timer));
      if (!pt->chunks[c]) {
        *err = ENOMEM;
        return NULL;
      }
    }
    id = (int32_t)pt->hiwater++;
  }
  struct vsig_timer *t = &pt->chunks[id / TCHUNK][id % TCHUNK];
  memset(t, 0, sizeof *t);
  t->id = id;
  t->heap_idx = HEAP_NONE;
  pt->used++;
  return t;
}

/* Service and process locks held; t is disarmed and unqueued. */
void ptimer_release(struct vsig_proc *p, struct vsig_timer *t) {
  struct ptimers *pt = &p->timers;
  if (pt->nfree == pt->free_cap) {
    uint32_t cap = pt->free_cap ? pt->free_cap * 2 : TCHUNK;
    int32_t *f = realloc(pt->free_ids, cap * sizeof *f);
    if (!f) {
      t->notify = TN_FREE; /* the id is not reused; nothing else is lost */
      pt->used--;
      return;
    }
    pt->free_ids = f;
    pt->free_cap = cap;
  }
  t->notify = TN_FREE;
  pt->free_ids[pt->nfree++] = t->id;
  pt->used--;
}

/* Disarmed, unqueued and with no setting left to report. Both locks held. */
static void timer_stop(struct vsig_timer *t, struct vsig_proc *p) {
  tsvc_disarm(t);
  t->period = 0;
  timer_unqueue(t, p);
}

/* Every timer of p, stopped. Service and process locks held. */
static void timers_stop_all(struct vsig_proc *p) {
  struct ptimers *pt = &p->timers;
  for (uint32_t id = 0; id < pt->hiwater; id++) {
    struct vsig_timer *t = &pt->chunks[id / TCHUNK][id % TCHUNK];
    if (t->notify != TN_FREE)
      timer_stop(t, p);
  }
  if (pt->alarm)
    timer_stop(pt->alarm, p);
  for (int sig = 1; pt->interval && sig < VSIG_NSIG; sig++)
    if (pt->interval[sig])
      timer_stop(pt->interval[sig], p);
}

void timers_free(struct vsig_proc *p) {
  struct ptimers *pt = &p->timers;
  for (uint32_t c = 0; c < pt->nchunks && c * TCHUNK < pt->hiwater; c++)
    free(pt->chunks[c]);
  free(pt->chunks);
  free(pt->free_ids);
  free(pt->alarm);
  for (int sig = 1; pt->interval && sig < VSIG_NSIG; sig++)
    free(pt->interval[sig]);
  free(pt->interval);
  memset(pt, 0, sizeof *pt);
}

/* A terminated process's timers are deleted (their memory goes with the
 * process when it is destroyed). */
void timers_proc_dead(vsig_pid_t pid) {
  reg_lock();
  struct vsig_proc *p = reg_find_proc(pid);
  if (p) {
    tsvc_lock();
    host_lock(&p->lock);
    timers_stop_all(p);
    struct ptimers *pt = &p->timers;
    for (uint32_t id = 0; id < pt->hiwater; id++) {
      struct vsig_timer *t = &pt->chunks[id / TCHUNK][id % TCHUNK];
      if (t->notify != TN_FREE)
        ptimer_release(p, t);
    }
    host_unlock(&p->lock);
    tsvc_unlock();
  }
  reg_unlock();
}

/* Before p is freed. Registry lock held. */
void timers_proc_stop(struct vsig_proc *p) {
  tsvc_lock();
  host_lock(&p->lock);
  timers_stop_all(p);
  host_unlock(&p->lock);
  tsvc_unlock();
}

/* A thread that leaves takes no more timer signals: its timers signal the
 * process instead. Service and process locks held. */
void timers_thread_gone(struct vsig_thr *th) {
  struct vsig_proc *p = th->proc;
  struct ptimers *pt = &p->timers;
  for (uint32_t id = 0; id < pt->hiwater; id++) {
    struct vsig_timer *t = &pt->chunks[id / TCHUNK][id % TCHUNK];
    if (t->notify == TN_THREAD && t->to.thread == th) {
      timer_unqueue(t, p);
      t->notify = TN_PROC;
      t->to.proc = p;
    }
  }
}

/* Time left to the next expiry (rounded to whole ns; 0: disarmed) and period. */
void itimer_to_spec(const struct vsig_timer *t, int64_t *left, int64_t *period) {
  *period = t->period;
  if (t->heap_idx == HEAP_NONE && !(t->flags & TF_UNHEAPED)) {
    *left = 0;
    return;
  }
  int64_t now = clock_now(), l = t->deadline - now;
  if (l <= 0 && (t->flags & TF_UNHEAPED) && t->deadline != INT64_MAX) {
    /* A SIGEV_NONE timer expires without anyone being told. */
    if (t->period <= 0) {
      *left = 0;
      return;
    }
    l = t->period - (now - t->deadline) % t->period;
  }
  *left = l > 0 ? l : 1; /* armed: never reported as disarmed */
}
