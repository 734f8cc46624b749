using System.Globalization;
using Crm.Client;
using Crm.Grains.Morning;
using Crm.Grains.Push;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Grains.Rfm;

/// <summary>
/// The morning's repurchase and churn reasons for a unit's owners (<see cref="RepurchaseRules"/> on the unit's local
/// day), and the <see cref="RepurchaseDue"/> push of each owner's list. A reason's key names the customer and its last
/// purchase day, so one buying cycle makes one task of each kind, however many mornings find it; the list is pushed once
/// per owner and morning, however many times the morning runs.
/// </summary>
public sealed class RepurchaseMorning(PurchaseStore purchases, CrmDatabase database, IGrainFactory grains, TimeProvider clock)
{
    public async Task<IReadOnlyList<MorningReason>> ReasonsAsync(IReadOnlyList<string> owners, DateOnly today)
    {
        var lists = await ListsAsync(owners, today);
        if (lists.Count > 0)
        {
            await using var connection = await database.OpenAsync();
            foreach (var (owner, items) in lists)
            {
                // Once per rep and morning: only the run that records the push pushes (at most once; the tasks stay exact).
                var first = await connection.ExecuteAsync("INSERT INTO repurchase_pushes (rep_id, day) VALUES (@owner, @day) ON CONFLICT (rep_id, day) DO NOTHING",
                    new { owner, day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }) == 1;
                if (first)
                {
                    EventPublisher.Publish(grains, new RepurchaseDue(owner, clock.GetUtcNow(), today, items), [PushChannels.Rep(owner)]);
                }
            }
        }

        return lists.SelectMany(l => l.Value.Select(i => Reason(l.Key, i))).ToList();
    }

    /// <summary>Each owner's customers due or at risk on <paramref name="today"/>, churn risks first, then the longest since a purchase.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<RepurchaseItemDto>>> ListsAsync(IReadOnlyList<string> owners, DateOnly today) =>
        (await purchases.OfOwnersAsync(owners))
            .Where(p => p.OwnerId is not null)
            .Select(p => (p.OwnerId, p.Name, Status: RepurchaseRules.StatusOn(p.Summary, today)))
            .Where(p => p.Status is not null)
            .GroupBy(p => p.OwnerId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<RepurchaseItemDto>)Order(g.Select(p => ToDto(p.Status!, p.Name))), StringComparer.Ordinal);

    public static RepurchaseItemDto ToDto(RepurchaseStatus s, string? name) =>
        new(s.CustomerId, name, s.Status, s.LastPurchase, s.DaysSince, s.AverageIntervalDays, s.Intervals, s.DueOn, s.ChurnRiskOn);

    public static List<RepurchaseItemDto> Order(IEnumerable<RepurchaseItemDto> items) => items
        .OrderBy(i => i.Status == RepurchaseRules.ChurnRisk ? 0 : 1).ThenByDescending(i => i.DaysSince).ThenBy(i => i.CustomerId).ToList();

    private static MorningReason Reason(string owner, RepurchaseItemDto item)
    {
        var name = string.IsNullOrWhiteSpace(item.Name) ? "(no name)" : item.Name;
        var churn = item.Status == RepurchaseRules.ChurnRisk;
        var title = churn ? $"Churn risk: {name}" : $"Due to buy again: {name}";
        var notes = string.Create(CultureInfo.InvariantCulture,
            $"Last purchase {item.LastPurchase:yyyy-MM-dd}, {item.DaysSince} days ago; buys every {item.AverageIntervalDays:0.##} days on average "
            + $"(last {item.Intervals} intervals): due from {item.DueOn:yyyy-MM-dd}, churn risk from {item.ChurnRiskOn:yyyy-MM-dd}.");
        return new MorningReason(string.Create(CultureInfo.InvariantCulture, $"{item.Status}:{item.CustomerId}:{item.LastPurchase:yyyy-MM-dd}"), owner, item.CustomerId, TaskKinds.Call,
            title.Length <= 200 ? title : title[..200], notes);
    }
}
