/* SPDX-License-Identifier: MIT */
/*
 * Living with ThreadSanitizer's runtime (TSan builds only).
 *
 * vsig installs its host signal handlers with the system call, so TSan does
 * not wrap them: they run at once, as natively. TSan's runtime, though, keeps
 * per-thread state (the thread's clock, its internal locks) that it updates
 * without ever expecting code it instruments to run in between: it defers
 * the handlers it wraps to its own points instead, which a thread spinning
 * in its own code never reaches. A vsig handler that interrupts the thread
 * in the middle of a runtime call (a memory access, an atomic operation) and
 * runs instrumented code there corrupts that state: TSan then reports a race
 * on a variable that a join orders, or the handler waits forever for a
 * runtime lock that the interrupted call holds.
 *
 * So an interrupt that lands inside the runtime's code is not delivered
 * there: a one-shot timer aimed at the thread sends the same host signal
 * again a moment later, until one lands outside. The interrupt handlers are
 * installed with both interrupt signals in their mask, so that no interrupt
 * nests into one while it decides, or while it arms the timer and returns to
 * the runtime (that one would see the handler's code interrupted, not the
 * runtime's); one that delivers lets them in again first, so that handlers
 * nest as natively. The runtime is known by its shared object (gcc's libtsan,
 * clang's -shared-libsan); a runtime linked into the program (clang's
 * default) cannot be told from the program's own code, and then interrupts
 * are delivered wherever they land, as before. A thread that ends in the
 * 20 µs between a retry's arming and its firing leaves its timer behind
 * (the kernel drops the signal); it goes with the process.
 */
#include "../host.h"
#include "linux.h"

#ifdef HOST_TSAN

#include <link.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

/* The runtime's executable segments, [lo, hi); none if not found. */
enum { SEGMENTS = 4 };
static struct { uintptr_t lo, hi; } text[SEGMENTS];
static _Atomic int text_n;

void __tsan_acquire(void *addr);

static int find_runtime(struct dl_phdr_info *info, size_t size, void *unused) {
  (void)size;
  (void)unused;
  uintptr_t probe = (uintptr_t)&__tsan_acquire;
  bool inside = false;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && probe >= lo && probe < lo + ph->p_memsz)
      inside = true;
  }
  /* The main program has no name: a runtime linked into it is not separable. */
  if (!inside || !info->dlpi_name || !strstr(info->dlpi_name, "tsan"))
    return inside;
  int n = 0;
  for (int i = 0; i < info->dlpi_phnum && n < SEGMENTS; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
      text[n].lo = info->dlpi_addr + ph->p_vaddr;
      text[n].hi = text[n].lo + ph->p_memsz;
      n++;
    }
  }
  atomic_store_explicit(&text_n, n, memory_order_release);
  return 1;
}

void host_tsan_setup(void) {
  if (!atomic_load_explicit(&text_n, memory_order_acquire))
    dl_iterate_phdr(find_runtime, NULL);
}

/* What follows runs in a host signal handler that may have interrupted the
 * runtime: none of it is instrumented, and until it knows it may deliver it
 * calls nothing that is, nor anything the runtime wraps (syscall() only; no
 * thread-local variable: the runtime wraps __tls_get_addr). */

HOST_NO_TSAN static uintptr_t interrupted_pc(const void *ucontext) {
  const ucontext_t *uc = ucontext;
#if defined(__x86_64__)
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
  return (uintptr_t)uc->uc_mcontext.pc;
#else
  (void)uc;
  return 0;
#endif
}

HOST_NO_TSAN static bool in_runtime(const void *ucontext) {
  if (!ucontext)
    return false;
  uintptr_t pc = interrupted_pc(ucontext);
  int n = atomic_load_explicit(&text_n, memory_order_acquire);
  for (int i = 0; i < n; i++)
    if (pc >= text[i].lo && pc < text[i].hi)
      return true;
  return false;
}

/* Long enough for the interrupted runtime call to return (well under a
 * microsecond, unless it waits for a runtime lock), short next to any wait a
 * program makes. */
enum { RETRY_NS = 20000 };

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

/* The handler goes on to deliver: the interrupt signals, blocked while it
 * decided, come in again as the interrupted code had them. */
HOST_NO_TSAN static void let_in(const void *ucontext, ksigset_t intr) {
  uint64_t outer = 0;
  if (ucontext)
    memcpy(&outer, &((const ucontext_t *)ucontext)->uc_sigmask, sizeof outer);
  ksigset_t open = intr & ~outer;
  syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &open, NULL, sizeof open);
}

/* A timer that sends sig to the calling thread in RETRY_NS: timer, or a new
 * one when it is -1. false if there is none to be had. */
HOST_NO_TSAN static bool retry_later(int sig, int timer) {
  if (timer < 0) {
    struct sigevent ev; /* the kernel reads only these fields (memset is the runtime's) */
    ev.sigev_value.sival_int = 0;
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = sig;
    ev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
    if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &timer) != 0)
      return false;
  }
  struct itimerspec when = {{0, 0}, {0, RETRY_NS}};
  if (syscall(SYS_timer_settime, timer, 0, &when, NULL) != 0) {
    syscall(SYS_timer_delete, timer);
    return false;
  }
  return true;
}

HOST_NO_TSAN bool host_tsan_postpone(int sig, const siginfo_t *info, void *ucontext,
                                     ksigset_t intr) {
  /* Only retry_later's timers send vsig's interrupt signals with SI_TIMER. */
  int timer = info && info->si_code == SI_TIMER ? info->si_timerid : -1;
  if (in_runtime(ucontext) && retry_later(sig, timer))
    return true;
  /* Outside the runtime (or no timer left: delivered here after all, as
   * without this). */
  if (timer >= 0)
    syscall(SYS_timer_delete, timer);
  let_in(ucontext, intr);
  return false;
}

#endif
