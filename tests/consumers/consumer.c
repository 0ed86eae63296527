/* SPDX-License-Identifier: MIT */
/*
 * The program every consumer check builds (pkg-config, find_package,
 * add_subdirectory): the smallest use of an installed vsig. It prints the
 * library's version and the header's, installs a handler, raises the signal
 * and reports what the handler saw. run.sh compares the output line by line.
 */
#include <vsig.h>

#include <stdio.h>
#include <string.h>

static volatile int got;

static void on_usr1(int sig) { got = sig; }

int main(void) {
  vsig_sigaction_t act;
  memset(&act, 0, sizeof act);
  act.sa_handler = on_usr1;
  vsig_sigemptyset(&act.sa_mask);
  if (vsig_sigaction(VSIG_SIGUSR1, &act, NULL) != 0) {
    perror("vsig_sigaction");
    return 1;
  }
  if (vsig_raise(VSIG_SIGUSR1) != 0) { /* the handler runs before raise returns */
    perror("vsig_raise");
    return 1;
  }
  printf("vsig %s (header %s)\n", vsig_version(), VSIG_VERSION_STRING);
  printf("handler ran for signal %d (%s)\n", got, vsig_strsignal(got));
  return got == VSIG_SIGUSR1 ? 0 : 1;
}
