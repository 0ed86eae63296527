/* SPDX-License-Identifier: MIT */
/* nanosleep, sleep, usleep: sleeps that a handler interrupts. */
#include "internal.h"

static int do_nanosleep(const struct timespec *req, struct timespec *rem) {
  if (!req)
    return -EFAULT;
  if (!timespec_ok(req))
    return -EINVAL;
  struct vsig_thr *t = self_thread();
  if (!t)
    return no_self();
  int64_t start = clock_now();
  int rc = wait_for_handler(t, deadline_after(req),
                            atomic_load_explicit(&t->mask, memory_order_relaxed));
  if (rc == 0)
    return 0;
  if (rc > 0 && rem) {
    /* req - elapsed, in timespec form: req may be beyond 64-bit nanoseconds. */
    int64_t elapsed = clock_now() - start;
    int64_t sec = (int64_t)req->tv_sec - elapsed / 1000000000;
    int64_t nsec = req->tv_nsec - elapsed % 1000000000;
    if (nsec < 0) {
      nsec += 1000000000;
      sec--;
    }
    if (sec < 0)
      sec = nsec = 0;
    rem->tv_sec = (time_t)sec;
    rem->tv_nsec = (long)nsec;
  }
  return rc > 0 ? -EINTR : rc;
}

static int api_nanosleep(const struct timespec *req, struct timespec *rem) {
  return set_errno(do_nanosleep(req, rem));
}

static unsigned int api_sleep(unsigned int seconds) {
  struct timespec req = {(time_t)seconds, 0}, rem = {0, 0};
  if (do_nanosleep(&req, &rem) == -EINTR)
    return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
  return 0;
}

static int api_usleep(unsigned long usec) {
  struct timespec req = {(time_t)(usec / 1000000), (long)(usec % 1000000) * 1000};
  return set_errno(do_nanosleep(&req, NULL));
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_nanosleep(const struct timespec *req, struct timespec *rem) {
  API_ENTER();
  int rc = api_nanosleep(req, rem);
  api_leave();
  return rc;
}

unsigned int vsig_sleep(unsigned int seconds) {
  API_ENTER();
  unsigned int rc = api_sleep(seconds);
  api_leave();
  return rc;
}

int vsig_usleep(unsigned long usec) {
  API_ENTER();
  int rc = api_usleep(usec);
  api_leave();
  return rc;
}
