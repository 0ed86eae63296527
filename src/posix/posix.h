/* SPDX-License-Identifier: MIT */
/*
 * libvsig-posix: the POSIX signal names, with the host's own prototypes and
 * types, over vsig. Nothing here redefines or resizes a system type: host
 * values are converted at this boundary. Loaded with LD_PRELOAD or linked
 * (-lvsig-posix), its definitions come before libc's; libc's own versions are
 * reached with dlsym(RTLD_NEXT) where a call must go to the host.
 */
#ifndef VSIG_POSIX_INTERNAL_H
#define VSIG_POSIX_INTERNAL_H

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <vsig.h>

/* The POSIX names are this library's interface. */
#define EXPORT __attribute__((visibility("default")))

/* libc's own definition of name, looked up once. */
#define REAL(name)                                                                                 \
  ({                                                                                               \
    static __typeof__(&name) real_##name;                                                          \
    if (!real_##name)                                                                              \
      real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name);                                    \
    real_##name;                                                                                   \
  })

/* Set once the library has started (init.c). Before that, a call comes from
 * a runtime that starts before it (a sanitizer's, another library's
 * constructor): it goes to the host as if this library were not there, and
 * what it set up is taken over when the bridge starts. */
extern _Atomic int posix_started __attribute__((visibility("hidden")));
#define EARLY(name, ...)                                                                           \
  do {                                                                                             \
    if (!atomic_load_explicit(&posix_started, memory_order_acquire))                               \
      return REAL(name)(__VA_ARGS__);                                                              \
  } while (0)

/* glibc keeps signals 32 and 33 for itself: sigaction refuses them, masks and
 * sigwait sets leave them out. */
#define LIBC_RESERVED ((UINT64_C(1) << 31) | (UINT64_C(1) << 32))
static inline bool libc_reserved(int sig) { return sig == 32 || sig == 33; }

/* Host sigset_t <-> vsig's 64 bits (signal n is bit n-1 in both). */
static inline uint64_t set_bits(const sigset_t *s) {
  const unsigned long *w = (const unsigned long *)(const void *)s;
  if (sizeof(unsigned long) >= 8)
    return (uint64_t)w[0];
  return (uint64_t)w[0] | ((uint64_t)w[1] << 32);
}

static inline void bits_to_set(uint64_t bits, sigset_t *s) {
  sigemptyset(s);
  unsigned long *w = (unsigned long *)(void *)s;
  if (sizeof(unsigned long) >= 8) {
    w[0] = (unsigned long)bits;
  } else {
    w[0] = (unsigned long)(bits & 0xffffffffu);
    w[1] = (unsigned long)(bits >> 32);
  }
}

static inline vsig_sigset_t vset(const sigset_t *s) { return (vsig_sigset_t){set_bits(s)}; }

/* vsig's siginfo as the host's: the fields a signal carries depend on its
 * sender (si_code) and on the signal. */
void posix_siginfo(const vsig_siginfo_t *v, siginfo_t *h);

/* Return conventions: -1 and errno from a vsig error number. */
static inline int fail(int err) {
  errno = err;
  return -1;
}

/* Whether a pointer argument is missing. glibc declares some of them nonnull
 * (sigpending), and the compilers then call a direct test always false; the
 * kernel answers EFAULT to a null pointer, and so do we. */
static inline bool absent(const void *p) { return p == NULL; }

/* Virtual pids are above the host's (PID_MAX_LIMIT is 2^22). */
static inline bool is_virtual_pid(pid_t pid) { return pid > (1 << 22); }
/* getpid without a system call: the host pid, which is the default virtual
 * process's (refreshed in a fork child). */
pid_t posix_getpid(void) __attribute__((visibility("hidden")));

#endif
