/* SPDX-License-Identifier: MIT */
/*
 * The older interfaces, written as glibc writes them in terms of sigaction
 * and sigprocmask: signal (BSD semantics), bsd_signal, sysv_signal,
 * siginterrupt, the System V sigset/sighold/sigrelse/sigignore/sigpause, and
 * the BSD sigblock/sigsetmask/siggetmask.
 */
#include "posix.h"

int posix_sigaction(int sig, const struct sigaction *act, struct sigaction *oact);

/* Signals siginterrupt(sig, 1) made fail with EINTR (no SA_RESTART in signal()). */
static _Atomic uint64_t interrupting;

static bool bad(int sig) { return sig < 1 || sig >= 65 || libc_reserved(sig); }

static __sighandler_t install(int sig, __sighandler_t handler, int flags, bool mask_self) {
  if (bad(sig) || handler == SIG_ERR) {
    errno = EINVAL;
    return SIG_ERR;
  }
  struct sigaction act, old;
  memset(&act, 0, sizeof act);
  act.sa_handler = handler;
  sigemptyset(&act.sa_mask);
  if (mask_self)
    sigaddset(&act.sa_mask, sig);
  act.sa_flags = flags;
  if (posix_sigaction(sig, &act, &old) < 0)
    return SIG_ERR;
  return old.sa_handler;
}

/* BSD: the signal is blocked in its handler, calls restart unless
 * siginterrupt said otherwise. */
EXPORT __sighandler_t signal(int sig, __sighandler_t handler) {
  bool intr = !bad(sig) && (atomic_load(&interrupting) & (UINT64_C(1) << (sig - 1)));
  return install(sig, handler, intr ? 0 : SA_RESTART, true);
}

EXPORT __sighandler_t bsd_signal(int sig, __sighandler_t handler) { return signal(sig, handler); }

/* System V: reset to the default on entry, not blocked in its handler. */
EXPORT __sighandler_t sysv_signal(int sig, __sighandler_t handler) {
  return install(sig, handler, SA_RESETHAND | SA_NODEFER, false);
}

EXPORT __sighandler_t __sysv_signal(int sig, __sighandler_t handler) {
  return sysv_signal(sig, handler);
}

EXPORT int siginterrupt(int sig, int interrupt) {
  if (bad(sig))
    return fail(EINVAL);
  struct sigaction act;
  if (posix_sigaction(sig, NULL, &act) < 0)
    return -1;
  uint64_t bit = UINT64_C(1) << (sig - 1);
  if (interrupt) {
    atomic_fetch_or(&interrupting, bit);
    act.sa_flags &= ~SA_RESTART;
  } else {
    atomic_fetch_and(&interrupting, ~bit);
    act.sa_flags |= SA_RESTART;
  }
  return posix_sigaction(sig, &act, NULL);
}

static int mask_one(int how, int sig) {
  if (bad(sig))
    return fail(EINVAL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  return sigprocmask(how, &set, NULL);
}

EXPORT int sighold(int sig) { return mask_one(SIG_BLOCK, sig); }
EXPORT int sigrelse(int sig) { return mask_one(SIG_UNBLOCK, sig); }

EXPORT int sigignore(int sig) {
  if (bad(sig))
    return fail(EINVAL);
  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_handler = SIG_IGN;
  sigemptyset(&act.sa_mask);
  return posix_sigaction(sig, &act, NULL);
}

/* System V sigset: SIG_HOLD blocks; anything else installs it and unblocks.
 * SIG_HOLD comes back if the signal was blocked. */
EXPORT __sighandler_t sigset(int sig, __sighandler_t disp) {
  if (disp == SIG_ERR || bad(sig)) {
    errno = EINVAL;
    return SIG_ERR;
  }
  sigset_t set, oset;
  sigemptyset(&set);
  sigaddset(&set, sig);
  struct sigaction act, oact;
  if (disp == SIG_HOLD) {
    if (sigprocmask(SIG_BLOCK, &set, &oset) < 0)
      return SIG_ERR;
    if (sigismember(&oset, sig))
      return SIG_HOLD;
    if (posix_sigaction(sig, NULL, &oact) < 0)
      return SIG_ERR;
    return oact.sa_handler;
  }
  memset(&act, 0, sizeof act);
  act.sa_handler = disp;
  sigemptyset(&act.sa_mask);
  if (posix_sigaction(sig, &act, &oact) < 0)
    return SIG_ERR;
  if (sigprocmask(SIG_UNBLOCK, &set, &oset) < 0)
    return SIG_ERR;
  return sigismember(&oset, sig) ? SIG_HOLD : oact.sa_handler;
}

/* sigpause: the XPG form removes one signal from the mask while waiting; the
 * BSD form takes an old-style mask of signals 1..32. */
EXPORT int __sigpause(int sig_or_mask, int is_sig) {
  sigset_t set;
  if (is_sig) {
    if (bad(sig_or_mask))
      return fail(EINVAL);
    sigprocmask(SIG_BLOCK, NULL, &set);
    sigdelset(&set, sig_or_mask);
  } else {
    bits_to_set((uint32_t)sig_or_mask, &set);
  }
  return sigsuspend(&set);
}

EXPORT int __xpg_sigpause(int sig) { return __sigpause(sig, 1); }
/* <signal.h> names the XPG form sigpause in C (its symbol is
 * __xpg_sigpause); the symbol sigpause is the BSD form. */
EXPORT int bsd_sigpause(int mask) __asm__("sigpause");
EXPORT int bsd_sigpause(int mask) { return __sigpause(mask, 0); }

/* BSD masks: bit n-1 is signal n, for signals 1..32. glibc declares them
 * deprecated; programs still call them. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
EXPORT int sigblock(int mask) {
  sigset_t set, old;
  bits_to_set((uint32_t)mask, &set);
  if (sigprocmask(SIG_BLOCK, &set, &old) < 0)
    return -1;
  return (int)(uint32_t)set_bits(&old);
}

EXPORT int sigsetmask(int mask) {
  sigset_t set, old;
  bits_to_set((uint32_t)mask, &set);
  if (sigprocmask(SIG_SETMASK, &set, &old) < 0)
    return -1;
  return (int)(uint32_t)set_bits(&old);
}

EXPORT int siggetmask(void) { return sigblock(0); }
