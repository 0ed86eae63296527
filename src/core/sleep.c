/* nanosleep, sleep, usleep: sleeps that a handler interrupts. */
#include "internal.h"

static int do_nanosleep(const struct timespec *req, struct timespec *rem) {
  if (!req)
    return -EFAULT;
  if (!timespec_ok(req))
    return -EINVAL;
  struct vsig_thr *t = self_thread();
  if (!t)
    return -ENOMEM;
  int64_t deadline = deadline_after(req);
  int rc = wait_for_handler(t, deadline);
  if (rc == 0)
    return 0;
  if (rc > 0 && rem) {
    int64_t left = deadline < 0 ? INT64_MAX : deadline - clock_now();
    if (left < 0)
      left = 0;
    rem->tv_sec = left / 1000000000;
    rem->tv_nsec = left % 1000000000;
  }
  return rc > 0 ? -EINTR : rc;
}

int vsig_nanosleep(const struct timespec *req, struct timespec *rem) {
  return set_errno(do_nanosleep(req, rem));
}

unsigned int vsig_sleep(unsigned int seconds) {
  struct timespec req = {(time_t)seconds, 0}, rem = {0, 0};
  if (do_nanosleep(&req, &rem) == -EINTR)
    return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
  return 0;
}

int vsig_usleep(unsigned long usec) {
  struct timespec req = {(time_t)(usec / 1000000), (long)(usec % 1000000) * 1000};
  return set_errno(do_nanosleep(&req, NULL));
}
