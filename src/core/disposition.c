/* SPDX-License-Identifier: MIT */
/* Default dispositions of the signals (Linux). */
#include "internal.h"

enum dfl sig_default(int sig) {
  switch (sig) {
  case VSIG_SIGQUIT:
  case VSIG_SIGILL:
  case VSIG_SIGTRAP:
  case VSIG_SIGABRT:
  case VSIG_SIGBUS:
  case VSIG_SIGFPE:
  case VSIG_SIGSEGV:
  case VSIG_SIGXCPU:
  case VSIG_SIGXFSZ:
  case VSIG_SIGSYS:
    return DFL_CORE;
  case VSIG_SIGCHLD:
  case VSIG_SIGURG:
  case VSIG_SIGWINCH:
    return DFL_IGN;
  case VSIG_SIGSTOP:
  case VSIG_SIGTSTP:
  case VSIG_SIGTTIN:
  case VSIG_SIGTTOU:
    return DFL_STOP;
  case VSIG_SIGCONT:
    return DFL_CONT;
  default:
    return DFL_TERM;
  }
}
