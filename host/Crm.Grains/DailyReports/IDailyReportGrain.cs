namespace Crm.Grains.DailyReports;

/// <summary>
/// One org unit's daily reports (key: org unit id): once per working day of the unit's calendar, when its report time
/// has come, a report for each active rep of the unit. Every silo's <see cref="DailyReportSweep"/> knocks; the grain
/// remembers the day it did, and the store keeps one report per rep and day anyway.
/// </summary>
public interface IDailyReportGrain : IGrainWithStringKey
{
    /// <summary>Makes today's reports if the unit's report time has come on a working day and they are not made yet.</summary>
    Task<DailyReportRun> Run();
}

/// <summary>What one unit's run did: the local day (null: nothing to do now) and how many reports it stored.</summary>
[GenerateSerializer, Immutable]
public sealed record DailyReportRun([property: Id(0)] string OrgUnitId, [property: Id(1)] DateOnly? Day, [property: Id(2)] int Reps,
    [property: Id(3)] int Stored)
{
    public static DailyReportRun Nothing(string orgUnitId) => new(orgUnitId, null, 0, 0);
}
