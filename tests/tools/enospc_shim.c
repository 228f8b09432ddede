/* LD_PRELOAD fault injection: a disk that fills up. Writes to files under $SOHOA_ENOSPC_DIR
 * succeed until $SOHOA_ENOSPC_AFTER bytes in all, then fail with ENOSPC (the write that crosses
 * the limit is cut short, as on a real disk). Used by tests/e2e/test_identity.py where the test
 * cannot mount a small tmpfs. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long long used;

/* How many of n bytes to fd may still be written; -1 when fd is not under the directory. */
static long long allowance(int fd, size_t n) {
  const char* dir = getenv("SOHOA_ENOSPC_DIR");
  const char* after = getenv("SOHOA_ENOSPC_AFTER");
  if (!dir || !after) return -1;
  char link[64], target[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t len = readlink(link, target, sizeof target - 1);
  if (len <= 0) return -1;
  target[len] = 0;
  if (strncmp(target, dir, strlen(dir)) != 0) return -1;
  const long long left = atoll(after) - __atomic_load_n(&used, __ATOMIC_RELAXED);
  if (left <= 0) return 0;
  return (long long)n < left ? (long long)n : left;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

static ssize_t account(ssize_t r) {
  if (r > 0) __atomic_add_fetch(&used, r, __ATOMIC_RELAXED);
  return r;
}

ssize_t write(int fd, const void* buf, size_t n) {
  const long long a = allowance(fd, n);
  if (a == 0 && n > 0) { errno = ENOSPC; return -1; }
  return account(REAL(write)(fd, buf, a < 0 ? n : (size_t)a));
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off_t off) {
  const long long a = allowance(fd, n);
  if (a == 0 && n > 0) { errno = ENOSPC; return -1; }
  return account(REAL(pwrite64)(fd, buf, a < 0 ? n : (size_t)a, off));
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
  const long long a = allowance(fd, n);
  if (a == 0 && n > 0) { errno = ENOSPC; return -1; }
  return account(REAL(pwrite)(fd, buf, a < 0 ? n : (size_t)a, off));
}

ssize_t writev(int fd, const struct iovec* iov, int cnt) {
  size_t n = 0;
  for (int i = 0; i < cnt; ++i) n += iov[i].iov_len;
  const long long a = allowance(fd, n);
  if (a == 0 && n > 0) { errno = ENOSPC; return -1; }
  if (a >= 0 && (size_t)a < n) return account(REAL(write)(fd, iov[0].iov_base, iov[0].iov_len < (size_t)a ? iov[0].iov_len : (size_t)a));
  return account(REAL(writev)(fd, iov, cnt));
}
