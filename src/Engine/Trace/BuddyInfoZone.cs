namespace EcsMm.Trace;

/// <summary>One line of <c>/proc/buddyinfo</c>: the free blocks per order of one zone (NR_FREE per order, pcp excluded).</summary>
public sealed record BuddyInfoZone(int Node, string Zone, IReadOnlyList<long> FreeBlocksPerOrder);
