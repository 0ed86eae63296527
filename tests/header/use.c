/* SPDX-License-Identifier: MIT */
/*
 * Compiled (not run) by check.sh as C and as C++, with each compiler, in
 * every supported language mode and -Wpedantic. SIGNAL_H_FIRST/SIGNAL_H_AFTER
 * put <signal.h> before or after vsig.h: glibc spells si_pid and sa_handler as
 * macros, and both orders must keep working.
 */
#if defined(SIGNAL_H_FIRST)
#include <signal.h>
#endif
#include <vsig.h>
#if defined(SIGNAL_H_AFTER)
#include <signal.h>
#endif

#if !defined(VSIG_VERSION_STRING) || VSIG_VERSION < 100
#error "version macros"
#endif

static int seen;

static void on_sig(int sig) { seen = sig; }

/* The paths glibc's macros expand to (si_pid is _sifields._kill.si_pid, and so
 * on) exist as aliases; a program that includes <signal.h> reaches them through
 * the macros, one that does not may name them. */
#if defined(SIGNAL_H_FIRST) || defined(SIGNAL_H_AFTER)
#define LONG_PATHS(info, act) 0
#else
#define LONG_PATHS(info, act)                                                                      \
  ((info)->_sifields._kill.si_pid + (info)->_sifields._rt.si_sigval.sival_int +                    \
   (info)->_sifields._timer.si_overrun + ((act)->__sigaction_handler.sa_handler != 0))
#endif

static void on_info(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)ctx;
  seen = sig + info->si_pid + (int)info->si_uid + info->si_status + info->si_overrun +
         info->si_timerid + info->si_value.sival_int + (info->si_addr != 0);
}

int use_vsig(void);
int use_vsig(void) {
  vsig_sigaction_t act, old;
  vsig_sigset_t set;
  vsig_siginfo_t info;
  vsig_proc_attr_t attr;
  vsig_pid_t pid = 0;
  struct timespec ts = {0, 0};
  act.sa_handler = on_sig;
  act.sa_sigaction = on_info;
  act.sa_flags = VSIG_SA_SIGINFO | VSIG_SA_RESTART;
  vsig_sigemptyset(&act.sa_mask);
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGUSR1);
  if (vsig_sigaction(VSIG_SIGUSR1, &act, &old) != 0 ||
      vsig_signal(VSIG_SIGUSR2, on_sig) == VSIG_SIG_ERR)
    return 1;
  if (vsig_proc_attr_init(&attr) != 0 || vsig_proc_create(&attr, &pid) != 0)
    return 1;
  if (vsig_sigtimedwait(&set, &info, &ts) > 0)
    return info.si_signo + info.si_code + info.si_pid + info.si_overrun + LONG_PATHS(&info, &act);
  return seen + (int)sizeof(info.si_spare_) + (int)sizeof(attr.reserved_) +
         (vsig_strsignal(1)[0] == 'H') + (vsig_version()[0] != 0) + (vsig_strerror(0) != 0);
}
