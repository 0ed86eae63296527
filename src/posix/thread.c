/* SPDX-License-Identifier: MIT */
/* pthread_create: every new thread is a vsig thread of the creator's process,
 * with the creator's mask, or the one pthread_attr_setsigmask_np put in attr. */
#include "posix.h"

EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                          void *arg) {
  EARLY(pthread_create, thread, attr, start, arg);
  if (vsig_creating_thread())
    return REAL(pthread_create)(thread, attr, start, arg); /* vsig's own call */
  sigset_t m;
  if (attr && pthread_attr_getsigmask_np(attr, &m) == 0) {
    vsig_sigset_t v = {set_bits(&m) & ~LIBC_RESERVED};
    return vsig_pthread_create_ex(thread, attr, &v, REAL(pthread_create), start, arg);
  }
  return vsig_pthread_create_ex(thread, attr, NULL, REAL(pthread_create), start, arg);
}
