/* SPDX-License-Identifier: MIT */
/* alarm, ualarm and ITIMER_REAL are vsig's one SIGALRM timer; the CPU-time
 * itimers (ITIMER_VIRTUAL, ITIMER_PROF) stay the host's, whose signals come
 * through the bridge. */
#include "posix.h"

#include <sys/time.h>
#include <unistd.h>

EXPORT unsigned int alarm(unsigned int seconds) {
  EARLY(alarm, seconds);
  return vsig_alarm(seconds);
}

EXPORT useconds_t ualarm(useconds_t usecs, useconds_t interval) {
  EARLY(ualarm, usecs, interval);
  return (useconds_t)vsig_ualarm(usecs, interval);
}

EXPORT int setitimer(__itimer_which_t which, const struct itimerval *value,
                     struct itimerval *ovalue) {
  if (which != ITIMER_REAL)
    return REAL(setitimer)(which, value, ovalue);
  if (absent(value))
    return fail(EFAULT);
  vsig_itimerval_t v = {value->it_interval, value->it_value}, old;
  if (vsig_setitimer(VSIG_ITIMER_REAL, &v, ovalue ? &old : NULL) != 0)
    return -1;
  if (ovalue) {
    ovalue->it_interval = old.it_interval;
    ovalue->it_value = old.it_value;
  }
  return 0;
}

EXPORT int getitimer(__itimer_which_t which, struct itimerval *value) {
  if (which != ITIMER_REAL)
    return REAL(getitimer)(which, value);
  if (absent(value))
    return fail(EFAULT);
  vsig_itimerval_t v;
  if (vsig_getitimer(VSIG_ITIMER_REAL, &v) != 0)
    return -1;
  value->it_interval = v.it_interval;
  value->it_value = v.it_value;
  return 0;
}
