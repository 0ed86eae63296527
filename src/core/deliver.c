/* SPDX-License-Identifier: MIT */
/*
 * Generation and delivery: which thread gets a signal, and running handlers.
 *
 * A process-directed signal is put in the process's pending queue; then
 * proc_distribute picks a recipient for each instance by the RTEMS algorithm:
 *   1. ignored: discarded at generation (proc_send);
 *   2. the sending thread, if it is in the process and has it unblocked;
 *   3. the highest-priority thread in the sigwait family waiting for it;
 *   4. the highest-priority thread with it unblocked: ready before blocked
 *      in an interruptible call before blocked in a non-interruptible one;
 *   5. otherwise it stays pending, for the first thread to unblock or wait.
 * Ties (same priority, same state) go to the thread that entered its state first.
 *
 * A waiter (step 3) is handed the oldest instance at once. A thread chosen in
 * step 2 or 4 gets a claim: the promise of one instance, which it takes (again
 * the oldest) at its next safe point. Instances never leave the process queue
 * before they are taken, so every taker gets the oldest one and real-time
 * signals keep their FIFO order across threads. A thread that blocks a signal
 * it holds claims on gives them back, and they are handed on again.
 */
#include "internal.h"

#include <string.h>

enum dfl sig_default(int sig) {
  switch (sig) {
  case VSIG_SIGQUIT:
  case VSIG_SIGILL:
  case VSIG_SIGTRAP:
  case VSIG_SIGABRT:
  case VSIG_SIGBUS:
  case VSIG_SIGFPE:
  case VSIG_SIGSEGV:
  case VSIG_SIGXCPU:
  case VSIG_SIGXFSZ:
  case VSIG_SIGSYS:
    return DFL_CORE;
  case VSIG_SIGCHLD:
  case VSIG_SIGURG:
  case VSIG_SIGWINCH:
    return DFL_IGN;
  case VSIG_SIGSTOP:
  case VSIG_SIGTSTP:
  case VSIG_SIGTTIN:
  case VSIG_SIGTTOU:
    return DFL_STOP;
  case VSIG_SIGCONT:
    return DFL_CONT;
  default:
    return DFL_TERM;
  }
}

/* ---- actions: a sequence counter lets raise read them without the lock ---- */

void action_read(struct vsig_proc *p, int sig, vsig_sigaction_t *out) {
  struct action *a = &p->act[sig];
  for (;;) {
    uint32_t s = atomic_load_explicit(&p->act_seq, memory_order_acquire);
    if (s & 1)
      continue;
    uintptr_t h = atomic_load_explicit(&a->handler, memory_order_relaxed);
    uint64_t m = atomic_load_explicit(&a->mask, memory_order_relaxed);
    int f = atomic_load_explicit(&a->flags, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    if (atomic_load_explicit(&p->act_seq, memory_order_relaxed) == s) {
      out->sa_handler = (vsig_handler_t)h;
      out->sa_mask.bits = m;
      out->sa_flags = f;
      return;
    }
  }
}

void action_write(struct vsig_proc *p, int sig, const vsig_sigaction_t *in) {
  struct action *a = &p->act[sig];
  uint32_t s = atomic_load_explicit(&p->act_seq, memory_order_relaxed);
  atomic_store_explicit(&p->act_seq, s + 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&a->handler, (uintptr_t)in->sa_handler, memory_order_relaxed);
  atomic_store_explicit(&a->mask, in->sa_mask.bits & ~UNBLOCKABLE, memory_order_relaxed);
  atomic_store_explicit(&a->flags, in->sa_flags, memory_order_relaxed);
  atomic_store_explicit(&p->act_seq, s + 2, memory_order_release);
}

static uintptr_t handler_of(struct vsig_proc *p, int sig) {
  return atomic_load_explicit(&p->act[sig].handler, memory_order_relaxed);
}

#define H_DFL ((uintptr_t)VSIG_SIG_DFL)
#define H_IGN ((uintptr_t)VSIG_SIG_IGN)

void info_init(vsig_siginfo_t *info, int sig, int code, struct vsig_thr *sender) {
  memset(info, 0, sizeof *info);
  info->si_signo = sig;
  info->si_code = code;
  if (sender) {
    info->si_pid = sender->proc->pid;
    info->si_uid = sender->proc->uid;
  }
}

/* ---- thread selection ------------------------------------------------------ */

static uint64_t load_mask(struct vsig_thr *t) { return atomic_load(&t->mask); }

static uint64_t pending_for(struct vsig_thr *t) {
  return atomic_load(&t->tpending.set) | atomic_load(&t->proc->pending.set);
}

static uint32_t unclaimed(struct vsig_proc *p, int sig) {
  return p->pending.count[sig] - p->claimed[sig];
}

uint64_t thread_takeable(struct vsig_thr *t, uint64_t mask) {
  struct vsig_proc *p = t->proc;
  uint64_t out = atomic_load_explicit(&t->tpending.set, memory_order_relaxed) & ~mask;
  uint64_t pp = atomic_load_explicit(&p->pending.set, memory_order_relaxed) & ~mask & ~out;
  while (pp) {
    int sig = lowest_sig(pp);
    pp &= ~SIGBIT(sig);
    if (t->claims[sig] || unclaimed(p, sig))
      out |= SIGBIT(sig);
  }
  return out;
}

static void claims_dec(struct vsig_thr *t, int sig, uint32_t n) {
  struct vsig_proc *p = t->proc;
  t->claims[sig] -= n;
  p->claimed[sig] -= n;
  if (!t->claims[sig])
    atomic_store(&t->claimed_set, atomic_load(&t->claimed_set) & ~SIGBIT(sig));
}

bool thread_take(struct vsig_thr *t, int sig, vsig_siginfo_t *info) {
  struct vsig_proc *p = t->proc;
  struct inst in;
  if (sigq_take(p, &t->tpending, sig, &in)) {
    /* thread-directed first */
  } else if (t->claims[sig] || unclaimed(p, sig)) {
    if (!sigq_take(p, &p->pending, sig, &in))
      return false;
    if (t->claims[sig])
      claims_dec(t, sig, 1);
  } else {
    return false;
  }
  *info = in.info;
  pool_release(p, &in);
  return true;
}

static int state_rank(enum thr_state s) {
  switch (s) {
  case T_READY:
    return 0;
  case T_SIGWAIT:
  case T_INTR:
    return 1;
  default:
    return 2;
  }
}

/* Is a a better recipient than b (b may be NULL)? */
static bool better(struct vsig_thr *a, struct vsig_thr *b, bool by_state) {
  if (!b)
    return true;
  if (a->priority != b->priority)
    return a->priority > b->priority;
  if (by_state && state_rank(a->state) != state_rank(b->state))
    return state_rank(a->state) < state_rank(b->state);
  return a->state_since < b->state_since;
}

static struct vsig_thr *best_waiter(struct vsig_proc *p, int sig) {
  struct vsig_thr *best = NULL;
  for (struct vsig_thr *t = p->threads; t; t = t->next)
    if (t->state == T_SIGWAIT && (t->waitset & SIGBIT(sig)) && better(t, best, false))
      best = t;
  return best;
}

static struct vsig_thr *best_unblocked(struct vsig_proc *p, int sig) {
  struct vsig_thr *best = NULL;
  for (struct vsig_thr *t = p->threads; t; t = t->next)
    if (!(load_mask(t) & SIGBIT(sig)) && better(t, best, true))
      best = t;
  return best;
}

void set_state(struct vsig_thr *t, enum thr_state s) {
  t->state = s;
  t->state_since = ++t->proc->clock;
}

/* A sigwait-family waiter takes the instance directly: it is no longer pending
 * anywhere, so no other thread can take it too. */
static void handoff(struct vsig_thr *w, int sig, struct inst *in) {
  w->wait_info = in->info;
  pool_release(w->proc, in);
  w->waitset = 0;
  set_state(w, T_READY);
  atomic_store_explicit(&w->wait_sig, sig, memory_order_release);
  host_event_signal(&w->ev);
}

void thread_notify(struct vsig_thr *t) {
  atomic_store(&t->attention, 1); /* seq_cst: see deliver_self */
  if (t->state == T_INTR || t->state == T_SIGWAIT) {
    host_event_signal(&t->ev);
    if (t->wake_fn)
      t->wake_fn(t->wake_arg);
  }
}

void thread_recompute_attention(struct vsig_thr *t) {
  int a = atomic_load_explicit(&t->proc->state, memory_order_relaxed) == P_DEAD ||
          thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed)) != 0;
  atomic_store_explicit(&t->attention, a, memory_order_release);
}

void thread_unclaim(struct vsig_thr *t, int sig, struct after *a) {
  if (t->claims[sig]) {
    claims_dec(t, sig, t->claims[sig]);
    proc_distribute(t->proc, sig, t, a);
  }
}

void proc_distribute(struct vsig_proc *p, int sig, struct vsig_thr *self, struct after *a) {
  const uint64_t bit = SIGBIT(sig);
  struct inst in;
  while (unclaimed(p, sig) > 0) {
    if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD)
      return;
    struct vsig_thr *t = NULL;
    if (self && self->proc == p && !(load_mask(self) & bit)) {
      t = self;
    } else {
      struct vsig_thr *w = best_waiter(p, sig);
      if (w) {
        sigq_take(p, &p->pending, sig, &in);
        handoff(w, sig, &in);
        continue;
      }
      t = best_unblocked(p, sig);
    }
    uintptr_t h = handler_of(p, sig);
    /* Step 5: it stays pending, unless the process has no threads at all:
     * then nothing blocks it and its default action is taken at once. */
    if (!t && (p->threads || h != H_DFL))
      return;
    if (h == H_IGN || (h == H_DFL && dfl_discards(sig))) {
      sigq_take(p, &p->pending, sig, &in);
      pool_release(p, &in);
      continue;
    }
    if (h == H_DFL) {
      proc_terminate(p, sig, a);
      return;
    }
    t->claims[sig]++;
    p->claimed[sig]++;
    atomic_store(&t->claimed_set, atomic_load(&t->claimed_set) | bit);
    if (load_mask(t) & bit) {
      /* t blocked it after we chose it, and may not have seen the claim. */
      claims_dec(t, sig, t->claims[sig]);
      continue;
    }
    if (t == self) {
      atomic_store(&t->attention, 1); /* seq_cst: see deliver_self */
      a->deliver_self = 1;
    } else {
      thread_notify(t);
    }
  }
}

void proc_send_inst(struct vsig_proc *p, int sig, struct inst *in, struct vsig_thr *self,
                    struct after *a) {
  if (sigq_put(p, &p->pending, sig, in))
    proc_distribute(p, sig, self, a);
}

/* The checks every send makes before anything is marked pending: 1 to go on
 * with *in ready, 0 to drop the signal, or -EAGAIN (nothing changed). */
static int prepare(struct vsig_proc *p, struct sigq *target, int sig, const vsig_siginfo_t *info,
                   bool queued, struct inst *in) {
  if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD)
    return 0; /* a zombie accepts and drops signals */
  if (handler_of(p, sig) == H_IGN)
    return 0; /* step 1 */
  in->n = NULL;
  if (sig_is_rt(sig)) {
    int rc = pool_reserve(p, in, queued);
    if (rc)
      return rc;
  } else if (atomic_load_explicit(&target->set, memory_order_relaxed) & SIGBIT(sig)) {
    return 0; /* a standard signal has one pending instance */
  }
  in->info = *info;
  return 1;
}

int proc_send(struct vsig_proc *p, int sig, const vsig_siginfo_t *info, bool queued,
              struct vsig_thr *self, struct after *a) {
  struct inst in;
  int rc = prepare(p, &p->pending, sig, info, queued, &in);
  if (rc > 0)
    proc_send_inst(p, sig, &in, self, a);
  return rc < 0 ? rc : 0;
}

void thread_send_inst(struct vsig_thr *t, int sig, struct inst *in, struct vsig_thr *self,
                      struct after *a) {
  struct vsig_proc *p = t->proc;
  const uint64_t bit = SIGBIT(sig);
  if (t->state == T_SIGWAIT && (t->waitset & bit)) {
    if (in->n && !pool_owns(p, in->n))
      timer_node_taken(in->n, &in->info); /* a timer's siginfo is made when taken */
    handoff(t, sig, in);
    return;
  }
  if (!sigq_put(p, &t->tpending, sig, in))
    return;
  if (load_mask(t) & bit)
    return; /* blocked: stays pending on the thread */
  uintptr_t h = handler_of(p, sig);
  if (h == H_DFL) {
    if (dfl_discards(sig))
      sigq_drop_sig(p, &t->tpending, sig);
    else
      proc_terminate(p, sig, a);
    return;
  }
  if (t == self) {
    atomic_store(&t->attention, 1); /* seq_cst: see deliver_self */
    a->deliver_self = 1;
  } else {
    thread_notify(t);
  }
}

int thread_send(struct vsig_thr *t, int sig, const vsig_siginfo_t *info, bool queued,
                struct vsig_thr *self, struct after *a) {
  struct inst in;
  int rc = prepare(t->proc, &t->tpending, sig, info, queued, &in);
  if (rc > 0)
    thread_send_inst(t, sig, &in, self, a);
  return rc < 0 ? rc : 0;
}

/* Removing an instance from the process queue (a deleted timer's) may leave
 * more claims than instances: take the surplus back from some claimants. */
void proc_pending_shrunk(struct vsig_proc *p, int sig) {
  for (struct vsig_thr *t = p->threads; t && p->claimed[sig] > p->pending.count[sig]; t = t->next)
    if (t->claims[sig])
      claims_dec(t, sig, 1);
}

void proc_terminate(struct vsig_proc *p, int sig, struct after *a) {
  if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD)
    return;
  atomic_store(&p->state, P_DEAD);
  p->term_sig = sig;
  sigq_drop_all(p, &p->pending);
  memset(p->claimed, 0, sizeof p->claimed);
  for (struct vsig_thr *t = p->threads; t; t = t->next) {
    sigq_drop_all(p, &t->tpending);
    memset(t->claims, 0, sizeof t->claims);
    atomic_store(&t->claimed_set, 0);
    atomic_store(&t->attention, 1); /* seq_cst: see deliver_self */
    if (t->state == T_INTR || t->state == T_SIGWAIT) {
      host_event_signal(&t->ev);
      if (t->wake_fn)
        t->wake_fn(t->wake_arg);
    }
  }
  a->dead_pid = p->pid;
  a->dead_sig = sig;
  a->dead_default = p->is_default;
}

/* ---- masks ------------------------------------------------------------------ */

static void unclaim_blocked(struct vsig_thr *t, uint64_t blocked, struct after *a) {
  uint64_t b = atomic_load(&t->claimed_set) & blocked;
  while (b) {
    int sig = lowest_sig(b);
    b &= ~SIGBIT(sig);
    thread_unclaim(t, sig, a);
  }
}

void mask_set_locked(struct vsig_thr *t, uint64_t mask, struct after *a) {
  mask &= ~UNBLOCKABLE;
  atomic_store(&t->mask, mask);
  unclaim_blocked(t, mask, a);
  thread_recompute_attention(t);
  if (atomic_load_explicit(&t->attention, memory_order_relaxed))
    a->deliver_self = 1;
}

bool mask_set_self(struct vsig_thr *t, uint64_t mask) {
  mask &= ~UNBLOCKABLE;
  uint64_t old = atomic_load_explicit(&t->mask, memory_order_relaxed);
  if (mask == old)
    return false;
  atomic_store(&t->mask, mask); /* seq_cst: pairs with the sender's reload */
  uint64_t blocked = mask & ~old;
  if (blocked && (atomic_load(&t->claimed_set) & blocked)) {
    struct after a = {0};
    host_lock(&t->proc->lock);
    unclaim_blocked(t, blocked, &a);
    host_unlock(&t->proc->lock);
    a.deliver_self = 0;
    after_run(t, &a);
  }
  return (old & ~mask) && (pending_for(t) & ~mask);
}

/* ---- running handlers ----------------------------------------------------------- */

static void call_handler(int sig, vsig_siginfo_t *info, uintptr_t h, int flags) {
  if (flags & VSIG_SA_SIGINFO)
    ((vsig_sigaction_fn)h)(sig, info, NULL);
  else
    ((vsig_handler_t)h)(sig);
}

/* The mask during a handler is old | sa_mask | sig (unless SA_NODEFER); on
 * return the old mask comes back exactly, whatever the handler did to it. */
bool run_handler(struct vsig_thr *t, int sig, vsig_siginfo_t *info, uintptr_t h, uint64_t amask,
                 int flags) {
  uint64_t old = atomic_load_explicit(&t->mask, memory_order_relaxed);
  uint64_t hmask = old | amask | ((flags & VSIG_SA_NODEFER) ? 0 : SIGBIT(sig));
  mask_set_self(t, hmask);
  t->in_handler++;
  call_handler(sig, info, h, flags);
  t->in_handler--;
  return mask_set_self(t, old);
}

int deliver_self(struct vsig_thr *t, bool *restart) {
  struct vsig_proc *p = t->proc;
  int ran = 0;
  bool all_restart = true;
  for (;;) {
    if (ran) {
      /* After a handler, usually nothing is left: find that out without the
       * lock. attention is cleared before the re-check (both seq_cst), and a
       * sender sets it after publishing, so a new signal is never missed. */
      atomic_store(&t->attention, 0);
      if (!(pending_for(t) & ~atomic_load_explicit(&t->mask, memory_order_relaxed)) &&
          atomic_load(&p->state) != P_DEAD)
        break;
    }
    host_lock(&p->lock);
    if (atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD) {
      host_unlock(&p->lock);
      return -ECANCELED;
    }
    uint64_t avail = thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed));
    if (!avail) {
      atomic_store_explicit(&t->attention, 0, memory_order_relaxed);
      host_unlock(&p->lock);
      break;
    }
    int sig = lowest_sig(avail);
    vsig_siginfo_t info;
    thread_take(t, sig, &info);

    struct action *ac = &p->act[sig];
    uintptr_t h = atomic_load_explicit(&ac->handler, memory_order_relaxed);
    uint64_t amask = atomic_load_explicit(&ac->mask, memory_order_relaxed);
    int flags = atomic_load_explicit(&ac->flags, memory_order_relaxed);
    if (h == H_IGN || (h == H_DFL && dfl_discards(sig))) {
      host_unlock(&p->lock);
      continue;
    }
    if (h == H_DFL) {
      struct after a = {0};
      proc_terminate(p, sig, &a);
      host_unlock(&p->lock);
      after_run(NULL, &a);
      return -ECANCELED;
    }
    if (flags & VSIG_SA_RESETHAND) {
      vsig_sigaction_t dfl = {
          .sa_handler = VSIG_SIG_DFL, .sa_mask = {amask}, .sa_flags = flags & ~VSIG_SA_SIGINFO};
      action_write(p, sig, &dfl);
    }
    host_unlock(&p->lock);
    (void)run_handler(t, sig, &info, h, amask, flags); /* the loop looks again */
    ran++;
    if (!(flags & VSIG_SA_RESTART))
      all_restart = false;
  }
  if (restart)
    *restart = all_restart;
  return ran;
}
