/* SPDX-License-Identifier: MIT */
/*
 * strsignal and strerror. Every signal number 0..VSIG_NSIG-1 has a constant
 * string, so those answers need no buffer and are async-signal-safe; other
 * numbers, and error numbers the host does not know, are formatted into a
 * buffer of the calling thread.
 */
#include "internal.h"

/* glibc's descriptions (Linux numbering). */
static const char *const std_names[VSIG_SIGRTMIN] = {
    [0] = "Unknown signal 0",
    [VSIG_SIGHUP] = "Hangup",
    [VSIG_SIGINT] = "Interrupt",
    [VSIG_SIGQUIT] = "Quit",
    [VSIG_SIGILL] = "Illegal instruction",
    [VSIG_SIGTRAP] = "Trace/breakpoint trap",
    [VSIG_SIGABRT] = "Aborted",
    [VSIG_SIGBUS] = "Bus error",
    [VSIG_SIGFPE] = "Floating point exception",
    [VSIG_SIGKILL] = "Killed",
    [VSIG_SIGUSR1] = "User defined signal 1",
    [VSIG_SIGSEGV] = "Segmentation fault",
    [VSIG_SIGUSR2] = "User defined signal 2",
    [VSIG_SIGPIPE] = "Broken pipe",
    [VSIG_SIGALRM] = "Alarm clock",
    [VSIG_SIGTERM] = "Terminated",
    [VSIG_SIGSTKFLT] = "Stack fault",
    [VSIG_SIGCHLD] = "Child exited",
    [VSIG_SIGCONT] = "Continued",
    [VSIG_SIGSTOP] = "Stopped (signal)",
    [VSIG_SIGTSTP] = "Stopped",
    [VSIG_SIGTTIN] = "Stopped (tty input)",
    [VSIG_SIGTTOU] = "Stopped (tty output)",
    [VSIG_SIGURG] = "Urgent I/O condition",
    [VSIG_SIGXCPU] = "CPU time limit exceeded",
    [VSIG_SIGXFSZ] = "File size limit exceeded",
    [VSIG_SIGVTALRM] = "Virtual timer expired",
    [VSIG_SIGPROF] = "Profiling timer expired",
    [VSIG_SIGWINCH] = "Window changed",
    [VSIG_SIGIO] = "I/O possible",
    [VSIG_SIGPWR] = "Power failure",
    [VSIG_SIGSYS] = "Bad system call",
};

/* As glibc, real-time signals are numbered from SIGRTMIN. */
#define RT_NAME(n) "Real-time signal " #n
static const char *const rt_names[VSIG_SIGRTMAX - VSIG_SIGRTMIN + 1] = {
    RT_NAME(0),  RT_NAME(1),  RT_NAME(2),  RT_NAME(3),  RT_NAME(4),  RT_NAME(5),  RT_NAME(6),
    RT_NAME(7),  RT_NAME(8),  RT_NAME(9),  RT_NAME(10), RT_NAME(11), RT_NAME(12), RT_NAME(13),
    RT_NAME(14), RT_NAME(15), RT_NAME(16), RT_NAME(17), RT_NAME(18), RT_NAME(19), RT_NAME(20),
    RT_NAME(21), RT_NAME(22), RT_NAME(23), RT_NAME(24), RT_NAME(25), RT_NAME(26), RT_NAME(27),
    RT_NAME(28), RT_NAME(29), RT_NAME(30), RT_NAME(31), RT_NAME(32),
};
_Static_assert(VSIG_SIGRTMAX - VSIG_SIGRTMIN == 32, "rt_names covers the real-time range");
_Static_assert(VSIG_NSIG == VSIG_SIGRTMAX + 1, "every valid number has a name");

/* prefix followed by the decimal form of n, in buf (at least 40 bytes). */
static const char *format_number(char *buf, const char *prefix, int n) {
  char digits[16];
  int nd = 0;
  /* Negate in unsigned arithmetic: INT_MIN has no positive int. */
  unsigned int u = n < 0 ? 0u - (unsigned int)n : (unsigned int)n;
  do {
    digits[nd++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  char *p = buf;
  while (*prefix)
    *p++ = *prefix++;
  if (n < 0)
    *p++ = '-';
  while (nd)
    *p++ = digits[--nd];
  *p = '\0';
  return buf;
}

static _Thread_local char sig_buf[40];
static _Thread_local char err_buf[128];

const char *vsig_strsignal(int sig) {
  if (sig >= 0 && sig < VSIG_SIGRTMIN)
    return std_names[sig];
  if (sig >= VSIG_SIGRTMIN && sig <= VSIG_SIGRTMAX)
    return rt_names[sig - VSIG_SIGRTMIN];
  return format_number(sig_buf, "Unknown signal ", sig);
}

const char *vsig_strerror(int err) {
  if (err == VSIG_ERESTART)
    return "Restart the call after a handler";
  const char *s = host_strerror(err, err_buf, sizeof err_buf);
  return s ? s : format_number(err_buf, "Unknown error ", err);
}
