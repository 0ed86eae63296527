/*
 * The trampoline: vsig runs it as the handler of every signal the guest
 * catches, on the guest's thread, with vsig's handler mask in force. It calls
 * the guest's function in an entry frame; if the guest stops inside (exit,
 * trap, kill), the frame catches the unwind and the trampoline returns to
 * vsig normally, leaving the rest of the unwinding to the import or safe point
 * that vsig returns to.
 *
 * A handler can interrupt a leaf function between two instructions (at a
 * preemption check), and such a function may keep data in the 128 bytes below
 * the stack pointer without moving it. So, as a kernel skips the red zone
 * before it builds a signal frame, the handler's frame (and its siginfo)
 * starts below that zone, and the stack pointer is put back afterwards.
 */
#include "dispatch.h"

#include "guest_memory.h"

struct call_args {
  vsig_wasix_guest_t *g;
  int route;
  uint32_t idx;
  uint32_t args[3];
  void *fn;
};

static void call_guest(void *p) {
  struct call_args *a = p;
  const vsig_wasix_module_ops_t *ops = a->g->ops;
  if (a->route == VSIG_WASIX_ROUTE_CALLBACK)
    ops->call_export(a->g->inst, a->fn, a->args[0]);
  else
    ops->call_table(a->g->inst, a->idx, a->route == VSIG_WASIX_ROUTE_SIGINFO ? 3 : 1, a->args);
}

void dispatch_siginfo_to_guest(const vsig_siginfo_t *in, int sig, vsig_wasm_siginfo_t *out) {
  memset(out, 0, sizeof *out);
  out->si_signo = sig;
  if (!in)
    return;
  out->si_code = in->si_code;
  out->si_pid = in->si_pid;
  out->si_uid = in->si_uid;
  out->si_status = in->si_status;
  out->si_overrun = in->si_overrun;
  out->si_timerid = in->si_timerid;
  out->si_value = (uint32_t)in->si_value.sival_int;
}

void dispatch_trampoline(int sig, vsig_siginfo_t *info, void *uc) {
  (void)uc;
  vsig_wasix_guest_t *g = vsig_wasix_current();
  /* A guest that has stopped runs no more code; vsig may still hand us the
   * other signals it collected. */
  if (!g || g->state != VSIG_WASIX_RUNNING || sig <= 0 || sig >= VSIG_NSIG)
    return;
  struct call_args a = {.g = g, .route = g->route[sig], .idx = g->handler[sig]};
  switch (a.route) {
  case VSIG_WASIX_ROUTE_CALLBACK:
    if (!g->callback)
      return;
    a.fn = g->callback;
    a.args[0] = vsig_wasix_sig_from_vsig(sig);
    break;
  case VSIG_WASIX_ROUTE_HANDLER:
    a.args[0] = (uint32_t)sig;
    break;
  case VSIG_WASIX_ROUTE_SIGINFO:
    a.args[0] = (uint32_t)sig;
    break;
  default:
    return;
  }
  uint32_t *sp = g->ops->stack_pointer ? g->ops->stack_pointer(g->inst) : NULL;
  uint32_t saved = sp ? *sp : 0;
  if (sp) {
    uint32_t need =
        GUEST_RED_ZONE +
        (a.route == VSIG_WASIX_ROUTE_SIGINFO ? (uint32_t)sizeof(vsig_wasm_siginfo_t) : 0u) + 16u;
    if (saved < need) {
      /* No room for a handler frame: the guest's stack is exhausted, which
       * is a trap in wasm terms. */
      g->state = VSIG_WASIX_TRAPPED;
      g->trap = -1;
      return;
    }
    uint32_t frame = (saved - GUEST_RED_ZONE) & ~UINT32_C(15);
    if (a.route == VSIG_WASIX_ROUTE_SIGINFO) {
      frame = (frame - (uint32_t)sizeof(vsig_wasm_siginfo_t)) & ~UINT32_C(15);
      int why;
      uint8_t *p = gm_range(g, frame, sizeof(vsig_wasm_siginfo_t), &why);
      if (p) {
        vsig_wasm_siginfo_t gi;
        dispatch_siginfo_to_guest(info, sig, &gi);
        memcpy(p, &gi, sizeof gi);
        a.args[1] = frame;
      }
    }
    *sp = frame;
  }
  vsig_wasix_call(g, call_guest, &a);
  if (sp)
    *sp = saved;
}
