/* SPDX-License-Identifier: MIT */
/*
 * vsig: POSIX signal semantics for virtual processes and threads, in user space.
 *
 * Conventions (as POSIX says for the directive each function mirrors):
 *  - Functions named after a POSIX call that returns -1 and sets errno do the same.
 *  - vsig_pthread_kill, vsig_pthread_sigmask, vsig_sigwait and every management
 *    function (processes, threads, embedding) return 0 or an error number and
 *    leave errno alone.
 *  - A failed call changes no state.
 *  - Signal numbers follow Linux: 1..31 standard, VSIG_SIGRTMIN..VSIG_SIGRTMAX
 *    real-time, all below VSIG_NSIG.
 *
 * A host thread that calls vsig without attaching is attached to the default
 * process (pid = the host pid) on first use, so a plain program just works.
 *
 * Thread safety: every function may be called from any thread at any time
 * (MT-Safe). vsig handlers run at safe points, outside every vsig lock, so a
 * handler may call any vsig function. From a *native* (host) signal handler
 * only the signal-set functions, vsig_version, vsig_strsignal (for signal
 * numbers 0..VSIG_NSIG-1), vsig_clock_now and vsig_set_terminate_callback may
 * be called: the others take a mutex, or may.
 *
 * Language: C11 or later, C++11 or later; C99 with GCC or Clang. The few
 * anonymous unions and structs below are marked __extension__ for those
 * compilers, so -std=c99 -Wpedantic and C++ -Wpedantic builds stay quiet.
 *
 * The reference manual is in section 3 (one page per function, e.g.
 * vsig_sigaction(3)) and vsig(7) describes the model.
 */
#ifndef VSIG_H
#define VSIG_H

/* The version of these declarations; vsig_version() gives the library's. */
#define VSIG_VERSION_MAJOR 0
#define VSIG_VERSION_MINOR 1
#define VSIG_VERSION_PATCH 0
#define VSIG_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, for #if comparisons. */
#define VSIG_VERSION (VSIG_VERSION_MAJOR * 10000 + VSIG_VERSION_MINOR * 100 + VSIG_VERSION_PATCH)

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define VSIG_API __attribute__((visibility("default")))
#else
#define VSIG_API
#endif

/* Anonymous unions and structs are C11 (anonymous structs inside unions are an
 * extension in C++); GCC and Clang accept them everywhere when told. */
#if defined(__GNUC__)
#define VSIG_EXTENSION_ __extension__
#else
#define VSIG_EXTENSION_
#if !defined(__cplusplus) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L)
#error "vsig.h needs C11 or later (anonymous unions), or GCC or Clang for C99"
#endif
#endif

/* ---- signal numbers ---------------------------------------------------- */
enum {
  VSIG_SIGHUP = 1,
  VSIG_SIGINT = 2,
  VSIG_SIGQUIT = 3,
  VSIG_SIGILL = 4,
  VSIG_SIGTRAP = 5,
  VSIG_SIGABRT = 6,
  VSIG_SIGBUS = 7,
  VSIG_SIGFPE = 8,
  VSIG_SIGKILL = 9,
  VSIG_SIGUSR1 = 10,
  VSIG_SIGSEGV = 11,
  VSIG_SIGUSR2 = 12,
  VSIG_SIGPIPE = 13,
  VSIG_SIGALRM = 14,
  VSIG_SIGTERM = 15,
  VSIG_SIGSTKFLT = 16,
  VSIG_SIGCHLD = 17,
  VSIG_SIGCONT = 18,
  VSIG_SIGSTOP = 19,
  VSIG_SIGTSTP = 20,
  VSIG_SIGTTIN = 21,
  VSIG_SIGTTOU = 22,
  VSIG_SIGURG = 23,
  VSIG_SIGXCPU = 24,
  VSIG_SIGXFSZ = 25,
  VSIG_SIGVTALRM = 26,
  VSIG_SIGPROF = 27,
  VSIG_SIGWINCH = 28,
  VSIG_SIGIO = 29,
  VSIG_SIGPOLL = VSIG_SIGIO,
  VSIG_SIGPWR = 30,
  VSIG_SIGSYS = 31,
  /* vsig reserves none of the real-time range for itself. */
  VSIG_SIGRTMIN = 32,
  VSIG_SIGRTMAX = 64,
  VSIG_NSIG = 65
};

/* ---- constants ----------------------------------------------------------- */
#define VSIG_SIG_BLOCK 0
#define VSIG_SIG_UNBLOCK 1
#define VSIG_SIG_SETMASK 2

/* sa_flags bits (Linux values). Other bits are accepted and dropped, as Linux does. */
#define VSIG_SA_NOCLDSTOP 0x00000001 /* SIGCHLD: not for a child's stop or continue */
#define VSIG_SA_NOCLDWAIT 0x00000002 /* SIGCHLD: children leave no zombie */
#define VSIG_SA_SIGINFO 0x00000004   /* handler is sa_sigaction */
#define VSIG_SA_ONSTACK 0x08000000   /* accepted, kept; handlers run on the caller's stack */
#define VSIG_SA_RESTART 0x10000000   /* embedder calls restart after the handler */
#define VSIG_SA_INTERRUPT 0x20000000 /* accepted and dropped: the absence of SA_RESTART */
#define VSIG_SA_NODEFER 0x40000000   /* do not block the signal in its own handler */
#define VSIG_SA_RESETHAND ((int)0x80000000u) /* reset to SIG_DFL on entry to the handler */

/* si_code values (Linux values). */
#define VSIG_SI_USER 0     /* kill */
#define VSIG_SI_QUEUE (-1) /* sigqueue */
#define VSIG_SI_TIMER (-2) /* timer expiry */
#define VSIG_SI_MESGQ (-3)
#define VSIG_SI_ASYNCIO (-4)
#define VSIG_SI_SIGIO (-5)
#define VSIG_SI_TKILL (-6)  /* raise, pthread_kill */
#define VSIG_SI_KERNEL 0x80 /* sent by vsig itself (an orphaned group's SIGHUP) */

/* Default queue limit of a process (queued signals pending at once). Only a
 * limit: nothing is allocated for it, so a larger one costs nothing. */
#define VSIG_SIGQUEUE_MAX_DEFAULT 1024
/* Default limit of POSIX timers per process. */
#define VSIG_TIMER_MAX_DEFAULT 4194304
/* POSIX minimum for SIGQUEUE_MAX; vsig refuses smaller limits. */
#define VSIG_POSIX_SIGQUEUE_MAX 32
/* Queued signals pending at once in all the processes of one real user id
 * (Linux's RLIMIT_SIGPENDING), unless vsig_set_uid_sigqueue_max says otherwise. */
#define VSIG_UID_SIGQUEUE_MAX_DEFAULT 65536

/* vsig_block_end and vsig_poll results besides 0 and EINTR. */
#define VSIG_ERESTART 512 /* handlers ran and all had SA_RESTART: restart the call */

/* ---- types --------------------------------------------------------------- */
typedef int vsig_pid_t;
typedef unsigned int vsig_uid_t;
/* A vsig thread: a small integer, never reused while the library runs; 0 is none. */
typedef uint64_t vsig_thread_t;

typedef struct vsig_sigset {
  uint64_t bits; /* bit n-1 is signal n */
} vsig_sigset_t;

typedef union vsig_sigval {
  int sival_int;
  void *sival_ptr;
} vsig_sigval_t;

/*
 * glibc spells siginfo_t and struct sigaction fields as macros into nested
 * unions (si_pid is _sifields._kill.si_pid, sa_handler is
 * __sigaction_handler.sa_handler). vsig's structures carry those paths as
 * aliases of the same storage, so a file may include <signal.h> and vsig.h in
 * either order and still write info.si_pid or act.sa_handler.
 */
#pragma push_macro("si_pid")
#pragma push_macro("si_uid")
#pragma push_macro("si_status")
#pragma push_macro("si_overrun")
#pragma push_macro("si_timerid")
#pragma push_macro("si_value")
#pragma push_macro("si_addr")
#pragma push_macro("sa_handler")
#pragma push_macro("sa_sigaction")
#undef si_pid
#undef si_uid
#undef si_status
#undef si_overrun
#undef si_timerid
#undef si_value
#undef si_addr
#undef sa_handler
#undef sa_sigaction

struct vsig_sifields {
  vsig_pid_t si_pid;
  vsig_uid_t si_uid;
  int si_status;
  int si_overrun;
  int si_tid;
  int si_reserved_;
  VSIG_EXTENSION_ union {
    vsig_sigval_t si_value;
    vsig_sigval_t si_sigval;
  };
  void *si_addr;
};

typedef struct vsig_siginfo {
  int si_signo; /* signal number */
  int si_errno; /* always 0 */
  int si_code;  /* VSIG_SI_* */
  VSIG_EXTENSION_ union {
    VSIG_EXTENSION_ struct {
      vsig_pid_t si_pid; /* sending process */
      vsig_uid_t si_uid; /* its user id */
      int si_status;     /* SIGCHLD: exit status, or the signal */
      int si_overrun;    /* timer overruns */
      int si_timerid;    /* timer id */
      int si_reserved_;
      vsig_sigval_t si_value; /* value from sigqueue or a timer */
      void *si_addr;
    };
    union {
      struct vsig_sifields _kill, _rt, _timer, _sigchld, _sigfault;
    } _sifields;
  };
  /* Zero. Room for the fields of later versions, which take words from here:
   * no field above ever moves and the size stays the same (128 bytes on LP64,
   * as the kernel's siginfo). */
  uint64_t si_spare_[9];
} vsig_siginfo_t;

typedef void (*vsig_handler_t)(int);
typedef void (*vsig_sigaction_fn)(int, vsig_siginfo_t *, void *);

typedef struct vsig_sigaction {
  VSIG_EXTENSION_ union {
    vsig_handler_t sa_handler;      /* SIG_DFL, SIG_IGN or a handler */
    vsig_sigaction_fn sa_sigaction; /* used when SA_SIGINFO is set */
    union {
      vsig_handler_t sa_handler;
      vsig_sigaction_fn sa_sigaction;
    } __sigaction_handler;
  };
  vsig_sigset_t sa_mask; /* also blocked while the handler runs */
  int sa_flags;          /* VSIG_SA_* */
} vsig_sigaction_t;

#pragma pop_macro("si_pid")
#pragma pop_macro("si_uid")
#pragma pop_macro("si_status")
#pragma pop_macro("si_overrun")
#pragma pop_macro("si_timerid")
#pragma pop_macro("si_value")
#pragma pop_macro("si_addr")
#pragma pop_macro("sa_handler")
#pragma pop_macro("sa_sigaction")

#define VSIG_SIG_DFL ((vsig_handler_t)0)
#define VSIG_SIG_IGN ((vsig_handler_t)1)
#define VSIG_SIG_ERR ((vsig_handler_t)-1)

/* ---- signal sets (0, or -1 with errno EINVAL) ------------------------------ */
VSIG_API int vsig_sigemptyset(vsig_sigset_t *set);                /* no signals */
VSIG_API int vsig_sigfillset(vsig_sigset_t *set);                 /* signals 1..64 */
VSIG_API int vsig_sigaddset(vsig_sigset_t *set, int sig);         /* add sig */
VSIG_API int vsig_sigdelset(vsig_sigset_t *set, int sig);         /* remove sig */
VSIG_API int vsig_sigismember(const vsig_sigset_t *set, int sig); /* 1, 0 or -1 */

/* ---- actions --------------------------------------------------------------- */
/* Examine and/or change the caller's process action for sig. EINVAL for a bad
 * signal, unknown flag bits, or a new action for SIGKILL/SIGSTOP. Setting SIG_IGN,
 * or SIG_DFL on a default-ignore signal, discards its pending instances. */
/* The function and the struct share a name, as POSIX's sigaction do; g++
 * -Wshadow would say the function hides the struct's implicit constructor. */
#if defined(__cplusplus) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#endif
VSIG_API int vsig_sigaction(int sig, const vsig_sigaction_t *act, vsig_sigaction_t *oact);
#if defined(__cplusplus) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
/* BSD-style signal(): a handler with SA_RESTART. VSIG_SIG_ERR and errno on error. */
VSIG_API vsig_handler_t vsig_signal(int sig, vsig_handler_t handler);

/* ---- masks ----------------------------------------------------------------- */
/* Change the calling thread's mask (vsig processes are multithreaded, so this is
 * pthread_sigmask with errno). SIGKILL and SIGSTOP are silently dropped. */
VSIG_API int vsig_sigprocmask(int how, const vsig_sigset_t *set, vsig_sigset_t *oset);
/* Same, returning an error number. Signals it unblocks are delivered before it returns. */
VSIG_API int vsig_pthread_sigmask(int how, const vsig_sigset_t *set, vsig_sigset_t *oset);
/* Signals pending on the caller's process or thread and blocked by the caller. */
VSIG_API int vsig_sigpending(vsig_sigset_t *set);

/* ---- sending ---------------------------------------------------------------- */
/* Send sig to a process: pid > 0 that process; 0 the caller's own (its process
 * group, for now itself); -1 every other process; < -1 the process -pid.
 * sig 0 only checks the target. ESRCH unknown pid, EINVAL bad sig. Never EAGAIN. */
VSIG_API int vsig_kill(vsig_pid_t pid, int sig);
/* Send sig to the calling thread; a handler runs before raise returns. */
VSIG_API int vsig_raise(int sig);
/* Queue sig with value to a process. EAGAIN (nothing changes) at its queue_max
 * or its user's limit, or when no memory can be had for the signal. */
VSIG_API int vsig_sigqueue(vsig_pid_t pid, int sig, const vsig_sigval_t value);
/* Send sig to a vsig thread. Returns ESRCH, EINVAL or 0 (error number). */
VSIG_API int vsig_pthread_kill(vsig_thread_t thread, int sig);
/* Queue sig with value to a vsig thread (si_code SI_QUEUE). Error number; EAGAIN
 * as vsig_sigqueue's. */
VSIG_API int vsig_pthread_sigqueue(vsig_thread_t thread, int sig, const vsig_sigval_t value);

/* ---- waiting ---------------------------------------------------------------- */
/* Replace the mask with *mask and wait until a handler has run; always -1/EINTR
 * (ECANCELED if the process is terminated). The old mask is restored. */
VSIG_API int vsig_sigsuspend(const vsig_sigset_t *mask);
/* Wait until a handler has run: -1/EINTR (ECANCELED if terminated). */
VSIG_API int vsig_pause(void);
/* Accept the lowest pending signal in *set; error number (never EINTR). */
VSIG_API int vsig_sigwait(const vsig_sigset_t *set, int *sig);
/* Accept a signal in *set and return its number; info may be NULL. EINTR if a
 * handler ran first. */
VSIG_API int vsig_sigwaitinfo(const vsig_sigset_t *set, vsig_siginfo_t *info);
/* As sigwaitinfo, giving up with EAGAIN after *timeout (NULL: forever). EINVAL for
 * a negative time or tv_nsec outside [0, 1e9). */
VSIG_API int vsig_sigtimedwait(const vsig_sigset_t *set, vsig_siginfo_t *info,
                               const struct timespec *timeout);
/* Interruptible sleeps: a handler ends them with EINTR (remaining time in *rem). */
VSIG_API int vsig_nanosleep(const struct timespec *req, struct timespec *rem);
VSIG_API unsigned int vsig_sleep(unsigned int seconds); /* unslept seconds, rounded up */
VSIG_API int vsig_usleep(unsigned long usec);

/* ---- safe points and embedder blocking calls --------------------------------- */
/* Run handlers for signals delivered to the calling thread. One load when nothing
 * is pending. Returns 0, or the signal number that terminated the process. */
VSIG_API int vsig_poll(void);
#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
/* The calling thread's "something may be deliverable" word, the one vsig_poll
 * loads: non-zero means call vsig_poll. For runtimes that inline the test (one
 * relaxed load) in generated code. Valid until the thread detaches; NULL when
 * attaching the caller to the default process ran out of memory, or on vsig's
 * own threads. */
VSIG_API const _Atomic int *vsig_poll_word(void);
#endif

/* Called by whichever thread sends a signal to a thread blocked in an embedder
 * call, to wake it. It must not call vsig and must work even if the blocked
 * thread has not yet gone to sleep. */
typedef void (*vsig_wake_fn)(void *arg);
/* Mark the caller as blocked in the embedder's own call. With interruptible
 * set, signals pick it as an interruptible thread and call wake(arg); otherwise
 * it ranks as blocked non-interruptibly and wake may be NULL. Returns 0, EINTR
 * (a signal is already deliverable: do not block, call vsig_block_end), ECANCELED
 * (process terminated) or EBUSY (already inside a blocking call). */
VSIG_API int vsig_block_begin(int interruptible, vsig_wake_fn wake, void *arg);
/* Leave the blocking call and run the handlers it collected. Returns 0 (none
 * ran), EINTR (fail the call), VSIG_ERESTART (all had SA_RESTART: restart it),
 * ECANCELED (process terminated) or EINVAL (not inside vsig_block_begin). */
VSIG_API int vsig_block_end(void);

/* ---- processes ---------------------------------------------------------------- */
/* Always fill one with vsig_proc_attr_init and then change the fields you
 * want: it zeroes the reserved words, which later versions may give a meaning
 * (64 bytes on LP64; new fields take words from reserved_, nothing moves). */
typedef struct vsig_proc_attr {
  size_t queue_max;      /* queued signals pending at once; >= VSIG_POSIX_SIGQUEUE_MAX */
  vsig_uid_t uid;        /* real user id, reported as si_uid of signals the process sends */
  size_t timer_max;      /* POSIX timers at once (timer_create gives EAGAIN beyond) */
  vsig_pid_t parent;     /* 0: the creating thread's process (none from outside any);
                            VSIG_PID_NONE: none (a new session and group) */
  vsig_uid_t euid;       /* effective user id; VSIG_UID_SAME: uid */
  vsig_uid_t suid;       /* saved set-user-id; VSIG_UID_SAME: the effective one */
  uint32_t reserved32_;  /* zero */
  uint64_t reserved_[3]; /* zero */
} vsig_proc_attr_t;

#define VSIG_PID_NONE (-1)             /* vsig_proc_attr_t.parent: no parent */
#define VSIG_UID_SAME ((vsig_uid_t)-1) /* vsig_proc_attr_t.euid, .suid: as the one before */

/* Fill *attr with the defaults (VSIG_SIGQUEUE_MAX_DEFAULT, the host uid as all
 * three user ids, VSIG_TIMER_MAX_DEFAULT, the creating thread's process as
 * parent) and zero its reserved words. EINVAL if NULL. */
VSIG_API int vsig_proc_attr_init(vsig_proc_attr_t *attr);
/* Create a virtual process with no threads. It joins its parent's process
 * group and session; a process without a parent leads a new session and group.
 * attr may be NULL. Error number: EINVAL bad attr, ESRCH no such parent, ENOMEM. */
VSIG_API int vsig_proc_create(const vsig_proc_attr_t *attr, vsig_pid_t *pid);
/* Set the attributes of the default process before it exists: EBUSY after. */
VSIG_API int vsig_default_proc_attr(const vsig_proc_attr_t *attr);
/* Forget a process that has no threads, at once: no SIGCHLD, its children go
 * to the reaper. ESRCH, EBUSY (threads attached). */
VSIG_API int vsig_proc_destroy(vsig_pid_t pid);
/* 0 and *term_sig 0 while alive (or ended by vsig_proc_exit), or the signal
 * that terminated it. ESRCH. */
VSIG_API int vsig_proc_status(vsig_pid_t pid, int *term_sig);
/* End process pid normally with exit status status & 0xff: its threads leave
 * their vsig waits with ECANCELED, its parent gets SIGCHLD (CLD_EXITED) and
 * can wait for it. A process that has already ended keeps its first end.
 * Error number: ESRCH. */
VSIG_API int vsig_proc_exit(vsig_pid_t pid, int status);
/* The per-user limit on queued signals: at it, sigqueue gives EAGAIN, the
 * bridge leaves host real-time signals in the kernel's queue, and kill of a
 * real-time signal leaves one unqueued instance, as at a process's queue_max
 * (timers' signals are never refused). Shared by every process whose real
 * user id is uid, charged to the receiving process; it bounds the memory they
 * hold for queued signals. Error number: ENOMEM (first use of uid). */
VSIG_API int vsig_set_uid_sigqueue_max(vsig_uid_t uid, size_t max);
/* How many queued signals processes of uid have pending, and its limit.
 * Error numbers: EINVAL (both NULL), ENOMEM. */
VSIG_API int vsig_get_uid_sigqueue(vsig_uid_t uid, size_t *queued, size_t *max);
/* Name the process that adopts the children of processes that end (0: none
 * named; then the default process, else the oldest living one). ESRCH. */
VSIG_API int vsig_set_reaper(vsig_pid_t pid);
/* The parent of the calling thread's process: 0 when it has none; for the
 * default process, the host's parent process. */
VSIG_API vsig_pid_t vsig_getppid(void);

/* ---- process groups and sessions (POSIX rules; -1 and errno) ---------------------- */
VSIG_API int vsig_setpgid(vsig_pid_t pid, vsig_pid_t pgid); /* EINVAL, ESRCH, EPERM */
VSIG_API vsig_pid_t vsig_getpgid(vsig_pid_t pid);           /* ESRCH */
VSIG_API vsig_pid_t vsig_getpgrp(void);
VSIG_API vsig_pid_t vsig_setsid(void);           /* EPERM: already a group leader */
VSIG_API vsig_pid_t vsig_getsid(vsig_pid_t pid); /* ESRCH */
/* kill(-pgrp, sig); pgrp 0 is the caller's group. EINVAL, ESRCH, EPERM. */
VSIG_API int vsig_killpg(vsig_pid_t pgrp, int sig);

/* ---- user ids (the setuid family's Linux rules: euid 0 is privileged) ------------- */
VSIG_API vsig_uid_t vsig_getuid(void);
VSIG_API vsig_uid_t vsig_geteuid(void);
VSIG_API int vsig_getresuid(vsig_uid_t *ruid, vsig_uid_t *euid, vsig_uid_t *suid); /* EFAULT */
VSIG_API int vsig_setuid(vsig_uid_t uid);                                       /* EINVAL, EPERM */
VSIG_API int vsig_seteuid(vsig_uid_t euid);                                     /* EINVAL, EPERM */
VSIG_API int vsig_setreuid(vsig_uid_t ruid, vsig_uid_t euid);                   /* EPERM */
VSIG_API int vsig_setresuid(vsig_uid_t ruid, vsig_uid_t euid, vsig_uid_t suid); /* EPERM */

/* ---- waiting for children --------------------------------------------------------- */
#define VSIG_WNOHANG 1
#define VSIG_WUNTRACED 2
#define VSIG_WSTOPPED 2
#define VSIG_WEXITED 4
#define VSIG_WCONTINUED 8
#define VSIG_WNOWAIT 0x01000000
#define VSIG_P_ALL 0
#define VSIG_P_PID 1
#define VSIG_P_PGID 2
/* The status word of vsig_waitpid, encoded as Linux encodes it. */
#define VSIG_WEXITSTATUS(s) (((s)&0xff00) >> 8)
#define VSIG_WTERMSIG(s) ((s)&0x7f)
#define VSIG_WSTOPSIG(s) VSIG_WEXITSTATUS(s)
#define VSIG_WCOREDUMP(s) ((s)&0x80)
#define VSIG_WIFEXITED(s) (VSIG_WTERMSIG(s) == 0)
#define VSIG_WIFSIGNALED(s) (((s)&0x7f) != 0 && ((s)&0x7f) != 0x7f)
#define VSIG_WIFSTOPPED(s) (((s)&0xff) == 0x7f)
#define VSIG_WIFCONTINUED(s) ((s) == 0xffff)
/* si_code of SIGCHLD. */
#define VSIG_CLD_EXITED 1
#define VSIG_CLD_KILLED 2
#define VSIG_CLD_DUMPED 3
#define VSIG_CLD_STOPPED 5
#define VSIG_CLD_CONTINUED 6
/* Wait for a child of the caller's process to change state (an interruptible
 * vsig wait: EINTR, or restarted when every handler that ran had SA_RESTART).
 * The child's pid, 0 (WNOHANG, nothing yet), or -1 and errno: ECHILD, EINTR,
 * EINVAL, ECANCELED (the caller's process ended). */
VSIG_API vsig_pid_t vsig_waitpid(vsig_pid_t pid, int *status, int options);
VSIG_API int vsig_waitid(int idtype, vsig_pid_t id, vsig_siginfo_t *info, int options);

/* ---- job control ----------------------------------------------------------------- */
/* Told when a process stops (stopped 1, sig the stop signal) or continues
 * (stopped 0, sig SIGCONT), with no vsig lock held, so that an embedder can
 * park code that never reaches a safe point. It may call vsig. */
typedef void (*vsig_jobctl_fn)(vsig_pid_t pid, int stopped, int sig, void *arg);
VSIG_API void vsig_set_jobctl_callback(vsig_jobctl_fn fn, void *arg);
/* *stopped: whether process pid is stopped. ESRCH, EINVAL (NULL). */
VSIG_API int vsig_proc_stopped(vsig_pid_t pid, int *stopped);
/* The attributes process pid was created with. ESRCH, EINVAL (attr NULL). */
VSIG_API int vsig_proc_getattr(vsig_pid_t pid, vsig_proc_attr_t *attr);
/* The calling thread's process; 0 on vsig's own threads (they are in none). */
VSIG_API vsig_pid_t vsig_getpid(void);

/* Told once per process killed by a default action, with no vsig lock held, on
 * the thread that found it (possibly vsig's timer thread, which is in no
 * process). It may call vsig but not detach the thread it runs on (EBUSY).
 * fn and arg are replaced together. Without a callback the default process
 * takes the host process down with sig, as a native fatal signal would. */
typedef void (*vsig_terminate_fn)(vsig_pid_t pid, int sig, void *arg);
VSIG_API void vsig_set_terminate_callback(vsig_terminate_fn fn, void *arg);

/* ---- threads ------------------------------------------------------------------ */
/* Attach the calling host thread to process pid with a priority (larger runs
 * first). EBUSY already attached, ESRCH unknown pid, ENOMEM, EPERM on vsig's
 * own threads. */
VSIG_API int vsig_thread_attach(vsig_pid_t pid, int priority);
/* Detach the calling thread; process-directed signals it held go back to the
 * process. EINVAL if not attached; EBUSY inside a handler, a terminate callback
 * or a blocking call. Host threads also detach when they exit. */
VSIG_API int vsig_thread_detach(void);
/* Create a host thread that runs start(arg) as a vsig thread of pid. It inherits
 * the caller's mask when the caller is in pid, else starts with none blocked.
 * *thread is valid (and signalable) when this returns. host or thread may be NULL. */
VSIG_API int vsig_thread_create(pthread_t *host, vsig_thread_t *thread, vsig_pid_t pid,
                                int priority, void *(*start)(void *), void *arg);
/* pthread_create for vsig/posix.h: a vsig thread of the caller's process, with
 * the caller's priority and mask. */
VSIG_API int vsig_pthread_create(pthread_t *host, const pthread_attr_t *attr,
                                 void *(*start)(void *), void *arg);
/* 1 while vsig itself is creating a host thread on the calling thread (for a
 * vsig thread or its own): a pthread_create wrapper must then just call the
 * next pthread_create. Else 0. */
VSIG_API int vsig_creating_thread(void);
/* The same, starting with *mask (NULL: the caller's), as
 * pthread_attr_setsigmask_np asks, with the host thread made by create (NULL:
 * pthread_create). A pthread_create wrapper passes the pthread_create it wraps,
 * so that nothing in front of it (a sanitizer) sees the thread twice. */
typedef int (*vsig_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
VSIG_API int vsig_pthread_create_ex(pthread_t *host, const pthread_attr_t *attr,
                                    const vsig_sigset_t *mask, vsig_create_fn create,
                                    void *(*start)(void *), void *arg);
/* The calling thread's id (attaching it to the default process if needed). */
VSIG_API vsig_thread_t vsig_thread_self(void);
/* The vsig thread running on host thread tid (Linux's gettid): ESRCH if none. */
VSIG_API int vsig_thread_from_host_tid(int tid, vsig_thread_t *thread);
/* The vsig thread running on a host thread: ESRCH if none. */
VSIG_API int vsig_thread_from_host(pthread_t host, vsig_thread_t *thread);
VSIG_API int vsig_thread_setpriority(vsig_thread_t thread, int priority);  /* ESRCH */
VSIG_API int vsig_thread_getpriority(vsig_thread_t thread, int *priority); /* ESRCH */
/* What a thread is doing, as the delivery algorithm sees it. */
enum {
  VSIG_THREAD_READY = 0,           /* running, or between vsig blocking calls */
  VSIG_THREAD_SIGWAIT = 1,         /* in sigwait, sigwaitinfo or sigtimedwait */
  VSIG_THREAD_INTERRUPTIBLE = 2,   /* in pause, sigsuspend, a sleep, or an embedder call */
  VSIG_THREAD_NONINTERRUPTIBLE = 3 /* in an embedder call marked non-interruptible */
};
VSIG_API int vsig_thread_getstate(vsig_thread_t thread, int *state); /* ESRCH */
/* pthread_kill on a host thread, for vsig/posix.h. */
VSIG_API int vsig_pthread_kill_host(pthread_t host, int sig);

/* ---- asynchronous delivery ------------------------------------------------------ */
/* By default handlers run at safe points only (vsig calls, vsig_poll, vsig
 * waits). A thread with asynchronous delivery on is interrupted instead, when a
 * handler becomes due on it while it runs its own code or is blocked in a host
 * call, and the handler runs on it at once, as natively: a system call it
 * interrupts fails with EINTR or restarts per the handler's SA_RESTART, as
 * the kernel decides for that call. Never inside a vsig call: then the
 * handler runs as the call returns. The interruption uses two reserved host
 * signals (vsig_async_signals). */
/* Turn asynchronous delivery on or off for the calling thread. 0 or an error
 * number: the host's (the interrupt signals cannot be installed), ENOMEM,
 * EPERM (vsig's own threads). */
VSIG_API int vsig_thread_set_async(int enable);
/* Whether threads that join vsig from now on start with it on. 0 or an error
 * number (as vsig_thread_set_async). */
VSIG_API int vsig_set_async_default(int enable);
/* The two host signals that interrupt threads, one for handlers without
 * SA_RESTART and one for handlers with it; host numbers, default 63 and 64
 * (SIGRTMAX-1, SIGRTMAX on Linux). Before asynchronous delivery is first
 * used: EBUSY after (unless the same), EINVAL unless two different real-time
 * signals that glibc does not keep (34..64 on Linux). */
VSIG_API int vsig_async_signals(int sig, int sig_restart);

/* The host bridge: signals in *set that the host kernel delivers to the host
 * process (from another process, a terminal, a child's exit, SIGPIPE,
 * abort(), a fault) become signals of the default process, with their real
 * siginfo, process- or thread-directed as the kernel sent them. The host's
 * dispositions follow the default process's actions from then on (SIG_IGN is
 * SIG_IGN in the kernel), signals the host process started with ignored start
 * ignored (the exec rule), and the default process's default actions act on
 * the host process (a stop signal stops it). Call it before creating threads:
 * the threads it does not know keep the host's own delivery. 0 or an error
 * number: EFAULT, ENOMEM, or the host's (EINVAL). */
VSIG_API int vsig_bridge_enable(const vsig_sigset_t *set);

/* After an exec the new program inherits the host mask: with the bridge on,
 * call this with 1 just before exec (the calling thread's host mask becomes
 * its vsig mask) and with 0 if the exec failed (back to the bridge's own). 0. */
VSIG_API int vsig_bridge_hostmask(int for_exec);
/* With the bridge on, the process is about to send sig to itself through the
 * host as well (kill(0, sig) reaches its process group there): the copy the
 * kernel hands back is dropped, the process had its own from vsig (expect 1);
 * expect 0 takes that back when the host send failed. 0, EINVAL. */
VSIG_API int vsig_bridge_expect_self(int sig, int expect);

/* A temporary mask around a blocking call of the embedder's, as pselect's
 * and ppoll's: the calling thread's mask becomes *temp (the old one goes to
 * *old when not NULL) until the first handler starts, and that handler's
 * return restores the old mask, as for sigsuspend. Nothing is delivered by
 * the swap itself. 0, or EINTR: a signal is deliverable under *temp already,
 * so the call must not block (unless it returns at once anyway: a ready
 * descriptor, a bad argument; the kernel checks those first); then
 * vsig_sigmask_swap_deliver runs the handlers (EINTR if any ran). EFAULT:
 * temp is NULL. End it with vsig_sigmask_swap_end, which restores the old
 * mask if no handler did. */
VSIG_API int vsig_sigmask_swap(const vsig_sigset_t *temp, vsig_sigset_t *old);
VSIG_API int vsig_sigmask_swap_deliver(void);
VSIG_API int vsig_sigmask_swap_end(void);

/* How many handlers the calling thread is inside (nested). */
VSIG_API unsigned vsig_handler_depth(void);
/* The calling thread jumped out of handlers (siglongjmp) back to where its
 * handler depth was depth: forget the frames it left, and restore *mask when
 * not NULL, delivering what that unblocks. 0, EINVAL (not a vsig thread). */
VSIG_API int vsig_handler_unwind(unsigned depth, const vsig_sigset_t *mask);

/* An embedder's call that swaps the mask atomically (pselect, ppoll) must
 * not be interrupted between vsig_sigmask_swap and entering the host call:
 * vsig_async_hold(1) holds interrupts of the calling thread back (they stay
 * pending in the host), and the call's own host mask lets them through (leave
 * out the two signals vsig_async_get_signals gives); vsig_async_hold(0)
 * after. 0. */
VSIG_API int vsig_async_hold(int hold);
/* The two host signals that interrupt threads (0, 0 before first use). */
VSIG_API void vsig_async_get_signals(int *sig, int *sig_restart);

/* Handlers are called through fn when one is set: an embedder (a
 * compatibility library, a wasm host) that stores its own kind of handler in
 * sa_handler converts info and calls it. ucontext is the host context of the
 * interrupted or faulting code when the frame was delivered asynchronously,
 * else NULL; it is also what plain SA_SIGINFO handlers get. */
typedef void (*vsig_invoke_fn)(int sig, const vsig_sigaction_t *act, vsig_siginfo_t *info,
                               void *ucontext);
VSIG_API void vsig_set_invoker(vsig_invoke_fn fn);

/* ---- the clock -------------------------------------------------------------------- */
/* Every vsig deadline (timers, sigtimedwait, the sleeps) is on one monotonic
 * clock: the host's by default, or a manual one that only moves when told. */
/* Switch to the manual clock, reading start_ns. Time then moves only through
 * vsig_clock_advance. EBUSY once a deadline has been set on the host clock. */
VSIG_API int vsig_clock_set_manual(int64_t start_ns);
/* Move the manual clock forward by ns and fire, on the calling thread and in
 * deadline order, every timer that falls due, before returning; the clock reads
 * each one's deadline while it fires. Timed waits that fall due end in that
 * order too, and the calling thread's own handlers run as their signals come.
 * EINVAL: negative ns or not manual. */
VSIG_API int vsig_clock_advance(int64_t ns);
/* The current time on vsig's clock, in nanoseconds. */
VSIG_API int64_t vsig_clock_now(void);

/* ---- timers ------------------------------------------------------------------------ */
/* WASIX proc_raise_interval: send sig to the caller's process after interval_ms,
 * and every interval_ms after that if repeat. 0 cancels. One interval timer per
 * (process, signal): re-arming replaces that signal's timer only. Returns 0 or
 * an error number: EINVAL for an invalid signal. */
VSIG_API int vsig_proc_raise_interval(int sig, uint64_t interval_ms, int repeat);
/* The nanosecond form (WASIX proc_raise_interval2): first expiry after first_ns
 * (0 cancels), then every period_ns (0: once). The previous setting (time to its
 * next expiry, rounded up; its period) goes to *old_first_ns and *old_period_ns
 * when not NULL. Same errors. */
VSIG_API int vsig_proc_raise_interval2(int sig, uint64_t first_ns, uint64_t period_ns,
                                       uint64_t *old_first_ns, uint64_t *old_period_ns);

/* alarm, ualarm and ITIMER_REAL are one per-process timer sending SIGALRM. */
/* Arm it for seconds (0 cancels). Returns the seconds left on the previous
 * setting, rounded up: at least 1 if one was armed. */
VSIG_API unsigned int vsig_alarm(unsigned int seconds);
/* Arm it for usecs, then every interval usecs. Returns the microseconds left on
 * the previous setting, rounded up. */
VSIG_API unsigned long vsig_ualarm(unsigned long usecs, unsigned long interval);

#define VSIG_ITIMER_REAL 0
#define VSIG_ITIMER_VIRTUAL 1 /* not provided: EINVAL */
#define VSIG_ITIMER_PROF 2    /* not provided: EINVAL */
typedef struct vsig_itimerval {
  struct timeval it_interval; /* period; zero: one expiry */
  struct timeval it_value;    /* time to the next expiry; zero: disarmed */
} vsig_itimerval_t;
/* -1/EINVAL for which other than ITIMER_REAL or tv_usec outside [0, 1e6) or
 * negative fields; EFAULT for a NULL value. */
VSIG_API int vsig_setitimer(int which, const vsig_itimerval_t *value, vsig_itimerval_t *ovalue);
VSIG_API int vsig_getitimer(int which, vsig_itimerval_t *value);

/* POSIX per-process timers. */
typedef int vsig_timer_t;
#define VSIG_CLOCK_REALTIME 0  /* absolute times are converted when armed */
#define VSIG_CLOCK_MONOTONIC 1 /* vsig's clock */
#define VSIG_TIMER_ABSTIME 1
#define VSIG_SIGEV_SIGNAL 0    /* signal the process */
#define VSIG_SIGEV_NONE 1      /* no notification */
#define VSIG_SIGEV_THREAD 2    /* not provided: EINVAL */
#define VSIG_SIGEV_THREAD_ID 4 /* signal one vsig thread (sigev_thread_id) */
typedef struct vsig_sigevent {
  vsig_sigval_t sigev_value; /* carried in si_value */
  int sigev_signo;
  int sigev_notify;              /* VSIG_SIGEV_* */
  vsig_thread_t sigev_thread_id; /* for VSIG_SIGEV_THREAD_ID */
} vsig_sigevent_t;
typedef struct vsig_itimerspec {
  struct timespec it_interval;
  struct timespec it_value;
} vsig_itimerspec_t;
/* Create a disarmed timer of the caller's process. sev NULL: SIGALRM to the
 * process with the timer id as value. -1 with EINVAL (clock, notify, signal,
 * thread not in the process), EAGAIN (the process's timer_max reached), ENOMEM. */
VSIG_API int vsig_timer_create(int clockid, const vsig_sigevent_t *sev, vsig_timer_t *timerid);
/* Arm (it_value non-zero, relative or VSIG_TIMER_ABSTIME) or disarm. EINVAL for
 * an unknown timer or a bad timespec. */
VSIG_API int vsig_timer_settime(vsig_timer_t timerid, int flags, const vsig_itimerspec_t *value,
                                vsig_itimerspec_t *ovalue);
VSIG_API int vsig_timer_gettime(vsig_timer_t timerid, vsig_itimerspec_t *value);
/* Expiries merged into the last signal the timer delivered (capped at INT_MAX). */
VSIG_API int vsig_timer_getoverrun(vsig_timer_t timerid);
/* Delete the timer; a signal of it still pending is discarded. */
VSIG_API int vsig_timer_delete(vsig_timer_t timerid);

/* ---- inspection ------------------------------------------------------------------ */
/* Read any thread's or process's signal state, as /proc/PID/status shows a
 * native one's (SigBlk, SigPnd, ShdPnd, and the actions). Each answer is one
 * consistent snapshot, taken under the lock that state changes under; nothing
 * changes and nothing is allocated (asking about the default process before
 * it exists does not make it: it reads as it will start). A terminated
 * process reads, with nothing pending, until vsig_proc_destroy. 0 or an error
 * number: ESRCH no such thread or process, EINVAL a NULL pointer or a bad
 * signal. */
/* The mask in force on thread (sigsuspend's temporary one while it waits). */
VSIG_API int vsig_thread_sigmask(vsig_thread_t thread, vsig_sigset_t *set);
/* Signals pending on thread itself (thread-directed), blocked or not. */
VSIG_API int vsig_thread_sigpending(vsig_thread_t thread, vsig_sigset_t *set);
/* Signals pending on process pid (process-directed), whatever the masks. */
VSIG_API int vsig_proc_sigpending(vsig_pid_t pid, vsig_sigset_t *set);
/* Process pid's action for sig (1..VSIG_NSIG-1, SIGKILL and SIGSTOP included). */
VSIG_API int vsig_proc_sigaction(vsig_pid_t pid, int sig, vsig_sigaction_t *act);

/* ---- tracing ------------------------------------------------------------------------ */
/* What a trace event reports (vsig_trace_event_t's kind). */
enum {
  VSIG_TRACE_GENERATE = 1, /* a signal was generated (sent, a timer's, or the host's) */
  VSIG_TRACE_CHOOSE = 2,   /* the delivery algorithm chose a thread for a process-directed one */
  VSIG_TRACE_DELIVER = 3,  /* a handler is about to run on the thread */
  VSIG_TRACE_RETURN = 4,   /* that handler returned */
  VSIG_TRACE_ACCEPT = 5,   /* the sigwait family accepted a signal */
  VSIG_TRACE_DISCARD = 6,  /* a signal was discarded (reason: VSIG_TRACE_DISCARD_*) */
  VSIG_TRACE_TIMER = 7,    /* a timer expired */
  VSIG_TRACE_TERMINATE = 8 /* a process was terminated by a signal's default action */
};
/* Why a signal was discarded (reason of VSIG_TRACE_DISCARD). */
enum {
  VSIG_TRACE_DISCARD_IGNORED = 1, /* its action is SIG_IGN */
  VSIG_TRACE_DISCARD_DEFAULT = 2, /* SIG_DFL, whose default action discards it */
  VSIG_TRACE_DISCARD_MERGED = 3,  /* a standard signal already pending: one instance */
  VSIG_TRACE_DISCARD_ZOMBIE = 4,  /* sent to a terminated process */
  VSIG_TRACE_DISCARD_ACTION = 5,  /* pending when sigaction set SIG_IGN (or an ignoring SIG_DFL) */
  VSIG_TRACE_DISCARD_TIMER_GONE = 6,  /* pending when its timer was deleted */
  VSIG_TRACE_DISCARD_THREAD_GONE = 7, /* pending on a thread that detached */
  VSIG_TRACE_DISCARD_TERMINATED = 8   /* pending when its process was terminated */
};
/* Which step of the delivery algorithm chose (reason of VSIG_TRACE_CHOOSE). */
enum {
  VSIG_TRACE_CHOSE_SENDER = 2,    /* the sending thread, which has it unblocked */
  VSIG_TRACE_CHOSE_WAITER = 3,    /* a thread in the sigwait family: handed over at once */
  VSIG_TRACE_CHOSE_UNBLOCKED = 4, /* the best thread that has it unblocked */
  VSIG_TRACE_CHOSE_NONE = 5       /* none: it stays pending on the process (thread 0) */
};

/* One event. Fields are only ever added, at the end, from reserved_ (zero),
 * so the size (128 bytes on LP64) stays the same: check size before reading
 * a field that a later version added. */
typedef struct vsig_trace_event {
  uint32_t size;         /* sizeof(vsig_trace_event_t) of the library that made it */
  int kind;              /* VSIG_TRACE_* */
  int64_t time_ns;       /* vsig_clock_now() when it happened */
  uint64_t id;           /* the signal instance, from its GENERATE on; 0: not known */
  vsig_thread_t self;    /* the thread it happened on; 0: one in no process (a timer's) */
  vsig_thread_t thread;  /* the thread concerned (target, chosen, handler's); 0: none */
  vsig_pid_t self_pid;   /* self's process; 0 with self */
  vsig_pid_t pid;        /* the process concerned (target, terminated, timer's) */
  int sig;               /* the signal */
  int code;              /* its si_code */
  vsig_pid_t sender_pid; /* its si_pid */
  int reason;            /* VSIG_TRACE_DISCARD_*, VSIG_TRACE_CHOSE_*, or for DELIVER */
                         /* and RETURN the handler's nesting depth (1: outermost) */
  vsig_sigval_t value;   /* its si_value */
  int timer;             /* TIMER, and signals with code VSIG_SI_TIMER: the timer id */
  int overrun;           /* likewise: the overruns counted on its pending signal */
  vsig_thread_t sender;  /* the sending thread when known; 0: none (a timer, the host) */
  uint64_t reserved_[5]; /* zero */
} vsig_trace_event_t;

/* Called for every event once set, on the thread where it happens: possibly
 * with vsig locks held and inside a host signal handler. It must be
 * async-signal-safe and must not call vsig (vsig_set_trace_fn(3)). */
typedef void (*vsig_trace_fn)(const vsig_trace_event_t *event, void *arg);
/* Set the hook (NULL: tracing off); fn and arg are replaced together. With
 * VSIG_TRACE=file.json in the environment the library starts with a hook of
 * its own that writes the events as a Chrome trace (Perfetto opens it). */
VSIG_API void vsig_set_trace_fn(vsig_trace_fn fn, void *arg);
/* The hook and its argument (NULL when off); either pointer may be NULL. */
VSIG_API void vsig_get_trace_fn(vsig_trace_fn *fn, void **arg);

/* ---- library information --------------------------------------------------------- */
/* The library's version, "MAJOR.MINOR.PATCH" (VSIG_VERSION_STRING of the build). */
VSIG_API const char *vsig_version(void);
/* A description of sig, as glibc's strsignal: "Hangup" .. "Bad system call" for
 * 1..31, "Real-time signal N" for VSIG_SIGRTMIN + N, else "Unknown signal N".
 * Never NULL; a constant string for 0..VSIG_NSIG-1. */
VSIG_API const char *vsig_strsignal(int sig);
/* A description of the error number err: VSIG_ERESTART's, or the host's text.
 * Never NULL; valid until the calling thread's next vsig_strerror call. */
VSIG_API const char *vsig_strerror(int err);

#undef VSIG_EXTENSION_

#ifdef __cplusplus
}
#endif
#endif /* VSIG_H */
