/* SPDX-License-Identifier: MIT */
/* Actions, readable without the lock through a sequence counter (the raise
 * fast path), and the siginfo of a signal a thread sends. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * The actions of a process are a table that every process starts on shared:
 * the defaults (SIG_DFL is 0, so zero-initialised storage is that table). An
 * idle process so costs a pointer, not VSIG_NSIG actions. Its first write of
 * anything but the default gives it a table of its own, a copy of the shared
 * one; a write of the default into the shared one changes nothing and so
 * allocates nothing.
 *
 * Readers without the lock (action_read, action_of) may hold either pointer
 * at any time. A process switches table once, from the shared one, which is
 * never written and never freed, to its own, which is freed only by
 * proc_free, when nothing can read the process any more: no lockless reader
 * ever reads freed memory, and one that loaded the old pointer reads the
 * defaults, consistent values from before the write.
 */
static struct action acts_default[VSIG_NSIG];

_Atomic int vsig__fail_acts_alloc;

/* A copy of the shared table: zeroed storage. */
static struct action *acts_alloc(void) {
  int n = atomic_load_explicit(&vsig__fail_acts_alloc, memory_order_relaxed);
  while (n > 0 && !atomic_compare_exchange_weak(&vsig__fail_acts_alloc, &n, n - 1))
    ;
  if (n == 1)
    return NULL;
  return calloc(VSIG_NSIG, sizeof(struct action));
}

void actions_init(struct vsig_proc *p) { atomic_init(&p->acts, acts_default); }

void actions_free(struct vsig_proc *p) {
  struct action *a = atomic_load_explicit(&p->acts, memory_order_relaxed);
  if (a != acts_default)
    free(a);
}

int actions_copy(struct vsig_proc *to, struct vsig_proc *from) {
  struct action *src = atomic_load_explicit(&from->acts, memory_order_acquire);
  if (src == acts_default)
    return 0;
  struct action *dst = acts_alloc();
  if (!dst)
    return -ENOMEM;
  for (int sig = 1; sig < VSIG_NSIG; sig++) {
    vsig_sigaction_t a;
    action_read(from, sig, &a);
    atomic_init(&dst[sig].handler, (uintptr_t)a.sa_handler);
    atomic_init(&dst[sig].mask, a.sa_mask.bits);
    atomic_init(&dst[sig].flags, a.sa_flags);
  }
  atomic_init(&to->acts, dst); /* to is new: nothing reads it yet */
  return 0;
}

/* The first half of a write (lock held): the counter goes odd, and p
 * switches to own, if given, inside that window. */
static struct action *write_begin(struct vsig_proc *p, struct action *own, uint32_t *seq) {
  uint32_t s = atomic_load_explicit(&p->act_seq, memory_order_relaxed);
  atomic_store_explicit(&p->act_seq, s + 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_release);
  *seq = s + 2;
  if (!own) /* the lock is held: no other writer, so relaxed sees the table */
    return atomic_load_explicit(&p->acts, memory_order_relaxed);
  /* Release: a reader that loads it sees it zeroed (action_of). */
  atomic_store_explicit(&p->acts, own, memory_order_release);
  return own;
}

static void write_end(struct vsig_proc *p, uint32_t seq) {
  atomic_store_explicit(&p->act_seq, seq, memory_order_release);
}

int actions_own(struct vsig_proc *p) {
  if (atomic_load_explicit(&p->acts, memory_order_relaxed) != acts_default)
    return 0;
  struct action *own = acts_alloc();
  if (!own)
    return -ENOMEM;
  uint32_t seq;
  write_begin(p, own, &seq);
  write_end(p, seq);
  return 0;
}

int action_write(struct vsig_proc *p, int sig, const vsig_sigaction_t *in) {
  uintptr_t h = (uintptr_t)in->sa_handler;
  uint64_t m = in->sa_mask.bits & ~UNBLOCKABLE;
  int f = in->sa_flags;
  struct action *own = NULL;
  if (atomic_load_explicit(&p->acts, memory_order_relaxed) == acts_default) {
    if (h == H_DFL && m == 0 && f == 0)
      return 0;         /* what the shared table says already */
    own = acts_alloc(); /* before the counter moves: a failure changes nothing */
    if (!own)
      return -ENOMEM;
  }
  uint32_t seq;
  struct action *a = &write_begin(p, own, &seq)[sig];
  atomic_store_explicit(&a->handler, h, memory_order_relaxed);
  atomic_store_explicit(&a->mask, m, memory_order_relaxed);
  atomic_store_explicit(&a->flags, f, memory_order_relaxed);
  write_end(p, seq);
  return 0;
}

void info_init(vsig_siginfo_t *info, int sig, int code, struct vsig_thr *sender) {
  info_clear(info);
  info->si_signo = sig;
  info->si_code = code;
  if (sender) {
    info->si_pid = sender->proc->pid;
    info->si_uid = sender->proc->uid;
  }
}
