/* SPDX-License-Identifier: MIT */
/* sigaction and signal. */
#include "internal.h"

#define KNOWN_FLAGS                                                                                \
  (VSIG_SA_NOCLDSTOP | VSIG_SA_NOCLDWAIT | VSIG_SA_SIGINFO | VSIG_SA_ONSTACK | VSIG_SA_RESTART |   \
   VSIG_SA_NODEFER | VSIG_SA_RESETHAND)

/* POSIX: setting SIG_IGN, or SIG_DFL for a signal whose default is to ignore
 * it, discards pending instances whether or not they are blocked. */
void discard_everywhere(struct vsig_proc *p, int sig) {
  if (TRACING()) {
    trace_discard_queue(p, NULL, &p->pending, sig, VSIG_TRACE_DISCARD_ACTION);
    for (struct vsig_thr *t = p->threads; t; t = t->next)
      trace_discard_queue(p, t, &t->tpending, sig, VSIG_TRACE_DISCARD_ACTION);
  }
  sigq_drop_sig(p, &p->pending, sig);
  for (struct vsig_thr *t = p->threads; t; t = t->next) {
    sigq_drop_sig(p, &t->tpending, sig);
    uint32_t n = thread_claims(t, sig);
    if (n)
      claims_dec(t, sig, n);
  }
}

static int do_sigaction(int sig, const vsig_sigaction_t *act, vsig_sigaction_t *oact) {
  if (!sig_valid(sig))
    return -EINVAL;
  if (act) {
    if (sig == VSIG_SIGKILL || sig == VSIG_SIGSTOP)
      return -EINVAL;
  }
  struct vsig_thr *t = self_thread();
  if (!t)
    return no_self();
  struct vsig_proc *p = t->proc;
  /* Host signals sent before the change take the action they were sent
   * under (a SIGCHLD at SIG_DFL is discarded, not given to a new handler). */
  if (act && p->is_default)
    host_signals_in();
  vsig_sigaction_t old, new;
  if (act) {
    new = *act; /* act and oact may be the same object */
    /* Bits vsig does not know, SA_INTERRUPT among them (the absence of
     * SA_RESTART), are accepted and dropped, as the kernel does. */
    new.sa_flags = (int)((unsigned)new.sa_flags &(unsigned)KNOWN_FLAGS);
  }
  host_lock(&p->lock);
  action_read(p, sig, &old);
  if (act) {
    int rc = action_write(p, sig, &new);
    if (rc < 0) {
      host_unlock(&p->lock);
      return rc;
    }
    if (new.sa_handler == VSIG_SIG_IGN || (new.sa_handler == VSIG_SIG_DFL &&dfl_ignores(sig)))
      discard_everywhere(p, sig);
  }
  host_unlock(&p->lock);
  if (act && p->is_default && atomic_load_explicit(&vsig__bridge_on, memory_order_relaxed))
    host_bridge_action(sig, (uintptr_t) new.sa_handler, new.sa_flags, new.sa_mask.bits);
  if (oact)
    *oact = old;
  return 0;
}

static int api_sigaction(int sig, const vsig_sigaction_t *act, vsig_sigaction_t *oact) {
  return set_errno(do_sigaction(sig, act, oact));
}

static vsig_handler_t api_signal(int sig, vsig_handler_t handler) {
  vsig_sigaction_t act = {.sa_handler = handler, .sa_flags = VSIG_SA_RESTART}, old;
  int rc = do_sigaction(sig, &act, &old);
  if (rc < 0) {
    errno = -rc;
    return VSIG_SIG_ERR;
  }
  return old.sa_handler;
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_sigaction(int sig, const vsig_sigaction_t *act, vsig_sigaction_t *oact) {
  API_ENTER();
  int rc = api_sigaction(sig, act, oact);
  api_leave();
  return rc;
}

vsig_handler_t vsig_signal(int sig, vsig_handler_t handler) {
  API_ENTER();
  vsig_handler_t rc = api_signal(sig, handler);
  api_leave();
  return rc;
}
