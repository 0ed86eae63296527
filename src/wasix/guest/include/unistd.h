/* wasi-libc's <unistd.h>, plus what vsig-wasix provides and WASI lacks. */
#include_next <unistd.h>

#ifndef VSIG_WASIX_UNISTD_H
#define VSIG_WASIX_UNISTD_H
#ifdef __cplusplus
extern "C" {
#endif
unsigned alarm(unsigned);
int pause(void);
#ifdef __cplusplus
}
#endif
#endif
