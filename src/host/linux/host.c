/* SPDX-License-Identifier: MIT */
/* Linux host layer: locks, futex wake-ups, CLOCK_MONOTONIC, internal threads. */
#include "../host.h"
#include "linux.h"

#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* ThreadSanitizer: its interceptor for a blocking call (read, poll, sem_wait...)
 * stops tracking the thread's synchronisation until the call returns, since it
 * runs only its own wrapped handlers there. vsig's host handlers are installed
 * with the system call, so that they run at once as natively, and take vsig's
 * locks inside such a call: the lock's ordering is told to TSan explicitly. */
#ifdef HOST_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
#define tsan_acquire(l) __tsan_acquire(l)
#define tsan_release(l) __tsan_release(l)
#else
#define tsan_acquire(l) ((void)(l))
#define tsan_release(l) ((void)(l))
#endif

void host_lock_init(host_lock_t *l) { pthread_mutex_init(l, NULL); }
void host_lock_destroy(host_lock_t *l) { pthread_mutex_destroy(l); }

/* Counted from before the mutex is taken until after it is released, so that a
 * host signal handler never sees 0 while this thread owns, or is taking, a
 * vsig lock: only then may the handler take one itself. */
static _Thread_local unsigned lock_depth;
unsigned host_lock_depth(void) { return lock_depth; }
void host_lock_depth_reset(void) { lock_depth = 0; }

void host_lock(host_lock_t *l) {
  lock_depth++;
  atomic_signal_fence(memory_order_seq_cst);
  pthread_mutex_lock(l);
  tsan_acquire(l);
}

void host_unlock(host_lock_t *l) {
  tsan_release(l);
  pthread_mutex_unlock(l);
  atomic_signal_fence(memory_order_seq_cst);
  if (--lock_depth == 0) {
    if (host_interrupts_waiting())
      host_interrupts_flush();
    if (atomic_load_explicit(&host_bridge_orphans, memory_order_relaxed))
      host_bridge_unlocked();
  }
}

/* A waiter spins this many rounds before sleeping: a sender on the other core
 * usually answers within that time, and a futex sleep plus wake costs several
 * microseconds. */
enum { SPIN_ROUNDS = 250 }; /* about 5 us at 20 ns a pause */

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

uint32_t host_event_prepare(host_event_t *ev) {
  return atomic_load_explicit(&ev->seq, memory_order_acquire);
}

static int event_sleep(host_event_t *ev, uint32_t token, int64_t deadline_ns, bool cancel) {
  struct timespec ts, *tsp = NULL;
  if (deadline_ns >= 0) {
    if (host_now_ns() >= deadline_ns)
      return ETIMEDOUT;
    ts.tv_sec = deadline_ns / 1000000000;
    ts.tv_nsec = deadline_ns % 1000000000;
    tsp = &ts;
  }
  /* The sleeping flag and seq form a Dekker pair with host_event_signal:
   * either the signaller sees the flag and wakes us, or we see its seq. */
  atomic_store(&ev->sleeping, 1);
  int rc = 0, oldtype = 0;
  uint64_t saved = 0;
  bool bridged = false;
  if (cancel) { /* a vsig wait: a cancellation point, and the bridge's signals come in */
    bridged = host_bridge_sleep_begin(&saved);
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &oldtype); /* acts if one is pending */
  }
  if (atomic_load(&ev->seq) == token) {
    long r = syscall(SYS_futex, &ev->seq, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, token, tsp, NULL,
                     FUTEX_BITSET_MATCH_ANY);
    if (r != 0 && errno == ETIMEDOUT)
      rc = ETIMEDOUT;
  }
  if (cancel) {
    pthread_setcanceltype(oldtype, NULL);
    if (bridged)
      host_bridge_sleep_end(saved);
  }
  atomic_store(&ev->sleeping, 0);
  return rc;
}

static bool spin_for(host_event_t *ev, uint32_t token) {
  for (int i = 0; i < SPIN_ROUNDS; i++) {
    if (atomic_load_explicit(&ev->seq, memory_order_acquire) != token)
      return true;
    cpu_relax();
  }
  return false;
}

int host_event_wait(host_event_t *ev, uint32_t token, int64_t deadline_ns, bool spin) {
  if (spin && spin_for(ev, token))
    return 0;
  return event_sleep(ev, token, deadline_ns, false);
}

int host_event_wait_cancel(host_event_t *ev, uint32_t token, int64_t deadline_ns) {
  if (spin_for(ev, token))
    return 0;
  return event_sleep(ev, token, deadline_ns, true);
}

void host_event_spin(host_event_t *ev, uint32_t token, int64_t deadline_ns) {
  while (atomic_load_explicit(&ev->seq, memory_order_acquire) == token &&
         host_now_ns() < deadline_ns)
    cpu_relax();
}

void host_event_signal(host_event_t *ev) {
  atomic_fetch_add(&ev->seq, 1);
  if (atomic_load(&ev->sleeping))
    syscall(SYS_futex, &ev->seq, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
}

void host_thread_timer_slack(int64_t slack_ns) {
  prctl(PR_SET_TIMERSLACK, (unsigned long)slack_ns);
}

/* vsig makes host threads with the plain pthread_create, so that whatever
 * wraps it (a sanitizer's bookkeeping) sees them; a wrapper that would make
 * the thread a vsig thread (libvsig-posix) asks host_creating_thread and
 * passes such calls straight on. */
static _Thread_local int creating;
bool host_creating_thread(void) { return creating != 0; }

int host_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                        void *arg) {
  host_bridge_before_thread();
  creating++;
  int rc = pthread_create(thread, attr, start, arg);
  creating--;
  return rc;
}

/* What a new internal thread needs from its creator, who waits on started. */
struct spawn_start {
  void *(*fn)(void *);
  void *arg;
  const char *name;
  _Atomic uint32_t started;
};

static void *spawned(void *p) {
  struct spawn_start *s = p;
  void *(*fn)(void *) = s->fn;
  void *arg = s->arg;
  prctl(PR_SET_NAME, (unsigned long)s->name, 0, 0, 0);
  /* s lives on the creator's stack, which may be gone once started is set:
   * the wake-up only names the address. */
  atomic_store_explicit(&s->started, 1, memory_order_release);
  syscall(SYS_futex, &s->started, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0);
  return fn(arg);
}

int host_thread_spawn(void *(*fn)(void *), void *arg, const char *name) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  struct spawn_start s = {.fn = fn, .arg = arg, .name = name, .started = 0};
  /* Blocked before the thread exists, so no signal can reach it in between;
   * the new thread inherits the mask. */
  uint64_t old = ksig_setmask(~UINT64_C(0));
  pthread_t th;
  int rc = host_pthread_create(&th, &attr, spawned, &s);
  /* Until the thread runs fn, whatever wraps thread creation (a sanitizer's
   * start-up, which takes its allocator's locks) may still be working in it:
   * a fork then would leave those locks held in the child. */
  while (rc == 0 && !atomic_load_explicit(&s.started, memory_order_acquire))
    syscall(SYS_futex, &s.started, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
  ksig_setmask(old);
  pthread_attr_destroy(&attr);
  return rc;
}

int64_t host_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int host_getpid(void) { return (int)getpid(); }
int host_getppid(void) { return (int)getppid(); }
int host_thread_id(void) { return (int)syscall(SYS_gettid); }
unsigned int host_getuid(void) { return (unsigned int)getuid(); }

const char *host_strerror(int err, char *buf, size_t len) {
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
  return strerror_r(err, buf, len); /* GNU: a constant string, or buf */
#else
  return strerror_r(err, buf, len) == 0 ? buf : NULL; /* XSI */
#endif
}

void *host_pages_alloc(size_t bytes) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

void host_pages_free(void *p, size_t bytes) { munmap(p, bytes); }
