/* Tries one forbidden operation and prints "<name> errno=<NAME>" (or "<name> allowed").
 * Usage: forbidden_syscalls NAME. Each must fail with the errno the seccomp policy gives. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/fs.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static long attempt(const char* name) {
  char buffer[16] = {0};
  if (!strcmp(name, "ptrace_traceme")) return ptrace(PTRACE_TRACEME, 0, 0, 0);
  if (!strcmp(name, "ptrace_attach")) return ptrace(PTRACE_ATTACH, getppid() > 0 ? getppid() : 1, 0, 0);
  if (!strcmp(name, "process_vm_readv")) {
    struct iovec local = {buffer, sizeof buffer}, remote = {buffer, sizeof buffer};
    return syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0);
  }
  if (!strcmp(name, "mount")) return mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
  if (!strcmp(name, "umount")) return umount2("/proc", MNT_DETACH);
  if (!strcmp(name, "pivot_root")) return syscall(SYS_pivot_root, "/tmp", "/tmp");
  if (!strcmp(name, "chroot")) return chroot("/tmp");
  if (!strcmp(name, "unshare")) return unshare(CLONE_NEWUSER);
  if (!strcmp(name, "setns")) return setns(open("/proc/self/ns/net", O_RDONLY), 0);
  if (!strcmp(name, "clone_newnet")) return syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0);
  if (!strcmp(name, "clone3")) return syscall(SYS_clone3, NULL, 0);
  if (!strcmp(name, "keyctl")) return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0);
  if (!strcmp(name, "add_key")) return syscall(SYS_add_key, "user", "k", "v", 1, -3);
  if (!strcmp(name, "request_key")) return syscall(SYS_request_key, "user", "k", NULL, -3);
  if (!strcmp(name, "bpf")) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    return syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
  }
  if (!strcmp(name, "perf_event_open")) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    return syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  }
  if (!strcmp(name, "userfaultfd")) return syscall(SYS_userfaultfd, 0);
  if (!strcmp(name, "io_uring_setup")) return syscall(SYS_io_uring_setup, 1, buffer);
  if (!strcmp(name, "kexec_load")) return syscall(SYS_kexec_load, 0, 0, NULL, 0);
  if (!strcmp(name, "init_module")) return syscall(SYS_init_module, buffer, 0, "");
  if (!strcmp(name, "finit_module")) return syscall(SYS_finit_module, 0, "", 0);
  if (!strcmp(name, "delete_module")) return syscall(SYS_delete_module, "ext4", 0);
  if (!strcmp(name, "reboot")) return syscall(SYS_reboot, 0xfee1dead, 672274793, 0x1234567, NULL);
  if (!strcmp(name, "swapon")) return syscall(SYS_swapon, "/tmp/swap", 0);
  if (!strcmp(name, "swapoff")) return syscall(SYS_swapoff, "/tmp/swap");
  if (!strcmp(name, "personality")) return personality(PER_LINUX32);
  if (!strcmp(name, "socket_inet")) return socket(AF_INET, SOCK_STREAM, 0);
  if (!strcmp(name, "socket_netlink")) return socket(AF_NETLINK, SOCK_RAW, 0);
  if (!strcmp(name, "tiocsti")) return ioctl(0, TIOCSTI, "x");
  if (!strcmp(name, "tiocsti_high_bits")) return syscall(SYS_ioctl, 0, 0x100000000UL | TIOCSTI, "x");
  if (!strcmp(name, "tioclinux")) {
    char subcode = 2; /* TIOCL_SETSEL */
    return ioctl(0, TIOCLINUX, &subcode);
  }
  if (!strcmp(name, "fs_ioc_getflags")) {
    long flags = 0;
    return ioctl(0, FS_IOC_GETFLAGS, &flags);
  }
  if (!strcmp(name, "fioclex")) return ioctl(1, FIOCLEX);
  if (!strcmp(name, "tcgets")) {
    char termios_buffer[64];
    return ioctl(0, TCGETS, termios_buffer); /* allowed: /dev/null is no terminal */
  }
  if (!strcmp(name, "mknod_device")) return mknod("/tmp/null", S_IFCHR | 0666, makedev(1, 3));
  if (!strcmp(name, "setuid_root")) return setuid(0);
  errno = EINVAL;
  return -2;
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  errno = 0;
  const long rc = attempt(argv[1]);
  if (rc == -2 && errno == EINVAL) {
    printf("%s unknown\n", argv[1]);
    return 2;
  }
  if (rc < 0)
    printf("%s errno=%s\n", argv[1], strerrorname_np(errno));
  else
    printf("%s allowed\n", argv[1]);
  return 0;
}
