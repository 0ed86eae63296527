/* SPDX-License-Identifier: MIT */
/*
 * The host layer: everything vsig needs from the system it runs on. A port to
 * an RTOS, or a simulation, replaces the one folder that implements this file.
 * Every function here returns 0 or a positive error number.
 */
#ifndef VSIG_HOST_H
#define VSIG_HOST_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A mutex for short critical sections; never held while a handler runs. */
typedef pthread_mutex_t host_lock_t;
void host_lock_init(host_lock_t *l);
void host_lock_destroy(host_lock_t *l);
void host_lock(host_lock_t *l);
void host_unlock(host_lock_t *l);

/*
 * A wake-up channel owned by one waiting thread. The waiter takes a token with
 * host_event_prepare while it still holds the lock that protects its condition,
 * then waits on that token: a host_event_signal made after the prepare is never
 * lost, so checking and sleeping are one step.
 */
typedef struct host_event {
  _Atomic uint32_t seq;
  _Atomic uint32_t sleeping;
} host_event_t;

uint32_t host_event_prepare(host_event_t *ev);
/* Returns 0 when signalled (or spuriously), ETIMEDOUT at the deadline.
 * deadline_ns is on host_now_ns's clock; a negative one means forever. With
 * spin, the caller expects a wake-up soon and briefly spins before sleeping. */
int host_event_wait(host_event_t *ev, uint32_t token, int64_t deadline_ns, bool spin);
void host_event_signal(host_event_t *ev);
/* As host_event_wait, and a cancellation point while it sleeps: a deferred
 * pthread_cancel of the thread takes effect there (the stack unwinds from
 * inside it), as in the POSIX waits. */
int host_event_wait_cancel(host_event_t *ev, uint32_t token, int64_t deadline_ns);
/* Busy-wait until signalled or deadline_ns (on host_now_ns's clock). */
void host_event_spin(host_event_t *ev, uint32_t token, int64_t deadline_ns);

/* Ask for timed sleeps of the calling thread to end within slack_ns of their
 * deadline (the timer service wants precise wake-ups). */
void host_thread_timer_slack(int64_t slack_ns);

/* pthread_create for a thread vsig makes; while it runs, host_creating_thread
 * is true on the calling thread, so that a pthread_create wrapper of a
 * compatibility library passes the call on unchanged. */
int host_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                        void *arg);
bool host_creating_thread(void);

/* Start a detached thread for vsig's own work. It has every host signal
 * blocked, so the kernel never picks it for a process-directed signal and
 * nothing interrupts it, and it carries name (up to 15 characters), so that
 * debuggers and top show it. */
int host_thread_spawn(void *(*fn)(void *), void *arg, const char *name);

/* ---- asynchronous delivery ------------------------------------------------ */

/* The calling thread's id, as host_interrupt takes it. */
int host_thread_id(void);
/* Ready the host for host_interrupt (once; later calls do nothing). sig and
 * sig_restart are the two host signals it may use; 0 keeps the defaults. 0 or
 * an error number: EINVAL (not usable), EBUSY (already set up, differently). */
int host_async_setup(int sig, int sig_restart);
/* The two host signals in use (0 before host_async_setup). */
void host_async_signals(int *sig, int *sig_restart);
/* Make thread tid call vsig__host_interrupted soon, interrupting whatever it
 * runs; a system call it is blocked in fails with EINTR, or restarts when
 * restart is set, as the kernel does for an SA_RESTART handler. Callable with
 * vsig locks held and from a host signal handler. */
void host_interrupt(int tid, bool restart);
/* Hold interrupts of the calling thread back (hold) or let them through: an
 * embedder's atomic mask-swapping call (pselect) holds them, then lets them
 * through in the call's own host mask. */
void host_async_hold(bool hold);
/* What the host calls on the interrupted thread, in host signal context. */
void vsig__host_interrupted(void *ucontext);
/* How many vsig locks the calling thread holds or is taking: a host signal
 * handler may take vsig locks only when it is 0. */
unsigned host_lock_depth(void);
/* In a fork child: the locks the parent's fork handler took are not released
 * there but made anew, so the count starts again at 0. */
void host_lock_depth_reset(void);

/* ---- the host bridge -------------------------------------------------------- */

/* Catch the host signals in set (bit n-1: signal n) and hand each to the core
 * (vsig__host_generate, vsig__host_fault), keeping the host's dispositions in
 * step with the default process's actions. 0 or an error number. */
int host_bridge_start(uint64_t set);
/* The default process's action for sig changed (bridge on): follow it. */
void host_bridge_action(int sig, uintptr_t handler, int flags, uint64_t mask);
/* Set the calling thread's host mask to mask (exact: before an exec, whose
 * program inherits it), or back to the bridge's own (exact false). */
void host_bridge_hostmask(uint64_t mask, bool exact);
/* The process is about to signal itself through the host (kill(0, sig)):
 * drop the copy the kernel delivers back, the process got its own. n is 1,
 * or -1 when the host kill failed after all. */
void host_bridge_expect_self(int sig, int n);
/* The calling thread released its last vsig lock: signals deferred while it
 * held one, with no vsig-bridge to take them (a fork child), come in now. */
void host_bridge_unlocked(void);
/* A thread is about to be made: a fork child's vsig-bridge starts now. */
void host_bridge_before_thread(void);
/* A vsig thread with mask starts on the calling host thread: give it the host
 * mask the bridge wants (pthread_create may have set another). Returns the
 * signals that host mask lets through, which then follow the thread's mask
 * (struct vsig_thr's host_open): some when `follow` (a thread of the default
 * process with asynchronous delivery on). */
uint64_t host_thread_started(uint64_t mask, bool in_default_process, bool async);
/* The calling thread's asynchronous delivery went on or off: its host mask
 * follows its mask, or no longer. Returns what it lets through. */
uint64_t host_thread_follow(uint64_t mask, bool follow);
/* The calling thread leaves vsig: its host mask no longer follows its mask. */
void host_thread_leaving(void);
/* The calling thread's mask now blocks these signals, which its host mask let
 * through: block them there too, before the kernel picks it for one. */
void host_mask_close(uint64_t set);
/* The calling thread's mask now lets these through, which its host mask
 * still blocks (host_follow): they must reach it another way meanwhile.
 * frame_end: a handler's frame ended, whose host handler may reopen them.
 * Returns those that stay stale until the host mask lets them through (the
 * core need not report them again until then); *deferred, those left to the
 * return of the host handler that runs (host_deferred). */
uint64_t host_mask_stale(uint64_t set, bool frame_end, uint64_t *deferred);
/* Let these through the calling thread's host mask now (its mask does). */
void host_mask_open(uint64_t set);
/* Take what the host kernel has pending for the process (and the calling
 * thread) into vsig now, in order: a vsig wait and sigpending call it first,
 * so that a signal sent before is pending in vsig, as natively. */
void host_bridge_take_pending(void);
/* The calling thread is about to sleep in a vsig wait: host signals sent to
 * it alone from outside can wake it meanwhile. true if its host mask changed:
 * then host_bridge_sleep_end(*saved) once it is awake again. */
bool host_bridge_sleep_begin(uint64_t *saved);
void host_bridge_sleep_end(uint64_t saved);

/* What the host calls back, in the core (bridge.c). None allocates. */
/* Generate sig with info in the default process, directed at vsig thread
 * `thread` when it is one of that process's (0: process-directed). `here`: the
 * kernel gave a process-directed signal to the calling thread, which is the
 * recipient when it still has it unblocked. 0, -EAGAIN (queued, at the queue
 * limit or without memory), -ESRCH. */
struct vsig_siginfo;
int vsig__host_generate(int sig, const struct vsig_siginfo *info, uint64_t thread, bool queued,
                        bool here);
/* The calling thread's mask, when it is a thread of the default process that
 * runs its own code (inside no vsig call, holding no vsig lock): false
 * otherwise. */
bool vsig__host_user_mask(uint64_t *mask);
/* The calling thread's mask, when it is a thread of the default process. */
bool vsig__host_thread_mask(uint64_t *mask);
/* The same, when that thread also has asynchronous delivery on. */
bool vsig__host_follows(uint64_t *mask);
/* What the calling thread's host mask lets through of the signals that follow
 * its mask (struct vsig_thr's host_open), and setting it when the host
 * changed that mask itself. */
uint64_t vsig__host_open(void);
void vsig__host_set_open(uint64_t open);
/* The signals whose host state follows the calling thread's mask (0: none). */
void vsig__host_set_follow(uint64_t follow);
/* The calling thread's vsig thread id, 0 if it is none (never attaches). */
uint64_t vsig__host_self_id(void);
/* The calling thread is one of vsig's own (vsig-bridge): in no process. */
void vsig__host_internal_thread(void);
/* Wait until the default process's queue has room again. */
void vsig__host_room_wait(void);
/* A fault on the calling thread: run its handler now, with ucontext. 1 if a
 * handler ran; 0 if the process must die of it (blocked, default, ignored). */
int vsig__host_fault(int sig, struct vsig_siginfo *info, void *ucontext);
/* sig was ignored when the bridge started (the exec rule): so it is in vsig. */
void vsig__host_inherit_ignored(int sig);
/* sig had a host handler when the bridge started: with an invoker set (which
 * calls host-style handlers), it becomes sig's action. */
void vsig__host_inherit_handler(int sig, uintptr_t handler, int flags, uint64_t mask);
/* The default process's action for sig. */
void vsig__host_action_of(int sig, uintptr_t *handler, int *flags, uint64_t *mask);

/* Called once, at library init: the host may install a trace hook of its own
 * (vsig_set_trace_fn), as the Linux host does when VSIG_TRACE names a file. */
void host_trace_init(void);

/* Monotonic nanoseconds. */
int64_t host_now_ns(void);

/* Zeroed memory straight from the host, async-signal-safe (a host signal
 * handler may have interrupted malloc): NULL when there is none. */
void *host_pages_alloc(size_t bytes);
void host_pages_free(void *p, size_t bytes);

int host_getpid(void);
int host_getppid(void);
unsigned int host_getuid(void);

/* The host's text for the error number err: a constant string, or one written
 * to buf (len bytes); NULL if the host has none. Thread-safe. */
const char *host_strerror(int err, char *buf, size_t len);

/* Stop the host process as the default action of stop signal sig does (a
 * parent's waitpid sees WIFSTOPPED with sig); returns once it is continued. */
void host_stop_process(int sig);

/* End the host process as if killed by sig (falls back to _exit(128 + sig)). */
_Noreturn void host_die_by_signal(int sig);

#endif
