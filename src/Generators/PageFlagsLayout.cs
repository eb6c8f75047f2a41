using System.Collections.Generic;
using System.Linq;

namespace EcsMm.Generators;

/// <summary>
/// The order in which the generated class declares its members, shared by the emitter and the validator so that
/// a name collision is reported on exactly the member the emitter leaves out (first declaration wins).
/// </summary>
internal static class PageFlagsLayout
{
    /// <summary>The flags that are emitted, ordered by (bit, owner before alias, name).</summary>
    public static List<FlagModel> OrderedFlags(FlagSetModel model) => model.Flags
        .Where(model.BitFits)
        .OrderBy(f => f.Bit)
        .ThenBy(f => f.AliasOf is null ? 0 : 1)
        .ThenBy(f => f.Name, System.StringComparer.Ordinal)
        .ToList();

    /// <summary>The named masks (from <c>[InMask]</c>), in ordinal order, each with the first flag that names it.</summary>
    public static List<KeyValuePair<string, FlagModel>> NamedMasks(List<FlagModel> ordered)
    {
        var masks = new SortedDictionary<string, FlagModel>(System.StringComparer.Ordinal);
        foreach (var f in ordered)
        {
            foreach (var m in f.Masks)
            {
                if (!masks.ContainsKey(m))
                {
                    masks.Add(m, f);
                }
            }
        }

        return masks.ToList();
    }

    /// <summary>The constant holding a flag's bit.</summary>
    public static string FlagMaskName(FlagModel flag) => flag.Name + "Mask";

    /// <summary>The constant holding a named mask.</summary>
    public static string NamedMaskName(string mask) => mask + "Mask";

    /// <summary>
    /// Every member the class declares, in declaration order: the flag masks, the named masks, then each flag's
    /// methods. Item2 is the flag that declares (or, for a named mask, first names) the member; Item3 says which.
    /// </summary>
    public static IEnumerable<(string Member, FlagModel Owner, string What)> Members(FlagSetModel model)
    {
        var ordered = OrderedFlags(model);
        foreach (var f in ordered)
        {
            yield return (FlagMaskName(f), f, $"flag '{f.Name}'");
        }

        foreach (var pair in NamedMasks(ordered))
        {
            yield return (NamedMaskName(pair.Key), pair.Value, $"mask '{pair.Key}'");
        }

        foreach (var f in ordered)
        {
            foreach (var accessor in PageFlagsEmitter.AccessorNames(f))
            {
                yield return (accessor, f, $"flag '{f.Name}'");
            }
        }
    }
}
