using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Money;
using Crm.Grains.Rfm;
using Crm.Grains.Storage;
using Dapper;

namespace Crm.Server.Api.Rfm;

/// <summary>The company's RFM settings (one row of <c>rfm_settings</c>); none set means quantiles.</summary>
public sealed class RfmSettingsStore(CrmDatabase database)
{
    private sealed class Row
    {
        public string Method { get; set; } = "";
        public long? RecencyDays { get; set; }
        public long? Frequency { get; set; }
        public long? MonetaryE4 { get; set; }
        public long UpdatedMs { get; set; }
        public string UpdatedBy { get; set; } = "";
    }

    public async Task<RfmSettingsDto> GetAsync()
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<Row>("""
            SELECT method AS Method, recency_days AS RecencyDays, frequency AS Frequency, monetary_e4 AS MonetaryE4, updated_ms AS UpdatedMs, updated_by AS UpdatedBy
            FROM rfm_settings WHERE id = 1
            """);
        return row is null
            ? new RfmSettingsDto(RfmThresholds.Quantiles, null, null, null, null, null)
            : new RfmSettingsDto(row.Method, (int?)row.RecencyDays, (int?)row.Frequency, row.MonetaryE4 is { } m ? Amounts.FromE4(m) : null,
                UnixTime.FromMs(row.UpdatedMs), row.UpdatedBy);
    }

    public async Task SetAsync(RfmSettingsRequest settings, string by, DateTimeOffset at)
    {
        var fixedValues = settings.Method == RfmThresholds.Fixed;
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO rfm_settings (id, method, recency_days, frequency, monetary_e4, updated_ms, updated_by)
            VALUES (1, @method, @recency, @frequency, @monetary, @at, @by)
            ON CONFLICT (id) DO UPDATE SET method = excluded.method, recency_days = excluded.recency_days, frequency = excluded.frequency,
                monetary_e4 = excluded.monetary_e4, updated_ms = excluded.updated_ms, updated_by = excluded.updated_by
            """, new
        {
            method = settings.Method,
            recency = fixedValues ? settings.RecencyDays : null,
            frequency = fixedValues ? settings.Frequency : null,
            monetary = fixedValues && settings.Monetary is { } m ? Amounts.ToE4(m) : (long?)null,
            at = UnixTime.ToMs(at),
            by,
        });
    }
}
