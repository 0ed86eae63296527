/*
 * <signal.h> for wasm32-wasi guests on vsig-wasix (vsig-wasix-cc puts this
 * directory before wasi-libc's, whose <signal.h> offers only an emulation of
 * signal() and raise()). Every call maps onto the vsig_posix_v1 imports
 * (src/wasix/guest/shim/): the host keeps all signal state, so masks, queues,
 * siginfo and timers behave as POSIX says. Numbers and flag values are
 * Linux's; the structures are exactly the layouts of vsig_posix_abi.h.
 */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include "vsig_posix_sigset.h"

#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT SIGABRT
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 32
#define SIGRTMAX 64
#define _NSIG 65
#define NSIG _NSIG

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* Not 1 as in musl: function-table index 1 is a real function in wasm32. */
#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int)) - 2)
#define SIG_ERR ((void (*)(int)) - 1)

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK SA_NODEFER
#define SA_ONESHOT SA_RESETHAND

#define SI_USER 0
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_MESGQ (-3)
#define SI_ASYNCIO (-4)
#define SI_SIGIO (-5)
#define SI_TKILL (-6)

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2 /* refused (EINVAL): a guest thread cannot be made for it */
#define SIGEV_THREAD_ID 4

typedef int sig_atomic_t;

union sigval {
  int sival_int;
  void *sival_ptr;
};

typedef struct {
  int si_signo;
  int si_errno;
  int si_code;
  pid_t si_pid;
  uid_t si_uid;
  int si_status;
  int si_overrun;
  int si_timerid;
  union sigval si_value;
  void *si_addr;
} siginfo_t;

struct sigaction {
  union {
    void (*sa_handler)(int);
    void (*sa_sigaction)(int, siginfo_t *, void *);
  };
  int sa_flags;
  sigset_t sa_mask;
};

struct sigevent {
  union sigval sigev_value;
  int sigev_signo;
  int sigev_notify;
  pid_t sigev_notify_thread_id; /* a tid from gettid(), for SIGEV_THREAD_ID */
};

typedef void (*sighandler_t)(int);

int sigemptyset(sigset_t *);
int sigfillset(sigset_t *);
int sigaddset(sigset_t *, int);
int sigdelset(sigset_t *, int);
int sigismember(const sigset_t *, int);

void (*signal(int, void (*)(int)))(int);
int sigaction(int, const struct sigaction *__restrict, struct sigaction *__restrict);
int sigprocmask(int, const sigset_t *__restrict, sigset_t *__restrict);
int pthread_sigmask(int, const sigset_t *__restrict, sigset_t *__restrict);
int sigpending(sigset_t *);
int sigsuspend(const sigset_t *);
int sigwait(const sigset_t *__restrict, int *__restrict);
int sigwaitinfo(const sigset_t *__restrict, siginfo_t *__restrict);
int sigtimedwait(const sigset_t *__restrict, siginfo_t *__restrict,
                 const struct timespec *__restrict);

int raise(int);
int kill(pid_t, int);
int sigqueue(pid_t, int, const union sigval);
/* The calling thread's id, and sending to one thread (tids from gettid). */
pid_t gettid(void);
int tgkill(pid_t, pid_t, int);

#ifdef __cplusplus
}
#endif
#endif
