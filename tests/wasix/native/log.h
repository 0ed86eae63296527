/*
 * An event log that handlers append to (async-signal-safe: no stdio in a
 * handler) and the program prints at chosen points, so that native and
 * wasm runs print the same lines whatever stdio buffering does.
 */
#ifndef NATIVE_LOG_H
#define NATIVE_LOG_H

#include <signal.h>
#include <stdio.h>
#include <string.h>

static char log_buf[4096];
static volatile sig_atomic_t log_len;

static void log_add(const char *s) {
  size_t n = strlen(s);
  if ((size_t)log_len + n + 1 < sizeof log_buf) {
    memcpy(log_buf + log_len, s, n);
    log_buf[log_len + (sig_atomic_t)n] = ' ';
    log_len += (sig_atomic_t)n + 1;
  }
}

/* Appends "<prefix><n>" for a small non-negative n. */
static void log_num(const char *prefix, long n) {
  char b[64];
  size_t p = strlen(prefix);
  if (p > 40)
    p = 40;
  memcpy(b, prefix, p);
  char d[24];
  int k = 0;
  if (n < 0) {
    b[p++] = '-';
    n = -n;
  }
  do {
    d[k++] = (char)('0' + n % 10);
    n /= 10;
  } while (n && k < 20);
  while (k)
    b[p++] = d[--k];
  b[p] = 0;
  log_add(b);
}

/* The signal's name into the log (in a handler too). */
static void log_sig(const char *prefix, int sig) {
  char b[48];
  const char *n = sig == SIGUSR1   ? "USR1"
                  : sig == SIGUSR2 ? "USR2"
                  : sig == SIGALRM ? "ALRM"
                  : sig == SIGHUP  ? "HUP"
                                   : NULL;
  if (!n) {
    log_num(prefix, sig - SIGRTMIN); /* prefix names it: "rt+" */
    return;
  }
  size_t p = strlen(prefix);
  if (p > 40)
    p = 40;
  memcpy(b, prefix, p);
  strcpy(b + p, n);
  log_add(b);
}

static void log_flush(const char *what) {
  printf("%s: %.*s\n", what, (int)log_len, log_buf);
  log_len = 0;
}

/* Signal names relative to the platform's SIGRTMIN (34 with glibc, 32 on
 * vsig-wasix), so that both runs print the same. */
static const char *sname(int sig) {
  static char b[24]; /* "RTMIN+" or "sig" and any int */
  switch (sig) {
  case SIGUSR1:
    return "USR1";
  case SIGUSR2:
    return "USR2";
  case SIGALRM:
    return "ALRM";
  case SIGHUP:
    return "HUP";
  case SIGCHLD:
    return "CHLD";
  case SIGTERM:
    return "TERM";
  default:
    if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
      snprintf(b, sizeof b, "RTMIN+%d", sig - SIGRTMIN);
      return b;
    }
    snprintf(b, sizeof b, "sig%d", sig);
    return b;
  }
}

#endif
