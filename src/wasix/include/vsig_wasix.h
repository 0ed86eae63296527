/*
 * vsig-wasix: vsig as the signal engine of a WebAssembly host.
 *
 * The WASIX signal imports (module wasix_32v1), a full POSIX signal ABI for
 * guests (module vsig_posix_v1, layouts in vsig_posix_abi.h) and the WASI
 * preview1 subset a wasi-libc program needs, for guests translated to C by
 * wasm2c. Built only on vsig's public API (vsig.h).
 *
 * Model: one guest instance is one vsig process whose single thread is the
 * host thread that runs the guest. Guest code runs inside "entry frames"
 * (vsig_wasix_call); proc_exit, a trap or a fatal default action unwinds to
 * the innermost one and from there, one frame at a time, to the outermost, so
 * that the unwinding never jumps over a frame of vsig itself.
 *
 * Import functions return WASI errno values (never the host's), check every
 * guest pointer against the guest memory and never crash the host on a bad
 * one. They run the caller's deliverable signals before returning (each host
 * call is a safe point).
 */
#ifndef VSIG_WASIX_H
#define VSIG_WASIX_H

#include "vsig.h"
#include "vsig_posix_abi.h"

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- WASI errno values (WASI's errno enum, not the host's) ----------------- */
enum {
  VSIG_WASI_ESUCCESS = 0,
  VSIG_WASI_E2BIG = 1,
  VSIG_WASI_EAGAIN = 6,
  VSIG_WASI_EBADF = 8,
  VSIG_WASI_EBUSY = 10,
  VSIG_WASI_ECANCELED = 11,
  VSIG_WASI_EFAULT = 21,
  VSIG_WASI_EINTR = 27,
  VSIG_WASI_EINVAL = 28,
  VSIG_WASI_EIO = 29,
  VSIG_WASI_ENOMEM = 48,
  VSIG_WASI_ENOSYS = 52,
  VSIG_WASI_ENOTSUP = 58,
  VSIG_WASI_EOVERFLOW = 61,
  VSIG_WASI_EPERM = 63,
  VSIG_WASI_EPIPE = 64,
  VSIG_WASI_ESPIPE = 70,
  VSIG_WASI_ESRCH = 71,
  VSIG_WASI_EMEMVIOLATION = 78
};

/* ---- WASIX signal numbers (the witx `signal` enum) ----------------------------- */
enum {
  VSIG_WASIX_SIGNONE = 0,
  VSIG_WASIX_SIGHUP = 1,
  VSIG_WASIX_SIGINT = 2,
  VSIG_WASIX_SIGQUIT = 3,
  VSIG_WASIX_SIGILL = 4,
  VSIG_WASIX_SIGTRAP = 5,
  VSIG_WASIX_SIGABRT = 6,
  VSIG_WASIX_SIGBUS = 7,
  VSIG_WASIX_SIGFPE = 8,
  VSIG_WASIX_SIGKILL = 9,
  VSIG_WASIX_SIGUSR1 = 10,
  VSIG_WASIX_SIGSEGV = 11,
  VSIG_WASIX_SIGUSR2 = 12,
  VSIG_WASIX_SIGPIPE = 13,
  VSIG_WASIX_SIGALRM = 14,
  VSIG_WASIX_SIGTERM = 15,
  VSIG_WASIX_SIGCHLD = 16,
  VSIG_WASIX_SIGCONT = 17,
  VSIG_WASIX_SIGSTOP = 18,
  VSIG_WASIX_SIGTSTP = 19,
  VSIG_WASIX_SIGTTIN = 20,
  VSIG_WASIX_SIGTTOU = 21,
  VSIG_WASIX_SIGURG = 22,
  VSIG_WASIX_SIGXCPU = 23,
  VSIG_WASIX_SIGXFSZ = 24,
  VSIG_WASIX_SIGVTALRM = 25,
  VSIG_WASIX_SIGPROF = 26,
  VSIG_WASIX_SIGWINCH = 27,
  VSIG_WASIX_SIGPOLL = 28,
  VSIG_WASIX_SIGPWR = 29,
  VSIG_WASIX_SIGSYS = 30,
  VSIG_WASIX_NSIG = 31
};
/* WASIX `disposition` enum (proc_signals_get). */
enum { VSIG_WASIX_DISP_DEFAULT = 0, VSIG_WASIX_DISP_IGNORE = 1 };

/* WASIX signal number -> vsig's (0 for 0 or out of range), and back (0: none). */
int vsig_wasix_sig_to_vsig(uint32_t wasix_sig);
uint32_t vsig_wasix_sig_from_vsig(int sig);

/* ---- a guest instance ------------------------------------------------------------ */

/* Calls into the module instance, supplied by the wasm2c glue (or a test). */
typedef struct vsig_wasix_module_ops {
  /* An exported function (i32) -> () named name[0..len), or NULL. */
  void *(*find_export)(void *inst, const char *name, size_t len);
  void (*call_export)(void *inst, void *fn, uint32_t arg);
  /* Whether table entry idx is a function of nparams i32 parameters (1 or 3)
   * and no result. */
  int (*table_fn_ok)(void *inst, uint32_t idx, int nparams);
  /* Call it (a trap if it no longer is one). */
  void (*call_table)(void *inst, uint32_t idx, int nparams, const uint32_t *args);
  /* The guest's __stack_pointer global, or NULL if it has none. */
  uint32_t *(*stack_pointer)(void *inst);
  /* A trap code's description (NULL: print the number). */
  const char *(*trap_name)(int code);
} vsig_wasix_module_ops_t;

/* How a signal reaches the guest when vsig runs its handler. */
enum {
  VSIG_WASIX_ROUTE_NONE = 0, /* the vsig action is not ours (SIG_DFL, SIG_IGN) */
  VSIG_WASIX_ROUTE_CALLBACK, /* the WASIX callback_signal export, WASIX number */
  VSIG_WASIX_ROUTE_HANDLER,  /* a vsig_posix_v1 handler: table[idx](sig) */
  VSIG_WASIX_ROUTE_SIGINFO   /* table[idx](sig, &siginfo on the guest stack, 0) */
};

/* Why guest code stopped running. */
enum {
  VSIG_WASIX_RUNNING = 0,
  VSIG_WASIX_EXITED = 1,  /* proc_exit(exit_code) */
  VSIG_WASIX_TRAPPED = 2, /* a wasm trap (trap) */
  VSIG_WASIX_KILLED = 3   /* a default action terminated the process (term_sig) */
};

struct vsig_wasix_entry;

typedef struct vsig_wasix_guest {
  /* Set by the embedder before vsig_wasix_guest_bind. */
  void *inst;
  const vsig_wasix_module_ops_t *ops;
  uint8_t *const *mem_data; /* the guest memory's base (it may move when it grows) */
  const uint32_t *mem_size; /* and its size in bytes */
  int argc;
  char *const *argv;
  char *const *envp; /* NULL-terminated */
  int fd_host[3];    /* host fds behind guest fds 0, 1, 2 (-1: closed) */
  const char *name;  /* for messages */

  /* Owned by vsig-wasix. */
  vsig_pid_t pid;
  vsig_thread_t tid;
  void *callback; /* the WASIX callback_signal export, or NULL */
  uint8_t route[VSIG_NSIG];
  uint32_t handler[VSIG_NSIG]; /* table index (ROUTE_HANDLER/SIGINFO) */
  int32_t guest_flags[VSIG_NSIG];
  struct vsig_wasix_entry *entry; /* innermost entry frame */
  int state;                      /* VSIG_WASIX_* */
  int exit_code;
  int trap;
  int term_sig;
  void *altstack;
  int wake_fd; /* an eventfd: how a signal wakes the guest from a host wait */
} vsig_wasix_guest_t;

/* Defaults: stdio on the host's 0, 1, 2; nothing routed. */
void vsig_wasix_guest_init(vsig_wasix_guest_t *g);
/* On the guest's host thread, already attached to its vsig process: make g the
 * thread's current guest (the one signal handlers call into), and give the
 * thread an alternate signal stack so that wasm2c's guard-page handler can
 * turn a guest stack overflow into a trap. Error number (ENOMEM). */
int vsig_wasix_guest_bind(vsig_wasix_guest_t *g);
/* Undo bind (before the thread detaches). */
void vsig_wasix_guest_unbind(vsig_wasix_guest_t *g);
/* The calling thread's current guest, or NULL. */
vsig_wasix_guest_t *vsig_wasix_current(void);

/* Run fn(arg) as guest code in an entry frame. Returns g->state: RUNNING if fn
 * returned, else why the guest stopped (an exit, a trap or a kill inside fn,
 * or in a handler called from it). */
int vsig_wasix_call(vsig_wasix_guest_t *g, void (*fn)(void *), void *arg);
/* Stop the guest (state, with exit_code/trap/term_sig set) and unwind to the
 * innermost entry frame. */
_Noreturn void vsig_wasix_unwind(vsig_wasix_guest_t *g);
/* wasm2c's trap hook (WASM_RT_TRAP_HANDLER): unwinds the current guest. */
_Noreturn void vsig_wasix_trap(int code);
/* Make host faults that a guest thread takes in guest code wasm traps
 * (oob_code at an address in the guest memory's 8 GiB reservation;
 * exhaustion_code elsewhere: the host stack's guard page), whoever else handles SIGSEGV and
 * SIGBUS: other faults and sent signals go to the handler this replaces.
 * Call it after wasm_rt_init and after vsig_bridge_enable (again after
 * anything else that installs a SIGSEGV or SIGBUS handler; calling it when
 * it is still installed changes nothing). 0 or the host's error number. */
int vsig_wasix_fault_install(int oob_code, int exhaustion_code);
/* The end of every import: run deliverable signals (the safe point), then
 * unwind if the guest stopped meanwhile; else return rc. */
uint32_t vsig_wasix_leave(vsig_wasix_guest_t *g, uint32_t rc);

/* ---- the inlined preemption check (see tools/wasm2c-preempt.awk) ---------------- */
/* The current thread's vsig poll word (vsig_poll_word), cached by bind. */
extern _Thread_local const _Atomic int *vsig_wasix_poll_word;
/* Called by the check when the word is set: run handlers, unwind if stopped. */
void vsig_wasix_safepoint(void);

/* ---- the imports, callable directly (tests) ---------------------------------------- */
/* wasix_32v1 */
uint32_t vsig_wasix_proc_raise(vsig_wasix_guest_t *g, uint32_t sig);
uint32_t vsig_wasix_proc_raise_interval(vsig_wasix_guest_t *g, uint32_t sig, uint64_t interval_ms,
                                        uint32_t repeat);
uint32_t vsig_wasix_proc_signal(vsig_wasix_guest_t *g, uint32_t pid, uint32_t sig);
uint32_t vsig_wasix_thread_signal(vsig_wasix_guest_t *g, uint32_t tid, uint32_t sig);
void vsig_wasix_callback_signal(vsig_wasix_guest_t *g, uint32_t name, uint32_t name_len);
uint32_t vsig_wasix_proc_signals_sizes_get(vsig_wasix_guest_t *g, uint32_t ret_count);
uint32_t vsig_wasix_proc_signals_get(vsig_wasix_guest_t *g, uint32_t buf);
uint32_t vsig_wasix_proc_id(vsig_wasix_guest_t *g, uint32_t ret_pid);
uint32_t vsig_wasix_thread_id(vsig_wasix_guest_t *g, uint32_t ret_tid);

/* vsig_posix_v1 */
uint32_t vsig_posix_sigaction(vsig_wasix_guest_t *g, uint32_t sig, uint32_t act, uint32_t oact);
uint32_t vsig_posix_sigprocmask(vsig_wasix_guest_t *g, uint32_t how, uint32_t set, uint32_t oset);
uint32_t vsig_posix_sigpending(vsig_wasix_guest_t *g, uint32_t set);
uint32_t vsig_posix_sigsuspend(vsig_wasix_guest_t *g, uint32_t set);
uint32_t vsig_posix_sigtimedwait(vsig_wasix_guest_t *g, uint32_t set, uint32_t info,
                                 uint32_t timeout, uint32_t ret_sig);
uint32_t vsig_posix_pause(vsig_wasix_guest_t *g);
uint32_t vsig_posix_kill(vsig_wasix_guest_t *g, uint32_t pid, uint32_t sig);
uint32_t vsig_posix_raise(vsig_wasix_guest_t *g, uint32_t sig);
uint32_t vsig_posix_sigqueue(vsig_wasix_guest_t *g, uint32_t pid, uint32_t sig, uint32_t value);
uint32_t vsig_posix_thread_kill(vsig_wasix_guest_t *g, uint32_t tid, uint32_t sig);
uint32_t vsig_posix_thread_sigqueue(vsig_wasix_guest_t *g, uint32_t tid, uint32_t sig,
                                    uint32_t value);
uint32_t vsig_posix_getpid(vsig_wasix_guest_t *g, uint32_t ret_pid);
uint32_t vsig_posix_gettid(vsig_wasix_guest_t *g, uint32_t ret_tid);
uint32_t vsig_posix_alarm(vsig_wasix_guest_t *g, uint32_t seconds, uint32_t ret_left);
uint32_t vsig_posix_setitimer(vsig_wasix_guest_t *g, uint32_t which, uint32_t value,
                              uint32_t ovalue);
uint32_t vsig_posix_getitimer(vsig_wasix_guest_t *g, uint32_t which, uint32_t value);
uint32_t vsig_posix_timer_create(vsig_wasix_guest_t *g, uint32_t clockid, uint32_t sev,
                                 uint32_t ret_id);
uint32_t vsig_posix_timer_settime(vsig_wasix_guest_t *g, uint32_t id, uint32_t flags,
                                  uint32_t value, uint32_t ovalue);
uint32_t vsig_posix_timer_gettime(vsig_wasix_guest_t *g, uint32_t id, uint32_t value);
uint32_t vsig_posix_timer_getoverrun(vsig_wasix_guest_t *g, uint32_t id, uint32_t ret_count);
uint32_t vsig_posix_timer_delete(vsig_wasix_guest_t *g, uint32_t id);

/* wasi_snapshot_preview1 (the subset) */
uint32_t vsig_wasi_args_sizes_get(vsig_wasix_guest_t *g, uint32_t ret_argc, uint32_t ret_size);
uint32_t vsig_wasi_args_get(vsig_wasix_guest_t *g, uint32_t argv, uint32_t buf);
uint32_t vsig_wasi_environ_sizes_get(vsig_wasix_guest_t *g, uint32_t ret_count, uint32_t ret_size);
uint32_t vsig_wasi_environ_get(vsig_wasix_guest_t *g, uint32_t environ, uint32_t buf);
uint32_t vsig_wasi_fd_write(vsig_wasix_guest_t *g, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                            uint32_t ret_n);
uint32_t vsig_wasi_fd_read(vsig_wasix_guest_t *g, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                           uint32_t ret_n);
uint32_t vsig_wasi_fd_close(vsig_wasix_guest_t *g, uint32_t fd);
uint32_t vsig_wasi_fd_seek(vsig_wasix_guest_t *g, uint32_t fd, int64_t offset, uint32_t whence,
                           uint32_t ret_off);
uint32_t vsig_wasi_fd_fdstat_get(vsig_wasix_guest_t *g, uint32_t fd, uint32_t ret_stat);
uint32_t vsig_wasi_clock_time_get(vsig_wasix_guest_t *g, uint32_t id, uint64_t precision,
                                  uint32_t ret_time);
uint32_t vsig_wasi_clock_res_get(vsig_wasix_guest_t *g, uint32_t id, uint32_t ret_res);
uint32_t vsig_wasi_poll_oneoff(vsig_wasix_guest_t *g, uint32_t in, uint32_t out, uint32_t nsubs,
                               uint32_t ret_nevents);
_Noreturn void vsig_wasi_proc_exit(vsig_wasix_guest_t *g, uint32_t code);
uint32_t vsig_wasi_random_get(vsig_wasix_guest_t *g, uint32_t buf, uint32_t len);
uint32_t vsig_wasi_sched_yield(vsig_wasix_guest_t *g);

/* Every import vsig-wasix provides, as "module.name" strings, NULL-terminated
 * (the runner refuses a module that imports anything else). */
extern const char *const vsig_wasix_imports[];

/* ---- running a wasm2c module (used by the generated glue) --------------------------- */
typedef struct vsig_wasix_module {
  const char *name;
  size_t instance_size;
  void (*init_module)(void);
  /* Instantiate inst with g as the instance of every import module. */
  void (*instantiate)(void *inst, vsig_wasix_guest_t *g);
  void (*start)(void *inst);
  void (*free_instance)(void *inst);
  /* Where the instance's memory keeps its base and size. */
  void (*memory)(void *inst, uint8_t *const **data, const uint32_t **size);
  const vsig_wasix_module_ops_t *ops;
  /* The runtime's trap codes for an out-of-bounds access and an exhausted
   * stack (vsig_wasix_fault_install). */
  int trap_oob, trap_exhaustion;
} vsig_wasix_module_t;

/* main() of a translated guest: [-n INSTANCES] [--env K=V]... [--bridge] [--]
 * [guest args]. --bridge turns on vsig's host bridge for the standard
 * signals (vsig_bridge_enable) before anything else; guest faults stay traps
 * either way (vsig_wasix_fault_install).
 * Runs each instance as its own vsig process on its own host thread; the
 * instances see VSIG_WASIX_INSTANCE (0..n-1) and VSIG_WASIX_PIDS (every
 * instance's pid, comma-separated) in their environment. Returns instance
 * 0's exit status (128 + signal if killed, 134 for a trap). */
int vsig_wasix_main(const vsig_wasix_module_t *m, int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
