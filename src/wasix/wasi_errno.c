/* Host errno values (what vsig reports) as WASI errno values (what guests see). */
#include "guest_memory.h"

#include <errno.h>

uint32_t wasi_errno_of(int host_errno) {
  switch (host_errno) {
  case 0:
    return VSIG_WASI_ESUCCESS;
  case EAGAIN:
    return VSIG_WASI_EAGAIN;
  case EBADF:
    return VSIG_WASI_EBADF;
  case EBUSY:
    return VSIG_WASI_EBUSY;
  case ECANCELED:
    return VSIG_WASI_ECANCELED;
  case EFAULT:
    return VSIG_WASI_EFAULT;
  case EINTR:
    return VSIG_WASI_EINTR;
  case EINVAL:
    return VSIG_WASI_EINVAL;
  case EIO:
    return VSIG_WASI_EIO;
  case ENOMEM:
    return VSIG_WASI_ENOMEM;
  case ENOSYS:
    return VSIG_WASI_ENOSYS;
  case EOVERFLOW:
    return VSIG_WASI_EOVERFLOW;
  case EPERM:
    return VSIG_WASI_EPERM;
  case EPIPE:
    return VSIG_WASI_EPIPE;
  case ESPIPE:
    return VSIG_WASI_ESPIPE;
  case ESRCH:
    return VSIG_WASI_ESRCH;
  default:
    /* Anything else is a host failure the guest cannot act on specifically. */
    return VSIG_WASI_EIO;
  }
}
