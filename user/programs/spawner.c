/*
 * Starts programs on other clusters through the spawn service on IO0:
 * `spawner NODE PROGRAM [ARGUMENT]` asks for PROGRAM (a name the service knows) on the cluster of NODE.
 */
#include <errno.h>
#include <nanvix/ikc.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: spawner NODE PROGRAM [ARGUMENT]\n");
        return 2;
    }
    int node = atoi(argv[1]);
    int pid = nanvix_spawn(node, argv[2], argc > 3 ? argv[3] : 0);
    if (pid < 0) {
        printf("spawner: %s on node %d: %s\n", argv[2], node,
               pid == -ENOENT ? "ENOENT (unknown program)" : pid == -EINVAL ? "EINVAL (not a compute node)"
               : pid == -ENOEXEC ? "ENOEXEC (not a program the kernel can load)" : "error");
        return 1;
    }
    printf("spawner: started %s on node %d as pid %d\n", argv[2], node, pid);
    return 0;
}
