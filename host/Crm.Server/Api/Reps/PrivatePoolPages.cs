using System.Collections.Concurrent;
using System.Text.Json;
using Crm.Client;
using Crm.Grains.Reps;
using Crm.Server.Api.Customers;
using Crm.Server.Permissions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.Reps;

/// <summary>
/// A rep's own private pool, the list its app refreshes all day, answered from this silo's memory: each page is kept as
/// the JSON it was answered with, under the rep grain's <see cref="IRepGrain.PrivatePoolVersion"/>. A request asks the
/// grain for that number (one small call) and, while it has not moved, writes the kept bytes; any commit of one of the
/// rep's customers reports to its rep grain before the command is answered, so a rep reads its own writes. The version is
/// read before the query, so a page is never kept under a number newer than its rows. Managers and admins looking at a
/// rep's pool see it through their own visibility and go to the read model as before.
/// </summary>
public sealed class PrivatePoolPages(IGrainFactory grains, CustomerQueries customers, IOptions<JsonOptions> json)
{
    private const int Capacity = 20_000;

    private readonly ConcurrentDictionary<(string RepId, int Page, int PageSize, CustomerCursor? After), (long Version, byte[] Json)> _pages = new();

    public async Task<byte[]> GetAsync(string repId, int page, int pageSize, CustomerCursor? after, Visibility visibility)
    {
        var key = (repId, page, pageSize, after);
        var version = await grains.GetGrain<IRepGrain>(repId).PrivatePoolVersion();
        if (_pages.TryGetValue(key, out var kept) && kept.Version == version)
        {
            return kept.Json;
        }

        var rows = await customers.SearchAsync(new CustomerFilter { OwnerId = repId }, visibility, after is null ? page : null, pageSize, after);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(rows, json.Value.SerializerOptions);
        if (_pages.Count >= Capacity)
        {
            _pages.Clear(); // the pages reps are looking at now come back within a refresh
        }

        _pages[key] = (version, bytes);
        return bytes;
    }
}
