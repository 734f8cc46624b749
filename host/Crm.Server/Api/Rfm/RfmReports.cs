using Crm.Client;
using Crm.Grains.Rfm;
using Crm.Server.Api.Money;
using Crm.Server.Api.Targets;
using Crm.Server.Permissions;
using Dapper;

namespace Crm.Server.Api.Rfm;

/// <summary>One customer scored on a day.</summary>
public sealed record RfmScored(OwnedPurchases Purchases, RfmFigures Figures, string Segment);

/// <summary>A scope's customers scored on a day, with the thresholds that separated them.</summary>
public sealed record RfmScoring(DateOnly AsOf, RfmThresholds Thresholds, string BaseCurrency, IReadOnlyList<RfmScored> Customers, IReadOnlyList<string> MissingRates)
{
    public IReadOnlyList<RfmSegmentCountDto> Counts() =>
        RfmSegments.All.Select(s => new RfmSegmentCountDto(s, Customers.Count(c => c.Segment == s))).ToList();

    public RfmThresholdsDto ThresholdsDto() => new(Thresholds.Method, Thresholds.RecencyDays, Thresholds.Frequency, Thresholds.Monetary);
}

/// <summary>
/// Scores the customers the caller sees (of a unit's subtree when asked) from the purchase projection: today's summaries,
/// or the purchase rows up to an earlier day; money net of refunds, converted to the base currency at that day's rates.
/// </summary>
public sealed class RfmReports(PurchaseStore purchases, RateStore rates, RfmSettingsStore settings)
{
    public async Task<RfmScoring> ScoreAsync(Visibility caller, ReportScope? scope, DateOnly asOf, bool today)
    {
        var args = new DynamicParameters();
        var condition = caller.Customers(args, "c");
        if (scope is not null)
        {
            args.Add("scope", scope.Id);
            condition += " AND c.org_unit_id IN (SELECT su.id FROM org_units su JOIN org_units sr ON su.path LIKE sr.path || '%' WHERE sr.id = @scope)";
        }

        var found = today ? await purchases.CurrentAsync(condition, args, minPurchaseDays: 1) : await purchases.AsOfAsync(condition, args, asOf);
        found = found.Where(p => p.Summary.LastPurchase is not null).ToList();
        var table = await rates.TableAsync(found.SelectMany(p => p.Summary.Money.Keys).Distinct(StringComparer.Ordinal).ToList(), asOf);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var figures = found.Select(p => (Purchases: p, Figures: new RfmFigures(p.Summary.CustomerId,
            Math.Max(0, asOf.DayNumber - p.Summary.LastPurchase!.Value.DayNumber), p.Summary.PurchaseDays,
            p.Summary.Money.Sum(m => table.ToBase(m.Value, m.Key, asOf) ?? Missing(m.Key))))).ToList();

        var set = await settings.GetAsync();
        var thresholds = set.Method == RfmThresholds.Fixed
            ? new RfmThresholds(RfmThresholds.Fixed, set.RecencyDays ?? 0, set.Frequency ?? 0, set.Monetary ?? 0)
            : RfmThresholds.MediansOf(figures.Select(f => f.Figures).ToList());
        var scored = figures.Select(f => new RfmScored(f.Purchases, f.Figures, RfmSegments.Of(f.Figures, thresholds))).ToList();
        return new RfmScoring(asOf, thresholds, table.BaseCurrency, scored, missing.ToList());

        decimal Missing(string currency)
        {
            missing.Add(currency);
            return 0;
        }
    }
}
