namespace EcsMm.Ecs;

/// <summary>
/// Marks an enum as the one declaration of a page-flag word, the way <c>enum pageflags</c> in
/// <c>include/linux/page-flags.h</c> is. The page-flag generator emits, for every member, the
/// test / set / clear accessors (and the non-atomic and test-and-set/clear forms where declared),
/// the named masks, and the range helpers, as extension methods on <paramref name="storage"/>.
/// </summary>
/// <param name="storage">The type that owns the flags column (for pages: <c>MemMap</c>).</param>
/// <param name="column">The name of the <c>uint[]</c> field or property on <paramref name="storage"/> that holds one flag word per PFN.</param>
[AttributeUsage(AttributeTargets.Enum, AllowMultiple = false, Inherited = false)]
public sealed class PageFlagsAttribute(Type storage, string column) : Attribute
{
    public Type Storage { get; } = storage;
    public string Column { get; } = column;

    /// <summary>How many low bits of the 32-bit word the flags may use (the rest holds other fields).</summary>
    public int StorageBits { get; set; } = 32;

    /// <summary>Name of the generated static class; defaults to <c>{EnumName}Accessors</c>.</summary>
    public string? AccessorClass { get; set; }
}

/// <summary>Which accessor families a flag gets, after the kernel's PAGEFLAG / __PAGEFLAG / TESTSCFLAG macros.</summary>
[Flags]
public enum FlagOps
{
    None = 0,
    /// <summary><c>PageX</c>.</summary>
    Test = 1,
    /// <summary><c>SetPageX</c> (atomic).</summary>
    Set = 2,
    /// <summary><c>ClearPageX</c> (atomic).</summary>
    Clear = 4,
    /// <summary><c>__SetPageX</c> / <c>__ClearPageX</c>, spelled <c>SetPageXNonAtomic</c> / <c>ClearPageXNonAtomic</c>.</summary>
    NonAtomic = 8,
    /// <summary><c>TestSetPageX</c>.</summary>
    TestAndSet = 16,
    /// <summary><c>TestClearPageX</c>.</summary>
    TestAndClear = 32,
    /// <summary>PAGEFLAG(): test + set + clear.</summary>
    PageFlag = Test | Set | Clear,
    /// <summary>__PAGEFLAG(): test + non-atomic set/clear.</summary>
    PageFlagNonAtomic = Test | NonAtomic,
    /// <summary>TESTSCFLAG(): test-and-set + test-and-clear.</summary>
    TestSetClear = TestAndSet | TestAndClear,
    All = Test | Set | Clear | NonAtomic | TestAndSet | TestAndClear,
}

/// <summary>The accessor families of one flag. Without it a flag gets <see cref="FlagOps.PageFlag"/>.</summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class FlagOpsAttribute(FlagOps ops) : Attribute
{
    public FlagOps Ops { get; } = ops;
}

/// <summary>
/// Declares that this member deliberately shares the bit of another flag (as <c>PG_reported = PG_uptodate</c>),
/// and names the page state in which the alias meaning is valid: a <c>bool Method(int pfn)</c> on the
/// storage type, asserted by the generated accessors in debug builds.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class FlagAliasAttribute(string of) : Attribute
{
    public string Of { get; } = of;
    public string? ValidWhen { get; set; }
}

/// <summary>Adds the flag's bit to a named mask (e.g. <c>CheckAtFree</c> for PAGE_FLAGS_CHECK_AT_FREE).</summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = true, Inherited = false)]
public sealed class InMaskAttribute(string mask) : Attribute
{
    public string Mask { get; } = mask;
}

/// <summary>Removes the flag's bit from a named mask even when the flag it aliases is in it
/// (patch 3 of the seed removes PG_zeroed from PAGE_FLAGS_CHECK_AT_PREP).</summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = true, Inherited = false)]
public sealed class ExcludeFromMaskAttribute(string mask) : Attribute
{
    public string Mask { get; } = mask;
}
