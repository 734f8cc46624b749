using System.Text;
using Crm.Grains.Common;

namespace Crm.Grains.Customers;

/// <summary>
/// One row of the <c>customers</c> read-model table: what lists, search and reports read (<c>Server/Api/Customers/CustomerQueries</c>).
/// Written in the customer's own commit (<c>EventLog/CustomerCommitWrites</c>), made by <c>CustomerMappings.ToRow</c>.
/// </summary>
public sealed record CustomerRow
{
    /// <summary>
    /// The customer's list row, written in the customer's own commit (bound by position, see <c>CustomerCommitWrites</c>).
    /// An equal version may rewrite the row (same version, same content), which lets a re-projection heal it.
    /// </summary>
    public const string UpsertSql = InsertRow + """
        DO UPDATE SET
            name = excluded.name, company = excluded.company, phone = excluded.phone,
            phone_digits = excluded.phone_digits, email = excluded.email, tax_id = excluded.tax_id,
            address = excluded.address, source = excluded.source, stage = excluded.stage,
            pool_id = excluded.pool_id, owner_id = excluded.owner_id, org_unit_id = excluded.org_unit_id,
            created_ms = excluded.created_ms, updated_ms = excluded.updated_ms,
            last_follow_up_ms = excluded.last_follow_up_ms, search = excluded.search, version = excluded.version
        WHERE excluded.version >= customers.version
        """;

    private const string InsertRow = """
        INSERT INTO customers (id, name, company, phone, phone_digits, email, tax_id, address, source, stage,
                               pool_id, owner_id, org_unit_id, created_ms, updated_ms, last_follow_up_ms, search, version)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17)
        ON CONFLICT (id)

        """;

    /// <summary>
    /// <see cref="UpsertSql"/> for a commit that leaves the indexed columns (pool, owner, org unit, creation time) as the
    /// customer's previous row had them (<see cref="KeepsIndexedColumnsOf"/>): a stored row gets only its other columns.
    /// SQLite rewrites the entry of every index whose column an UPDATE sets, changed or not, so the full upsert of a flag
    /// or follow-up dirtied a random page in each of the table's four indexes; a missing row is still inserted whole.
    /// </summary>
    public const string UpsertKeepingIndexedSql = InsertRow + """
        DO UPDATE SET
            name = excluded.name, company = excluded.company, phone = excluded.phone,
            phone_digits = excluded.phone_digits, email = excluded.email, tax_id = excluded.tax_id,
            address = excluded.address, source = excluded.source, stage = excluded.stage,
            updated_ms = excluded.updated_ms, last_follow_up_ms = excluded.last_follow_up_ms, search = excluded.search,
            version = excluded.version
        WHERE excluded.version >= customers.version
        """;

    /// <summary>Whether this row has the indexed columns of <paramref name="before"/> (see <see cref="UpsertKeepingIndexedSql"/>).</summary>
    public bool KeepsIndexedColumnsOf(CustomerRow before) =>
        PoolId == before.PoolId && OwnerId == before.OwnerId && OrgUnitId == before.OrgUnitId && CreatedMs == before.CreatedMs;

    /// <summary>The customer's status pool (nurturing, success, failure, invalid), beside its list row.</summary>
    public const string UpsertStatusPoolSql = """
        INSERT INTO customer_status_pools (id, status_pool, version) VALUES (@p0, @p1, @p2)
        ON CONFLICT (id) DO UPDATE SET status_pool = excluded.status_pool, version = excluded.version
        WHERE excluded.version >= customer_status_pools.version
        """;

    /// <summary>
    /// The status-pool row of a commit that leaves the status pool as it was: inserted if missing (a customer stored before the
    /// table existed, a lost row), else left alone, so that the index on the status pool is not rewritten.
    /// </summary>
    public const string InsertMissingStatusPoolSql = """
        INSERT INTO customer_status_pools (id, status_pool, version) VALUES (@p0, @p1, @p2)
        ON CONFLICT (id) DO NOTHING
        """;

    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Company { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? TaxId { get; init; }
    public string? Address { get; init; }
    public string? Source { get; init; }
    public required string Stage { get; init; }
    public required string PoolId { get; init; }
    public string? OwnerId { get; init; }
    public string? OrgUnitId { get; init; }
    public long CreatedMs { get; init; }
    public long UpdatedMs { get; init; }
    public long? LastFollowUpMs { get; init; }
    /// <summary>nurturing, success, failure or invalid: kept in the <c>customer_status_pools</c> side table.</summary>
    public string StatusPool { get; init; } = "nurturing";
    public long Version { get; init; }

    /// <summary>Name, company, e-mail and phone (as typed and as digits), <see cref="Folded"/>: what <c>query=</c> matches.</summary>
    public string Search => Folded(string.Join(' ', new[] { Name, Company, Email, Phone, PhoneDigits }.Where(s => !string.IsNullOrEmpty(s))));

    /// <summary>
    /// What the search column holds and a query is compared in: without format characters (a zero-width space, direction
    /// marks pasted with a number), NFKC (a Chinese input method types full-width digits and letters: １３９００１３９０００
    /// and Ｆｕｌｌｗｉｄｔｈ search 13900139000 and Fullwidth), lower case, and ё as е (Russian is mostly typed without ё:
    /// ООО «Ёлка» is searched as "елка"). Create, check and import store the fields so already (Api/Customers/IdentityText),
    /// but for the joiners a name keeps; folding the row too keeps both sides one form whatever wrote it.
    /// </summary>
    public static string Folded(string text)
    {
        var visible = TextInput.WithoutFormatCharacters(text)!;
        var normal = visible.IsNormalized(NormalizationForm.FormKC) ? visible : visible.Normalize(NormalizationForm.FormKC);
        return normal.ToLowerInvariant().Replace('ё', 'е');
    }

    /// <summary>The phone's digits in ASCII, full-width ones (１３９) included, so that a search by digits finds them.</summary>
    public string? PhoneDigits => Phone is null ? null : new string(Phone.Where(char.IsDigit).Select(c => (char)('0' + (int)char.GetNumericValue(c))).ToArray());
}
