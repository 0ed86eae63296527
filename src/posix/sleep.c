/* SPDX-License-Identifier: MIT */
/* Sleeps: vsig's interruptible sleeps (a handler ends them with EINTR), and
 * cancellation points. */
#include "posix.h"

#include <unistd.h>

EXPORT int nanosleep(const struct timespec *req, struct timespec *rem) {
  EARLY(nanosleep, req, rem);
  return vsig_nanosleep(req, rem);
}

EXPORT int __nanosleep(const struct timespec *req, struct timespec *rem) {
  return vsig_nanosleep(req, rem);
}

static bool vsig_clock(clockid_t id) {
  return id == CLOCK_REALTIME || id == CLOCK_MONOTONIC || id == CLOCK_BOOTTIME || id == CLOCK_TAI;
}

/* An error number, as POSIX says for clock_nanosleep. An absolute deadline is
 * read against its own clock, so a later call with the same deadline goes on
 * where an interrupted one stopped. */
EXPORT int clock_nanosleep(clockid_t id, int flags, const struct timespec *req,
                           struct timespec *rem) {
  if (!vsig_clock(id))
    return REAL(clock_nanosleep)(id, flags, req, rem);
  if (absent(req))
    return EFAULT;
  if (req->tv_nsec < 0 || req->tv_nsec >= 1000000000 || req->tv_sec < 0)
    return EINVAL;
  if (!(flags & TIMER_ABSTIME)) {
    int saved = errno;
    int rc = vsig_nanosleep(req, rem) == 0 ? 0 : errno;
    errno = saved;
    return rc;
  }
  struct timespec now, left;
  clock_gettime(id, &now);
  left.tv_sec = req->tv_sec - now.tv_sec;
  left.tv_nsec = req->tv_nsec - now.tv_nsec;
  if (left.tv_nsec < 0) {
    left.tv_nsec += 1000000000;
    left.tv_sec--;
  }
  if (left.tv_sec < 0)
    return 0;
  int saved = errno;
  int rc = vsig_nanosleep(&left, NULL) == 0 ? 0 : errno;
  errno = saved;
  return rc;
}

EXPORT unsigned int sleep(unsigned int seconds) {
  EARLY(sleep, seconds);
  return vsig_sleep(seconds);
}

EXPORT int usleep(useconds_t usec) {
  EARLY(usleep, usec);
  return vsig_usleep(usec);
}
