// run:
/*
 * The WASIX imports from a guest, with WASIX numbers and WASI errno values:
 * proc_raise runs the callback before returning, bad signals are EINVAL,
 * unknown pids ESRCH, bad pointers memviolation, and proc_signals_get lists
 * ignored signals.
 */
#include "wasix_signal.h"

#include <signal.h>
#include <stdio.h>

static int last = -1, count;

__attribute__((export_name("on_signal"))) void on_signal(int wasix_sig) {
  last = wasix_sig;
  count++;
}

int main(void) {
  const char name[] = "on_signal";
  wasix_callback_signal(name, sizeof name - 1);
  int e = wasix_proc_raise(WASIX_SIGCHLD);
  printf("proc_raise(SIGCHLD=16): %d, callback got %d\n", e, last);
  e = wasix_proc_raise(WASIX_SIGUSR2);
  printf("proc_raise(SIGUSR2=12): %d, callback got %d\n", e, last);
  printf("proc_raise(31): %d (EINVAL is 28)\n", wasix_proc_raise(31));
  printf("proc_raise_interval(0, 10, 1): %d\n", wasix_proc_raise_interval(0, 10, 1));
  printf("proc_signal(unknown pid): %d (ESRCH is 71)\n", wasix_proc_signal(999999, WASIX_SIGUSR1));
  uint32_t me;
  wasix_proc_id(&me);
  e = wasix_proc_signal(me, WASIX_SIGUSR1);
  printf("proc_signal(own pid, SIGUSR1): %d, callback got %d\n", e, last);
  uint32_t tid;
  wasix_thread_id(&tid);
  e = wasix_thread_signal(tid, WASIX_SIGHUP);
  printf("thread_signal(own tid, SIGHUP): %d, callback got %d\n", e, last);
  printf("thread_signal(tid 0): %d\n", wasix_thread_signal(0, WASIX_SIGHUP));
  printf("proc_signals_sizes_get(bad pointer): %d (memviolation is 78)\n",
         wasix_proc_signals_sizes_get((uint32_t *)0xfffffff0u));
  signal(SIGPIPE, SIG_IGN);
  signal(SIGWINCH, SIG_IGN);
  uint32_t n = 0;
  wasix_proc_signals_sizes_get(&n);
  wasix_signal_disposition_t d[8];
  wasix_proc_signals_get(d);
  printf("ignored signals: %u:", n);
  for (uint32_t i = 0; i < n && i < 8; i++)
    printf(" %d/%s", d[i].sig, d[i].disp == WASIX_DISPOSITION_IGNORE ? "ignore" : "?");
  printf("\n");
  wasix_callback_signal("nope", 4);
  printf("callbacks so far: %d\n", count);
  return 0;
}
