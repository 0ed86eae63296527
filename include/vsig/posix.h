/* SPDX-License-Identifier: MIT */
/*
 * vsig/posix.h: build unmodified POSIX C code against vsig.
 *
 *     cc -include vsig/posix.h prog.c -lvsig -lpthread
 *
 * The system headers that declare the signal API are included first, so a
 * later #include <signal.h> in the program changes nothing; then the standard
 * names are mapped onto vsig's. Threads created with pthread_create become vsig
 * threads of the caller's process; sleep, usleep and nanosleep become sleeps a
 * vsig handler interrupts; getpid is the virtual pid; alarm, ualarm, the
 * itimers and the timer_* calls arm vsig timers.
 */
#ifndef VSIG_POSIX_H
#define VSIG_POSIX_H

#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "../vsig.h"

/* Types. */
#define sigset_t vsig_sigset_t
#define siginfo_t vsig_siginfo_t
#define sigval vsig_sigval
#define sigaction vsig_sigaction /* the struct tag and the function */

/* Signal sets and actions. */
#define sigemptyset vsig_sigemptyset
#define sigfillset vsig_sigfillset
#define sigaddset vsig_sigaddset
#define sigdelset vsig_sigdelset
#define sigismember vsig_sigismember
#define signal vsig_signal

/* Masks and pending signals. */
#define sigprocmask vsig_sigprocmask
#define pthread_sigmask vsig_pthread_sigmask
#define sigpending vsig_sigpending

/* Sending. */
#define kill vsig_kill
#define raise vsig_raise
#define sigqueue vsig_sigqueue
#define pthread_kill vsig_pthread_kill_host
#define getpid vsig_getpid

/* Waiting. */
#define sigsuspend vsig_sigsuspend
#define pause vsig_pause
#define sigwait vsig_sigwait
#define sigwaitinfo vsig_sigwaitinfo
#define sigtimedwait vsig_sigtimedwait
#define sleep vsig_sleep
#define usleep vsig_usleep
#define nanosleep vsig_nanosleep

/* Threads. */
#define pthread_create vsig_pthread_create

/* Timers. CLOCK_REALTIME and CLOCK_MONOTONIC keep the host's values, which
 * are vsig's too, so clock_gettime still works. */
_Static_assert(CLOCK_REALTIME == VSIG_CLOCK_REALTIME && CLOCK_MONOTONIC == VSIG_CLOCK_MONOTONIC,
               "host clock ids differ from vsig's");
#define alarm vsig_alarm
#define ualarm vsig_ualarm
#define itimerval vsig_itimerval
#define setitimer vsig_setitimer
#define getitimer vsig_getitimer
#define timer_t vsig_timer_t
#define sigevent vsig_sigevent
#define itimerspec vsig_itimerspec
#define timer_create vsig_timer_create
#define timer_settime vsig_timer_settime
#define timer_gettime vsig_timer_gettime
#define timer_getoverrun vsig_timer_getoverrun
#define timer_delete vsig_timer_delete
#undef ITIMER_REAL
#undef ITIMER_VIRTUAL
#undef ITIMER_PROF
#define ITIMER_REAL VSIG_ITIMER_REAL
#define ITIMER_VIRTUAL VSIG_ITIMER_VIRTUAL
#define ITIMER_PROF VSIG_ITIMER_PROF
#undef TIMER_ABSTIME
#define TIMER_ABSTIME VSIG_TIMER_ABSTIME
#undef SIGEV_SIGNAL
#undef SIGEV_NONE
#undef SIGEV_THREAD
#undef SIGEV_THREAD_ID
#define SIGEV_SIGNAL VSIG_SIGEV_SIGNAL
#define SIGEV_NONE VSIG_SIGEV_NONE
#define SIGEV_THREAD VSIG_SIGEV_THREAD
#define SIGEV_THREAD_ID VSIG_SIGEV_THREAD_ID

/* Constants: vsig's values, whatever the host's are. */
#undef SIG_DFL
#undef SIG_IGN
#undef SIG_ERR
#define SIG_DFL VSIG_SIG_DFL
#define SIG_IGN VSIG_SIG_IGN
#define SIG_ERR VSIG_SIG_ERR
#undef SIG_BLOCK
#undef SIG_UNBLOCK
#undef SIG_SETMASK
#define SIG_BLOCK VSIG_SIG_BLOCK
#define SIG_UNBLOCK VSIG_SIG_UNBLOCK
#define SIG_SETMASK VSIG_SIG_SETMASK
#undef SA_NOCLDSTOP
#undef SA_NOCLDWAIT
#undef SA_SIGINFO
#undef SA_ONSTACK
#undef SA_RESTART
#undef SA_NODEFER
#undef SA_RESETHAND
#define SA_NOCLDSTOP VSIG_SA_NOCLDSTOP
#define SA_NOCLDWAIT VSIG_SA_NOCLDWAIT
#define SA_SIGINFO VSIG_SA_SIGINFO
#define SA_ONSTACK VSIG_SA_ONSTACK
#define SA_RESTART VSIG_SA_RESTART
#define SA_NODEFER VSIG_SA_NODEFER
#define SA_RESETHAND VSIG_SA_RESETHAND
#undef SI_USER
#undef SI_QUEUE
#undef SI_TIMER
#undef SI_MESGQ
#undef SI_ASYNCIO
#undef SI_SIGIO
#undef SI_TKILL
#define SI_USER VSIG_SI_USER
#define SI_QUEUE VSIG_SI_QUEUE
#define SI_TIMER VSIG_SI_TIMER
#define SI_MESGQ VSIG_SI_MESGQ
#define SI_ASYNCIO VSIG_SI_ASYNCIO
#define SI_SIGIO VSIG_SI_SIGIO
#define SI_TKILL VSIG_SI_TKILL
#undef SIGRTMIN
#undef SIGRTMAX
#undef NSIG
#define SIGRTMIN VSIG_SIGRTMIN
#define SIGRTMAX VSIG_SIGRTMAX
#define NSIG VSIG_NSIG

#undef SIGHUP
#undef SIGINT
#undef SIGQUIT
#undef SIGILL
#undef SIGTRAP
#undef SIGABRT
#undef SIGBUS
#undef SIGFPE
#undef SIGKILL
#undef SIGUSR1
#undef SIGSEGV
#undef SIGUSR2
#undef SIGPIPE
#undef SIGALRM
#undef SIGTERM
#undef SIGCHLD
#undef SIGCONT
#undef SIGSTOP
#undef SIGTSTP
#undef SIGTTIN
#undef SIGTTOU
#undef SIGURG
#undef SIGXCPU
#undef SIGXFSZ
#undef SIGVTALRM
#undef SIGPROF
#undef SIGWINCH
#undef SIGIO
#undef SIGPOLL
#undef SIGPWR
#undef SIGSYS
#define SIGHUP VSIG_SIGHUP
#define SIGINT VSIG_SIGINT
#define SIGQUIT VSIG_SIGQUIT
#define SIGILL VSIG_SIGILL
#define SIGTRAP VSIG_SIGTRAP
#define SIGABRT VSIG_SIGABRT
#define SIGBUS VSIG_SIGBUS
#define SIGFPE VSIG_SIGFPE
#define SIGKILL VSIG_SIGKILL
#define SIGUSR1 VSIG_SIGUSR1
#define SIGSEGV VSIG_SIGSEGV
#define SIGUSR2 VSIG_SIGUSR2
#define SIGPIPE VSIG_SIGPIPE
#define SIGALRM VSIG_SIGALRM
#define SIGTERM VSIG_SIGTERM
#define SIGCHLD VSIG_SIGCHLD
#define SIGCONT VSIG_SIGCONT
#define SIGSTOP VSIG_SIGSTOP
#define SIGTSTP VSIG_SIGTSTP
#define SIGTTIN VSIG_SIGTTIN
#define SIGTTOU VSIG_SIGTTOU
#define SIGURG VSIG_SIGURG
#define SIGXCPU VSIG_SIGXCPU
#define SIGXFSZ VSIG_SIGXFSZ
#define SIGVTALRM VSIG_SIGVTALRM
#define SIGPROF VSIG_SIGPROF
#define SIGWINCH VSIG_SIGWINCH
#define SIGIO VSIG_SIGIO
#define SIGPOLL VSIG_SIGPOLL
#define SIGPWR VSIG_SIGPWR
#define SIGSYS VSIG_SIGSYS

#endif /* VSIG_POSIX_H */
