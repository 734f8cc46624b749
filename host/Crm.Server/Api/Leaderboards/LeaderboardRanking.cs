namespace Crm.Server.Api.Leaderboards;

/// <summary>
/// Standard competition ranking: highest value first, equal values share a rank and the next rank skips (1, 2, 2, 4).
/// Equal values are listed by id, so a board reads the same on every request.
/// </summary>
public static class LeaderboardRanking
{
    public static IReadOnlyList<(string Id, decimal Value, int Rank)> Rank(IEnumerable<(string Id, decimal Value)> values)
    {
        var ordered = values.OrderByDescending(v => v.Value).ThenBy(v => v.Id, StringComparer.Ordinal).ToList();
        var ranked = new List<(string, decimal, int)>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var rank = i > 0 && ordered[i].Value == ordered[i - 1].Value ? ranked[i - 1].Item3 : i + 1;
            ranked.Add((ordered[i].Id, ordered[i].Value, rank));
        }

        return ranked;
    }
}
