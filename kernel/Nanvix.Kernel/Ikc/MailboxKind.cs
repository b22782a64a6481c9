namespace Nanvix.Kernel.Ikc;

/// <summary>Which end of a virtual mailbox a descriptor is.</summary>
public enum MailboxKind
{
    Free = 0,

    /// <summary>Created on this node and a port: messages sent to (node, port) queue here.</summary>
    Input = 1,

    /// <summary>Opened towards a remote (node, port).</summary>
    Output = 2,
}
