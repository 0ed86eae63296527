/* SPDX-License-Identifier: MIT */
/* pthread_create: every new thread is a vsig thread of the creator's process,
 * with the creator's mask, or the one pthread_attr_setsigmask_np put in attr. */
#include "posix.h"

EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                          void *arg) {
  sigset_t m;
  if (attr && pthread_attr_getsigmask_np(attr, &m) == 0) {
    vsig_sigset_t v = {set_bits(&m) & ~LIBC_RESERVED};
    return vsig_pthread_create_mask(thread, attr, &v, start, arg);
  }
  return vsig_pthread_create(thread, attr, start, arg);
}
