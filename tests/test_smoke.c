/* SPDX-License-Identifier: MIT */
#include "vt.h"
#include <vsig.h>

static int hits;
static void on_usr1(int sig) { hits += sig == VSIG_SIGUSR1; }

TEST(raise_runs_handler) {
  vsig_sigaction_t act = {.sa_handler = on_usr1};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &act, NULL), 0);
  CHECK_EQ(vsig_raise(VSIG_SIGUSR1), 0);
  CHECK_EQ(hits, 1);
}
