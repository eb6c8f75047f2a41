using EcsMm.Mm;

namespace EcsMm.Tests.Mm;

/// <summary>The intrusive struct list_head lists (include/linux/list.h) the free lists and the pcp lists are made of.</summary>
public sealed class PageListsTests
{
    /// <summary>Two empty lists over a 16-page mem_map.</summary>
    private static (PageLists Lists, MemMap Map) Two()
    {
        var map = new MemMap(16);
        return (new PageLists(map, 2), map);
    }

    private static List<int> Walk(PageLists lists, int list)
    {
        var forward = new List<int>();
        for (var p = lists.Head[list]; p != MemMap.NoPage; p = lists.Next(p))
        {
            forward.Add(p);
        }

        // The back links must describe the same list.
        var backward = new List<int>();
        for (var p = lists.Tail[list]; p != MemMap.NoPage; p = lists.Prev(p))
        {
            backward.Add(p);
        }

        backward.Reverse();
        Assert.Equal(forward, backward);
        Assert.Equal(forward.Count, lists.Length[list]);
        return forward;
    }

    [Fact]
    public void AddInsertsAtTheHead_AddTailAtTheTail__list_add_list_add_tail()
    {
        var (l, _) = Two();
        l.AddHead(0, 1);
        l.AddHead(0, 2);      // list_add: 2 1
        l.AddTail(0, 3);      // list_add_tail: 2 1 3
        l.AddHead(0, 4);      // 4 2 1 3

        Assert.Equal([4, 2, 1, 3], Walk(l, 0));
        Assert.Empty(Walk(l, 1));
        Assert.True(l.IsEmpty(1));
    }

    [Fact]
    public void DelUnlinksTheEntryAndFixesTheHeadAndTheTail__list_del()
    {
        var (l, _) = Two();
        foreach (var p in new[] { 1, 2, 3, 4 })
        {
            l.AddTail(0, p);
        }

        l.Remove(0, 2);   // middle
        Assert.Equal([1, 3, 4], Walk(l, 0));
        l.Remove(0, 1);   // head
        Assert.Equal([3, 4], Walk(l, 0));
        l.Remove(0, 4);   // tail
        Assert.Equal([3], Walk(l, 0));
        l.Remove(0, 3);   // last one
        Assert.True(l.IsEmpty(0));
        Assert.Equal(MemMap.NoPage, l.Tail[0]);
        Assert.Equal(0, l.Length[0]);
    }

    [Fact]
    public void MoveTailTakesTheEntryOffItsListAndAppendsItToTheOther__list_move_tail()
    {
        var (l, _) = Two();
        l.AddTail(0, 1);
        l.AddTail(0, 2);
        l.AddTail(0, 3);
        l.AddTail(1, 9);

        l.MoveToTail(0, 1, 1);

        Assert.Equal([2, 3], Walk(l, 0));
        Assert.Equal([9, 1], Walk(l, 1));
    }

    [Fact]
    public void RotateToFrontMakesTheEntryFirstAndMovesTheOnesBeforeItToTheTailInOrder__list_rotate_to_front()
    {
        var (l, _) = Two();
        foreach (var p in new[] { 1, 2, 3, 4, 5 })
        {
            l.AddTail(0, p);
        }

        l.RotateToFront(0, 4);
        Assert.Equal([4, 5, 1, 2, 3], Walk(l, 0));

        l.RotateToFront(0, 3);   // the tail becomes the head
        Assert.Equal([3, 4, 5, 1, 2], Walk(l, 0));

        l.RotateToFront(0, 3);   // already first: nothing moves
        Assert.Equal([3, 4, 5, 1, 2], Walk(l, 0));
    }
}
