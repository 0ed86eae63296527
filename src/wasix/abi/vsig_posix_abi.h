/*
 * The vsig_posix_v1 import module: guest-side memory layouts, shared by the
 * host library (which reads and writes them in guest memory) and by guest
 * code (whose <signal.h> types are exactly these layouts, so the shim passes
 * pointers through unchanged).
 *
 * wasm32, little-endian; every pointer is a 32-bit offset into the guest's
 * memory. Signal numbers are Linux's (1..31 standard, 32..64 real-time), the
 * numbering of wasi-libc's <signal.h>; errors are WASI errno values, the
 * values of wasi-libc's <errno.h>. Alignment is never required: wasm itself
 * allows unaligned access, and the host copies every field with memcpy.
 */
#ifndef VSIG_POSIX_ABI_H
#define VSIG_POSIX_ABI_H

#include <stdint.h>

#define VSIG_POSIX_MODULE "vsig_posix_v1"

/* A signal set: bit n-1 is signal n. 8 bytes. */
typedef uint64_t vsig_wasm_sigset_t;

/* sa_handler values that are not table indices. Table index 1 is a real
 * function in wasm32, so SIG_IGN cannot be 1 as in musl. */
#define VSIG_WASM_SIG_DFL 0u
#define VSIG_WASM_SIG_IGN 0xfffffffeu
#define VSIG_WASM_SIG_ERR 0xffffffffu

/* 16 bytes: handler is a function-table index (called as (i32) -> () or,
 * with SA_SIGINFO, (i32 sig, i32 info, i32 ucontext = 0) -> ()). */
typedef struct vsig_wasm_sigaction {
  uint32_t handler;
  int32_t flags; /* Linux SA_* values */
  vsig_wasm_sigset_t mask;
} vsig_wasm_sigaction_t;

/* 40 bytes. si_value is a sigval: an int or a 32-bit guest pointer. */
typedef struct vsig_wasm_siginfo {
  int32_t si_signo;
  int32_t si_errno;
  int32_t si_code;
  int32_t si_pid;
  uint32_t si_uid;
  int32_t si_status;
  int32_t si_overrun;
  int32_t si_timerid;
  uint32_t si_value;
  uint32_t si_addr;
} vsig_wasm_siginfo_t;

/* wasi-libc's struct timespec: 16 bytes. */
typedef struct vsig_wasm_timespec {
  int64_t tv_sec;
  int32_t tv_nsec;
  int32_t pad_;
} vsig_wasm_timespec_t;

/* wasi-libc's struct timeval (suseconds_t is 64-bit there): 16 bytes. */
typedef struct vsig_wasm_timeval {
  int64_t tv_sec;
  int64_t tv_usec;
} vsig_wasm_timeval_t;

typedef struct vsig_wasm_itimerval {
  vsig_wasm_timeval_t it_interval;
  vsig_wasm_timeval_t it_value;
} vsig_wasm_itimerval_t; /* 32 bytes */

typedef struct vsig_wasm_itimerspec {
  vsig_wasm_timespec_t it_interval;
  vsig_wasm_timespec_t it_value;
} vsig_wasm_itimerspec_t; /* 32 bytes */

/* 16 bytes. notify: 0 SIGEV_SIGNAL, 1 SIGEV_NONE, 4 SIGEV_THREAD_ID (thread_id
 * is a tid from gettid); SIGEV_THREAD (2) is EINVAL. */
typedef struct vsig_wasm_sigevent {
  uint32_t sigev_value;
  int32_t sigev_signo;
  int32_t sigev_notify;
  uint32_t sigev_notify_thread_id;
} vsig_wasm_sigevent_t;

/* clockid values of timer_create (the guest maps its clockid_t onto them). */
#define VSIG_WASM_CLOCK_REALTIME 0
#define VSIG_WASM_CLOCK_MONOTONIC 1

_Static_assert(sizeof(vsig_wasm_sigaction_t) == 16, "vsig_posix_v1 layout");
_Static_assert(sizeof(vsig_wasm_siginfo_t) == 40, "vsig_posix_v1 layout");
_Static_assert(sizeof(vsig_wasm_timespec_t) == 16, "vsig_posix_v1 layout");
_Static_assert(sizeof(vsig_wasm_itimerval_t) == 32, "vsig_posix_v1 layout");
_Static_assert(sizeof(vsig_wasm_itimerspec_t) == 32, "vsig_posix_v1 layout");
_Static_assert(sizeof(vsig_wasm_sigevent_t) == 16, "vsig_posix_v1 layout");

#endif
