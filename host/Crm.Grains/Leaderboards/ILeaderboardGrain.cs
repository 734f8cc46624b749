namespace Crm.Grains.Leaderboards;

/// <summary>
/// The live side of one leaderboard scope (an org unit, or <see cref="LeaderboardBoards.Company"/>): told when a
/// counting event of a rep in the scope was committed, it pushes <c>LeaderboardChanged</c> to the connections watching
/// the board, at most once per <see cref="LeaderboardGrain.Window"/> (the metrics that changed meanwhile go together at
/// the end of the window).
/// </summary>
public interface ILeaderboardGrain : IGrainWithStringKey
{
    [OneWay]
    Task Touched(IReadOnlyList<string> metrics);

    /// <summary>The metrics that changed and wait for the end of the window to be pushed.</summary>
    Task<IReadOnlyList<string>> Pending();
}
