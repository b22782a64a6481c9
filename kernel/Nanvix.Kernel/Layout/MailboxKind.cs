namespace Nanvix.Kernel.Layout;

/// <summary>Which end of a virtual mailbox a descriptor is.</summary>
public enum MailboxKind
{
    Free = 0,

    /// <summary>Created on this node and a port: messages sent to (node, port) queue here.</summary>
    Input = 1,

    /// <summary>Opened towards a remote (node, port).</summary>
    Output = 2,

    /// <summary>
    /// What an input leaves behind on a node its process moved away from: messages for its port are sent on to the
    /// node the process moved to (and from there on, if it moved again), so that senders never have to learn it.
    /// </summary>
    Forward = 3,
}
