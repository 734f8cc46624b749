using Crm.Client;
using Crm.Grains.Activity;

namespace Crm.Server.Api.Activity;

/// <summary>
/// The funnel from the per-day deal steps: per stage, deals that entered it and those that went on from it (to a later
/// stage of the pipeline as the catalog orders it now, or won from it); lost and declined with their reasons. Stages
/// appear in pipeline order; a stage no longer in its pipeline comes last and only its wins count as going on.
/// </summary>
public static class FunnelReport
{
    public static readonly string[] Measures =
        [ActivityMeasures.Entered, ActivityMeasures.Moved, ActivityMeasures.Won, ActivityMeasures.Lost, ActivityMeasures.Declined];

    public static FunnelReportDto Build(string scope, string? scopeId, DateOnly from, DateOnly to, IReadOnlyList<ActivityRow> rows,
        IReadOnlyDictionary<string, IReadOnlyList<string>> stageOrder, IReadOnlyList<string> reps)
    {
        var perRep = reps.Select(rep =>
        {
            var mine = rows.Where(r => r.RepId == rep).ToList();
            var (won, lost) = (Sum(mine, ActivityMeasures.Won), Sum(mine, ActivityMeasures.Lost));
            return new FunnelRepDto(rep, won, lost, Ratio(won, won + lost), Stages(mine, stageOrder));
        }).ToList();
        return new FunnelReportDto(scope, scopeId, from, to, Stages(rows, stageOrder), perRep);
    }

    public static decimal? Ratio(long part, long whole) => whole == 0 ? null : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);

    private static int Sum(IEnumerable<ActivityRow> rows, string measure) => (int)rows.Where(r => r.Measure == measure).Sum(r => r.Count);

    private static IReadOnlyList<FunnelStageDto> Stages(IReadOnlyList<ActivityRow> rows, IReadOnlyDictionary<string, IReadOnlyList<string>> stageOrder)
    {
        int IndexOf(string pipeline, string stage)
        {
            var order = stageOrder.GetValueOrDefault(pipeline) ?? [];
            for (var i = 0; i < order.Count; i++)
            {
                if (order[i] == stage)
                {
                    return i;
                }
            }

            return int.MaxValue;
        }

        return rows.GroupBy(r => (r.PipelineId, r.StageKey))
            .OrderBy(g => g.Key.PipelineId, StringComparer.Ordinal).ThenBy(g => IndexOf(g.Key.PipelineId, g.Key.StageKey)).ThenBy(g => g.Key.StageKey, StringComparer.Ordinal)
            .Select(g =>
            {
                var here = IndexOf(g.Key.PipelineId, g.Key.StageKey);
                var entered = Sum(g, ActivityMeasures.Entered);
                var won = Sum(g, ActivityMeasures.Won);
                var onward = (int)g.Where(r => r.Measure == ActivityMeasures.Moved && here != int.MaxValue && IndexOf(g.Key.PipelineId, r.Detail) is var to
                                                 && to != int.MaxValue && to > here).Sum(r => r.Count);
                return new FunnelStageDto(g.Key.PipelineId, g.Key.StageKey, entered, onward + won, Ratio(onward + won, entered), won,
                    Sum(g, ActivityMeasures.Lost), Sum(g, ActivityMeasures.Declined),
                    Reasons(g, ActivityMeasures.Lost), Reasons(g, ActivityMeasures.Declined));
            })
            .ToList();
    }

    private static IReadOnlyList<ReasonCountDto> Reasons(IEnumerable<ActivityRow> rows, string measure) => rows
        .Where(r => r.Measure == measure)
        .GroupBy(r => r.Detail)
        .Select(g => new ReasonCountDto(g.Key, (int)g.Sum(r => r.Count)))
        .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
        .ToList();
}
