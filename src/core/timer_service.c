/* SPDX-License-Identifier: MIT */
/*
 * The timer service: one binary min-heap of armed timers for every process in
 * the host process. Arm and disarm are O(log n); each timer knows its heap
 * slot. On the host clock a service thread sleeps until the earliest deadline
 * (no periodic tick) and is woken only when the earliest deadline changes. On
 * the manual clock there is no thread: vsig_clock_advance fires due timers.
 *
 * Periodic timers are drift-free: the next deadline is the previous deadline
 * plus the period. Expiries that were missed (the service was late, or the
 * manual clock jumped) are counted as overruns of the pending signal.
 */
#include "internal.h"

#include <stdlib.h>

void clock_manual_set(int64_t now);

static struct {
  host_lock_t lock;
  struct vsig_timer **heap;
  size_t n, cap;
  host_event_t ev; /* wakes the service thread */
  bool thread_started;
  int64_t sleep_until; /* the service thread sleeps until then; INT64_MIN: awake */
} S = {.lock = PTHREAD_MUTEX_INITIALIZER, .sleep_until = INT64_MIN};

void tsvc_lock(void) { host_lock(&S.lock); }
void tsvc_unlock(void) { host_unlock(&S.lock); }
size_t tsvc_armed(void) { return S.n; }

/* ---- the heap ------------------------------------------------------------------ */

static void place(size_t i, struct vsig_timer *t) {
  S.heap[i] = t;
  t->heap_idx = (uint32_t)i;
}

static void sift_up(size_t i) {
  struct vsig_timer *t = S.heap[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (S.heap[parent]->deadline <= t->deadline)
      break;
    place(i, S.heap[parent]);
    i = parent;
  }
  place(i, t);
}

static void sift_down(size_t i) {
  struct vsig_timer *t = S.heap[i];
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= S.n)
      break;
    if (c + 1 < S.n && S.heap[c + 1]->deadline < S.heap[c]->deadline)
      c++;
    if (t->deadline <= S.heap[c]->deadline)
      break;
    place(i, S.heap[c]);
    i = c;
  }
  place(i, t);
}

static void heap_remove(struct vsig_timer *t) {
  size_t i = t->heap_idx;
  t->heap_idx = HEAP_NONE;
  struct vsig_timer *last = S.heap[--S.n];
  if (i == S.n)
    return;
  place(i, last);
  if (i > 0 && S.heap[(i - 1) / 2]->deadline > last->deadline)
    sift_up(i);
  else
    sift_down(i);
}

/* Room for one more timer. The heap grows (by doubling) only here, on the arm
 * path: a timer that fires is re-armed into the slot it just left. */
static bool heap_reserve(void) {
  if (S.n < S.cap)
    return true;
  size_t cap = S.cap ? S.cap * 2 : 64;
  struct vsig_timer **h = realloc(S.heap, cap * sizeof *h);
  if (!h)
    return false;
  S.heap = h;
  S.cap = cap;
  return true;
}

static void heap_push(struct vsig_timer *t) {
  S.heap[S.n] = NULL;
  place(S.n++, t);
  sift_up(S.n - 1);
}

/* ---- firing ---------------------------------------------------------------------- */

/* Fire t (already out of the heap) at its deadline. horizon is the time up to
 * which expiries are due: later periods up to it are overruns. */
static void fire(struct vsig_timer *t, int64_t horizon, struct after *a) {
  if (t->notify == TN_WAKE) {
    /* The wait ends now, in deadline order with the other expiries of this
     * advance: a later one must find the thread no longer waiting. */
    struct vsig_thr *th = t->to.thread;
    host_lock(&th->proc->lock);
    end_wait(th, WE_TIMEOUT);
    host_unlock(&th->proc->lock);
    host_event_signal(&th->ev);
    return;
  }
  struct vsig_proc *p = timer_proc(t);
  int64_t next = -1, missed = 0;
  if (t->period > 0) {
    next = sat_add(t->deadline, t->period);
    if (next <= horizon) {
      missed = (horizon - next) / t->period + 1;
      next = sat_add(next, missed > INT64_MAX / t->period ? INT64_MAX : missed * t->period);
    }
  }
  host_lock(&p->lock);
  bool alive = atomic_load_explicit(&p->state, memory_order_relaxed) != P_DEAD;
  if (alive && t->notify != TN_NONE) {
    timer_generate(t, p, a);
    /* A missed expiry that finds the signal handed to a waiter makes a fresh
     * signal, which may go straight to another waiter; once one stays pending
     * the rest are its overruns. Each hand-off uses up a waiting thread, so
     * the loop ends; if the signal is discarded instead, so are the rest. */
    int64_t left = missed;
    for (size_t n = 0; left > 0 && !t->queued && n <= p->nthreads; n++, left--)
      timer_generate(t, p, a);
    if (left > 0 && t->queued) {
      int64_t o = (int64_t)t->overrun + left;
      t->overrun = o > INT32_MAX ? INT32_MAX : (int32_t)o;
    }
  }
  host_unlock(&p->lock);
  if (alive && next >= 0) {
    t->deadline = next;
    if (next == INT64_MAX)
      t->flags |= TF_UNHEAPED; /* still periodic, so still armed: it reads as such */
    else
      heap_push(t); /* into the slot it left, or one tsvc_arm reserved */
  }
}

void tsvc_disarm(struct vsig_timer *t) {
  t->flags &= (uint8_t)~TF_UNHEAPED;
  if (t->heap_idx != HEAP_NONE)
    heap_remove(t);
}

static void *service_thread(void *arg);

int tsvc_arm(struct vsig_timer *t, int64_t deadline, int64_t period, struct after *a) {
  if (!heap_reserve())
    return -ENOMEM; /* before anything changes */
  tsvc_disarm(t);
  t->period = period;
  t->deadline = deadline;
  if (deadline == INT64_MAX || t->notify == TN_NONE) {
    /* Beyond any clock, or nobody to tell: nothing will ever fire, and the
     * remaining time is computed when asked. */
    t->flags |= TF_UNHEAPED;
    return 0;
  }
  if (clock_is_manual()) {
    int64_t now = clock_now();
    if (deadline <= now) {
      fire(t, now, a);
      return 0;
    }
    heap_push(t);
    return 0;
  }
  clock_mark_used();
  heap_push(t);
  if (!S.thread_started) {
    if (host_thread_spawn(service_thread, NULL, "vsig-timer") == 0)
      S.thread_started = true;
  } else if (deadline < S.sleep_until) {
    host_event_signal(&S.ev); /* it must wake earlier than it planned */
  }
  return 0;
}

/* Expiries a native timer would coalesce anyway; the default (50 us) is
 * coarser than the jitter of a kernel hrtimer. */
enum { SERVICE_SLACK_NS = 1000 };
/* The service wakes this long before a deadline and spins the rest of the way:
 * a sleeping thread's wake-up takes tens of microseconds on a loaded host, and
 * the signal still has to wake its receiver after that. */
enum { SERVICE_EARLY_NS = 50000 };

/* The service thread belongs to no process: a terminate callback that runs
 * on it (a timer's signal killed a process) calls vsig as from outside. */
static void *service_thread(void *arg) {
  (void)arg;
  vsig__tls_outside = 1;
  host_thread_timer_slack(SERVICE_SLACK_NS);
  tsvc_lock();
  for (;;) {
    int64_t now = host_now_ns();
    if (S.n == 0 || S.heap[0]->deadline > now) {
      int64_t until = S.n ? S.heap[0]->deadline : INT64_MAX;
      S.sleep_until = until;
      uint32_t token = host_event_prepare(&S.ev);
      tsvc_unlock();
      if (until - now <= SERVICE_EARLY_NS)
        host_event_spin(&S.ev, token, until);
      else
        host_event_wait(&S.ev, token, until == INT64_MAX ? -1 : until - SERVICE_EARLY_NS, false);
      tsvc_lock();
      S.sleep_until = INT64_MIN;
      continue;
    }
    struct vsig_timer *t = S.heap[0];
    heap_remove(t);
    struct after a = {0};
    fire(t, now, &a);
    if (after_pending(&a)) {
      tsvc_unlock();
      after_run(NULL, &a);
      tsvc_lock();
    }
  }
  return NULL;
}

/* Fire, in deadline order, every timer due by horizon, with the clock reading
 * each one's deadline. The caller's own handlers run as their signals come,
 * before the next expiry, so they too see the events in order. */
static void run_due_manual(int64_t horizon, struct vsig_thr *self) {
  while (S.n && S.heap[0]->deadline <= horizon) {
    struct vsig_timer *t = S.heap[0];
    heap_remove(t);
    clock_manual_set(t->deadline);
    struct after a = {0};
    fire(t, horizon, &a);
    if (after_pending(&a) || (self && atomic_load(&self->attention))) {
      a.deliver_self = self != NULL;
      tsvc_unlock();
      after_run(self, &a);
      tsvc_lock();
    }
  }
}

static int api_clock_advance(int64_t ns) {
  if (ns < 0 || !clock_is_manual())
    return EINVAL;
  struct vsig_thr *self = vsig__tls_self;
  tsvc_lock();
  int64_t target = sat_add(clock_now(), ns);
  run_due_manual(target, self);
  /* A callback run meanwhile may have advanced it further: never go back. */
  if (clock_now() < target)
    clock_manual_set(target);
  tsvc_unlock();
  return 0;
}

void tsvc_reset_after_fork(void) {
  free(S.heap);
  S.heap = NULL;
  S.n = S.cap = 0;
  S.thread_started = false;
  S.sleep_until = INT64_MIN;
  host_lock_init(&S.lock);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_clock_advance(int64_t ns) {
  API_ENTER();
  int rc = api_clock_advance(ns);
  api_leave();
  return rc;
}
