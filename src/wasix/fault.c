/*
 * Host faults in guest code are wasm traps, whoever else wants SIGSEGV and
 * SIGBUS.
 *
 * wasm2c's runtime catches guard-page faults with a process-wide SIGSEGV
 * handler installed by wasm_rt_init. An embedder that then turns on vsig's
 * host bridge (vsig_bridge_enable) replaces it: the bridge hands a fault to
 * the faulting thread's vsig process, and a guest process has no SIGSEGV
 * handler of its own, so an out-of-bounds guest access would kill the host.
 * Installing this handler last gives each fault to whoever owns it: a fault
 * a guest thread takes while it runs guest code is a trap: an out-of-bounds
 * access when the address is in the guest memory's reservation, else the
 * host stack running into its guard page (wasm2c's own rule, SEGV_ACCERR
 * for out-of-bounds, calls a pthread's stack overflow out-of-bounds too:
 * its guard page is mapped, not absent); every other fault, and any SIGSEGV/SIGBUS
 * that was sent rather than caused, goes to the handler it replaced, bridge
 * or runtime or the kernel's default.
 */
#include "guest_memory.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>

static struct sigaction prev_segv, prev_bus;
static int trap_oob, trap_exhaustion;

static void on_fault(int sig, siginfo_t *si, void *uc);

/* What a handler we replaced would have done with this signal. */
static void chain(const struct sigaction *p, int sig, siginfo_t *si, void *uc) {
  if ((p->sa_flags & SA_SIGINFO) && p->sa_sigaction && p->sa_sigaction != on_fault) {
    p->sa_sigaction(sig, si, uc);
    return;
  }
  if (!(p->sa_flags & SA_SIGINFO) && p->sa_handler != SIG_DFL && p->sa_handler != SIG_IGN) {
    p->sa_handler(sig);
    return;
  }
  /* The default (an ignored fault is the default too: the kernel forces it).
   * A real fault happens again when the instruction is retried, now with
   * the kernel's action; a sent one is sent again. */
  struct sigaction dfl = {.sa_handler = SIG_DFL};
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  if (si->si_code <= 0)
    raise(sig);
}

/* wasm2c (with guard pages, its default on 64-bit hosts) reserves 8 GiB of
 * address space per memory: 4 GiB a 32-bit index can reach past the base,
 * and as much again for the offsets of loads and stores. */
#define GUEST_RESERVATION UINT64_C(0x200000000)

static int in_guest_memory(const vsig_wasix_guest_t *g, const void *addr) {
  if (!g->mem_data || !*g->mem_data)
    return 0;
  uintptr_t base = (uintptr_t)*g->mem_data, a = (uintptr_t)addr;
  return a >= base && (uint64_t)(a - base) < GUEST_RESERVATION;
}

static void on_fault(int sig, siginfo_t *si, void *uc) {
  vsig_wasix_guest_t *g = vsig_wasix_current();
  if (si->si_code > 0 && g && g->entry && g->state == VSIG_WASIX_RUNNING)
    vsig_wasix_trap(in_guest_memory(g, si->si_addr) ? trap_oob : trap_exhaustion);
  chain(sig == SIGSEGV ? &prev_segv : &prev_bus, sig, si, uc);
}

static int install_one(int sig, struct sigaction *prev) {
  struct sigaction sa, cur;
  if (sigaction(sig, NULL, &cur) != 0)
    return errno;
  if ((cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_fault)
    return 0; /* still ours: keep what we chain to */
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  /* On the guest thread's alternate stack (a stack overflow leaves no other),
   * and not deferred, so that a fault in a handler we chain to is not held. */
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  *prev = cur;
  if (sigaction(sig, &sa, NULL) != 0)
    return errno;
  return 0;
}

int vsig_wasix_fault_install(int oob_code, int exhaustion_code) {
  trap_oob = oob_code;
  trap_exhaustion = exhaustion_code;
  int rc = install_one(SIGSEGV, &prev_segv);
  return rc ? rc : install_one(SIGBUS, &prev_bus);
}
