using Crm.Grains.Common;
using Crm.Grains.EventLog;
using Crm.Grains.Visits.Events;

namespace Crm.Grains.Visits;

/// <summary>
/// The field-work read model written in the customer's commit: <c>customer_locations</c> (behind the spatial index:
/// an R*Tree kept by triggers on SQLite, a PostGIS geography column on PostgreSQL), <c>visits</c>, and the photos'
/// link to their visit in <c>files</c>. Every write is idempotent.
/// </summary>
public static class FieldWorkRows
{
    public const string UpsertLocationSql = """
        INSERT INTO customer_locations (customer_id, lat, lon, source, accuracy_m, set_ms, version)
        VALUES (@CustomerId, @Lat, @Lon, @Source, @AccuracyM, @SetMs, @Version)
        ON CONFLICT (customer_id) DO UPDATE SET
            lat = excluded.lat, lon = excluded.lon, source = excluded.source, accuracy_m = excluded.accuracy_m,
            set_ms = excluded.set_ms, version = excluded.version
        WHERE excluded.version >= customer_locations.version
        """;

    private const string InsertVisitSql = """
        INSERT INTO visits (id, customer_id, rep_id, device_id, checked_in_ms, lat, lon, accuracy_m, distance_m, flags, photos, outcome)
        VALUES (@Id, @CustomerId, @RepId, @DeviceId, @CheckedInMs, @Lat, @Lon, @AccuracyM, @DistanceM, @Flags, @Photos, @Outcome)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string LinkPhotosSql = """
        UPDATE files SET visit_id = @VisitId, customer_id = @CustomerId
        WHERE id = @Id AND uploader_id = @RepId AND (visit_id IS NULL OR visit_id = @VisitId)
        """;

    private const string CheckOutSql = """
        UPDATE visits SET checked_out_ms = @CheckedOutMs, duration_minutes = @DurationMinutes, out_flags = @Flags,
            out_lat = @Lat, out_lon = @Lon
        WHERE id = @Id
        """;

    public static ReadModelStatement Location(Guid customerId, CustomerLocation location, long version) => new(UpsertLocationSql, new
    {
        CustomerId = customerId.ToString(),
        location.Lat,
        location.Lon,
        location.Source,
        AccuracyM = location.AccuracyMeters,
        SetMs = UnixTime.ToMs(location.SetAt),
        Version = version,
    });

    public static IEnumerable<ReadModelStatement> CheckIn(Guid customerId, VisitCheckedIn e)
    {
        yield return new(InsertVisitSql, new
        {
            Id = e.VisitId,
            CustomerId = customerId.ToString(),
            RepId = e.ActorId,
            e.DeviceId,
            CheckedInMs = UnixTime.ToMs(e.At),
            e.Lat,
            e.Lon,
            AccuracyM = e.AccuracyMeters,
            DistanceM = e.DistanceMeters,
            Flags = string.Join(',', e.Flags),
            Photos = string.Join(',', e.Photos),
            e.Outcome,
        });
        foreach (var photo in e.Photos)
        {
            yield return new(LinkPhotosSql, new { e.VisitId, CustomerId = customerId.ToString(), Id = photo, RepId = e.ActorId });
        }
    }

    public static ReadModelStatement CheckOut(VisitCheckedOut e) => new(CheckOutSql, new
    {
        Id = e.VisitId,
        CheckedOutMs = UnixTime.ToMs(e.At),
        e.DurationMinutes,
        Flags = string.Join(',', e.Flags),
        e.Lat,
        e.Lon,
    });
}
