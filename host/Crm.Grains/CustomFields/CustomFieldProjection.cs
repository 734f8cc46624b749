using System.Text.Json;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.CustomFields.Events;
using Crm.Grains.Deals.Events;
using Crm.Grains.EventLog;

namespace Crm.Grains.CustomFields;

/// <summary>
/// The cards' read model, written in the customer's commit: <c>customer_cards</c> (custom field values as JSON and the
/// level, versioned), <c>customer_field_values</c> (the filter index, rewritten whole with the card) and <c>deal_cards</c>.
/// A re-projection (a commit of no events) writes them all again from the snapshot.
/// </summary>
public sealed class CustomFieldProjection : ICustomerProjection
{
    private const string UpsertCustomerSql = """
        INSERT INTO customer_cards (customer_id, fields_json, level, version) VALUES (@p0, @p1, @p2, @p3)
        ON CONFLICT (customer_id) DO UPDATE SET fields_json = excluded.fields_json, level = excluded.level, version = excluded.version
        WHERE excluded.version >= customer_cards.version
        """;

    private const string DeleteValuesSql = "DELETE FROM customer_field_values WHERE customer_id = @p0";

    private const string InsertValueSql = """
        INSERT INTO customer_field_values (customer_id, field_key, value) VALUES (@p0, @p1, @p2) ON CONFLICT DO NOTHING
        """;

    private const string UpsertDealSql = """
        INSERT INTO deal_cards (deal_id, customer_id, fields_json, version) VALUES (@p0, @p1, @p2, @p3)
        ON CONFLICT (deal_id) DO UPDATE SET fields_json = excluded.fields_json, version = excluded.version
        WHERE excluded.version >= deal_cards.version
        """;

    /// <summary>Whether a commit changes what <c>customer_cards</c> shows; other capabilities' card events (levels) say so too.</summary>
    public static bool TouchesCustomerCard(CustomerEvent e) => e is Created { CustomFields: not null } or CustomFieldsChanged { DealId: null }
        || e.Kind == TimelineKinds.LevelChanged;

    public void Project(Guid customerId, CustomerState after, IReadOnlyList<CustomerEvent> events, long firstSeq, List<CommitStatement> into)
    {
        var id = customerId.ToString();
        if (events.Count == 0 ? after.Exists : events.Any(TouchesCustomerCard))
        {
            into.Add(new CommitStatement(UpsertCustomerSql, id, Json(after.CustomFields), after.Level, after.Version));
            into.Add(new CommitStatement(DeleteValuesSql, id));
            foreach (var (key, value) in after.CustomFields)
            {
                into.AddRange(value.Canonical().Distinct().Select(v => new CommitStatement(InsertValueSql, id, key, v)));
            }
        }

        var deals = events.Count == 0
            ? after.Deals.Values.Where(d => d.CustomFields.Count > 0).Select(d => d.Id)
            : events.Select(e => e switch
            {
                DealOpened { CustomFields: not null } opened => opened.DealId,
                CustomFieldsChanged { DealId: { } dealId } => dealId,
                _ => null,
            }).OfType<string>();
        foreach (var dealId in deals.Distinct().Where(after.Deals.ContainsKey))
        {
            var deal = after.Deals[dealId];
            into.Add(new CommitStatement(UpsertDealSql, dealId, id, Json(deal.CustomFields), deal.Version));
        }
    }

    private static string? Json(IReadOnlyDictionary<string, CustomValue> values) =>
        CustomFieldRules.ToJson(values) is { } json ? JsonSerializer.Serialize(json) : null;
}
