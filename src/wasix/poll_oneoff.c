/*
 * poll_oneoff, the one blocking call of a wasi-libc program (nanosleep,
 * clock_nanosleep, sleep and poll all end here), as an interruptible vsig
 * wait: a signal whose handler runs ends it with EINTR, as it ends a blocked
 * nanosleep(2) or poll(2), and no events are reported.
 *
 * Clock-only waits (the sleeps) use vsig_nanosleep, so they follow vsig's
 * clock, manual one included. Waits that include fds poll the host fds and
 * the guest's wake eventfd (host_wait), with the clock deadline turned into
 * a host timeout.
 */
#include "guest_memory.h"
#include "host_wait.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#define SUB_SIZE 48
#define EVENT_SIZE 32
enum { EV_CLOCK = 0, EV_FD_READ = 1, EV_FD_WRITE = 2 };
#define SUBCLOCK_ABSTIME 1
enum { CLK_REALTIME = 0, CLK_MONOTONIC = 1 };

struct sub {
  uint64_t userdata;
  uint8_t type;
  uint16_t error;   /* set: ready at once with this error */
  int64_t deadline; /* clock: on vsig's clock */
  int hfd;          /* fd: host fd */
};

static int64_t host_realtime_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void parse(const vsig_wasix_guest_t *g, const uint8_t *p, struct sub *s, int64_t now) {
  memset(s, 0, sizeof *s);
  s->userdata = gm_load_u64(p);
  s->type = p[8];
  s->hfd = -1;
  if (s->type == EV_CLOCK) {
    uint32_t id = gm_load_u32(p + 16);
    uint64_t timeout = gm_load_u64(p + 24);
    uint16_t flags;
    memcpy(&flags, p + 40, 2);
    int64_t t = timeout > INT64_MAX ? INT64_MAX : (int64_t)timeout;
    if (id == CLK_MONOTONIC)
      s->deadline = (flags & SUBCLOCK_ABSTIME) ? t : (now > INT64_MAX - t ? INT64_MAX : now + t);
    else if (id == CLK_REALTIME)
      s->deadline = (flags & SUBCLOCK_ABSTIME) ? now + (t - host_realtime_ns())
                                               : (now > INT64_MAX - t ? INT64_MAX : now + t);
    else
      s->error = VSIG_WASI_EINVAL;
  } else if (s->type == EV_FD_READ || s->type == EV_FD_WRITE) {
    uint32_t fd = gm_load_u32(p + 16);
    s->hfd = fd < 3 ? g->fd_host[fd] : -1;
    if (s->hfd < 0)
      s->error = VSIG_WASI_EBADF;
  } else {
    s->error = VSIG_WASI_EINVAL;
  }
}

static void event(uint8_t *out, const struct sub *s, uint16_t error, uint64_t nbytes) {
  memset(out, 0, EVENT_SIZE);
  gm_store_u64(out, s->userdata);
  memcpy(out + 8, &error, 2);
  out[10] = s->type;
  gm_store_u64(out + 16, nbytes);
}

uint32_t vsig_wasi_poll_oneoff(vsig_wasix_guest_t *g, uint32_t in, uint32_t out, uint32_t nsubs,
                               uint32_t ret_nevents) {
  int why;
  if (nsubs == 0)
    return vsig_wasix_leave(g, VSIG_WASI_EINVAL);
  const uint8_t *pin = gm_array(g, in, nsubs, SUB_SIZE, &why);
  if (!pin)
    return vsig_wasix_leave(g, gm_wasix_errno(why));
  uint8_t *pout = gm_array(g, out, nsubs, EVENT_SIZE, &why);
  if (!pout)
    return vsig_wasix_leave(g, gm_wasix_errno(why));
  uint8_t *pn = gm_range(g, ret_nevents, 4, &why);
  if (!pn)
    return vsig_wasix_leave(g, gm_wasix_errno(why));
  struct sub *subs = malloc(sizeof *subs * nsubs);
  struct pollfd *pfds = malloc(sizeof *pfds * nsubs);
  if (!subs || !pfds) {
    free(subs);
    free(pfds);
    return vsig_wasix_leave(g, VSIG_WASI_ENOMEM);
  }
  int64_t now = vsig_clock_now();
  int64_t earliest = INT64_MAX;
  int nfds = 0, ready_now = 0;
  for (uint32_t i = 0; i < nsubs; i++) {
    parse(g, pin + (size_t)i * SUB_SIZE, &subs[i], now);
    if (subs[i].error)
      ready_now = 1;
    else if (subs[i].type == EV_CLOCK && subs[i].deadline < earliest)
      earliest = subs[i].deadline;
    else if (subs[i].type != EV_CLOCK)
      pfds[nfds++] = (struct pollfd){.fd = subs[i].hfd,
                                     .events = subs[i].type == EV_FD_READ ? POLLIN : POLLOUT};
  }
  uint32_t rc = 0;
  int fds_ready = 0;
  while (!ready_now) {
    now = vsig_clock_now();
    if (earliest <= now)
      break;
    if (nfds == 0) {
      int64_t left = earliest - now;
      struct timespec ts = {.tv_sec = left / 1000000000, .tv_nsec = left % 1000000000};
      if (vsig_nanosleep(&ts, NULL) != 0) {
        /* EINTR: a handler ran. ECANCELED: killed; leave unwinds. */
        rc = wasi_errno_of(errno);
        break;
      }
      continue; /* re-read the clock: a sleep may end early on the manual clock */
    }
    int64_t timeout = earliest == INT64_MAX ? -1 : earliest - now;
    int n = host_wait(g, pfds, nfds, timeout);
    if (n < 0) {
      rc = wasi_errno_of(-n);
      break;
    }
    if (n > 0) {
      fds_ready = 1;
      break;
    }
  }
  uint32_t nev = 0;
  if (!rc) {
    /* Handlers may have grown the memory, which can move it: look again. */
    pout = gm_array(g, out, nsubs, EVENT_SIZE, &why);
    pn = gm_range(g, ret_nevents, 4, &why);
    now = vsig_clock_now();
    int k = 0;
    for (uint32_t i = 0; i < nsubs; i++) {
      const struct sub *s = &subs[i];
      if (s->error) {
        event(pout + (size_t)nev++ * EVENT_SIZE, s, s->error, 0);
      } else if (s->type == EV_CLOCK) {
        if (s->deadline <= now)
          event(pout + (size_t)nev++ * EVENT_SIZE, s, 0, 0);
      } else {
        if (fds_ready && pfds[k].revents)
          event(pout + (size_t)nev++ * EVENT_SIZE, s, 0, 1);
        k++;
      }
    }
    gm_store_u32(pn, nev);
  }
  free(subs);
  free(pfds);
  return vsig_wasix_leave(g, rc);
}
