namespace Crm.Grains.Org;

/// <summary>Asks one grain per org unit, a few units at a time: the shape of the sweeps that work unit by unit.</summary>
public static class EveryUnit
{
    /// <summary>Answers of <paramref name="ask"/> for every unit of the tree, at most <paramref name="inFlight"/> at once.</summary>
    public static async Task<IReadOnlyList<T>> AskAsync<T>(this OrgTreeCache tree, int inFlight, Func<string, Task<T>> ask)
    {
        var answers = new List<T>();
        foreach (var batch in (await tree.UnitIds()).Chunk(inFlight))
        {
            answers.AddRange(await Task.WhenAll(batch.Select(ask)));
        }

        return answers;
    }
}
