/*
 * The WASIX signal imports (module wasix_32v1), for guests that use the WASIX
 * ABI directly. Signal numbers are WASIX's (__WASI_SIGNAL_*: no SIGSTKFLT, so
 * SIGCHLD is 16 and SIGSYS 30); results are WASI errno values.
 */
#ifndef WASIX_SIGNAL_H
#define WASIX_SIGNAL_H

#include <stdint.h>

#define WASIX_IMPORT(name) __attribute__((import_module("wasix_32v1"), import_name(#name)))

typedef uint8_t wasix_signal_t;
enum {
  WASIX_SIGHUP = 1,
  WASIX_SIGINT,
  WASIX_SIGQUIT,
  WASIX_SIGILL,
  WASIX_SIGTRAP,
  WASIX_SIGABRT,
  WASIX_SIGBUS,
  WASIX_SIGFPE,
  WASIX_SIGKILL,
  WASIX_SIGUSR1,
  WASIX_SIGSEGV,
  WASIX_SIGUSR2,
  WASIX_SIGPIPE,
  WASIX_SIGALRM,
  WASIX_SIGTERM,
  WASIX_SIGCHLD,
  WASIX_SIGCONT,
  WASIX_SIGSTOP,
  WASIX_SIGTSTP,
  WASIX_SIGTTIN,
  WASIX_SIGTTOU,
  WASIX_SIGURG,
  WASIX_SIGXCPU,
  WASIX_SIGXFSZ,
  WASIX_SIGVTALRM,
  WASIX_SIGPROF,
  WASIX_SIGWINCH,
  WASIX_SIGPOLL,
  WASIX_SIGPWR,
  WASIX_SIGSYS
};
enum { WASIX_DISPOSITION_DEFAULT = 0, WASIX_DISPOSITION_IGNORE = 1 };
typedef struct wasix_signal_disposition {
  uint8_t sig;
  uint8_t disp;
} wasix_signal_disposition_t;

WASIX_IMPORT(proc_raise) int wasix_proc_raise(int sig);
/* Raise sig at the process every interval_ms (repeat) or once; 0 cancels. */
WASIX_IMPORT(proc_raise_interval)
int wasix_proc_raise_interval(int sig, uint64_t interval_ms, int repeat);
WASIX_IMPORT(proc_signal) int wasix_proc_signal(uint32_t pid, int sig);
WASIX_IMPORT(thread_signal) int wasix_thread_signal(uint32_t tid, int sig);
/* Every signal then reaches the exported function named name: (int sig). */
WASIX_IMPORT(callback_signal) void wasix_callback_signal(const char *name, uint32_t len);
WASIX_IMPORT(proc_signals_sizes_get) int wasix_proc_signals_sizes_get(uint32_t *count);
WASIX_IMPORT(proc_signals_get) int wasix_proc_signals_get(wasix_signal_disposition_t *buf);
WASIX_IMPORT(proc_id) int wasix_proc_id(uint32_t *pid);
WASIX_IMPORT(thread_id) int wasix_thread_id(uint32_t *tid);

#endif
