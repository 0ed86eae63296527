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
/* Those sent to the calling thread alone: false if it cannot tell. */
bool ksig_pending_own(ksigset_t *set);
/* Sleep until *word is no longer seen, or timeout_ns passed; wake all. */
void ksig_futex_wait(_Atomic uint32_t *word, uint32_t seen, long timeout_ns);
void ksig_futex_wake(_Atomic uint32_t *word);
/* tgkill to a thread of this process. */
int ksig_tgkill(int tid, int sig);
/* Write the VSIG_TRACE file now, if tracing to one and not written yet
 * (trace_file.c): the process is about to end without atexit. */
void host_trace_flush(void);
/* The process's pid, cached (reset in a fork child). */
int ksig_pid(void);

/* Direct signals (mirror.c): host masks that follow vsig masks. */
/* These bridged signals are taken by their thread directly, those that may be. */
void mirror_add(ksigset_t bridged);
ksigset_t mirror_direct(void);
/* A vsig thread with mask starts following (follow: of the default process,
 * with asynchronous delivery on) on the calling thread: what its host mask
 * lets through. */
ksigset_t mirror_start(uint64_t mask, bool follow);
/* What the calling thread's host mask should let through now, if it follows. */
ksigset_t mirror_open_now(void);
void mirror_stop(void);
bool mirror_following(void);
/* It stops following: the direct signals blocked again. */
void mirror_unfollow(void);
/* The calling thread is stale for every direct signal (a thread of the
 * default process that does not follow: they reach it only through
 * vsig-bridge), or for none (it follows from now on, or leaves). */
void mirror_stale_all(bool all);
/* A host handler starts, the kernel blocking `blocked` meanwhile (returns
 * what mirror_exit needs), and returns to the interrupted code (mirror_leave
 * rewrites the mask it returns with), and ends. */
ksigset_t mirror_enter(ksigset_t blocked);
void mirror_leave(void *ucontext);
void mirror_exit(ksigset_t before);
/* A fork child's one thread: its host mask follows its mask for `all`,
 * eagerly both ways (no vsig-bridge takes what it blocks). */
ksigset_t mirror_start_child(uint64_t mask, ksigset_t all);
bool mirror_eager(void);
/* Take these standard signals from the kernel into vsig now (a thread that
 * unblocked them must get one before its call returns). */
void bridge_take_now(ksigset_t set);
/* The calling thread's host mask now lets `open` through: the core's record
 * and vsig-bridge's watch follow. */
void mirror_opened(ksigset_t open);
/* vsig-bridge waits for base but what some thread lets through (the watch
 * set); bridge_rewatch tells it that set changed. */
void mirror_watch(ksigset_t base);
ksigset_t mirror_watch_set(void);
void bridge_rewatch(void);
/* Around fork (the child: no other thread lets anything through). */
void mirror_fork_begin(void);
void mirror_fork_parent(void);
void mirror_fork_child(void);

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
