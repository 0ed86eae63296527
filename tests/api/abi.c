/* SPDX-License-Identifier: MIT */
/* The layout promises of vsig.h: room to grow at the end of vsig_siginfo_t and
 * vsig_proc_attr_t, fields that never move, reserved words that are zero. */
#include <vsig.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "check.h"

#if UINTPTR_MAX == UINT64_MAX /* the sizes stated for LP64 */
_Static_assert(sizeof(vsig_siginfo_t) == 128, "vsig_siginfo_t is 128 bytes");
_Static_assert(sizeof(vsig_proc_attr_t) == 64, "vsig_proc_attr_t is 64 bytes");
_Static_assert(offsetof(vsig_siginfo_t, si_pid) == 16, "si_pid");
_Static_assert(offsetof(vsig_siginfo_t, si_value) == 40, "si_value");
_Static_assert(offsetof(vsig_siginfo_t, si_addr) == 48, "si_addr");
_Static_assert(offsetof(vsig_siginfo_t, si_spare_) == 56, "si_spare_");
#endif
_Static_assert(offsetof(vsig_siginfo_t, si_signo) == 0, "si_signo");
_Static_assert(offsetof(vsig_siginfo_t, si_errno) == sizeof(int), "si_errno");
_Static_assert(offsetof(vsig_siginfo_t, si_code) == 2 * sizeof(int), "si_code");
/* glibc's spellings are aliases of the same storage. */
_Static_assert(offsetof(vsig_siginfo_t, _sifields._kill.si_pid) == offsetof(vsig_siginfo_t, si_pid),
               "_sifields._kill.si_pid");
_Static_assert(offsetof(vsig_siginfo_t, _sifields._rt.si_value) ==
                   offsetof(vsig_siginfo_t, si_value),
               "_sifields._rt.si_value");
_Static_assert(offsetof(vsig_siginfo_t, _sifields._timer.si_overrun) ==
                   offsetof(vsig_siginfo_t, si_overrun),
               "_sifields._timer.si_overrun");
_Static_assert(offsetof(vsig_siginfo_t, si_spare_) >=
                   offsetof(vsig_siginfo_t, si_addr) + sizeof(void *),
               "the spare words come last");
_Static_assert(offsetof(vsig_proc_attr_t, reserved_) > offsetof(vsig_proc_attr_t, timer_max),
               "the reserved words come last");

static int spare_zero(const vsig_siginfo_t *si) {
  for (size_t i = 0; i < sizeof si->si_spare_ / sizeof si->si_spare_[0]; i++)
    if (si->si_spare_[i])
      return 0;
  return 1;
}

int main(void) {
  vsig_proc_attr_t attr;
  memset(&attr, 0xa5, sizeof attr);
  EXPECT(vsig_proc_attr_init(&attr) == 0);
  for (size_t i = 0; i < sizeof attr.reserved_ / sizeof attr.reserved_[0]; i++)
    EXPECT(attr.reserved_[i] == 0);
  EXPECT(attr.queue_max == VSIG_SIGQUEUE_MAX_DEFAULT);
  EXPECT(attr.timer_max == VSIG_TIMER_MAX_DEFAULT);
  vsig_pid_t pid;
  EXPECT(vsig_proc_create(&attr, &pid) == 0);
  EXPECT(vsig_proc_destroy(pid) == 0);

  /* The siginfo a waiter receives has its spare words zero, whatever was in
   * the caller's storage before. */
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGRTMIN);
  vsig_sigaddset(&set, VSIG_SIGUSR1);
  EXPECT(vsig_sigprocmask(VSIG_SIG_BLOCK, &set, NULL) == 0);
  vsig_sigval_t v;
  v.sival_int = 7;
  EXPECT(vsig_sigqueue(vsig_getpid(), VSIG_SIGRTMIN, v) == 0);
  EXPECT(vsig_raise(VSIG_SIGUSR1) == 0);
  vsig_siginfo_t si;
  memset(&si, 0xa5, sizeof si);
  EXPECT(vsig_sigwaitinfo(&set, &si) == VSIG_SIGUSR1);
  EXPECT(si.si_code == VSIG_SI_TKILL && spare_zero(&si));
  memset(&si, 0xa5, sizeof si);
  EXPECT(vsig_sigwaitinfo(&set, &si) == VSIG_SIGRTMIN);
  EXPECT(si.si_code == VSIG_SI_QUEUE && si.si_value.sival_int == 7 && spare_zero(&si));
  puts("abi: ok");
  return 0;
}
