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
/* Busy-wait until signalled or deadline_ns (on host_now_ns's clock). */
void host_event_spin(host_event_t *ev, uint32_t token, int64_t deadline_ns);

/* Ask for timed sleeps of the calling thread to end within slack_ns of their
 * deadline (the timer service wants precise wake-ups). */
void host_thread_timer_slack(int64_t slack_ns);

/* Start a detached thread for vsig's own work. It has every host signal
 * blocked, so the kernel never picks it for a process-directed signal and
 * nothing interrupts it, and it carries name (up to 15 characters), so that
 * debuggers and top show it. */
int host_thread_spawn(void *(*fn)(void *), void *arg, const char *name);

/* Monotonic nanoseconds. */
int64_t host_now_ns(void);

int host_getpid(void);
unsigned int host_getuid(void);

/* The host's text for the error number err: a constant string, or one written
 * to buf (len bytes); NULL if the host has none. Thread-safe. */
const char *host_strerror(int err, char *buf, size_t len);

/* End the host process as if killed by sig (falls back to _exit(128 + sig)). */
_Noreturn void host_die_by_signal(int sig);

#endif
