namespace Nanvix.Hal.Noc;

/// <summary>
/// A 2-D grid of routers, with or without wrap-around links (a torus or a mesh), and the NoC nodes attached to them.
/// Packets follow dimension-order routing: along X first, then along Y, taking the shorter way round on a torus
/// (ties go in the positive direction so that routes are deterministic). Every directed link has an index so that
/// timing models can keep per-link state.
/// </summary>
public sealed class NocTopology
{
    private const int East = 0;
    private const int West = 1;
    private const int South = 2;
    private const int North = 3;

    private readonly NodeAttachment[] _nodes;

    public NocTopology(int width, int height, bool wrapAround, IReadOnlyList<NodeAttachment> nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(nodes);
        Width = width;
        Height = height;
        WrapAround = wrapAround;
        _nodes = nodes.ToArray();
        foreach (NodeAttachment node in _nodes)
        {
            if (node.X < 0 || node.X >= width || node.Y < 0 || node.Y >= height)
            {
                throw new ArgumentException($"NoC node attached at ({node.X}, {node.Y}) lies outside the {width}x{height} grid");
            }
        }
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>True for a torus, false for a mesh.</summary>
    public bool WrapAround { get; }

    public int NodeCount => _nodes.Length;

    /// <summary>Router-to-router links (4 directions per router) plus two edge links (in, out) per node.</summary>
    public int LinkCount => (Width * Height * 4) + (_nodes.Length * 2);

    /// <summary>The longest route between two nodes, in links; a span of this length holds any route.</summary>
    public int MaxRouteLength => (WrapAround ? (Width / 2) + (Height / 2) : (Width - 1) + (Height - 1)) + 2;

    public string Kind => WrapAround ? $"2-D torus {Width}x{Height}" : $"2-D mesh {Width}x{Height}";

    public NodeAttachment Attachment(int node)
    {
        CheckNode(node);
        return _nodes[node];
    }

    /// <summary>True when <paramref name="node"/> names a node of this NoC.</summary>
    public bool IsValidNode(int node) => (uint)node < (uint)_nodes.Length;

    /// <summary>Throws a <see cref="NocException"/> naming the valid range when <paramref name="node"/> is not a node.</summary>
    public void CheckNode(int node)
    {
        if (!IsValidNode(node))
        {
            throw new NocException($"NoC node {node} does not exist (valid nodes: 0-{_nodes.Length - 1})");
        }
    }

    /// <summary>Number of links a packet crosses from <paramref name="source"/> to <paramref name="target"/>.</summary>
    public int Hops(int source, int target)
    {
        Span<int> links = stackalloc int[MaxRouteLength];
        return Route(source, target, links);
    }

    /// <summary>
    /// Writes the indices of the links crossed from <paramref name="source"/> to <paramref name="target"/>, in order,
    /// and returns how many there are.
    /// </summary>
    public int Route(int source, int target, Span<int> links)
    {
        CheckNode(source);
        CheckNode(target);
        NodeAttachment from = _nodes[source];
        NodeAttachment to = _nodes[target];
        int count = 0;
        if (source == target)
        {
            return 0;
        }

        if (from.ThroughEdgeLink)
        {
            links[count++] = EdgeLink(source, outbound: true);
        }

        int x = from.X;
        int y = from.Y;
        int dx = Step(from.X, to.X, Width);
        while (x != to.X)
        {
            links[count++] = RouterLink(x, y, dx > 0 ? East : West);
            x = Wrap(x + dx, Width);
        }

        int dy = Step(from.Y, to.Y, Height);
        while (y != to.Y)
        {
            links[count++] = RouterLink(x, y, dy > 0 ? South : North);
            y = Wrap(y + dy, Height);
        }

        if (to.ThroughEdgeLink)
        {
            links[count++] = EdgeLink(target, outbound: false);
        }

        return count;
    }

    /// <summary>A readable name for a link index, for traces and diagnostics.</summary>
    public string DescribeLink(int link)
    {
        int routerLinks = Width * Height * 4;
        if (link < routerLinks)
        {
            int router = link / 4;
            string direction = (link % 4) switch { East => "east", West => "west", South => "south", _ => "north" };
            return $"router ({router % Width},{router / Width}) {direction}";
        }

        int node = (link - routerLinks) / 2;
        return (link - routerLinks) % 2 == 0 ? $"node {node} -> router" : $"router -> node {node}";
    }

    private int RouterLink(int x, int y, int direction) => (((y * Width) + x) * 4) + direction;

    private int EdgeLink(int node, bool outbound) => (Width * Height * 4) + (node * 2) + (outbound ? 0 : 1);

    private int Step(int from, int to, int size)
    {
        if (from == to)
        {
            return 0;
        }

        if (!WrapAround)
        {
            return to > from ? 1 : -1;
        }

        int forward = ((to - from) % size + size) % size;
        return forward <= size - forward ? 1 : -1;
    }

    private int Wrap(int value, int size) => WrapAround ? ((value % size) + size) % size : value;
}
