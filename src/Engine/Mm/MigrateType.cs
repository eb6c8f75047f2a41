namespace EcsMm.Mm;

/// <summary>
/// Migratetypes in the kernel's order (include/linux/mmzone.h). HighAtomic == MIGRATE_PCPTYPES (3), the number of
/// types that have per-cpu lists. Numbering matches Linux 6.1 with CONFIG_CMA and CONFIG_MEMORY_ISOLATION, so the
/// values in a 6.1 trace (0 Unmovable, 1 Movable, 2 Reclaimable, 3 HighAtomic, 4 CMA, 5 Isolate) map one to one.
/// </summary>
public enum MigrateType : byte
{
    Unmovable = 0,
    Movable = 1,
    Reclaimable = 2,
    HighAtomic = 3,
    Cma = 4,
    Isolate = 5,
}

/// <summary>Migratetype rules that do not depend on a zone.</summary>
public static class MigrateTypes
{
    /// <summary>MIGRATE_TYPES.</summary>
    public const int Count = 6;

    /// <summary>MIGRATE_PCPTYPES: Unmovable, Movable, Reclaimable.</summary>
    public const int PcpTypes = 3;

    private static readonly string[] Names = ["Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate"];

    /// <summary>migratetype_names[].</summary>
    public static string Name(MigrateType mt) => Names[(int)mt];

    /// <summary>
    /// migratetype_is_mergeable(): only Unmovable, Movable and Reclaimable blocks may merge across pageblocks of a
    /// different type (__free_one_page stops merging at order ≥ pageblock_order otherwise).
    /// </summary>
    public static bool IsMergeable(MigrateType mt) => mt < MigrateType.HighAtomic;
}
