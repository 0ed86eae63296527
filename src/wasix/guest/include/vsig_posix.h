/*
 * The vsig_posix_v1 imports, as raw calls (the shim wraps them in the POSIX
 * names). Pointers are guest pointers to the layouts of vsig_posix_abi.h; 0
 * stands for NULL where an argument is optional; every call returns 0 or a
 * WASI errno value (the values of <errno.h>). See docs/wasix.md.
 */
#ifndef VSIG_POSIX_H
#define VSIG_POSIX_H

#include "vsig_posix_abi.h"

#define VSIG_POSIX_IMPORT(name)                                                                    \
  __attribute__((import_module(VSIG_POSIX_MODULE), import_name(#name)))

VSIG_POSIX_IMPORT(sigaction)
int __vsig_sigaction(int sig, const vsig_wasm_sigaction_t *act, vsig_wasm_sigaction_t *oact);
VSIG_POSIX_IMPORT(sigprocmask)
int __vsig_sigprocmask(int how, const vsig_wasm_sigset_t *set, vsig_wasm_sigset_t *oset);
VSIG_POSIX_IMPORT(sigpending) int __vsig_sigpending(vsig_wasm_sigset_t *set);
VSIG_POSIX_IMPORT(sigsuspend) int __vsig_sigsuspend(const vsig_wasm_sigset_t *set);
VSIG_POSIX_IMPORT(sigtimedwait)
int __vsig_sigtimedwait(const vsig_wasm_sigset_t *set, vsig_wasm_siginfo_t *info,
                        const vsig_wasm_timespec_t *timeout, int *sig);
VSIG_POSIX_IMPORT(pause) int __vsig_pause(void);
VSIG_POSIX_IMPORT(kill) int __vsig_kill(int pid, int sig);
VSIG_POSIX_IMPORT(raise) int __vsig_raise(int sig);
VSIG_POSIX_IMPORT(sigqueue) int __vsig_sigqueue(int pid, int sig, unsigned value);
VSIG_POSIX_IMPORT(thread_kill) int __vsig_thread_kill(unsigned tid, int sig);
VSIG_POSIX_IMPORT(thread_sigqueue)
int __vsig_thread_sigqueue(unsigned tid, int sig, unsigned value);
VSIG_POSIX_IMPORT(getpid) int __vsig_getpid(int *pid);
VSIG_POSIX_IMPORT(gettid) int __vsig_gettid(unsigned *tid);
VSIG_POSIX_IMPORT(alarm) int __vsig_alarm(unsigned seconds, unsigned *left);
VSIG_POSIX_IMPORT(setitimer)
int __vsig_setitimer(int which, const vsig_wasm_itimerval_t *value, vsig_wasm_itimerval_t *ovalue);
VSIG_POSIX_IMPORT(getitimer) int __vsig_getitimer(int which, vsig_wasm_itimerval_t *value);
VSIG_POSIX_IMPORT(timer_create)
int __vsig_timer_create(int clockid, const vsig_wasm_sigevent_t *sev, int *id);
VSIG_POSIX_IMPORT(timer_settime)
int __vsig_timer_settime(int id, int flags, const vsig_wasm_itimerspec_t *value,
                         vsig_wasm_itimerspec_t *ovalue);
VSIG_POSIX_IMPORT(timer_gettime) int __vsig_timer_gettime(int id, vsig_wasm_itimerspec_t *value);
VSIG_POSIX_IMPORT(timer_getoverrun) int __vsig_timer_getoverrun(int id, int *count);
VSIG_POSIX_IMPORT(timer_delete) int __vsig_timer_delete(int id);

#endif
