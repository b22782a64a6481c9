/*
 * Program entry. The kernel (or qemu-riscv32) starts _start with the Linux initial stack:
 *   sp -> argc, argv[0..argc-1], NULL, envp[...], NULL, auxv pairs..., AT_NULL
 * _start passes argc, argv and envp to main and hands main's result to exit.
 */
    .section .text._start, "ax"
    .globl _start
    .type _start, @function
_start:
    lw      a0, 0(sp)           /* argc */
    addi    a1, sp, 4           /* argv */
    slli    t0, a0, 2
    add     a2, a1, t0
    addi    a2, a2, 4           /* envp = argv + argc + 1 */
    andi    sp, sp, -16         /* the psABI wants a 16-byte aligned stack at calls */
    call    __libc_start
    /* not reached: __libc_start calls exit */
1:  j       1b
    .size _start, . - _start
