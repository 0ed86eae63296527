/*
 * A host wait that a signal interrupts: vsig_block_begin marks the thread as
 * blocked interruptibly with a wake function that writes to the guest's
 * eventfd, which is one of the polled fds; vsig_block_end then runs the
 * handlers collected meanwhile. A wake that comes before the thread sleeps is
 * not lost: the eventfd stays readable.
 */
#include "host_wait.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static void wake(void *arg) {
  int fd = *(int *)arg;
  uint64_t one = 1;
  /* Only fails when the counter is already non-zero: the sleeper will wake. */
  ssize_t r = write(fd, &one, sizeof one);
  (void)r;
}

static void drain(int fd) {
  uint64_t v;
  while (read(fd, &v, sizeof v) > 0) {
  }
}

int host_wait(vsig_wasix_guest_t *g, struct pollfd *fds, int nfds, int64_t timeout_ns) {
  if (g->wake_fd < 0)
    return -EINVAL;
  struct pollfd local[17];
  struct pollfd *all = nfds < 16 ? local : malloc(sizeof *all * ((size_t)nfds + 1));
  if (!all)
    return -ENOMEM;
  drain(g->wake_fd);
  int rc = vsig_block_begin(1, wake, &g->wake_fd);
  int n = 0;
  if (rc == 0) {
    for (int i = 0; i < nfds; i++)
      all[i] = fds[i];
    all[nfds] = (struct pollfd){.fd = g->wake_fd, .events = POLLIN};
    int64_t ms64 = timeout_ns < 0 ? -1 : (timeout_ns + 999999) / 1000000;
    int ms = ms64 > INT32_MAX ? INT32_MAX : (int)ms64;
    n = poll(all, (nfds_t)nfds + 1, ms);
    if (n < 0)
      n = -errno;
    else {
      n = 0;
      for (int i = 0; i < nfds; i++) {
        fds[i].revents = all[i].revents;
        if (all[i].revents)
          n++;
      }
    }
  } else if (rc != EINTR) {
    if (all != local)
      free(all);
    return -rc;
  }
  int end = vsig_block_end();
  if (all != local)
    free(all);
  if (end == ECANCELED)
    return -ECANCELED;
  if (end == EINTR || end == VSIG_ERESTART)
    return -EINTR;
  /* A host signal, or a vsig signal that another thread took after
   * block_begin saw it: nothing ran here, so the caller just waits again. */
  if (n == -EINTR || rc == EINTR)
    return 0;
  return n;
}
