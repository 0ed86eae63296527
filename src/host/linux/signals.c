/* SPDX-License-Identifier: MIT */
/* The kernel's signal calls, made without libc's wrappers (see linux.h), and
 * native termination. */
#include "../host.h"
#include "linux.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's sigaction layout. */
struct ksigaction {
  khandler_t handler;
  unsigned long flags;
  void (*restorer)(void);
  ksigset_t mask;
};

#define KSA_RESTORER 0x04000000

#if defined(__x86_64__)
/* x86-64 handlers return through a restorer that calls rt_sigreturn; libc
 * normally supplies it. */
void host_restore_rt(void) __attribute__((visibility("hidden")));
__asm__(".text\n"
        ".align 16\n"
        ".type host_restore_rt,@function\n"
        "host_restore_rt:\n"
        "  mov $15, %rax\n" /* __NR_rt_sigreturn */
        "  syscall\n"
        ".size host_restore_rt,.-host_restore_rt\n");
#define RESTORER_FLAGS KSA_RESTORER
#define RESTORER host_restore_rt
#elif defined(__aarch64__)
/* The kernel returns through the vDSO's sigreturn. */
#define RESTORER_FLAGS 0
#define RESTORER NULL
#else
#error "vsig's Linux host layer knows how to install a signal handler on x86-64 and aarch64"
#endif

int ksig_action(int sig, khandler_t handler, int flags, ksigset_t mask, khandler_t *old_handler,
                int *old_flags) {
  struct ksigaction ka = {handler, (unsigned long)flags | RESTORER_FLAGS, RESTORER, mask}, old;
  if (handler != KH_DFL && handler != KH_IGN)
    ka.flags |= SA_SIGINFO;
  if (syscall(SYS_rt_sigaction, sig, &ka, &old, sizeof(ksigset_t)) != 0)
    return errno;
  if (old_handler)
    *old_handler = old.handler;
  if (old_flags)
    *old_flags = (int)(old.flags & ~(unsigned long)KSA_RESTORER);
  return 0;
}

int syscall_query_action(int sig, khandler_t *handler, int *flags, ksigset_t *mask) {
  struct ksigaction old;
  if (syscall(SYS_rt_sigaction, sig, NULL, &old, sizeof(ksigset_t)) != 0)
    return errno;
  *handler = old.handler;
  if (flags)
    *flags = (int)(old.flags & ~(unsigned long)KSA_RESTORER);
  if (mask)
    *mask = old.mask;
  return 0;
}

ksigset_t ksig_pending(void) {
  ksigset_t set = 0;
  syscall(SYS_rt_sigpending, &set, sizeof set);
  return set;
}

bool ksig_pending_own(ksigset_t *set) {
  /* No system call tells a thread's own queue from the process's: its
   * status file does (SigPnd, as ShdPnd is the process's). */
  int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/thread-self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  char buf[4096];
  long n = syscall(SYS_read, fd, buf, sizeof buf - 1);
  syscall(SYS_close, fd);
  if (n <= 0)
    return false;
  buf[n] = 0;
  const char *p = strstr(buf, "\nSigPnd:");
  if (!p)
    return false;
  p += 9;
  while (*p == ' ' || *p == '\t')
    p++;
  ksigset_t v = 0;
  for (; *p && *p != '\n'; p++) {
    int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
    if (d < 0)
      return false;
    v = v << 4 | (ksigset_t)d;
  }
  *set = v;
  return true;
}

void ksig_futex_wait(_Atomic uint32_t *word, uint32_t seen, long timeout_ns) {
  struct timespec ts = {timeout_ns / 1000000000, timeout_ns % 1000000000};
  syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, seen, &ts, NULL, 0);
}

void ksig_futex_wake(_Atomic uint32_t *word) {
  syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
}

static ksigset_t kmask(int how, ksigset_t set) {
  ksigset_t old = 0;
  syscall(SYS_rt_sigprocmask, how, &set, &old, sizeof set);
  return old;
}

ksigset_t ksig_setmask(ksigset_t mask) { return kmask(SIG_SETMASK, mask); }
ksigset_t ksig_block(ksigset_t set) { return kmask(SIG_BLOCK, set); }
ksigset_t ksig_unblock(ksigset_t set) { return kmask(SIG_UNBLOCK, set); }

int ksig_timedwait(ksigset_t set, siginfo_t *info, const struct timespec *timeout) {
  long r = syscall(SYS_rt_sigtimedwait, &set, info, timeout, sizeof set);
  return r < 0 ? -errno : (int)r;
}

static _Atomic int cached_pid;
static void forget_pid(void) { atomic_store(&cached_pid, 0); }
static pthread_once_t pid_once = PTHREAD_ONCE_INIT;
static void pid_init(void) { pthread_atfork(NULL, NULL, forget_pid); }

int ksig_pid(void) {
  int pid = atomic_load_explicit(&cached_pid, memory_order_relaxed);
  if (!pid) {
    pthread_once(&pid_once, pid_init);
    pid = (int)syscall(SYS_getpid);
    atomic_store_explicit(&cached_pid, pid, memory_order_relaxed);
  }
  return pid;
}

int ksig_tgkill(int tid, int sig) {
  return syscall(SYS_tgkill, ksig_pid(), tid, sig) == 0 ? 0 : errno;
}

_Noreturn void host_die_by_signal(int sig) {
  host_trace_flush();
  ksig_action(sig, KH_DFL, 0, 0, NULL, NULL);
  ksig_unblock(KBIT(sig));
  syscall(SYS_tgkill, (int)syscall(SYS_getpid), (int)syscall(SYS_gettid), sig);
  /* A signal whose native default does not terminate (a stop signal, say). */
  _exit(128 + sig);
}
