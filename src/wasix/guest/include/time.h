/* wasi-libc's <time.h>, plus the POSIX per-process timers vsig-wasix provides. */
#include_next <time.h>

#ifndef VSIG_WASIX_TIME_H
#define VSIG_WASIX_TIME_H
#ifdef __cplusplus
extern "C" {
#endif
#ifndef __DEFINED_timer_t
typedef void *timer_t;
#define __DEFINED_timer_t
#endif
#ifndef TIMER_ABSTIME
#define TIMER_ABSTIME 1
#endif
struct sigevent;
int timer_create(clockid_t, struct sigevent *__restrict, timer_t *__restrict);
int timer_delete(timer_t);
int timer_settime(timer_t, int, const struct itimerspec *__restrict, struct itimerspec *__restrict);
int timer_gettime(timer_t, struct itimerspec *);
int timer_getoverrun(timer_t);
#ifdef __cplusplus
}
#endif
#endif
