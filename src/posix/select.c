/* SPDX-License-Identifier: MIT */
/*
 * pselect, ppoll, epoll_pwait: the host call, with the caller's mask swapped
 * for the one given in vsig (vsig_sigmask_swap): a signal that mask lets
 * through, pending already or coming while the call blocks, runs its handler
 * and the call fails with EINTR; the old mask comes back when that handler
 * returns, as the kernel's saved mask does, so a second signal the old mask
 * blocks stays pending. Between the swap and the call, interrupts are held
 * back in the host, and the call's own host mask lets them through: the swap
 * and the wait are one step, as natively.
 */
#include "posix.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>

/* The host's mask now (interrupts held back), and the one for the call itself:
 * the same with the interrupts let through. */
static void host_masks(sigset_t *held, sigset_t *call) {
  REAL(pthread_sigmask)(SIG_BLOCK, NULL, held);
  *call = *held;
  int a, b;
  vsig_async_get_signals(&a, &b);
  sigdelset(call, a);
  sigdelset(call, b);
}

static void leave(void) {
  int err = errno;
  vsig_async_hold(0);
  vsig_sigmask_swap_end();
  errno = err;
}

/* A signal the temporary mask lets through is pending already: the call first
 * gets its chance to return at once (probe, with a zero timeout and the
 * interrupts still held): a ready descriptor or a bad argument wins, the
 * signal then stays pending under the old mask. Otherwise its handler runs
 * and the call fails with EINTR. */
#define SWAPPED_CALL(real, probe_call, call)                                                       \
  do {                                                                                             \
    vsig_sigset_t temp = {set_bits(sigmask) & ~LIBC_RESERVED};                                     \
    sigset_t held, open;                                                                           \
    vsig_async_hold(1);                                                                            \
    int due = vsig_sigmask_swap(&temp, NULL);                                                      \
    host_masks(&held, &open);                                                                      \
    int rc;                                                                                        \
    if (due == EINTR) {                                                                            \
      rc = probe_call;                                                                             \
      if (rc == 0) {                                                                               \
        vsig_sigmask_swap_deliver();                                                               \
        errno = EINTR;                                                                             \
        rc = -1;                                                                                   \
      }                                                                                            \
    } else {                                                                                       \
      rc = call;                                                                                   \
    }                                                                                              \
    leave();                                                                                       \
    return rc;                                                                                     \
  } while (0)

static bool bad_timeout(const struct timespec *t) {
  return t && (t->tv_nsec < 0 || t->tv_nsec >= 1000000000 || t->tv_sec < 0);
}

/* The probe works on copies of the sets: they change only if it is the answer
 * (natively a call that fails leaves them alone). */
static int probe_select(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *timeout,
                        const sigset_t *held) {
  static const struct timespec zero = {0, 0};
  if (bad_timeout(timeout)) {
    errno = EINVAL;
    return -1;
  }
  fd_set rc, wc, ec;
  if (r)
    rc = *r;
  if (w)
    wc = *w;
  if (e)
    ec = *e;
  int got = REAL(pselect)(n, r ? &rc : NULL, w ? &wc : NULL, e ? &ec : NULL, &zero, held);
  if (got > 0) {
    if (r)
      *r = rc;
    if (w)
      *w = wc;
    if (e)
      *e = ec;
  }
  return got;
}

EXPORT int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *timeout,
                   const sigset_t *sigmask) {
  if (!sigmask)
    return REAL(pselect)(n, r, w, e, timeout, NULL);
  SWAPPED_CALL(pselect, probe_select(n, r, w, e, timeout, &held),
               REAL(pselect)(n, r, w, e, timeout, &open));
}

EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout,
                 const sigset_t *sigmask) {
  if (!sigmask)
    return REAL(ppoll)(fds, n, timeout, NULL);
  static const struct timespec zero = {0, 0};
  SWAPPED_CALL(ppoll,
               bad_timeout(timeout) ? (errno = EINVAL, -1) : REAL(ppoll)(fds, n, &zero, &held),
               REAL(ppoll)(fds, n, timeout, &open));
}

EXPORT int epoll_pwait(int epfd, struct epoll_event *events, int max, int timeout,
                       const sigset_t *sigmask) {
  if (!sigmask)
    return REAL(epoll_pwait)(epfd, events, max, timeout, NULL);
  SWAPPED_CALL(epoll_pwait, REAL(epoll_pwait)(epfd, events, max, 0, &held),
               REAL(epoll_pwait)(epfd, events, max, timeout, &open));
}
