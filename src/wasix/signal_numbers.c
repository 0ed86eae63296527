/*
 * WASIX numbers its signals like Linux up to SIGTERM (15) but has no
 * SIGSTKFLT, so from SIGCHLD on each WASIX number is one below Linux's (and
 * vsig's); WASIX has no real-time signals.
 */
#include "vsig_wasix.h"

int vsig_wasix_sig_to_vsig(uint32_t s) {
  if (s == 0 || s >= VSIG_WASIX_NSIG)
    return 0;
  return s <= VSIG_WASIX_SIGTERM ? (int)s : (int)s + 1;
}

uint32_t vsig_wasix_sig_from_vsig(int sig) {
  if (sig <= 0 || sig == VSIG_SIGSTKFLT || sig > VSIG_SIGSYS)
    return 0;
  return sig <= VSIG_SIGTERM ? (uint32_t)sig : (uint32_t)sig - 1;
}
