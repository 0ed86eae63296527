/* Imports a WASIX function vsig-wasix does not provide: the runner must name
 * it and refuse the module before compiling. */
__attribute__((import_module("wasix_32v1"), import_name("proc_fork"))) int proc_fork(int, int *);

int main(void) {
  int pid;
  return proc_fork(1, &pid);
}
