using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace EcsMm.Generators;

/// <summary>Checks a flag declaration and returns its diagnostics, in a stable order.</summary>
internal static class PageFlagsValidator
{
    public static IEnumerable<Diagnostic> Validate(FlagSetModel model)
    {
        var declaration = LocationText.ToLocation(model.AttributeLocation);
        if (model.StorageBits is < 1 or > FlagSetModel.WordBits)
        {
            yield return Diagnostic.Create(Diagnostics.StorageBitsOutOfRange, declaration, model.StorageBits, FlagSetModel.WordBits);
        }

        if (!model.ColumnIsWordArray)
        {
            yield return Diagnostic.Create(Diagnostics.ColumnNotFound, declaration, model.StorageType, model.Column);
        }

        if (!model.StorageIsValid)
        {
            yield break;
        }

        var byBit = new Dictionary<int, FlagModel>();
        foreach (var flag in model.Flags)
        {
            if (!model.BitFits(flag))
            {
                yield return Diagnostic.Create(Diagnostics.BitBeyondStorage, LocationText.ToLocation(flag.Location), flag.Name, flag.Bit, model.StorageBits);
                continue;
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
            if (flag.AliasOf is null || !model.BitFits(flag))
            {
                continue;
            }

            if (!(byBit.TryGetValue(flag.Bit, out var owner) && owner.Name == flag.AliasOf))
            {
                yield return Diagnostic.Create(Diagnostics.AliasOfMissingFlag, LocationText.ToLocation(flag.Location), flag.Name, flag.AliasOf, flag.Bit);
            }

            if (flag.ValidWhen is not null && !flag.ValidWhenExists)
            {
                yield return Diagnostic.Create(Diagnostics.ValidWhenNotFound, LocationText.ToLocation(flag.Location), flag.Name, flag.ValidWhen, model.StorageType);
            }
        }

        var declaredBy = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var (member, owner, what) in PageFlagsLayout.Members(model))
        {
            if (declaredBy.TryGetValue(member, out var first))
            {
                yield return Diagnostic.Create(Diagnostics.DuplicateName, LocationText.ToLocation(owner.Location), what, member, first);
            }
            else
            {
                declaredBy.Add(member, what);
            }
        }
    }
}
