/* SPDX-License-Identifier: MIT */
/* vsig_strsignal and vsig_strerror: glibc's texts, VSIG_ERESTART's own,
 * constants for every valid signal number, and per-thread buffers for the
 * rest (two threads formatting different numbers never see each other's). */
#include <vsig.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static void *hammer(void *arg) {
  int base = *(int *)arg;
  char want[64];
  for (int i = 0; i < 20000; i++) {
    int sig = base + i % 100;
    const char *s = vsig_strsignal(sig);
    snprintf(want, sizeof want, "Unknown signal %d", sig);
    if (strcmp(s, want) != 0)
      return (void *)1;
    int err = base + 5000 + i % 100;
    const char *e = vsig_strerror(err);
    snprintf(want, sizeof want, "Unknown error %d", err);
    if (strcmp(e, want) != 0)
      return (void *)1;
  }
  return NULL;
}

int main(void) {
  /* Standard signals: exactly glibc's strsignal (Linux numbering is shared). */
  for (int sig = 1; sig < 32; sig++) {
    const char *s = vsig_strsignal(sig);
    EXPECT(s != NULL);
    EXPECT(strcmp(s, strsignal(sig)) == 0);
  }
  EXPECT(strcmp(vsig_strsignal(VSIG_SIGUSR1), "User defined signal 1") == 0);
  EXPECT(strcmp(vsig_strsignal(VSIG_SIGSYS), "Bad system call") == 0);
  /* Real-time signals are numbered from VSIG_SIGRTMIN, as glibc does. */
  EXPECT(strcmp(vsig_strsignal(VSIG_SIGRTMIN), "Real-time signal 0") == 0);
  EXPECT(strcmp(vsig_strsignal(VSIG_SIGRTMIN + 7), "Real-time signal 7") == 0);
  EXPECT(strcmp(vsig_strsignal(VSIG_SIGRTMAX), "Real-time signal 32") == 0);
  /* Every valid number (and 0) has a constant string: the same pointer each time. */
  for (int sig = 0; sig < VSIG_NSIG; sig++)
    EXPECT(vsig_strsignal(sig) == vsig_strsignal(sig));
  EXPECT(strcmp(vsig_strsignal(0), "Unknown signal 0") == 0);
  EXPECT(strcmp(vsig_strsignal(VSIG_NSIG), "Unknown signal 65") == 0);
  EXPECT(strcmp(vsig_strsignal(-1), "Unknown signal -1") == 0);
  EXPECT(strcmp(vsig_strsignal(INT_MIN), "Unknown signal -2147483648") == 0);
  EXPECT(strcmp(vsig_strsignal(INT_MAX), "Unknown signal 2147483647") == 0);

  EXPECT(strcmp(vsig_strerror(VSIG_ERESTART), "Restart the call after a handler") == 0);
  int errs[] = {0, EINTR, EINVAL, ECANCELED, EAGAIN, ESRCH, EFAULT, ENOMEM, EBUSY};
  for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
    char buf[256];
    strcpy(buf, vsig_strerror(errs[i]));
    EXPECT(strcmp(buf, strerror(errs[i])) == 0);
  }
  EXPECT(strcmp(vsig_strerror(123456), "Unknown error 123456") == 0);
  EXPECT(strcmp(vsig_strerror(-5), "Unknown error -5") == 0);

  pthread_t th[2];
  int base[2] = {1000, 3000};
  for (int i = 0; i < 2; i++)
    EXPECT(pthread_create(&th[i], NULL, hammer, &base[i]) == 0);
  for (int i = 0; i < 2; i++) {
    void *rc;
    EXPECT(pthread_join(th[i], &rc) == 0);
    EXPECT(rc == NULL);
  }
  puts("strsignal and strerror: ok");
  return 0;
}
