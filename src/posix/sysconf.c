/* SPDX-License-Identifier: MIT */
/* sysconf(_SC_SIGQUEUE_MAX) is the default process's queue limit: the number
 * of signals sigqueue can have pending before EAGAIN. */
#include "posix.h"

#include <unistd.h>

EXPORT long sysconf(int name) {
  EARLY(sysconf, name);
  if (name == _SC_SIGQUEUE_MAX) {
    vsig_proc_attr_t a;
    if (vsig_proc_getattr(posix_getpid(), &a) == 0)
      return (long)a.queue_max;
  }
  return REAL(sysconf)(name);
}

EXPORT long __sysconf(int name) { return sysconf(name); }
