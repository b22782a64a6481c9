/*
 * Kernel-call numbers and the ecall stubs. Numbers of the POSIX-like subset are Linux RV32's
 * (linux/include/uapi/asm-generic/unistd.h), so a program runs unchanged under qemu-riscv32.
 * The full table, Nanvix calls included, is docs/abi.md.
 */
#ifndef NANVIX_SYSCALL_H_
#define NANVIX_SYSCALL_H_

#define SYS_read            63
#define SYS_write           64
#define SYS_exit            93
#define SYS_exit_group      94
#define SYS_sched_yield    124
#define SYS_getpid         172
#define SYS_gettid         178
#define SYS_brk            214
#define SYS_clock_gettime64 403

/* Nanvix calls: threads and synchronization (docs/abi.md, 1000-1099). qemu-riscv32 answers them -ENOSYS. */
#define SYS_thread_create       1000
#define SYS_thread_exit         1001
#define SYS_thread_join         1002
#define SYS_thread_self         1003
#define SYS_thread_yield        1004
#define SYS_thread_sleep        1005
#define SYS_thread_wakeup       1006
#define SYS_mutex_create        1010
#define SYS_mutex_lock          1011
#define SYS_mutex_unlock        1012
#define SYS_mutex_destroy       1013
#define SYS_semaphore_create    1020
#define SYS_semaphore_down      1021
#define SYS_semaphore_up        1022
#define SYS_semaphore_destroy   1023
#define SYS_condition_create    1030
#define SYS_condition_wait      1031
#define SYS_condition_signal    1032
#define SYS_condition_broadcast 1033
#define SYS_condition_destroy   1034

/* Nanvix calls: inter-cluster communication (docs/abi.md). */
#define SYS_mailbox_create 1100
#define SYS_mailbox_open   1101
#define SYS_mailbox_read   1102
#define SYS_mailbox_write  1103
#define SYS_mailbox_close  1104
#define SYS_node_self      1105
#define SYS_mailbox_awrite 1106
#define SYS_mailbox_aread  1107
#define SYS_mailbox_wait   1108
#define SYS_name_link      1110
#define SYS_name_unlink    1111
#define SYS_name_lookup    1112
#define SYS_name_heartbeat 1113
#define SYS_spawn          1115
#define SYS_sync_create    1120
#define SYS_sync_open      1121
#define SYS_sync_wait      1122
#define SYS_sync_signal    1123
#define SYS_sync_close     1124
#define SYS_portal_create  1130
#define SYS_portal_allow   1131
#define SYS_portal_open    1132
#define SYS_portal_read    1133
#define SYS_portal_write   1134
#define SYS_portal_close   1135
#define SYS_portal_aread   1136
#define SYS_portal_awrite  1137
#define SYS_portal_wait    1138
#define SYS_migrate        1200
#define SYS_migrate_mode   1201

static inline long __syscall0(long n)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0");
    __asm__ volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
    return a0;
}

static inline long __syscall1(long n, long x0)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = x0;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static inline long __syscall2(long n, long x0, long x1)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = x0;
    register long a1 __asm__("a1") = x1;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1) : "memory");
    return a0;
}

static inline long __syscall3(long n, long x0, long x1, long x2)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = x0;
    register long a1 __asm__("a1") = x1;
    register long a2 __asm__("a2") = x2;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
    return a0;
}

#endif
