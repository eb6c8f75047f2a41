using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EcsMm.Generators;

/// <summary>
/// Emits page-flag accessors from one <c>[PageFlags]</c> enum, the way <c>include/linux/page-flags.h</c>
/// does with PAGEFLAG / __PAGEFLAG / TESTSCFLAG macros.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PageFlagsGenerator : IIncrementalGenerator
{
    public const string PageFlagsAttributeName = "EcsMm.Ecs.PageFlagsAttribute";
    private const string FlagOpsAttributeName = "EcsMm.Ecs.FlagOpsAttribute";
    private const string FlagAliasAttributeName = "EcsMm.Ecs.FlagAliasAttribute";
    private const string InMaskAttributeName = "EcsMm.Ecs.InMaskAttribute";
    private const string ExcludeFromMaskAttributeName = "EcsMm.Ecs.ExcludeFromMaskAttribute";

    /// <summary>FlagOps.PageFlag: the default for a member without [FlagOps].</summary>
    internal const int DefaultOps = 1 | 2 | 4;

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                PageFlagsAttributeName,
                predicate: static (node, _) => node is EnumDeclarationSyntax,
                transform: static (ctx, ct) => Extract(ctx, ct))
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(TrackingNames.Model);

        context.RegisterSourceOutput(models, static (spc, model) =>
        {
            foreach (var diagnostic in PageFlagsValidator.Validate(model))
            {
                spc.ReportDiagnostic(diagnostic);
            }

            if (model.StorageIsValid)
            {
                spc.AddSource(PageFlagsEmitter.HintName(model), PageFlagsEmitter.Emit(model));
            }
        });
    }

    private static FlagSetModel? Extract(GeneratorAttributeSyntaxContext ctx, CancellationToken ct)
    {
        if (ctx.TargetSymbol is not INamedTypeSymbol enumSymbol)
        {
            return null;
        }

        var attribute = ctx.Attributes[0];
        if (attribute.ConstructorArguments.Length < 2
            || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol { TypeKind: not TypeKind.Error } storage
            || attribute.ConstructorArguments[1].Value is not string column)
        {
            return null;
        }

        var storageBits = 32;
        string? accessorClass = null;
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "StorageBits" && named.Value.Value is int bits)
            {
                storageBits = bits;
            }
            else if (named.Key == "AccessorClass" && named.Value.Value is string name)
            {
                accessorClass = name;
            }
        }

        var flags = new List<FlagModel>();
        foreach (var member in enumSymbol.GetMembers())
        {
            ct.ThrowIfCancellationRequested();
            if (member is not IFieldSymbol { HasConstantValue: true } field)
            {
                continue;
            }

            var bit = BitOf(field.ConstantValue);
            var ops = DefaultOps;
            string? aliasOf = null;
            string? validWhen = null;
            var masks = new List<string>();
            var excluded = new List<string>();
            foreach (var a in field.GetAttributes())
            {
                switch (a.AttributeClass?.ToDisplayString())
                {
                    case FlagOpsAttributeName when a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is int o:
                        ops = o;
                        break;
                    case FlagAliasAttributeName when a.ConstructorArguments.Length == 1:
                        aliasOf = a.ConstructorArguments[0].Value as string;
                        foreach (var n in a.NamedArguments)
                        {
                            if (n.Key == "ValidWhen")
                            {
                                validWhen = n.Value.Value as string;
                            }
                        }

                        break;
                    case InMaskAttributeName when a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string m:
                        masks.Add(m);
                        break;
                    case ExcludeFromMaskAttributeName when a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is string x:
                        excluded.Add(x);
                        break;
                }
            }

            var location = field.Locations.FirstOrDefault();
            var where = location is null ? string.Empty : LocationText.Of(location);
            var validWhenExists = validWhen is not null && HasStateCheck(storage, validWhen);
            flags.Add(new FlagModel(field.Name, bit, aliasOf, validWhen, validWhenExists, ops,
                new EquatableArray<string>(masks.ToArray()), new EquatableArray<string>(excluded.ToArray()), where));
        }

        var ns = enumSymbol.ContainingNamespace.IsGlobalNamespace ? string.Empty : enumSymbol.ContainingNamespace.ToDisplayString();
        var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation();
        return new FlagSetModel(
            ns,
            enumSymbol.Name,
            enumSymbol.ToDisplayString(),
            accessorClass ?? enumSymbol.Name + "Accessors",
            storage.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            column,
            HasWordColumn(storage, column),
            storageBits,
            attributeLocation is null ? string.Empty : LocationText.Of(attributeLocation),
            new EquatableArray<FlagModel>(flags.ToArray()));
    }

    /// <summary>The member's value as a bit number; values outside the int range are clamped (and then reported).</summary>
    private static int BitOf(object? value) => value switch
    {
        ulong u => u > int.MaxValue ? int.MaxValue : (int)u,
        null => -1,
        _ => (int)System.Math.Max(int.MinValue, System.Math.Min(int.MaxValue, System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))),
    };

    /// <summary>Whether <paramref name="storage"/> (or a base type) has a <c>uint[]</c> field or property named <paramref name="column"/>.</summary>
    private static bool HasWordColumn(INamedTypeSymbol storage, string column)
    {
        for (var type = storage; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(column))
            {
                var memberType = member switch
                {
                    IFieldSymbol f => f.Type,
                    IPropertySymbol p => p.Type,
                    _ => null,
                };
                if (memberType is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_UInt32 })
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="storage"/> (or a base type) has an instance method <c>bool name(int)</c>.</summary>
    private static bool HasStateCheck(INamedTypeSymbol storage, string name)
    {
        for (var type = storage; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol { IsStatic: false, ReturnType.SpecialType: SpecialType.System_Boolean, Parameters.Length: 1 } method
                    && method.Parameters[0].Type.SpecialType == SpecialType.System_Int32)
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>Names of the tracked pipeline steps (used by the cacheability test).</summary>
public static class TrackingNames
{
    public const string Model = "PageFlagsModel";
}
