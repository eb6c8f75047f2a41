using System.Runtime.CompilerServices;

namespace EcsMm.Mm;

/// <summary>
/// A set of intrusive doubly linked lists of pages (<c>struct list_head</c> threaded through <c>page-&gt;buddy_list</c>
/// or <c>page-&gt;pcp_list</c>): the links live in the <see cref="MemMap"/>'s Next/Prev columns, the heads here.
/// A page is on at most one list at a time. No allocation per operation.
/// </summary>
public sealed class PageLists
{
    private readonly int[] _next;
    private readonly int[] _prev;

    public PageLists(MemMap map, int listCount)
    {
        _next = map.Next;
        _prev = map.Prev;
        Head = new int[listCount];
        Tail = new int[listCount];
        Length = new int[listCount];
        Array.Fill(Head, MemMap.NoPage);
        Array.Fill(Tail, MemMap.NoPage);
    }

    /// <summary>First entry of each list (list_first_entry), or <see cref="MemMap.NoPage"/>.</summary>
    public int[] Head { get; }

    /// <summary>Last entry of each list (list_last_entry), or <see cref="MemMap.NoPage"/>.</summary>
    public int[] Tail { get; }

    /// <summary>Number of entries on each list.</summary>
    public int[] Length { get; }

    public int ListCount => Head.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsEmpty(int list) => Head[list] == MemMap.NoPage;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next(int pfn) => _next[pfn];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Prev(int pfn) => _prev[pfn];

    /// <summary>list_add(): put <paramref name="pfn"/> at the head.</summary>
    public void AddHead(int list, int pfn)
    {
        var old = Head[list];
        _prev[pfn] = MemMap.NoPage;
        _next[pfn] = old;
        if (old == MemMap.NoPage)
        {
            Tail[list] = pfn;
        }
        else
        {
            _prev[old] = pfn;
        }

        Head[list] = pfn;
        Length[list]++;
    }

    /// <summary>list_add_tail(): put <paramref name="pfn"/> at the tail.</summary>
    public void AddTail(int list, int pfn)
    {
        var old = Tail[list];
        _next[pfn] = MemMap.NoPage;
        _prev[pfn] = old;
        if (old == MemMap.NoPage)
        {
            Head[list] = pfn;
        }
        else
        {
            _next[old] = pfn;
        }

        Tail[list] = pfn;
        Length[list]++;
    }

    /// <summary>list_del(): unlink <paramref name="pfn"/> from <paramref name="list"/>.</summary>
    public void Remove(int list, int pfn)
    {
        var n = _next[pfn];
        var p = _prev[pfn];
        if (p == MemMap.NoPage)
        {
            Head[list] = n;
        }
        else
        {
            _next[p] = n;
        }

        if (n == MemMap.NoPage)
        {
            Tail[list] = p;
        }
        else
        {
            _prev[n] = p;
        }

        _next[pfn] = MemMap.NoPage;
        _prev[pfn] = MemMap.NoPage;
        Length[list]--;
    }

    /// <summary>list_move_tail().</summary>
    public void MoveToTail(int from, int to, int pfn)
    {
        Remove(from, pfn);
        AddTail(to, pfn);
    }

    /// <summary>
    /// list_rotate_to_front(): make <paramref name="pfn"/> the first entry, keeping the cyclic order
    /// (the entries before it move to the tail), as page_reporting_cycle does with its resume point.
    /// </summary>
    public void RotateToFront(int list, int pfn)
    {
        if (Head[list] == pfn)
        {
            return;
        }

        var oldHead = Head[list];
        var oldTail = Tail[list];
        var before = _prev[pfn];

        // Close the ring, then cut it before pfn.
        _next[oldTail] = oldHead;
        _prev[oldHead] = oldTail;
        _next[before] = MemMap.NoPage;
        _prev[pfn] = MemMap.NoPage;
        Head[list] = pfn;
        Tail[list] = before;
    }
}
