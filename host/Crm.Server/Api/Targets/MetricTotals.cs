using Crm.Grains.Metrics;
using Crm.Server.Api.Money;

namespace Crm.Server.Api.Targets;

/// <summary>A metric added up per person over a period: counts as they are, money converted to the base currency.</summary>
public sealed record MetricSums(IReadOnlyDictionary<string, decimal> PerPerson, string? Currency, IReadOnlyList<string> MissingRates)
{
    public decimal Total => PerPerson.Values.Sum();

    public decimal Of(IEnumerable<string> people) => people.Sum(p => PerPerson.GetValueOrDefault(p));
}

/// <summary>
/// Adds up the per-rep, per-day rows the metric projection keeps (<see cref="MetricStore"/>): a few rows per person and
/// day, never the event log. Money of each day converts at that day's rate; a currency without one is left out and named.
/// </summary>
public sealed class MetricTotals(MetricStore store, RateStore rates)
{
    public async Task<MetricSums> SumAsync(IReadOnlyCollection<string> people, string metric, DateOnly from, DateOnly to)
    {
        if (!MetricNames.IsMoney(metric))
        {
            return new MetricSums(await store.SumCountsAsync(people, metric, from, to), null, []);
        }

        var rows = await store.ReadAsync(people, metric, from, to);
        var perPerson = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var table = await rates.TableAsync(rows.Select(r => r.Currency).Distinct().ToList(), to);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (table.ToBase(row.Value, row.Currency, row.Day) is { } inBase)
            {
                perPerson[row.RepId] = perPerson.GetValueOrDefault(row.RepId) + inBase;
            }
            else
            {
                missing.Add(row.Currency);
            }
        }

        return new MetricSums(perPerson, table.BaseCurrency, missing.ToList());
    }
}
