/* SPDX-License-Identifier: MIT */
/* Actions, readable without the lock through a sequence counter (the raise
 * fast path), and the siginfo of a signal a thread sends. */
#include "internal.h"

#include <string.h>

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

void info_init(vsig_siginfo_t *info, int sig, int code, struct vsig_thr *sender) {
  info_clear(info);
  info->si_signo = sig;
  info->si_code = code;
  if (sender) {
    info->si_pid = sender->proc->pid;
    info->si_uid = sender->proc->uid;
  }
}
