/* The sleeps as interruptible waits. wasi-libc's clock_nanosleep (behind its
 * nanosleep, sleep and usleep) reports any failure of poll_oneoff as
 * ENOTSUP and never says how much time was left, so a signal could not end
 * a guest's sleep as it ends a native one. These call poll_oneoff
 * themselves: a handler ends the wait with EINTR (vsig-wasix), and the time
 * left is the deadline less the clock. */
#include "shim.h"

#include <unistd.h>
#include <wasi/api.h>

#define NS 1000000000ll

static int wasi_clock(clockid_t clk, __wasi_clockid_t *out) {
  if (clk == CLOCK_REALTIME)
    *out = __WASI_CLOCKID_REALTIME;
  else if (clk == CLOCK_MONOTONIC)
    *out = __WASI_CLOCKID_MONOTONIC;
  else
    return EINVAL; /* no CPU-time clock can be slept on here */
  return 0;
}

int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem) {
  __wasi_clockid_t id;
  int e = wasi_clock(clk, &id);
  if (e)
    return e;
  if (req->tv_nsec < 0 || req->tv_nsec >= NS || req->tv_sec < 0)
    return EINVAL;
  __wasi_timestamp_t start;
  e = __wasi_clock_time_get(id, 1, &start);
  if (e)
    return e;
  __wasi_timestamp_t t =
      req->tv_sec > (long long)(UINT64_MAX / NS) - 1
          ? UINT64_MAX
          : (__wasi_timestamp_t)req->tv_sec * NS + (__wasi_timestamp_t)req->tv_nsec;
  int abs = (flags & TIMER_ABSTIME) != 0;
  __wasi_timestamp_t deadline = abs ? t : (start > UINT64_MAX - t ? UINT64_MAX : start + t);
  __wasi_subscription_t sub = {.u = {.tag = __WASI_EVENTTYPE_CLOCK}};
  sub.u.u.clock.id = id;
  sub.u.u.clock.timeout = deadline;
  sub.u.u.clock.flags = __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME;
  __wasi_event_t ev;
  __wasi_size_t n;
  e = __wasi_poll_oneoff(&sub, &ev, 1, &n);
  if (e == 0 && n == 1 && ev.error)
    e = ev.error;
  if (e == EINTR && rem && !abs) {
    __wasi_timestamp_t now;
    if (__wasi_clock_time_get(id, 1, &now) != 0 || now >= deadline)
      now = deadline;
    rem->tv_sec = (time_t)((deadline - now) / NS);
    rem->tv_nsec = (long)((deadline - now) % NS);
  }
  return e;
}

/* POSIX measures nanosleep on CLOCK_REALTIME; Linux (and this) on the
 * monotonic clock, which setting the time does not move. */
int nanosleep(const struct timespec *req, struct timespec *rem) {
  return shim_ret(clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem));
}

unsigned sleep(unsigned seconds) {
  struct timespec ts = {.tv_sec = seconds}, left = {0};
  if (nanosleep(&ts, &left) == 0)
    return 0;
  return (unsigned)left.tv_sec + (left.tv_nsec > 0);
}

int usleep(useconds_t us) {
  struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000};
  return nanosleep(&ts, NULL);
}
