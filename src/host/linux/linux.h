/* SPDX-License-Identifier: MIT */
/*
 * What the Linux host files share: the kernel's signal calls, made directly.
 * A compatibility library may interpose the libc names (sigaction,
 * sigprocmask, sigwaitinfo...), so the host layer never calls them: it must
 * reach the kernel, not vsig.
 */
#ifndef VSIG_HOST_LINUX_H
#define VSIG_HOST_LINUX_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* Signals deferred with no vsig-bridge to take them (bridge.c). */
extern _Atomic int host_bridge_orphans;
/* Interrupts asked for under a vsig lock, sent at the last unlock (async.c). */
bool host_interrupts_waiting(void);
void host_interrupts_flush(void);

/* A host signal set as the kernel takes it: bit n-1 is signal n. */
typedef uint64_t ksigset_t;
#define KBIT(s) (UINT64_C(1) << ((s)-1))

typedef void (*khandler_t)(int, siginfo_t *, void *);
#define KH_DFL ((khandler_t)(uintptr_t)0)
#define KH_IGN ((khandler_t)(uintptr_t)1)

/* rt_sigaction: handler is KH_DFL, KH_IGN or an SA_SIGINFO handler (the
 * flag is added). *old_handler and *old_flags receive the previous action when
 * not NULL. Returns 0 or an error number. */
int ksig_action(int sig, khandler_t handler, int flags, ksigset_t mask, khandler_t *old_handler,
                int *old_flags);
/* The current handler of sig (KH_DFL, KH_IGN or a function). */
int syscall_query_action(int sig, khandler_t *handler, int *flags, ksigset_t *mask);
/* rt_sigprocmask on the calling thread; returns the previous mask. */
ksigset_t ksig_setmask(ksigset_t mask);
ksigset_t ksig_block(ksigset_t set);
ksigset_t ksig_unblock(ksigset_t set);
/* rt_sigtimedwait: the signal number, or -errno. timeout NULL waits forever. */
int ksig_timedwait(ksigset_t set, siginfo_t *info, const struct timespec *timeout);
/* Signals pending for the calling thread (its own and the process's). */
ksigset_t ksig_pending(void);
/* A signalfd for set (blocked by the caller), -1 if there is none. */
int ksig_signalfd(ksigset_t set);
/* Sleep until fd is readable; until one of set is pending. */
void ksig_wait_readable(int fd);
void ksig_wait_pending(ksigset_t set);
/* tgkill to a thread of this process. */
int ksig_tgkill(int tid, int sig);
/* Write the VSIG_TRACE file now, if tracing to one and not written yet
 * (trace_file.c): the process is about to end without atexit. */
void host_trace_flush(void);
/* The process's pid, cached (reset in a fork child). */
int ksig_pid(void);

struct vsig_siginfo;
/* The kernel's siginfo, in vsig's form. */
void ksiginfo_to_vsig(const siginfo_t *k, struct vsig_siginfo *v);

/* Built with ThreadSanitizer, whose runtime a host signal handler may
 * interrupt (tsan.c). */
#if defined(__SANITIZE_THREAD__)
#define HOST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define HOST_TSAN 1
#endif
#endif
/* Not instrumented at all, not even the entry and exit of the function: for
 * code that runs before a handler knows whether it interrupted the runtime. */
#if defined(__has_attribute)
#if __has_attribute(disable_sanitizer_instrumentation)
#define HOST_NO_TSAN __attribute__((disable_sanitizer_instrumentation))
#endif
#endif
#ifndef HOST_NO_TSAN
#define HOST_NO_TSAN __attribute__((no_sanitize_thread))
#endif
#ifdef HOST_TSAN
/* Find the TSan runtime's code (outside any handler, before the first
 * interrupt can come). */
void host_tsan_setup(void);
/* First thing in the handler for interrupt signal sig, installed with intr
 * (both interrupt signals) in its mask: true if it interrupted the TSan
 * runtime, and sig comes again a moment later instead (the handler returns);
 * false if it may deliver, with intr let in again. */
bool host_tsan_postpone(int sig, const siginfo_t *info, void *ucontext, ksigset_t intr);
#else
static inline void host_tsan_setup(void) {}
static inline bool host_tsan_postpone(int sig, const siginfo_t *info, void *ucontext,
                                      ksigset_t intr) {
  (void)sig;
  (void)info;
  (void)ucontext;
  (void)intr;
  return false;
}
#endif

#endif
