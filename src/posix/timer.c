/* SPDX-License-Identifier: MIT */
/*
 * POSIX timers. CLOCK_REALTIME and CLOCK_MONOTONIC (and BOOTTIME, TAI) timers
 * are vsig's; their timer_t is vsig's id. Timers on the CPU-time clocks stay
 * the host's (their signals come through the bridge); their timer_t is an
 * index above HOST_BASE into a table of host timer_t.
 *
 * SIGEV_THREAD: each expiry runs sigev_notify_function(sigev_value) in a new
 * thread, as glibc does. The vsig timer sends signal 33 (which glibc keeps
 * from programs, so no handler or mask of theirs can touch it) to one helper
 * thread, vsig-posix-tmr, which blocks everything and waits for it.
 */
#include "posix.h"

#include <stdlib.h>
#include <unistd.h>

#define HOST_BASE 0x40000000
#define NOTIFY_SIG 33

static bool vsig_clockid(clockid_t id) {
  return id == CLOCK_REALTIME || id == CLOCK_MONOTONIC || id == CLOCK_BOOTTIME || id == CLOCK_TAI;
}

/* ---- host timers ------------------------------------------------------------------- */

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static timer_t *host_timers;
static size_t nhost;

static bool host_id(timer_t t, timer_t *host) {
  intptr_t v = (intptr_t)t;
  if (v < HOST_BASE)
    return false;
  pthread_mutex_lock(&table_lock);
  size_t i = (size_t)(v - HOST_BASE);
  bool ok = i < nhost && host_timers[i] != (timer_t)-1;
  if (ok)
    *host = host_timers[i];
  pthread_mutex_unlock(&table_lock);
  return ok;
}

static int add_host(timer_t host, timer_t *out) {
  pthread_mutex_lock(&table_lock);
  size_t i = 0;
  while (i < nhost && host_timers[i] != (timer_t)-1)
    i++;
  if (i == nhost) {
    timer_t *t = realloc(host_timers, (nhost + 16) * sizeof *t);
    if (!t) {
      pthread_mutex_unlock(&table_lock);
      return ENOMEM;
    }
    for (size_t k = nhost; k < nhost + 16; k++)
      t[k] = (timer_t)-1;
    host_timers = t;
    nhost += 16;
  }
  host_timers[i] = host;
  *out = (timer_t)(intptr_t)(HOST_BASE + i);
  pthread_mutex_unlock(&table_lock);
  return 0;
}

/* ---- SIGEV_THREAD ------------------------------------------------------------------- */

struct notify {
  bool used;
  vsig_timer_t timer;
  void (*fn)(union sigval);
  union sigval value;
  bool has_attr;
  size_t stacksize;
  int detach;
};
static struct notify *notifies;
static size_t nnotify;
static pthread_once_t helper_once = PTHREAD_ONCE_INIT;
static vsig_thread_t helper_id;
static int helper_err;

struct run {
  void (*fn)(union sigval);
  union sigval value;
};

static void *run_notify(void *arg) {
  struct run r = *(struct run *)arg;
  free(arg);
  r.fn(r.value);
  return NULL;
}

static void *helper(void *arg) {
  (void)arg;
  vsig_sigset_t set = {UINT64_C(1) << (NOTIFY_SIG - 1)};
  for (;;) {
    vsig_siginfo_t info;
    if (vsig_sigwaitinfo(&set, &info) != NOTIFY_SIG)
      continue;
    size_t i = (size_t)info.si_value.sival_int;
    pthread_mutex_lock(&table_lock);
    struct notify n = i < nnotify ? notifies[i] : (struct notify){0};
    pthread_mutex_unlock(&table_lock);
    if (!n.used)
      continue; /* deleted since */
    struct run *r = malloc(sizeof *r);
    if (!r)
      continue;
    *r = (struct run){n.fn, n.value};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (n.has_attr && n.stacksize)
      pthread_attr_setstacksize(&attr, n.stacksize);
    pthread_t t;
    vsig_sigset_t all;
    vsig_sigfillset(&all); /* as glibc: notification threads block every signal */
    if (vsig_pthread_create_ex(&t, &attr, &all, NULL, run_notify, r) != 0)
      free(r);
    pthread_attr_destroy(&attr);
  }
  return NULL;
}

static void *helper_start(void *arg) {
  /* The creator spins on it: published with release. */
  __atomic_store_n(&helper_id, vsig_thread_self(), __ATOMIC_RELEASE);
  return helper(arg);
}

static void start_helper(void) {
  vsig_sigset_t all;
  vsig_sigfillset(&all);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t t;
  helper_err = vsig_pthread_create_ex(&t, &attr, &all, NULL, helper_start, NULL);
  pthread_attr_destroy(&attr);
  if (!helper_err) {
    pthread_setname_np(t, "vsig-posix-tmr");
    while (!__atomic_load_n(&helper_id, __ATOMIC_ACQUIRE))
      sched_yield();
  }
}

static int add_notify(const struct sigevent *sev, int *index) {
  pthread_mutex_lock(&table_lock);
  size_t i = 0;
  while (i < nnotify && notifies[i].used)
    i++;
  if (i == nnotify) {
    struct notify *n = realloc(notifies, (nnotify + 16) * sizeof *n);
    if (!n) {
      pthread_mutex_unlock(&table_lock);
      return ENOMEM;
    }
    memset(n + nnotify, 0, 16 * sizeof *n);
    notifies = n;
    nnotify += 16;
  }
  struct notify *n = &notifies[i];
  *n = (struct notify){
      .used = true, .timer = -1, .fn = sev->sigev_notify_function, .value = sev->sigev_value};
  if (sev->sigev_notify_attributes) {
    n->has_attr = true;
    pthread_attr_getstacksize(sev->sigev_notify_attributes, &n->stacksize);
  }
  *index = (int)i;
  pthread_mutex_unlock(&table_lock);
  return 0;
}

static void drop_notify(int index) {
  pthread_mutex_lock(&table_lock);
  if ((size_t)index < nnotify)
    notifies[index].used = false;
  pthread_mutex_unlock(&table_lock);
}

static void bind_notify(int index, vsig_timer_t timer) {
  pthread_mutex_lock(&table_lock);
  notifies[index].timer = timer;
  pthread_mutex_unlock(&table_lock);
}

static void drop_notify_of(vsig_timer_t timer) {
  pthread_mutex_lock(&table_lock);
  for (size_t i = 0; i < nnotify; i++)
    if (notifies[i].used && notifies[i].timer == timer)
      notifies[i].used = false;
  pthread_mutex_unlock(&table_lock);
}

/* ---- the calls ------------------------------------------------------------------------- */

EXPORT int timer_create(clockid_t clockid, struct sigevent *sev, timer_t *timerid) {
  EARLY(timer_create, clockid, sev, timerid);
  if (!vsig_clockid(clockid)) {
    timer_t host;
    if (REAL(timer_create)(clockid, sev, &host) < 0)
      return -1;
    int rc = add_host(host, timerid);
    if (rc) {
      REAL(timer_delete)(host);
      return fail(rc);
    }
    return 0;
  }
  if (absent(timerid))
    return fail(EFAULT);
  int vclock = clockid == CLOCK_REALTIME ? VSIG_CLOCK_REALTIME : VSIG_CLOCK_MONOTONIC;
  vsig_sigevent_t v = {0};
  int notify_index = -1;
  if (!sev) {
    v.sigev_notify = VSIG_SIGEV_SIGNAL;
    v.sigev_signo = SIGALRM;
  } else {
    switch (sev->sigev_notify) {
    case SIGEV_SIGNAL:
    case SIGEV_NONE:
      if (sev->sigev_notify == SIGEV_SIGNAL &&
          (sev->sigev_signo < 1 || sev->sigev_signo >= 65 || libc_reserved(sev->sigev_signo)))
        return fail(EINVAL);
      v.sigev_notify = sev->sigev_notify == SIGEV_SIGNAL ? VSIG_SIGEV_SIGNAL : VSIG_SIGEV_NONE;
      v.sigev_signo = sev->sigev_signo;
      v.sigev_value.sival_ptr = sev->sigev_value.sival_ptr;
      break;
    case SIGEV_THREAD_ID: {
      vsig_thread_t target;
      if (vsig_thread_from_host_tid(sev->_sigev_un._tid, &target) != 0)
        return fail(EINVAL);
      v.sigev_notify = VSIG_SIGEV_THREAD_ID;
      v.sigev_signo = sev->sigev_signo;
      v.sigev_thread_id = target;
      v.sigev_value.sival_ptr = sev->sigev_value.sival_ptr;
      break;
    }
    case SIGEV_THREAD: {
      if (!sev->sigev_notify_function)
        return fail(EINVAL);
      pthread_once(&helper_once, start_helper);
      if (helper_err)
        return fail(EAGAIN);
      int rc = add_notify(sev, &notify_index);
      if (rc)
        return fail(rc);
      v.sigev_notify = VSIG_SIGEV_THREAD_ID;
      v.sigev_signo = NOTIFY_SIG;
      v.sigev_thread_id = helper_id;
      v.sigev_value.sival_int = notify_index;
      break;
    }
    default:
      return fail(EINVAL);
    }
  }
  vsig_timer_t id;
  if (vsig_timer_create(vclock, &v, &id) != 0) {
    int err = errno;
    if (notify_index >= 0)
      drop_notify(notify_index);
    return fail(err);
  }
  if (notify_index >= 0)
    bind_notify(notify_index, id);
  *timerid = (timer_t)(intptr_t)id;
  return 0;
}

static vsig_itimerspec_t to_vsig(const struct itimerspec *s) {
  return (vsig_itimerspec_t){s->it_interval, s->it_value};
}

static void from_vsig(const vsig_itimerspec_t *v, struct itimerspec *s) {
  s->it_interval = v->it_interval;
  s->it_value = v->it_value;
}

EXPORT int timer_settime(timer_t t, int flags, const struct itimerspec *value,
                         struct itimerspec *ovalue) {
  timer_t host;
  if (host_id(t, &host))
    return REAL(timer_settime)(host, flags, value, ovalue);
  if (absent(value))
    return fail(EFAULT);
  vsig_itimerspec_t v = to_vsig(value), old;
  int vflags = (flags & TIMER_ABSTIME) ? VSIG_TIMER_ABSTIME : 0;
  if (flags & ~TIMER_ABSTIME)
    return fail(EINVAL);
  if (vsig_timer_settime((vsig_timer_t)(intptr_t)t, vflags, &v, ovalue ? &old : NULL) != 0)
    return -1;
  if (ovalue)
    from_vsig(&old, ovalue);
  return 0;
}

EXPORT int timer_gettime(timer_t t, struct itimerspec *value) {
  timer_t host;
  if (host_id(t, &host))
    return REAL(timer_gettime)(host, value);
  if (absent(value))
    return fail(EFAULT);
  vsig_itimerspec_t v;
  if (vsig_timer_gettime((vsig_timer_t)(intptr_t)t, &v) != 0)
    return -1;
  from_vsig(&v, value);
  return 0;
}

EXPORT int timer_getoverrun(timer_t t) {
  timer_t host;
  if (host_id(t, &host))
    return REAL(timer_getoverrun)(host);
  return vsig_timer_getoverrun((vsig_timer_t)(intptr_t)t);
}

EXPORT int timer_delete(timer_t t) {
  timer_t host;
  if (host_id(t, &host)) {
    int rc = REAL(timer_delete)(host);
    if (rc == 0) {
      pthread_mutex_lock(&table_lock);
      host_timers[(intptr_t)t - HOST_BASE] = (timer_t)-1;
      pthread_mutex_unlock(&table_lock);
    }
    return rc;
  }
  /* A SIGEV_THREAD timer's notification entry goes with it; an expiry already
   * on its way finds it unused and does nothing. */
  if (vsig_timer_delete((vsig_timer_t)(intptr_t)t) != 0)
    return -1;
  drop_notify_of((vsig_timer_t)(intptr_t)t);
  return 0;
}
