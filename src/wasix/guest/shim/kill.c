/* Sending: process-directed (kill, sigqueue) and thread-directed (raise,
 * tgkill); pids are vsig pids, which the guest learns from getpid() and its
 * environment (VSIG_WASIX_PIDS when several instances run). */
#include "shim.h"

#include <unistd.h>

int kill(pid_t pid, int sig) { return shim_ret(__vsig_kill(pid, sig)); }

int raise(int sig) { return shim_ret(__vsig_raise(sig)); }

int sigqueue(pid_t pid, int sig, const union sigval value) {
  return shim_ret(__vsig_sigqueue(pid, sig, (unsigned)value.sival_int));
}

pid_t getpid(void) {
  int pid = -1;
  __vsig_getpid(&pid);
  return pid;
}

pid_t gettid(void) {
  unsigned tid = 0;
  __vsig_gettid(&tid);
  return (pid_t)tid;
}

int tgkill(pid_t pid, pid_t tid, int sig) {
  (void)pid; /* vsig thread ids are global */
  return shim_ret(__vsig_thread_kill((unsigned)tid, sig));
}
