/* wasi-libc's <sys/time.h>, plus the interval timers vsig-wasix provides. */
#include_next <sys/time.h>

#ifndef VSIG_WASIX_SYS_TIME_H
#define VSIG_WASIX_SYS_TIME_H
#ifdef __cplusplus
extern "C" {
#endif
#ifndef ITIMER_REAL
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1 /* refused (EINVAL): no CPU-time accounting */
#define ITIMER_PROF 2    /* refused (EINVAL) */
struct itimerval {
  struct timeval it_interval;
  struct timeval it_value;
};
#endif
int getitimer(int, struct itimerval *);
int setitimer(int, const struct itimerval *__restrict, struct itimerval *__restrict);
#ifdef __cplusplus
}
#endif
#endif
