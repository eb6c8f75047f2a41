namespace EcsMm.Trace;

/// <summary>
/// An <c>F</c> line of a buddy dump: a free block on <c>free_area[Order].free_list[Migratetype]</c> at
/// <see cref="Position"/> from the list head, with its PageReported flag.
/// </summary>
public readonly record struct BuddyDumpFreeBlock(int Order, int Migratetype, int Position, long Pfn, bool Reported);
