using Crm.Client;
using Crm.Grains.Customers;

namespace Crm.Tests.Infrastructure;

/// <summary>A customer's whole history, oldest first, read page by page from the grain as a client would.</summary>
public static class CustomerHistory
{
    public static async Task<IReadOnlyList<HistoryEntry>?> HistoryAsync(this ICustomerGrain customer)
    {
        var entries = new List<HistoryEntry>();
        long? before = null;
        while (true)
        {
            if (await customer.GetTimeline(before, 200) is not { } page)
            {
                return entries.Count == 0 ? null : entries;
            }

            entries.AddRange(page.Items);
            if (page.NextBefore is null)
            {
                entries.Reverse();
                return entries;
            }

            before = long.Parse(page.NextBefore);
        }
    }
}
