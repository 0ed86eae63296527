/* SPDX-License-Identifier: MIT */
/* vsig_bridge_enable and the default process's table of actions: the call
 * makes it before it takes over any action from the host, so that running
 * out of memory for it fails the call with nothing done.
 *
 * test-hooks: internal (the failure hook of that table's allocation) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "vt.h"
#include <vsig.h>

#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

/* action.c: when n > 0, the n-th table allocation from now fails. Not
 * exported: this file links the library's objects. */
extern _Atomic int vsig__fail_acts_alloc;

static atomic_int hits;
static void on_usr1(int sig) {
  if (sig == VSIG_SIGUSR1)
    atomic_fetch_add(&hits, 1);
}

static uintptr_t host_disposition(int sig) {
  struct sigaction o;
  CHECK_EQ(sigaction(sig, NULL, &o), 0);
  return (uintptr_t)o.sa_handler;
}

static uintptr_t vsig_disposition(int sig) {
  vsig_sigaction_t o;
  CHECK_EQ(vsig_sigaction(sig, NULL, &o), 0);
  return (uintptr_t)o.sa_handler;
}

static vsig_sigset_t bridged(void) {
  vsig_sigset_t s;
  vsig_sigemptyset(&s);
  vsig_sigaddset(&s, VSIG_SIGWINCH);
  vsig_sigaddset(&s, VSIG_SIGUSR1);
  return s;
}

/* Run safe points until the handler ran: the bridge thread takes the host
 * signal in its own time (a guard against a hang, not a timing check). */
static void await_hit(void) {
  for (long i = 0; !atomic_load(&hits); i++) {
    if (i > 60L * 1000 * 1000)
      VT_FAIL("the host signal never reached its vsig handler");
    vsig_poll();
    sched_yield();
  }
}

TEST(out_of_memory_for_the_table_is_enomem_and_changes_nothing) {
  /* Ignored when the bridge starts: the exec rule makes it ignored in vsig. */
  CHECK(signal(SIGWINCH, SIG_IGN) != SIG_ERR);
  vsig_sigset_t set = bridged();
  atomic_store(&vsig__fail_acts_alloc, 1);
  CHECK_EQ(vsig_bridge_enable(&set), ENOMEM);
  CHECK_EQ(atomic_load(&vsig__fail_acts_alloc), 0); /* that allocation was the failure */
  CHECK_EQ(vsig_disposition(VSIG_SIGWINCH), (uintptr_t)VSIG_SIG_DFL); /* nothing taken over */
  CHECK_EQ(host_disposition(SIGWINCH), (uintptr_t)SIG_IGN);
  CHECK_EQ(host_disposition(SIGUSR1), (uintptr_t)SIG_DFL); /* not bridged */

  CHECK_EQ(vsig_bridge_enable(&set), 0);
  CHECK_EQ(vsig_disposition(VSIG_SIGWINCH), (uintptr_t)VSIG_SIG_IGN);
  CHECK(host_disposition(SIGUSR1) != (uintptr_t)SIG_DFL); /* bridged now */
  CHECK((uintptr_t)vsig_signal(VSIG_SIGUSR1, on_usr1) == (uintptr_t)VSIG_SIG_DFL);
  CHECK_EQ(kill(getpid(), SIGUSR1), 0);
  await_hit();
}

TEST(a_default_process_with_its_own_table_allocates_nothing) {
  CHECK((uintptr_t)vsig_signal(VSIG_SIGUSR1, on_usr1) == (uintptr_t)VSIG_SIG_DFL);
  vsig_sigset_t set = bridged();
  atomic_store(&vsig__fail_acts_alloc, 1);
  CHECK_EQ(vsig_bridge_enable(&set), 0);
  CHECK_EQ(atomic_load(&vsig__fail_acts_alloc), 1);
  atomic_store(&vsig__fail_acts_alloc, 0);
  CHECK_EQ(kill(getpid(), SIGUSR1), 0);
  await_hit();
}
