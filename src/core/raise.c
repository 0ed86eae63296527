/* SPDX-License-Identifier: MIT */
/*
 * raise: a signal to the calling thread. When the signal is unblocked, caught
 * and nothing else is waiting, the handler is called straight away: no lock,
 * no queue, which is what makes raise cheap.
 */
#include "internal.h"

static int do_raise(int sig) {
  if (!sig_valid(sig))
    return sig == 0 ? 0 : -EINVAL;
  struct vsig_thr *t = self_thread();
  if (!t)
    return no_self();
  struct vsig_proc *p = t->proc;
  /* SIGCONT and the stop signals act at generation (job control): never the
   * fast path. */
  bool jobctl = sig_is_jobctl(sig);
  if (!jobctl && !(atomic_load_explicit(&t->mask, memory_order_relaxed) & SIGBIT(sig)) &&
      !atomic_load_explicit(&t->attention, memory_order_acquire)) {
    vsig_sigaction_t act;
    action_read(p, sig, &act);
    uintptr_t h = (uintptr_t)act.sa_handler;
    if (h == (uintptr_t)VSIG_SIG_IGN ||
        (h == (uintptr_t)VSIG_SIG_DFL && dfl_discards(sig) && sig_default(sig) != DFL_STOP)) {
      if (TRACING())
        trace_raise_discard(t, sig);
      return 0;
    }
    if (h != (uintptr_t)VSIG_SIG_DFL && !(act.sa_flags & VSIG_SA_RESETHAND)) {
      /* Field by field: the siginfo is written only for a handler that
       * reads it (128 bytes a raise need not clear). */
      struct frame f;
      f.sig = sig;
      f.flags = act.sa_flags;
      f.handler = h;
      f.amask = act.sa_mask.bits;
      bool with_info = (act.sa_flags & VSIG_SA_SIGINFO) || invoker_set();
      if (with_info)
        info_init(&f.info, sig, VSIG_SI_TKILL, t);
      f.trace_id = 0;
      if (TRACING()) {
        if (!with_info) /* for trace_deliver, which reads it when trace_id is set */
          info_init(&f.info, sig, VSIG_SI_TKILL, t);
        f.trace_id = trace_raise(t, sig, &f.info);
        f.trace_sender = t->node.key;
      }
      uint64_t old = atomic_load_explicit(&t->mask, memory_order_relaxed);
      if (run_frame(t, &f, old) > 0 || atomic_load_explicit(&t->attention, memory_order_relaxed))
        deliver_self(t, NULL);
      return 0;
    }
  }
  return send_to_thread(t->node.key, sig, VSIG_SI_TKILL, NULL);
}

static int api_raise(int sig) { return set_errno(do_raise(sig)); }

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_raise(int sig) {
  API_ENTER();
  int rc = api_raise(sig);
  api_leave();
  return rc;
}
