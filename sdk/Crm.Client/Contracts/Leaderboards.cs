namespace Crm.Client;

/// <summary>
/// One place on a leaderboard: a rep (<see cref="Kind"/> <c>rep</c>) or a team, i.e. a child unit of the board's scope
/// (<c>team</c>). Ties share a rank (1, 2, 2, 4). <see cref="RankChange"/> = previous rank − rank: positive moved up.
/// </summary>
public sealed record LeaderboardEntryDto(int Rank, string Id, string Kind, decimal Value, int PreviousRank, decimal PreviousValue, int RankChange);

/// <summary>
/// <c>GET /api/leaderboards</c>: the ranking of a metric over a period (local dates of the scope's work calendar) and
/// how it moved since the previous period of the same kind. Money is in <see cref="Currency"/>, the base currency;
/// <see cref="MissingRates"/> lists currencies left out for want of a rate. <see cref="Total"/> counts every entry ranked,
/// <see cref="Entries"/> are the first of them.
/// </summary>
public sealed record LeaderboardDto(string ScopeId, string Level, string Metric, string Period, DateOnly From, DateOnly To, string PreviousPeriod,
    string TimeZone, string? Currency, IReadOnlyList<string> MissingRates, int Total, IReadOnlyList<LeaderboardEntryDto> Entries);
