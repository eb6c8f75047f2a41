using EcsMm.Scenarios.Cli;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EcsMm.Scenarios.Model;

/// <summary>
/// A YAML document parsed into YamlDotNet's representation model (every node keeps its start mark), with the name
/// of the file it came from and the nodes that came from command-line overrides rather than the file.
/// </summary>
internal sealed class YamlSource
{
    private readonly Dictionary<YamlNode, string> _overrides = new(ReferenceEqualityComparer.Instance);

    private YamlSource(string displayName, YamlMappingNode root)
    {
        DisplayName = displayName;
        Root = root;
    }

    public string DisplayName { get; }

    public YamlMappingNode Root { get; }

    /// <summary>Parses <paramref name="text"/>; malformed YAML is a <see cref="UserInputException"/> at the parser's line.</summary>
    public static YamlSource Parse(string displayName, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            var idx = reason.IndexOf("): ", StringComparison.Ordinal);
            if (reason.StartsWith('(') && idx > 0)
            {
                reason = reason[(idx + 3)..];
            }

            throw new UserInputException($"{displayName}:{e.Start.Line}: malformed YAML: {reason}");
        }

        if (stream.Documents.Count != 1)
        {
            throw new UserInputException($"{displayName}: expected one YAML document, found {stream.Documents.Count}");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new UserInputException($"{displayName}:{stream.Documents[0].RootNode.Start.Line}: expected a mapping of keys (name:, guest:, ...) at the top level");
        }

        return new YamlSource(displayName, root);
    }

    /// <summary>Sets the scalar at a dotted key (creating mappings on the way): a --set or a sweep grid point.</summary>
    public void Override(string dottedKey, string value, string origin)
    {
        var parts = dottedKey.Split('.');
        var map = Root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var key = new YamlScalarNode(parts[i]);
            if (map.Children.TryGetValue(key, out var child))
            {
                if (child is not YamlMappingNode m)
                {
                    throw new UserInputException($"{origin}: '{string.Join('.', parts[..(i + 1)])}' is not a mapping, so '{dottedKey}' cannot be set");
                }

                map = m;
            }
            else
            {
                // A key the file does not have: errors about it (e.g. an unknown key) name the override.
                var m = new YamlMappingNode();
                map.Children[key] = m;
                MarkOverride(key, origin);
                MarkOverride(m, origin);
                map = m;
            }
        }

        var leaf = ParseValue(value);
        var leafKey = new YamlScalarNode(parts[^1]);
        map.Children.Remove(leafKey);
        map.Children[leafKey] = leaf;
        MarkOverride(leafKey, origin);
        MarkOverride(leaf, origin);
    }

    private void MarkOverride(YamlNode node, string origin)
    {
        _overrides[node] = origin;
        foreach (var child in node.AllNodes)
        {
            _overrides[child] = origin;
        }
    }

    private static YamlNode ParseValue(string value)
    {
        // A flow value such as [0, 1] or {size: 1G} is parsed as YAML; anything else stays one scalar.
        var t = value.TrimStart();
        if (t.StartsWith('[') || t.StartsWith('{'))
        {
            var s = new YamlStream();
            try
            {
                s.Load(new StringReader(value));
                return s.Documents[0].RootNode;
            }
            catch (YamlException)
            {
                return new YamlScalarNode(value);
            }
        }

        return new YamlScalarNode(value);
    }

    /// <summary>Where a node came from, for messages: its line, or the --set / grid point that made it.</summary>
    public string Where(YamlNode node) => _overrides.TryGetValue(node, out var origin) ? origin : $"line {node.Start.Line}";

    public UserInputException Error(YamlNode node, string key, string message)
    {
        if (_overrides.TryGetValue(node, out var origin))
        {
            return new UserInputException($"{origin}: {key}: {message}");
        }

        return UserInputException.At(DisplayName, node.Start.Line, key, message);
    }
}
