/* SPDX-License-Identifier: MIT */
/* What a thread is doing, as delivery sees it: its state, its seniority in
 * that state, and how a vsig wait ends. */
#include "internal.h"

/* Seniority ("waited longest") is the time of the last state change: entering
 * the state a thread is already in keeps it. */
void set_state(struct vsig_thr *t, enum thr_state s) {
  if (t->state == s)
    return;
  t->state = s;
  t->state_since = ++t->proc->clock;
}

bool end_wait(struct vsig_thr *t, enum wait_end ev) {
  if ((t->state != T_INTR && t->state != T_SIGWAIT) || t->wait_end != WE_NONE)
    return false;
  t->wait_end = (uint8_t)ev;
  t->wait_state = t->state;
  t->wait_since = t->state_since;
  t->waitset = 0;
  set_state(t, T_READY);
  return true;
}

void resume_wait(struct vsig_thr *t, enum thr_state s) {
  if (t->wait_end == WE_INTR && t->wait_state == s) {
    t->state = s;
    t->state_since = t->wait_since;
  } else {
    set_state(t, s);
  }
  t->wait_end = WE_NONE;
}

/* A handler is due on t. A thread in a vsig wait is interrupted now: its wait
 * ends at this event, so that later events see it ready (deadline order on the
 * manual clock, and a sigwait interrupted first returns EINTR). */
void thread_notify(struct vsig_thr *t, int sig) {
  atomic_store(&t->attention, 1); /* seq_cst: see deliver_self */
  if (t->state == T_INTR || t->state == T_SIGWAIT) {
    end_wait(t, WE_INTR);
    host_event_signal(&t->ev);
    if (t->wake_fn)
      t->wake_fn(t->wake_arg);
  } else if (t->state == T_READY && t->async) {
    if (t != vsig__tls_self)
      thread_interrupt(t, sig);
    else
      vsig__tls_deferred = 1; /* inside vsig itself: delivered on its way out */
  }
}

void thread_recompute_attention(struct vsig_thr *t) {
  int a = atomic_load_explicit(&t->proc->state, memory_order_relaxed) == P_DEAD ||
          proc_stopped(t->proc) ||
          thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed)) != 0;
  atomic_store_explicit(&t->attention, a, memory_order_release);
}
