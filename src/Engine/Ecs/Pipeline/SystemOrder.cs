namespace EcsMm.Ecs;

/// <summary>
/// Orders the systems of one phase: every Before/After constraint holds, and among systems free to run next the
/// earliest registered goes first (Kahn's algorithm with a stable tie-break), so the order is deterministic and,
/// without constraints, is registration order.
/// </summary>
internal static class SystemOrder
{
    public static SystemHandle[] Resolve(string phase, IReadOnlyList<SystemHandle> systems, Func<string, SystemHandle?> find)
    {
        var n = systems.Count;
        var index = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            index[systems[i].Name] = i;
        }

        var successors = new List<int>[n];
        var indegree = new int[n];
        for (var i = 0; i < n; i++)
        {
            successors[i] = [];
        }

        for (var i = 0; i < n; i++)
        {
            foreach (var name in systems[i].RunsBefore)
            {
                AddEdge(i, Lookup(phase, systems[i], "before", name, index, find));
            }

            foreach (var name in systems[i].RunsAfter)
            {
                AddEdge(Lookup(phase, systems[i], "after", name, index, find), i);
            }
        }

        var order = new SystemHandle[n];
        var placed = new bool[n];
        for (var k = 0; k < n; k++)
        {
            // Systems are held in registration order, so the first ready one is the earliest registered.
            var next = -1;
            for (var i = 0; i < n; i++)
            {
                if (!placed[i] && indegree[i] == 0)
                {
                    next = i;
                    break;
                }
            }

            if (next < 0)
            {
                var stuck = new List<string>();
                for (var i = 0; i < n; i++)
                {
                    if (!placed[i])
                    {
                        stuck.Add(systems[i].Name);
                    }
                }

                throw new PipelineException($"phase '{phase}': Before/After constraints form a cycle among systems {string.Join(", ", stuck)}");
            }

            placed[next] = true;
            order[k] = systems[next];
            foreach (var s in successors[next])
            {
                indegree[s]--;
            }
        }

        return order;

        void AddEdge(int from, int to)
        {
            successors[from].Add(to);
            indegree[to]++;
        }
    }

    private static int Lookup(
        string phase, SystemHandle system, string relation, string name, Dictionary<string, int> index, Func<string, SystemHandle?> find)
    {
        if (index.TryGetValue(name, out var i))
        {
            return i;
        }

        var elsewhere = find(name);
        throw new PipelineException(elsewhere is null
            ? $"phase '{phase}': system '{system.Name}' is ordered {relation} '{name}', but no system of that name is registered"
            : $"phase '{phase}': system '{system.Name}' is ordered {relation} '{name}', which is in phase '{elsewhere.Phase}'; Before/After order systems within one phase");
    }
}
