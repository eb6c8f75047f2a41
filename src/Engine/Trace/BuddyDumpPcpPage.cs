namespace EcsMm.Trace;

/// <summary>
/// A <c>P</c> line of a buddy dump: a page (or THP block) on <c>pcp-&gt;lists[ListIndex]</c> of
/// <see cref="Cpu"/>, at <see cref="Position"/> from the list head; <see cref="Migratetype"/> is the value the
/// kernel keeps in <c>page-&gt;index</c> (<c>get_pcppage_migratetype</c>).
/// </summary>
public readonly record struct BuddyDumpPcpPage(int Cpu, int ListIndex, int Order, int Position, long Pfn, int Migratetype);
