/* An interruptible host wait (host_wait.c). */
#ifndef VSIG_WASIX_HOST_WAIT_H
#define VSIG_WASIX_HOST_WAIT_H

#include "vsig_wasix.h"

#include <poll.h>

/* poll(fds) for at most timeout_ns host nanoseconds (-1: no limit) as a vsig
 * interruptible blocking call. Returns the number of ready fds (>= 0), or
 * -EINTR when a handler ran (the wait is then abandoned, like poll(2) after a
 * signal, whatever SA_RESTART says), -ECANCELED when the process was killed,
 * or another -errno. */
int host_wait(vsig_wasix_guest_t *g, struct pollfd *fds, int nfds, int64_t timeout_ns);

#endif
