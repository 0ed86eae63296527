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

/* The host mask for the call itself: the thread's, with the interrupts let
 * through. Returns false (errno EINTR) if a handler ran at the swap. */
static bool enter(const sigset_t *sigmask, sigset_t *host) {
  vsig_sigset_t temp = {set_bits(sigmask) & ~LIBC_RESERVED};
  vsig_async_hold(1);
  if (vsig_sigmask_swap(&temp, NULL) == EINTR) {
    vsig_async_hold(0);
    errno = EINTR;
    return false;
  }
  REAL(pthread_sigmask)(SIG_BLOCK, NULL, host);
  int a, b;
  vsig_async_get_signals(&a, &b);
  sigdelset(host, a);
  sigdelset(host, b);
  return true;
}

static void leave(void) {
  int err = errno;
  vsig_async_hold(0);
  vsig_sigmask_swap_end();
  errno = err;
}

EXPORT int pselect(int n, fd_set *r, fd_set *w, fd_set *e, const struct timespec *timeout,
                   const sigset_t *sigmask) {
  if (!sigmask)
    return REAL(pselect)(n, r, w, e, timeout, NULL);
  sigset_t host;
  if (!enter(sigmask, &host))
    return -1;
  int rc = REAL(pselect)(n, r, w, e, timeout, &host);
  leave();
  return rc;
}

EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout,
                 const sigset_t *sigmask) {
  if (!sigmask)
    return REAL(ppoll)(fds, n, timeout, NULL);
  sigset_t host;
  if (!enter(sigmask, &host))
    return -1;
  int rc = REAL(ppoll)(fds, n, timeout, &host);
  leave();
  return rc;
}

EXPORT int epoll_pwait(int epfd, struct epoll_event *events, int max, int timeout,
                       const sigset_t *sigmask) {
  if (!sigmask)
    return REAL(epoll_pwait)(epfd, events, max, timeout, NULL);
  sigset_t host;
  if (!enter(sigmask, &host))
    return -1;
  int rc = REAL(epoll_pwait)(epfd, events, max, timeout, &host);
  leave();
  return rc;
}
