using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace EcsMm.Generators;

/// <summary>Checks a flag declaration and returns the diagnostics for it.</summary>
internal static class PageFlagsValidator
{
    public static IEnumerable<Diagnostic> Validate(FlagSetModel model)
    {
        var byBit = new Dictionary<int, FlagModel>();
        foreach (var flag in model.Flags)
        {
            if (flag.Bit < 0 || flag.Bit >= model.StorageBits)
            {
                yield return Diagnostic.Create(Diagnostics.BitBeyondStorage, LocationText.ToLocation(flag.Location), flag.Name, flag.Bit, model.StorageBits);
            }

            if (flag.AliasOf is null)
            {
                if (byBit.TryGetValue(flag.Bit, out var owner))
                {
                    yield return Diagnostic.Create(Diagnostics.UndeclaredAlias, LocationText.ToLocation(flag.Location), flag.Name, owner.Name, flag.Bit);
                }
                else
                {
                    byBit[flag.Bit] = flag;
                }
            }
        }

        foreach (var flag in model.Flags)
        {
            if (flag.AliasOf is not null && !(byBit.TryGetValue(flag.Bit, out var owner) && owner.Name == flag.AliasOf))
            {
                yield return Diagnostic.Create(Diagnostics.AliasOfMissingFlag, LocationText.ToLocation(flag.Location), flag.Name, flag.AliasOf, flag.Bit);
            }
        }

        var names = new HashSet<string>();
        foreach (var flag in model.Flags)
        {
            foreach (var accessor in PageFlagsEmitter.AccessorNames(flag))
            {
                if (!names.Add(accessor))
                {
                    yield return Diagnostic.Create(Diagnostics.DuplicateName, LocationText.ToLocation(flag.Location), flag.Name, accessor);
                }
            }
        }
    }
}
