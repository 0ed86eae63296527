/* SPDX-License-Identifier: MIT */
/* Linux host layer: futex wake-ups, CLOCK_MONOTONIC, native termination. */
#include "../host.h"

#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void host_lock_init(host_lock_t *l) { pthread_mutex_init(l, NULL); }
void host_lock_destroy(host_lock_t *l) { pthread_mutex_destroy(l); }
void host_lock(host_lock_t *l) { pthread_mutex_lock(l); }
void host_unlock(host_lock_t *l) { pthread_mutex_unlock(l); }

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

int host_event_wait(host_event_t *ev, uint32_t token, int64_t deadline_ns, bool spin) {
  for (int i = 0; spin && i < SPIN_ROUNDS; i++) {
    if (atomic_load_explicit(&ev->seq, memory_order_acquire) != token)
      return 0;
    cpu_relax();
  }
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
  int rc = 0;
  if (atomic_load(&ev->seq) == token) {
    long r = syscall(SYS_futex, &ev->seq, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, token, tsp, NULL,
                     FUTEX_BITSET_MATCH_ANY);
    if (r != 0 && errno == ETIMEDOUT)
      rc = ETIMEDOUT;
  }
  atomic_store(&ev->sleeping, 0);
  return rc;
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

/* Masks go through the system call: a compatibility library may interpose the
 * libc names, and vsig's own threads must get the host's mask. */
static void host_sigmask_all(uint64_t *old) {
  uint64_t all = ~UINT64_C(0);
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, old, sizeof all);
}

int host_thread_spawn(void *(*fn)(void *), void *arg, const char *name) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  uint64_t old;
  /* Blocked before the thread exists, so no signal can reach it in between;
   * the new thread inherits the mask. */
  host_sigmask_all(&old);
  pthread_t th;
  int rc = pthread_create(&th, &attr, fn, arg);
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, sizeof old);
  pthread_attr_destroy(&attr);
  if (rc == 0)
    pthread_setname_np(th, name);
  return rc;
}

int64_t host_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int host_getpid(void) { return (int)getpid(); }
unsigned int host_getuid(void) { return (unsigned int)getuid(); }

const char *host_strerror(int err, char *buf, size_t len) {
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
  return strerror_r(err, buf, len); /* GNU: a constant string, or buf */
#else
  return strerror_r(err, buf, len) == 0 ? buf : NULL; /* XSI */
#endif
}

/* The kernel's own sigaction layout, for signals glibc keeps for itself
 * (32 and 33), which its sigaction() refuses to touch. */
struct ksigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  uint64_t mask;
};

_Noreturn void host_die_by_signal(int sig) {
  struct ksigaction ka = {SIG_DFL, 0, NULL, 0};
  syscall(SYS_rt_sigaction, sig, &ka, NULL, sizeof(uint64_t));
  uint64_t unblock = 1ull << (sig - 1);
  syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &unblock, NULL, sizeof(uint64_t));
  syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
  /* A signal whose native default does not terminate (a stop signal, say). */
  _exit(128 + sig);
}
